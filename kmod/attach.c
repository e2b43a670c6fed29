// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: hook tables -> ftrace redirections.
 *
 * The BPF LSM's stubs, which Charter replaces and never calls, are called
 * through one direct trampoline (direct.S): ftrace patches each stub's
 * fentry site into a call to it, and it jumps to the stub's wrapper. No
 * register is saved and no callback runs: a hook costs a few instructions
 * more than the wrapper itself (one ftrace_ops callback cost ~150 per
 * call, the largest part of what an unconfined open paid). The hottest
 * stubs (CHARTER_HOOK_OWN: open, connect, datagrams) each have an ops and
 * a trampoline of their own, which jumps to the wrapper without looking
 * anything up.
 *
 * Every other function (security_* when the BPF LSM is off, system call
 * entries, the functions whose original a wrapper calls) goes through one
 * ftrace_ops with IPMODIFY: its callback finds the function's entry by the
 * call site ftrace reports and moves the instruction pointer to our
 * wrapper, unless the call comes from this module (a wrapper calling the
 * original). One ops of each kind, not one per function: ftrace waits for
 * RCU-tasks on each unregistration, which made unloading take 13 s.
 */

#include <linux/bitmap.h>
#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "attach.h"
#include "compat.h"
#include "direct.h"
#include "domain.h"

DEFINE_SRCU(charter_hook_srcu);

static char *hooks = "auto";
module_param(hooks, charp, 0444);
MODULE_PARM_DESC(hooks,
		 "where to attach: auto (BPF LSM stubs if they are called), bpf, security");

static bool direct = true;
module_param(direct, bool, 0444);
MODULE_PARM_DESC(direct,
		 "call the BPF LSM stubs' hooks through a direct trampoline (else an ftrace_ops callback)");

struct charter_direct_slot charter_direct_slots[1 << CHARTER_DIRECT_BITS]
	__aligned(16);
unsigned long charter_direct_mult;

/**
 * struct charter_attached - one hooked function
 * @target: the function's address
 * @site: its ftrace call site, the ip the callback is given (after the
 *	ENDBR on a kernel built with IBT)
 * @wrapper: where its calls go, unless @hook refuses in a domain
 * @name: the function's name, for messages
 * @hook: the table entry it came from
 * @direct: called through a direct trampoline, not charter_ops
 * @own: the ops of its own trampoline (CHARTER_HOOK_OWN), else NULL
 */
struct charter_attached {
	unsigned long target;
	unsigned long site;
	unsigned long wrapper;
	const char *name;
	const struct charter_hook *hook;
	bool direct;
	struct charter_own *own;
};

/*
 * struct charter_own - a direct trampoline of one stub's own
 * @ops: the direct ops that calls it from the stub's fentry site
 * @tramp: charter_tramp_<hook> (attach.h)
 */
struct charter_own {
	struct ftrace_ops ops;
	unsigned long tramp;
};

/*
 * Stubs with a trampoline of their own, at most: removing each ops waits
 * for RCU-tasks (unloading takes that much longer).
 */
#define CHARTER_MAX_OWN 8

static const struct charter_hook_table *const charter_tables[] = {
	&charter_cred_hooks,	/* first: domains are tracked before made */
	&charter_exec_hooks,
	&charter_fs_hooks,
	&charter_mount_hooks,
	&charter_net_hooks,
	&charter_netpeer_hooks,
	&charter_ptrace_hooks,
	&charter_kernel_hooks,
};

