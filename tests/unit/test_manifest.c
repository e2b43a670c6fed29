// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the manifest reader (userspace/manifest.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "manifest.h"
#include "uapi/charter.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

/* Parse @yaml as "t.yml" in directory "/base", UNC shares from a fixture. */
static int parse(const char *yaml, struct manifest *m, struct diag *d)
{
	static const struct manifest_source src = {
		.file = "t.yml",
		.dir = "/base",
		.mounts = FIXTURES "/mounts",
	};

	memset(d, 0, sizeof(*d));
	return manifest_parse(&src, (const unsigned char *)yaml, strlen(yaml), m, d);
}

/* Is there a diagnostic that starts with @prefix and contains @text? */
static int has_diag(const struct diag *d, const char *prefix, const char *text)
{
	for (size_t i = 0; i < d->count; i++)
		if (!strncmp(d->msgs[i], prefix, strlen(prefix)) &&
		    strstr(d->msgs[i], text))
			return 1;
	return 0;
}

static void dump(const struct diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		print_message("  diag: %s\n", d->msgs[i]);
}

#define EXPECT_DIAG(d, prefix, text)                 \
	do {                                          \
		if (!has_diag(d, prefix, text))       \
			dump(d);                      \
		assert_true(has_diag(d, prefix, text)); \
	} while (0)

static void valid_manifest(void **state)
{
	const char *yaml = "manifestVersion: v1\n"
			   "author: me\n"
			   "name: myApp\n"
			   "run: ./bin/../myapp\n"
			   "allowedDirectories:\n"
			   "  - name: appDir\n"
			   "    path: ./**/\n"
			   "    permission: read\n"
			   "  - name: out\n"
			   "    path: /var/lib/my//out/\n"
			   "    permission: readWrite\n";
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse(yaml, &m, &d), 0);
	assert_int_equal(d.count, 0);
	assert_string_equal(m.name, "myApp");
	assert_string_equal(m.author, "me");
	assert_string_equal(m.run, "/base/myapp");
	assert_false(m.has_hash);
	assert_true(m.baseline);
	assert_int_equal(m.path_count, 2);
	assert_string_equal(m.paths[0].name, "appDir");
	assert_string_equal(m.paths[0].pattern, "/base/**");
	assert_int_equal(m.paths[0].access, CHARTER_ACCESS_READ);
	assert_string_equal(m.paths[1].pattern, "/var/lib/my/out");
	assert_int_equal(m.paths[1].access, CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE);
	manifest_free(&m);
	diag_free(&d);
}

