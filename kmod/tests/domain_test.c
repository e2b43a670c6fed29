// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: domains (kmod/domain.c): stacking, the layer limit, moves, modes
 * and following a manifest into a newer policy.
 */

#include <kunit/test.h>
#include <linux/netlink.h>
#include <linux/slab.h>

#include "../decide.h"
#include "../domain.h"
#include "policy_builder.h"
#include "../match.h"
#include "../policy.h"

#define R CHARTER_ACCESS_READ
#define W CHARTER_ACCESS_WRITE
#define X CHARTER_ACCESS_EXECUTE
#define RW (R | W)

static const struct test_manifest outer_inner[] = {
	{ 1, "outer", { { "/srv/a", R }, { "/srv/both", R } } },
	{ 2, "inner", { { "/srv/b", R }, { "/srv/both", RW } } },
};

static void charter_domain_one_layer(struct kunit *test)
{
	struct charter_policy *p = test_make_policy(test, outer_inner, 2);
	struct charter_domain *d = charter_domain_stack(NULL, p, test_manifest_by_id(p, 1));

	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_EXPECT_EQ(test, d->depth, 1u);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/a/x", R), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/a/x", W), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/b/x", R), -EACCES);
	/* A path that could not be named is granted nothing. */
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, NULL, R), -EACCES);
	charter_domain_put(d);
	charter_policy_put(p);
}

static void charter_domain_stack_needs_every_layer(struct kunit *test)
{
	struct charter_policy *p = test_make_policy(test, outer_inner, 2);
	struct charter_domain *outer = charter_domain_stack(NULL, p, test_manifest_by_id(p, 1));
	struct charter_domain *d = charter_domain_stack(outer, p, test_manifest_by_id(p, 2));

	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_EXPECT_EQ(test, d->depth, 2u);
	KUNIT_EXPECT_TRUE(test, charter_domain_has(d, test_manifest_by_id(p, 1)));
	KUNIT_EXPECT_TRUE(test, charter_domain_has(d, test_manifest_by_id(p, 2)));
	KUNIT_EXPECT_FALSE(test, charter_domain_has(outer, test_manifest_by_id(p, 2)));
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/both/x", R), 0);
	/* inner grants write there, outer does not. */
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/both/x", W), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/a/x", R), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/b/x", R), -EACCES);
	/* The parent is unchanged by its child's stacking. */
	KUNIT_EXPECT_EQ(test, charter_domain_check(outer, "/srv/a/x", R), 0);
	charter_domain_put(d);
	charter_domain_put(outer);
	charter_policy_put(p);
}

static void charter_domain_layer_limit(struct kunit *test)
{
	struct charter_policy *p = test_make_policy(test, outer_inner, 2);
	struct charter_domain *d = NULL, *next;
	int i;

	for (i = 0; i < CHARTER_MAX_LAYERS; i++) {
		next = charter_domain_stack(d, p, test_manifest_by_id(p, 1 + i % 2));
		KUNIT_ASSERT_FALSE(test, IS_ERR(next));
		charter_domain_put(d);
		d = next;
	}
	KUNIT_EXPECT_EQ(test, d->depth, (u32)CHARTER_MAX_LAYERS);
	next = charter_domain_stack(d, p, test_manifest_by_id(p, 1));
	KUNIT_EXPECT_EQ(test, PTR_ERR(next), -E2BIG);
	charter_domain_put(d);
	charter_policy_put(p);
}

static void charter_domain_moves_gain_nothing(struct kunit *test)
{
	struct charter_policy *p = test_make_policy(test, outer_inner, 2);
	struct charter_domain *d = charter_domain_stack(NULL, p, test_manifest_by_id(p, 2));

	/* Same rights at both ends: fine. Fewer at the end: fine. */
	KUNIT_EXPECT_EQ(test, charter_domain_check_move(d, "/srv/both/x", "/srv/both/y", false), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check_move(d, "/srv/both/x", "/srv/b/y", false), 0);
	/* Gaining read (a secret into a readable place), or write. */
	KUNIT_EXPECT_EQ(test, charter_domain_check_move(d, "/etc/x", "/srv/b/y", false), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check_move(d, "/srv/b/x", "/srv/both/y", false), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check_move(d, NULL, "/srv/b/y", false), -EACCES);
	/* The same holds for directories. */
	KUNIT_EXPECT_EQ(test, charter_domain_check_move(d, "/srv/both/x", "/srv/b/y", true), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check_move(d, "/srv/b/x", "/srv/both/y", true), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check_move(d, NULL, "/srv/b/y", true), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check_move(d, "/srv/b/x", NULL, true), -EACCES);
	charter_domain_put(d);
	charter_policy_put(p);
}

