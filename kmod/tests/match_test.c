// SPDX-License-Identifier: GPL-2.0
/* KUnit: the path matcher (kmod/match.c). */

#include <kunit/test.h>

#include "../match.h"
#include "../policy.h"

#define BENEATH(dir, path) charter_path_beneath(dir, strlen(dir), path)

static void charter_match_dir_covers_itself_and_below(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, BENEATH("/srv/app", "/srv/app"));
	KUNIT_EXPECT_TRUE(test, BENEATH("/srv/app", "/srv/app/x"));
	KUNIT_EXPECT_TRUE(test, BENEATH("/srv/app", "/srv/app/a/b/c"));
}

static void charter_match_component_boundary(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, BENEATH("/srv/app", "/srv/apple"));
	KUNIT_EXPECT_FALSE(test, BENEATH("/srv/app", "/srv/ap"));
	KUNIT_EXPECT_FALSE(test, BENEATH("/srv/app", "/srv"));
	KUNIT_EXPECT_FALSE(test, BENEATH("/srv/app", "/"));
	KUNIT_EXPECT_FALSE(test, BENEATH("/srv/app", "/other/srv/app"));
	KUNIT_EXPECT_FALSE(test, BENEATH("/srv/app", ""));
}

static void charter_match_root_covers_everything(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, BENEATH("/", "/"));
	KUNIT_EXPECT_TRUE(test, BENEATH("/", "/etc/passwd"));
	/* d_path() of an unreachable file is not absolute: not covered. */
	KUNIT_EXPECT_FALSE(test, BENEATH("/", "pipe:[123]"));
	KUNIT_EXPECT_FALSE(test, BENEATH("/", ""));
}

static void charter_match_access_is_union_of_covering_rules(struct kunit *test)
{
	static const struct charter_rule rules[] = {
		{ "/srv", 4, CHARTER_ACCESS_READ },
		{ "/srv/app/data", 13, CHARTER_ACCESS_WRITE },
		{ "/tmp", 4, CHARTER_ACCESS_ALL },
	};

	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 3, "/srv/x"),
			CHARTER_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 3, "/srv/app/data/f"),
			CHARTER_ACCESS_ALL);
	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 3, "/tmp"),
			CHARTER_ACCESS_ALL);
	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 3, "/etc/passwd"), 0);
	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 0, "/srv/x"), 0);
}

static struct kunit_case charter_match_cases[] = {
	KUNIT_CASE(charter_match_dir_covers_itself_and_below),
	KUNIT_CASE(charter_match_component_boundary),
	KUNIT_CASE(charter_match_root_covers_everything),
	KUNIT_CASE(charter_match_access_is_union_of_covering_rules),
	{}
};

static struct kunit_suite charter_match_suite = {
	.name = "charter_match",
	.test_cases = charter_match_cases,
};

kunit_test_suite(charter_match_suite);
