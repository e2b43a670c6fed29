// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: run paths, where a manifest's program is and how it is started.
 *
 * A manifest names its executable's path twice at most: @run, where the
 * file lies (symlinks resolved, as d_absolute_path() names an executed
 * file), and @run_alias, the path as the manifest wrote it when that went
 * through a symlink (/opt/app/current/app for /opt/app/releases/2/app).
 * A file of no manifest's hash is held to a manifest (exec.c) when it lies
 * at its @run, or when the exec named it by either path: a service
 * manager starts a daemon by its path, and what lies there, a new build,
 * a symlink to one, or a file that a rename slid under the name between
 * exec's open and this check, is the program that path stands for.
 *
 * The table holds every such path with its manifest, chained in buckets
 * by the hash of its last component, so that an exec whose file name no
 * run path ends in (nearly all of them) costs one hash and one bucket.
 * No two manifests may share a path (-EEXIST).
 */

#include <linux/dcache.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "policy.h"

#define CHARTER_NO_RUN U32_MAX

static u32 charter_run_bucket(const struct charter_policy *p,
			      const void *name, u32 len)
{
	return full_name_hash(NULL, name, len) & p->run_mask;
}

static bool charter_run_ends_in(const struct charter_run_path *r,
				const void *name, u32 len)
{
	return r->len - r->base == len && !memcmp(r->path + r->base, name, len);
}

/* The entry of @path (@len bytes) in @p's table, or NULL. */
static const struct charter_run_path *
charter_run_lookup(const struct charter_policy *p, const char *path, u32 len)
{
	const char *name = strrchr(path, '/') + 1;
	u32 name_len = len - (name - path);
	u32 i = p->by_run[charter_run_bucket(p, name, name_len)];

	for (; i != CHARTER_NO_RUN; i = p->run_paths[i].next)
		if (p->run_paths[i].len == len &&
		    !memcmp(p->run_paths[i].path, path, len))
			return &p->run_paths[i];
	return NULL;
}

static int charter_run_add(struct charter_policy *p, const char *path,
			   u32 manifest, bool alias,
			   struct netlink_ext_ack *extack)
{
	struct charter_run_path *r = &p->run_paths[p->run_path_count];
	u32 *head;

	r->path = path;
	r->len = strlen(path);
	r->base = strrchr(path, '/') + 1 - path;
	r->manifest = manifest;
	r->alias = alias;
	if (charter_run_lookup(p, path, r->len)) {
		NL_SET_ERR_MSG(extack, "blob: two manifests for one run path");
		return -EEXIST;
	}
	head = &p->by_run[charter_run_bucket(p, path + r->base,
					     r->len - r->base)];
	r->next = *head;
	*head = p->run_path_count++;
	return 0;
}

/**
 * charter_run_index() - build the run path table of a decoded policy
 * @p: the policy, its manifests' @run and @run_alias validated (blob.c:
 *     absolute, normalised, so each has a '/' before its last component)
 * @extack: names the problem
 *
 * Return: 0, -ENOMEM, or -EEXIST when two manifests share a path.
 */
int charter_run_index(struct charter_policy *p, struct netlink_ext_ack *extack)
{
	u32 slots = 2 * max_t(u32, p->manifest_count, 1), i;
	int err = 0;

	p->run_mask = roundup_pow_of_two(slots) - 1;
	p->run_paths = kvcalloc(slots, sizeof(*p->run_paths), GFP_KERNEL);
	p->by_run = kvmalloc_array(p->run_mask + 1, sizeof(*p->by_run),
				   GFP_KERNEL);
	if (!p->run_paths || !p->by_run)
		return -ENOMEM;
	memset(p->by_run, 0xff, (p->run_mask + 1) * sizeof(*p->by_run));
	for (i = 0; i < p->manifest_count && !err; i++) {
		const struct charter_manifest *m = &p->manifests[i];

		if (m->run)
			err = charter_run_add(p, m->run, i, false, extack);
		if (!err && m->run_alias)
			err = charter_run_add(p, m->run_alias, i, true, extack);
	}
	return err;
}

/* Does a run path of @p end in @name (@len bytes)? RCU-safe. */
bool charter_run_has_name(const struct charter_policy *p, const void *name,
			  u32 len)
{
	u32 i;

	if (!p->run_path_count)
		return false;
	i = p->by_run[charter_run_bucket(p, name, len)];
	for (; i != CHARTER_NO_RUN; i = p->run_paths[i].next)
		if (charter_run_ends_in(&p->run_paths[i], name, len))
			return true;
	return false;
}

/**
 * charter_run_find_file() - the manifest whose run path a file lies at
 * @p: the policy
 * @file: the file (an executed file's f_path)
 * @name: its last component (a snapshot: a rename may change the dentry's)
 *
 * Only the paths that end in @name are candidates, so the file's absolute
 * path is made (charter_path_is()) only for a file of a manifested name.
 * Run aliases go through a symlink: no file lies there. May sleep.
 *
 * Return: the manifest, or NULL.
 */
const struct charter_manifest *
charter_run_find_file(const struct charter_policy *p, const struct path *file,
		      const struct qstr *name)
{
	u32 i;

	if (!p->run_path_count)
		return NULL;
	i = p->by_run[charter_run_bucket(p, name->name, name->len)];
	for (; i != CHARTER_NO_RUN; i = p->run_paths[i].next) {
		const struct charter_run_path *r = &p->run_paths[i];
		const struct charter_manifest *m = &p->manifests[r->manifest];

		if (!r->alias && charter_run_ends_in(r, name->name, name->len) &&
		    charter_path_is(file, r->path, r->len))
			return m;
	}
	return NULL;
}

/**
 * charter_run_find_name() - the manifest of a path an exec named
 * @p: the policy
 * @path: the name the executed file was opened by (bprm->interp), NUL
 *	  terminated; a relative one is never a run path
 *
 * Compared byte for byte with every run path and alias.
 *
 * Return: the manifest, or NULL.
 */
const struct charter_manifest *
charter_run_find_name(const struct charter_policy *p, const char *path)
{
	const struct charter_run_path *r;
	size_t len;

	if (!p->run_path_count || path[0] != '/')
		return NULL;
	len = strnlen(path, CHARTER_PATTERN_MAX + 1);
	if (len > CHARTER_PATTERN_MAX)
		return NULL;
	r = charter_run_lookup(p, path, len);
	return r ? &p->manifests[r->manifest] : NULL;
}

/**
 * charter_run_find_same() - the manifest of @p for the file @m runs
 * @p: a policy
 * @m: a manifest of any policy
 *
 * Return: the manifest of @p whose run path (where the file lies) is
 * @m's, or NULL (also when @m has none).
 */
const struct charter_manifest *
charter_run_find_same(const struct charter_policy *p,
		      const struct charter_manifest *m)
{
	const struct charter_run_path *r;

	if (!m->run || !p->run_path_count)
		return NULL;
	r = charter_run_lookup(p, m->run, strlen(m->run));
	if (!r)
		return NULL;
	return r->alias ? NULL : &p->manifests[r->manifest];
}
