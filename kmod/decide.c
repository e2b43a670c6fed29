// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: decisions.
 *
 * A hook asks "does every layer of the domain grant what is requested?"
 * (domain.c); a layer that does not is refused through
 * charter_decide_refusal(), which applies its manifest's mode, counts and
 * reports. So is every operation a domain may not do at all (a mount, a
 * ptrace of a task outside it, a raw socket...: charter_refuse()), and
 * the few refusals made outside any domain (mapping a manifested program
 * without exec: the mode of that program's manifest). No other path
 * returns a refusal.
 *
 * Complain mode lets everything through, reported, as AppArmor's does,
 * except what it cannot apply to (CHARTER_A_EVENT_ALWAYS, obj->always):
 *  - a 17th layer: there is no domain that could hold the program;
 *  - changing Charter's own policy or modes from inside a domain: the
 *    mode is the administrator's waiver; a program it waives must not
 *    be able to grant itself, or anyone, a waiver (or withdraw one).
 * Those are denied, counted as denied and reported "always", in every
 * mode. The mode of a manifest is its override when it has one, else the
 * global mode. Overrides are kept by manifest name and executable, so
 * they survive policy loads that keep both and never pass to another
 * program; the table is small, read under RCU and only on a would-be
 * denial, replaced whole on change.
 */

#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "decide.h"
#include "domain.h"
#include "events.h"
#include "learn.h"
#include "policy.h"
#include "uapi/charter.h"

#define CHARTER_MAX_OVERRIDES 1024

/*
 * A manifest's own mode, for the manifest an administrator aimed it at:
 * its name and its executable's identity. A later policy that gives the
 * name to another executable (another program, or a new build of this
 * one) does not give it the mode.
 */
struct charter_override {
	u8 mode;
	u8 digest[CHARTER_SHA256_LEN];
	u64 exe_size;
	char name[CHARTER_NAME_MAX + 1];
};

struct charter_override_table {
	struct rcu_head rcu;
	u32 count;
	struct charter_override entries[];
};

static u8 charter_global_mode = CHARTER_MODE_ENFORCE;
static struct charter_override_table __rcu *charter_overrides;
static DEFINE_MUTEX(charter_mode_lock);
DEFINE_PER_CPU(struct charter_counters, charter_counters);

u8 charter_mode_global(void)
{
	return READ_ONCE(charter_global_mode);
}

static bool charter_override_is_for(const struct charter_override *o,
				    const struct charter_manifest *m)
{
	return o->exe_size == m->exe_size &&
	       !memcmp(o->digest, m->digest, CHARTER_SHA256_LEN) &&
	       !strcmp(o->name, m->name);
}

/* The override set for @m (its name and executable), or INHERIT. */
u8 charter_mode_override(const struct charter_manifest *m)
{
	struct charter_override_table *t;
	u8 mode = CHARTER_MODE_INHERIT;
	u32 i;

	rcu_read_lock();
	t = rcu_dereference(charter_overrides);
	for (i = 0; t && i < t->count; i++) {
		if (charter_override_is_for(&t->entries[i], m)) {
			mode = t->entries[i].mode;
			break;
		}
	}
	rcu_read_unlock();
	return mode;
}

/*
 * The mode of @m: its override, else the global mode. An override is
 * aimed, by name, at a manifest of the current policy; a version that is
 * no longer in it (dropped, kept for the programs it still holds) may
 * share the name with another executable's manifest, so an override
 * only makes it stricter than the global mode, never freer. The modes
 * count up from ENFORCE, the strictest.
 */
static u8 charter_mode_of(const struct charter_manifest *m)
{
	u8 mode, global = charter_mode_global();

	if (!m)
		return global;
	mode = charter_mode_override(m);

	if (mode == CHARTER_MODE_INHERIT)
		return global;
	if (!charter_policy_current_holds(m))
		return min(mode, global);
	return mode;
}

/**
 * charter_note_changed_binary() - count and report a changed binary
 * @m: the manifest whose run path the executed file lies at, though it is
 *     not @m's executable (an upgrade replaced it)
 *
 * Not a refusal: the file runs, confined by @m (exec.c), whatever the
 * mode; the administrator learns that the manifest names a stale hash.
 */
void charter_note_changed_binary(const struct charter_manifest *m)
{
	struct charter_object obj = {
		.operation = "exec of a changed binary at a manifested path",
		.path = m->run,
	};

	this_cpu_inc(charter_counters.changed_binaries);
	charter_event(m, &obj, CHARTER_DECISION_CHANGED_BINARY);
}

/**
 * charter_decide_refusal() - the one place a refusal is decided
 * @m: the manifest that refuses (NULL: none is known; the global mode)
 * @obj: what it refuses; obj->err the errno (0: -EACCES), obj->always
 *	 when no mode may waive it (see the top of this file)
 *
 * The mode of @m says what happens: enforce refuses, counts a denial and
 * reports it; complain allows, counts a would-deny and reports it;
 * disabled allows silently. A learning manifest records it (learn.c) and
 * allows it, whatever the mode, unless no mode may waive it. May run in
 * atomic context.
 *
 * Return: 0 or the negative errno to refuse with.
 */
int charter_decide_refusal(const struct charter_manifest *m,
			   const struct charter_object *obj)
{
	u8 mode;

	if (m && m->learning) {
		charter_learn_record(m->learning, obj);
		if (!obj->always)
			return 0;
	}
	mode = obj->always ? CHARTER_MODE_ENFORCE : charter_mode_of(m);

	switch (mode) {
	case CHARTER_MODE_COMPLAIN:
		this_cpu_inc(charter_counters.would_deny);
		charter_event(m, obj, CHARTER_DECISION_WOULD_DENY);
		return 0;
	case CHARTER_MODE_DISABLED:
		return 0;
	default:
		this_cpu_inc(charter_counters.denied);
		charter_event(m, obj, CHARTER_DECISION_DENIED);
		return obj->err ?: -EACCES;
	}
}

/**
 * charter_refuse() - refuse an operation no manifest can grant
 * @d: the domain of the task (not NULL)
 * @err: the errno to refuse with (-EPERM, -EACCES)
 * @fmt: printf format of the operation's name, for the event and the log
 *
 * Every layer refuses it, each through its own mode
 * (charter_decide_refusal()). May run in atomic context.
 *
 * Return: 0 (waived by the mode) or @err.
 */
int charter_refuse(const struct charter_domain *d, int err, const char *fmt, ...)
{
	char what[CHARTER_OPERATION_MAX];
	struct charter_object obj = { .operation = what, .err = err };
	va_list args;

	va_start(args, fmt);
	vsnprintf(what, sizeof(what), fmt, args);
	va_end(args);
	return charter_domain_refuse(d, &obj);
}

/**
 * charter_refuse_task() - refuse an operation on another process
 * @d: the domain of the task acting (not NULL)
 * @err: the errno to refuse with
 * @what: the operation ("ptrace", "signal 9"...)
 * @task: the process acted on, named in the report
 *
 * As charter_refuse(). Under rcu_read_lock() or with @task pinned.
 *
 * Return: 0 (waived by the mode) or @err.
 */
int charter_refuse_task(const struct charter_domain *d, int err,
			const char *what, struct task_struct *task)
{
	struct charter_object obj = { .operation = what, .err = err,
				      .target_pid = task_tgid_nr(task) };

	/* Unlocked, as /proc reads it: always NUL-terminated, maybe torn. */
	strscpy(obj.target_comm, task->comm, sizeof(obj.target_comm));
	return charter_domain_refuse(d, &obj);
}

void charter_counters_read(struct charter_counters *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct charter_counters *c = per_cpu_ptr(&charter_counters, cpu);

		sum->allowed += READ_ONCE(c->allowed);
		sum->denied += READ_ONCE(c->denied);
		sum->would_deny += READ_ONCE(c->would_deny);
		sum->changed_binaries += READ_ONCE(c->changed_binaries);
	}
}

