// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: interfaces that change the kernel itself, refused inside a
 * domain whatever the task's uid or capabilities (EPERM):
 *
 *   loading modules (also on demand), kexec images, firmware and other
 *   files the kernel reads for itself (kernel_read_file, kernel_load_data);
 *   bpf() program loads; everything kernel lockdown guards (iopl, ioperm,
 *   /dev/mem, kcore, debugfs, perf and bpf reads of kernel memory...:
 *   locked_down); perf_event_open on the kernel, a CPU or tracepoints
 *   (other processes: through ptrace_access_check); creating user
 *   namespaces, and any namespace through clone() or unshare(); entering
 *   another namespace with setns(); remounting; TIOCSTI and TIOCLINUX on
 *   a terminal;
 *   and the whole system's state: unloading modules (delete_module, so
 *   Charter itself), reboot, swapon and swapoff, the host and domain
 *   names, process accounting (acct), vhangup, setting or adjusting the
 *   system clock (settime; adjtimex and clock_adjtime through
 *   do_adjtimex, reading stays allowed), quota changes (quotactl; queries
 *   stay allowed) and the kernel log (syslog, reading included: it holds
 *   other programs' denials and kernel addresses).
 * unshare(), setns(), delete_module(), reboot(), swapon(), swapoff(),
 * sethostname(), setdomainname(), acct() and vhangup() have no LSM hook
 * (only the capability check, which cannot tell them apart from anything
 * else needing that capability): they are caught at their system call
 * entries, both ABIs. Every capability-gated system call and what a
 * domain may do with it is listed in Documentation/threat-model.rst.
 * Mount, umount, move_mount and pivot_root are in mount.c; network
 * configuration (rtnetlink changes, interface ioctls) in net.c; a
 * confined task never changes the policy (netlink.c).
 */

#include <linux/bpf.h>
#include <linux/fs.h>
#include <linux/kernel_read_file.h>
#include <linux/mman.h>
#include <linux/perf_event.h>
#include <linux/quota.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/syslog.h>
#include <linux/timex.h>
#include <linux/tty.h>

#include "attach.h"
#include "dev.h"
#include "domain.h"

static int charter_hook_kernel_module_request(char *kmod_name)
{
	return charter_refuse_in_domain("kernel module request %s", kmod_name);
}

static int charter_hook_kernel_load_data(enum kernel_load_data_id id,
					 bool contents)
{
	return charter_refuse_in_domain("kernel load data %s",
					kernel_load_data_id_str(id));
}

static int charter_hook_kernel_read_file(struct file *file,
					 enum kernel_read_file_id id,
					 bool contents)
{
	return charter_refuse_in_domain("kernel read file %s",
					kernel_read_file_id_str(id));
}

/*
 * Would this bpf() command load or attach a program that may attach to a
 * BPF LSM stub (an LSM program, fentry, fexit, fmod_ret, an extension)?
 */
static bool charter_bpf_may_take_stub(int cmd, const union bpf_attr *attr)
{
	switch (cmd) {
	case BPF_PROG_LOAD:
		return attr->prog_type == BPF_PROG_TYPE_LSM ||
		       attr->prog_type == BPF_PROG_TYPE_TRACING ||
		       attr->prog_type == BPF_PROG_TYPE_EXT;
	case BPF_RAW_TRACEPOINT_OPEN:
		return true;
	case BPF_LINK_CREATE:
		return attr->link_create.attach_type == BPF_LSM_MAC ||
		       attr->link_create.attach_type == BPF_TRACE_FENTRY ||
		       attr->link_create.attach_type == BPF_TRACE_FEXIT ||
		       attr->link_create.attach_type == BPF_MODIFY_RETURN;
	default:
		return false;
	}
}

static int charter_hook_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	if (cmd == BPF_PROG_LOAD) {
		int err = charter_refuse_in_domain("bpf program load");

		if (err)
			return err;
	}
	/* Before it attaches: the stubs must be free for it (attach.c). */
	if (charter_bpf_may_take_stub(cmd, attr))
		charter_leave_direct();
	return 0;
}

static int charter_hook_locked_down(enum lockdown_reason what)
{
	return charter_refuse_in_domain("lockdown %d", what);
}

/*
 * perf_event_open lost its attr argument in 6.12.113 (a backport; 6.12.107
 * and 6.12.111 have both): both forms are built, the kernel's is used.
 */
