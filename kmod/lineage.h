/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: lineages, the newest loaded version of a running program's
 * manifest (lineage.c).
 */
#ifndef _CHARTER_LINEAGE_H
#define _CHARTER_LINEAGE_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>

#include "uapi/charter.h"

struct charter_manifest;
struct charter_policy;

/*
 * One loaded version of a manifest, pinned in the policy it came in; and
 * a lineage. Both are lineage.c's alone: they are here for
 * charter_lineage_manifest(), inline since every decision asks it.
 */
struct charter_version {
	struct charter_policy *policy;	/* holds a reference */
	const struct charter_manifest *manifest;
	struct rcu_head rcu;
};

struct charter_lineage {
	refcount_t usage;
	struct hlist_node node;		/* in charter_lineages, by digest */
	u8 digest[CHARTER_SHA256_LEN];
	u64 exe_size;
	struct charter_version __rcu *version;
	/* A load's work, under the policy lock. */
	struct list_head update;
	struct charter_version *next;
	struct rcu_head rcu;
};

struct charter_lineage *charter_lineage_get(struct charter_policy *policy,
					    const struct charter_manifest *m);
struct charter_lineage *charter_lineage_dup(struct charter_lineage *l);
void charter_lineage_put(struct charter_lineage *l);
bool charter_lineage_is(const struct charter_lineage *l,
			const struct charter_manifest *m);

/*
 * The version of @l in force; in an RCU read-side section, rcu_read_lock()
 * or preemption off (rcu_read_lock_sched(): a datagram's).
 */
static inline const struct charter_manifest *
charter_lineage_manifest(const struct charter_lineage *l)
{
	return rcu_dereference_check(l->version, rcu_read_lock_any_held())->manifest;
}

/* Called by charter_policy_replace() under the policy lock. */
int charter_lineages_prepare(struct charter_policy *policy);
void charter_lineages_commit(void);
void charter_lineage_exit(void);

#endif /* _CHARTER_LINEAGE_H */