static struct charter_attached *charter_attached;
static unsigned int charter_attached_count;
static bool charter_use_bpf;
static struct ftrace_ops charter_ops;
static bool charter_ops_registered;
static struct ftrace_ops charter_direct_ops;
/* The direct trampolines hold the stubs: the shared one, and the own. */
static bool charter_direct_registered;
static bool charter_shared_registered;
static struct charter_own charter_own[CHARTER_MAX_OWN];
static unsigned int charter_own_count;
static unsigned int charter_own_registered;
/* The stubs, moved from charter_direct_ops (charter_leave_direct()). */
static struct ftrace_ops charter_stub_ops;
static bool charter_stub_registered;
/* Serialises charter_leave_direct() with itself. */
static DEFINE_MUTEX(charter_direct_lock);
/*
 * The task registering charter_stub_ops, which may join the direct ops on
 * the stubs; NULL otherwise. A task, not a flag: ftrace asks the direct
 * ops (charter_direct_ops_func()) in the context of the registration, and
 * another IPMODIFY user registering at that moment (a livepatch loaded by
 * another task) must still be refused.
 */
static struct task_struct *charter_direct_sharer;

/*
 * Call site -> index + 1 in charter_attached (0: empty), open addressing.
 * 256 slots for at most 128 hooked functions keep probes short.
 */
#define CHARTER_SITE_BITS 8
#define CHARTER_MAX_ATTACHED (1U << (CHARTER_SITE_BITS - 1))
static u8 charter_sites[1U << CHARTER_SITE_BITS];

static unsigned long (*charter_kallsyms)(const char *name);
static unsigned long (*charter_ftrace_location)(unsigned long ip);

/* The task running the self-test (charter_hooks_called()), else NULL. */
struct task_struct *charter_selftest_task;
static bool charter_selftest_reached;

/**
 * charter_selftest_note() - the cred_prepare hook was reached
 *
 * Called by the cred_prepare hook (cred.c) on every call, before anything
 * else: notes the self-test's own call. Costs one load on prepare_creds()
 * (fork, exec), not one on every hooked function.
 */
void charter_selftest_note(void)
{
	if (unlikely(READ_ONCE(charter_selftest_task) == current))
		WRITE_ONCE(charter_selftest_reached, true);
}

/* kallsyms_lookup_name is not exported: a kprobe on it tells where it is. */
int charter_symbols_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int err = register_kprobe(&kp);

	if (err)
		return err;
	charter_kallsyms = (unsigned long (*)(const char *))kp.addr;
	unregister_kprobe(&kp);
	if (!charter_kallsyms)
		return -ENOENT;
	charter_ftrace_location = (void *)charter_kallsyms("ftrace_location");
	return charter_ftrace_location ? 0 : -ENOENT;
}

/* The address of a kernel symbol, exported or not; 0 if unknown. */
unsigned long charter_symbol(const char *name)
{
	return charter_kallsyms ? charter_kallsyms(name) : 0;
}

static struct charter_attached *charter_find(unsigned long site)
{
	unsigned int i = hash_long(site, CHARTER_SITE_BITS);
	unsigned int slot;

	while ((slot = READ_ONCE(charter_sites[i]))) {
		if (charter_attached[slot - 1].site == site)
			return &charter_attached[slot - 1];
		i = (i + 1) & (ARRAY_SIZE(charter_sites) - 1);
	}
	return NULL;
}

static void charter_site_add(unsigned int index)
{
	unsigned int i = hash_long(charter_attached[index].site,
				   CHARTER_SITE_BITS);

	while (charter_sites[i])
		i = (i + 1) & (ARRAY_SIZE(charter_sites) - 1);
	charter_sites[i] = index + 1;
}

/* The whole of a system call refused in a domain (refuse_in_domain). */
static long charter_sys_refused(const struct pt_regs *regs)
{
	return -EPERM;
}

/* "delete_module" for "__x64_sys_delete_module" or "__ia32_sys_...". */
static const char *charter_syscall_name(const char *entry)
{
	const char *name = strstr(entry, "_sys_");

	return name ? name + 5 : entry;
}

/*
 * A system call refused in a domain is decided and reported here, in the
 * callback (preemption off: the report does not sleep): in complain or
 * disabled mode it runs untouched, so no code of ours is on its stack
 * (delete_module may unload Charter).
 */
