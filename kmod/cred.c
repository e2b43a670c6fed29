// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: which credentials carry which domain.
 *
 * A module has no LSM blob in struct cred, so a hash table maps a cred
 * pointer to its domain. A forked child shares its parent's cred or gets a
 * copy through cred_prepare, which copies the mapping; exec prepares a new
 * cred the same way, so a domain is inherited by every descendant and never
 * left. The one other way a task gets a new cred, a session keyring given
 * to the parent, copies it through cred_transfer. The entry goes when the
 * cred is freed (cred_free, which may run in an RCU callback: nothing here
 * sleeps but charter_cred_set()).
 */

#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/mutex.h>
#include <linux/rculist_nulls.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "attach.h"
#include "domain.h"

#define CHARTER_CRED_HASH_BITS 10
#define CHARTER_CRED_SLOTS (1U << CHARTER_CRED_HASH_BITS)

/*
 * An entry is freed at once (SLAB_TYPESAFE_BY_RCU): a fork and its exec
 * each make one and free one, and kfree_rcu() cost them a batch, its
 * timer and the allocator's slow paths (several hundred instructions a
 * fork+exec, in profiles). The memory stays an entry until a grace period
 * has passed, so a lockless walk that reads one freed under it reads an
 * entry, maybe of another chain by now: each chain ends in a nulls value
 * naming its slot, and a walk that ends elsewhere starts over (the
 * scheme of Documentation/RCU/rculist_nulls.rst, as TCP's socket hash).
 */
struct charter_cred_entry {
	struct hlist_nulls_node node;
	const struct cred *cred;
	struct charter_domain *domain;
};

DEFINE_STATIC_KEY_FALSE(charter_confining);

static struct hlist_nulls_head charter_creds[CHARTER_CRED_SLOTS];
static struct kmem_cache *charter_cred_cache;
static DEFINE_SPINLOCK(charter_creds_lock);
static atomic_t charter_cred_count = ATOMIC_INIT(0);

/*
 * The static key is turned on by the first confinement (which may sleep)
 * and off by a work item once the last confined cred is gone (cred_free
 * cannot sleep). The mutex orders the two so the key is never off while an
 * entry exists. Flipping a static key patches code on every CPU (IPIs,
 * breakpoints): the work waits a second, so a confined program run again
 * and again (a CGI, a cron job) does not flip it on each run.
 */
#define CHARTER_KEY_OFF_DELAY HZ

static DEFINE_MUTEX(charter_key_lock);

static void charter_key_off(struct work_struct *work)
{
	mutex_lock(&charter_key_lock);
	if (!atomic_read(&charter_cred_count))
		static_branch_disable(&charter_confining);
	mutex_unlock(&charter_key_lock);
}

static DECLARE_DELAYED_WORK(charter_key_off_work, charter_key_off);

static u32 charter_cred_slot(const struct cred *cred)
{
	return hash_ptr(cred, CHARTER_CRED_HASH_BITS);
}

/* Is @cred's chain empty? Then @cred has no entry (no read section). */
static bool charter_cred_chain_empty(const struct cred *cred)
{
	return is_a_nulls(READ_ONCE(charter_creds[charter_cred_slot(cred)].first));
}

/*
 * @cred's entry, or NULL; in an RCU read-side section or under the lock.
 * The entry of a cred the caller holds cannot go, and no other entry is
 * ever of that cred: a match is the entry, and no walk that saw every
 * node of the chain can miss it.
 */
static struct charter_cred_entry *charter_cred_lookup(const struct cred *cred)
{
	u32 slot = charter_cred_slot(cred);
	struct charter_cred_entry *e;
	struct hlist_nulls_node *n;

again:
	hlist_nulls_for_each_entry_rcu(e, n, &charter_creds[slot], node)
		if (READ_ONCE(e->cred) == cred)
			return e;
	/* The walk left through an entry freed and reused elsewhere. */
	if (get_nulls_value(n) != slot)
		goto again;
	return NULL;
}

/*
 * charter_cred_domain() once @cred's chain is known not to be empty. The
 * walk's read section is preemption off (rcu_read_lock_sched()), which an
 * RCU grace period, kfree_rcu()'s included, waits for as it waits for
 * rcu_read_lock() (one RCU since 4.20): an increment and a decrement of
 * the preemption count, where rcu_read_lock() and rcu_read_unlock() of a
 * preemptible kernel are two calls.
 */
