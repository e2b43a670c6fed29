// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the learning record (kmod/learn.c) and its decision
 * (charter_decide_refusal() of a learning manifest, kmod/decide.c).
 */

#include <kunit/test.h>
#include <linux/netlink.h>
#include <linux/slab.h>

#include "../decide.h"
#include "../dev.h"
#include "../events.h"
#include "../learn.h"
#include "../match.h"
#include "policy_builder.h"
#include "../policy.h"

#define R CHARTER_ACCESS_READ
#define W CHARTER_ACCESS_WRITE
#define X CHARTER_ACCESS_EXECUTE

static const struct test_manifest learner[] = {
	{ .id = 1, .name = "app", .flags = CHARTER_MANIFEST_LEARN },
	{ .id = 2, .name = "bystander", .flags = 0 },
};

/* A policy with a learning "app" (id 1), its record prepared. */
static struct charter_policy *learning_policy(struct kunit *test)
{
	struct charter_policy *p = test_make_policy(test, learner, 2);

	KUNIT_ASSERT_EQ(test, charter_learn_prepare(p, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, test_manifest_by_id(p, 1)->learning);
	return p;
}

static u32 entries_of(struct charter_learning *l)
{
	u32 entries;
	u64 lost;

	charter_learn_counts(l, &entries, &lost);
	return entries;
}

static u64 lost_of(struct charter_learning *l)
{
	u32 entries;
	u64 lost;

	charter_learn_counts(l, &entries, &lost);
	return lost;
}

static struct charter_object file(const char *path, u32 access)
{
	return (struct charter_object){ .path = path, .access = access };
}

static void charter_learn_same_path_once(struct kunit *test)
{
	struct charter_policy *p = learning_policy(test);
	struct charter_learning *l = test_manifest_by_id(p, 1)->learning;
	struct charter_object a = file("/srv/app/a", R);
	struct charter_object b = file("/srv/app/a", W);
	struct charter_object c = file("/srv/app/b", X);

	charter_learn_record(l, &a);
	charter_learn_record(l, &a);
	charter_learn_record(l, &b);
	KUNIT_EXPECT_EQ(test, entries_of(l), 1u);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &a), (long)(R | W));
	charter_learn_record(l, &c);
	KUNIT_EXPECT_EQ(test, entries_of(l), 2u);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &c), (long)X);
	/* A path that is a prefix of another is another entry. */
	a.path = "/srv/app";
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &a), -ENOENT);
	KUNIT_EXPECT_EQ(test, lost_of(l), 0ull);
	/* The bystander learns nothing. */
	KUNIT_EXPECT_NULL(test, test_manifest_by_id(p, 2)->learning);
	charter_policy_put(p);
}

static void charter_learn_file_and_device_apart(struct kunit *test)
{
	struct charter_policy *p = learning_policy(test);
	struct charter_learning *l = test_manifest_by_id(p, 1)->learning;
	struct charter_object f = file("/dev/input/event0", R);
	struct charter_object kbd = {
		.path = "/dev/input/event0", .access = W, .is_device = true,
		.dev_classes = CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD),
	};
	struct charter_object mouse = kbd;
	struct charter_object op = { .operation = "/dev/input/event0" };

	mouse.dev_classes = CHARTER_DEV_BIT(CHARTER_DEV_MOUSE);
	charter_learn_record(l, &f);
	charter_learn_record(l, &kbd);
	charter_learn_record(l, &mouse);
	charter_learn_record(l, &op);
	charter_learn_record(l, &op);
	KUNIT_EXPECT_EQ(test, entries_of(l), 4u);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &f), (long)R);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &kbd), (long)W);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &mouse), (long)W);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &op), 0l);
	charter_policy_put(p);
}

/* Any one class grants it: the record keeps the first (audioOut). */
static void charter_learn_any_class_first(struct kunit *test)
{
	struct charter_policy *p = learning_policy(test);
	struct charter_learning *l = test_manifest_by_id(p, 1)->learning;
	u32 out = CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_OUT);
	u32 in = CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_IN);
	struct charter_object sound = {
		.path = "/run/user/7/pulse/native", .access = W, .is_device = true,
		.is_server = true, .dev_classes = out | in | CHARTER_DEV_MATCH_ANY,
	};
	struct charter_object probe = sound;

	charter_learn_record(l, &sound);
	KUNIT_EXPECT_EQ(test, entries_of(l), 1u);
	probe.dev_classes = out;
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &probe), (long)W);
	probe.dev_classes = in;
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &probe), -ENOENT);
	charter_policy_put(p);
}

