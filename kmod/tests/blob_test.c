// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the blob decoder (kmod/blob.c) and the policy index
 * (kmod/policy.c). Every malformed case must be refused with an extended
 * ack message, and a valid blob must decode to exactly what it says.
 */

#include <kunit/test.h>
#include <linux/netlink.h>
#include <linux/slab.h>

#include "../policy.h"

/*
 * A valid blob with two manifests: "app" (rules 0-1) and "tool" (rule 2).
 * Laid out by hand so each test can break exactly one thing.
 */
#define STR_APP		0
#define STR_TOOL	4
#define STR_SRV		9
#define STR_TMP		18
#define STR_ROOT	23
static const char test_strings[] = "app\0tool\0/srv/app\0/tmp\0/";

struct test_blob {
	struct charter_blob_header h;
	struct charter_blob_manifest m[2];
	struct charter_blob_dir_rule r[3];
	char strings[32];
};

static void test_blob_init(struct test_blob *b)
{
	memset(b, 0, sizeof(*b));
	b->h.magic = cpu_to_le32(CHARTER_BLOB_MAGIC);
	b->h.version = cpu_to_le16(CHARTER_BLOB_VERSION);
	b->h.header_len = cpu_to_le16(sizeof(b->h));
	b->h.total_len = cpu_to_le32(sizeof(*b));
	b->h.manifest_count = cpu_to_le32(2);
	b->h.manifests_off = cpu_to_le32(offsetof(struct test_blob, m));
	b->h.rule_count = cpu_to_le32(3);
	b->h.rules_off = cpu_to_le32(offsetof(struct test_blob, r));
	b->h.strings_off = cpu_to_le32(offsetof(struct test_blob, strings));
	b->h.strings_len = cpu_to_le32(sizeof(b->strings));
	memcpy(b->strings, test_strings, sizeof(test_strings));

	memset(b->m[0].sha256, 0xaa, CHARTER_SHA256_LEN);
	b->m[0].exe_size = cpu_to_le64(4096);
	b->m[0].name = cpu_to_le32(STR_APP);
	b->m[0].rule_first = cpu_to_le32(0);
	b->m[0].rule_count = cpu_to_le32(2);
	memset(b->m[1].sha256, 0xbb, CHARTER_SHA256_LEN);
	b->m[1].exe_size = cpu_to_le64(8192);
	b->m[1].name = cpu_to_le32(STR_TOOL);
	b->m[1].rule_first = cpu_to_le32(2);
	b->m[1].rule_count = cpu_to_le32(1);

	b->r[0].path = cpu_to_le32(STR_SRV);
	b->r[0].access = cpu_to_le32(CHARTER_ACCESS_READ);
	b->r[1].path = cpu_to_le32(STR_TMP);
	b->r[1].access = cpu_to_le32(CHARTER_ACCESS_ALL);
	b->r[2].path = cpu_to_le32(STR_ROOT);
	b->r[2].access = cpu_to_le32(CHARTER_ACCESS_READ);
}

/* Decode @len bytes of @b: expect refusal with @err and some message. */
static void expect_refused(struct kunit *test, const void *b, size_t len,
			   int err)
{
	struct netlink_ext_ack extack = {};
	struct charter_policy *p = charter_blob_decode(b, len, &extack);

	KUNIT_ASSERT_TRUE(test, IS_ERR(p));
	KUNIT_EXPECT_EQ(test, PTR_ERR(p), err);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, extack._msg);
}

static struct charter_policy *expect_decoded(struct kunit *test,
					     const void *b, size_t len)
{
	struct netlink_ext_ack extack = {};
	struct charter_policy *p = charter_blob_decode(b, len, &extack);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(p), "refused: %s", extack._msg);
	return p;
}

