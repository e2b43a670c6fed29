// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: learning (charter learn).
 *
 * A learning manifest (CHARTER_MANIFEST_LEARN) grants what it says and
 * records everything else its programs do instead of refusing it, each
 * distinct access once: a file by path, with every right used on it
 * OR'd; a device node by path and classes; a network endpoint by
 * direction, protocol, address and port; a local port bound; an operation
 * no manifest grants, by name. The record is a hash table, not a stream
 * of events: nothing passes through the events' rate limit or a socket
 * buffer that could overflow, and the tool reads the whole of it when the
 * program is done (CHARTER_CMD_LEARN_DUMP). A program that opens 100,000
 * files leaves 100,000 entries. What cannot be recorded (past the limits
 * below, with no name, or with no memory in atomic context) is counted as
 * lost; the dump reports the count and the tool fails on it.
 *
 * Recording may happen in atomic context (a unix socket hook holds a
 * spinlock; a peer's packet is judged in softirq): one spinlock, taken
 * with interrupts off, and GFP_ATOMIC allocations.
 *
 * A record belongs to a manifest identity (name and executable): a load
 * that keeps the learning manifest keeps its record (charter_learn_prepare()),
 * and the record lives as long as a policy holding it, so programs left
 * on a dropped version record on, up to the limits, with nobody reading.
 */

#include <linux/jhash.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "compat.h"
#include "dev.h"
#include "events.h"
#include "learn.h"
#include "match.h"
#include "netlink.h"
#include "policy.h"
#include "uapi/charter.h"

#define CHARTER_LEARN_HASH_BITS 16
/*
 * Memory, as the allocator hands it out (kmalloc_size_roundup()): at most
 * 128 MiB of entries for one learning manifest, 256 MiB for all of them,
 * whatever learn_max_entries says.
 */
#define CHARTER_LEARN_MAX_BYTES (128ul << 20)
#define CHARTER_LEARN_MAX_BYTES_ALL (256ul << 20)
static atomic_long_t charter_learn_bytes_all = ATOMIC_LONG_INIT(0);

/* 1 Mi entries: ten times the 100,000-file program (lower: tests). */
static uint learn_max_entries = 1u << 20;
module_param(learn_max_entries, uint, 0444);
MODULE_PARM_DESC(learn_max_entries,
		 "distinct accesses one learning manifest records at most (default 1048576)");

/* The fields that tell one access from another, zeroed whole (hashed). */
struct charter_learn_key {
	u8 kind;		/* CHARTER_LEARN_* */
	u8 direction;		/* network: CHARTER_NET_* */
	u16 len;		/* strlen(text) */
	u32 classes;		/* devices: CHARTER_DEV_BIT() mask */
	struct charter_endpoint ep;	/* network */
};

struct charter_learned {
	struct hlist_node node;		/* in charter_learning.buckets */
	struct list_head order;		/* in charter_learning.order */
	u32 access;			/* rights used, OR'd; under the lock */
	struct charter_learn_key key;
	char text[];			/* path or operation, NUL-terminated */
};

struct charter_learning {
	struct kref ref;
	struct llist_node free_node;	/* on charter_learn_free_list */
	struct pid *owner;		/* the process that loaded it (charter learn) */
	u32 seed;			/* of its hash: the program chooses the names */
	spinlock_t lock;
	u32 entries;
	size_t bytes;
	atomic64_t lost;
	struct list_head order;		/* every entry, oldest first */
	struct hlist_head buckets[];	/* 1 << CHARTER_LEARN_HASH_BITS */
};

/* A new record, owned by the loading process (current). */
static struct charter_learning *charter_learning_new(void)
{
	struct charter_learning *l;

	l = kvzalloc(struct_size(l, buckets, 1u << CHARTER_LEARN_HASH_BITS),
		     GFP_KERNEL);
	if (!l)
		return NULL;
	kref_init(&l->ref);
	l->owner = get_pid(task_tgid(current));
	l->seed = get_random_u32();
	spin_lock_init(&l->lock);
	INIT_LIST_HEAD(&l->order);
	return l;
}

/*
 * Records are freed by a work item: the last reference may go in an RCU
 * callback (a policy's release), and a million entries are too many to
 * free in softirq.
 */
static LLIST_HEAD(charter_learn_free_list);

static void charter_learn_free_work_fn(struct work_struct *work)
{
	struct llist_node *all = llist_del_all(&charter_learn_free_list);
	struct charter_learning *l, *next_l;
	struct charter_learned *e, *next;

	llist_for_each_entry_safe(l, next_l, all, free_node) {
		list_for_each_entry_safe(e, next, &l->order, order) {
			kfree(e);
			cond_resched();
		}
		atomic_long_sub(l->bytes, &charter_learn_bytes_all);
		put_pid(l->owner);
		kvfree(l);
	}
}

static DECLARE_WORK(charter_learn_free_work, charter_learn_free_work_fn);

static void charter_learning_free(struct kref *ref)
{
	struct charter_learning *l = container_of(ref, struct charter_learning,
						  ref);

	llist_add(&l->free_node, &charter_learn_free_list);
	schedule_work(&charter_learn_free_work);
}

/* Module exit, after the last policy is gone: wait for the frees. */
void charter_learn_exit(void)
{
	flush_work(&charter_learn_free_work);
}

static void charter_learning_put(struct charter_learning *l)
{
	if (l)
		kref_put(&l->ref, charter_learning_free);
}

/* What @obj is, as a record's key; its text in *@text. false: unnamed. */
static bool charter_learn_key_of(const struct charter_object *obj,
				 struct charter_learn_key *key,
				 const char **text)
{
	*text = obj->operation ?: obj->path ?: "";
	if (obj->operation) {
		key->kind = CHARTER_LEARN_OPERATION;
	} else if (obj->ep) {
		*text = "";
		key->kind = obj->service ? CHARTER_LEARN_SERVICE
					 : CHARTER_LEARN_NET;
		key->direction = obj->direction;
		key->ep = *obj->ep;
	} else if (obj->is_device) {
		key->kind = CHARTER_LEARN_DEVICE;
		key->classes = obj->dev_classes & CHARTER_DEV_ALL;
		/*
		 * Any one of the classes grants it (an ALSA control node, a
		 * sound server's socket): the draft needs only the first
		 * (audioOut, not the microphone's audioIn).
		 */
		if (obj->dev_classes & CHARTER_DEV_MATCH_ANY)
			key->classes &= -key->classes;
	} else {
		key->kind = CHARTER_LEARN_FILE;
	}
	if ((key->kind == CHARTER_LEARN_FILE ||
	     key->kind == CHARTER_LEARN_DEVICE) && !obj->path)
		return false;
	key->len = strnlen(*text, CHARTER_PATTERN_MAX + 1);
	return key->len <= CHARTER_PATTERN_MAX;
}

static struct charter_learned *
charter_learn_find(struct charter_learning *l, const struct hlist_head *head,
		   const struct charter_learn_key *key, const char *text)
{
	struct charter_learned *e;

	hlist_for_each_entry(e, head, node)
		if (!memcmp(&e->key, key, sizeof(*key)) &&
		    !memcmp(e->text, text, key->len))
			return e;
	return NULL;
}

/* The bucket of @key and @text. */
static struct hlist_head *charter_learn_bucket(struct charter_learning *l,
					       const struct charter_learn_key *key,
					       const char *text)
{
	u32 hash = jhash(text, key->len, jhash(key, sizeof(*key), l->seed));

	return &l->buckets[hash >> (32 - CHARTER_LEARN_HASH_BITS)];
}

/*
 * A new entry in @head, if the limits allow; under l->lock. GFP_NOWAIT:
 * a learning program must not draw on the atomic reserves.
 */
static bool charter_learn_add(struct charter_learning *l,
			      struct hlist_head *head,
			      const struct charter_learn_key *key,
			      const char *text, u32 access)
{
	size_t size = offsetof(struct charter_learned, text) + key->len + 1;
	size_t used = kmalloc_size_roundup(size);
	struct charter_learned *e;

	if (l->entries >= READ_ONCE(learn_max_entries) ||
	    l->bytes + used > CHARTER_LEARN_MAX_BYTES)
		return false;
	if (atomic_long_add_return(used, &charter_learn_bytes_all) >
	    CHARTER_LEARN_MAX_BYTES_ALL) {
		atomic_long_sub(used, &charter_learn_bytes_all);
		return false;
	}
	e = kmalloc(size, GFP_NOWAIT | __GFP_NOWARN);
	if (!e) {
		atomic_long_sub(used, &charter_learn_bytes_all);
		return false;
	}
	e->key = *key;
	e->access = access;
	memcpy(e->text, text, key->len);
	e->text[key->len] = '\0';
	hlist_add_head(&e->node, head);
	list_add_tail(&e->order, &l->order);
	l->entries++;
	l->bytes += used;
	return true;
}

/**
 * charter_learn_record() - record what a learning manifest did not grant
 * @l: the manifest's record
 * @obj: the access, as a refusal would report it
 *
 * Each distinct access is kept once; a file or device used again with
 * other rights gains them. May run in atomic context.
 */
void charter_learn_record(struct charter_learning *l,
			  const struct charter_object *obj)
{
	struct charter_learn_key key;
	struct charter_learned *e;
	struct hlist_head *head;
	unsigned long flags;
	const char *text;
	bool kept = true;

	memset(&key, 0, sizeof(key));	/* the padding is hashed too */
	if (!charter_learn_key_of(obj, &key, &text)) {
		atomic64_inc(&l->lost);
		return;
	}
	head = charter_learn_bucket(l, &key, text);

	spin_lock_irqsave(&l->lock, flags);
	e = charter_learn_find(l, head, &key, text);
	if (e)
		e->access |= obj->access;
	else
		kept = charter_learn_add(l, head, &key, text, obj->access);
	spin_unlock_irqrestore(&l->lock, flags);
	if (!kept)
		atomic64_inc(&l->lost);
}

#ifdef CONFIG_CHARTER_KUNIT_TEST
/*
 * For kmod/tests/learn_test.c only (not in the module): what a record
 * holds, without a netlink dump.
 */

/**
 * charter_learn_counts() - the entries @l holds and the accesses it lost
 * @l: a record
 * @entries: set to its number of entries
 * @lost: set to the accesses it could not record
 */
void charter_learn_counts(struct charter_learning *l, u32 *entries, u64 *lost)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	*entries = l->entries;
	spin_unlock_irqrestore(&l->lock, flags);
	*lost = atomic64_read(&l->lost);
}

