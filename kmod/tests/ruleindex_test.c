// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the rule indexes (kmod/ruleindex.c) give exactly the answers of
 * the scans they replace (kmod/match.c), on generated rule sets and on
 * the cases that stress the index: prefixes of one hash, prefixes beside
 * each other ("/srv/app" and "/srv/apple"), many rules per prefix, globs
 * in the first component, "/", no rules at all.
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../match.h"
#include "../netrule.h"
#include "../policy.h"
#include "../ruleindex.h"

#define R CHARTER_ACCESS_READ
#define W CHARTER_ACCESS_WRITE
#define X CHARTER_ACCESS_EXECUTE

#define TEST_PATTERN_LEN 96
#define TEST_MAX_RULES 400
#define TEST_SETS 120
#define TEST_PATHS 48

/* A deterministic PRNG (64-bit LCG, high bits): the same sets each run. */
static u32 test_rand(u64 *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

static u32 test_below(u64 *state, u32 n)
{
	return test_rand(state) % n;
}

/*
 * Few names, so that prefixes repeat and stand beside each other; two
 * whose hashes collide ("/oyaycp" and "/sqsvld", checked below).
 */
static const char *const test_names[] = {
	"srv", "app", "apple", "ap", "a", "b", "etc", "x.conf", "y.log",
	"oyaycp", "sqsvld", "tty1", "tty10",
};

static const char *const test_globs[] = {
	"*", "?", "a*", "*.conf", "*p*", "**", "tty?", "a?p*", "*.log",
};

struct test_rules {
	struct charter_path_rule rules[TEST_MAX_RULES];
	char patterns[TEST_MAX_RULES][TEST_PATTERN_LEN];
	u32 count;
};

/* Append "/" and a name or glob to @buf (of TEST_PATTERN_LEN bytes). */
static void test_add_component(char *buf, const char *c)
{
	strlcat(buf, "/", TEST_PATTERN_LEN);
	strlcat(buf, c, TEST_PATTERN_LEN);
}

static const char *test_name(u64 *state)
{
	return test_names[test_below(state, ARRAY_SIZE(test_names))];
}

/* "/" now and then; else one to four components, a fifth of them globs. */
static void test_make_pattern(u64 *state, char *buf)
{
	u32 depth, i;

	buf[0] = '\0';
	if (!test_below(state, 40)) {
		strscpy(buf, "/", TEST_PATTERN_LEN);
		return;
	}
	depth = 1 + test_below(state, 4);
	for (i = 0; i < depth; i++)
		test_add_component(buf, test_below(state, 5) ? test_name(state) :
				   test_globs[test_below(state, ARRAY_SIZE(test_globs))]);
}

static void test_make_rules(struct kunit *test, u64 *state,
			    struct test_rules *t, u32 count)
{
	u32 i;

	t->count = count;
	for (i = 0; i < count; i++) {
		struct charter_path_rule *r = &t->rules[i];

		test_make_pattern(state, t->patterns[i]);
		r->pattern = t->patterns[i];
		r->len = strlen(r->pattern);
		r->access = 1 + test_below(state, CHARTER_ACCESS_ALL);
		KUNIT_ASSERT_EQ_MSG(test, charter_pattern_check(r->pattern,
								&r->prefix_len),
				    0, "%s", r->pattern);
	}
}

static void test_build_path_index(struct kunit *test,
				  struct charter_path_index *ix,
				  const struct charter_path_rule *rules,
				  u32 count)
{
	size_t size = charter_path_index_size(rules, count);
	void *mem = kunit_kmalloc(test, size ?: 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mem);
	KUNIT_ASSERT_PTR_EQ(test, charter_path_index_build(ix, rules, count, mem),
			    mem + size);
}

/*
 * A path to look up: random names, or one near a rule (its pattern, its
 * prefix, beneath it, beside it, its parent), or a string no
 * d_absolute_path() gives (the index must agree on any string).
 */
static void test_make_path(u64 *state, const struct test_rules *t, char *buf)
{
	const struct charter_path_rule *r = &t->rules[test_below(state, t->count)];
	static const char *const odd[] = {
		"", "srv", "//", "/srv//app", "/srv/app/", "/oyaycp/", "pipe:[1]",
	};
	u32 i, depth;
	char *slash;

	buf[0] = '\0';
	switch (test_below(state, 8)) {
	case 0:
		strscpy(buf, odd[test_below(state, ARRAY_SIZE(odd))],
			TEST_PATTERN_LEN);
		return;
	case 1:
		strscpy(buf, r->pattern, TEST_PATTERN_LEN);
		return;
	case 2:		/* at the prefix, or beside it */
	case 3:
		strscpy(buf, r->pattern, min_t(size_t, r->prefix_len + 1,
					       TEST_PATTERN_LEN));
		if (!buf[0])
			strscpy(buf, "/", TEST_PATTERN_LEN);
		if (test_below(state, 2))
			strlcat(buf, "le", TEST_PATTERN_LEN);
		return;
	case 4:		/* above */
		strscpy(buf, r->pattern, TEST_PATTERN_LEN);
		slash = strrchr(buf, '/');
		if (slash)
			*slash = '\0';
		if (!buf[0])
			strscpy(buf, "/", TEST_PATTERN_LEN);
		return;
	case 5:		/* beneath the prefix */
		strscpy(buf, r->pattern, min_t(size_t, r->prefix_len + 1,
					       TEST_PATTERN_LEN));
		break;
	}
	depth = test_below(state, 5);
	for (i = 0; i < depth; i++)
		test_add_component(buf, test_name(state));
	if (!buf[0])
		strscpy(buf, "/", TEST_PATTERN_LEN);
}

/* One generated set: every path's rights by the index are the scan's. */
static void test_path_set(struct kunit *test, u64 *state,
			  struct test_rules *t, u32 count)
{
	struct charter_path_index ix;
	char path[TEST_PATTERN_LEN + 16];
	u32 i;

	test_make_rules(test, state, t, count);
	test_build_path_index(test, &ix, t->rules, count);
	for (i = 0; i < TEST_PATHS; i++) {
		test_make_path(state, t, path);
		KUNIT_ASSERT_EQ_MSG(test, charter_path_index_access(&ix, path),
				    charter_rules_access(t->rules, count, path),
				    "path %s, %u rules, first %s", path, count,
				    t->rules[0].pattern);
	}
}

static void charter_ruleindex_paths_generated(struct kunit *test)
{
	struct test_rules *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	u64 state = 17;
	u32 set;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	/* Set sizes from 1 to TEST_MAX_RULES: tables of every load. */
	for (set = 0; set < TEST_SETS; set++)
		test_path_set(test, &state, t,
			      1 + test_below(&state, set < 60 ? 12 : TEST_MAX_RULES));
}

/* A path longer than any pattern: probed up to the longest prefix. */
static void charter_ruleindex_long_path(struct kunit *test)
{
	static const char *const patterns[] = { "/a", "/a/a/**/b", "/**/a" };
	struct charter_path_rule rules[ARRAY_SIZE(patterns)] = {};
	struct charter_path_index ix;
	size_t n = CHARTER_PATTERN_MAX + 201, i;
	char *path = kunit_kmalloc(test, n + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, path);
	for (i = 0; i < ARRAY_SIZE(patterns); i++) {
		rules[i].pattern = patterns[i];
		rules[i].len = strlen(patterns[i]);
		rules[i].access = 1u << i;
		KUNIT_ASSERT_EQ(test, charter_pattern_check(patterns[i],
							    &rules[i].prefix_len), 0);
	}
	test_build_path_index(test, &ix, rules, ARRAY_SIZE(rules));
	for (i = 0; i < n; i += 2)
		memcpy(path + i, "/a", 2);
	path[n] = '\0';
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, path), R | X);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, path),
			charter_rules_access(rules, ARRAY_SIZE(rules), path));
	path[n - 1] = 'b';
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, path),
			charter_rules_access(rules, ARRAY_SIZE(rules), path));
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, path), R | W | X);
}

