// SPDX-License-Identifier: GPL-2.0
/* Unit tests: hashing and the blob compiler (userspace/compile.c). */
#include <endian.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "compile.h"
#include "uapi/charter.h"

/* SHA-256("abc"), FIPS 180-2 appendix B.1. */
static const uint8_t abc_digest[32] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
	0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
	0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};

struct fixture {
	char dir[64];
	char exe[96];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	FILE *fp;

	strcpy(f->dir, "/tmp/charter-unit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->exe, sizeof(f->exe), "%s/app", f->dir);
	fp = fopen(f->exe, "w");
	if (!fp)
		return -1;
	fputs("abc", fp);
	fclose(fp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->exe);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void hash_known_vector(void **state)
{
	struct fixture *f = *state;
	uint8_t digest[32];
	uint64_t size = 0;

	assert_int_equal(sha256_file(f->exe, digest, &size), 0);
	assert_int_equal(size, 3);
	assert_memory_equal(digest, abc_digest, 32);
	assert_int_equal(sha256_file("/nonexistent/charter", digest, &size), -2);
}

static struct manifest_dir two_dirs[] = {
	{ "data", "/srv/app", CHARTER_ACCESS_READ },
	{ "out", "/srv/out", CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE },
};

static void blob_layout(void **state)
{
	struct fixture *f = *state;
	struct manifest m = { .file = "t.yml", .name = "myApp", .run = f->exe,
			      .dirs = two_dirs, .dir_count = 2 };
	const struct charter_blob_header *h;
	const struct charter_blob_manifest *bm;
	const struct charter_blob_dir_rule *br;
	struct diag d = { 0 };
	const char *strings;
	uint8_t *blob;
	size_t len;

	assert_int_equal(compile_blob(&m, 1, &d, &blob, &len), 0);
	assert_int_equal(d.count, 0);
	h = (const void *)blob;
	assert_int_equal(le32toh(h->magic), CHARTER_BLOB_MAGIC);
	assert_int_equal(le16toh(h->version), CHARTER_BLOB_VERSION);
	assert_int_equal(le16toh(h->header_len), sizeof(*h));
	assert_int_equal(le32toh(h->total_len), len);
	assert_int_equal(len % CHARTER_BLOB_ALIGN, 0);
	assert_int_equal(le32toh(h->manifest_count), 1);
	assert_int_equal(le32toh(h->rule_count), 2);
	assert_int_equal(h->reserved, 0);
	assert_int_equal(le32toh(h->manifests_off) % CHARTER_BLOB_ALIGN, 0);
	assert_int_equal(le32toh(h->rules_off) % CHARTER_BLOB_ALIGN, 0);
	assert_int_equal(le32toh(h->strings_off) % CHARTER_BLOB_ALIGN, 0);
	assert_true(le32toh(h->manifests_off) >= sizeof(*h));
	assert_true(le32toh(h->rules_off) >= le32toh(h->manifests_off) + sizeof(*bm));
	assert_true(le32toh(h->strings_off) >= le32toh(h->rules_off) + 2 * sizeof(*br));
	assert_int_equal(le32toh(h->strings_off) + le32toh(h->strings_len), len);

	bm = (const void *)(blob + le32toh(h->manifests_off));
	br = (const void *)(blob + le32toh(h->rules_off));
	strings = (const char *)blob + le32toh(h->strings_off);
	assert_memory_equal(bm->sha256, abc_digest, 32);
	assert_int_equal(le64toh(bm->exe_size), 3);
	assert_string_equal(strings + le32toh(bm->name), "myApp");
	assert_int_equal(le32toh(bm->rule_first), 0);
	assert_int_equal(le32toh(bm->rule_count), 2);
	assert_string_equal(strings + le32toh(br[0].path), "/srv/app");
	assert_int_equal(le32toh(br[0].access), CHARTER_ACCESS_READ);
	assert_string_equal(strings + le32toh(br[1].path), "/srv/out");
	assert_int_equal(le32toh(br[1].access), CHARTER_ACCESS_ALL);
	assert_int_equal(strings[le32toh(h->strings_len) - 1], '\0');
	free(blob);
}

static void empty_policy(void **state)
{
	const struct charter_blob_header *h;
	struct diag d = { 0 };
	uint8_t *blob;
	size_t len;

	(void)state;
	assert_int_equal(compile_blob(NULL, 0, &d, &blob, &len), 0);
	h = (const void *)blob;
	assert_int_equal(le32toh(h->manifest_count), 0);
	assert_int_equal(le32toh(h->rule_count), 0);
	assert_int_equal(le32toh(h->strings_len), 0);
	assert_int_equal(le32toh(h->total_len), len);
	free(blob);
}

static void hash_mismatch_refused(void **state)
{
	struct fixture *f = *state;
	struct manifest m = { .file = "t.yml", .name = "a", .run = f->exe,
			      .has_hash = 1 };
	struct diag d = { 0 };
	uint8_t *blob = NULL;
	size_t len;

	memcpy(m.hash, abc_digest, 32);
	m.hash[5] ^= 1;
	assert_int_equal(compile_blob(&m, 1, &d, &blob, &len), -1);
	assert_null(blob);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.msgs[0], "does not match the manifest's hash"));
	diag_free(&d);

	m.hash[5] ^= 1;
	assert_int_equal(compile_blob(&m, 1, &d, &blob, &len), 0);
	free(blob);
}

static void missing_executable_refused(void **state)
{
	struct manifest m = { .file = "t.yml", .name = "a",
			      .run = "/nonexistent/charter-app" };
	struct diag d = { 0 };
	uint8_t *blob = NULL;
	size_t len;

	(void)state;
	assert_int_equal(compile_blob(&m, 1, &d, &blob, &len), -1);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.msgs[0], "t.yml: cannot hash '/nonexistent/charter-app'"));
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_known_vector),
		cmocka_unit_test(blob_layout),
		cmocka_unit_test(empty_policy),
		cmocka_unit_test(hash_mismatch_refused),
		cmocka_unit_test(missing_executable_refused),
	};

	return cmocka_run_group_tests_name("compile", tests, setup, teardown);
}