static int charter_hook_perf_event_open_type(int type)
{
	return type == PERF_SECURITY_OPEN ? 0 :
	       charter_refuse_in_domain("perf_event_open %s",
					type == PERF_SECURITY_CPU ? "cpu" :
					type == PERF_SECURITY_KERNEL ? "kernel" :
					"tracepoint");
}

static int charter_hook_userns_create(const struct cred *cred)
{
	return charter_refuse_in_domain("user namespace creation");
}

#define CHARTER_CLONE_NEW_NS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |	\
			      CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |	\
			      CLONE_NEWCGROUP | CLONE_NEWTIME)

/*
 * clone() with new namespaces, and clone3() into another cgroup (which
 * needs only a descriptor of the cgroup's directory, even O_PATH: a
 * domain would leave the cgroup that limits it).
 */
static int charter_hook_task_alloc(struct task_struct *task,
				   unsigned long clone_flags)
{
	if (!(clone_flags & (CHARTER_CLONE_NEW_NS | CLONE_INTO_CGROUP)))
		return 0;
	return charter_refuse_in_domain("clone flags %#lx",
					clone_flags & (unsigned long)
					(CHARTER_CLONE_NEW_NS | CLONE_INTO_CGROUP));
}

/* unshare() of namespaces (unsharing files or fs_struct is fine). */
static long charter_hook_sys_unshare(const struct pt_regs *regs)
{
	unsigned long flags = charter_syscall_arg(regs, 0);

	if (!(flags & CHARTER_CLONE_NEW_NS))
		return 0;
	return charter_refuse_in_domain("unshare flags %#lx",
					flags & CHARTER_CLONE_NEW_NS);
}

/* setns(), whatever the namespace: a domain keeps the ones it was born in. */
static long charter_hook_sys_setns(const struct pt_regs *regs)
{
	return charter_refuse_in_domain("setns");
}

/* settimeofday, clock_settime, stime: every ABI calls security_settime64. */
static int charter_hook_settime(const struct timespec64 *ts,
				const struct timezone *tz)
{
	return charter_refuse_in_domain("set the clock");
}

/*
 * adjtimex() and clock_adjtime(CLOCK_REALTIME), every ABI, meet no LSM
 * hook but all reach do_adjtimex() with the timex already copied in (no
 * second read from userspace to race). Only the two pure queries pass: no
 * mode, or ADJ_OFFSET_SS_READ alone (any other bit, ADJ_SETOFFSET with
 * it included, changes the clock: timekeeping_validate_timex()).
 */
static int charter_check_adjtimex(const struct __kernel_timex *txc)
{
	if (!txc->modes || txc->modes == (ADJ_ADJTIME | ADJ_OFFSET_SINGLESHOT |
					  ADJ_OFFSET_READONLY))
		return 0;
	return charter_refuse_in_domain("adjtimex modes %#x", txc->modes);
}

static int (*charter_orig_do_adjtimex)(struct __kernel_timex *txc);

static int charter_call_do_adjtimex(struct __kernel_timex *txc)
{
	int idx = srcu_read_lock(&charter_hook_srcu);
	int ret = charter_check_adjtimex(txc);

	if (!ret)
		ret = charter_orig_do_adjtimex(txc);
	srcu_read_unlock(&charter_hook_srcu, idx);
	return ret;
}

/* Quota queries pass (the ones the kernel lets anyone make). */
static int charter_hook_quotactl_cmds(int cmds)
{
	switch (cmds) {
	case Q_GETFMT:
	case Q_SYNC:
	case Q_GETINFO:
	case Q_GETQUOTA:
	case Q_GETNEXTQUOTA:
	case Q_XGETQSTAT:
	case Q_XGETQSTATV:
	case Q_XQUOTASYNC:
	case Q_XGETQUOTA:
	case Q_XGETNEXTQUOTA:
		return 0;
	}
	return charter_refuse_in_domain("quotactl %#x", cmds);
}

/* The superblock became const in the hook's signature after 6.1. */
static int charter_hook_quotactl_sb(int cmds, int type, int id,
				    struct super_block *sb)
{
	return charter_hook_quotactl_cmds(cmds);
}

static int charter_hook_quotactl_csb(int cmds, int type, int id,
				     const struct super_block *sb)
{
	return charter_hook_quotactl_cmds(cmds);
}

/* syslog(2), /proc/kmsg and reading /dev/kmsg; only its size is harmless. */
static int charter_hook_syslog(int type)
{
	return type == SYSLOG_ACTION_SIZE_BUFFER ? 0 :
	       charter_refuse_in_domain("syslog action %d", type);
}

