// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hashing, the blob compiler (userspace/compile.c) and dump.
 * The golden files in tests/fixtures/golden/ are what the compiler must
 * produce byte for byte; after a deliberate format change, regenerate them
 * with `make -C tests/unit golden` and review the dump's diff. They are
 * compiled from the copy `make run` puts in GOLDEN_RUN, since a policy
 * holds its programs' paths.
 */
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
#include "dump.h"
#include "input.h"
#include "uapi/charter.h"

#define GOLDEN FIXTURES "/golden"

/* SHA-256("abc"), FIPS 180-2 appendix B.1. */
static const uint8_t abc_digest[32] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
	0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
	0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = malloc(1 << 20);

	assert_non_null(f);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static void compile_dir(const char *dir, uint8_t **blob, size_t *len)
{
	struct input_options o = { .allow_unsigned = 1, .mounts = FIXTURES "/mounts" };
	char *args[] = { (char *)dir };
	struct manifest *ms = NULL;
	struct diag d = { 0 };
	size_t count = 0;

	assert_int_equal(input_read(args, 1, &o, &ms, &count, &d), 0);
	assert_int_equal(compile_blob(ms, count, &d, blob, len), 0);
	/* Warnings only (tool.yml grants read and execute on "/"). */
	for (size_t i = 0; i < d.count; i++) {
		print_message("diag: %s\n", d.msgs[i]);
		assert_non_null(strstr(d.msgs[i], ": warning: "));
	}
	diag_free(&d);
	input_free(ms, count);
}

static void hash_known_vector(void **state)
{
	char path[] = "/tmp/charter-unit-XXXXXX";
	uint8_t digest[32];
	uint64_t size = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_int_equal(sha256_file(path, digest, &size), 0);
	assert_int_equal(size, 3);
	assert_memory_equal(digest, abc_digest, 32);
	unlink(path);
	assert_int_equal(sha256_file("/nonexistent/charter", digest, &size), -2);
}

/* The golden manifests compile to the golden bytes, every time. */
static void golden_blob(void **state)
{
	uint8_t *blob, *again;
	size_t len, again_len, golden_len;
	unsigned char *golden = slurp(GOLDEN "/policy.bin", &golden_len);

	(void)state;
	compile_dir(GOLDEN_RUN, &blob, &len);
	assert_int_equal(len, golden_len);
	assert_memory_equal(blob, golden, len);
	compile_dir(GOLDEN_RUN, &again, &again_len);
	assert_int_equal(again_len, len);
	assert_memory_equal(again, blob, len);
	free(again);
	free(blob);
	free(golden);
}

static void golden_dump(void **state)
{
	size_t blob_len, want_len, got_len = 0;
	unsigned char *blob = slurp(GOLDEN "/policy.bin", &blob_len);
	unsigned char *want = slurp(GOLDEN "/policy.dump", &want_len);
	char *got = NULL;
	struct diag d = { 0 };
	FILE *out = open_memstream(&got, &got_len);

	(void)state;
	assert_int_equal(dump_blob(blob, blob_len, out, &d), 0);
	fclose(out);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	free(got);
	free(blob);
	free(want);
}

/* Structural promises of the layout, on the golden blob. */
static void blob_layout(void **state)
{
	const struct charter_blob_header *h;
	const struct charter_blob_section *s[4];
	uint8_t *blob;
	size_t len;

	(void)state;
	compile_dir(GOLDEN_RUN, &blob, &len);
	h = (const void *)blob;
	s[0] = &h->manifests;
	s[1] = &h->path_rules;
	s[2] = &h->net_rules;
	s[3] = &h->strings;
	assert_int_equal(le32toh(h->total_len), len);
	assert_int_equal(len % CHARTER_BLOB_ALIGN, 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(le32toh(s[i]->off) % CHARTER_BLOB_ALIGN, 0);
		assert_true(le32toh(s[i]->off) >= sizeof(*h));
		if (i)
			assert_true(le32toh(s[i]->off) >= le32toh(s[i - 1]->off));
	}
	assert_int_equal(le32toh(h->strings.off) + le32toh(h->strings.count), len);
	assert_int_equal(blob[len - 1], 0);
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
	assert_int_equal(len, sizeof(*h));
	assert_int_equal(le32toh(h->manifests.count), 0);
	assert_int_equal(le32toh(h->strings.count), 0);
	free(blob);
}

static void identity_errors(void **state)
{
	struct manifest m = { .file = "t.yml", .name = "a",
			      .run = GOLDEN "/tool", .has_hash = 1 };
	struct diag d = { 0 };
	uint8_t *blob = NULL;
	size_t len;

	(void)state;
	assert_int_equal(compile_blob(&m, 1, &d, &blob, &len), -1);
	assert_null(blob);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.msgs[0], "t.yml: '" GOLDEN "/tool' does not match the pinned hash: expected sha256:"));
	diag_free(&d);

	m.has_hash = 0;
	m.run = "/nonexistent/charter-app";
	assert_int_equal(compile_blob(&m, 1, &d, &blob, &len), -1);
	assert_non_null(strstr(d.msgs[0], "t.yml: cannot hash '/nonexistent/charter-app'"));
	diag_free(&d);

	m.run = NULL;
	assert_int_equal(compile_blob(&m, 1, &d, &blob, &len), -1);
	assert_non_null(strstr(d.msgs[0], "'run' is needed"));
	diag_free(&d);
}

static void one_manifest_per_executable(void **state)
{
	struct manifest ms[2] = {
		{ .file = "a.yml", .name = "a", .run = GOLDEN "/tool" },
		{ .file = "b.yml", .name = "b", .run = GOLDEN "/tool" },
	};
	struct diag d = { 0 };
	uint8_t *blob = NULL;
	size_t len;

	(void)state;
	assert_int_equal(compile_blob(ms, 2, &d, &blob, &len), -1);
	assert_null(blob);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.msgs[0], "b.yml: is for the same executable as a.yml"));
	diag_free(&d);
}

/* A dump of a damaged blob is refused, not printed from garbage. */
static void dump_refuses_damage(void **state)
{
	size_t len;
	unsigned char *blob = slurp(GOLDEN "/policy.bin", &len);
	struct charter_blob_header *h = (void *)blob;
	struct diag d = { 0 };
	FILE *devnull = fopen("/dev/null", "w");

	(void)state;
	assert_int_equal(dump_blob(blob, len - 8, devnull, &d), -1);
	diag_free(&d);
	h->path_rules.count = htole32(1000000);
	assert_int_equal(dump_blob(blob, len, devnull, &d), -1);
	diag_free(&d);
	fclose(devnull);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_known_vector),
		cmocka_unit_test(golden_blob),
		cmocka_unit_test(golden_dump),
		cmocka_unit_test(blob_layout),
		cmocka_unit_test(empty_policy),
		cmocka_unit_test(identity_errors),
		cmocka_unit_test(one_manifest_per_executable),
		cmocka_unit_test(dump_refuses_damage),
	};

	return cmocka_run_group_tests_name("compile", tests, NULL, NULL);
}
