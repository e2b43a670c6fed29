// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: a compiled manifest read back from the blob
 * (blob_view_manifest(), for 'charter explain NAME') is the manifest that
 * was compiled, with the same explanation and score; blob_manifest_same()
 * (for 'charter run': is this very manifest loaded?) tells every change.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "blobview.h"
#include "compile.h"
#include "explain.h"
#include "input.h"
#include "uapi/charter.h"

static char dir[] = "/tmp/charter-blobview-XXXXXX";

static void put(const char *name, const char *text)
{
	char *path;
	FILE *f;

	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static const char wide[] =
	"manifestVersion: v1\n"
	"author: tests\n"
	"name: wide\n"
	"run: ./link\n"
	"%s"
	"allowedDirectories:\n"
	"  - {name: data, path: /srv/data/**/, permission: read}\n"
	"  - {name: logs, path: /var/log/wide/*.log, permission: readWrite}\n"
	"  - {name: etc, path: /etc/wide, permission: write}\n"
	"allowedNetwork:\n"
	"  - {name: lo, direction: inbound, ip: localhost, protocol: tcp, port: 8080}\n"
	"  - {name: web, direction: outbound, ip: any, protocol: tcp, port: 443}\n"
	"  - {name: lan, direction: outbound, ip: 10.0.0.0/8, protocol: udp, port: 1000-2000}\n"
	"  - {name: v6, direction: inbound, ip: '2001:db8::/32', protocol: udp}\n"
	"  - {name: one, direction: outbound, ip: 127.0.0.1, protocol: tcp, port: 25}\n"
	"allowedDevices: [keyboard, camera]\n";

static int setup(void **state)
{
	char *text;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put("prog", "#!/bin/true\nnot run, only hashed\n");
	assert_true(asprintf(&text, "%s/link", dir) > 0);
	assert_int_equal(symlink("prog", text), 0);
	free(text);
	assert_true(asprintf(&text, wide, "") > 0);
	put("wide.yml", text);
	free(text);
	put("bare.yml", "manifestVersion: v1\nname: bare\nrun: ./prog\nbaseline: none\n");
	return 0;
}

static int teardown(void **state)
{
	char *cmd;

	(void)state;
	assert_true(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

/* Manifest file @name of the test directory, parsed, and its blob. */
static void compile_one(const char *name, struct manifest *m, uint8_t **blob, size_t *len)
{
	struct input_options o = { .allow_unsigned = 1, .mounts = "/proc/self/mounts" };
	struct manifest *ms = NULL;
	struct diag d = { 0 };
	size_t count = 0;
	char *arg;

	assert_true(asprintf(&arg, "%s/%s", dir, name) > 0);
	assert_int_equal(input_read(&arg, 1, &o, &ms, &count, &d), 0);
	assert_int_equal(count, 1);
	assert_int_equal(compile_blob(ms, 1, &d, blob, len), 0);
	diag_free(&d);
	*m = ms[0];
	free(ms);
	free(arg);
}

static char *explained(const struct manifest *m, double *score)
{
	struct explanation e;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(explain_manifest(m, &e), 0);
	explain_print(f, m, &e, 0);
	fclose(f);
	*score = e.score;
	explanation_free(&e);
	return text;
}

static void assert_same_manifest(const struct manifest *a, const struct manifest *b)
{
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->run, b->run);
	assert_int_equal(a->baseline, b->baseline);
	assert_int_equal(a->devices, b->devices);
	assert_int_equal(a->has_hash, b->has_hash);
	assert_int_equal(a->path_count, b->path_count);
	for (size_t i = 0; i < a->path_count; i++) {
		assert_string_equal(a->paths[i].name, b->paths[i].name);
		assert_string_equal(a->paths[i].pattern, b->paths[i].pattern);
		assert_int_equal(a->paths[i].access, b->paths[i].access);
	}
	assert_int_equal(a->net_count, b->net_count);
	for (size_t i = 0; i < a->net_count; i++) {
		const struct manifest_net *x = &a->nets[i], *y = &b->nets[i];

		assert_string_equal(x->name, y->name);
		assert_int_equal(x->scope, y->scope);
		assert_int_equal(x->direction, y->direction);
		assert_int_equal(x->protocol, y->protocol);
		assert_int_equal(x->port_min, y->port_min);
		assert_int_equal(x->port_max, y->port_max);
		if (x->scope == NET_ADDR) {
			assert_int_equal(x->family, y->family);
			assert_int_equal(x->prefix, y->prefix);
			assert_memory_equal(x->addr, y->addr, 16);
		}
	}
}

/* Every kind of grant comes back as written, and explains the same. */
static void read_back_explains_the_same(void **state)
{
	struct manifest m, back;
	struct blob_view v;
	struct diag d = { 0 };
	uint8_t *blob;
	size_t len;
	double s1, s2;
	char *t1, *t2;

	(void)state;
	compile_one("wide.yml", &m, &blob, &len);
	assert_int_equal(blob_view_open(&v, blob, len, &d), 0);
	assert_int_equal(blob_find_manifest(&v, "wide"), 0);
	assert_int_equal(blob_find_manifest(&v, "WIDE"), -1);
	assert_int_equal(blob_view_manifest(&v, 0, "loaded:wide", &back), 0);
	assert_string_equal(back.file, "loaded:wide");
	assert_string_equal(back.author, "tests");
	/* run as written (a symlink), the file it leads to as exe_path. */
	assert_non_null(strstr(back.run, "/link"));
	assert_non_null(strstr(back.exe_path, "/prog"));
	assert_true(back.identified);
	assert_true(back.baseline);
	assert_same_manifest(&m, &back);
	assert_int_equal(back.nets[0].scope, NET_LOCALHOST);
	assert_int_equal(back.nets[1].scope, NET_ANY);
	assert_int_equal(back.nets[4].prefix, 32);
	t1 = explained(&m, &s1);
	t2 = explained(&back, &s2);
	assert_float_equal(s1, s2, 1e-9);
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
	manifest_free(&back);
	manifest_free(&m);
	free(blob);
}

/* No baseline, no rules, and a pinned hash: as written, too. */
static void read_back_bare_and_pinned(void **state)
{
	struct manifest m, back;
	struct blob_view v;
	struct diag d = { 0 };
	uint8_t digest[32], *blob;
	uint64_t size;
	size_t len;
	char *path, *text, hex[65];

	(void)state;
	compile_one("bare.yml", &m, &blob, &len);
	assert_int_equal(blob_view_open(&v, blob, len, &d), 0);
	assert_int_equal(blob_view_manifest(&v, 0, "x", &back), 0);
	assert_false(back.baseline);
	assert_false(back.has_hash);
	assert_null(back.author);
	assert_same_manifest(&m, &back);
	manifest_free(&back);
	manifest_free(&m);
	free(blob);

	assert_true(asprintf(&path, "%s/prog", dir) > 0);
	assert_int_equal(sha256_file(path, digest, &size), 0);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", digest[i]);
	assert_true(asprintf(&text, "manifestVersion: v1\nname: pinned\nrun: ./prog\nhash: sha256:%s\n",
			     hex) > 0);
	put("pinned.yml", text);
	compile_one("pinned.yml", &m, &blob, &len);
	assert_int_equal(blob_view_open(&v, blob, len, &d), 0);
	assert_int_equal(blob_view_manifest(&v, 0, "x", &back), 0);
	assert_true(back.has_hash);
	assert_memory_equal(back.hash, digest, 32);
	assert_int_equal(back.exe_size, size);
	manifest_free(&back);
	manifest_free(&m);
	free(blob);
	free(text);
	free(path);
}

/* @yml compiled: is it the same manifest as wide.yml compiled? */
static int same_as_wide(const char *yml)
{
	struct manifest m1, m2;
	struct blob_view v1, v2;
	struct diag d = { 0 };
	uint8_t *b1, *b2;
	size_t l1, l2;
	int same;

	put("other.yml", yml);
	compile_one("wide.yml", &m1, &b1, &l1);
	compile_one("other.yml", &m2, &b2, &l2);
	assert_int_equal(blob_view_open(&v1, b1, l1, &d), 0);
	assert_int_equal(blob_view_open(&v2, b2, l2, &d), 0);
	same = blob_manifest_same(&v1, 0, &v2, 0);
	assert_int_equal(blob_manifest_same(&v2, 0, &v1, 0), same);
	manifest_free(&m1);
	manifest_free(&m2);
	free(b1);
	free(b2);
	return same;
}

static char *wide_with(const char *from, const char *to)
{
	char *text, *at;

	assert_true(asprintf(&text, wide, "") > 0);
	at = strstr(text, from);
	assert_non_null(at);
	assert_true(strlen(to) <= strlen(from));
	memcpy(at, to, strlen(to));
	memmove(at + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
	return text;
}

static void same_tells_every_change(void **state)
{
	static const char *const changes[][2] = {
		{ "author: tests", "author: other" },
		{ "path: /srv/data/**/", "path: /srv/dat/**/" },
		{ "name: data", "name: dat" },
		{ "permission: readWrite", "permission: write" },
		{ "port: 8080", "port: 8081" },
		{ "ip: 10.0.0.0/8", "ip: 11.0.0.0/8" },
		{ "ip: 10.0.0.0/8", "ip: 10.0.0.0/9" },
		{ "protocol: udp, port: 1000", "protocol: tcp, port: 1000" },
		{ "port: 1000-2000", "port: 1000-2001" },
		{ "direction: outbound, ip: any", "direction: inbound, ip: any" },
		{ "[keyboard, camera]", "[keyboard]" },
		{ "run: ./link", "run: ./prog" },
		{ "allowedDevices", "baseline: none\nallowedDevices" },
	};
	char *text;

	(void)state;
	assert_true(asprintf(&text, wide, "") > 0);
	assert_true(same_as_wide(text));
	free(text);
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		if (!strcmp(changes[i][0], "allowedDevices"))
			assert_true(asprintf(&text, wide, "baseline: none\n") > 0);
		else
			text = wide_with(changes[i][0], changes[i][1]);
		print_message("change: %s -> %s\n", changes[i][0], changes[i][1]);
		assert_false(same_as_wide(text));
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_back_explains_the_same),
		cmocka_unit_test(read_back_bare_and_pinned),
		cmocka_unit_test(same_tells_every_change),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
