// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the blob decoder (kmod/blob.c) and the policy index
 * (kmod/policy.c). Every malformed case must be refused with an extended
 * ack message, and a valid blob must decode to exactly what it says.
 */

#include <kunit/test.h>
#include <linux/netlink.h>
#include <linux/slab.h>

#include "../match.h"
#include "../policy.h"

/*
 * A valid blob: manifest "app" (path rules 0-1, net rule 0, keyboard and
 * display) and manifest "tool" (path rule 2, no network). Laid out by hand
 * so each test can break exactly one thing.
 */
struct test_blob {
	struct charter_blob_header h;
	struct charter_blob_manifest m[2];
	struct charter_blob_path_rule p[3];
	u8 pad1[4];
	struct charter_blob_net_rule n[1];
	u8 pad2[4];
	char strings[152];
};

struct test_strings {
	u32 app, tool, me, empty, data, logs, root, lo;
	u32 srv, tmp_logs, slash, run_app, run_tool, alias_tool;
};

static u32 add_string(struct test_blob *b, u32 *used, const char *s)
{
	u32 off = *used;

	strscpy(b->strings + off, s, sizeof(b->strings) - off);
	*used += strlen(s) + 1;
	return off;
}

static void test_blob_init(struct test_blob *b, struct test_strings *s)
{
	u32 used = 0;

	memset(b, 0, sizeof(*b));
	s->app = add_string(b, &used, "app");
	s->tool = add_string(b, &used, "tool");
	s->me = add_string(b, &used, "me");
	s->empty = add_string(b, &used, "");
	s->data = add_string(b, &used, "data");
	s->logs = add_string(b, &used, "logs");
	s->lo = add_string(b, &used, "lo");
	s->srv = add_string(b, &used, "/srv/app");
	s->tmp_logs = add_string(b, &used, "/tmp/**/*.log");
	s->slash = add_string(b, &used, "/");
	s->run_app = add_string(b, &used, "/usr/bin/app");
	s->alias_tool = add_string(b, &used, "/opt/tool/cur/tool");
	s->run_tool = add_string(b, &used, "/opt/tool/bin/tool");

	b->h.magic = cpu_to_le32(CHARTER_BLOB_MAGIC);
	b->h.version = cpu_to_le16(CHARTER_BLOB_VERSION);
	b->h.header_len = cpu_to_le16(sizeof(b->h));
	b->h.total_len = cpu_to_le32(sizeof(*b));
	b->h.manifests.off = cpu_to_le32(offsetof(struct test_blob, m));
	b->h.manifests.count = cpu_to_le32(2);
	b->h.path_rules.off = cpu_to_le32(offsetof(struct test_blob, p));
	b->h.path_rules.count = cpu_to_le32(3);
	b->h.net_rules.off = cpu_to_le32(offsetof(struct test_blob, n));
	b->h.net_rules.count = cpu_to_le32(1);
	b->h.strings.off = cpu_to_le32(offsetof(struct test_blob, strings));
	b->h.strings.count = cpu_to_le32(sizeof(b->strings));

	memset(b->m[0].sha256, 0xaa, CHARTER_SHA256_LEN);
	b->m[0].exe_size = cpu_to_le64(4096);
	b->m[0].name = cpu_to_le32(s->app);
	b->m[0].author = cpu_to_le32(s->me);
	b->m[0].path_first = cpu_to_le32(0);
	b->m[0].path_count = cpu_to_le32(2);
	b->m[0].net_first = cpu_to_le32(0);
	b->m[0].net_count = cpu_to_le32(1);
	b->m[0].devices = cpu_to_le32(CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) |
				      CHARTER_DEV_BIT(CHARTER_DEV_DISPLAY));
	memset(b->m[1].sha256, 0xbb, CHARTER_SHA256_LEN);
	b->m[1].exe_size = cpu_to_le64(8192);
	b->m[0].run = cpu_to_le32(s->run_app);
	b->m[0].run_alias = cpu_to_le32(s->empty);
	b->m[0].flags = cpu_to_le32(CHARTER_MANIFEST_PINNED);
	b->m[1].name = cpu_to_le32(s->tool);
	b->m[1].author = cpu_to_le32(s->empty);
	b->m[1].run = cpu_to_le32(s->empty);
	b->m[1].run_alias = cpu_to_le32(s->empty);
	b->m[1].path_first = cpu_to_le32(2);
	b->m[1].path_count = cpu_to_le32(1);
	b->m[1].net_first = cpu_to_le32(1);

	b->p[0].pattern = cpu_to_le32(s->srv);
	b->p[0].name = cpu_to_le32(s->data);
	b->p[0].prefix_len = cpu_to_le16(8);
	b->p[0].access = CHARTER_ACCESS_READ;
	b->p[1].pattern = cpu_to_le32(s->tmp_logs);
	b->p[1].name = cpu_to_le32(s->logs);
	b->p[1].prefix_len = cpu_to_le16(4);
	b->p[1].access = CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE;
	b->p[2].pattern = cpu_to_le32(s->slash);
	b->p[2].name = cpu_to_le32(s->empty);
	b->p[2].prefix_len = cpu_to_le16(1);
	b->p[2].access = CHARTER_ACCESS_READ | CHARTER_ACCESS_EXECUTE;
	b->p[2].flags = CHARTER_PATH_BASELINE;

	b->n[0].name = cpu_to_le32(s->lo);
	b->n[0].family = CHARTER_FAMILY_INET;
	b->n[0].prefix = 8;
	b->n[0].direction = CHARTER_NET_INBOUND;
	b->n[0].protocol = CHARTER_PROTO_TCP;
	b->n[0].port_min = cpu_to_be16(8000);
	b->n[0].port_max = cpu_to_be16(8099);
	b->n[0].addr[0] = 127;
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