static struct charter_path_rule test_rule(struct kunit *test,
					  const char *pattern, u8 access);

/* The longest pattern there is, as a prefix: found at its full length. */
static void charter_ruleindex_longest_prefix(struct kunit *test)
{
	struct charter_path_rule rules[1];
	struct charter_path_index ix;
	size_t n = CHARTER_PATTERN_MAX, i;
	char *pattern = kunit_kzalloc(test, n + 1, GFP_KERNEL);
	char *path = kunit_kzalloc(test, n + 3, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pattern);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, path);
	for (i = 0; i + 1 < n; i += 2)
		memcpy(pattern + i, "/a", 2);
	memset(pattern + i, 'a', n - i);	/* the last component longer */
	rules[0] = test_rule(test, pattern, R);
	KUNIT_ASSERT_EQ(test, rules[0].prefix_len, (u16)n);
	test_build_path_index(test, &ix, rules, 1);
	memcpy(path, pattern, n);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, path), R);
	memcpy(path + n, "/x", 2);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, path), R);
	path[n] = 'x';
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, path), 0u);
}

static struct charter_path_rule test_rule(struct kunit *test,
					  const char *pattern, u8 access)
{
	struct charter_path_rule r = { .pattern = pattern,
				       .len = strlen(pattern), .access = access };

	KUNIT_EXPECT_EQ(test, charter_pattern_check(pattern, &r.prefix_len), 0);
	return r;
}

