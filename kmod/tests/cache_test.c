// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the access cache (kmod/cache.c) answers what the index answers,
 * always: for two manifests asking about one path, for an index rebuilt
 * at the same address, for more paths than it holds, for paths too long
 * to keep, and for two paths of one hash.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/stringhash.h>

#include "../cache.h"
#include "../match.h"
#include "../policy.h"
#include "../ruleindex.h"

#define R CHARTER_ACCESS_READ
#define W CHARTER_ACCESS_WRITE

struct test_index {
	struct charter_path_rule rules[4];
	struct charter_path_index ix;
	void *mem;
	u32 count;
};

/* Index @patterns (NULL-terminated), each granting @access. */
static void test_index(struct kunit *test, struct test_index *t,
		       const char *const *patterns, u32 access)
{
	size_t size;

	for (t->count = 0; patterns[t->count]; t->count++) {
		struct charter_path_rule *r = &t->rules[t->count];

		r->pattern = patterns[t->count];
		r->len = strlen(r->pattern);
		r->access = access;
		KUNIT_ASSERT_EQ(test, charter_pattern_check(r->pattern,
							    &r->prefix_len), 0);
	}
	size = charter_path_index_size(t->rules, t->count);
	if (!t->mem)
		t->mem = kunit_kzalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->mem);
	KUNIT_ASSERT_LE(test, size, (size_t)4096);
	charter_path_index_build(&t->ix, t->rules, t->count, t->mem);
}

/* The cached answer, twice (the second from the cache), is the scan's. */
static void test_expect(struct kunit *test, const struct test_index *t,
			const char *path)
{
	u32 want = charter_rules_access(t->rules, t->count, path);

	KUNIT_EXPECT_EQ_MSG(test, charter_cache_path_access(&t->ix, path), want,
			    "%s (first)", path);
	KUNIT_EXPECT_EQ_MSG(test, charter_cache_path_access(&t->ix, path), want,
			    "%s (again)", path);
}

static int test_init(struct kunit *test)
{
	return charter_cache_init();
}

static void test_exit(struct kunit *test)
{
	charter_cache_exit();
}

/* One path, two manifests: each gets its own rules' answer. */
static void charter_cache_two_indexes(struct kunit *test)
{
	static const char *const srv[] = { "/srv", NULL };
	static const char *const etc[] = { "/etc", NULL };
	struct test_index *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct test_index *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	test_index(test, a, srv, R);
	test_index(test, b, etc, W);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, charter_cache_path_access(&a->ix, "/srv/x"), R);
		KUNIT_EXPECT_EQ(test, charter_cache_path_access(&b->ix, "/srv/x"), 0);
		KUNIT_EXPECT_EQ(test, charter_cache_path_access(&a->ix, "/etc/x"), 0);
		KUNIT_EXPECT_EQ(test, charter_cache_path_access(&b->ix, "/etc/x"), W);
	}
}

/*
 * A policy freed and another decoded where it was: same index address,
 * other rules. The cache must not answer with the old ones.
 */
static void charter_cache_index_rebuilt(struct kunit *test)
{
	static const char *const first[] = { "/srv/app", NULL };
	static const char *const second[] = { "/srv/other", NULL };
	struct test_index *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	test_index(test, t, first, R | W);
	KUNIT_EXPECT_EQ(test, charter_cache_path_access(&t->ix, "/srv/app/f"), R | W);
	test_index(test, t, second, R);
	KUNIT_EXPECT_EQ(test, charter_cache_path_access(&t->ix, "/srv/app/f"), 0);
	KUNIT_EXPECT_EQ(test, charter_cache_path_access(&t->ix, "/srv/other"), R);
}