static void charter_blob_layout_is_aligned(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct charter_blob_header), (size_t)48);
	KUNIT_EXPECT_EQ(test, offsetof(struct test_blob, m) % CHARTER_BLOB_ALIGN, 0);
	KUNIT_EXPECT_EQ(test, offsetof(struct test_blob, p) % CHARTER_BLOB_ALIGN, 0);
	KUNIT_EXPECT_EQ(test, offsetof(struct test_blob, n) % CHARTER_BLOB_ALIGN, 0);
	KUNIT_EXPECT_EQ(test, offsetof(struct test_blob, strings) % CHARTER_BLOB_ALIGN, 0);
}

static void charter_blob_valid_decodes_exactly(struct kunit *test)
{
	struct test_strings s;
	struct test_blob b;
	struct charter_policy *p;
	const struct charter_manifest *m;
	u8 digest[CHARTER_SHA256_LEN];

	test_blob_init(&b, &s);
	p = expect_decoded(test, &b, sizeof(b));
	KUNIT_EXPECT_EQ(test, p->manifest_count, 2u);

	memset(digest, 0xaa, sizeof(digest));
	m = charter_policy_find(p, digest, 4096);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STREQ(test, m->name, "app");
	KUNIT_EXPECT_STREQ(test, m->author, "me");
	KUNIT_EXPECT_EQ(test, m->devices,
			CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) |
			CHARTER_DEV_BIT(CHARTER_DEV_DISPLAY));
	KUNIT_ASSERT_EQ(test, m->path_count, 2u);
	KUNIT_EXPECT_STREQ(test, m->path_rules[0].pattern, "/srv/app");
	KUNIT_EXPECT_STREQ(test, m->path_rules[0].name, "data");
	KUNIT_EXPECT_EQ(test, m->path_rules[0].len, 8);
	KUNIT_EXPECT_EQ(test, m->path_rules[0].prefix_len, 8);
	KUNIT_EXPECT_EQ(test, m->path_rules[0].access, CHARTER_ACCESS_READ);
	KUNIT_EXPECT_STREQ(test, m->path_rules[1].pattern, "/tmp/**/*.log");
	KUNIT_EXPECT_EQ(test, m->path_rules[1].prefix_len, 4);
	KUNIT_ASSERT_EQ(test, m->net_count, 1u);
	KUNIT_EXPECT_STREQ(test, m->net_rules[0].name, "lo");
	KUNIT_EXPECT_EQ(test, m->net_rules[0].family, CHARTER_FAMILY_INET);
	KUNIT_EXPECT_EQ(test, m->net_rules[0].prefix, 8);
	KUNIT_EXPECT_EQ(test, m->net_rules[0].port_min, 8000);
	KUNIT_EXPECT_EQ(test, m->net_rules[0].port_max, 8099);
	KUNIT_EXPECT_EQ(test, m->net_rules[0].addr[0], 127);
	/* Its rules are indexed (ruleindex.c), and only its own. */
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&m->path_index, "/srv/app/x"),
			CHARTER_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&m->path_index, "/tmp/a/b.log"),
			CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&m->path_index, "/etc"), 0u);
	KUNIT_EXPECT_TRUE(test, charter_net_index_allows_port(&m->net_index,
							      CHARTER_PROTO_TCP, 8050) ==
			  charter_net_allows_port(m->net_rules, 1, CHARTER_PROTO_TCP, 8050));

	memset(digest, 0xbb, sizeof(digest));
	m = charter_policy_find(p, digest, 8192);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_STREQ(test, m->name, "tool");
	KUNIT_EXPECT_STREQ(test, m->author, "");
	KUNIT_EXPECT_STREQ(test, m->path_rules[0].pattern, "/");
	KUNIT_EXPECT_EQ(test, m->path_rules[0].flags, CHARTER_PATH_BASELINE);
	KUNIT_EXPECT_EQ(test, m->net_count, 0u);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&m->path_index, "/etc"),
			CHARTER_ACCESS_READ | CHARTER_ACCESS_EXECUTE);
	KUNIT_EXPECT_GT(test, p->rule_index_len, (size_t)0);

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
		.manifests.off = cpu_to_le32(sizeof(h)),
		.path_rules.off = cpu_to_le32(sizeof(h)),
		.net_rules.off = cpu_to_le32(sizeof(h)),
		.strings.off = cpu_to_le32(sizeof(h)),
	};
	struct charter_policy *p = expect_decoded(test, &h, sizeof(h));

	KUNIT_EXPECT_EQ(test, p->manifest_count, 0u);
	KUNIT_EXPECT_FALSE(test, charter_policy_has_size(p, 0));
	charter_policy_release_now(p);
}