static void notrace charter_ftrace_refuse(struct charter_attached *a,
					  struct ftrace_regs *fregs)
{
	struct charter_domain *d = charter_current_domain();

	if (d && charter_refuse(d, -EPERM, "syscall %s",
				charter_syscall_name(a->name)))
		charter_ftrace_set_ip(fregs, (unsigned long)charter_sys_refused);
}

static void notrace charter_ftrace_thunk(unsigned long ip,
					 unsigned long parent_ip,
					 struct ftrace_ops *ops,
					 struct ftrace_regs *fregs)
{
	struct charter_attached *a = charter_find(ip);

	if (unlikely(!a))
		return;
	if (a->hook->refuse_in_domain)
		charter_ftrace_refuse(a, fregs);
	else if (!within_module(parent_ip, THIS_MODULE))
		charter_ftrace_set_ip(fregs, a->wrapper);
}

/* Is @target redirected already (an alias: __ia32_sys_vhangup)? */
static bool charter_attached_already(unsigned long target)
{
	unsigned int i;

	for (i = 0; i < charter_attached_count; i++)
		if (charter_attached[i].target == target)
			return true;
	return false;
}

/*
 * Is @h's BPF stub called here, for everything it is the hook of? Every
 * stub is while bpf is an active LSM, but a cred_blob_only one
 * (CHARTER_HOOK_CRED_BLOB_ONLY) only if some active LSM keeps a cred
 * blob, and then every cred has one (lsm_cred_alloc()).
 */
static bool charter_stub_called(const struct charter_hook *h)
{
	return charter_use_bpf && (!h->cred_blob_only || current_cred()->security);
}

/*
 * A BPF LSM stub Charter replaces (never calls): the direct trampoline can
 * take it. Wrappers that call the original, and system calls refused in
 * the callback itself, need charter_ops.
 */
static bool charter_may_be_direct(const struct charter_hook *h)
{
	return direct && charter_stub_called(h) && !h->refuse_in_domain &&
	       h->bpf_wrapper != h->sec_wrapper;
}

/* Resolve @h into @a (nothing attached yet). */
static int charter_resolve_one(struct charter_attached *a,
			       const struct charter_hook *h)
{
	bool use_bpf = charter_stub_called(h);

	a->hook = h;
	a->name = use_bpf ? h->bpf_name : h->sec_name;
	a->target = charter_symbol(a->name);
	if (!a->target && h->optional) {
		pr_info("charter: no %s in this kernel\n", a->name);
		return -ENOENT;
	}
	if (!a->target) {
		pr_err("charter: cannot find %s\n", a->name);
		return -ENOENT;
	}
	/* Both ABIs of a system call without arguments share one body. */
	if (h->refuse_in_domain && charter_attached_already(a->target))
		return -EEXIST;
	a->site = charter_ftrace_location(a->target);
	if (!a->site) {
		pr_err("charter: cannot trace %s\n", a->name);
		return -EINVAL;
	}
	a->wrapper = (unsigned long)(use_bpf ? h->bpf_wrapper : h->sec_wrapper);
	if (h->sec_orig)
		*h->sec_orig = (void *)a->target;
	/* security_* wrappers and entry wrappers call the original. */
	if (h->sec_orig && (!use_bpf || h->bpf_wrapper == h->sec_wrapper) &&
	    !charter_callable(a->target)) {
		pr_err("charter: %s cannot be called through a pointer (IBT sealed it)\n",
		       a->name);
		return -EOPNOTSUPP;
	}
	a->direct = charter_may_be_direct(h);
	a->own = NULL;
	if (a->direct && h->bpf_tramp && charter_own_count < CHARTER_MAX_OWN) {
		a->own = &charter_own[charter_own_count++];
		a->own->tramp = (unsigned long)h->bpf_tramp;
	}
	return 0;
}

/* The slot of the return address @ret with multiplier @mult. */
static unsigned int charter_direct_slot_of(unsigned long ret,
					   unsigned long mult)
{
	return (ret * mult) >> (BITS_PER_LONG - CHARTER_DIRECT_BITS);
}

