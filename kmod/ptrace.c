// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: other processes.
 *
 * A task in a domain may ptrace, read or write the memory of
 * (/proc/PID/mem, process_vm_readv/writev: ptrace_access_check), take
 * descriptors from (pidfd_getfd: ptrace_access_check too), or signal only
 * tasks in its own domain or in a domain nested inside it (one that
 * starts with the same layers); the same holds for what root may change
 * in another process: its nice value, I/O priority, scheduling policy
 * and CPU affinity, resource limits (prlimit) and memory placement
 * (migrate_pages, move_pages). A task outside every domain is not
 * restricted here. PTRACE_TRACEME asks the parent to trace: refused when
 * the parent is less confined than the caller. Kernel-sent signals
 * (SIGCHLD, SIGPIPE, job control from the terminal) never reach task_kill.
 *
 * A file sends its owner signals (SIGIO, SIGURG, lease breaks) on behalf
 * of whoever causes the I/O, not of the task that chose the owner; so, in
 * a domain, the owner itself is scoped when it is chosen (F_SETOWN,
 * F_SETOWN_EX, FIOSETOWN, SIOCSPGRP): a task of the domain or of a nested
 * one, or a process group whose every member is.
 *
 * A refusal is EPERM, as for ptrace and kill without permission, reported
 * naming the other process (an I/O signal is reported as sent by the task
 * whose I/O raised it).
 */

#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sockios.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "attach.h"
#include "decide.h"
#include "domain.h"

/* The domain of @task now; under rcu_read_lock(). */
static const struct charter_domain *charter_task_domain(struct task_struct *task)
{
	return charter_cred_domain(__task_cred(task));
}

/*
 * May a task in @from do @what to @p, in @to? Refused (EPERM) through
 * the modes of @from's layers, and reported naming @p. Under
 * rcu_read_lock().
 */
static int charter_scoped(const struct charter_domain *from,
			  const struct charter_domain *to, const char *what,
			  struct task_struct *p)
{
	if (charter_domain_contains(from, to))
		return 0;
	return charter_refuse_task(from, -EPERM, what, p);
}

/* May current do @what to @p: signal it, trace it, change its priority? */
static int charter_may_act_on(struct task_struct *p, const char *what)
{
	const struct charter_domain *d = charter_current_domain();
	int ret;

	if (likely(!d))
		return 0;
	rcu_read_lock();
	ret = charter_scoped(d, charter_task_domain(p), what, p);
	rcu_read_unlock();
	return ret;
}

static int charter_hook_ptrace_access_check(struct task_struct *child,
					    unsigned int mode)
{
	return charter_may_act_on(child, mode & PTRACE_MODE_ATTACH ?
				  "ptrace attach" : "ptrace read");
}

/* The parent would act on us: it must be at least as confined. */
static int charter_hook_ptrace_traceme(struct task_struct *parent)
{
	return charter_may_act_on(parent, "ptrace traceme by parent");
}

static int charter_hook_task_kill(struct task_struct *p,
				  struct kernel_siginfo *info, int sig,
				  const struct cred *cred)
{
	const struct charter_domain *d;
	char what[16];
	int ret;

	if (!static_branch_unlikely(&charter_confining))
		return 0;
	/* @cred: the sender when it is not current (async I/O signals). */
	d = charter_cred_domain(cred ?: current_cred());
	if (!d)
		return 0;
	snprintf(what, sizeof(what), "signal %d", sig);
	rcu_read_lock();
	ret = charter_scoped(d, charter_task_domain(p), what, p);
	rcu_read_unlock();
	return ret;
}

/* setpriority, ioprio_set, sched_set*, migrate_pages, move_pages */
static int charter_hook_task_setnice(struct task_struct *p, int nice)
{
	return charter_may_act_on(p, "setpriority");
}

static int charter_hook_task_setioprio(struct task_struct *p, int ioprio)
{
	return charter_may_act_on(p, "ioprio_set");
}

static int charter_hook_task_setscheduler(struct task_struct *p)
{
	return charter_may_act_on(p, "set scheduling");
}

static int charter_hook_task_movememory(struct task_struct *p)
{
	return charter_may_act_on(p, "move memory");
}

/* prlimit() on another process (@tcred: its credentials). */
static int charter_hook_task_prlimit(const struct cred *cred,
				     const struct cred *tcred,
				     unsigned int flags)
{
	const struct charter_domain *d = charter_current_domain();

	if (likely(!d))
		return 0;
	if (charter_domain_contains(d, charter_cred_domain(tcred)))
		return 0;
	return charter_refuse(d, -EPERM, "prlimit of a process outside the domain");
}

