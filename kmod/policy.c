// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: the loaded policy.
 *
 * A policy never changes once built. The current one is published through
 * an RCU pointer; a reader takes a reference and may then sleep. Loading
 * swaps the pointer whole, so a reader sees the old set or the new one,
 * never a mix, and a failed load leaves the old one in place. Running
 * programs move to their manifest's new version in the same step
 * (lineage.c).
 */

#include <linux/dcache.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "learn.h"
#include "lineage.h"
#include "policy.h"

#define CHARTER_NO_INDEX U32_MAX

static struct charter_policy __rcu *charter_current;
static DEFINE_MUTEX(charter_policy_mutex);

static u32 charter_size_bucket(const struct charter_policy *p, u64 size)
{
	return hash_64(size, 32) & p->bucket_mask;
}

/* The digest is already uniformly spread: its first bytes are the hash. */
static u32 charter_digest_bucket(const struct charter_policy *p,
				 const u8 digest[CHARTER_SHA256_LEN])
{
	u32 v;

	memcpy(&v, digest, sizeof(v));
	return v & p->bucket_mask;
}

static u32 *charter_alloc_buckets(u32 n)
{
	u32 *b = kvmalloc_array(n, sizeof(*b), GFP_KERNEL);

	if (b)
		memset(b, 0xff, n * sizeof(*b));	/* CHARTER_NO_INDEX */
	return b;
}

static int charter_cmp_names(const void *a, const void *b)
{
	return strcmp((*(const struct charter_manifest * const *)a)->name,
		      (*(const struct charter_manifest * const *)b)->name);
}

/*
 * A manifest's name is how an administrator aims a mode at it, and how
 * events and logs name it: two manifests of one name would share one
 * override and be told apart by nobody. Sorted, so O(n log n) for the
 * largest policies (10,000 manifests).
 */
static int charter_policy_check_names(const struct charter_policy *p,
				      struct netlink_ext_ack *extack)
{
	const struct charter_manifest **sorted;
	int err = 0;
	u32 i;

	if (p->manifest_count < 2)
		return 0;
	sorted = kvmalloc_array(p->manifest_count, sizeof(*sorted), GFP_KERNEL);
	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < p->manifest_count; i++)
		sorted[i] = &p->manifests[i];
	sort(sorted, p->manifest_count, sizeof(*sorted), charter_cmp_names, NULL);
	for (i = 1; i < p->manifest_count && !err; i++) {
		if (!strcmp(sorted[i - 1]->name, sorted[i]->name)) {
			NL_SET_ERR_MSG(extack, "blob: two manifests of one name");
			err = -EEXIST;
		}
	}
	kvfree(sorted);
	return err;
}

/*
 * Build the hash indexes (by executable size, by digest, and run.c's by
 * run path): lookups are O(1) in the number of manifests. Two manifests
 * for one executable, of one name or for one run path are refused
 * (-EEXIST).
 */
int charter_policy_index(struct charter_policy *p,
			 struct netlink_ext_ack *extack)
{
	u32 buckets = roundup_pow_of_two(max_t(u32, p->manifest_count, 1));
	u32 i;
	int err = charter_policy_check_names(p, extack);

	if (err)
		return err;
	p->bucket_mask = buckets - 1;
	p->by_size = charter_alloc_buckets(buckets);
	p->by_digest = charter_alloc_buckets(buckets);
	if (!p->by_size || !p->by_digest)
		return -ENOMEM;

	for (i = 0; i < p->manifest_count; i++) {
		struct charter_manifest *m = &p->manifests[i];
		u32 *head;

		if (charter_policy_find(p, m->digest, m->exe_size)) {
			NL_SET_ERR_MSG(extack,
				       "blob: two manifests for one executable");
			return -EEXIST;
		}
		head = &p->by_size[charter_size_bucket(p, m->exe_size)];
		m->next_by_size = *head;
		*head = i;
		head = &p->by_digest[charter_digest_bucket(p, m->digest)];
		m->next_by_digest = *head;
		*head = i;
	}
	return charter_run_index(p, extack);
}

bool charter_policy_has_size(const struct charter_policy *p, u64 size)
{
	u32 i = p->by_size[charter_size_bucket(p, size)];

	for (; i != CHARTER_NO_INDEX; i = p->manifests[i].next_by_size)
		if (p->manifests[i].exe_size == size)
			return true;
	return false;
}