/* Does @mult give every direct function a slot of its own? */
static bool charter_direct_mult_fits(unsigned long mult)
{
	static DECLARE_BITMAP(taken, 1 << CHARTER_DIRECT_BITS);
	unsigned int i, slot;

	bitmap_zero(taken, 1 << CHARTER_DIRECT_BITS);
	for (i = 0; i < charter_attached_count; i++) {
		if (!charter_attached[i].direct || charter_attached[i].own)
			continue;
		slot = charter_direct_slot_of(charter_attached[i].site +
					      MCOUNT_INSN_SIZE, mult);
		if (test_and_set_bit(slot, taken))
			return false;
	}
	return true;
}

/*
 * Fill the trampoline's table: find a multiplier under which no two
 * direct functions share a slot. With about 60 functions in 1024 slots a
 * random odd one does about one time in five. False if none was found
 * (the functions then go through charter_ops).
 */
static bool charter_direct_table(void)
{
	unsigned int tries, i;
	unsigned long mult;

	for (tries = 0; tries < 10000; tries++) {
		mult = get_random_long() | 1;
		if (charter_direct_mult_fits(mult))
			break;
	}
	if (tries == 10000)
		return false;
	memset(charter_direct_slots, 0, sizeof(charter_direct_slots));
	charter_direct_mult = mult;
	for (i = 0; i < charter_attached_count; i++) {
		const struct charter_attached *a = &charter_attached[i];
		unsigned long ret = a->site + MCOUNT_INSN_SIZE;
		struct charter_direct_slot *slot;

		if (!a->direct || a->own)
			continue;
		slot = &charter_direct_slots[charter_direct_slot_of(ret, mult)];
		slot->ret = ret;
		slot->wrapper = a->wrapper;
	}
	return true;
}

/* Add @a's function to the filter of the ops that will redirect it. */
static int charter_filter_one(struct charter_attached *a)
{
	struct ftrace_ops *ops = a->own ? &a->own->ops :
				 a->direct ? &charter_direct_ops : &charter_ops;
	int err = ftrace_set_filter_ip(ops, a->target, 0, 0);

	if (err)
		pr_err("charter: cannot trace %s: %d\n", a->name, err);
	return err;
}

static void notrace charter_ftrace_nothing(unsigned long ip,
					   unsigned long parent_ip,
					   struct ftrace_ops *ops,
					   struct ftrace_regs *fregs)
{
}

/*
 * Would redirecting charter_attached[@lo] to [@hi - 1] fail with EBUSY?
 * The stubs are left out while we redirect them ourselves already.
 */
static bool charter_range_busy(unsigned int lo, unsigned int hi)
{
	struct ftrace_ops probe = {
		.func = charter_ftrace_nothing,
		.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
	};
	bool ours = charter_direct_registered || charter_stub_registered;
	unsigned int i, count = 0;
	bool busy = false;

	for (i = lo; i < hi; i++) {
		if (ours && charter_attached[i].direct)
			continue;
		if (ftrace_set_filter_ip(&probe, charter_attached[i].target, 0, 0))
			goto out;
		count++;
	}
	/* An ops with an empty filter would trace every function. */
	if (!count)
		goto out;
	busy = register_ftrace_function(&probe) == -EBUSY;
	if (!busy)
		unregister_ftrace_function(&probe);
out:
	ftrace_free_filter(&probe);
	return busy;
}

/*
 * Registration failed with EBUSY: another ftrace user with IPMODIFY
 * (livepatch, another module) holds some of [@lo, @hi). Name each, by
 * bisection: a few registrations, each a wait for RCU-tasks.
 */
static void charter_name_busy(unsigned int lo, unsigned int hi)
{
	unsigned int mid = lo + (hi - lo) / 2;

	if (hi - lo == 1) {
		pr_err("charter: %s is redirected by another ftrace user (livepatch?)\n",
		       charter_attached[lo].name);
		return;
	}
	if (charter_range_busy(lo, mid))
		charter_name_busy(lo, mid);
	if (charter_range_busy(mid, hi))
		charter_name_busy(mid, hi);
}