static void hash_forms(void **state)
{
	const char *hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	char yaml[512];
	struct manifest m;
	struct diag d;

	(void)state;
	snprintf(yaml, sizeof(yaml), "manifestVersion: v1\nname: a\nhash: sha256:%s\n", hex);
	assert_int_equal(parse(yaml, &m, &d), 0);
	assert_true(m.has_hash);
	assert_int_equal(m.hash[0], 0xba);
	assert_int_equal(m.hash[31], 0xad);
	manifest_free(&m);
	snprintf(yaml, sizeof(yaml), "manifestVersion: v1\nname: a\nhash: %s\n", hex);
	assert_int_equal(parse(yaml, &m, &d), 0);
	assert_true(m.has_hash);
	manifest_free(&m);

	assert_int_equal(parse("manifestVersion: v1\nname: a\nhash: sha256:12zz\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:3:7:", "expected sha256:<64 hex digits>");
	manifest_free(&m);
	diag_free(&d);
}

/* Every problem is reported, each at its own line and column. */
static void all_errors_with_positions(void **state)
{
	const char *yaml = "manifestVersion: v2\n"
			   "name: x\n"
			   "colour: blue\n"
			   "run: ./x\n"
			   "allowedDirectories:\n"
			   "  - name: a\n"
			   "    path: /a\n"
			   "    permission: readwrite\n"
			   "  - name: a\n"
			   "    path: /b\n"
			   "    permission: read\n"
			   "    extra: 1\n";
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse(yaml, &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:1:18:", "expected v1");
	EXPECT_DIAG(&d, "t.yml:3:1:", "unknown key 'colour' in a manifest (expected manifestVersion, author");
	EXPECT_DIAG(&d, "t.yml:8:17:", "permission 'readwrite' (expected read, write, execute, readWrite");
	EXPECT_DIAG(&d, "t.yml:9:5:", "duplicate entry name 'a' in allowedDirectories");
	EXPECT_DIAG(&d, "t.yml:12:5:", "unknown key 'extra'");
	assert_int_equal(d.count, 5);
	manifest_free(&m);
	diag_free(&d);
}

static void missing_fields(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("author: me\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:1:1:", "missing 'manifestVersion'");
	EXPECT_DIAG(&d, "t.yml:1:1:", "missing 'name'");
	EXPECT_DIAG(&d, "t.yml:1:1:", "missing 'run' or 'hash'");
	manifest_free(&m);
	diag_free(&d);

	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n  - name: d\n    path: /d\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:5:5:", "missing 'permission'");
	manifest_free(&m);
	diag_free(&d);
}

static void wrong_types(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: [a, b]\nrun: /x\n"
			       "allowedDirectories: /tmp\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:2:7:", "name must be a single value, not a list");
	EXPECT_DIAG(&d, "t.yml:4:21:", "allowedDirectories must be a list");
	manifest_free(&m);
	diag_free(&d);

	assert_int_equal(parse("- just\n- a list\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:1:1:", "a manifest must be a mapping with keys manifestVersion");
	manifest_free(&m);
	diag_free(&d);
}

static void duplicate_keys(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\nname: b\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:4:1:", "duplicate key 'name'");
	manifest_free(&m);
	diag_free(&d);
}

static void yaml_syntax_error(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: [unclosed\n", &m, &d), -1);
	assert_int_equal(d.count, 1);
	EXPECT_DIAG(&d, "t.yml:3:1:", "YAML:");
	manifest_free(&m);
	diag_free(&d);
}

static void bad_glob(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n  - name: d\n    path: /srv/a**/data\n"
			       "    permission: read\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:6:11:", "'**' must be a whole path component");
	manifest_free(&m);
	diag_free(&d);
}


static void permissions(void **state)
{
	static const struct { const char *yaml; uint32_t access; } cases[] = {
		{ "read", CHARTER_ACCESS_READ },
		{ "write", CHARTER_ACCESS_WRITE },
		{ "execute", CHARTER_ACCESS_EXECUTE },
		{ "readWrite", CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE },
		{ "readExecute", CHARTER_ACCESS_READ | CHARTER_ACCESS_EXECUTE },
		{ "readWriteExecute", CHARTER_ACCESS_ALL },
		{ "[read, execute]", CHARTER_ACCESS_READ | CHARTER_ACCESS_EXECUTE },
		{ "[write]", CHARTER_ACCESS_WRITE },
	};
	char yaml[256];
	struct manifest m;
	struct diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(yaml, sizeof(yaml), "manifestVersion: v1\nname: a\nrun: /x\n"
			 "allowedDirectories:\n  - name: d\n    path: /d\n    permission: %s\n",
			 cases[i].yaml);
		assert_int_equal(parse(yaml, &m, &d), 0);
		assert_int_equal(m.paths[0].access, cases[i].access);
		manifest_free(&m);
		diag_free(&d);
	}
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n  - name: d\n    path: /d\n"
			       "    permission: [read, readWrite, read]\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:7:24:", "permission 'readWrite' in a list (expected read, write or execute)");
	EXPECT_DIAG(&d, "t.yml:7:35:", "permission 'read' given twice");
	manifest_free(&m);
	diag_free(&d);
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n  - name: d\n    path: /d\n"
			       "    permission: []\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:7:17:", "non-empty list");
	manifest_free(&m);
	diag_free(&d);
}

