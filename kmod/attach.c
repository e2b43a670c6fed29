// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: hook tables -> ftrace redirections.
 *
 * One ftrace_ops with IPMODIFY filters every hooked function; its callback
 * finds the function's entry by the call site ftrace reports and moves the
 * instruction pointer to our wrapper, unless the call comes from this
 * module (a wrapper calling the original: security_* wrappers and system
 * call wrappers do). One ops, not one per function: ftrace waits for
 * RCU-tasks on each unregistration, which made unloading take 13 s.
 */

#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "attach.h"
#include "compat.h"
#include "domain.h"

DEFINE_SRCU(charter_hook_srcu);

static char *hooks = "auto";
module_param(hooks, charp, 0444);
MODULE_PARM_DESC(hooks,
		 "where to attach: auto (BPF LSM stubs if they are called), bpf, security");

/**
 * struct charter_attached - one hooked function
 * @target: the function's address
 * @site: its ftrace call site, the ip the callback is given (after the
 *	ENDBR on a kernel built with IBT)
 * @wrapper: where its calls go, unless @hook refuses in a domain
 * @name: the function's name, for messages
 * @hook: the table entry it came from
 */
struct charter_attached {
	unsigned long target;
	unsigned long site;
	unsigned long wrapper;
	const char *name;
	const struct charter_hook *hook;
};

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
static struct task_struct *charter_selftest_task;
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

/* Resolve @h and add its function to the ops' filter (not yet live). */
static int charter_filter_one(struct charter_attached *a,
			      const struct charter_hook *h)
{
	int err;

	a->hook = h;
	a->name = charter_use_bpf ? h->bpf_name : h->sec_name;
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
	a->wrapper = (unsigned long)(charter_use_bpf ? h->bpf_wrapper
						      : h->sec_wrapper);
	if (h->sec_orig)
		*h->sec_orig = (void *)a->target;
	/* security_* wrappers and entry wrappers call the original. */
	if (h->sec_orig && (!charter_use_bpf || h->bpf_wrapper == h->sec_wrapper) &&
	    !charter_callable(a->target)) {
		pr_err("charter: %s cannot be called through a pointer (IBT sealed it)\n",
		       a->name);
		return -EOPNOTSUPP;
	}
	err = ftrace_set_filter_ip(&charter_ops, a->target, 0, 0);
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

/* Would redirecting charter_attached[@lo] to [@hi - 1] fail with EBUSY? */
static bool charter_range_busy(unsigned int lo, unsigned int hi)
{
	struct ftrace_ops probe = {
		.func = charter_ftrace_nothing,
		.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
	};
	bool busy = false;
	unsigned int i;

	for (i = lo; i < hi; i++)
		if (ftrace_set_filter_ip(&probe, charter_attached[i].target, 0, 0))
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

/* Filter every hook of the tables and redirect them all at once. */
static int charter_attach_all(void)
{
	unsigned int t, i;
	int err;

	memset(&charter_ops, 0, sizeof(charter_ops));
	memset(charter_sites, 0, sizeof(charter_sites));
	charter_ops.func = charter_ftrace_thunk;
	/*
	 * PERMANENT: while attached, sysctl kernel.ftrace_enabled=0 fails
	 * (EBUSY) instead of switching every hook off (as for livepatch).
	 */
	charter_ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION |
			    FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT;
	for (t = 0; t < ARRAY_SIZE(charter_tables); t++) {
		const struct charter_hook_table *table = charter_tables[t];

		for (i = 0; i < table->count; i++) {
			err = charter_filter_one(
				&charter_attached[charter_attached_count],
				&table->hooks[i]);
			if ((err == -ENOENT && table->hooks[i].optional) ||
			    err == -EEXIST)
				continue;
			if (err)
				return err;
			charter_site_add(charter_attached_count++);
		}
	}
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

/* Undo the redirections and wait until no task runs our code. */
static void charter_detach_all(void)
{
	int err;

	if (charter_ops_registered) {
		err = unregister_ftrace_function(&charter_ops);
		if (err)
			pr_err("charter: cannot detach the hooks: %d\n", err);
		charter_ops_registered = false;
	}
	/* The ops' filter hashes are freed, not reset: never reuse them. */
	ftrace_free_filter(&charter_ops);
	memset(&charter_ops, 0, sizeof(charter_ops));
	synchronize_srcu(&charter_hook_srcu);
	synchronize_rcu_tasks();
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
