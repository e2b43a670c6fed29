// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the kernel's blob decoder (kmod/blob.c, policy.c,
 * match.c, built against tests/fuzz/kshim). Any input must be refused
 * with a message or decoded into a policy whose every manifest can be
 * found again by its identity and whose rules can be matched.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>

#include "kmod/lineage.h"
#include "kmod/match.h"
#include "kmod/policy.h"

/* policy.c's replace moves running programs (lineage.c): never called here. */
int charter_lineages_prepare(struct charter_policy *policy)
{
	(void)policy;
	return 0;
}

void charter_lineages_commit(void)
{
}

static const char *const paths[] = {
	"/", "/srv/app", "/srv/app/x/y.log", "/tmp/a/b", "relative", "",
	"/usr/lib/x86_64-linux-gnu/libc.so.6",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netlink_ext_ack extack = { 0 };
	struct charter_policy *p = charter_blob_decode(data, size, &extack);

	if (IS_ERR(p)) {
		assert(extack._msg);
		return 0;
	}
	for (u32 i = 0; i < p->manifest_count; i++) {
		const struct charter_manifest *m = &p->manifests[i];

		assert(charter_policy_find(p, m->digest, m->exe_size) == m);
		assert(charter_policy_has_size(p, m->exe_size));
		assert(m->name[0]);
		for (size_t j = 0; j < ARRAY_SIZE(paths); j++)
			(void)charter_rules_access(m->path_rules, m->path_count, paths[j]);
		for (u32 j = 0; j < m->path_count; j++)
			/* A rule covers the path it was written for. */
			assert(charter_pattern_covers(&m->path_rules[j],
						      m->path_rules[j].pattern) ||
			       strpbrk(m->path_rules[j].pattern, "*?"));
	}
	charter_policy_release_now(p);
	return 0;
}