/**
 * charter_learn_access() - the rights @l recorded for the access @obj
 * @l: a record
 * @obj: an access, as for charter_learn_record()
 *
 * Return: its rights (0 for a network endpoint or an operation), or
 * -ENOENT when @l holds no entry for it.
 */
long charter_learn_access(struct charter_learning *l,
			  const struct charter_object *obj)
{
	struct charter_learn_key key;
	struct charter_learned *e;
	unsigned long flags;
	const char *text;
	long access = -ENOENT;

	memset(&key, 0, sizeof(key));
	if (!charter_learn_key_of(obj, &key, &text))
		return -ENOENT;
	spin_lock_irqsave(&l->lock, flags);
	e = charter_learn_find(l, charter_learn_bucket(l, &key, text), &key,
			       text);
	if (e)
		access = e->access;
	spin_unlock_irqrestore(&l->lock, flags);
	return access;
}

/**
 * charter_learn_set_max_entries() - set learn_max_entries
 * @max: the new limit
 *
 * Return: the limit it replaces, for the test to put back.
 */
u32 charter_learn_set_max_entries(u32 max)
{
	u32 was = READ_ONCE(learn_max_entries);

	WRITE_ONCE(learn_max_entries, max);
	return was;
}
#endif

/**
 * charter_learn_may_enter() - may current's exec enter a learning domain?
 * @l: the learning manifest's record
 *
 * A learning manifest lets its program do anything and writes what it
 * does into an administrator's draft: it is for the command charter learn
 * runs, not for anyone who runs the same executable meanwhile (they would
 * run free, and put what they like in the draft). Only the process that
 * loaded it and its descendants enter it; for the others the program has
 * no manifest, as before learning. Under RCU: the parent chain.
 *
 * Return: true if current is the loading process or descends from it.
 */