static void charter_ruleindex_empty_manifest(struct kunit *test)
{
	struct charter_path_index ix;
	struct charter_net_index nx;
	struct charter_endpoint ep = { .family = CHARTER_FAMILY_INET,
				       .protocol = CHARTER_PROTO_TCP,
				       .port = 80 };
	void *mem = kunit_kmalloc(test, charter_net_index_size(0), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mem);
	KUNIT_EXPECT_EQ(test, charter_path_index_size(NULL, 0), 0);
	KUNIT_EXPECT_PTR_EQ(test, charter_path_index_build(&ix, NULL, 0, mem), mem);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/"), 0u);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/etc/passwd"), 0u);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, ""), 0u);
	charter_net_index_build(&nx, NULL, 0, mem);
	KUNIT_EXPECT_FALSE(test, charter_net_index_allows(&nx, CHARTER_NET_OUTBOUND, &ep));
	KUNIT_EXPECT_FALSE(test, charter_net_index_allows_port(&nx, CHARTER_PROTO_TCP, 80));
}

static void charter_ruleindex_root_rule(struct kunit *test)
{
	struct charter_path_rule rules[] = {
		test_rule(test, "/", R), test_rule(test, "/srv/app", W),
	};
	struct charter_path_index ix;

	test_build_path_index(test, &ix, rules, ARRAY_SIZE(rules));
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/"), R);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/etc/passwd"), R);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/srv/app/x"), R | W);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/srv/apple"), R);
	/* Not absolute: d_path() of a pipe, never covered. */
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "pipe:[1]"), 0u);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, ""), 0u);
}

/*
 * Two prefixes of one hash share a probe sequence: each must give its own
 * rules only (the bytes are compared, not just the hash).
 */
static void charter_ruleindex_hash_collision(struct kunit *test)
{
	struct charter_path_rule rules[] = {
		test_rule(test, "/oyaycp", R),
		test_rule(test, "/sqsvld/**/*.log", W),
		test_rule(test, "/sqsvld", X),
	};
	struct charter_path_index ix;

	KUNIT_ASSERT_EQ(test, charter_prefix_hash("/oyaycp", 7),
			charter_prefix_hash("/sqsvld", 7));
	test_build_path_index(test, &ix, rules, ARRAY_SIZE(rules));
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/oyaycp/a.log"), R);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/sqsvld/a.log"), W | X);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/sqsvld/a"), X);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/oyaycpx"), 0u);
}