/* Every proper prefix of a valid blob is refused, whatever its length. */
static void charter_blob_every_truncation_refused(struct kunit *test)
{
	struct test_strings s;
	struct test_blob b;
	size_t len;

	test_blob_init(&b, &s);
	for (len = 0; len < sizeof(b); len++)
		expect_refused(test, &b, len, -EINVAL);
}

/* A truncation that also fixes total_len must still be refused. */
static void charter_blob_consistent_truncation_refused(struct kunit *test)
{
	struct test_strings s;
	struct test_blob b;
	size_t len;

	for (len = sizeof(struct charter_blob_header); len < sizeof(b); len++) {
		test_blob_init(&b, &s);
		b.h.total_len = cpu_to_le32(len);
		expect_refused(test, &b, len, -EINVAL);
	}
}

static void charter_blob_header_fields_checked(struct kunit *test)
{
	struct test_strings s;
	struct test_blob b;

	test_blob_init(&b, &s);
	b.h.magic = cpu_to_le32(CHARTER_BLOB_MAGIC + 1);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	test_blob_init(&b, &s);
	b.h.version = cpu_to_le16(CHARTER_BLOB_VERSION + 1);
	expect_refused(test, &b, sizeof(b), -EPROTO);

	test_blob_init(&b, &s);
	b.h.header_len = cpu_to_le16(sizeof(b.h) + 8);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	test_blob_init(&b, &s);
	b.h.total_len = cpu_to_le32(sizeof(b) + 8);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	test_blob_init(&b, &s);
	b.h.reserved = cpu_to_le32(1);
	expect_refused(test, &b, sizeof(b), -EINVAL);
}