/*
 * Sharing a stub with an ftrace user with IPMODIFY (livepatch), whether
 * it comes after the direct trampoline (PEER) or was there first (SELF):
 * refused, or the trampoline would run that user's function instead of
 * our hook. Only charter_stub_ops may join, while charter_leave_direct()
 * moves the stubs to it.
 */
static int charter_direct_ops_func(struct ftrace_ops *ops,
				   enum ftrace_ops_cmd cmd)
{
	switch (cmd) {
	case FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER:
		return READ_ONCE(charter_direct_sharer) == current ? 0 : -EBUSY;
	case FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_SELF:
		return -EBUSY;
	default:
		return 0;
	}
}

/*
 * Remove the direct trampolines: each stub's own, then the shared one, the
 * reverse of charter_register_directs(). The shared one holds the cred
 * hooks: once cred_free is gone, a freed cred keeps its entry, and a new
 * cred at its address (an unconfined shell's) would be taken for the
 * domain's by any hook still attached; the hot stubs' own must go first.
 */
static void charter_unregister_directs(void)
{
	int err;

	while (charter_own_registered) {
		struct charter_own *own = &charter_own[--charter_own_registered];

		err = charter_unregister_direct(&own->ops, own->tramp);
		if (err)
			pr_err("charter: cannot detach a direct hook: %d\n", err);
	}
	if (charter_shared_registered) {
		err = charter_unregister_direct(&charter_direct_ops,
						(unsigned long)charter_direct_tramp);
		if (err)
			pr_err("charter: cannot detach the direct hooks: %d\n", err);
		charter_shared_registered = false;
	}
}

/* Free the direct ops' filters (never reused: they are freed, not reset). */
static void charter_free_directs(void)
{
	unsigned int i;

	ftrace_free_filter(&charter_direct_ops);
	memset(&charter_direct_ops, 0, sizeof(charter_direct_ops));
	for (i = 0; i < charter_own_count; i++)
		ftrace_free_filter(&charter_own[i].ops);
	memset(charter_own, 0, sizeof(charter_own));
	charter_own_count = 0;
}

/* The direct trampolines on their stubs: all, or none (the error). */
static int charter_register_directs(bool shared)
{
	int err;

	if (shared) {
		err = charter_register_direct(&charter_direct_ops,
					      (unsigned long)charter_direct_tramp);
		if (err)
			return err;
		charter_shared_registered = true;
	}
	while (charter_own_registered < charter_own_count) {
		struct charter_own *own = &charter_own[charter_own_registered];

		err = charter_register_direct(&own->ops, own->tramp);
		if (err) {
			charter_unregister_directs();
			return err;
		}
		charter_own_registered++;
	}
	return 0;
}

/* Redirect the direct functions through charter_stub_ops as well. */
static int charter_register_stub_ops(void)
{
	unsigned int i;
	int err;

	memset(&charter_stub_ops, 0, sizeof(charter_stub_ops));
	charter_stub_ops.func = charter_ftrace_thunk;
	charter_stub_ops.flags = FTRACE_OPS_FL_SAVE_REGS |
				 FTRACE_OPS_FL_RECURSION |
				 FTRACE_OPS_FL_IPMODIFY;
	for (i = 0; i < charter_attached_count; i++) {
		if (!charter_attached[i].direct)
			continue;
		err = ftrace_set_filter_ip(&charter_stub_ops,
					   charter_attached[i].target, 0, 0);
		if (err)
			goto out;
	}
	WRITE_ONCE(charter_direct_sharer, current);
	err = register_ftrace_function(&charter_stub_ops);
	WRITE_ONCE(charter_direct_sharer, NULL);
out:
	if (err) {
		/* Freed, not reset: a second free (detach) must find nothing. */
		ftrace_free_filter(&charter_stub_ops);
		memset(&charter_stub_ops, 0, sizeof(charter_stub_ops));
	}
	return err;
}