static void charter_learn_network_apart(struct kunit *test)
{
	struct charter_policy *p = learning_policy(test);
	struct charter_learning *l = test_manifest_by_id(p, 1)->learning;
	struct charter_endpoint eps[6] = {
		{ CHARTER_FAMILY_INET, CHARTER_PROTO_TCP, 80, { 10, 0, 0, 1 } },
		{ CHARTER_FAMILY_INET, CHARTER_PROTO_UDP, 80, { 10, 0, 0, 1 } },
		{ CHARTER_FAMILY_INET, CHARTER_PROTO_TCP, 81, { 10, 0, 0, 1 } },
		{ CHARTER_FAMILY_INET, CHARTER_PROTO_TCP, 80, { 10, 0, 0, 2 } },
		/* The same leading bytes, another family. */
		{ CHARTER_FAMILY_INET6, CHARTER_PROTO_TCP, 80, { 10, 0, 0, 1 } },
		{ CHARTER_FAMILY_INET6, CHARTER_PROTO_TCP, 80, { [15] = 1 } },
	};
	struct charter_object o = { .direction = CHARTER_NET_OUTBOUND };
	u32 n = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(eps); i++) {
		o.ep = &eps[i];
		o.direction = CHARTER_NET_OUTBOUND;
		o.service = false;
		charter_learn_record(l, &o);
		charter_learn_record(l, &o);	/* again: no new entry */
		KUNIT_EXPECT_EQ_MSG(test, entries_of(l), ++n, "endpoint %d out", i);
		o.direction = CHARTER_NET_INBOUND;
		charter_learn_record(l, &o);
		KUNIT_EXPECT_EQ_MSG(test, entries_of(l), ++n, "endpoint %d in", i);
		o.service = true;	/* a bind of it */
		charter_learn_record(l, &o);
		charter_learn_record(l, &o);
		KUNIT_EXPECT_EQ_MSG(test, entries_of(l), ++n, "endpoint %d bound", i);
	}
	/* A copy of an endpoint is the same endpoint. */
	{
		struct charter_endpoint copy = eps[3];

		o.ep = &copy;
		charter_learn_record(l, &o);
		KUNIT_EXPECT_EQ(test, entries_of(l), n);
		KUNIT_EXPECT_EQ(test, charter_learn_access(l, &o), 0l);
	}
	KUNIT_EXPECT_EQ(test, lost_of(l), 0ull);
	charter_policy_put(p);
}

static void charter_learn_limit_counts_lost(struct kunit *test)
{
	struct charter_policy *p = learning_policy(test);
	struct charter_learning *l = test_manifest_by_id(p, 1)->learning;
	static const char *const paths[] = { "/a", "/b", "/c", "/d", "/e" };
	struct charter_object o;
	u32 was = charter_learn_set_max_entries(3);
	int i;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		o = file(paths[i], R);
		charter_learn_record(l, &o);
	}
	/* Known entries gain rights past the limit, and are not lost. */
	o = file("/a", W);
	charter_learn_record(l, &o);
	o = file("/e", W);
	charter_learn_record(l, &o);	/* not recorded: lost again */
	charter_learn_set_max_entries(was);
	KUNIT_EXPECT_EQ(test, entries_of(l), 3u);
	KUNIT_EXPECT_EQ(test, lost_of(l), 3ull);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &o), -ENOENT);
	o = file("/a", 0);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &o), (long)(R | W));
	/* The limit back: room again. */
	o = file("/e", R);
	charter_learn_record(l, &o);
	KUNIT_EXPECT_EQ(test, entries_of(l), 4u);
	charter_policy_put(p);
}

static void charter_learn_unnamed_is_lost(struct kunit *test)
{
	struct charter_policy *p = learning_policy(test);
	struct charter_learning *l = test_manifest_by_id(p, 1)->learning;
	struct charter_object nameless = file(NULL, R);
	struct charter_object device = { .access = R, .is_device = true };
	struct charter_object longer = file(NULL, R);
	char *path = kunit_kzalloc(test, CHARTER_PATTERN_MAX + 2, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, path);
	memset(path, 'a', CHARTER_PATTERN_MAX + 1);
	path[0] = '/';
	longer.path = path;
	charter_learn_record(l, &nameless);
	charter_learn_record(l, &device);
	charter_learn_record(l, &longer);
	KUNIT_EXPECT_EQ(test, entries_of(l), 0u);
	KUNIT_EXPECT_EQ(test, lost_of(l), 3ull);
	/* The longest name that fits is kept. */
	path[CHARTER_PATTERN_MAX] = '\0';
	charter_learn_record(l, &longer);
	KUNIT_EXPECT_EQ(test, entries_of(l), 1u);
	KUNIT_EXPECT_EQ(test, lost_of(l), 3ull);
	charter_policy_put(p);
}