/* Many rules on one prefix, plain and glob, and "/srv/app" beside "/srv/apple". */
static void charter_ruleindex_many_per_prefix(struct kunit *test)
{
	struct charter_path_rule rules[] = {
		test_rule(test, "/srv/app", R),
		test_rule(test, "/srv/app/*.sh", X),
		test_rule(test, "/srv/app/**/*.log", W),
		test_rule(test, "/srv/app", R),
		test_rule(test, "/srv/apple/*", W),
		test_rule(test, "/*.conf", X),
	};
	struct charter_path_index ix;

	test_build_path_index(test, &ix, rules, ARRAY_SIZE(rules));
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/srv/app"), R);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/srv/app/run.sh"), R | X);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/srv/app/a/b.log"), R | W);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/srv/apple"), 0u);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/srv/apple/x"), W);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/srv"), 0u);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/x.conf"), X);
	KUNIT_EXPECT_EQ(test, charter_path_index_access(&ix, "/x.conf/y"), X);
}

static const u16 test_ports[] = { 0, 22, 53, 80, 443, 8080, 8081, 65535 };

static u16 test_port(u64 *state)
{
	return test_below(state, 4) ? test_ports[test_below(state, ARRAY_SIZE(test_ports))]
				    : test_rand(state);
}

static void test_make_net_rule(u64 *state, struct charter_net_rule *r)
{
	static const u8 families[] = {
		CHARTER_FAMILY_ANY, CHARTER_FAMILY_INET, CHARTER_FAMILY_INET6,
	};
	u32 i;

	memset(r, 0, sizeof(*r));
	r->family = families[test_below(state, ARRAY_SIZE(families))];
	r->direction = 1 + test_below(state, CHARTER_NET_DIRECTIONS);
	r->protocol = 1 + test_below(state, CHARTER_PROTOCOLS);
	r->port_min = test_port(state);
	r->port_max = r->port_min;
	if (!test_below(state, 5))	/* a range */
		r->port_max = r->port_min + test_below(state, 65536 - r->port_min);
	if (r->family == CHARTER_FAMILY_ANY)
		return;
	r->prefix = test_below(state, r->family == CHARTER_FAMILY_INET ? 33 : 129);
	for (i = 0; i < 16; i++)
		r->addr[i] = test_below(state, 4);
}

/* An endpoint near a rule's (its port, one off, its address, a bit off). */
static void test_make_endpoint(u64 *state, const struct charter_net_rule *r,
			       struct charter_endpoint *ep)
{
	u32 i;

	ep->family = test_below(state, 2) ? CHARTER_FAMILY_INET : CHARTER_FAMILY_INET6;
	if (r->family != CHARTER_FAMILY_ANY && test_below(state, 4))
		ep->family = r->family;
	ep->protocol = test_below(state, 3);	/* 0, TCP or UDP */
	ep->port = test_below(state, 2) ? r->port_min : r->port_max;
	ep->port += test_below(state, 3) - 1;
	if (!test_below(state, 4))
		ep->port = test_port(state);
	memcpy(ep->addr, r->addr, sizeof(ep->addr));
	if (test_below(state, 2)) {
		i = test_below(state, 128);
		ep->addr[i / 8] ^= 0x80 >> (i % 8);
	}
}

static void charter_ruleindex_net_generated(struct kunit *test)
{
	struct charter_net_rule *rules;
	struct charter_net_index nx;
	struct charter_endpoint ep;
	u64 state = 23;
	u32 set, i, count;
	void *mem;

	rules = kunit_kcalloc(test, TEST_MAX_RULES, sizeof(*rules), GFP_KERNEL);
	mem = kunit_kmalloc(test, charter_net_index_size(TEST_MAX_RULES), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rules);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mem);
	for (set = 0; set < TEST_SETS; set++) {
		count = 1 + test_below(&state, set < 60 ? 8 : TEST_MAX_RULES);
		for (i = 0; i < count; i++)
			test_make_net_rule(&state, &rules[i]);
		KUNIT_ASSERT_PTR_EQ(test, charter_net_index_build(&nx, rules, count, mem),
				    mem + charter_net_index_size(count));
		for (i = 0; i < TEST_PATHS; i++) {
			u8 dir = 1 + test_below(&state, CHARTER_NET_DIRECTIONS);

			test_make_endpoint(&state, &rules[test_below(&state, count)], &ep);
			KUNIT_ASSERT_EQ_MSG(test,
					    charter_net_index_allows(&nx, dir, &ep),
					    charter_net_allows(rules, count, dir, &ep),
					    "set %u port %u", set, ep.port);
			KUNIT_ASSERT_EQ_MSG(test,
					    charter_net_index_allows_port(&nx, ep.protocol, ep.port),
					    charter_net_allows_port(rules, count, ep.protocol, ep.port),
					    "set %u port %u", set, ep.port);
		}
	}
}