/* The escape found: write on drop and shared, read on shared's .txt files. */
static const struct test_manifest drop_shared[] = {
	{ 1, "drop", { { "/t/drop/**", W }, { "/t/shared/**", W },
		       { "/t/shared/**/*.txt", R } } },
	{ 2, "tree", { { "/x/**", RW }, { "/a", RW }, { "/b", RW } } },
	{ 3, "run", { { "/s", RW }, { "/s/**/*.sh", X } } },
};

static int move(struct charter_domain *d, const char *from, const char *to,
		bool tree)
{
	return charter_domain_check_move(d, from, to, tree);
}

static void charter_domain_tree_moves_gain_nothing_beneath(struct kunit *test)
{
	struct charter_policy *p = test_make_policy(test, drop_shared, 3);
	struct charter_domain *d = charter_domain_stack(NULL, p, test_manifest_by_id(p, 1));

	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	/* The directory's own paths have the same rights... */
	KUNIT_EXPECT_EQ(test, move(d, "/t/drop/d", "/t/shared/d", false), 0);
	/* ...but d/secret.txt would gain read: refused. */
	KUNIT_EXPECT_EQ(test, move(d, "/t/drop/d", "/t/shared/d", true), -EACCES);
	KUNIT_EXPECT_EQ(test, move(d, "/t/drop/d", "/t/shared/e/f", true), -EACCES);
	/* A file: only its own name counts. */
	KUNIT_EXPECT_EQ(test, move(d, "/t/drop/f", "/t/shared/f", false), 0);
	KUNIT_EXPECT_EQ(test, move(d, "/t/drop/s.txt", "/t/shared/s.txt", false),
			-EACCES);
	/* Out of shared, or within drop: nothing gained. */
	KUNIT_EXPECT_EQ(test, move(d, "/t/shared/d", "/t/drop/d", true), 0);
	KUNIT_EXPECT_EQ(test, move(d, "/t/drop/d", "/t/drop/e/d", true), 0);
	/* Within shared the glob matches alike beneath both places. */
	KUNIT_EXPECT_EQ(test, move(d, "/t/shared/d", "/t/shared/e/d", true), 0);
	/* But not where it covers the new place itself (d.txt/secret). */
	KUNIT_EXPECT_EQ(test, move(d, "/t/shared/d", "/t/shared/d.txt", true), -EACCES);
	charter_domain_put(d);
	charter_policy_put(p);
}

static void charter_domain_ordinary_tree_moves(struct kunit *test)
{
	struct charter_policy *p = test_make_policy(test, drop_shared, 3);
	struct charter_domain *d = charter_domain_stack(NULL, p, test_manifest_by_id(p, 2));
	struct charter_domain *run = charter_domain_stack(NULL, p, test_manifest_by_id(p, 3));

	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_ASSERT_FALSE(test, IS_ERR(run));
	/* Within one readWrite tree, and between two alike directories. */
	KUNIT_EXPECT_EQ(test, move(d, "/x/a/b", "/x/c", true), 0);
	KUNIT_EXPECT_EQ(test, move(d, "/x/a", "/x/b/c/d", true), 0);
	KUNIT_EXPECT_EQ(test, move(d, "/a/d", "/b/d", true), 0);
	KUNIT_EXPECT_EQ(test, move(d, "/a/d", "/x/d", true), 0);
	/* Out of the granted trees is no gain; into them from nowhere is. */
	KUNIT_EXPECT_EQ(test, move(d, "/x/d", "/etc/d", true), 0);
	KUNIT_EXPECT_EQ(test, move(d, "/etc/d", "/x/d", true), -EACCES);
	/* A glob granting more beneath: fine where it matched alike before. */
	KUNIT_EXPECT_EQ(test, move(run, "/s/a", "/s/b/c", true), 0);
	KUNIT_EXPECT_EQ(test, move(run, "/s/a", "/s/b.sh", true), -EACCES);
	KUNIT_EXPECT_EQ(test, move(run, "/etc/a", "/s/b", true), -EACCES);
	charter_domain_put(run);
	charter_domain_put(d);
	charter_policy_put(p);
}