const struct charter_manifest *
charter_policy_find(const struct charter_policy *p,
		    const u8 digest[CHARTER_SHA256_LEN], u64 size)
{
	u32 i = p->by_digest[charter_digest_bucket(p, digest)];

	for (; i != CHARTER_NO_INDEX; i = p->manifests[i].next_by_digest) {
		const struct charter_manifest *m = &p->manifests[i];

		if (m->exe_size == size &&
		    !memcmp(m->digest, digest, CHARTER_SHA256_LEN))
			return m;
	}
	return NULL;
}

/*
 * The rule arrays blob.c allocated, one slot at least: their counts are in
 * the header of our copy of the blob, which blob.c validated.
 */
static u32 charter_policy_path_rule_slots(const struct charter_policy *p)
{
	const struct charter_blob_header *h = p->blob;

	return max_t(u32, le32_to_cpu(h->path_rules.count), 1);
}

static u32 charter_policy_net_rule_slots(const struct charter_policy *p)
{
	const struct charter_blob_header *h = p->blob;

	return max_t(u32, le32_to_cpu(h->net_rules.count), 1);
}

/*
 * Bytes an allocation of @size at @ptr holds, as its allocator hands them
 * out: a kvmalloc() that fell back to vmalloc() takes whole pages; a
 * kmalloc() takes its slab's object size, or whole pages of a power-of-two
 * order above the largest slab (kmalloc_size_roundup()).
 */
static size_t charter_alloc_bytes(const void *ptr, size_t size)
{
	if (!ptr)
		return 0;
	if (is_vmalloc_addr(ptr))
		return PAGE_ALIGN(size);
	return kmalloc_size_roundup(size);
}

/**
 * charter_policy_memory() - the kernel memory a policy holds
 * @p: a decoded and indexed policy (blob.c, charter_policy_index())
 *
 * Sums every allocation of the policy, as blob.c, this file and run.c
 * size them: the struct, the copy of the blob (its strings), the
 * manifests, path and network rules, the three hash indexes, the run
 * paths and the manifests' rule indexes (ruleindex.c), each rounded as its allocator rounds it. A learning manifest's
 * record grows as its program runs and is not counted. Whoever adds an
 * allocation to a policy adds it here.
 *
 * Return: bytes; 0 for no policy.
 */
size_t charter_policy_memory(const struct charter_policy *p)
{
	u32 buckets, run_slots;

	if (!p)
		return 0;
	buckets = p->bucket_mask + 1;
	run_slots = 2 * max_t(u32, p->manifest_count, 1);	/* run.c */
	return charter_alloc_bytes(p, sizeof(*p)) +
	       charter_alloc_bytes(p->blob, p->blob_len) +
	       charter_alloc_bytes(p->manifests,
				   max_t(u32, p->manifest_count, 1) *
				   sizeof(*p->manifests)) +
	       charter_alloc_bytes(p->path_rules,
				   charter_policy_path_rule_slots(p) *
				   sizeof(*p->path_rules)) +
	       charter_alloc_bytes(p->net_rules,
				   charter_policy_net_rule_slots(p) *
				   sizeof(*p->net_rules)) +
	       charter_alloc_bytes(p->by_size, buckets * sizeof(*p->by_size)) +
	       charter_alloc_bytes(p->by_digest,
				   buckets * sizeof(*p->by_digest)) +
	       charter_alloc_bytes(p->run_paths,
				   run_slots * sizeof(*p->run_paths)) +
	       charter_alloc_bytes(p->by_run,
				   (p->run_mask + 1) * sizeof(*p->by_run)) +
	       charter_alloc_bytes(p->rule_index,
				   max_t(size_t, p->rule_index_len, 1));
}

static void charter_policy_free_rcu(struct rcu_head *head)
{
	charter_policy_release_now(container_of(head, struct charter_policy,
						rcu));
}

static void charter_policy_release(struct kref *ref)
{
	struct charter_policy *p = container_of(ref, struct charter_policy, ref);

	/* Readers may still be looking at it under rcu_read_lock(). */
	call_rcu(&p->rcu, charter_policy_free_rcu);
}

void charter_policy_put(struct charter_policy *policy)
{
	if (policy)
		kref_put(&policy->ref, charter_policy_release);
}

/* The current policy with a reference held, or NULL when none is loaded. */
struct charter_policy *charter_policy_get_current(void)
{
	struct charter_policy *p;

	rcu_read_lock();
	p = rcu_dereference(charter_current);
	if (p && !kref_get_unless_zero(&p->ref))
		p = NULL;
	rcu_read_unlock();
	return p;
}