/* Far more paths than entries, each asked twice in turn, and globs. */
static void charter_cache_many_paths(struct kunit *test)
{
	static const char *const rules[] = { "/srv/d*", "/srv/app/**/*.log",
					     "/etc/app.conf", NULL };
	struct test_index *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	static const char *const forms[] = { "/srv/d%u/f", "/srv/app/%u/x.log",
					     "/srv/e%u", "/etc/app.conf" };
	char path[64];
	u32 round, i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	test_index(test, t, rules, R);
	for (round = 0; round < 2; round++)
		for (i = 0; i < 1000; i++) {
			snprintf(path, sizeof(path), forms[i % 4], i);
			test_expect(test, t, path);
		}
}

/* Around the longest path kept (111 bytes), and far beyond it. */
static void charter_cache_long_paths(struct kunit *test)
{
	static const char *const rules[] = { "/srv/a*", NULL };
	struct test_index *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	char *path = kunit_kzalloc(test, PATH_MAX, GFP_KERNEL);
	static const size_t lens[] = { 110, 111, 112, 113, 255, PATH_MAX - 1 };
	u32 i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, path);
	test_index(test, t, rules, R);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		memset(path, 'a', lens[i]);
		memcpy(path, "/srv/", 5);
		path[lens[i]] = '\0';
		test_expect(test, t, path);
		/* The same length, one byte other: /srv/b... is not granted. */
		path[5] = 'b';
		test_expect(test, t, path);
	}
}

struct test_hashed {
	u32 hash;
	u32 n;
};

static int test_hashed_cmp(const void *a, const void *b)
{
	const struct test_hashed *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

#define TEST_COLLIDE_TRIES 300000
#define TEST_COLLIDE_FMT "/c/%08x"

/*
 * Two paths of one length and one hash (found by trying 300,000: some
 * ten pairs expected): a rule grants the first only. Each looked up
 * right after the other, the second must not get the first's answer.
 */
static void charter_cache_hash_collision(struct kunit *test)
{
	struct test_index *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct test_hashed *h = kvmalloc_array(TEST_COLLIDE_TRIES, sizeof(*h),
					       GFP_KERNEL);
	const char *rules[2];
	char a[16], b[16];
	u32 i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h);
	for (i = 0; i < TEST_COLLIDE_TRIES; i++) {
		snprintf(a, sizeof(a), TEST_COLLIDE_FMT, i);
		h[i] = (struct test_hashed){ full_name_hash(NULL, a, strlen(a)), i };
	}
	sort(h, TEST_COLLIDE_TRIES, sizeof(*h), test_hashed_cmp, NULL);
	for (i = 1; i < TEST_COLLIDE_TRIES && h[i].hash != h[i - 1].hash; i++)
		;
	if (i == TEST_COLLIDE_TRIES) {
		kvfree(h);
		KUNIT_FAIL(test, "no two paths of one hash among %d",
			   TEST_COLLIDE_TRIES);
		return;
	}
	snprintf(a, sizeof(a), TEST_COLLIDE_FMT, h[i - 1].n);
	snprintf(b, sizeof(b), TEST_COLLIDE_FMT, h[i].n);
	kvfree(h);
	rules[0] = a;
	rules[1] = NULL;
	test_index(test, t, rules, R);
	KUNIT_EXPECT_EQ_MSG(test, charter_cache_path_access(&t->ix, a), R, "%s", a);
	KUNIT_EXPECT_EQ_MSG(test, charter_cache_path_access(&t->ix, b), 0,
			    "%s after %s (one hash)", b, a);
	KUNIT_EXPECT_EQ_MSG(test, charter_cache_path_access(&t->ix, a), R,
			    "%s after %s (one hash)", a, b);
}

static struct kunit_case charter_cache_cases[] = {
	KUNIT_CASE(charter_cache_two_indexes),
	KUNIT_CASE(charter_cache_index_rebuilt),
	KUNIT_CASE(charter_cache_many_paths),
	KUNIT_CASE(charter_cache_long_paths),
	KUNIT_CASE(charter_cache_hash_collision),
	{}
};

static struct kunit_suite charter_cache_suite = {
	.name = "charter_cache",
	.init = test_init,
	.exit = test_exit,
	.test_cases = charter_cache_cases,
};

kunit_test_suite(charter_cache_suite);