static void path_globs(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n"
			       "  - {name: a, path: ./**/, permission: read}\n"
			       "  - {name: b, path: /srv/*/data/, permission: read}\n"
			       "  - {name: c, path: 'logs/**/*.lo?', permission: write}\n"
			       "  - {name: d, path: /, permission: read}\n", &m, &d), 0);
	assert_int_equal(m.path_count, 4);
	assert_string_equal(m.paths[0].pattern, "/base/**");
	assert_string_equal(m.paths[1].pattern, "/srv/*/data");
	assert_string_equal(m.paths[2].pattern, "/base/logs/**/*.lo?");
	assert_string_equal(m.paths[3].pattern, "/");
	manifest_free(&m);
	diag_free(&d);
}

static void unc_paths(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n"
			       "  - name: a\n    path: \\\\EnvGeoServer\\Repository\\Tools\\admin\\\n    permission: read\n"
			       "  - name: b\n    path: \\\\ENVGEOSERVER\\repository\n    permission: read\n"
			       "  - name: c\n    path: \\\\files\\Public\\Team A\\docs\n    permission: read\n",
			       &m, &d), 0);
	assert_string_equal(m.paths[0].pattern, "/mnt/repo/Tools/admin");
	assert_string_equal(m.paths[1].pattern, "/mnt/repo");
	assert_string_equal(m.paths[2].pattern, "/mnt/team a/docs");
	manifest_free(&m);
	diag_free(&d);

	/* Not mounted (an nfs mount of the same name does not count). */
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n"
			       "  - name: a\n    path: \\\\nfs\\share\\x\n    permission: read\n"
			       "  - name: b\n    path: \\\\lonely\n    permission: read\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:6:11:", "the share //nfs/share is not mounted (no cifs mount of it in");
	EXPECT_DIAG(&d, "t.yml:6:11:", "mount -t cifs //nfs/share");
	EXPECT_DIAG(&d, "t.yml:9:11:", "must name a server and a share");
	manifest_free(&m);
	diag_free(&d);
}

static void network(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedNetwork:\n"
			       "  - {name: web, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: 8080}\n"
			       "  - {name: api, direction: outbound, ip: 10.1.0.0/16, protocol: tcp, port: 8000-8099}\n"
			       "  - {name: dns, direction: outbound, ip: 'fd00::/8', protocol: udp}\n"
			       "  - {name: lo, direction: inbound, ip: localhost, protocol: udp, port: 53}\n"
			       "  - {name: all, direction: outbound, ip: any, protocol: tcp, port: 443}\n"
			       "  - {name: map, direction: outbound, ip: '::ffff:192.168.1.0/120', protocol: tcp}\n",
			       &m, &d), 0);
	assert_int_equal(m.net_count, 6);
	assert_int_equal(m.nets[0].direction, CHARTER_NET_INBOUND);
	assert_int_equal(m.nets[0].protocol, CHARTER_PROTO_TCP);
	assert_int_equal(m.nets[0].family, CHARTER_FAMILY_INET);
	assert_int_equal(m.nets[0].prefix, 32);
	assert_memory_equal(m.nets[0].addr, "\x7f\0\0\x01", 4);
	assert_int_equal(m.nets[0].port_min, 8080);
	assert_int_equal(m.nets[0].port_max, 8080);
	assert_int_equal(m.nets[1].prefix, 16);
	assert_int_equal(m.nets[1].port_min, 8000);
	assert_int_equal(m.nets[1].port_max, 8099);
	assert_int_equal(m.nets[2].family, CHARTER_FAMILY_INET6);
	assert_int_equal(m.nets[2].prefix, 8);
	assert_int_equal(m.nets[2].addr[0], 0xfd);
	assert_int_equal(m.nets[2].port_min, 0);
	assert_int_equal(m.nets[2].port_max, 65535);
	assert_int_equal(m.nets[3].scope, NET_LOCALHOST);
	assert_int_equal(m.nets[4].scope, NET_ANY);
	/* A v4-mapped v6 network is the v4 network. */
	assert_int_equal(m.nets[5].family, CHARTER_FAMILY_INET);
	assert_int_equal(m.nets[5].prefix, 24);
	assert_memory_equal(m.nets[5].addr, "\xc0\xa8\x01\0", 4);
	manifest_free(&m);
	diag_free(&d);
}