static noinline struct charter_domain *
charter_cred_domain_walk(const struct cred *cred)
{
	struct charter_cred_entry *e;
	struct charter_domain *d;

	rcu_read_lock_sched();
	e = charter_cred_lookup(cred);
	d = e ? e->domain : NULL;
	rcu_read_unlock_sched();
	return d;
}

/*
 * The domain of @cred, or NULL. The entry of a live cred is only removed
 * when the cred is freed, so the result is valid while @cred is.
 *
 * Most creds have no entry, and most chains are empty while few tasks are
 * confined: an empty chain needs no read section (nor the registers the
 * walk saves). It is enough to look at the head: the entry of a cred in
 * use was made before the cred was (cred_prepare, charter_cred_set()),
 * and stays until the cred is freed.
 */
struct charter_domain *charter_cred_domain(const struct cred *cred)
{
	if (charter_cred_chain_empty(cred))
		return NULL;
	return charter_cred_domain_walk(cred);
}

/*
 * charter_cred_domain() for a caller in an RCU read-side section: a
 * packet's hook, which already holds one for the domain it looks up.
 */
struct charter_domain *charter_cred_domain_rcu(const struct cred *cred)
{
	struct charter_cred_entry *e = charter_cred_lookup(cred);

	return e ? e->domain : NULL;
}

static int charter_cred_insert(const struct cred *cred,
			       struct charter_domain *domain, gfp_t gfp)
{
	struct charter_cred_entry *e = kmem_cache_alloc(charter_cred_cache, gfp);
	unsigned long flags;

	if (!e)
		return -ENOMEM;
	e->cred = cred;
	e->domain = charter_domain_get(domain);
	atomic_inc(&charter_cred_count);
	spin_lock_irqsave(&charter_creds_lock, flags);
	hlist_nulls_add_head_rcu(&e->node,
				 &charter_creds[charter_cred_slot(cred)]);
	spin_unlock_irqrestore(&charter_creds_lock, flags);
	return 0;
}

/*
 * Let go of @e, already unlinked: its domain and its memory, at once (see
 * struct charter_cred_entry). Only a walk of its chain for another cred
 * may still reach @e, and that reads its cred and its link, never its
 * domain. Nobody can still be asking for @e's own cred: a lookup is of a
 * cred the caller holds a reference to (its own, a file's, an exec's
 * new one), or of a task's, read under rcu_read_lock(); and cred_free
 * runs once the last reference is gone, from put_cred_rcu() a grace
 * period after the cred left its task (a non_rcu cred, which only its
 * own task ever saw, at once).
 */
static void charter_cred_entry_release(struct charter_cred_entry *e)
{
	charter_domain_put(e->domain);
	kmem_cache_free(charter_cred_cache, e);
}

/*
 * Give @cred, a cred being prepared for exec and not yet in use by any
 * task, the domain @domain (which already contains the cred's old domain,
 * if any: see charter_domain_stack()).
 */
int charter_cred_set(const struct cred *cred, struct charter_domain *domain)
{
	struct charter_cred_entry *old;
	unsigned long flags;
	int err;

	spin_lock_irqsave(&charter_creds_lock, flags);
	old = charter_cred_lookup(cred);
	if (old)
		hlist_nulls_del_rcu(&old->node);
	spin_unlock_irqrestore(&charter_creds_lock, flags);
	if (old) {
		charter_cred_entry_release(old);
		atomic_dec(&charter_cred_count);
	}
	err = charter_cred_insert(cred, domain, GFP_KERNEL);
	if (err)
		return err;
	mutex_lock(&charter_key_lock);
	static_branch_enable(&charter_confining);
	mutex_unlock(&charter_key_lock);
	return 0;
}

static int charter_hook_cred_prepare(struct cred *new, const struct cred *old,
				     gfp_t gfp)
{
	struct charter_domain *d;

	charter_selftest_note();
	if (!static_branch_unlikely(&charter_confining))
		return 0;
	d = charter_cred_domain(old);
	/* Failing here fails prepare_creds(): never a silent unconfinement. */
	return d ? charter_cred_insert(new, d, gfp) : 0;
}

/*
 * keyctl(KEYCTL_SESSION_TO_PARENT) gives the parent a cred the child made
 * blank (cred_alloc_blank, no cred_prepare) and the parent's task work
 * fills from its own (cred_transfer): the domain goes with it, or the
 * parent would leave its domain. The hook cannot fail; it runs in process
 * context, where a small allocation may wait for memory.
 */
static void charter_hook_cred_transfer(struct cred *new,
				       const struct cred *old)
{
	struct charter_domain *d;

	if (!static_branch_unlikely(&charter_confining))
		return;
	d = charter_cred_domain(old);
	if (d)
		charter_cred_insert(new, d, GFP_KERNEL | __GFP_NOFAIL);
}