/**
 * charter_leave_direct() - give the BPF LSM's stubs back to BPF programs
 *
 * A BPF program that attaches to a stub (an LSM program, fentry, fexit)
 * does so with a direct call of its own, and a function has only one:
 * with the stubs held by the direct trampoline its attach would fail
 * (EBUSY). Called before such a program is loaded or attached (the bpf
 * hook, kernel.c), this moves the stubs to an ftrace_ops with IPMODIFY,
 * which BPF trampolines share functions with. The hooks never stop
 * being called: the ops is added while the trampoline still holds the
 * stubs (a call then goes through the ops, which sends it to the
 * wrapper; the trampoline, entered after it, finds no slot for the
 * wrapper's address and returns to it), and only then is the trampoline
 * removed. One way: the stubs stay with the ops until the module is
 * reloaded. Sleeps (ftrace waits for RCU-tasks).
 */
void charter_leave_direct(void)
{
	int err;

	if (!READ_ONCE(charter_direct_registered))
		return;
	mutex_lock(&charter_direct_lock);
	if (!charter_direct_registered)
		goto out;
	err = charter_register_stub_ops();
	if (err) {
		pr_err("charter: cannot move the BPF LSM stubs off the direct trampoline: %d\n",
		       err);
		goto out;
	}
	charter_stub_registered = true;
	charter_unregister_directs();
	WRITE_ONCE(charter_direct_registered, false);
	charter_free_directs();
	pr_info("charter: a BPF program may attach to the BPF LSM's stubs: hooks moved to an ftrace_ops\n");
out:
	mutex_unlock(&charter_direct_lock);
}

/* Resolve every hook of the tables into charter_attached. */
static int charter_resolve_all(void)
{
	unsigned int t, i;
	int err;

	for (t = 0; t < ARRAY_SIZE(charter_tables); t++) {
		const struct charter_hook_table *table = charter_tables[t];

		for (i = 0; i < table->count; i++) {
			err = charter_resolve_one(
				&charter_attached[charter_attached_count],
				&table->hooks[i]);
			if ((err == -ENOENT && table->hooks[i].optional) ||
			    err == -EEXIST)
				continue;
			if (err)
				return err;
			charter_attached_count++;
		}
	}
	return 0;
}

/* Redirect the functions of charter_ops; none: nothing to register. */
static int charter_register_ops(unsigned int count)
{
	int err;

	if (!count)
		return 0;
	err = register_ftrace_function(&charter_ops);
	if (!err) {
		charter_ops_registered = true;
		return 0;
	}
	pr_err("charter: cannot redirect the hooks: %d\n", err);
	if (err == -EBUSY)
		charter_name_busy(0, charter_attached_count);
	return err;
}

/*
 * The direct trampoline on the stubs; where another ftrace user holds one
 * (a BPF program attached to it, livepatch), charter_stub_ops instead,
 * which shares stubs with BPF programs (and fails, naming the function,
 * beside another IPMODIFY user).
 */
static int charter_register_direct_ops(unsigned int count)
{
	int err;

	if (!count)
		return 0;
	err = charter_register_directs(count > charter_own_count);
	if (!err) {
		charter_direct_registered = true;
		return 0;
	}
	if (err != -EBUSY) {
		pr_err("charter: cannot call the BPF LSM stubs directly: %d\n", err);
		return err;
	}
	pr_info("charter: a BPF LSM stub is taken (a BPF program?): hooks through an ftrace_ops\n");
	err = charter_register_stub_ops();
	if (!err) {
		charter_stub_registered = true;
		return 0;
	}
	pr_err("charter: cannot redirect the hooks: %d\n", err);
	if (err == -EBUSY)
		charter_name_busy(0, charter_attached_count);
	return err;
}

