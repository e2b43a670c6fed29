// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: 'charter explain' (userspace/explain.c): the documented
 * weights, the words, the score's bounds and the warnings.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "explain.h"
#include "uapi/charter.h"

#define R CHARTER_ACCESS_READ
#define W CHARTER_ACCESS_WRITE
#define X CHARTER_ACCESS_EXECUTE

static void path_weights(void **state)
{
	(void)state;
	/* Rights 0.5 + 1 + 0.75 + 0.75 (write with run), scope 4, system +1. */
	assert_float_equal(explain_path_cost("/", R | W | X), 13, 1e-9);
	assert_float_equal(explain_path_cost("/**", R), 2, 1e-9);
	assert_float_equal(explain_path_cost("/*/secret", R), 2, 1e-9);
	assert_float_equal(explain_path_cost("/srv", R), 0.75, 1e-9);
	assert_float_equal(explain_path_cost("/srv/app/**", R), 0.25, 1e-9);
	assert_float_equal(explain_path_cost("/srv/app/**/*.log", R | W), 0.75, 1e-9);
	assert_float_equal(explain_path_cost("/srv/app/data/x", R), 0.125, 1e-9);
	/* Write reaching a system tree: within it, or at its root. */
	assert_float_equal(explain_path_cost("/etc/app", W), 1.5, 1e-9);
	assert_float_equal(explain_path_cost("/usr", W), 2.5, 1e-9);
	assert_float_equal(explain_path_cost("/etcetera", W), 1.5, 1e-9);
	assert_float_equal(explain_path_cost("/etc/app", R), 0.25, 1e-9);
}

static struct manifest_net net(uint8_t direction, uint8_t protocol,
			       enum net_scope scope, uint8_t prefix,
			       uint16_t port_min, uint16_t port_max)
{
	struct manifest_net n = {
		.name = "n", .direction = direction, .protocol = protocol,
		.scope = scope, .family = CHARTER_FAMILY_INET, .prefix = prefix,
		.port_min = port_min, .port_max = port_max,
	};

	return n;
}

static void net_weights(void **state)
{
	struct manifest_net n;

	(void)state;
	n = net(CHARTER_NET_INBOUND, CHARTER_PROTO_TCP, NET_ANY, 0, 0, 65535);
	assert_float_equal(explain_net_cost(&n), 4, 1e-9);
	n = net(CHARTER_NET_OUTBOUND, CHARTER_PROTO_UDP, NET_LOCALHOST, 0, 53, 53);
	assert_float_equal(explain_net_cost(&n), 0.1875, 1e-9);
	n = net(CHARTER_NET_OUTBOUND, CHARTER_PROTO_TCP, NET_ADDR, 8, 443, 443);
	assert_float_equal(explain_net_cost(&n), 0.75, 1e-9);
	n = net(CHARTER_NET_OUTBOUND, CHARTER_PROTO_TCP, NET_ADDR, 32, 8000, 8099);
	assert_float_equal(explain_net_cost(&n), 0.75 * 0.5 * 1.25, 1e-9);
	/* Both directions, both protocols, a /0 network: as "any". */
	n = net(CHARTER_NET_DIRECTIONS, CHARTER_PROTOCOLS, NET_ADDR, 0, 80, 80);
	assert_float_equal(explain_net_cost(&n), 1.75 * 1.25 * 2, 1e-9);
}

static void device_weights(void **state)
{
	(void)state;
	assert_float_equal(explain_devices_cost(0), 0, 1e-9);
	assert_float_equal(explain_devices_cost(CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) |
						CHARTER_DEV_BIT(CHARTER_DEV_MOUSE)), 1.5, 1e-9);
	assert_float_equal(explain_devices_cost(CHARTER_DEV_ALL), 12, 1e-9);
	assert_float_equal(explain_devices_cost(CHARTER_DEV_BIT(CHARTER_DEV_WAYLAND)), 0.5, 1e-9);
}

/* explain @m; the text of every grant, and of every warning, joined. */
static void explain(struct manifest *m, struct explanation *e, char **grants,
		    char **warnings)
{
	size_t gl = 0, wl = 0;
	FILE *g = open_memstream(grants, &gl), *w = open_memstream(warnings, &wl);

	assert_int_equal(explain_manifest(m, e), 0);
	for (size_t i = 0; i < e->count; i++)
		fprintf(g, "%s|", e->grants[i].text);
	for (size_t i = 0; i < e->warning_count; i++)
		fprintf(w, "%s|", e->warnings[i]);
	fclose(g);
	fclose(w);
}