static void network_errors(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedNetwork:\n"
			       "  - {name: a, direction: sideways, ip: 1.2.3.4, protocol: sctp, port: 70000}\n"
			       "  - {name: b, direction: inbound, ip: 10.0.0.1/8, protocol: tcp, port: 90-80}\n"
			       "  - {name: c, direction: inbound, ip: 300.1.1.1, protocol: tcp}\n"
			       "  - {name: d, direction: inbound, ip: 10.0.0.0/33, protocol: tcp}\n"
			       "  - {name: a, direction: inbound, protocol: tcp, colour: red}\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:5:26:", "direction 'sideways' (expected inbound or outbound)");
	EXPECT_DIAG(&d, "t.yml:5:59:", "protocol 'sctp' (expected tcp or udp)");
	EXPECT_DIAG(&d, "t.yml:5:71:", "port '70000' (expected a number 0-65535 or a range");
	EXPECT_DIAG(&d, "t.yml:6:39:", "ip '10.0.0.1/8' has bits set past its /8 prefix");
	EXPECT_DIAG(&d, "t.yml:6:72:", "port range '90-80' is empty");
	EXPECT_DIAG(&d, "t.yml:7:39:", "ip '300.1.1.1' (expected an IPv4 or IPv6 address");
	EXPECT_DIAG(&d, "t.yml:8:39:", "prefix length must be 0 to 32");
	EXPECT_DIAG(&d, "t.yml:9:5:", "allowedNetwork entry: missing 'ip'");
	EXPECT_DIAG(&d, "t.yml:9:50:", "unknown key 'colour' in an allowedNetwork entry");
	EXPECT_DIAG(&d, "t.yml:9:5:", "duplicate entry name 'a' in allowedNetwork");
	assert_int_equal(d.count, 10);
	manifest_free(&m);
	diag_free(&d);
}

static void devices(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDevices: [keyboard, mouse, joystick, audioOut, audioIn,"
			       " display, gpu, camera, serial, usb, storage, wayland, x11]\n", &m, &d), 0);
	assert_int_equal(m.devices, CHARTER_DEV_ALL);
	manifest_free(&m);
	diag_free(&d);
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDevices:\n  - mouse\n  - printer\n  - mouse\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:6:5:", "device class 'printer' (expected keyboard, mouse");
	EXPECT_DIAG(&d, "t.yml:7:5:", "device class 'mouse' given twice");
	manifest_free(&m);
	diag_free(&d);
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\nallowedDevices: mouse\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:4:17:", "allowedDevices must be a list of device classes");
	manifest_free(&m);
	diag_free(&d);
}

static void baseline_and_placeholder(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: ./a\nbaseline: none\n"
			       "hash: <executable_file_hash> # optional\n", &m, &d), 0);
	assert_false(m.baseline);
	assert_false(m.has_hash);
	assert_int_equal(d.count, 1);
	EXPECT_DIAG(&d, "t.yml:5:7:", "warning: hash '<executable_file_hash>' is a placeholder");
	manifest_free(&m);
	diag_free(&d);
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: ./a\nbaseline: minimal\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:4:11:", "baseline 'minimal' (expected default or none)");
	manifest_free(&m);
	diag_free(&d);
}

/* The proposal's own example, byte for byte, with and without its share. */
static void proposal_example(void **state)
{
	static const struct manifest_source mounted = {
		.file = FIXTURES "/proposal/myapp.yml",
		.dir = "/opt/myapp",
		.mounts = FIXTURES "/mounts",
	};
	struct manifest_source unmounted = mounted;
	unsigned char buf[4096];
	struct manifest m;
	struct diag d = { 0 };
	FILE *f = fopen(FIXTURES "/proposal/myapp.yml", "rb");
	size_t len;

	(void)state;
	assert_non_null(f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(manifest_parse(&mounted, buf, len, &m, &d), 0);
	assert_string_equal(m.name, "myApp");
	assert_string_equal(m.author, "myCompany");
	assert_string_equal(m.run, "/opt/myapp/myapp");
	assert_int_equal(m.path_count, 2);
	assert_string_equal(m.paths[0].pattern, "/opt/myapp/**");
	assert_int_equal(m.paths[0].access, CHARTER_ACCESS_READ);
	assert_string_equal(m.paths[1].pattern, "/mnt/repo/Tools/admin");
	assert_int_equal(m.paths[1].access, CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE);
	assert_int_equal(m.net_count, 1);
	assert_int_equal(m.nets[0].port_min, 8080);
	assert_int_equal(m.devices, CHARTER_DEV_BIT(CHARTER_DEV_MOUSE) |
				    CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) |
				    CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_OUT) |
				    CHARTER_DEV_BIT(CHARTER_DEV_DISPLAY));
	manifest_free(&m);
	diag_free(&d);

	unmounted.mounts = FIXTURES "/mounts-empty";
	assert_int_equal(manifest_parse(&unmounted, buf, len, &m, &d), -1);
	EXPECT_DIAG(&d, FIXTURES "/proposal/myapp.yml:12:11:",
		    "the share //EnvGeoServer/Repository is not mounted");
	manifest_free(&m);
	diag_free(&d);
}

