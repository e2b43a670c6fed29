// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: hook tables -> ftrace redirections.
 *
 * Each hook gets an ftrace_ops with IPMODIFY on one function; its callback
 * moves the instruction pointer to our wrapper, unless the call comes from
 * this module (a wrapper calling the original: security_* wrappers and
 * system call wrappers do).
 */

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "attach.h"
#include "domain.h"

DEFINE_SRCU(charter_hook_srcu);

static char *hooks = "auto";
module_param(hooks, charp, 0444);
MODULE_PARM_DESC(hooks,
		 "where to attach: auto (BPF LSM stubs when active), bpf, security");

struct charter_attached {
	struct ftrace_ops ops;
	unsigned long target;
	unsigned long wrapper;
	const char *name;
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

static unsigned long (*charter_kallsyms)(const char *name);

/* kallsyms_lookup_name is not exported: a kprobe on it tells where it is. */
int charter_symbols_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int err = register_kprobe(&kp);

	if (err)
		return err;
	charter_kallsyms = (unsigned long (*)(const char *))kp.addr;
	unregister_kprobe(&kp);
	return charter_kallsyms ? 0 : -ENOENT;
}

/* The address of a kernel symbol, exported or not; 0 if unknown. */
unsigned long charter_symbol(const char *name)
{
	return charter_kallsyms ? charter_kallsyms(name) : 0;
}

/* Is "bpf" one of the active LSMs (as /sys/kernel/security/lsm lists)? */
static bool charter_bpf_lsm_active(void)
{
	char **names = (char **)charter_symbol("lsm_names");
	const char *s;

	if (!names || !*names)
		return false;
	for (s = *names; s; s = strchr(s, ',')) {
		if (*s == ',')
			s++;
		if (!strncmp(s, "bpf", 3) && (s[3] == ',' || !s[3]))
			return true;
	}
	return false;
}

static void notrace charter_ftrace_thunk(unsigned long ip,
					 unsigned long parent_ip,
					 struct ftrace_ops *ops,
					 struct ftrace_regs *fregs)
{
	struct charter_attached *a =
		container_of(ops, struct charter_attached, ops);

	if (!within_module(parent_ip, THIS_MODULE))
		ftrace_instruction_pointer_set(fregs, a->wrapper);
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
 * Decided and reported here, in the callback (preemption off: the report
 * does not sleep): in complain or disabled mode the system call runs
 * untouched, so no code of ours is on its stack (delete_module may
 * unload Charter).
 */
static void notrace charter_ftrace_refuse_thunk(unsigned long ip,
						unsigned long parent_ip,
						struct ftrace_ops *ops,
						struct ftrace_regs *fregs)
{
	struct charter_attached *a =
		container_of(ops, struct charter_attached, ops);
	struct charter_domain *d = charter_current_domain();

	if (d && charter_refuse(d, -EPERM, "syscall %s",
				charter_syscall_name(a->name)))
		ftrace_instruction_pointer_set(fregs,
					       (unsigned long)charter_sys_refused);
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

static int charter_attach_one(struct charter_attached *a,
			      const struct charter_hook *h)
{
	int err;

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
	a->wrapper = (unsigned long)(charter_use_bpf ? h->bpf_wrapper
						      : h->sec_wrapper);
	if (h->sec_orig)
		*h->sec_orig = (void *)a->target;
	a->ops.func = h->refuse_in_domain ? charter_ftrace_refuse_thunk
					  : charter_ftrace_thunk;
	/*
	 * PERMANENT: while attached, sysctl kernel.ftrace_enabled=0 fails
	 * (EBUSY) instead of switching every hook off (as for livepatch).
	 */
	a->ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION |
		       FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT;
	err = ftrace_set_filter_ip(&a->ops, a->target, 0, 0);
	if (err) {
		pr_err("charter: cannot trace %s: %d\n", a->name, err);
		return err;
	}
	err = register_ftrace_function(&a->ops);
	if (err) {
		pr_err("charter: cannot redirect %s: %d\n", a->name, err);
		ftrace_free_filter(&a->ops);
	}
	return err;
}

static void charter_detach_one(struct charter_attached *a)
{
	int err = unregister_ftrace_function(&a->ops);

	if (err)
		pr_err("charter: cannot detach %s: %d\n", a->name, err);
	ftrace_free_filter(&a->ops);
}

static int charter_choose_mode(void)
{
	if (!strcmp(hooks, "bpf"))
		charter_use_bpf = true;
	else if (!strcmp(hooks, "security"))
		charter_use_bpf = false;
	else if (!strcmp(hooks, "auto"))
		charter_use_bpf = charter_bpf_lsm_active();
	else
		return -EINVAL;
	pr_info("charter: attaching to %s hooks\n",
		charter_use_bpf ? "bpf_lsm_*" : "security_*");
	return 0;
}

int charter_attach(void)
{
	unsigned int total = 0, t, i;
	int err;

	err = charter_choose_mode();
	if (err)
		return err;

	for (t = 0; t < ARRAY_SIZE(charter_tables); t++)
		total += charter_tables[t]->count;
	charter_attached = kcalloc(total, sizeof(*charter_attached), GFP_KERNEL);
	if (!charter_attached)
		return -ENOMEM;

	for (t = 0; t < ARRAY_SIZE(charter_tables); t++) {
		const struct charter_hook_table *table = charter_tables[t];

		for (i = 0; i < table->count; i++) {
			err = charter_attach_one(
				&charter_attached[charter_attached_count],
				&table->hooks[i]);
			if ((err == -ENOENT && table->hooks[i].optional) ||
			    err == -EEXIST)
				continue;
			if (err) {
				charter_detach();
				return err;
			}
			charter_attached_count++;
		}
	}
	return 0;
}

/*
 * Detach in reverse order, then wait until no task runs our code: SRCU
 * covers the wrappers (which may sleep), RCU-tasks the few instructions
 * before srcu_read_lock() and after srcu_read_unlock().
 */
void charter_detach(void)
{
	while (charter_attached_count)
		charter_detach_one(&charter_attached[--charter_attached_count]);
	synchronize_srcu(&charter_hook_srcu);
	synchronize_rcu_tasks();
	kfree(charter_attached);
	charter_attached = NULL;
}
