// SPDX-License-Identifier: GPL-2.0
/* Unit tests: building blocks (userspace/blocks.c, use: in manifest.c). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "blocks.h"
#include "manifest.h"
#include "uapi/charter.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

/* Two search directories under one scratch directory, made per test. */
static char top[64], dir1[96], dir2[96];
static const char *dirs[2];
static const struct block_search search = { dirs, 2, 1 };

static int setup(void **state)
{
	(void)state;
	strcpy(top, "/tmp/charter-blocks-XXXXXX");
	if (!mkdtemp(top))
		return -1;
	snprintf(dir1, sizeof(dir1), "%s/one", top);
	snprintf(dir2, sizeof(dir2), "%s/two", top);
	dirs[0] = dir1;
	dirs[1] = dir2;
	return mkdir(dir1, 0755) || mkdir(dir2, 0755);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int parse(const char *yaml, struct manifest *m, struct diag *d)
{
	const struct manifest_source src = {
		.file = "t.yml", .dir = "/base", .mounts = FIXTURES "/mounts",
		.blocks = &search,
	};

	memset(d, 0, sizeof(*d));
	return manifest_parse(&src, (const unsigned char *)yaml, strlen(yaml), m, d);
}

static int has_diag(const struct diag *d, const char *prefix, const char *text)
{
	for (size_t i = 0; i < d->count; i++)
		if (!strncmp(d->msgs[i], prefix, strlen(prefix)) && strstr(d->msgs[i], text))
			return 1;
	return 0;
}

#define EXPECT_DIAG(d, prefix, text)                                     \
	do {                                                              \
		if (!has_diag(d, prefix, text))                           \
			for (size_t i_ = 0; i_ < (d)->count; i_++)        \
				print_message("  diag: %s\n", (d)->msgs[i_]); \
		assert_true(has_diag(d, prefix, text));                   \
	} while (0)

static const char *const net_block =
	"block: net\n"
	"description: DNS\n"
	"allowedNetwork:\n"
	"  - {name: dns, direction: outbound, ip: any, protocol: udp, port: \"53\"}\n"
	"allowedDevices: [serial]\n";

static const char *const files_block =
	"block: files\n"
	"description: a file\n"
	"allowedDirectories:\n"
	"  - {name: hosts, path: /etc/hosts, permission: read}\n"
	"  - {name: tmp, path: \"/tmp/${name}-*\", permission: readWrite}\n";

#define HEAD "manifestVersion: v1\nname: app\nrun: /bin/true\n"

/* use: a list; the rules are the manifest's, after its own, named BLOCK/ENTRY. */
static void use_list(void **state)
{
	struct manifest m;
	struct diag d;
	char file[128];

	(void)state;
	write_file(dir1, "files.yml", files_block);
	write_file(dir2, "net.yml", net_block);
	assert_int_equal(parse(HEAD "allowedDirectories:\n"
			       "  - {name: own, path: /srv, permission: read}\n"
			       "allowedDevices: [keyboard]\n"
			       "use: [files, net]\n", &m, &d), 0);
	assert_int_equal(m.path_count, 3);
	assert_string_equal(m.paths[0].name, "own");
	assert_null(m.paths[0].block);
	assert_string_equal(m.paths[1].name, "files/hosts");
	assert_string_equal(m.paths[1].pattern, "/etc/hosts");
	assert_int_equal(m.paths[1].access, CHARTER_ACCESS_READ);
	assert_string_equal(m.paths[1].block, "files");
	/* ${name}: the manifest's name. */
	assert_string_equal(m.paths[2].pattern, "/tmp/app-*");
	assert_int_equal(m.net_count, 1);
	assert_string_equal(m.nets[0].name, "net/dns");
	assert_string_equal(m.nets[0].block, "net");
	assert_int_equal(m.nets[0].port_min, 53);
	/* Device classes OR'd. */
	assert_int_equal(m.devices, CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) |
			 CHARTER_DEV_BIT(CHARTER_DEV_SERIAL));
	assert_int_equal(m.use_count, 2);
	assert_string_equal(m.uses[0].name, "files");
	snprintf(file, sizeof(file), "%s/files.yml", dir1);
	assert_string_equal(m.uses[0].file, file);
	assert_string_equal(m.uses[0].description, "a file");
	assert_int_equal(m.uses[1].devices, CHARTER_DEV_BIT(CHARTER_DEV_SERIAL));
	assert_int_equal(m.uses[1].at.line, 7);
	manifest_free(&m);
	diag_free(&d);
}

/* use: one name as a scalar. */
static void use_scalar(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	write_file(dir2, "net.yml", net_block);
	assert_int_equal(parse(HEAD "use: net\n", &m, &d), 0);
	assert_int_equal(m.use_count, 1);
	assert_int_equal(m.net_count, 1);
	assert_string_equal(m.nets[0].name, "net/dns");
	manifest_free(&m);
	diag_free(&d);
}

