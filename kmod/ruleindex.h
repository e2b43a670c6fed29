/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: per-manifest indexes of the path and network rules, built when
 * a policy is decoded, so that a decision costs the same for 8 rules as
 * for 8,000 (ruleindex.c).
 */
#ifndef _CHARTER_RULEINDEX_H
#define _CHARTER_RULEINDEX_H

#include <linux/types.h>

struct charter_path_rule;
struct charter_net_rule;
struct charter_endpoint;
struct charter_policy;

/* One glob-free rule prefix of a manifest; len == 0: an empty slot. */
struct charter_prefix_slot {
	u32 hash;		/* charter_prefix_hash() of the prefix */
	u32 rule;		/* a rule with this prefix: where its bytes are */
	u32 globs;		/* first glob rule with it, chained by next */
	u16 len;		/* prefix length */
	u8 access;		/* union of its glob-free rules' rights */
};

/*
 * The path rules of a manifest by glob-free prefix, in an open-addressed
 * hash table (linear probing, at most half full). Rules "/" and rules
 * whose first component has a glob (no prefix) apply to every path.
 */
struct charter_path_index {
	u64 id;			/* unique, never reused (cache.c's key) */
	const struct charter_path_rule *rules;
	struct charter_prefix_slot *slots;	/* NULL when mask is 0 */
	u32 *next;		/* per rule: next glob rule of its chain */
	u32 mask;		/* slot count - 1, or 0: no table */
	u32 anywhere;		/* first glob rule without a prefix */
	u16 longest;		/* the longest prefix's length */
	u8 root_access;		/* union of the rights of "/" rules */
};

/* The end of a chain of rules. */
#define CHARTER_NO_RULE U32_MAX

/*
 * The network rules of a manifest: rules for one port chained in a hash
 * table by that port, rules for a port range in one list (scanned:
 * ranges are rare in manifests). Looked up by charter_net_index_allows()
 * (netrule.h, inline: every datagram is judged twice).
 */
struct charter_net_index {
	const struct charter_net_rule *rules;
	u32 *by_port;		/* bucket -> first single-port rule */
	u32 *next;		/* per rule: next rule of its chain */
	u32 bits;		/* log2 of the bucket count (1 at least) */
	u32 ranges;		/* first port-range rule */
};

u32 charter_prefix_hash(const char *s, size_t len);
size_t charter_path_index_size(const struct charter_path_rule *rules,
			       u32 count);
void *charter_path_index_build(struct charter_path_index *ix,
			       const struct charter_path_rule *rules, u32 count,
			       void *mem);
u32 charter_path_index_access(const struct charter_path_index *ix,
			      const char *path);

size_t charter_net_index_size(u32 count);
void *charter_net_index_build(struct charter_net_index *ix,
			      const struct charter_net_rule *rules, u32 count,
			      void *mem);
bool charter_net_index_allows_port(const struct charter_net_index *ix,
				   u8 protocol, u16 port);

int charter_policy_index_rules(struct charter_policy *policy);

#endif /* _CHARTER_RULEINDEX_H */