static void charter_blob_sections_checked(struct kunit *test)
{
	struct test_strings s;
	struct test_blob b;

	/* Counts too large for the blob, including u32 overflow of size. */
	test_blob_init(&b, &s);
	b.h.manifests.count = cpu_to_le32(3);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.h.path_rules.count = cpu_to_le32(0x20000000);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.h.net_rules.count = cpu_to_le32(0xffffffff);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.h.strings.count = cpu_to_le32(sizeof(b.strings) + 1);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* Offsets out of range, inside the header, misaligned. */
	test_blob_init(&b, &s);
	b.h.strings.off = cpu_to_le32(0xfffffff8);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.h.manifests.off = cpu_to_le32(0);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.h.path_rules.off = cpu_to_le32(le32_to_cpu(b.h.path_rules.off) + 4);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* Overlapping sections. */
	test_blob_init(&b, &s);
	b.h.path_rules.off = b.h.manifests.off;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.h.net_rules.off = cpu_to_le32(le32_to_cpu(b.h.path_rules.off) + 32);
	expect_refused(test, &b, sizeof(b), -EINVAL);
}

static void charter_blob_strings_checked(struct kunit *test)
{
	struct test_strings s;
	struct test_blob b;

	/* The string section must end with a NUL. */
	test_blob_init(&b, &s);
	b.strings[sizeof(b.strings) - 1] = 'x';
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* String offsets past the section, in each kind of record. */
	test_blob_init(&b, &s);
	b.m[1].name = cpu_to_le32(sizeof(b.strings));
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.m[0].author = cpu_to_le32(0xffffffff);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.p[2].pattern = cpu_to_le32(0xffffffff);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.p[0].name = cpu_to_le32(sizeof(b.strings));
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.n[0].name = cpu_to_le32(sizeof(b.strings) + 100);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* An empty manifest name. */
	test_blob_init(&b, &s);
	b.m[0].name = cpu_to_le32(s.empty);
	expect_refused(test, &b, sizeof(b), -EINVAL);
}

static void charter_blob_path_rules_checked(struct kunit *test)
{
	static const char *const bad[] = {
		"srv", "", "/srv/", "//srv", "/srv//a", "/srv/./a", "/srv/..",
		"/../srv", "/.", "/a/../b", "/a**", "/**b/c", "/a/b***",
	};
	struct test_strings s;
	struct test_blob b;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		test_blob_init(&b, &s);
		/* Overwrite "/srv/app" (8 bytes and a NUL) with the bad one. */
		memset(b.strings + s.srv, 0, 9);
		memcpy(b.strings + s.srv, bad[i], strlen(bad[i]));
		expect_refused(test, &b, sizeof(b), -EINVAL);
	}

	/* The prefix length must be exactly the glob-free part. */
	test_blob_init(&b, &s);
	b.p[1].prefix_len = cpu_to_le16(5);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.p[0].prefix_len = cpu_to_le16(4);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	test_blob_init(&b, &s);
	b.p[1].access = 0;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.p[1].access = CHARTER_ACCESS_ALL + 1;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.p[1].flags = CHARTER_PATH_FLAGS + 1;
	expect_refused(test, &b, sizeof(b), -EINVAL);
}

static void charter_blob_net_rules_checked(struct kunit *test)
{
	struct test_strings s;
	struct test_blob b;

	test_blob_init(&b, &s);
	b.n[0].family = 1;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.n[0].prefix = 33;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	/* Address bits past the prefix. */
	test_blob_init(&b, &s);
	b.n[0].addr[1] = 1;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.n[0].prefix = 7;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.n[0].family = CHARTER_FAMILY_ANY;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.n[0].direction = 0;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.n[0].direction = CHARTER_NET_DIRECTIONS + 1;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.n[0].protocol = 4;
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.n[0].port_min = cpu_to_be16(8100);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* Boundaries that are fine: a full v6 prefix, one port, any. */
	test_blob_init(&b, &s);
	b.n[0].family = CHARTER_FAMILY_INET6;
	b.n[0].prefix = 128;
	memset(b.n[0].addr, 0xff, 16);
	b.n[0].port_min = b.n[0].port_max;
	charter_policy_release_now(expect_decoded(test, &b, sizeof(b)));
	test_blob_init(&b, &s);
	b.n[0].family = CHARTER_FAMILY_ANY;
	b.n[0].prefix = 0;
	b.n[0].addr[0] = 0;
	charter_policy_release_now(expect_decoded(test, &b, sizeof(b)));
}

