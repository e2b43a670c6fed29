// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: indexes of a manifest's rules, so that a decision does not
 * scan them.
 *
 * A path rule can cover a path only if its glob-free prefix is the path
 * or one of its ancestors (component boundaries, as match.c's
 * charter_pattern_covers()). So the rules are hashed by prefix, and a
 * lookup hashes the path once, byte by byte, probing the table at each
 * '/' and at the end: one probe per component of the path, whatever the
 * number of rules. A prefix found gives the union of its glob-free rules
 * at once; its glob rules (chained) are run through match.c's glob
 * matcher on the rest of the path, as the scan runs them. Rules "/"
 * cover every path; rules with a glob in their first component (no
 * prefix) are tried on every path.
 *
 * A network rule for one port is chained in a hash table by that port;
 * rules for a range of ports are in one list, scanned (ranges are rare).
 * Each candidate is judged by match.c's per-rule test, as in the scan.
 *
 * The indexes are built when a policy is decoded, in one allocation
 * freed with the policy (immutable, like the rules). Lookups allocate
 * nothing, take no lock and never sleep.
 *
 * Memory: a path index takes 16 bytes per slot (two to four per rule
 * with a prefix) and 4 per rule, at most 68 bytes a rule; a network
 * index 4 bytes per rule and 4 per bucket (two to four a rule, two at
 * least), at most 20.
 */

#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "match.h"
#include "netrule.h"
#include "policy.h"
#include "ruleindex.h"


/* Index ids: 64 bits, counted from 1, are never reused. */
static atomic64_t charter_path_index_ids = ATOMIC64_INIT(0);

/* FNV-1a, one byte at a time: the hash of path[0..i) at each i. */
#define CHARTER_HASH_BASIS 2166136261u
#define CHARTER_HASH_PRIME 16777619u

static u32 charter_hash_byte(u32 hash, char c)
{
	return (hash ^ (u8)c) * CHARTER_HASH_PRIME;
}

/**
 * charter_prefix_hash() - the hash a prefix is indexed by
 * @s: its bytes
 * @len: how many
 *
 * Return: FNV-1a of @s[0..@len), as the lookup computes it byte by byte.
 */
u32 charter_prefix_hash(const char *s, size_t len)
{
	u32 hash = CHARTER_HASH_BASIS;
	size_t i;

	for (i = 0; i < len; i++)
		hash = charter_hash_byte(hash, s[i]);
	return hash;
}

/* FNV's low bits mix less than its high ones: fold them in. */
static u32 charter_slot_of(u32 hash, u32 mask)
{
	return (hash ^ (hash >> 16)) & mask;
}

/* Is @r indexed by its prefix ("/" and glob-first rules are not)? */
static bool charter_rule_has_prefix(const struct charter_path_rule *r)
{
	return r->prefix_len && r->len > 1;
}

/* Slots for @count rules: at least twice the prefixes, or none. */
static u32 charter_path_slots(const struct charter_path_rule *rules,
			      u32 count)
{
	u32 i, prefixed = 0;

	for (i = 0; i < count; i++)
		prefixed += charter_rule_has_prefix(&rules[i]);
	return prefixed ? roundup_pow_of_two(2 * prefixed) : 0;
}

/**
 * charter_path_index_size() - bytes the path index of some rules takes
 * @rules: a manifest's path rules
 * @count: how many (at most the rules of one blob)
 *
 * Return: 16 bytes per slot (at least two per rule with a prefix, fewer
 * than four) and 4 bytes per rule.
 */
size_t charter_path_index_size(const struct charter_path_rule *rules,
			       u32 count)
{
	return (size_t)charter_path_slots(rules, count) *
	       sizeof(struct charter_prefix_slot) + (size_t)count * sizeof(u32);
}

/* The slot of @r's prefix: the one holding it, or the empty one for it. */
static struct charter_prefix_slot *
charter_slot_for(struct charter_path_index *ix,
		 const struct charter_path_rule *r, u32 hash)
{
	u32 pos = charter_slot_of(hash, ix->mask);

	for (;; pos = (pos + 1) & ix->mask) {
		struct charter_prefix_slot *s = &ix->slots[pos];

		if (!s->len || (s->hash == hash && s->len == r->prefix_len &&
				!memcmp(ix->rules[s->rule].pattern, r->pattern,
					r->prefix_len)))
			return s;
	}
}