static void charter_learn_prepare_keeps_identity(struct kunit *test)
{
	static const struct test_manifest renamed[] = {
		{ .id = 1, .name = "renamed", .flags = CHARTER_MANIFEST_LEARN },
	};
	static const struct test_manifest rebuilt[] = {
		{ .id = 3, .name = "app", .flags = CHARTER_MANIFEST_LEARN },
	};
	static const struct test_manifest enforced[] = {
		{ .id = 1, .name = "app", .flags = 0 },
	};
	struct charter_policy *p1 = learning_policy(test);
	struct charter_policy *p2 = test_make_policy(test, learner, 2);
	struct charter_policy *p3 = test_make_policy(test, renamed, 1);
	struct charter_policy *p4 = test_make_policy(test, rebuilt, 1);
	struct charter_policy *p5 = test_make_policy(test, enforced, 1);
	struct charter_policy *p6 = test_make_policy(test, learner, 2);
	struct charter_learning *l1 = test_manifest_by_id(p1, 1)->learning;
	struct charter_object o = file("/srv/a", R);

	charter_learn_record(l1, &o);
	/* Same name, same executable, still learning: the same record. */
	KUNIT_ASSERT_EQ(test, charter_learn_prepare(p2, p1), 0);
	KUNIT_EXPECT_PTR_EQ(test, test_manifest_by_id(p2, 1)->learning, l1);
	/* It outlives the policy it was made for. */
	charter_policy_put(p1);
	KUNIT_EXPECT_EQ(test, entries_of(test_manifest_by_id(p2, 1)->learning), 1u);
	/* Another name, or another executable: a new, empty record. */
	KUNIT_ASSERT_EQ(test, charter_learn_prepare(p3, p2), 0);
	KUNIT_EXPECT_NOT_NULL(test, test_manifest_by_id(p3, 1)->learning);
	KUNIT_EXPECT_PTR_NE(test, test_manifest_by_id(p3, 1)->learning, l1);
	KUNIT_EXPECT_EQ(test, entries_of(test_manifest_by_id(p3, 1)->learning), 0u);
	KUNIT_ASSERT_EQ(test, charter_learn_prepare(p4, p2), 0);
	KUNIT_EXPECT_NOT_NULL(test, test_manifest_by_id(p4, 3)->learning);
	KUNIT_EXPECT_PTR_NE(test, test_manifest_by_id(p4, 3)->learning, l1);
	/* No longer learning: no record. */
	KUNIT_ASSERT_EQ(test, charter_learn_prepare(p5, p2), 0);
	KUNIT_EXPECT_NULL(test, test_manifest_by_id(p5, 1)->learning);
	/* Learning again after a policy that did not learn: a new record. */
	KUNIT_ASSERT_EQ(test, charter_learn_prepare(p6, p5), 0);
	KUNIT_EXPECT_NOT_NULL(test, test_manifest_by_id(p6, 1)->learning);
	KUNIT_EXPECT_PTR_NE(test, test_manifest_by_id(p6, 1)->learning, l1);
	KUNIT_EXPECT_EQ(test, entries_of(test_manifest_by_id(p6, 1)->learning), 0u);
	KUNIT_EXPECT_NULL(test, test_manifest_by_id(p6, 2)->learning);
	charter_policy_put(p2);
	charter_policy_put(p3);
	charter_policy_put(p4);
	charter_policy_put(p5);
	charter_policy_put(p6);
}

static void charter_learn_decide_allows_and_records(struct kunit *test)
{
	struct charter_policy *p = learning_policy(test);
	struct charter_manifest *app = test_manifest_by_id(p, 1);
	struct charter_learning *l = app->learning;
	struct charter_object o = file("/srv/secret", R);
	struct charter_object mount = { .operation = "mount", .err = -EPERM };
	struct charter_object layer = {
		.operation = "a 17th layer", .err = -EPERM, .always = true,
	};
	struct charter_object always_file = file("/srv/always", W);

	KUNIT_ASSERT_EQ(test, charter_mode_global(), (u8)CHARTER_MODE_ENFORCE);
	KUNIT_EXPECT_EQ(test, charter_decide_refusal(app, &o), 0);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &o), (long)R);
	KUNIT_EXPECT_EQ(test, charter_decide_refusal(app, &mount), 0);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &mount), 0l);
	/* What no mode may waive stays refused, and is recorded. */
	KUNIT_EXPECT_EQ(test, charter_decide_refusal(app, &layer), -EPERM);
	KUNIT_EXPECT_EQ(test, charter_learn_access(l, &layer), 0l);
	always_file.always = true;
	KUNIT_EXPECT_EQ(test, charter_decide_refusal(app, &always_file), -EACCES);
	KUNIT_EXPECT_EQ(test, entries_of(l), 4u);
	/* The manifest that does not learn refuses, in enforce mode. */
	KUNIT_EXPECT_EQ(test, charter_decide_refusal(test_manifest_by_id(p, 2), &o), -EACCES);
	KUNIT_EXPECT_EQ(test, entries_of(l), 4u);
	charter_policy_put(p);
}

static struct kunit_case charter_learn_cases[] = {
	KUNIT_CASE(charter_learn_same_path_once),
	KUNIT_CASE(charter_learn_file_and_device_apart),
	KUNIT_CASE(charter_learn_any_class_first),
	KUNIT_CASE(charter_learn_network_apart),
	KUNIT_CASE(charter_learn_limit_counts_lost),
	KUNIT_CASE(charter_learn_unnamed_is_lost),
	KUNIT_CASE(charter_learn_prepare_keeps_identity),
	KUNIT_CASE(charter_learn_decide_allows_and_records),
	{}
};

static struct kunit_suite charter_learn_suite = {
	.name = "charter_learn",
	.test_cases = charter_learn_cases,
};

kunit_test_suite(charter_learn_suite);