static void charter_blob_manifest_fields_checked(struct kunit *test)
{
	struct test_strings s;
	struct test_blob b;

	/* Rule ranges: past the end, and overflowing first + count. */
	test_blob_init(&b, &s);
	b.m[1].path_count = cpu_to_le32(2);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.m[1].path_first = cpu_to_le32(4);
	b.m[1].path_count = cpu_to_le32(0);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.m[1].path_first = cpu_to_le32(2);
	b.m[1].path_count = cpu_to_le32(0xffffffff);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.m[0].net_count = cpu_to_le32(2);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.m[1].net_first = cpu_to_le32(2);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/*
	 * Manifests sharing rules: refused, or their indexes (ruleindex.c)
	 * would add up to manifests x rules.
	 */
	test_blob_init(&b, &s);
	b.m[1].path_first = cpu_to_le32(1);
	b.m[1].path_count = cpu_to_le32(2);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.m[1].net_first = cpu_to_le32(0);
	b.m[1].net_count = cpu_to_le32(1);
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* The boundary itself is fine: a manifest with no rules at the end. */
	test_blob_init(&b, &s);
	b.m[1].path_first = cpu_to_le32(3);
	b.m[1].path_count = cpu_to_le32(0);
	charter_policy_release_now(expect_decoded(test, &b, sizeof(b)));

	test_blob_init(&b, &s);
	b.m[0].devices = cpu_to_le32(CHARTER_DEV_ALL + 1);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	test_blob_init(&b, &s);
	b.m[0].run_alias = cpu_to_le32(sizeof(b.strings));
	expect_refused(test, &b, sizeof(b), -EINVAL);

	/* Two manifests for one executable. */
	test_blob_init(&b, &s);
	memcpy(b.m[1].sha256, b.m[0].sha256, CHARTER_SHA256_LEN);
	b.m[1].exe_size = b.m[0].exe_size;
	expect_refused(test, &b, sizeof(b), -EEXIST);

	/* Two manifests of one name: one mode override would hit both. */
	test_blob_init(&b, &s);
	b.m[1].name = b.m[0].name;
	expect_refused(test, &b, sizeof(b), -EEXIST);
	/* Names differ by their bytes: "app" and "tool" are two (as above). */
	test_blob_init(&b, &s);
	b.m[1].name = cpu_to_le32(s.lo);
	charter_policy_release_now(expect_decoded(test, &b, sizeof(b)));
}

/* One manifest, no rules, named by @len bytes of 'n'. */
struct name_blob {
	struct charter_blob_header h;
	struct charter_blob_manifest m;
	char strings[CHARTER_NAME_MAX + 9];
};

static void name_blob_init(struct name_blob *b, size_t len)
{
	memset(b, 0, sizeof(*b));
	b->h.magic = cpu_to_le32(CHARTER_BLOB_MAGIC);
	b->h.version = cpu_to_le16(CHARTER_BLOB_VERSION);
	b->h.header_len = cpu_to_le16(sizeof(b->h));
	b->h.total_len = cpu_to_le32(sizeof(*b));
	b->h.manifests.off = cpu_to_le32(offsetof(struct name_blob, m));
	b->h.manifests.count = cpu_to_le32(1);
	b->h.path_rules.off = cpu_to_le32(sizeof(*b));
	b->h.net_rules.off = cpu_to_le32(sizeof(*b));
	b->h.strings.off = cpu_to_le32(offsetof(struct name_blob, strings));
	b->h.strings.count = cpu_to_le32(sizeof(b->strings));
	memset(b->strings, 'n', len);
	/* name at 0, author and run "" right after it */
	b->m.author = cpu_to_le32(len);
	b->m.run = cpu_to_le32(len);
	b->m.run_alias = cpu_to_le32(len);
}

static void charter_blob_name_length_boundary(struct kunit *test)
{
	struct name_blob *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct charter_policy *p;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, offsetof(struct name_blob, strings) % CHARTER_BLOB_ALIGN, 0);
	name_blob_init(b, CHARTER_NAME_MAX);
	p = expect_decoded(test, b, sizeof(*b));
	KUNIT_EXPECT_EQ(test, strlen(p->manifests[0].name), (size_t)CHARTER_NAME_MAX);
	charter_policy_release_now(p);
	name_blob_init(b, CHARTER_NAME_MAX + 1);
	expect_refused(test, b, sizeof(*b), -EINVAL);
}