/* Filter every hook of the tables and redirect them all at once. */
static int charter_attach_all(void)
{
	unsigned int i, direct_count = 0;
	int err;

	memset(&charter_ops, 0, sizeof(charter_ops));
	memset(&charter_direct_ops, 0, sizeof(charter_direct_ops));
	memset(charter_own, 0, sizeof(charter_own));
	charter_own_count = 0;
	memset(charter_sites, 0, sizeof(charter_sites));
	charter_direct_ops.ops_func = charter_direct_ops_func;
	charter_ops.func = charter_ftrace_thunk;
	/*
	 * PERMANENT: while attached, sysctl kernel.ftrace_enabled=0 fails
	 * (EBUSY) instead of switching every hook off (as for livepatch).
	 * The direct ops cannot have it (registering sets its flags), but
	 * the sysctl is refused while any ops that has it is registered,
	 * and charter_ops always holds the system call entries.
	 */
	charter_ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION |
			    FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT;
	err = charter_resolve_all();
	if (err)
		return err;
	for (i = 0; i < charter_attached_count; i++)
		direct_count += charter_attached[i].direct;
	if (direct_count > charter_own_count && !charter_direct_table()) {
		pr_info("charter: no perfect hash for the direct trampoline: using an ftrace_ops\n");
		for (i = 0; i < charter_attached_count; i++) {
			charter_attached[i].direct = false;
			charter_attached[i].own = NULL;
		}
		direct_count = 0;
		charter_own_count = 0;
	}
	for (i = 0; i < charter_own_count; i++)
		charter_own[i].ops.ops_func = charter_direct_ops_func;
	for (i = 0; i < charter_attached_count; i++) {
		err = charter_filter_one(&charter_attached[i]);
		if (err)
			return err;
		/* Direct ones too: charter_stub_ops may take them later. */
		charter_site_add(i);
	}
	err = charter_register_direct_ops(direct_count);
	if (!err)
		err = charter_register_ops(charter_attached_count - direct_count);
	return err;
}

/*
 * Undo the redirections and wait until no task runs our code. A task may
 * be in a wrapper without being in its SRCU read section yet (or any
 * more), or in a wrapper without one (CHARTER_HOOK_INT_GATED_NOSLEEP):
 * RCU-tasks waits for those, unless they sleep in the section, which
 * SRCU waits for. So: RCU-tasks, SRCU, and RCU-tasks again for the
 * instructions after srcu_read_unlock(). RCU-tasks does not wait for
 * idle tasks, on whose stack softirqs run (a datagram's sock_rcv_skb):
 * RCU does, since softirq is a read-side section of it.
 */
static void charter_detach_all(void)
{
	int err;

	/*
	 * The cred hooks last (charter_unregister_directs()): charter_ops
	 * first, which in hooks=bpf mode holds no cred hook, then the stubs.
	 */
	if (charter_ops_registered) {
		err = unregister_ftrace_function(&charter_ops);
		if (err)
			pr_err("charter: cannot detach the hooks: %d\n", err);
		charter_ops_registered = false;
	}
	mutex_lock(&charter_direct_lock);
	if (charter_direct_registered) {
		charter_unregister_directs();
		charter_direct_registered = false;
	}
	if (charter_stub_registered) {
		err = unregister_ftrace_function(&charter_stub_ops);
		if (err)
			pr_err("charter: cannot detach the stubs' hooks: %d\n", err);
		charter_stub_registered = false;
	}
	mutex_unlock(&charter_direct_lock);
	/* The ops' filter hashes are freed, not reset: never reuse them. */
	ftrace_free_filter(&charter_ops);
	charter_free_directs();
	ftrace_free_filter(&charter_stub_ops);
	memset(&charter_ops, 0, sizeof(charter_ops));
	memset(&charter_stub_ops, 0, sizeof(charter_stub_ops));
	synchronize_rcu_tasks();
	synchronize_srcu(&charter_hook_srcu);
	synchronize_rcu_tasks();
	synchronize_rcu();
	charter_attached_count = 0;
}

