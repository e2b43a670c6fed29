// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: decisions.
 *
 * A hook asks "does every layer of the domain grant what is requested?"
 * (domain.c); a layer that does not is refused through
 * charter_decide_refusal(), which applies its manifest's mode and counts. Only
 * confined tasks ever get here. The mode of a manifest is its override
 * when it has one, else the global mode. Overrides are kept by manifest
 * name, so they survive policy loads; the table is small, read under RCU
 * and only on a would-be denial, replaced whole on change.
 */

#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "decide.h"
#include "domain.h"
#include "events.h"
#include "policy.h"
#include "uapi/charter.h"

#define CHARTER_MAX_OVERRIDES 1024

struct charter_override {
	u8 mode;
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
static DEFINE_PER_CPU(struct charter_counters, charter_counters);

u8 charter_mode_global(void)
{
	return READ_ONCE(charter_global_mode);
}

/* The override of @name, or CHARTER_MODE_INHERIT. */
u8 charter_mode_override(const char *name)
{
	struct charter_override_table *t;
	u8 mode = CHARTER_MODE_INHERIT;
	u32 i;

	rcu_read_lock();
	t = rcu_dereference(charter_overrides);
	for (i = 0; t && i < t->count; i++) {
		if (!strcmp(t->entries[i].name, name)) {
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
	u8 mode = charter_mode_override(m->name), global = charter_mode_global();

	if (mode == CHARTER_MODE_INHERIT)
		return global;
	if (!charter_policy_current_holds(m))
		return min(mode, global);
	return mode;
}

void charter_count_allowed(void)
{
	this_cpu_inc(charter_counters.allowed);
}

/* Manifest @m does not grant @obj: its mode says what happens. */
int charter_decide_refusal(const struct charter_manifest *m,
			   const struct charter_object *obj)
{
	switch (charter_mode_of(m)) {
	case CHARTER_MODE_COMPLAIN:
		this_cpu_inc(charter_counters.would_deny);
		charter_event(m, obj, CHARTER_DECISION_WOULD_DENY);
		return 0;
	case CHARTER_MODE_DISABLED:
		return 0;
	default:
		this_cpu_inc(charter_counters.denied);
		charter_event(m, obj, CHARTER_DECISION_DENIED);
		return -EACCES;
	}
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
	}
}

/* A copy of @old with @name set to @mode (removed for INHERIT). */
static struct charter_override_table *
charter_overrides_with(const struct charter_override_table *old,
		       const char *name, u8 mode, struct netlink_ext_ack *extack)
{
	u32 n = old ? old->count : 0, i, j = 0;
	struct charter_override_table *t;

	t = kzalloc(struct_size(t, entries, n + 1), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < n; i++)
		if (strcmp(old->entries[i].name, name))
			t->entries[j++] = old->entries[i];
	if (mode != CHARTER_MODE_INHERIT) {
		if (j >= CHARTER_MAX_OVERRIDES) {
			kfree(t);
			NL_SET_ERR_MSG(extack, "too many per-manifest modes");
			return ERR_PTR(-ENOSPC);
		}
		t->entries[j].mode = mode;
		strscpy(t->entries[j++].name, name, sizeof(t->entries[0].name));
	}
	t->count = j;
	return t;
}

/* Is a manifest named @name (bytes, case-sensitive) in the current policy? */
static bool charter_policy_names(const char *name)
{
	const struct charter_policy *p;
	bool found = false;
	u32 i;

	rcu_read_lock();
	p = charter_policy_current_rcu();
	for (i = 0; p && i < p->manifest_count && !found; i++)
		found = !strcmp(p->manifests[i].name, name);
	rcu_read_unlock();
	return found;
}

/**
 * charter_mode_set() - set the global mode or one manifest's own
 * @name: a manifest's name, or NULL for the global mode
 * @mode: CHARTER_MODE_*; INHERIT drops @name's own mode
 * @extack: where the reason of a refusal goes
 *
 * A mode aimed at a name no loaded manifest has would be a typo taking
 * effect silently (``webserver`` for ``webServer``), or lie in wait for
 * whatever manifest takes the name later: refused. Dropping one (INHERIT)
 * is always allowed, so an override left by a manifest that has since
 * gone can be cleared.
 *
 * Return: 0; -EINVAL (global INHERIT), -ENOENT (no such manifest),
 * -ENOSPC (too many overrides), -ENOMEM.
 */
int charter_mode_set(const char *name, u8 mode, struct netlink_ext_ack *extack)
{
	struct charter_override_table *old, *t;

	if (!name) {
		if (mode == CHARTER_MODE_INHERIT) {
			NL_SET_ERR_MSG(extack, "the global mode cannot inherit");
			return -EINVAL;
		}
		WRITE_ONCE(charter_global_mode, mode);
		return 0;
	}
	if (mode != CHARTER_MODE_INHERIT && !charter_policy_names(name)) {
		NL_SET_ERR_MSG(extack,
			       "no loaded manifest has this name (names are case-sensitive: see charter list)");
		return -ENOENT;
	}
	mutex_lock(&charter_mode_lock);
	old = rcu_dereference_protected(charter_overrides,
					lockdep_is_held(&charter_mode_lock));
	t = charter_overrides_with(old, name, mode, extack);
	if (!IS_ERR(t)) {
		rcu_assign_pointer(charter_overrides, t);
		kfree_rcu(old, rcu);
	}
	mutex_unlock(&charter_mode_lock);
	return PTR_ERR_OR_ZERO(t);
}

void charter_decide_exit(void)
{
	kfree(rcu_dereference_protected(charter_overrides, true));
	RCU_INIT_POINTER(charter_overrides, NULL);
}