/*
 * A run path with @bad spelled into the strings, on manifest "tool", as
 * its run path and as its alias.
 */
static void expect_run_refused(struct kunit *test, const char *bad)
{
	struct test_strings s;
	struct test_blob b;
	u32 used;

	test_blob_init(&b, &s);
	used = s.run_tool;	/* overwrite the last string */
	memset(b.strings + used, 0, sizeof(b.strings) - used);
	b.m[1].run = cpu_to_le32(add_string(&b, &used, bad));
	KUNIT_EXPECT_EQ_MSG(test, charter_blob_decode(&b, sizeof(b), NULL),
			    ERR_PTR(-EINVAL), "run '%s'", bad);
	b.m[1].run_alias = b.m[1].run;
	b.m[1].run = b.m[0].run;
	b.m[0].run = cpu_to_le32(s.empty);
	KUNIT_EXPECT_EQ_MSG(test, charter_blob_decode(&b, sizeof(b), NULL),
			    ERR_PTR(-EINVAL), "run alias '%s'", bad);
}

static void charter_blob_run_checked(struct kunit *test)
{
	static const char *const bad[] = {
		"usr/bin/tool", "/usr/bin/", "/usr//bin/tool", "/usr/./tool",
		"/usr/../tool", "/", "//", "/usr/bin/tool/.", "/..",
	};
	struct charter_policy *p;
	struct test_strings s;
	struct test_blob b;
	unsigned int i;

	test_blob_init(&b, &s);
	b.m[1].run = cpu_to_le32(s.run_tool);
	b.m[1].run_alias = cpu_to_le32(s.alias_tool);
	p = expect_decoded(test, &b, sizeof(b));
	KUNIT_EXPECT_STREQ(test, p->manifests[0].run, "/usr/bin/app");
	KUNIT_EXPECT_NULL(test, p->manifests[0].run_alias);
	KUNIT_EXPECT_EQ(test, p->manifests[0].flags, CHARTER_MANIFEST_PINNED);
	KUNIT_EXPECT_STREQ(test, p->manifests[1].run, "/opt/tool/bin/tool");
	KUNIT_EXPECT_STREQ(test, p->manifests[1].run_alias, "/opt/tool/cur/tool");
	KUNIT_EXPECT_EQ(test, p->manifests[1].flags, 0);
	KUNIT_EXPECT_EQ(test, p->run_path_count, 3);
	KUNIT_EXPECT_EQ(test, p->run_paths[0].base, 9);
	KUNIT_EXPECT_EQ(test, p->run_paths[0].len, 12);
	charter_policy_release_now(p);

	/* Empty: no run path. */
	test_blob_init(&b, &s);
	p = expect_decoded(test, &b, sizeof(b));
	KUNIT_EXPECT_NULL(test, p->manifests[1].run);
	KUNIT_EXPECT_EQ(test, p->run_path_count, 1);
	charter_policy_release_now(p);
	/* An alias without a run path: refused. */
	test_blob_init(&b, &s);
	b.m[1].run_alias = cpu_to_le32(s.alias_tool);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	/* An alias that is another manifest's run path: refused. */
	test_blob_init(&b, &s);
	b.m[1].run = cpu_to_le32(s.run_tool);
	b.m[1].run_alias = b.m[0].run;
	expect_refused(test, &b, sizeof(b), -EEXIST);

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_run_refused(test, bad[i]);

	/* Out of the string section. */
	test_blob_init(&b, &s);
	b.m[1].run = cpu_to_le32(sizeof(b.strings));
	expect_refused(test, &b, sizeof(b), -EINVAL);
	/* Unknown flag. */
	test_blob_init(&b, &s);
	b.m[1].flags = cpu_to_le32(CHARTER_MANIFEST_FLAGS + 1);
	expect_refused(test, &b, sizeof(b), -EINVAL);
	/* Two manifests for one run path: which would hold a new build? */
	test_blob_init(&b, &s);
	b.m[1].run = b.m[0].run;
	expect_refused(test, &b, sizeof(b), -EEXIST);
}

