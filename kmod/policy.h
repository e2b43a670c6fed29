/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: a loaded policy, an immutable and refcounted object decoded
 * from a validated blob, and the RCU-protected pointer to the current one.
 */
#ifndef _CHARTER_POLICY_H
#define _CHARTER_POLICY_H

#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "ruleindex.h"
#include "uapi/charter.h"

struct netlink_ext_ack;
struct path;
struct qstr;

/* Rights on the paths matching @pattern and everything beneath them. */
struct charter_path_rule {
	const char *pattern;	/* see struct charter_blob_path_rule */
	const char *name;
	u16 prefix_len;		/* leading glob-free part of @pattern */
	u16 len;		/* strlen(pattern) */
	u8 access;		/* CHARTER_ACCESS_* */
	u8 flags;		/* CHARTER_PATH_* */
};

/* Endpoints a manifest may use; see struct charter_blob_net_rule. */
struct charter_net_rule {
	const char *name;
	u8 family;
	u8 prefix;
	u8 direction;
	u8 protocol;
	u16 port_min;		/* host byte order */
	u16 port_max;
	u8 addr[16];		/* network byte order */
};

/* One manifest: the executable it is for and what it grants. */
struct charter_manifest {
	u8 digest[CHARTER_SHA256_LEN];
	u64 exe_size;
	const char *name;
	const char *author;
	const struct charter_path_rule *path_rules;
	const struct charter_net_rule *net_rules;
	u32 path_count;
	u32 net_count;
	u32 devices;		/* CHARTER_DEV_BIT() mask */
	u32 flags;		/* CHARTER_MANIFEST_* */
	const char *run;	/* where the executable lies, or NULL */
	const char *run_alias;	/* run as written, through a symlink, or NULL */
	struct charter_path_index path_index;	/* ruleindex.c */
	struct charter_net_index net_index;
	u32 next_by_size;	/* chain in charter_policy.by_size, or U32_MAX */
	u32 next_by_digest;	/* chain in charter_policy.by_digest, or U32_MAX */
	/* CHARTER_MANIFEST_LEARN: its record (learn.c), held; else NULL */
	struct charter_learning *learning;
};

/* A path a manifest's program is known by (run.c). */
struct charter_run_path {
	const char *path;	/* a manifest's run or run_alias */
	u16 len;		/* strlen(path) */
	u16 base;		/* offset of its last component */
	bool alias;		/* run_alias: no file lies there */
	u32 manifest;		/* index in charter_policy.manifests */
	u32 next;		/* chain in charter_policy.by_run, or U32_MAX */
};

struct charter_policy {
	struct kref ref;
	struct rcu_head rcu;
	u32 manifest_count;
	u32 bucket_mask;	/* bucket count - 1, a power of two minus one */
	struct charter_manifest *manifests;
	struct charter_path_rule *path_rules;
	struct charter_net_rule *net_rules;
	u32 *by_size;		/* bucket -> first manifest index, or U32_MAX */
	u32 *by_digest;
	struct charter_run_path *run_paths;
	u32 run_path_count;
	u32 run_mask;		/* by_run's bucket count - 1 */
	u32 *by_run;		/* by the hash of a run path's last component */
	void *rule_index;	/* memory of the manifests' rule indexes */
	size_t rule_index_len;	/* its length in bytes */
	void *blob;		/* our copy of the blob: strings point into it */
	size_t blob_len;	/* its length in bytes */
	u64 generation;		/* one more with every load (policy.c) */
};

/* blob.c: decode and validate; on error, extack names the first problem. */
struct charter_policy *charter_blob_decode(const void *data, size_t len,
					   struct netlink_ext_ack *extack);
void charter_policy_release_now(struct charter_policy *policy);

/* policy.c */
int charter_policy_index(struct charter_policy *policy,
			 struct netlink_ext_ack *extack);
void charter_policy_put(struct charter_policy *policy);
struct charter_policy *charter_policy_get_current(void);
const struct charter_policy *charter_policy_current_rcu(void);
bool charter_policy_current_has_size(u64 size);
bool charter_policy_current_holds(const struct charter_manifest *m);
int charter_policy_replace(struct charter_policy *policy, const u64 *expected);
u64 charter_policy_generation(const struct charter_policy *p);
size_t charter_policy_memory(const struct charter_policy *p);
void charter_policy_lock(void);
void charter_policy_unlock(void);
struct charter_policy *charter_policy_current_locked(void);
bool charter_policy_has_size(const struct charter_policy *policy, u64 size);
const struct charter_manifest *
charter_policy_find(const struct charter_policy *policy,
		    const u8 digest[CHARTER_SHA256_LEN], u64 size);
bool charter_policy_current_may_name(u64 size, const struct qstr *name,
				     const struct qstr *interp);

/* run.c */
int charter_run_index(struct charter_policy *policy,
		      struct netlink_ext_ack *extack);
bool charter_run_has_name(const struct charter_policy *policy,
			  const void *name, u32 len);
const struct charter_manifest *
charter_run_find_file(const struct charter_policy *policy,
		      const struct path *file, const struct qstr *name);
const struct charter_manifest *
charter_run_find_name(const struct charter_policy *policy, const char *path);
const struct charter_manifest *
charter_run_find_same(const struct charter_policy *policy,
		      const struct charter_manifest *m);
void charter_policy_exit(void);

/* fs.c: does @path lie at @want (@len bytes), as d_absolute_path() names it? */
bool charter_path_is(const struct path *path, const char *want, size_t len);

static inline struct charter_policy *
charter_policy_get(struct charter_policy *policy)
{
	kref_get(&policy->ref);
	return policy;
}

#endif /* _CHARTER_POLICY_H */