static void charter_domain_tree_moves_every_layer(struct kunit *test)
{
	struct charter_policy *p = test_make_policy(test, drop_shared, 3);
	struct charter_domain *tree = charter_domain_stack(NULL, p, test_manifest_by_id(p, 2));
	struct charter_domain *d = charter_domain_stack(tree, p, test_manifest_by_id(p, 1));
	struct charter_domain *rev = charter_domain_stack(NULL, p, test_manifest_by_id(p, 1));
	struct charter_domain *d2;

	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_ASSERT_FALSE(test, IS_ERR(rev));
	d2 = charter_domain_stack(rev, p, test_manifest_by_id(p, 2));
	KUNIT_ASSERT_FALSE(test, IS_ERR(d2));
	/*
	 * Layer "tree" alone allows no move into /t (it grants nothing
	 * there); neither stacking order may let the glob layer be skipped.
	 */
	KUNIT_EXPECT_EQ(test, move(d, "/t/drop/d", "/t/shared/d", true), -EACCES);
	KUNIT_EXPECT_EQ(test, move(d2, "/t/drop/d", "/t/shared/d", true), -EACCES);
	/* Where a layer grants nothing at either end, it has no say. */
	KUNIT_EXPECT_EQ(test, move(d, "/x/a", "/x/b", true), 0);
	charter_domain_put(d2);
	charter_domain_put(rev);
	charter_domain_put(d);
	charter_domain_put(tree);
	charter_policy_put(p);
}

