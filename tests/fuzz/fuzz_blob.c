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

#include <linux/dcache.h>

#include "kmod/learn.h"
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

/*
 * learn.c's records: a decoded policy here never becomes current, so it
 * never gets one, and its release has none to drop.
 */
int charter_learn_prepare(struct charter_policy *policy,
			  const struct charter_policy *old)
{
	(void)policy;
	(void)old;
	return 0;
}

void charter_learn_release(struct charter_policy *policy)
{
	(void)policy;
}

/* fs.c's d_absolute_path() comparison: here, the file lies at @file_path. */
static const char *file_path;

bool charter_path_is(const struct path *path, const char *want, size_t len)
{
	(void)path;
	return strlen(file_path) == len && !memcmp(file_path, want, len);
}

/*
 * A manifest's run path finds that manifest, where the file lies and by
 * name; its alias by name only; nothing else finds it.
 */
static void check_run(const struct charter_policy *p,
		      const struct charter_manifest *m)
{
	const char *base = strrchr(m->run, '/') + 1;
	struct qstr name = QSTR_INIT(base, strlen(base));

	assert(m->run[0] == '/');
	file_path = m->run;
	assert(charter_run_find_file(p, NULL, &name) == m);
	assert(charter_run_find_name(p, m->run) == m);
	assert(charter_run_find_same(p, m) == m);
	assert(charter_run_has_name(p, name.name, name.len));
	file_path = "";		/* never a run path */
	assert(!charter_run_find_file(p, NULL, &name));
	if (m->run_alias) {
		assert(charter_run_find_name(p, m->run_alias) == m);
		base = strrchr(m->run_alias, '/') + 1;
		name = (struct qstr)QSTR_INIT(base, strlen(base));
		file_path = m->run_alias;
		/* No file lies at an alias: a symlink does. */
		assert(charter_run_find_file(p, NULL, &name) != m);
	}
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
		if (m->run)
			check_run(p, m);
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
