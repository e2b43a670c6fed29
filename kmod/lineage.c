// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: the version of a manifest a running program is held to.
 *
 * A lineage stands for one executable's manifest (its identity: SHA-256
 * and size) while some domain has it as a layer, and holds the newest
 * version of that manifest loaded since. A policy load moves every
 * lineage the new policy has a manifest for to that manifest, whatever
 * its name; when it has none, to its manifest of the same name for the
 * same run path (a new build the old manifest held by its path: exec.c);
 * a load without either, or an unload, leaves the last version in force.
 * So no policy change takes a running task back to an older version, or
 * frees it: a task is held to the newest version of its manifest ever
 * loaded while it ran (see Documentation/confinement.rst).
 *
 * Lineages are made at exec (charter_lineage_get()) and moved by a load
 * (charter_lineages_prepare(), _commit()), both under the policy lock,
 * so an exec racing a load never keeps a version the load replaced (a
 * new lineage takes the current policy's version; when the current
 * policy has none, the version the exec found). The
 * version in force is one RCU-protected pointer: a decision makes no
 * lookup. A lineage goes when its last layer does (charter_lineage_put(),
 * possibly from an RCU callback, so the table lock is taken irqsave).
 */

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "lineage.h"
#include "policy.h"

#define CHARTER_LINEAGE_HASH_BITS 8

static DEFINE_HASHTABLE(charter_lineages, CHARTER_LINEAGE_HASH_BITS);
static DEFINE_SPINLOCK(charter_lineage_lock);
static LIST_HEAD(charter_lineage_updates);	/* under the policy lock */

static u32 charter_lineage_key(const u8 digest[CHARTER_SHA256_LEN])
{
	u32 key;

	memcpy(&key, digest, sizeof(key));	/* already uniform */
	return key;
}

static struct charter_version *
charter_version_new(struct charter_policy *policy,
		    const struct charter_manifest *m)
{
	struct charter_version *v = kmalloc(sizeof(*v), GFP_KERNEL);

	if (v) {
		v->policy = charter_policy_get(policy);
		v->manifest = m;
	}
	return v;
}

static void charter_version_free(struct charter_version *v)
{
	charter_policy_put(v->policy);
	kfree(v);
}

static void charter_version_free_rcu(struct rcu_head *head)
{
	charter_version_free(container_of(head, struct charter_version, rcu));
}

/*
 * Under charter_lineage_lock: the live lineage of @digest/@size, with a
 * reference taken, or NULL. There is at most one per executable.
 */
static struct charter_lineage *
charter_lineage_find(const u8 digest[CHARTER_SHA256_LEN], u64 size)
{
	struct charter_lineage *l;

	hash_for_each_possible(charter_lineages, l, node,
			       charter_lineage_key(digest))
		if (l->exe_size == size &&
		    !memcmp(l->digest, digest, CHARTER_SHA256_LEN) &&
		    refcount_inc_not_zero(&l->usage))
			return l;
	return NULL;
}

static struct charter_lineage *
charter_lineage_lookup(const struct charter_manifest *m)
{
	struct charter_lineage *l;
	unsigned long flags;

	spin_lock_irqsave(&charter_lineage_lock, flags);
	l = charter_lineage_find(m->digest, m->exe_size);
	spin_unlock_irqrestore(&charter_lineage_lock, flags);
	return l;
}

/*
 * The manifest of @policy that a lineage at version @m (of its executable
 * @digest/@size) moves to: the one for its executable, else the one of
 * the same name for the file at @m's run path (the manifest of the new
 * build that replaced @m's there). A manifest of another name is another
 * program's, whatever path it claims now: a confined program that may
 * write where another manifest's run path lies must not be able to make a
 * routine reload move it there. A learning manifest (learn.c) lets its
 * programs do anything: programs held to a manifest that does not learn
 * never move to one (charter learn on a program that still runs confined,
 * under a dropped version or a changed build, must not free it). NULL:
 * none, the lineage stays.
 */
static const struct charter_manifest *
charter_lineage_successor(const struct charter_policy *policy,
			  const u8 digest[CHARTER_SHA256_LEN], u64 size,
			  const struct charter_manifest *m)
{
	const struct charter_manifest *next = charter_policy_find(policy, digest,
								   size);

	if (!next) {
		next = charter_run_find_same(policy, m);
		if (next && strcmp(next->name, m->name))
			next = NULL;
	}
	if (next && (next->flags & CHARTER_MANIFEST_LEARN) &&
	    !(m->flags & CHARTER_MANIFEST_LEARN))
		return NULL;
	return next;
}

/*
 * Under the policy lock: a new lineage for @m, found in @policy by an
 * exec, at the newest version loaded (the current policy's, if a load
 * came in between), unless one appeared meanwhile.
 */
static struct charter_lineage *
charter_lineage_insert(struct charter_lineage *fresh,
		       struct charter_policy *policy,
		       const struct charter_manifest *m)
{
	struct charter_policy *cur = charter_policy_current_locked();
	const struct charter_manifest *newest =
		cur ? charter_lineage_successor(cur, m->digest, m->exe_size, m)
		    : NULL;
	struct charter_version *v;
	struct charter_lineage *l;
	unsigned long flags;

	v = newest ? charter_version_new(cur, newest)
		   : charter_version_new(policy, m);
	if (!v)
		return ERR_PTR(-ENOMEM);
	spin_lock_irqsave(&charter_lineage_lock, flags);
	l = charter_lineage_find(m->digest, m->exe_size);
	if (!l) {
		RCU_INIT_POINTER(fresh->version, v);
		hash_add_rcu(charter_lineages, &fresh->node,
			     charter_lineage_key(m->digest));
		l = fresh;
		v = NULL;
	}
	spin_unlock_irqrestore(&charter_lineage_lock, flags);
	if (v)
		charter_version_free(v);
	return l;
}