/* Modes of a manifest of the current policy. */
static void charter_domain_modes(struct kunit *test)
{
	struct charter_policy *p = test_make_policy(test, outer_inner, 2);
	struct charter_domain *d = charter_domain_stack(NULL, p, test_manifest_by_id(p, 1));

	KUNIT_ASSERT_EQ(test, charter_policy_replace(charter_policy_get(p), NULL), 0);
	KUNIT_ASSERT_EQ(test, charter_mode_set("outer", CHARTER_MODE_COMPLAIN, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), 0);
	KUNIT_ASSERT_EQ(test, charter_mode_set("outer", CHARTER_MODE_INHERIT, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), -EACCES);
	KUNIT_ASSERT_EQ(test, charter_mode_set(NULL, CHARTER_MODE_DISABLED, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), 0);
	/* An override beats the global mode. */
	KUNIT_ASSERT_EQ(test, charter_mode_set("outer", CHARTER_MODE_ENFORCE, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), -EACCES);
	KUNIT_ASSERT_EQ(test, charter_mode_set("outer", CHARTER_MODE_INHERIT, NULL), 0);
	KUNIT_ASSERT_EQ(test, charter_mode_set(NULL, CHARTER_MODE_ENFORCE, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_mode_set(NULL, CHARTER_MODE_INHERIT, NULL), -EINVAL);
	KUNIT_ASSERT_EQ(test, charter_policy_replace(NULL, NULL), 0);
	charter_domain_put(d);
	charter_policy_put(p);
	rcu_barrier();
}

static const struct test_manifest v2[] = {
	{ 1, "outer", { { "/srv/a", R }, { "/srv/new", R } } },
};
static const struct test_manifest other[] = {
	{ 3, "other", { { "/", RW } } },
};
/* outer's program, renamed, with v2's rules but /srv/new */
static const struct test_manifest renamed[] = {
	{ 1, "outer-renamed", { { "/srv/a", R } } },
};

static void charter_domain_follows_new_policy(struct kunit *test)
{
	struct charter_policy *p1 = test_make_policy(test, outer_inner, 2);
	struct charter_domain *d;

	KUNIT_ASSERT_EQ(test, charter_policy_replace(charter_policy_get(p1), NULL), 0);
	d = charter_domain_stack(NULL, p1, test_manifest_by_id(p1, 1));
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/new/x", R), -EACCES);
	/* A new version of the same program's manifest applies at once. */
	KUNIT_ASSERT_EQ(test, charter_policy_replace(test_make_policy(test, v2, 1), NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/new/x", R), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/both/x", R), -EACCES);
	/* Dropped from the policy: the last version, never an older one. */
	KUNIT_ASSERT_EQ(test, charter_policy_replace(test_make_policy(test, other, 1), NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/new/x", R), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/both/x", R), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), -EACCES);
	/* Unloaded: the same. */
	KUNIT_ASSERT_EQ(test, charter_policy_replace(NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/new/x", R), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/both/x", R), -EACCES);
	/* Renamed: the same program, so its newest version. */
	KUNIT_ASSERT_EQ(test, charter_policy_replace(test_make_policy(test, renamed, 1), NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/new/x", R), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/a/x", R), 0);
	KUNIT_ASSERT_EQ(test, charter_policy_replace(NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/new/x", R), -EACCES);
	charter_domain_put(d);
	charter_policy_put(p1);
	rcu_barrier();
}

/*
 * A new build at the run path (upgrades): the load that names its hash
 * moves the programs of the old build's manifest to the new one, since
 * the new build started under the old one (exec.c) and both are one
 * program to the administrator.
 */
static void charter_domain_follows_run_path(struct kunit *test)
{
	static const struct test_manifest build1[] = {
		{ 1, "app", { { "/srv/a", R } }, "/usr/bin/app" },
	};
	static const struct test_manifest build2[] = {
		{ 9, "app", { { "/srv/new", R } }, "/usr/bin/app" },
	};
	static const struct test_manifest elsewhere[] = {
		{ 10, "app", { { "/srv/other", R } }, "/usr/bin/other" },
	};
	static const struct test_manifest renamed[] = {
		{ 11, "loose", { { "/srv", R } }, "/usr/bin/app" },
	};
	struct charter_policy *p1 = test_make_policy(test, build1, 1);
	struct charter_domain *d;

	KUNIT_ASSERT_EQ(test, charter_policy_replace(charter_policy_get(p1), NULL), 0);
	d = charter_domain_stack(NULL, p1, test_manifest_by_id(p1, 1));
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_ASSERT_EQ(test, charter_policy_replace(test_make_policy(test, build2, 1), NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/new/x", R), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/a/x", R), -EACCES);
	/* Another run path is another program: the last version stays. */
	KUNIT_ASSERT_EQ(test, charter_policy_replace(test_make_policy(test, elsewhere, 1), NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/new/x", R), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/other/x", R), -EACCES);
	/*
	 * So is another manifest's name at the run path (one a confined
	 * program could have made claim it): the last version stays.
	 */
	KUNIT_ASSERT_EQ(test, charter_policy_replace(test_make_policy(test, renamed, 1), NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/new/x", R), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/other/x", R), -EACCES);
	KUNIT_ASSERT_EQ(test, charter_policy_replace(NULL, NULL), 0);
	charter_domain_put(d);
	charter_policy_put(p1);
	rcu_barrier();
}

/* Every domain holding a manifest moves with it, stacked or not. */
static void charter_domain_versions_shared(struct kunit *test)
{
	struct charter_policy *p1 = test_make_policy(test, outer_inner, 2);
	struct charter_domain *outer, *nested;

	KUNIT_ASSERT_EQ(test, charter_policy_replace(charter_policy_get(p1), NULL), 0);
	outer = charter_domain_stack(NULL, p1, test_manifest_by_id(p1, 1));
	nested = charter_domain_stack(outer, p1, test_manifest_by_id(p1, 2));
	KUNIT_ASSERT_FALSE(test, IS_ERR(nested));
	KUNIT_EXPECT_TRUE(test, charter_domain_contains(outer, nested));
	KUNIT_ASSERT_EQ(test, charter_policy_replace(test_make_policy(test, v2, 1), NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(outer, "/srv/both/x", R), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check(nested, "/srv/both/x", R), -EACCES);
	/* inner was dropped by v2's policy: its last version stays. */
	KUNIT_EXPECT_EQ(test, charter_domain_check(nested, "/srv/b/x", R), -EACCES);
	KUNIT_ASSERT_EQ(test, charter_policy_replace(NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(outer, "/srv/both/x", R), -EACCES);
	KUNIT_EXPECT_TRUE(test, charter_domain_contains(outer, nested));
	charter_domain_put(nested);
	charter_domain_put(outer);
	charter_policy_put(p1);
	rcu_barrier();
}

/*
 * An exec that found its manifest in a policy a load has just replaced
 * starts at the newest version, not the one it found.
 */
static void charter_domain_exec_racing_a_load(struct kunit *test)
{
	struct charter_policy *p1 = test_make_policy(test, outer_inner, 2);
	struct charter_domain *d;

	KUNIT_ASSERT_EQ(test, charter_policy_replace(test_make_policy(test, v2, 1), NULL), 0);
	d = charter_domain_stack(NULL, p1, test_manifest_by_id(p1, 1));
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/new/x", R), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/srv/both/x", R), -EACCES);
	KUNIT_ASSERT_EQ(test, charter_policy_replace(NULL, NULL), 0);
	charter_domain_put(d);
	charter_policy_put(p1);
	rcu_barrier();
}

/* "outer" given to another executable (id 4), and outer's own renamed. */
static const struct test_manifest name_moved[] = {
	{ 4, "outer", { { "/srv/a", R } } },
	{ 1, "was-outer", { { "/srv/a", R } } },
};

/*
 * A mode is set for the manifest that has the name when it is set: a
 * later policy that gives the name to another program does not give that
 * program the mode (a red team's escape: complain meant for one program
 * let another read anything).
 */
static void charter_domain_mode_stays_with_program(struct kunit *test)
{
	struct charter_policy *p1 = test_make_policy(test, outer_inner, 2);
	struct charter_policy *p2 = test_make_policy(test, name_moved, 2);
	struct charter_domain *d;

	KUNIT_ASSERT_EQ(test, charter_policy_replace(charter_policy_get(p1), NULL), 0);
	KUNIT_ASSERT_EQ(test, charter_mode_set("outer", CHARTER_MODE_COMPLAIN, NULL), 0);
	KUNIT_ASSERT_EQ(test, charter_policy_replace(charter_policy_get(p2), NULL), 0);
	d = charter_domain_stack(NULL, p2, test_manifest_by_id(p2, 4));
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), -EACCES);
	charter_domain_put(d);
	/* Nor does renaming the program's manifest take the mode along. */
	d = charter_domain_stack(NULL, p2, test_manifest_by_id(p2, 1));
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), -EACCES);
	charter_domain_put(d);
	/* Set again, it applies to the manifest that has the name now. */
	KUNIT_ASSERT_EQ(test, charter_mode_set("outer", CHARTER_MODE_COMPLAIN, NULL), 0);
	d = charter_domain_stack(NULL, p2, test_manifest_by_id(p2, 4));
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), 0);
	charter_domain_put(d);
	KUNIT_EXPECT_EQ(test, charter_mode_set("outer", CHARTER_MODE_INHERIT, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_mode_set("nosuch", CHARTER_MODE_COMPLAIN, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, charter_mode_set("nosuch", CHARTER_MODE_INHERIT, NULL), 0);
	KUNIT_ASSERT_EQ(test, charter_policy_replace(NULL, NULL), 0);
	charter_policy_put(p2);
	charter_policy_put(p1);
	rcu_barrier();
}

/* A manifest's mode is the one of the name its version in force has. */
static void charter_domain_dropped_keeps_mode(struct kunit *test)
{
	struct charter_policy *p1 = test_make_policy(test, outer_inner, 2);
	struct charter_domain *d;

	KUNIT_ASSERT_EQ(test, charter_policy_replace(charter_policy_get(p1), NULL), 0);
	d = charter_domain_stack(NULL, p1, test_manifest_by_id(p1, 1));
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_ASSERT_EQ(test, charter_mode_set("outer", CHARTER_MODE_ENFORCE, NULL), 0);
	KUNIT_ASSERT_EQ(test, charter_mode_set(NULL, CHARTER_MODE_COMPLAIN, NULL), 0);
	KUNIT_ASSERT_EQ(test, charter_policy_replace(test_make_policy(test, other, 1), NULL), 0);
	KUNIT_ASSERT_EQ(test, charter_policy_replace(NULL, NULL), 0);
	/* Still "outer", still enforced though the global mode complains. */
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_mode_set("outer", CHARTER_MODE_INHERIT, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_mode_set(NULL, CHARTER_MODE_ENFORCE, NULL), 0);
	charter_domain_put(d);
	charter_policy_put(p1);
	rcu_barrier();
}

/*
 * A per-manifest mode is aimed by name at the current policy's manifest:
 * a dropped version that shares the name (another build of the program)
 * is not freed by it, only made stricter.
 */
static void charter_domain_mode_of_a_reused_name(struct kunit *test)
{
	static const struct test_manifest new_build[] = {
		{ 9, "outer", { { "/", RW } } },
	};
	struct charter_policy *p1 = test_make_policy(test, outer_inner, 2);
	struct charter_domain *d;

	KUNIT_ASSERT_EQ(test, charter_policy_replace(charter_policy_get(p1), NULL), 0);
	d = charter_domain_stack(NULL, p1, test_manifest_by_id(p1, 1));
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_ASSERT_EQ(test, charter_policy_replace(test_make_policy(test, new_build, 1), NULL), 0);
	KUNIT_ASSERT_EQ(test, charter_mode_set("outer", CHARTER_MODE_COMPLAIN, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), -EACCES);
	KUNIT_ASSERT_EQ(test, charter_mode_set("outer", CHARTER_MODE_DISABLED, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), -EACCES);
	/*
	 * Back in the current policy, it still was set for the other build:
	 * not for this one. Set for this one, it applies as set.
	 */
	KUNIT_ASSERT_EQ(test, charter_policy_replace(charter_policy_get(p1), NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), -EACCES);
	KUNIT_ASSERT_EQ(test, charter_mode_set("outer", CHARTER_MODE_DISABLED, NULL), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(d, "/etc/x", R), 0);
	KUNIT_EXPECT_EQ(test, charter_mode_set("outer", CHARTER_MODE_INHERIT, NULL), 0);
	KUNIT_ASSERT_EQ(test, charter_policy_replace(NULL, NULL), 0);
	charter_domain_put(d);
	charter_policy_put(p1);
	rcu_barrier();
}

/* Display and sound servers' sockets: a class, or write on the path. */
static const struct test_manifest desktop[] = {
	{ 1, "wayland", { { "/srv/**", R } },
	  .devices = CHARTER_DEV_BIT(CHARTER_DEV_WAYLAND) },
	{ 2, "display", { { "/srv/**", R } },
	  .devices = CHARTER_DEV_BIT(CHARTER_DEV_DISPLAY) },
	{ 3, "audioOut", { { "/run/user/7/wayland-0", W } },
	  .devices = CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_OUT) },
	{ 4, "keyboard,mouse", { { "/srv/**", R } },
	  .devices = CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) |
		     CHARTER_DEV_BIT(CHARTER_DEV_MOUSE) },
};