static void charter_path_index_add(struct charter_path_index *ix, u32 i)
{
	const struct charter_path_rule *r = &ix->rules[i];
	struct charter_prefix_slot *s;
	u32 hash;

	ix->next[i] = CHARTER_NO_RULE;
	if (r->len == 1) {		/* "/" */
		ix->root_access |= r->access;
		return;
	}
	if (!r->prefix_len) {
		ix->next[i] = ix->anywhere;
		ix->anywhere = i;
		return;
	}
	hash = charter_prefix_hash(r->pattern, r->prefix_len);
	s = charter_slot_for(ix, r, hash);
	if (!s->len) {
		*s = (struct charter_prefix_slot){ .hash = hash, .rule = i,
			.globs = CHARTER_NO_RULE, .len = r->prefix_len };
		ix->longest = max_t(u16, ix->longest, r->prefix_len);
	}
	if (r->prefix_len == r->len) {
		s->access |= r->access;
	} else {
		ix->next[i] = s->globs;
		s->globs = i;
	}
}

/**
 * charter_path_index_build() - index a manifest's path rules
 * @ix: the index to fill
 * @rules: the rules, checked (charter_pattern_check()); they must outlive
 *	   @ix
 * @count: how many
 * @mem: charter_path_index_size() bytes, 4-byte aligned
 *
 * Return: @mem past what the index uses.
 */
void *charter_path_index_build(struct charter_path_index *ix,
			       const struct charter_path_rule *rules, u32 count,
			       void *mem)
{
	u32 slots = charter_path_slots(rules, count);
	u32 i;

	*ix = (struct charter_path_index){ .rules = rules,
		.anywhere = CHARTER_NO_RULE,
		.id = atomic64_inc_return(&charter_path_index_ids) };
	if (slots) {
		ix->slots = mem;
		ix->mask = slots - 1;
		memset(ix->slots, 0, slots * sizeof(*ix->slots));
	}
	ix->next = mem + (size_t)slots * sizeof(*ix->slots);
	/* Backwards, so that each chain runs in the manifest's order. */
	for (i = count; i-- > 0;)
		charter_path_index_add(ix, i);
	return ix->next + count;
}

/* Add to *@access what the glob rules chained from @i grant on @path. */
static void charter_globs_access(const struct charter_path_index *ix, u32 i,
				 const char *path, u32 *access)
{
	for (; i != CHARTER_NO_RULE; i = ix->next[i]) {
		const struct charter_path_rule *r = &ix->rules[i];

		/* A rule granting nothing new need not be matched. */
		if ((r->access & ~*access) &&
		    charter_glob_covers(r->pattern + r->prefix_len,
					path + r->prefix_len))
			*access |= r->access;
	}
}

/* Add what the rules with prefix @path[0..@len) (of @hash) grant. */
static void charter_prefix_access(const struct charter_path_index *ix,
				  const char *path, size_t len, u32 hash,
				  u32 *access)
{
	u32 pos = charter_slot_of(hash, ix->mask);

	/* At most half full: an empty slot ends every probe. */
	for (;; pos = (pos + 1) & ix->mask) {
		const struct charter_prefix_slot *s = &ix->slots[pos];

		if (!s->len)
			return;
		if (s->hash == hash && s->len == len &&
		    !memcmp(ix->rules[s->rule].pattern, path, len)) {
			*access |= s->access;
			charter_globs_access(ix, s->globs, path, access);
			return;
		}
	}
}

/**
 * charter_path_index_access() - the rights a manifest's rules grant on a path
 * @ix: the manifest's path index
 * @path: an absolute path, as d_absolute_path() gives it
 *
 * The same answer as charter_rules_access() on the indexed rules, for
 * any string. One pass over @path and one probe per component; the glob
 * rules whose prefix is @path or an ancestor of it are matched, no other.
 * Allocates nothing, never sleeps.
 *
 * Return: the union of the rights of every rule covering @path.
 */
u32 charter_path_index_access(const struct charter_path_index *ix,
			      const char *path)
{
	u32 access, hash;
	size_t i;

	if (path[0] != '/')
		return 0;
	access = ix->root_access;
	charter_globs_access(ix, ix->anywhere, path, &access);
	if (!ix->mask)
		return access;
	/* hash is that of path[0..i); past the longest prefix, none is. */
	hash = charter_hash_byte(CHARTER_HASH_BASIS, path[0]);
	for (i = 1; i <= ix->longest; i++) {
		if (path[i] == '/' || !path[i])
			charter_prefix_access(ix, path, i, hash, &access);
		if (!path[i])
			break;
		hash = charter_hash_byte(hash, path[i]);
	}
	return access;
}