/* Issue 13: no value is cut short or read as something else. */
static void values_whole(void **state)
{
	static const char *const bad_ips[] = {
		"0.0.0.0/0000000000000000000000000000000000000000001",
		"10.0.0.0/08", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/",
		"::/0128", "0000000000000000000000000000000000000000000000000001.0.0.0/8",
		"1.2.3.4/32/1",
	};
	char yaml[512];
	struct manifest m;
	struct diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_ips) / sizeof(bad_ips[0]); i++) {
		snprintf(yaml, sizeof(yaml), "manifestVersion: v1\nname: a\nrun: /x\n"
			 "allowedNetwork:\n"
			 "  - {name: n, direction: outbound, ip: \"%s\", protocol: tcp}\n",
			 bad_ips[i]);
		if (parse(yaml, &m, &d) != -1)
			print_message("  accepted: %s\n", bad_ips[i]);
		assert_int_equal(parse(yaml, &m, &d), -1);
		EXPECT_DIAG(&d, "t.yml:5:40:", "ip '");
		manifest_free(&m);
		diag_free(&d);
	}
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\nallowedNetwork:\n"
			       "  - {name: n, direction: outbound, ip: 0.0.0.0/0, protocol: tcp, port: 0}\n"
			       "  - {name: o, direction: outbound, ip: '::/128', protocol: tcp, port: 0080}\n"
			       "  - {name: p, direction: outbound, ip: '::/128', protocol: tcp, port: 80-0090}\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:6:71:", "port '0080' (expected a number 0-65535");
	EXPECT_DIAG(&d, "t.yml:7:71:", "port '80-0090' (expected a number 0-65535");
	assert_int_equal(d.count, 2);
	assert_int_equal(m.nets[0].prefix, 0);
	manifest_free(&m);
	diag_free(&d);
}

/* Issue 13: a NUL or a control character never reaches a string. */
static void no_nul_or_control(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: \"na\\u0000me\"\nrun: /x\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:2:7:", "name contains a NUL character U+0000 at byte 3");
	manifest_free(&m);
	diag_free(&d);
	assert_int_equal(parse("manifestVersion: v1\nname: a\nauthor: \"me\\nt.yml:1:1: forged\"\n"
			       "run: \"/x\\0/y\"\nallowedDirectories:\n"
			       "  - {name: d, path: \"/srv\\u0085x\", permission: \"read\\0x\"}\n"
			       "  - {name: e, path: \"/srv\\x1b[2J\", permission: read}\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:3:9:", "author contains the control character U+000A at byte 3");
	EXPECT_DIAG(&d, "t.yml:4:6:", "run contains a NUL character");
	EXPECT_DIAG(&d, "t.yml:6:21:", "path contains the control character U+0085");
	EXPECT_DIAG(&d, "t.yml:6:48:", "permission contains a NUL character");
	EXPECT_DIAG(&d, "t.yml:7:21:", "path contains the control character U+001B");
	assert_int_equal(d.count, 5);
	manifest_free(&m);
	diag_free(&d);
	/* Printable UTF-8 is free text. */
	assert_int_equal(parse("manifestVersion: v1\nname: a\nauthor: \"Zoë Ünal, 株式会社\"\nrun: /x\n",
			       &m, &d), 0);
	assert_string_equal(m.author, "Zoë Ünal, 株式会社");
	manifest_free(&m);
	diag_free(&d);
}