#define WAYLAND_SOCK "/run/user/7/wayland-0"
#define X11_SOCK "/tmp/.X11-unix/X0"
#define PULSE_SOCK "/run/user/7/pulse/native"

static int server(struct charter_domain *d, u32 classes, const char *path)
{
	return charter_domain_check_server(d, classes, path, strlen(path));
}

static void charter_domain_servers(struct kunit *test)
{
	struct charter_policy *p = test_make_policy(test, desktop, 4);
	struct charter_domain *wl = charter_domain_stack(NULL, p, test_manifest_by_id(p, 1));
	struct charter_domain *disp = charter_domain_stack(NULL, p, test_manifest_by_id(p, 2));
	struct charter_domain *snd = charter_domain_stack(NULL, p, test_manifest_by_id(p, 3));
	struct charter_domain *input = charter_domain_stack(NULL, p, test_manifest_by_id(p, 4));
	struct charter_domain *both = charter_domain_stack(disp, p, test_manifest_by_id(p, 3));
	u32 wayland = CHARTER_DEV_BIT(CHARTER_DEV_WAYLAND);
	u32 x11 = CHARTER_DEV_BIT(CHARTER_DEV_X11);
	u32 audio = CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_OUT) |
		    CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_IN);

	KUNIT_ASSERT_FALSE(test, IS_ERR(both));
	/* wayland: the compositor, not the X server ("Wayland only"). */
	KUNIT_EXPECT_EQ(test, server(wl, wayland, WAYLAND_SOCK), 0);
	KUNIT_EXPECT_EQ(test, server(wl, x11, X11_SOCK), -EACCES);
	KUNIT_EXPECT_EQ(test, server(wl, x11, "@" X11_SOCK), -EACCES);
	KUNIT_EXPECT_EQ(test, server(wl, audio, PULSE_SOCK), -EACCES);
	/* display: both display servers, no sound. */
	KUNIT_EXPECT_EQ(test, server(disp, wayland, WAYLAND_SOCK), 0);
	KUNIT_EXPECT_EQ(test, server(disp, x11, X11_SOCK), 0);
	KUNIT_EXPECT_EQ(test, server(disp, x11, "@" X11_SOCK), 0);
	KUNIT_EXPECT_EQ(test, server(disp, audio, PULSE_SOCK), -EACCES);
	/* One audio class of the two is enough; a path rule grants too. */
	KUNIT_EXPECT_EQ(test, server(snd, audio, PULSE_SOCK), 0);
	KUNIT_EXPECT_EQ(test, server(snd, wayland, WAYLAND_SOCK), 0);
	KUNIT_EXPECT_EQ(test, server(snd, x11, X11_SOCK), -EACCES);
	/* keyboard and mouse reach no server of their own. */
	KUNIT_EXPECT_EQ(test, server(input, wayland, WAYLAND_SOCK), -EACCES);
	KUNIT_EXPECT_EQ(test, server(input, x11, X11_SOCK), -EACCES);
	KUNIT_EXPECT_EQ(test, server(input, audio, PULSE_SOCK), -EACCES);
	/* libpulse's directory: read with a sound class, nothing more. */
	KUNIT_EXPECT_EQ(test, charter_domain_check(snd, "/run/user/7/pulse", R), 0);
	KUNIT_EXPECT_EQ(test, charter_domain_check(snd, "/run/user/7/pulse", W), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check(snd, "/run/user/7/pulse/x", R), -EACCES);
	KUNIT_EXPECT_EQ(test, charter_domain_check(disp, "/run/user/7/pulse", R), -EACCES);
	/* Stacked, every layer must grant, each its own way. */
	KUNIT_EXPECT_EQ(test, server(both, wayland, WAYLAND_SOCK), 0);
	KUNIT_EXPECT_EQ(test, server(both, x11, X11_SOCK), -EACCES);
	KUNIT_EXPECT_EQ(test, server(both, audio, PULSE_SOCK), -EACCES);
	charter_domain_put(both);
	charter_domain_put(input);
	charter_domain_put(snd);
	charter_domain_put(disp);
	charter_domain_put(wl);
	charter_policy_put(p);
}

