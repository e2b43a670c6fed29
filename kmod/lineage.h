/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: lineages, the newest loaded version of a running program's
 * manifest (lineage.c).
 */
#ifndef _CHARTER_LINEAGE_H
#define _CHARTER_LINEAGE_H

#include <linux/types.h>

struct charter_lineage;
struct charter_manifest;
struct charter_policy;

struct charter_lineage *charter_lineage_get(struct charter_policy *policy,
					    const struct charter_manifest *m);
struct charter_lineage *charter_lineage_dup(struct charter_lineage *l);
void charter_lineage_put(struct charter_lineage *l);
const struct charter_manifest *
charter_lineage_manifest(const struct charter_lineage *l);
bool charter_lineage_is(const struct charter_lineage *l,
			const struct charter_manifest *m);

/* Called by charter_policy_replace() under the policy lock. */
int charter_lineages_prepare(struct charter_policy *policy);
void charter_lineages_commit(void);
void charter_lineage_exit(void);

#endif /* _CHARTER_LINEAGE_H */