/*
 * Does the current policy name an executable of @size? The hot-path test
 * of every exec and executable mapping: RCU only, no shared reference
 * count touched.
 */
bool charter_policy_current_has_size(u64 size)
{
	const struct charter_policy *p;
	bool has;

	rcu_read_lock();
	p = rcu_dereference(charter_current);
	has = p && charter_policy_has_size(p, size);
	rcu_read_unlock();
	return has;
}

/**
 * charter_policy_current_may_name() - might an exec have a manifest?
 * @size: the executed file's size
 * @name: its file name
 * @interp: the last component of the name it was executed by
 *
 * The hot-path test of every exec, in one RCU section: does the current
 * policy name an executable of @size, or have a run path that ends in
 * @name or @interp (run.c)? No shared reference count is touched.
 *
 * Return: false when no manifest can be the file's.
 */
bool charter_policy_current_may_name(u64 size, const struct qstr *name,
				     const struct qstr *interp)
{
	const struct charter_policy *p;
	bool may;

	rcu_read_lock();
	p = rcu_dereference(charter_current);
	may = p && (charter_policy_has_size(p, size) ||
		    charter_run_has_name(p, name->name, name->len) ||
		    charter_run_has_name(p, interp->name, interp->len));
	rcu_read_unlock();
	return may;
}

/* Is @m a manifest of the current policy? Under rcu_read_lock(). */
bool charter_policy_current_holds(const struct charter_manifest *m)
{
	const struct charter_policy *p = rcu_dereference(charter_current);

	return p && m >= p->manifests && m < p->manifests + p->manifest_count;
}

/* The current policy, without a reference: valid under rcu_read_lock(). */
const struct charter_policy *charter_policy_current_rcu(void)
{
	return rcu_dereference(charter_current);
}

/* Serialises loads with the making of lineages (lineage.c). */
void charter_policy_lock(void)
{
	mutex_lock(&charter_policy_mutex);
}

void charter_policy_unlock(void)
{
	mutex_unlock(&charter_policy_mutex);
}

/* The current policy, under charter_policy_lock(). */
struct charter_policy *charter_policy_current_locked(void)
{
	return rcu_dereference_protected(charter_current,
					 lockdep_is_held(&charter_policy_mutex));
}

/*
 * The generation of the next policy loaded. It starts at random when the
 * module is loaded (at the first load), so that an editor's generation
 * read before a module reload does not match a policy loaded after it.
 */
static u64 charter_generation;
static bool charter_generation_started;

/* @p's generation; CHARTER_NO_GENERATION for no policy. */
u64 charter_policy_generation(const struct charter_policy *p)
{
	return p ? p->generation : CHARTER_NO_GENERATION;
}

/**
 * charter_policy_replace() - make @policy the current policy
 * @policy: the new policy (our reference moves to the pointer), or NULL
 *	    to empty it
 * @expected: NULL, or the generation the current policy must have (an
 *	      editor read it, changed it and loads the result)
 *
 * Every running program whose manifest @policy has moves to that version
 * at the same time; the others keep theirs. A learning manifest kept from
 * the current policy keeps what it recorded (learn.c).
 *
 * Return: 0; -ESTALE when another policy was loaded since @expected;
 * -ENOMEM. On error nothing changed and our reference is dropped.
 */
int charter_policy_replace(struct charter_policy *policy, const u64 *expected)
{
	struct charter_policy *old;
	int err;

	mutex_lock(&charter_policy_mutex);
	old = charter_policy_current_locked();
	err = expected && charter_policy_generation(old) != *expected ?
	      -ESTALE : 0;
	if (!err)
		err = charter_learn_prepare(policy, old);
	if (!err)
		err = charter_lineages_prepare(policy);
	if (err) {
		mutex_unlock(&charter_policy_mutex);
		charter_policy_put(policy);
		return err;
	}
	if (!charter_generation_started) {
		charter_generation = (u64)get_random_u32() << 16;
		charter_generation_started = true;
	}
	if (policy)
		policy->generation = charter_generation++;
	old = rcu_replace_pointer(charter_current, policy,
				  lockdep_is_held(&charter_policy_mutex));
	charter_lineages_commit();
	mutex_unlock(&charter_policy_mutex);
	charter_policy_put(old);
	return 0;
}

/* Module exit: drop the current policy and wait for its memory to go. */
void charter_policy_exit(void)
{
	charter_policy_replace(NULL, NULL);
	rcu_barrier();
}