static void name_charset(void **state)
{
	static const char *const bad[] = {
		"my app", "-x", ".hidden", "a/b", "caf\xc3\xa9", "a:b", "\"\"", "x*",
	};
	char yaml[512], longname[CHARTER_NAME_MAX + 2];
	struct manifest m;
	struct diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(yaml, sizeof(yaml), "manifestVersion: v1\nname: '%s'\nrun: /x\n", bad[i]);
		assert_int_equal(parse(yaml, &m, &d), -1);
		EXPECT_DIAG(&d, "t.yml:2:7:", "(expected 1 to 255 characters of A-Z");
		manifest_free(&m);
		diag_free(&d);
	}
	assert_int_equal(parse("manifestVersion: v1\nname: Web_Server-2.0+x\nrun: /x\n"
			       "allowedDirectories:\n  - {name: 'a b', path: /srv, permission: read}\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:5:12:", "name 'a b' (expected");
	assert_int_equal(d.count, 1);
	assert_string_equal(m.name, "Web_Server-2.0+x");
	manifest_free(&m);
	diag_free(&d);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	snprintf(yaml, sizeof(yaml), "manifestVersion: v1\nname: %s\nrun: /x\n", longname);
	assert_int_equal(parse(yaml, &m, &d), -1);
	manifest_free(&m);
	diag_free(&d);
	longname[CHARTER_NAME_MAX] = '\0';
	snprintf(yaml, sizeof(yaml), "manifestVersion: v1\nname: %s\nrun: /x\n", longname);
	assert_int_equal(parse(yaml, &m, &d), 0);
	manifest_free(&m);
	diag_free(&d);
}

static void second_document(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n---\n"
			       "manifestVersion: v1\nname: b\nrun: /y\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:4:1:", "a second YAML document");
	manifest_free(&m);
	diag_free(&d);
	/* One document, explicitly started and ended, is fine. */
	assert_int_equal(parse("---\nmanifestVersion: v1\nname: a\nrun: /x\n...\n", &m, &d), 0);
	manifest_free(&m);
	diag_free(&d);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 200,000 '[' took minutes (quadratic in libyaml): refused at depth 33. */