static void words_and_score(void **state)
{
	struct manifest_path paths[] = {
		{ "photos", "/srv/photos/**", R },
		{ "root", "/", R },
		{ "cache", "/var/cache/app/*.tmp", R | W },
		{ "conf", "/etc/app.conf", R },
	};
	struct manifest_net nets[] = {
		net(CHARTER_NET_INBOUND, CHARTER_PROTO_TCP, NET_ADDR, 32, 8080, 8080),
		net(CHARTER_NET_OUTBOUND, CHARTER_PROTO_UDP, NET_LOCALHOST, 0, 53, 53),
	};
	struct manifest m = {
		.file = "m.yml", .name = "app", .run = "/opt/app/app",
		.paths = paths, .path_count = 4, .nets = nets, .net_count = 2,
		.devices = CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) |
			   CHARTER_DEV_BIT(CHARTER_DEV_MOUSE),
	};
	struct explanation e;
	char *grants, *warnings;

	(void)state;
	nets[0].addr[0] = 127;
	nets[0].addr[3] = 1;
	explain(&m, &e, &grants, &warnings);
	assert_string_equal(grants,
		"read everything under /srv/photos|"
		"read the whole filesystem|"
		"read and write whatever matches /var/cache/app/*.tmp, and everything beneath|"
		"read /etc/app.conf and everything beneath it|"
		"accept TCP connections on port 8080 from 127.0.0.1|"
		"reach this machine (localhost) on port 53 over UDP|"
		"use the keyboard and the mouse|");
	/* 0.25 + 2 + 0.375 + 0.25 + 0.5 + 0.1875 + 1.5 = 5.0625 */
	assert_float_equal(e.score, 5.1, 1e-9);
	assert_non_null(strstr(warnings, "read on the whole filesystem: / (entry 'root')"));
	assert_null(strstr(warnings, "write"));
	explanation_free(&e);
	free(grants);
	free(warnings);
}

static void bounds(void **state)
{
	struct manifest_path all[] = { { "all", "/", R | W | X } };
	struct manifest m = { .file = "m.yml", .name = "x" };
	struct explanation e;
	char *grants, *warnings;

	(void)state;
	explain(&m, &e, &grants, &warnings);
	assert_int_equal(e.count, 0);
	assert_float_equal(e.score, 0, 1e-9);
	explanation_free(&e);
	free(grants);
	free(warnings);

	m.paths = all;
	m.path_count = 1;
	m.devices = CHARTER_DEV_ALL;
	explain(&m, &e, &grants, &warnings);
	assert_float_equal(e.score, 10, 1e-9);
	assert_non_null(strstr(warnings, "write to system files: / (entry 'all')"));
	assert_non_null(strstr(warnings, "write and run on the same path: / (entry 'all')"));
	assert_non_null(strstr(warnings, "every device class"));
	assert_non_null(strstr(warnings, "X11: x11 reaches an X server"));
	explanation_free(&e);
	free(grants);
	free(warnings);
}

static void write_and_run_overlap(void **state)
{
	struct manifest_path paths[] = {
		{ "data", "/srv/app/**", W },
		{ "tools", "/srv/app/bin/*.sh", X },
		{ "elsewhere", "/srv/apps", X },
	};
	struct manifest_net any = net(CHARTER_NET_OUTBOUND, CHARTER_PROTO_TCP,
				      NET_ANY, 0, 443, 443);
	struct manifest m = {
		.file = "m.yml", .name = "x", .paths = paths, .path_count = 3,
		.nets = &any, .net_count = 1,
	};
	struct explanation e;
	char *grants, *warnings;

	(void)state;
	explain(&m, &e, &grants, &warnings);
	assert_non_null(strstr(warnings, "write (/srv/app/**, entry 'data') and run (/srv/app/bin/*.sh, entry 'tools') reach the same files"));
	/* /srv/apps is beside /srv/app, not beneath it. */
	assert_null(strstr(warnings, "'elsewhere'"));
	assert_non_null(strstr(warnings, "any address: network entry 'n'"));
	explanation_free(&e);
	free(grants);
	free(warnings);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_weights),
		cmocka_unit_test(net_weights),
		cmocka_unit_test(device_weights),
		cmocka_unit_test(words_and_score),
		cmocka_unit_test(bounds),
		cmocka_unit_test(write_and_run_overlap),
	};

	return cmocka_run_group_tests_name("explain", tests, NULL, NULL);
}