bool charter_learn_may_enter(const struct charter_learning *l)
{
	struct task_struct *t;
	bool found = false;

	rcu_read_lock();
	for (t = current; t != &init_task && !found;
	     t = rcu_dereference(t->real_parent))
		found = task_tgid(t) == l->owner;
	rcu_read_unlock();
	return found;
}

/**
 * charter_learn_prepare() - give @policy's learning manifests their records
 * @policy: a policy about to become the current one
 * @old: the current policy, or NULL
 *
 * A learning manifest that @old has too (same name and executable, still
 * learning) keeps its record (and its owner); the others get new ones,
 * owned by the loading process (current). Under the policy lock, before
 * the swap.
 *
 * Return: 0, or -ENOMEM (charter_learn_release() undoes the rest).
 */
int charter_learn_prepare(struct charter_policy *policy,
			  const struct charter_policy *old)
{
	u32 i;

	for (i = 0; policy && i < policy->manifest_count; i++) {
		struct charter_manifest *m = &policy->manifests[i];
		const struct charter_manifest *was;

		if (!(m->flags & CHARTER_MANIFEST_LEARN) || m->learning)
			continue;
		was = old ? charter_policy_find(old, m->digest, m->exe_size)
			  : NULL;
		if (was && was->learning && !strcmp(was->name, m->name)) {
			kref_get(&was->learning->ref);
			m->learning = was->learning;
			continue;
		}
		m->learning = charter_learning_new();
		if (!m->learning)
			return -ENOMEM;
	}
	return 0;
}

/* Drop @policy's references to records (its release). */
void charter_learn_release(struct charter_policy *policy)
{
	u32 i;

	for (i = 0; policy->manifests && i < policy->manifest_count; i++) {
		charter_learning_put(policy->manifests[i].learning);
		policy->manifests[i].learning = NULL;
	}
}