static void deep_nesting(void **state)
{
	static const char *const openers = "[{";
	size_t len = 400000;
	char *yaml = malloc(len + 1);
	struct manifest m;
	struct diag d;

	(void)state;
	assert_non_null(yaml);
	for (int k = 0; k < 2; k++) {
		double t0 = seconds();

		memset(yaml, openers[k], len);
		yaml[len] = '\0';
		assert_int_equal(parse(yaml, &m, &d), -1);
		assert_true(seconds() - t0 < 5.0);
		EXPECT_DIAG(&d, "t.yml:1:33:", "nested deeper than 32 levels");
		manifest_free(&m);
		diag_free(&d);
	}
	/* 400,000 nested on separate lines, and an unknown key deep down. */
	for (size_t i = 0; i < len / 2; i++) {
		yaml[2 * i] = '[';
		yaml[2 * i + 1] = '\n';
	}
	yaml[len] = '\0';
	assert_int_equal(parse(yaml, &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:33:1:", "nested deeper than 32 levels");
	manifest_free(&m);
	diag_free(&d);
	free(yaml);
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "x: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:4:1:", "unknown key 'x'");
	manifest_free(&m);
	diag_free(&d);
}

/* Issue 13: what a shell would expand, climbing out, the whole filesystem. */
static void path_meanings(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: ~/bin/app\n"
			       "allowedDirectories:\n"
			       "  - {name: a, path: ~/Documents, permission: read}\n"
			       "  - {name: b, path: $HOME/x, permission: read}\n"
			       "  - {name: c, path: '${XDG_DATA_HOME}/x', permission: read}\n"
			       "  - {name: d, path: 'C:\\Users\\me', permission: read}\n"
			       "  - {name: e, path: 'docs\\notes', permission: read}\n"
			       "  - {name: f, path: ../../.., permission: readWriteExecute}\n"
			       "  - {name: g, path: ./a/../../b, permission: read}\n"
			       "  - {name: h, path: /srv/price$5, permission: read}\n"
			       "  - {name: i, path: ./a/../b/.., permission: read}\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:3:6:", "run '~/bin/app' starts with '~': no shell expansion");
	EXPECT_DIAG(&d, "t.yml:5:21:", "path '~/Documents' starts with '~'");
	EXPECT_DIAG(&d, "t.yml:6:21:", "contains a variable ('$')");
	EXPECT_DIAG(&d, "t.yml:7:21:", "contains a variable ('$')");
	EXPECT_DIAG(&d, "t.yml:8:21:", "is a Windows drive path");
	EXPECT_DIAG(&d, "t.yml:9:21:", "contains a backslash");
	EXPECT_DIAG(&d, "t.yml:10:21:", "path '../../..' climbs above the manifest's directory");
	EXPECT_DIAG(&d, "t.yml:11:21:", "path './a/../../b' climbs above");
	/* '..' is refused anywhere, even where it stays inside. */
	EXPECT_DIAG(&d, "t.yml:13:21:", "path './a/../b/..' has a '..' component");
	assert_int_equal(d.count, 9);
	assert_string_equal(m.paths[7].pattern, "/srv/price$5");
	manifest_free(&m);
	diag_free(&d);
	/* The whole filesystem is allowed, with a warning. */
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n"
			       "  - {name: a, path: /, permission: read}\n"
			       "  - {name: b, path: /**, permission: write}\n"
			       "  - {name: c, path: '/*/**', permission: execute}\n"
			       "  - {name: d, path: /srv/**, permission: readWriteExecute}\n"
			       "  - {name: e, path: /.///./, permission: readWrite}\n",
			       &m, &d), 0);
	EXPECT_DIAG(&d, "t.yml:5:21:", "warning: path '/' grants read on the whole filesystem");
	EXPECT_DIAG(&d, "t.yml:6:21:", "warning: path '/**' grants write on the whole filesystem");
	EXPECT_DIAG(&d, "t.yml:7:21:", "warning: path '/*/**' grants execute on the whole");
	EXPECT_DIAG(&d, "t.yml:9:21:", "warning: path '/' grants readWrite on the whole");
	assert_int_equal(d.count, 4);
	manifest_free(&m);
	diag_free(&d);
}

/*
 * Red team i13: '..' anywhere, wildcard-only first components, names of
 * the tool's own process, values folded over several lines.
 */
static void path_escapes(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n"
			       "  - {name: a, path: '/srv/*/../../etc', permission: read}\n"
			       "  - {name: b, path: '\\\\EnvGeoServer\\Repository\\..\\..\\root', permission: read}\n"
			       "  - {name: c, path: /proc/self/cwd, permission: read}\n"
			       "  - {name: d, path: /proc/thread-self/root, permission: read}\n"
			       "  - {name: e, path: /proc/1/root, permission: read}\n"
			       "  - {name: f, path: /dev/fd/3, permission: read}\n"
			       "  - {name: g, path: /dev/stdin, permission: read}\n"
			       "  - {name: h, path: '/proc/self/**', permission: read}\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:5:21:", "path '/srv/*/../../etc' has a '..' component");
	EXPECT_DIAG(&d, "t.yml:6:21:", "has a '..' component: it would climb out of the share");
	for (int line = 7; line <= 12; line++) {
		char at[16];

		snprintf(at, sizeof(at), "t.yml:%d:21:", line);
		EXPECT_DIAG(&d, at, "name the process that resolves them, here the charter tool");
	}
	assert_int_equal(d.count, 8);
	manifest_free(&m);
	diag_free(&d);

	/* /proc itself, and every process's entries as the kernel sees them. */
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n"
			       "  - {name: a, path: /proc, permission: read}\n"
			       "  - {name: b, path: '/proc/*/status', permission: read}\n"
			       "  - {name: c, path: '/?*', permission: read}\n"
			       "  - {name: d, path: '/*?/**', permission: read}\n"
			       "  - {name: e, path: '/\?\?\?', permission: read}\n"
			       "  - {name: f, path: '/*/shadow', permission: read}\n",
			       &m, &d), 0);
	EXPECT_DIAG(&d, "t.yml:7:21:", "warning: path '/?*' grants read on the whole filesystem");
	EXPECT_DIAG(&d, "t.yml:8:21:", "warning: path '/*?/**' grants read on the whole filesystem");
	EXPECT_DIAG(&d, "t.yml:9:21:", "warning: path '/\?\?\?' grants read on the whole filesystem");
	EXPECT_DIAG(&d, "t.yml:10:21:", "under every top-level directory of the whole filesystem");
	assert_int_equal(d.count, 4);
	manifest_free(&m);
	diag_free(&d);
}