/*
 * A copy of @old without any override of @name, plus one for @m (when
 * not NULL) with @mode.
 */
static struct charter_override_table *
charter_overrides_with(const struct charter_override_table *old,
		       const char *name, const struct charter_manifest *m,
		       u8 mode, struct netlink_ext_ack *extack)
{
	u32 n = old ? old->count : 0, i, j = 0;
	struct charter_override_table *t;

	t = kzalloc(struct_size(t, entries, n + 1), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < n; i++)
		if (strcmp(old->entries[i].name, name))
			t->entries[j++] = old->entries[i];
	if (m) {
		if (j >= CHARTER_MAX_OVERRIDES) {
			kfree(t);
			NL_SET_ERR_MSG(extack, "too many per-manifest modes");
			return ERR_PTR(-ENOSPC);
		}
		t->entries[j].mode = mode;
		memcpy(t->entries[j].digest, m->digest, CHARTER_SHA256_LEN);
		t->entries[j].exe_size = m->exe_size;
		strscpy(t->entries[j++].name, m->name, sizeof(t->entries[0].name));
	}
	t->count = j;
	return t;
}

/* The manifest of the current policy named @name (bytes), or NULL. */
static const struct charter_manifest *charter_policy_named(const char *name)
{
	const struct charter_policy *p = charter_policy_current_locked();
	u32 i;

	for (i = 0; p && i < p->manifest_count; i++)
		if (!strcmp(p->manifests[i].name, name))
			return &p->manifests[i];
	return NULL;
}