static int charter_hook_sb_remount(struct super_block *sb, void *mnt_opts)
{
	return charter_refuse_in_domain("remount %s", sb->s_id);
}

/*
 * The name of a terminal ioctl that reaches beyond the caller's own
 * session, else NULL: typing into it (TIOCSTI), the console (TIOCLINUX,
 * TIOCCONS), hanging up every process on it (TIOCVHANGUP), stealing it
 * from another session (TIOCSCTTY with 1), changing its line discipline
 * (TIOCSETD: a SLIP or other network interface). A console's own
 * setters are dev.c's (charter_dev_ioctl_refused()).
 */
static const char *charter_tty_ioctl_refused(unsigned int cmd,
					     unsigned long arg)
{
	switch (cmd) {
	case TIOCSTI:
		return "TIOCSTI";
	case TIOCLINUX:
		return "TIOCLINUX";
	case TIOCCONS:
		return "TIOCCONS";
	case TIOCVHANGUP:
		return "TIOCVHANGUP";
	case TIOCSETD:
		return "TIOCSETD";
	case TIOCSCTTY:
		return arg == 1 ? "TIOCSCTTY" : NULL;
	}
	return NULL;
}

/*
 * ioctl(), native or through the 32-bit ABI (compat_sys_ioctl()), by a
 * task in domain @d: outside every domain the wrapper returns before
 * looking at the command.
 */
static int charter_hook_file_ioctl(struct charter_domain *d, struct file *file,
				   unsigned int cmd, unsigned long arg)
{
	const char *tty = charter_tty_ioctl_refused(cmd, arg);
	struct inode *inode = file_inode(file);
	const char *dev;
	int ret;

	if (tty)
		return charter_refuse(d, -EPERM, "ioctl %#x %s", cmd, tty);
	if (S_ISCHR(inode->i_mode)) {
		dev = charter_dev_ioctl_refused(inode->i_rdev, cmd, arg);
		if (dev)
			return charter_refuse(d, -EPERM, "ioctl %#x %s", cmd, dev);
	}
	ret = charter_check_owner_ioctl(d, cmd, arg);
	if (!ret)
		ret = charter_check_net_ioctl(d, file, cmd);
	if (!ret)
		ret = charter_check_fs_ioctl(d, file, cmd);
	return ret;
}

static int charter_hook_file_ioctl_compat(struct charter_domain *d,
					  struct file *file, unsigned int cmd,
					  unsigned long arg)
{
	return charter_hook_file_ioctl(d, file, cmd, arg);
}

/*
 * madvise(MADV_HWPOISON, MADV_SOFT_OFFLINE) takes pages of memory offline
 * for everyone (a page of a file the domain may only read included): no
 * LSM hook. madvise() of every ABI, io_uring's IORING_OP_MADVISE and
 * process_madvise() all reach do_madvise() (the system call entry alone
 * left io_uring through: red team, 6.1 and 6.12). The advice is an
 * argument, not memory: nothing to race. Every other advice is the task's
 * own memory's business.
 */
static int charter_check_madvise(int advice)
{
	if (advice != MADV_HWPOISON && advice != MADV_SOFT_OFFLINE)
		return 0;
	return charter_refuse_in_domain("madvise %s", advice == MADV_HWPOISON ?
					"MADV_HWPOISON" : "MADV_SOFT_OFFLINE");
}

static int (*charter_orig_do_madvise)(struct mm_struct *mm,
				      unsigned long start, size_t len_in,
				      int behavior);

static int charter_call_do_madvise(struct mm_struct *mm, unsigned long start,
				   size_t len_in, int behavior)
{
	int idx = srcu_read_lock(&charter_hook_srcu);
	int ret = charter_check_madvise(behavior);

	if (!ret)
		ret = charter_orig_do_madvise(mm, start, len_in, behavior);
	srcu_read_unlock(&charter_hook_srcu, idx);
	return ret;
}

CHARTER_HOOK_INT(kernel_module_request, (char *kmod_name), (kmod_name))
CHARTER_HOOK_INT(kernel_load_data, (enum kernel_load_data_id id, bool contents),
		 (id, contents))
CHARTER_HOOK_INT(kernel_read_file, (struct file *file,
				    enum kernel_read_file_id id, bool contents),
		 (file, id, contents))
CHARTER_HOOK_INT(bpf, (int cmd, union bpf_attr *attr, unsigned int size),
		 (cmd, attr, size))
CHARTER_HOOK_INT(locked_down, (enum lockdown_reason what), (what))
static int charter_hook_perf_event_open_attr(struct perf_event_attr *attr,
					     int type)
{
	return charter_hook_perf_event_open_type(type);
}