/* No value spans two lines: YAML would join them with a space. */
static void one_line_values(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nauthor: \"two\n  lines\"\n"
			       "run: /x\n"
			       "allowedDirectories:\n"
			       "  - name: logs\n    path: /var/log/app\n      /../../../etc\n"
			       "    permission: read\n"
			       "  - name: b\n    path: |\n      /srv\n    permission: read\n"
			       "allowedDevices:\n  - mouse\n    keyboard\n",
			       &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:3:9:", "author is a value continued on the next line (to line 4)");
	EXPECT_DIAG(&d, "t.yml:8:11:", "path is a value continued on the next line");
	EXPECT_DIAG(&d, "t.yml:12:11:", "path is a value continued on the next line");
	EXPECT_DIAG(&d, "t.yml:16:5:", "a device class is a value continued on the next line");
	assert_int_equal(d.count, 4);
	manifest_free(&m);
	diag_free(&d);
}

/* A manifest in the manifests directory must name things absolutely. */
static void installed_manifest(void **state)
{
	static const struct manifest_source src = {
		.file = "/etc/charter/manifests.d/t.yml",
		.dir = "/etc/charter/manifests.d",
		.mounts = FIXTURES "/mounts",
		.installed_in = "/etc/charter/manifests.d",
	};
	const char *yaml = "manifestVersion: v1\nname: a\nrun: ./app\n"
			   "allowedDirectories:\n"
			   "  - {name: a, path: ./data, permission: read}\n"
			   "  - {name: b, path: /srv/data, permission: read}\n";
	struct manifest m;
	struct diag d = { 0 };

	(void)state;
	assert_int_equal(manifest_parse(&src, (const unsigned char *)yaml, strlen(yaml),
					&m, &d), -1);
	EXPECT_DIAG(&d, "/etc/charter/manifests.d/t.yml:3:6:",
		    "run './app' is relative, but this manifest lies in /etc/charter/manifests.d");
	EXPECT_DIAG(&d, "/etc/charter/manifests.d/t.yml:5:21:", "path './data' is relative");
	assert_int_equal(d.count, 2);
	manifest_free(&m);
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_manifest),
		cmocka_unit_test(hash_forms),
		cmocka_unit_test(all_errors_with_positions),
		cmocka_unit_test(missing_fields),
		cmocka_unit_test(wrong_types),
		cmocka_unit_test(duplicate_keys),
		cmocka_unit_test(yaml_syntax_error),
		cmocka_unit_test(bad_glob),
		cmocka_unit_test(permissions),
		cmocka_unit_test(path_globs),
		cmocka_unit_test(unc_paths),
		cmocka_unit_test(network),
		cmocka_unit_test(network_errors),
		cmocka_unit_test(devices),
		cmocka_unit_test(baseline_and_placeholder),
		cmocka_unit_test(proposal_example),
		cmocka_unit_test(values_whole),
		cmocka_unit_test(no_nul_or_control),
		cmocka_unit_test(name_charset),
		cmocka_unit_test(second_document),
		cmocka_unit_test(deep_nesting),
		cmocka_unit_test(path_meanings),
		cmocka_unit_test(installed_manifest),
		cmocka_unit_test(path_escapes),
		cmocka_unit_test(one_line_values),
	};

	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