/**
 * charter_mode_set() - set the global mode or one manifest's own
 * @name: a manifest's name, or NULL for the global mode
 * @mode: CHARTER_MODE_*; INHERIT drops @name's own mode
 * @extack: where the reason of a refusal goes
 *
 * A mode aimed at a name no loaded manifest has would be a typo taking
 * effect silently (``webserver`` for ``webServer``), or lie in wait for
 * whatever manifest takes the name later: refused. A mode is set for the
 * manifest that has the name now, by its executable as well: a later
 * policy giving the name to another executable does not give it the
 * mode (the lookup and the change are made under the policy lock, so no
 * load comes between them). Dropping one (INHERIT) is always allowed, so
 * an override left by a manifest that has since gone can be cleared.
 *
 * Return: 0; -EINVAL (global INHERIT), -ENOENT (no such manifest),
 * -ENOSPC (too many overrides), -ENOMEM.
 */
int charter_mode_set(const char *name, u8 mode, struct netlink_ext_ack *extack)
{
	const struct charter_manifest *m = NULL;
	struct charter_override_table *old, *t;

	if (!name) {
		if (mode == CHARTER_MODE_INHERIT) {
			NL_SET_ERR_MSG(extack, "the global mode cannot inherit");
			return -EINVAL;
		}
		WRITE_ONCE(charter_global_mode, mode);
		return 0;
	}
	charter_policy_lock();
	if (mode != CHARTER_MODE_INHERIT) {
		m = charter_policy_named(name);
		if (!m) {
			charter_policy_unlock();
			NL_SET_ERR_MSG(extack,
				       "no loaded manifest has this name (names are case-sensitive: see charter list)");
			return -ENOENT;
		}
	}
	mutex_lock(&charter_mode_lock);
	old = rcu_dereference_protected(charter_overrides,
					lockdep_is_held(&charter_mode_lock));
	t = charter_overrides_with(old, name, m, mode, extack);
	if (!IS_ERR(t)) {
		rcu_assign_pointer(charter_overrides, t);
		kfree_rcu(old, rcu);
	}
	mutex_unlock(&charter_mode_lock);
	charter_policy_unlock();
	return PTR_ERR_OR_ZERO(t);
}

void charter_decide_exit(void)
{
	kfree(rcu_dereference_protected(charter_overrides, true));
	RCU_INIT_POINTER(charter_overrides, NULL);
}