/* The record of the current policy's learning manifest @name, held. */
static struct charter_learning *charter_learn_find_current(const char *name)
{
	struct charter_policy *p = charter_policy_get_current();
	struct charter_learning *l = NULL;
	u32 i;

	for (i = 0; p && i < p->manifest_count; i++) {
		const struct charter_manifest *m = &p->manifests[i];

		if (m->learning && !strcmp(m->name, name)) {
			l = m->learning;
			kref_get(&l->ref);
			break;
		}
	}
	charter_policy_put(p);
	return l;
}

/* cb->args: [0] the record, [1] the last entry sent, [2] 1: all sent. */
int charter_learn_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = charter_dump_attrs(cb);

	cb->args[0] = 0;
	if (attrs && attrs[CHARTER_A_MANIFEST_NAME])
		cb->args[0] = (long)charter_learn_find_current(
			nla_data(attrs[CHARTER_A_MANIFEST_NAME]));
	cb->args[1] = 0;
	cb->args[2] = 0;
	return 0;
}

int charter_learn_dump_done(struct netlink_callback *cb)
{
	charter_learning_put((struct charter_learning *)cb->args[0]);
	return 0;
}

static int charter_learn_put(struct sk_buff *skb,
			     const struct charter_learned *e, u32 access)
{
	const struct charter_learn_key *key = &e->key;

	if (nla_put_u8(skb, CHARTER_A_LEARN_KIND, key->kind))
		return -EMSGSIZE;
	switch (key->kind) {
	case CHARTER_LEARN_NET:
	case CHARTER_LEARN_SERVICE:
		return charter_event_put_endpoint(skb, key->direction, &key->ep);
	case CHARTER_LEARN_OPERATION:
		return nla_put_string(skb, CHARTER_A_EVENT_OPERATION, e->text);
	case CHARTER_LEARN_DEVICE:
		if (nla_put_u32(skb, CHARTER_A_EVENT_DEVICE, key->classes))
			return -EMSGSIZE;
		fallthrough;
	default:
		return nla_put_string(skb, CHARTER_A_EVENT_PATH, e->text) ||
		       nla_put_u32(skb, CHARTER_A_EVENT_ACCESS, access) ?
		       -EMSGSIZE : 0;
	}
}

/* The entry after @last (NULL: the first), or NULL when none is left. */
static struct charter_learned *charter_learn_next(struct charter_learning *l,
						  struct charter_learned *last,
						  u32 *access)
{
	struct list_head *pos = last ? &last->order : &l->order;
	struct charter_learned *e = NULL;
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	if (!list_is_last(pos, &l->order)) {
		e = list_entry(pos->next, struct charter_learned, order);
		*access = e->access;
	}
	spin_unlock_irqrestore(&l->lock, flags);
	return e;
}

static int charter_learn_put_summary(struct sk_buff *skb,
				     struct netlink_callback *cb,
				     struct charter_learning *l)
{
	unsigned long flags;
	void *hdr;
	u32 entries;

	hdr = charter_dump_put(skb, cb, CHARTER_CMD_LEARN_DUMP);
	if (!hdr)
		return -EMSGSIZE;
	spin_lock_irqsave(&l->lock, flags);
	entries = l->entries;
	spin_unlock_irqrestore(&l->lock, flags);
	if (nla_put_u64_64bit(skb, CHARTER_A_LEARN_ENTRIES, entries,
			      CHARTER_A_PAD) ||
	    nla_put_u64_64bit(skb, CHARTER_A_LEARN_LOST,
			      atomic64_read(&l->lost), CHARTER_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * charter_learn_dump() - CHARTER_CMD_LEARN_DUMP, one entry per message
 * @skb: the message buffer to fill
 * @cb: the dump; see charter_learn_dump_start()
 *
 * Entries are never removed while the dump holds the record, and new ones
 * go to the end of its list: a dump resumes after the last entry it sent,
 * and sends each once. The summary comes last, so its counts cover every
 * entry sent.
 *
 * Return: the bytes put in @skb (0: done), or -errno.
 */
int charter_learn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct charter_learning *l = (void *)cb->args[0];
	struct charter_learned *e, *last = (void *)cb->args[1];
	int err = charter_may_read(cb);
	u32 access;
	void *hdr;

	if (err)
		return err;
	if (!l) {
		NL_SET_ERR_MSG(cb->extack,
			       "no learning manifest of that name is loaded");
		return -ENOENT;
	}
	if (cb->args[2])
		return 0;
	while ((e = charter_learn_next(l, last, &access))) {
		hdr = charter_dump_put(skb, cb, CHARTER_CMD_LEARN_DUMP);
		if (!hdr)
			break;
		if (charter_learn_put(skb, e, access)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		last = e;
	}
	cb->args[1] = (long)last;
	if (!e && !charter_learn_put_summary(skb, cb, l))
		cb->args[2] = 1;
	return skb->len;
}