static struct kunit_case charter_domain_cases[] = {
	KUNIT_CASE(charter_domain_one_layer),
	KUNIT_CASE(charter_domain_servers),
	KUNIT_CASE(charter_domain_stack_needs_every_layer),
	KUNIT_CASE(charter_domain_layer_limit),
	KUNIT_CASE(charter_domain_moves_gain_nothing),
	KUNIT_CASE(charter_domain_tree_moves_gain_nothing_beneath),
	KUNIT_CASE(charter_domain_ordinary_tree_moves),
	KUNIT_CASE(charter_domain_tree_moves_every_layer),
	KUNIT_CASE(charter_domain_modes),
	KUNIT_CASE(charter_domain_follows_new_policy),
	KUNIT_CASE(charter_domain_follows_run_path),
	KUNIT_CASE(charter_domain_versions_shared),
	KUNIT_CASE(charter_domain_exec_racing_a_load),
	KUNIT_CASE(charter_domain_dropped_keeps_mode),
	KUNIT_CASE(charter_domain_mode_stays_with_program),
	KUNIT_CASE(charter_domain_mode_of_a_reused_name),
	{}
};

static struct kunit_suite charter_domain_suite = {
	.name = "charter_domain",
	.test_cases = charter_domain_cases,
};

kunit_test_suite(charter_domain_suite);
