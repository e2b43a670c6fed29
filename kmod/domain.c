// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: domains.
 *
 * A domain pins the policy it was made from, so its manifest stays valid
 * however often the current policy is replaced afterwards: a confined task
 * is never silently unconfined by a load.
 */

#include <linux/slab.h>

#include "domain.h"
#include "match.h"
#include "policy.h"

struct charter_domain *charter_domain_create(struct charter_policy *policy,
					     const struct charter_manifest *m)
{
	struct charter_domain *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	refcount_set(&d->usage, 1);
	d->policy = charter_policy_get(policy);
	d->manifest = m;
	return d;
}

/* May run in atomic context (the last cred goes away in an RCU callback). */
void charter_domain_put(struct charter_domain *d)
{
	if (d && refcount_dec_and_test(&d->usage)) {
		charter_policy_put(d->policy);
		kfree(d);
	}
}

/* The rights the domain grants on @path (an absolute path). */
u32 charter_domain_path_access(const struct charter_domain *d,
			       const char *path)
{
	const struct charter_manifest *m = d->manifest;

	return charter_rules_access(m->path_rules, m->path_count, path);
}