/* The first directory of the search path that has NAME.yml wins. */
static void search_order(void **state)
{
	const char *list[BLOCKS_MAX_DIRS];
	struct block_search with_defaults = { dirs, 2, 0 };
	struct manifest m;
	struct diag d;

	(void)state;
	write_file(dir2, "files.yml", files_block);
	write_file(dir1, "files.yml", "block: files\ndescription: first\n"
		   "allowedDirectories:\n  - {name: first, path: /first, permission: read}\n");
	assert_int_equal(parse(HEAD "use: files\n", &m, &d), 0);
	assert_int_equal(m.path_count, 1);
	assert_string_equal(m.paths[0].name, "files/first");
	manifest_free(&m);
	diag_free(&d);
	/* --blocks first, then the administrator's, then the shipped ones. */
	assert_int_equal(blocks_dirs(&with_defaults, list), 4);
	assert_string_equal(list[0], dir1);
	assert_string_equal(list[1], dir2);
	assert_string_equal(list[2], "/etc/charter/blocks");
	assert_string_equal(list[3], "/usr/share/charter/blocks");
	assert_int_equal(blocks_dirs(NULL, list), 2);
	assert_string_equal(list[0], BLOCKS_LOCAL_DIR);
}

/* Unknown, badly named, repeated, wrongly typed: at the manifest's position. */
static void use_errors(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	write_file(dir2, "net.yml", net_block);
	assert_int_equal(parse(HEAD "use: [nope, net, net, ../x, [a]]\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:4:7:", "unknown block 'nope': no nope.yml in");
	EXPECT_DIAG(&d, "t.yml:4:7:", dir2);
	EXPECT_DIAG(&d, "t.yml:4:18:", "block 'net' is used twice (first at 4:13)");
	EXPECT_DIAG(&d, "t.yml:4:23:", "block name '../x'");
	EXPECT_DIAG(&d, "t.yml:4:29:", "a block name must be a single value, not a list");
	manifest_free(&m);
	diag_free(&d);
	assert_int_equal(parse(HEAD "use: {net: 1}\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:4:6:", "use must be a block name or a list of block names");
	manifest_free(&m);
	diag_free(&d);
}

/* A bad block file: its own file:line:column, and the use refused. */
static void block_file_errors(void **state)
{
	struct manifest m;
	struct diag d;
	char at[160];

	(void)state;
	write_file(dir1, "bad.yml", "block: bad\ndescription: x\n"
		   "allowedDirectories:\n  - {name: a, path: /a, permission: fly}\n"
		   "allowedNetwork: [}\n");
	assert_int_equal(parse(HEAD "use: [bad]\n", &m, &d), -1);
	snprintf(at, sizeof(at), "%s/bad.yml:5:", dir1);
	EXPECT_DIAG(&d, at, "YAML: ");
	EXPECT_DIAG(&d, "t.yml:4:7:", "block 'bad' (");
	manifest_free(&m);
	diag_free(&d);

	write_file(dir1, "bad.yml", "block: other\n"
		   "allowedDirectories:\n  - {name: a, path: /a, permission: fly}\n"
		   "  - {name: r, path: relative, permission: read}\n"
		   "  - {name: v, path: \"/x/${HOME}\", permission: read}\n"
		   "run: /bin/sh\n");
	assert_int_equal(parse(HEAD "use: [bad]\n", &m, &d), -1);
	snprintf(at, sizeof(at), "%s/bad.yml:", dir1);
	EXPECT_DIAG(&d, at, "1:8: block 'other' is in the file of block 'bad'");
	EXPECT_DIAG(&d, at, "1:1: missing 'description'");
	EXPECT_DIAG(&d, at, "3:37: permission 'fly'");
	EXPECT_DIAG(&d, at, "4:21: path 'relative' is relative: a block's paths must be absolute");
	EXPECT_DIAG(&d, at, "5:21: path '/x/${HOME}' has '${' other than ${name}");
	EXPECT_DIAG(&d, at, "6:1: unknown key 'run' in a block");
	EXPECT_DIAG(&d, "t.yml:4:7:", "cannot be used");
	assert_int_equal(m.use_count, 0);
	manifest_free(&m);
	diag_free(&d);
}

/* ${name} needs a manifest name; the load API refuses it without one. */
static void substitution(void **state)
{
	struct block b;
	struct diag d = { 0 };

	(void)state;
	write_file(dir1, "files.yml", files_block);
	assert_int_equal(block_load(&search, "files", "web.1", NULL, &b, &d), 0);
	assert_int_equal(b.path_count, 2);
	assert_string_equal(b.paths[1].pattern, "/tmp/web.1-*");
	assert_string_equal(b.paths[1].name, "files/tmp");
	assert_string_equal(b.paths[1].block, b.name);
	block_free(&b);
	assert_int_equal(block_load(&search, "files", NULL, NULL, &b, &d), -1);
	assert_true(has_diag(&d, dir1, "uses ${name}, but the manifest using the block has no valid name"));
	block_free(&b);
	assert_int_equal(block_load(&search, "absent", "x", NULL, &b, &d), 1);
	block_free(&b);
	diag_free(&d);
}

/* Not root's, or writable by others, or in such a directory: refused. */
static void owner_and_mode(void **state)
{
	char path[160], why[512];
	struct manifest m;
	struct diag d;

	(void)state;
	if (geteuid())
		skip();
	write_file(dir2, "net.yml", net_block);
	snprintf(path, sizeof(path), "%s/net.yml", dir2);
	assert_int_equal(block_file_trusted(path, 0, why, sizeof(why)), 0);

	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_int_equal(block_file_trusted(path, 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "is owned by uid 65534, not root"));
	/* A user's own file, for that user's tool: their business. */
	assert_int_equal(block_file_trusted(path, 65534, why, sizeof(why)), 0);
	assert_int_equal(parse(HEAD "use: net\n", &m, &d), -1);
	EXPECT_DIAG(&d, path, "refused: file");
	EXPECT_DIAG(&d, "t.yml:4:6:", "block 'net' (");
	manifest_free(&m);
	diag_free(&d);
	assert_int_equal(chown(path, 0, 0), 0);

	assert_int_equal(chmod(path, 0664), 0);
	assert_int_equal(block_file_trusted(path, 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "is writable by its group (mode 0664)"));
	assert_int_equal(chmod(path, 0644), 0);

	assert_int_equal(chmod(dir2, 01777), 0);	/* sticky: not for its own */
	assert_int_equal(block_file_trusted(path, 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "directory"));
	assert_non_null(strstr(why, "is writable by others (mode 1777)"));
	assert_int_equal(chmod(dir2, 0755), 0);

	assert_int_equal(chmod(top, 0777), 0);	/* a directory above it */
	assert_int_equal(block_file_trusted(path, 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "parent directory"));
	assert_int_equal(chmod(top, 01777), 0);	/* sticky above: as /tmp */
	assert_int_equal(block_file_trusted(path, 0, why, sizeof(why)), 0);
	assert_int_equal(chmod(top, 0700), 0);

	assert_int_equal(chown(dir2, 65534, 65534), 0);
	assert_int_equal(block_file_trusted(path, 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "is owned by uid 65534"));
	assert_int_equal(chown(dir2, 0, 0), 0);
}

/* A link leads elsewhere: where it leads is what is checked. */
static void symlink_target_checked(void **state)
{
	char path[160], target[160], why[512];

	(void)state;
	if (geteuid())
		skip();
	write_file(dir1, "real.yml", net_block);
	snprintf(target, sizeof(target), "%s/real.yml", dir1);
	snprintf(path, sizeof(path), "%s/net.yml", dir2);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(block_file_trusted(path, 0, why, sizeof(why)), 0);
	assert_int_equal(chmod(dir1, 0777), 0);
	assert_int_equal(block_file_trusted(path, 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, dir1));
	assert_int_equal(chmod(dir1, 0755), 0);
}

/* The names a search path holds, sorted, each once. */
static void list_names(void **state)
{
	char **names;
	size_t count;

	(void)state;
	write_file(dir1, "net.yml", net_block);
	write_file(dir1, "files.yml", files_block);
	write_file(dir2, "net.yml", net_block);
	write_file(dir2, ".hidden.yml", net_block);
	write_file(dir2, "notes.txt", "x");
	assert_int_equal(blocks_list(&search, &names, &count), 0);
	assert_int_equal(count, 2);
	assert_string_equal(names[0], "files");
	assert_string_equal(names[1], "net");
	blocks_list_free(names, count);
}

/* Every shipped block parses (the repository's blocks/). */
static void shipped_blocks_parse(void **state)
{
	static const char *const shipped[] = { FIXTURES "/../../blocks" };
	struct block_search s = { shipped, 1, 1 };
	struct diag d = { 0 };
	char **names;
	size_t count;

	(void)state;
	assert_int_equal(blocks_list(&s, &names, &count), 0);
	assert_true(count >= 6);
	for (size_t i = 0; i < count; i++) {
		struct block b;

		if (block_load(&s, names[i], "app", NULL, &b, &d)) {
			for (size_t j = 0; j < d.count; j++)
				print_message("  diag: %s\n", d.msgs[j]);
			fail_msg("block %s does not load", names[i]);
		}
		assert_non_null(b.description);
		assert_true(b.path_count + b.net_count > 0);
		block_free(&b);
	}
	blocks_list_free(names, count);
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(use_list, setup, teardown),
		cmocka_unit_test_setup_teardown(use_scalar, setup, teardown),
		cmocka_unit_test_setup_teardown(search_order, setup, teardown),
		cmocka_unit_test_setup_teardown(use_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(block_file_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(substitution, setup, teardown),
		cmocka_unit_test_setup_teardown(owner_and_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(symlink_target_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(list_names, setup, teardown),
		cmocka_unit_test(shipped_blocks_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