/* Leave charter_use_bpf as asked; "auto" tries the BPF LSM's stubs first. */
static int charter_choose_mode(void)
{
	if (!strcmp(hooks, "bpf") || !strcmp(hooks, "auto"))
		charter_use_bpf = true;
	else if (!strcmp(hooks, "security"))
		charter_use_bpf = false;
	else
		return -EINVAL;
	return 0;
}

/*
 * Are the hooks called? Attaching proves only that ftrace will redirect a
 * function if it runs: the BPF LSM's stubs are never called when bpf is
 * not an active LSM, and a kernel may skip them while no BPF program is
 * attached (static calls switched off). One credential prepared and
 * dropped must pass through the cred_prepare hook (cred.c); if it did not,
 * no hook can be trusted to run.
 */
static bool charter_hooks_called(void)
{
	const struct cred *cred;

	WRITE_ONCE(charter_selftest_reached, false);
	WRITE_ONCE(charter_selftest_task, current);
	cred = prepare_creds();
	WRITE_ONCE(charter_selftest_task, NULL);
	if (cred)
		abort_creds((struct cred *)cred);
	return READ_ONCE(charter_selftest_reached);
}

/*
 * Every hook, in the mode chosen, proven called; in "auto" mode the BPF
 * LSM's stubs, else security_*. Return: 0, -EOPNOTSUPP (the hooks are not
 * called: said in the log) or the error of the redirection.
 */
static int charter_attach_proven(void)
{
	int err = charter_attach_all();

	if (err || charter_hooks_called())
		return err;
	charter_detach_all();
	if (strcmp(hooks, "auto")) {
		pr_err("charter: hooks=%s: %s hooks attached but never called%s\n",
		       hooks, charter_use_bpf ? "bpf_lsm_*" : "security_*",
		       charter_use_bpf ? " (is bpf an active LSM?)" : "");
		return -EOPNOTSUPP;
	}
	pr_info("charter: bpf_lsm_* hooks are not called here (bpf is not an active LSM)\n");
	charter_use_bpf = false;
	err = charter_attach_all();
	if (err || charter_hooks_called())
		return err;
	pr_err("charter: security_* hooks attached but never called\n");
	return -EOPNOTSUPP;
}

/**
 * charter_attach() - redirect every hook to Charter's
 *
 * Redirects all hooked functions with one ftrace_ops and proves, by
 * preparing a credential, that the hooks are called (see
 * charter_hooks_called()): a module that is loaded enforces.
 *
 * Return: 0; -EINVAL for an unknown hooks= value; -EOPNOTSUPP when no
 * hooks are called; -ENOMEM; -E2BIG if the tables outgrow the call site
 * index; or the error of the redirection (the log names the function).
 * On error nothing stays attached.
 */
int charter_attach(void)
{
	unsigned int total = 0, t;
	int err;

	err = charter_choose_mode();
	if (err)
		return err;
	for (t = 0; t < ARRAY_SIZE(charter_tables); t++)
		total += charter_tables[t]->count;
	if (total > CHARTER_MAX_ATTACHED)
		return -E2BIG;
	charter_attached = kcalloc(total, sizeof(*charter_attached), GFP_KERNEL);
	if (!charter_attached)
		return -ENOMEM;

	err = charter_attach_proven();
	if (err) {
		charter_detach();
		return err;
	}
	pr_info("charter: attached to %s hooks (%u functions)\n",
		charter_use_bpf ? "bpf_lsm_*" : "security_*",
		charter_attached_count);
	return 0;
}

/*
 * Detach, then wait until no task runs our code: SRCU covers the wrappers
 * (which may sleep), RCU-tasks the few instructions before
 * srcu_read_lock() and after srcu_read_unlock().
 */
void charter_detach(void)
{
	charter_detach_all();
	kfree(charter_attached);
	charter_attached = NULL;
}