/**
 * charter_lineage_get() - the lineage of manifest @m, found in @policy
 * @policy: the policy an exec found @m in (a reference is held by the caller)
 * @m: the manifest
 *
 * Return: a reference to the lineage of @m's executable (made if none is
 * live), or ERR_PTR(-ENOMEM). Sleeps.
 */
struct charter_lineage *charter_lineage_get(struct charter_policy *policy,
					    const struct charter_manifest *m)
{
	struct charter_lineage *l = charter_lineage_lookup(m), *fresh;

	if (l)
		return l;
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return ERR_PTR(-ENOMEM);
	refcount_set(&fresh->usage, 1);
	memcpy(fresh->digest, m->digest, CHARTER_SHA256_LEN);
	fresh->exe_size = m->exe_size;
	INIT_LIST_HEAD(&fresh->update);
	charter_policy_lock();
	l = charter_lineage_insert(fresh, policy, m);
	charter_policy_unlock();
	if (l != fresh)
		kfree(fresh);
	return l;
}

/* Another reference to @l, which the caller holds one of. */
struct charter_lineage *charter_lineage_dup(struct charter_lineage *l)
{
	refcount_inc(&l->usage);
	return l;
}

static void charter_lineage_free_rcu(struct rcu_head *head)
{
	struct charter_lineage *l = container_of(head, struct charter_lineage,
						 rcu);

	charter_version_free(rcu_dereference_protected(l->version, true));
	kfree(l);
}

/* Drop a reference; may run in atomic context. */
void charter_lineage_put(struct charter_lineage *l)
{
	unsigned long flags;

	if (!refcount_dec_and_lock_irqsave(&l->usage, &charter_lineage_lock,
					   &flags))
		return;
	hash_del_rcu(&l->node);
	spin_unlock_irqrestore(&charter_lineage_lock, flags);
	call_rcu(&l->rcu, charter_lineage_free_rcu);
}

/* Is @l the lineage of @m's executable? */
bool charter_lineage_is(const struct charter_lineage *l,
			const struct charter_manifest *m)
{
	return l->exe_size == m->exe_size &&
	       !memcmp(l->digest, m->digest, CHARTER_SHA256_LEN);
}

/*
 * The version of @l in force, for a load: versions change only under the
 * policy lock, which the caller holds.
 */
static const struct charter_manifest *
charter_lineage_version(const struct charter_lineage *l)
{
	return rcu_dereference_protected(l->version, true)->manifest;
}

/* Undo charter_lineages_prepare(). */
static void charter_lineages_abort(void)
{
	struct charter_lineage *l, *tmp;

	list_for_each_entry_safe(l, tmp, &charter_lineage_updates, update) {
		list_del_init(&l->update);
		if (l->next)
			charter_version_free(l->next);
		l->next = NULL;
		charter_lineage_put(l);
	}
}

/**
 * charter_lineages_prepare() - make the versions a load of @policy brings
 * @policy: the policy about to become current, or NULL (unload)
 *
 * Under the policy lock. Every live lineage @policy has a manifest for
 * gets its new version ready; nothing is visible until
 * charter_lineages_commit().
 *
 * Return: 0, or -ENOMEM (nothing changed).
 */
int charter_lineages_prepare(struct charter_policy *policy)
{
	struct charter_lineage *l;
	unsigned long flags;
	int bkt;

	if (!policy)
		return 0;
	spin_lock_irqsave(&charter_lineage_lock, flags);
	hash_for_each(charter_lineages, bkt, l, node) {
		if (charter_lineage_successor(policy, l->digest, l->exe_size,
					      charter_lineage_version(l)) &&
		    refcount_inc_not_zero(&l->usage))
			list_add_tail(&l->update, &charter_lineage_updates);
	}
	spin_unlock_irqrestore(&charter_lineage_lock, flags);
	list_for_each_entry(l, &charter_lineage_updates, update) {
		l->next = charter_version_new(policy,
			charter_lineage_successor(policy, l->digest, l->exe_size,
						  charter_lineage_version(l)));
		if (!l->next) {
			charter_lineages_abort();
			return -ENOMEM;
		}
	}
	return 0;
}

/* Under the policy lock: publish what charter_lineages_prepare() made. */
void charter_lineages_commit(void)
{
	struct charter_lineage *l, *tmp;
	struct charter_version *old;

	list_for_each_entry_safe(l, tmp, &charter_lineage_updates, update) {
		old = rcu_replace_pointer(l->version, l->next, true);
		call_rcu(&old->rcu, charter_version_free_rcu);
		l->next = NULL;
		list_del_init(&l->update);
		charter_lineage_put(l);
	}
}

/*
 * Module exit, once every cred entry is gone (charter_cred_exit()): wait
 * for the lineages' RCU frees, which queue their policies' own.
 */
void charter_lineage_exit(void)
{
	rcu_barrier();
	WARN_ON(!hash_empty(charter_lineages));
}