static void charter_blob_valid_decodes_exactly(struct kunit *test)
{
	struct test_blob b;
	struct charter_policy *p;
	const struct charter_manifest *m;
	u8 digest[CHARTER_SHA256_LEN];

	test_blob_init(&b);
	p = expect_decoded(test, &b, sizeof(b));
	KUNIT_EXPECT_EQ(test, p->manifest_count, 2u);

	memset(digest, 0xaa, sizeof(digest));
	m = charter_policy_find(p, digest, 4096);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STREQ(test, m->name, "app");
	KUNIT_EXPECT_EQ(test, m->rule_count, 2u);
	KUNIT_EXPECT_STREQ(test, m->rules[0].path, "/srv/app");
	KUNIT_EXPECT_EQ(test, m->rules[0].path_len, 8u);
	KUNIT_EXPECT_EQ(test, m->rules[0].access, CHARTER_ACCESS_READ);
	KUNIT_EXPECT_STREQ(test, m->rules[1].path, "/tmp");
	KUNIT_EXPECT_EQ(test, m->rules[1].access, CHARTER_ACCESS_ALL);

	memset(digest, 0xbb, sizeof(digest));
	m = charter_policy_find(p, digest, 8192);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STREQ(test, m->name, "tool");
	KUNIT_EXPECT_STREQ(test, m->rules[0].path, "/");

	/* Identity is digest and size together. */
	KUNIT_EXPECT_NULL(test, charter_policy_find(p, digest, 4096));
	memset(digest, 0xcc, sizeof(digest));
	KUNIT_EXPECT_NULL(test, charter_policy_find(p, digest, 8192));
	KUNIT_EXPECT_TRUE(test, charter_policy_has_size(p, 4096));
	KUNIT_EXPECT_TRUE(test, charter_policy_has_size(p, 8192));
	KUNIT_EXPECT_FALSE(test, charter_policy_has_size(p, 4097));
	charter_policy_release_now(p);
}

static void charter_blob_empty_policy_is_valid(struct kunit *test)
{
	struct charter_blob_header h = {
		.magic = cpu_to_le32(CHARTER_BLOB_MAGIC),
		.version = cpu_to_le16(CHARTER_BLOB_VERSION),
		.header_len = cpu_to_le16(sizeof(h)),
		.total_len = cpu_to_le32(sizeof(h)),
		.manifests_off = cpu_to_le32(sizeof(h)),
		.rules_off = cpu_to_le32(sizeof(h)),
		.strings_off = cpu_to_le32(sizeof(h)),
	};
	struct charter_policy *p = expect_decoded(test, &h, sizeof(h));

	KUNIT_EXPECT_EQ(test, p->manifest_count, 0u);
	KUNIT_EXPECT_FALSE(test, charter_policy_has_size(p, 0));
	charter_policy_release_now(p);
}

/* Every proper prefix of a valid blob is refused, whatever its length. */
static void charter_blob_every_truncation_refused(struct kunit *test)
{
	struct test_blob b;
	size_t len;

	test_blob_init(&b);
	for (len = 0; len < sizeof(b); len++)
		expect_refused(test, &b, len, -EINVAL);
}

/* A truncation that also fixes total_len must still be refused. */
static void charter_blob_consistent_truncation_refused(struct kunit *test)
{
	struct test_blob b;
	size_t len;

	for (len = sizeof(struct charter_blob_header); len < sizeof(b); len++) {
		test_blob_init(&b);
		b.h.total_len = cpu_to_le32(len);
		expect_refused(test, &b, len, -EINVAL);
	}
}

static void charter_blob_header_fields_checked(struct kunit *test)
{
	struct test_blob b;

	test_blob_init(&b);
	b.h.magic = cpu_to_le32(CHARTER_BLOB_MAGIC + 1);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	test_blob_init(&b);
	b.h.version = cpu_to_le16(CHARTER_BLOB_VERSION + 1);
	expect_refused(test, &b, sizeof(b), -EPROTO);

	test_blob_init(&b);
	b.h.header_len = cpu_to_le16(sizeof(b.h) + 8);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	test_blob_init(&b);
	b.h.total_len = cpu_to_le32(sizeof(b) + 8);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	test_blob_init(&b);
	b.h.reserved = cpu_to_le32(1);
	expect_refused(test, &b, sizeof(b), -EINVAL);
}