static void charter_hook_cred_free(struct cred *cred)
{
	struct charter_cred_entry *e;
	unsigned long flags;

	/*
	 * Most creds freed while some task is confined have no entry: say so
	 * without the lock. Only cred_prepare and cred_transfer insert one,
	 * before the cred is in use, and only this hook removes the entry of
	 * a cred in use: the one found stays until it is unlinked below. (The
	 * gate saw that some task is confined.)
	 */
	if (charter_cred_chain_empty(cred))
		return;
	rcu_read_lock_sched();
	e = charter_cred_lookup(cred);
	rcu_read_unlock_sched();
	if (!e)
		return;
	spin_lock_irqsave(&charter_creds_lock, flags);
	hlist_nulls_del_rcu(&e->node);
	spin_unlock_irqrestore(&charter_creds_lock, flags);
	charter_cred_entry_release(e);
	if (atomic_dec_and_test(&charter_cred_count))
		schedule_delayed_work(&charter_key_off_work,
				      CHARTER_KEY_OFF_DELAY);
}

/*
 * Nothing to do unless some task is confined, or for the attach
 * self-test: no SRCU section then. cred_free never sleeps (it may run in
 * an RCU callback).
 */
CHARTER_HOOK_INT_GATED(cred_prepare,
		       CHARTER_GATE_CONFINING || charter_selftest_running(),
		       (struct cred *new, const struct cred *old, gfp_t gfp),
		       (new, old, gfp))
CHARTER_HOOK_VOID(cred_transfer, (struct cred *new, const struct cred *old),
		  (new, old))
CHARTER_HOOK_VOID_GATED_NOSLEEP(cred_free, CHARTER_GATE_CONFINING,
				(struct cred *cred), (cred))

/*
 * cred_free first: hooks are detached in reverse order, so no entry is
 * made once nothing removes them any more.
 */
CHARTER_HOOK_TABLE(charter_cred_hooks,
	CHARTER_HOOK_CRED_BLOB_ONLY(cred_free),
	CHARTER_HOOK_ENTRY(cred_prepare, security_prepare_creds),
	CHARTER_HOOK_ENTRY(cred_transfer, security_transfer_creds),
);

/* How many credentials carry a domain (the size of the table). */
u32 charter_cred_count_now(void)
{
	return atomic_read(&charter_cred_count);
}

/* How many tasks are confined now (for status: walks every task). */
u32 charter_cred_confined_tasks(void)
{
	struct task_struct *g, *t;
	u32 n = 0;

	if (!static_branch_unlikely(&charter_confining))
		return 0;
	rcu_read_lock();
	for_each_process_thread(g, t)
		if (charter_cred_domain(__task_cred(t)))
			n++;
	rcu_read_unlock();
	return n;
}

/**
 * charter_cred_init() - make the table of confined credentials
 *
 * Each chain starts as the nulls value of its slot.
 *
 * Return: 0, or -ENOMEM.
 */
int charter_cred_init(void)
{
	u32 slot;

	for (slot = 0; slot < CHARTER_CRED_SLOTS; slot++)
		INIT_HLIST_NULLS_HEAD(&charter_creds[slot], slot);
	charter_cred_cache = kmem_cache_create("charter_cred",
					       sizeof(struct charter_cred_entry),
					       0, SLAB_TYPESAFE_BY_RCU, NULL);
	return charter_cred_cache ? 0 : -ENOMEM;
}

/* Module exit, hooks detached: forget every mapping. */
void charter_cred_exit(void)
{
	struct charter_cred_entry *e;
	struct hlist_nulls_node *n;
	u32 slot;

	cancel_delayed_work_sync(&charter_key_off_work);
	spin_lock_irq(&charter_creds_lock);
	for (slot = 0; slot < CHARTER_CRED_SLOTS; slot++) {
		while (!hlist_nulls_empty(&charter_creds[slot])) {
			n = charter_creds[slot].first;
			e = hlist_nulls_entry(n, struct charter_cred_entry, node);
			hlist_nulls_del_rcu(&e->node);
			charter_cred_entry_release(e);
		}
	}
	spin_unlock_irq(&charter_creds_lock);
	/* The lineages the domains held are freed by callbacks of ours. */
	rcu_barrier();
	atomic_set(&charter_cred_count, 0);
	/* Its pages go after a grace period (SLAB_TYPESAFE_BY_RCU). */
	kmem_cache_destroy(charter_cred_cache);
	charter_cred_cache = NULL;
}
