// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the manifest reader (userspace/manifest.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "manifest.h"
#include "uapi/charter.h"

/* Parse @yaml as "t.yml" in directory "/base". */
static int parse(const char *yaml, struct manifest *m, struct diag *d)
{
	memset(d, 0, sizeof(*d));
	return manifest_parse_buffer("t.yml", "/base", (const unsigned char *)yaml,
				     strlen(yaml), m, d);
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
	assert_int_equal(m.dir_count, 2);
	assert_string_equal(m.dirs[0].name, "appDir");
	assert_string_equal(m.dirs[0].path, "/base");
	assert_int_equal(m.dirs[0].access, CHARTER_ACCESS_READ);
	assert_string_equal(m.dirs[1].path, "/var/lib/my/out");
	assert_int_equal(m.dirs[1].access, CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE);
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
	EXPECT_DIAG(&d, "t.yml:3:1:", "unknown key 'colour'");
	EXPECT_DIAG(&d, "t.yml:8:17:", "permission 'readwrite' (expected read or readWrite)");
	EXPECT_DIAG(&d, "t.yml:9:5:", "duplicate entry name 'a'");
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
	EXPECT_DIAG(&d, "t.yml:2:7:", "name must be a scalar");
	EXPECT_DIAG(&d, "t.yml:4:21:", "allowedDirectories must be a list");
	manifest_free(&m);
	diag_free(&d);

	assert_int_equal(parse("- just\n- a list\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml", "must be a YAML mapping");
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

static void unsupported_glob(void **state)
{
	struct manifest m;
	struct diag d;

	(void)state;
	assert_int_equal(parse("manifestVersion: v1\nname: a\nrun: /x\n"
			       "allowedDirectories:\n  - name: d\n    path: /srv/*/data\n"
			       "    permission: read\n", &m, &d), -1);
	EXPECT_DIAG(&d, "t.yml:6:11:", "only a trailing '**'");
	manifest_free(&m);
	diag_free(&d);
}

static void normalise(void **state)
{
	static const char *const cases[][3] = {
		{ "/base", "x", "/base/x" },
		{ "/base", "./x/./y/", "/base/x/y" },
		{ "/base", "../../..", "/" },
		{ "/base", "/abs//p/../q", "/abs/q" },
		{ "/", ".", "/" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = manifest_normalise_path(cases[i][0], cases[i][1]);

		assert_non_null(got);
		assert_string_equal(got, cases[i][2]);
		free(got);
	}
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
		cmocka_unit_test(unsupported_glob),
		cmocka_unit_test(normalise),
	};

	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