static void charter_blob_sections_checked(struct kunit *test)
{
	struct test_blob b;

	/* Counts too large for the blob, including u32 overflow of size. */
	test_blob_init(&b);
	b.h.manifest_count = cpu_to_le32(3);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b);
	b.h.rule_count = cpu_to_le32(0x20000000);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b);
	b.h.strings_len = cpu_to_le32(sizeof(b.strings) + 1);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* Offsets out of range, inside the header, misaligned. */
	test_blob_init(&b);
	b.h.strings_off = cpu_to_le32(0xfffffff8);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b);
	b.h.manifests_off = cpu_to_le32(0);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b);
	b.h.rules_off = cpu_to_le32(le32_to_cpu(b.h.rules_off) + 4);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* Overlapping sections. */
	test_blob_init(&b);
	b.h.rules_off = b.h.manifests_off;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b);
	b.h.strings_off = cpu_to_le32(le32_to_cpu(b.h.rules_off) + 16);
	b.h.strings_len = cpu_to_le32(8);
	expect_refused(test, &b, sizeof(b), -EINVAL);
}

static void charter_blob_strings_checked(struct kunit *test)
{
	struct test_blob b;

	/* The string section must end with a NUL. */
	test_blob_init(&b);
	memset(b.strings, 'x', sizeof(b.strings));
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* A string offset past the section. */
	test_blob_init(&b);
	b.m[1].name = cpu_to_le32(sizeof(b.strings));
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b);
	b.r[2].path = cpu_to_le32(0xffffffff);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* An empty manifest name (points at the padding NUL). */
	test_blob_init(&b);
	b.m[0].name = cpu_to_le32(sizeof(b.strings) - 1);
	expect_refused(test, &b, sizeof(b), -EINVAL);
}

static void charter_blob_rule_paths_checked(struct kunit *test)
{
	static const char *const bad[] = {
		"srv", "", "/srv/", "//srv", "/srv//ap", "/srv/./a",
		"/srv/..", "/../srv", "/.", "/a/../b",
	};
	struct test_blob b;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		test_blob_init(&b);
		/* Write the bad path over "/srv/app" (8 bytes and a NUL). */
		memset(b.strings + STR_SRV, 0, 9);
		memcpy(b.strings + STR_SRV, bad[i], strlen(bad[i]));
		expect_refused(test, &b, sizeof(b), -EINVAL);
	}
}

static void charter_blob_rule_access_checked(struct kunit *test)
{
	struct test_blob b;

	test_blob_init(&b);
	b.r[1].access = 0;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b);
	b.r[1].access = cpu_to_le32(CHARTER_ACCESS_ALL + 1);
	expect_refused(test, &b, sizeof(b), -EINVAL);
}

static void charter_blob_manifest_fields_checked(struct kunit *test)
{
	struct test_blob b;

	/* Rule ranges: past the end, and overflowing first + count. */
	test_blob_init(&b);
	b.m[1].rule_count = cpu_to_le32(2);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b);
	b.m[1].rule_first = cpu_to_le32(4);
	b.m[1].rule_count = cpu_to_le32(0);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b);
	b.m[1].rule_first = cpu_to_le32(2);
	b.m[1].rule_count = cpu_to_le32(0xffffffff);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* The boundary itself is fine: a manifest with no rules at the end. */
	test_blob_init(&b);
	b.m[1].rule_first = cpu_to_le32(3);
	b.m[1].rule_count = cpu_to_le32(0);
	charter_policy_release_now(expect_decoded(test, &b, sizeof(b)));

	test_blob_init(&b);
	b.m[0].reserved = cpu_to_le32(1);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* Two manifests for one executable. */
	test_blob_init(&b);
	memcpy(b.m[1].sha256, b.m[0].sha256, CHARTER_SHA256_LEN);
	b.m[1].exe_size = b.m[0].exe_size;
	expect_refused(test, &b, sizeof(b), -EEXIST);
}

static struct kunit_case charter_blob_cases[] = {
	KUNIT_CASE(charter_blob_valid_decodes_exactly),
	KUNIT_CASE(charter_blob_empty_policy_is_valid),
	KUNIT_CASE(charter_blob_every_truncation_refused),
	KUNIT_CASE(charter_blob_consistent_truncation_refused),
	KUNIT_CASE(charter_blob_header_fields_checked),
	KUNIT_CASE(charter_blob_sections_checked),
	KUNIT_CASE(charter_blob_strings_checked),
	KUNIT_CASE(charter_blob_rule_paths_checked),
	KUNIT_CASE(charter_blob_rule_access_checked),
	KUNIT_CASE(charter_blob_manifest_fields_checked),
	{}
};

static struct kunit_suite charter_blob_suite = {
	.name = "charter_blob",
	.test_cases = charter_blob_cases,
};

kunit_test_suite(charter_blob_suite);