/* charter_path_is() of kunit_stubs.c says a file lies at this path. */
extern const char *charter_kunit_file_path;

/* The manifest of a file that lies at @path. */
static const struct charter_manifest *find_file(const struct charter_policy *p,
						const char *path)
{
	struct qstr name = QSTR_INIT(strrchr(path, '/') + 1,
				     strlen(strrchr(path, '/') + 1));
	struct path file = {};

	charter_kunit_file_path = path;
	return charter_run_find_file(p, &file, &name);
}

static void charter_policy_run_index(struct kunit *test)
{
	struct charter_policy *p;
	struct test_strings s;
	struct test_blob b;

	test_blob_init(&b, &s);
	b.m[1].run = cpu_to_le32(s.run_tool);
	b.m[1].run_alias = cpu_to_le32(s.alias_tool);
	p = expect_decoded(test, &b, sizeof(b));
	KUNIT_EXPECT_PTR_EQ(test, find_file(p, "/usr/bin/app"), &p->manifests[0]);
	KUNIT_EXPECT_PTR_EQ(test, find_file(p, "/opt/tool/bin/tool"),
			    &p->manifests[1]);
	/* The same name elsewhere, a longer or shorter name: none. */
	KUNIT_EXPECT_NULL(test, find_file(p, "/usr/local/bin/app"));
	KUNIT_EXPECT_NULL(test, find_file(p, "/usr/bin/apps"));
	KUNIT_EXPECT_NULL(test, find_file(p, "/usr/bin/ap"));
	KUNIT_EXPECT_NULL(test, find_file(p, "/usr/bin/tool"));
	/* A symlink lies at an alias, never the file. */
	KUNIT_EXPECT_NULL(test, find_file(p, "/opt/tool/cur/tool"));

	/* By the name an exec used: run paths and aliases, exactly. */
	KUNIT_EXPECT_PTR_EQ(test, charter_run_find_name(p, "/usr/bin/app"),
			    &p->manifests[0]);
	KUNIT_EXPECT_PTR_EQ(test, charter_run_find_name(p, "/opt/tool/cur/tool"),
			    &p->manifests[1]);
	KUNIT_EXPECT_NULL(test, charter_run_find_name(p, "app"));
	KUNIT_EXPECT_NULL(test, charter_run_find_name(p, "/usr//bin/app"));
	KUNIT_EXPECT_NULL(test, charter_run_find_name(p, "/usr/bin/app/"));
	KUNIT_EXPECT_NULL(test, charter_run_find_name(p, "/"));
	KUNIT_EXPECT_TRUE(test, charter_run_has_name(p, "tool", 4));
	KUNIT_EXPECT_FALSE(test, charter_run_has_name(p, "too", 3));
	/* The same file: by run path only, not alias. */
	KUNIT_EXPECT_PTR_EQ(test, charter_run_find_same(p, &p->manifests[1]),
			    &p->manifests[1]);
	charter_policy_release_now(p);
}

static struct kunit_case charter_blob_cases[] = {
	KUNIT_CASE(charter_blob_name_length_boundary),
	KUNIT_CASE(charter_blob_layout_is_aligned),
	KUNIT_CASE(charter_blob_valid_decodes_exactly),
	KUNIT_CASE(charter_blob_empty_policy_is_valid),
	KUNIT_CASE(charter_blob_every_truncation_refused),
	KUNIT_CASE(charter_blob_consistent_truncation_refused),
	KUNIT_CASE(charter_blob_header_fields_checked),
	KUNIT_CASE(charter_blob_sections_checked),
	KUNIT_CASE(charter_blob_strings_checked),
	KUNIT_CASE(charter_blob_path_rules_checked),
	KUNIT_CASE(charter_blob_net_rules_checked),
	KUNIT_CASE(charter_blob_manifest_fields_checked),
	KUNIT_CASE(charter_blob_run_checked),
	KUNIT_CASE(charter_policy_run_index),
	{}
};

static struct kunit_suite charter_blob_suite = {
	.name = "charter_blob",
	.test_cases = charter_blob_cases,
};

kunit_test_suite(charter_blob_suite);