/*
 * Buckets for @count network rules: two to four a rule (a chain then
 * rarely holds another port's rules), two at least, at most one a port.
 */
static u32 charter_net_buckets(u32 count)
{
	return min_t(u32, roundup_pow_of_two(max_t(u32, 2 * count, 2)), 1u << 16);
}

/**
 * charter_net_index_size() - bytes the network index of some rules takes
 * @count: how many rules
 *
 * Return: 4 bytes per rule and 4 per bucket (two to four per rule, two
 * at least).
 */
size_t charter_net_index_size(u32 count)
{
	return ((size_t)charter_net_buckets(count) + count) * sizeof(u32);
}

/**
 * charter_net_index_build() - index a manifest's network rules
 * @ix: the index to fill
 * @rules: the rules, checked; they must outlive @ix
 * @count: how many
 * @mem: charter_net_index_size() bytes, 4-byte aligned
 *
 * Return: @mem past what the index uses.
 */
void *charter_net_index_build(struct charter_net_index *ix,
			      const struct charter_net_rule *rules, u32 count,
			      void *mem)
{
	u32 buckets = charter_net_buckets(count);
	u32 i, *head;

	*ix = (struct charter_net_index){ .rules = rules, .by_port = mem,
		.next = (u32 *)mem + buckets, .bits = ilog2(buckets),
		.ranges = CHARTER_NO_RULE };
	memset(ix->by_port, 0xff, buckets * sizeof(u32));	/* NO_RULE */
	/* Backwards, so that each chain runs in the manifest's order. */
	for (i = count; i-- > 0;) {
		const struct charter_net_rule *r = &rules[i];

		if (r->port_min == r->port_max)
			head = &ix->by_port[charter_port_bucket(ix, r->port_min)];
		else
			head = &ix->ranges;
		ix->next[i] = *head;
		*head = i;
	}
	return ix->next + count;
}

/**
 * charter_net_index_allows_port() - may a service use a local port?
 * @ix: a manifest's network index
 * @protocol: CHARTER_PROTO_TCP or _UDP (0: no rule matches)
 * @port: the local port, host order
 *
 * The same answer as charter_net_allows_port() on the indexed rules,
 * looked up as charter_net_index_allows() does.
 *
 * Return: true if some inbound rule grants @protocol on @port.
 */
bool charter_net_index_allows_port(const struct charter_net_index *ix,
				   u8 protocol, u16 port)
{
	u32 i;

	for (i = ix->by_port[charter_port_bucket(ix, port)];
	     i != CHARTER_NO_RULE; i = ix->next[i])
		if (charter_net_rule_offers(&ix->rules[i], protocol, port))
			return true;
	for (i = ix->ranges; i != CHARTER_NO_RULE; i = ix->next[i])
		if (charter_net_rule_offers(&ix->rules[i], protocol, port))
			return true;
	return false;
}

/* Bytes the indexes of manifest @m take. */
static size_t charter_manifest_index_size(const struct charter_manifest *m)
{
	return charter_path_index_size(m->path_rules, m->path_count) +
	       charter_net_index_size(m->net_count);
}

/**
 * charter_policy_index_rules() - index every manifest's rules
 * @p: a decoded policy, its rules checked; the manifests' rule counts add
 *     up to at most the rules of the blob (blob.c), so this is linear in
 *     the blob
 *
 * One allocation for all the manifests, p->rule_index, freed with @p.
 *
 * Return: 0 or -ENOMEM.
 */
int charter_policy_index_rules(struct charter_policy *p)
{
	size_t total = 0;
	void *mem;
	u32 i;

	for (i = 0; i < p->manifest_count; i++)
		total += charter_manifest_index_size(&p->manifests[i]);
	p->rule_index = kvmalloc(total ?: 1, GFP_KERNEL);
	if (!p->rule_index)
		return -ENOMEM;
	p->rule_index_len = total;
	mem = p->rule_index;
	for (i = 0; i < p->manifest_count; i++) {
		struct charter_manifest *m = &p->manifests[i];

		mem = charter_path_index_build(&m->path_index, m->path_rules,
					       m->path_count, mem);
		mem = charter_net_index_build(&m->net_index, m->net_rules,
					      m->net_count, mem);
	}
	return 0;
}
