/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit: small policies built as blobs and decoded (kmod/blob.c), for the
 * suites that need a policy of a few manifests (domain_test, learn_test).
 */
#ifndef _CHARTER_TEST_POLICY_BUILDER_H
#define _CHARTER_TEST_POLICY_BUILDER_H

#include <kunit/test.h>
#include <linux/types.h>

#include "../policy.h"

struct test_rule {
	const char *pattern;
	u8 access;
};

struct test_manifest {
	u8 id;			/* digest filled with it */
	const char *name;
	struct test_rule rules[3];
	const char *run;	/* its run path, or NULL */
	u32 flags;		/* CHARTER_MANIFEST_* */
	u32 devices;		/* CHARTER_DEV_BIT() classes */
};

/*
 * A policy of @n manifests, each with the digest filled with its id and
 * the size 100 + id; the test fails unless it decodes.
 */
struct charter_policy *test_make_policy(struct kunit *test,
					const struct test_manifest *ms, int n);
/* The manifest of id @id in @p, or NULL. */
struct charter_manifest *test_manifest_by_id(struct charter_policy *p, u8 id);

#endif
