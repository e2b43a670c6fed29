// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: other processes.
 *
 * A task in a domain may ptrace, read or write the memory of
 * (/proc/PID/mem, process_vm_readv/writev: ptrace_access_check), take
 * descriptors from (pidfd_getfd: ptrace_access_check too), or signal only
 * tasks in its own domain or in a domain nested inside it (one that
 * starts with the same layers). A task outside every domain is not
 * restricted here. PTRACE_TRACEME asks the parent to trace: refused when
 * the parent is less confined than the caller. Kernel-sent signals
 * (SIGCHLD, SIGPIPE, job control from the terminal) never reach task_kill.
 * A refusal is EPERM, as for ptrace and kill without permission.
 */

#include <linux/cred.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "attach.h"
#include "domain.h"

/* The domain of @task now; under rcu_read_lock(). */
static const struct charter_domain *charter_task_domain(struct task_struct *task)
{
	return charter_cred_domain(__task_cred(task));
}

/* May a task in @from act on one in @to? */
static int charter_scoped(const struct charter_domain *from,
			  const struct charter_domain *to)
{
	return charter_domain_contains(from, to) ? 0 : -EPERM;
}

static int charter_hook_ptrace_access_check(struct task_struct *child,
					    unsigned int mode)
{
	const struct charter_domain *d = charter_current_domain();
	int ret;

	if (likely(!d))
		return 0;
	rcu_read_lock();
	ret = charter_scoped(d, charter_task_domain(child));
	rcu_read_unlock();
	return ret;
}

static int charter_hook_ptrace_traceme(struct task_struct *parent)
{
	const struct charter_domain *d = charter_current_domain();
	int ret;

	if (likely(!d))
		return 0;
	/* The parent would act on us: it must be at least as confined. */
	rcu_read_lock();
	ret = charter_scoped(d, charter_task_domain(parent));
	rcu_read_unlock();
	return ret;
}

static int charter_hook_task_kill(struct task_struct *p,
				  struct kernel_siginfo *info, int sig,
				  const struct cred *cred)
{
	const struct charter_domain *d;
	int ret;

	if (!static_branch_unlikely(&charter_confining))
		return 0;
	/* @cred: the sender when it is not current (async I/O signals). */
	d = charter_cred_domain(cred ?: current_cred());
	if (!d)
		return 0;
	rcu_read_lock();
	ret = charter_scoped(d, charter_task_domain(p));
	rcu_read_unlock();
	return ret;
}

CHARTER_HOOK_INT(ptrace_access_check, (struct task_struct *child,
				       unsigned int mode), (child, mode))
CHARTER_HOOK_INT(ptrace_traceme, (struct task_struct *parent), (parent))
CHARTER_HOOK_INT(task_kill, (struct task_struct *p, struct kernel_siginfo *info,
			     int sig, const struct cred *cred),
		 (p, info, sig, cred))

CHARTER_HOOK_TABLE(charter_ptrace_hooks,
	CHARTER_HOOK(ptrace_access_check),
	CHARTER_HOOK(ptrace_traceme),
	CHARTER_HOOK(task_kill),
);