CHARTER_HOOK_INT_FORM(perf_event_open, attr,
		      (struct perf_event_attr *attr, int type), (attr, type))
CHARTER_HOOK_INT_FORM(perf_event_open, type, (int type), (type))
CHARTER_HOOK_INT(userns_create, (const struct cred *cred), (cred))
/* Every fork passes here: most ask for no new namespace. */
CHARTER_HOOK_INT_GATED(task_alloc,
		       CHARTER_GATE_CONFINING &&
		       (clone_flags & (CHARTER_CLONE_NEW_NS | CLONE_INTO_CGROUP)),
		       (struct task_struct *task, unsigned long clone_flags),
		       (task, clone_flags))
CHARTER_SYSCALL(unshare)
CHARTER_SYSCALL(setns)
CHARTER_HOOK_INT(settime, (const struct timespec64 *ts,
			   const struct timezone *tz), (ts, tz))
CHARTER_HOOK_INT_FORM(quotactl, sb,
		      (int cmds, int type, int id, struct super_block *sb),
		      (cmds, type, id, sb))
CHARTER_HOOK_INT_FORM(quotactl, csb,
		      (int cmds, int type, int id, const struct super_block *sb),
		      (cmds, type, id, sb))
CHARTER_HOOK_INT(syslog, (int type), (type))
CHARTER_HOOK_INT(sb_remount, (struct super_block *sb, void *mnt_opts),
		 (sb, mnt_opts))
CHARTER_HOOK_INT_DOMAIN(file_ioctl, d, (struct file *file, unsigned int cmd,
					 unsigned long arg), (file, cmd, arg))
CHARTER_HOOK_INT_DOMAIN(file_ioctl_compat, d,
			(struct file *file, unsigned int cmd,
			 unsigned long arg), (file, cmd, arg))

CHARTER_HOOK_TABLE(charter_kernel_hooks,
	CHARTER_HOOK(kernel_module_request),
	CHARTER_HOOK(kernel_load_data),
	CHARTER_HOOK(kernel_read_file),
	CHARTER_HOOK(bpf),
	CHARTER_HOOK(locked_down),
	CHARTER_HOOK_EITHER(perf_event_open, attr, type),
	/* security_create_user_ns() calls the userns_create hook. */
	CHARTER_HOOK_ENTRY(userns_create, security_create_user_ns),
	CHARTER_HOOK(task_alloc),
	CHARTER_SYSCALL_ENTRY(unshare),
	CHARTER_SYSCALL_COMPAT_ENTRY(unshare),
	CHARTER_SYSCALL_ENTRY(setns),
	CHARTER_SYSCALL_COMPAT_ENTRY(setns),
	CHARTER_SYSCALL_REFUSED(delete_module),
	CHARTER_SYSCALL_COMPAT_REFUSED(delete_module),
	CHARTER_SYSCALL_REFUSED(reboot),
	CHARTER_SYSCALL_COMPAT_REFUSED(reboot),
	CHARTER_SYSCALL_REFUSED(swapon),
	CHARTER_SYSCALL_COMPAT_REFUSED(swapon),
	CHARTER_SYSCALL_REFUSED(swapoff),
	CHARTER_SYSCALL_COMPAT_REFUSED(swapoff),
	CHARTER_SYSCALL_REFUSED(sethostname),
	CHARTER_SYSCALL_COMPAT_REFUSED(sethostname),
	CHARTER_SYSCALL_REFUSED(setdomainname),
	CHARTER_SYSCALL_COMPAT_REFUSED(setdomainname),
	CHARTER_SYSCALL_REFUSED(acct),
	CHARTER_SYSCALL_COMPAT_REFUSED(acct),
	CHARTER_SYSCALL_REFUSED(vhangup),
	CHARTER_SYSCALL_COMPAT_REFUSED(vhangup),
	CHARTER_HOOK_ENTRY(settime, security_settime64),
	CHARTER_FUNCTION_ENTRY(do_adjtimex),
	CHARTER_HOOK_EITHER(quotactl, sb, csb),
	CHARTER_HOOK(syslog),
	CHARTER_HOOK(sb_remount),
	CHARTER_HOOK(file_ioctl),
	/* Since 6.1.75: compat_sys_ioctl() no longer calls file_ioctl. */
	CHARTER_HOOK_OPTIONAL(file_ioctl_compat),
	CHARTER_FUNCTION_ENTRY(do_madvise),
);