/* May the tasks of @d make @pid (of @type) the owner of a file? */
static int charter_check_owner(const struct charter_domain *d, pid_t nr,
			       enum pid_type type)
{
	struct task_struct *t;
	struct pid *pid;
	int ret = 0;

	rcu_read_lock();
	pid = find_vpid(nr);
	/* No such process: the kernel answers ESRCH itself. */
	if (pid) {
		do_each_pid_task(pid, type, t) {
			ret = charter_scoped(d, charter_task_domain(t),
					     "make a file's owner (F_SETOWN)", t);
			if (ret)
				goto out;
		} while_each_pid_task(pid, type, t);
	}
out:
	rcu_read_unlock();
	return ret;
}

/* F_SETOWN, FIOSETOWN, SIOCSPGRP: a process, or a process group if < 0. */
static int charter_check_owner_nr(const struct charter_domain *d, int who)
{
	if (!who)
		return 0;	/* no owner: nothing will be sent */
	if (who < 0)
		return who == INT_MIN ? 0 : charter_check_owner(d, -who, PIDTYPE_PGID);
	return charter_check_owner(d, who, PIDTYPE_TGID);
}

static int charter_check_owner_ex(const struct charter_domain *d,
				  const void __user *arg)
{
	static const enum pid_type types[] = {
		[F_OWNER_TID] = PIDTYPE_PID,
		[F_OWNER_PID] = PIDTYPE_TGID,
		[F_OWNER_PGRP] = PIDTYPE_PGID,
	};
	struct f_owner_ex owner;

	if (copy_from_user(&owner, arg, sizeof(owner)))
		return -EFAULT;
	/* The kernel refuses other types and negative pids itself. */
	if (owner.type < 0 || owner.type >= ARRAY_SIZE(types) || owner.pid <= 0)
		return 0;
	return charter_check_owner(d, owner.pid, types[owner.type]);
}

static int charter_hook_file_fcntl(struct file *file, unsigned int cmd,
				   unsigned long arg)
{
	const struct charter_domain *d;

	if (cmd != F_SETOWN && cmd != F_SETOWN_EX)
		return 0;
	d = charter_current_domain();
	if (!d)
		return 0;
	if (cmd == F_SETOWN)
		return charter_check_owner_nr(d, (int)arg);
	return charter_check_owner_ex(d, (const void __user *)arg);
}

/* The owner ioctls (kernel.c has the one ioctl hook). */
int charter_check_owner_ioctl(const struct charter_domain *d, unsigned int cmd,
			      unsigned long arg)
{
	int who;

	if (cmd != FIOSETOWN && cmd != SIOCSPGRP)
		return 0;
	if (get_user(who, (int __user *)arg))
		return -EFAULT;
	return charter_check_owner_nr(d, who);
}

CHARTER_HOOK_INT(ptrace_access_check, (struct task_struct *child,
				       unsigned int mode), (child, mode))
CHARTER_HOOK_INT(ptrace_traceme, (struct task_struct *parent), (parent))
CHARTER_HOOK_INT(task_kill, (struct task_struct *p, struct kernel_siginfo *info,
			     int sig, const struct cred *cred),
		 (p, info, sig, cred))
CHARTER_HOOK_INT(file_fcntl, (struct file *file, unsigned int cmd,
			      unsigned long arg), (file, cmd, arg))
CHARTER_HOOK_INT(task_setnice, (struct task_struct *p, int nice), (p, nice))
CHARTER_HOOK_INT(task_setioprio, (struct task_struct *p, int ioprio),
		 (p, ioprio))
CHARTER_HOOK_INT(task_setscheduler, (struct task_struct *p), (p))
CHARTER_HOOK_INT(task_movememory, (struct task_struct *p), (p))
CHARTER_HOOK_INT(task_prlimit, (const struct cred *cred,
				const struct cred *tcred, unsigned int flags),
		 (cred, tcred, flags))

CHARTER_HOOK_TABLE(charter_ptrace_hooks,
	CHARTER_HOOK(ptrace_access_check),
	CHARTER_HOOK(ptrace_traceme),
	CHARTER_HOOK(task_kill),
	CHARTER_HOOK(file_fcntl),
	CHARTER_HOOK(task_setnice),
	CHARTER_HOOK(task_setioprio),
	CHARTER_HOOK(task_setscheduler),
	CHARTER_HOOK(task_movememory),
	CHARTER_HOOK(task_prlimit),
);