/* One port per rule, one range: each found, nothing else. */
static void charter_ruleindex_net_ports_and_ranges(struct kunit *test)
{
	static const struct charter_net_rule rules[] = {
		{ .family = CHARTER_FAMILY_ANY, .direction = CHARTER_NET_OUTBOUND,
		  .protocol = CHARTER_PROTO_TCP, .port_min = 443, .port_max = 443 },
		{ .family = CHARTER_FAMILY_INET, .prefix = 8, .addr = { 127 },
		  .direction = CHARTER_NET_INBOUND, .protocol = CHARTER_PROTO_UDP,
		  .port_min = 5000, .port_max = 5009 },
		{ .family = CHARTER_FAMILY_ANY, .direction = CHARTER_NET_INBOUND,
		  .protocol = CHARTER_PROTO_TCP, .port_min = 8080, .port_max = 8080 },
	};
	struct charter_endpoint ep = { .family = CHARTER_FAMILY_INET,
				       .protocol = CHARTER_PROTO_TCP, .port = 443,
				       .addr = { 127, 0, 0, 1 } };
	u8 out = CHARTER_NET_OUTBOUND, in = CHARTER_NET_INBOUND;
	struct charter_net_index nx;
	void *mem = kunit_kmalloc(test, charter_net_index_size(3), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mem);
	charter_net_index_build(&nx, rules, 3, mem);
	KUNIT_EXPECT_TRUE(test, charter_net_index_allows(&nx, out, &ep));
	KUNIT_EXPECT_FALSE(test, charter_net_index_allows(&nx, in, &ep));
	ep.port = 444;
	KUNIT_EXPECT_FALSE(test, charter_net_index_allows(&nx, out, &ep));
	ep.protocol = CHARTER_PROTO_UDP;
	ep.port = 5005;
	KUNIT_EXPECT_TRUE(test, charter_net_index_allows(&nx, in, &ep));
	ep.addr[0] = 128;
	KUNIT_EXPECT_FALSE(test, charter_net_index_allows(&nx, in, &ep));
	KUNIT_EXPECT_TRUE(test, charter_net_index_allows_port(&nx, CHARTER_PROTO_UDP, 5009));
	KUNIT_EXPECT_FALSE(test, charter_net_index_allows_port(&nx, CHARTER_PROTO_UDP, 5010));
	KUNIT_EXPECT_TRUE(test, charter_net_index_allows_port(&nx, CHARTER_PROTO_TCP, 8080));
	KUNIT_EXPECT_FALSE(test, charter_net_index_allows_port(&nx, CHARTER_PROTO_TCP, 443));
}

static struct kunit_case charter_ruleindex_cases[] = {
	KUNIT_CASE(charter_ruleindex_empty_manifest),
	KUNIT_CASE(charter_ruleindex_root_rule),
	KUNIT_CASE(charter_ruleindex_hash_collision),
	KUNIT_CASE(charter_ruleindex_many_per_prefix),
	KUNIT_CASE(charter_ruleindex_long_path),
	KUNIT_CASE(charter_ruleindex_longest_prefix),
	KUNIT_CASE(charter_ruleindex_paths_generated),
	KUNIT_CASE(charter_ruleindex_net_ports_and_ranges),
	KUNIT_CASE(charter_ruleindex_net_generated),
	{}
};

static struct kunit_suite charter_ruleindex_suite = {
	.name = "charter_ruleindex",
	.test_cases = charter_ruleindex_cases,
};

kunit_test_suite(charter_ruleindex_suite);
