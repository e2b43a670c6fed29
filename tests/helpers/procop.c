// SPDX-License-Identifier: GPL-2.0
/*
 * procop: one operation on another process or on the kernel; exit status
 * 0 or the errno (EFAULT from process_vm_readv means permission passed).
 *
 *   procop sleep SECS              just sleep (a target)
 *   procop ptrace PID | kill PID | vmread PID | getfd PID
 *   procop setown PID | setown-ex PID | fiosetown PID | setown-pgrp PGID
 *                                  make PID (or the group) a pipe's (for
 *                                  FIOSETOWN a socket's) owner, the one its
 *                                  SIGIO would go to
 *   procop renice PID | prlimit PID | sched PID
 *                                  set PID's nice value, RLIMIT_NOFILE or
 *                                  scheduling policy to what they are
 *   procop setown-own-pgrp         lead a new process group, own a pipe by it
 *   procop own-child               fork a child, trace it, kill it
 *   procop pidfd-self              pidfd_open of itself, signal 0 through it
 *   procop pidfd-child             clone(CLONE_PIDFD) a child that exits 7;
 *                                  wait for it through the pidfd
 *   procop traceme PROG ARGS...    fork; the child asks to be traced and
 *                                  execs PROG ARGS (whose status counts)
 *   procop do-traceme              PTRACE_TRACEME (run by traceme)
 *   procop tiocsti | iopl | bpf | perf-cpu | module FILE | userns | clone-ns
 *   procop tioclinux               TIOCLINUX on a pty (past the permission
 *                                  check the driver says ENOTTY: 0)
 *   procop kexec                   kexec_load of nothing (unloads: harmless)
 *   procop kexec-file FILE         kexec_file_load (not a kernel: past the
 *                                  permission check, ENOEXEC: 0)
 *   procop unshare-mnt | unshare-net | unshare-files
 *   procop setns PID               enter PID's network namespace (pidfd)
 *   procop fsopen | fspick DIR | mount-setattr DIR (sets nosuid on DIR's
 *                                  mount) | open-tree DIR | open-tree-clone DIR
 *   procop fsctx new|created PROG ARGS...
 *                                  fsopen("tmpfs") as fd 3 (created: and
 *                                  FSCONFIG_CMD_CREATE), then exec PROG ARGS
 *   procop fsconfig-fd | fsmount-fd    create / mount the context on fd 3
 *   procop unshare-mnt-32 | fsopen-32  the same through the 32-bit system
 *                                  call ABI (int $0x80)
 *   procop session-to-parent FILE  a child gives us a new session keyring
 *                                  (and so a new cred); then read FILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/mount.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "int80.h"

static int err(const char *what)
{
	int e = errno;

	fprintf(stderr, "procop: %s: %s\n", what, strerror(e));
	return e ? e : 255;
}

static int on_pid(const char *op, pid_t pid)
{
	if (!strcmp(op, "ptrace")) {
		if (ptrace(PTRACE_ATTACH, pid, 0, 0))
			return err("ptrace");
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, 0, 0);
		return 0;
	}
	if (!strcmp(op, "kill"))
		return kill(pid, 0) ? err("kill") : 0;
	if (!strcmp(op, "vmread")) {
		char buf[1];
		struct iovec local = { buf, 1 }, remote = { (void *)0x1000, 1 };

		if (process_vm_readv(pid, &local, 1, &remote, 1, 0) < 0 && errno != EFAULT)
			return err("process_vm_readv");
		return 0;
	}
	if (!strncmp(op, "setown", 6) || !strcmp(op, "fiosetown")) {
		int fds[2], who = pid;

		if (pipe(fds))
			return err("pipe");
		if (!strcmp(op, "setown-ex")) {
			struct f_owner_ex o = { .type = F_OWNER_PID, .pid = pid };

			return fcntl(fds[0], F_SETOWN_EX, &o) ? err("F_SETOWN_EX") : 0;
		}
		/* Sockets answer FIOSETOWN; pipes do not. */
		if (!strcmp(op, "fiosetown") && socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
			return err("socketpair");
		if (!strcmp(op, "fiosetown"))
			return ioctl(fds[0], FIOSETOWN, &who) ? err("FIOSETOWN") : 0;
		if (!strcmp(op, "setown-pgrp"))
			who = -pid;
		return fcntl(fds[0], F_SETOWN, who) ? err("F_SETOWN") : 0;
	}
	if (!strcmp(op, "renice")) {
		int nice;

		errno = 0;
		nice = getpriority(PRIO_PROCESS, pid);
		if (errno)
			return err("getpriority");
		return setpriority(PRIO_PROCESS, pid, nice) ? err("setpriority") : 0;
	}
	if (!strcmp(op, "prlimit")) {
		struct rlimit rl;

		if (prlimit(pid, RLIMIT_NOFILE, NULL, &rl))
			return err("prlimit (get)");
		return prlimit(pid, RLIMIT_NOFILE, &rl, NULL) ? err("prlimit") : 0;
	}
	if (!strcmp(op, "sched")) {
		struct sched_param sp = { .sched_priority = 0 };

		return sched_setscheduler(pid, SCHED_OTHER, &sp) ? err("sched_setscheduler") : 0;
	}
	if (!strcmp(op, "getfd")) {
		int pfd = (int)syscall(SYS_pidfd_open, pid, 0);

		if (pfd < 0)
			return err("pidfd_open");
		if (syscall(SYS_pidfd_getfd, pfd, 0, 0) < 0)
			return err("pidfd_getfd");
		return 0;
	}
	return -1;
}

static int pidfd_self(void)
{
	int pfd = (int)syscall(SYS_pidfd_open, getpid(), 0);

	if (pfd < 0)
		return err("pidfd_open");
	if (syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0))
		return err("pidfd_send_signal");
	return 0;
}

static int pidfd_child(void)
{
	siginfo_t info = { 0 };
	int pfd = -1;
	long pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, NULL, &pfd, NULL, 0);

	if (pid < 0)
		return err("clone(CLONE_PIDFD)");
	if (!pid)
		_exit(7);
	if (pfd < 0)
		return err("no pidfd");
	if (waitid(P_PIDFD, (id_t)pfd, &info, WEXITED))
		return err("waitid(P_PIDFD)");
	if (info.si_pid != pid || info.si_status != 7) {
		fprintf(stderr, "procop: child %d status %d\n", info.si_pid, info.si_status);
		return 255;
	}
	return 0;
}

static int own_child(void)
{
	pid_t pid = fork();
	int status;

	if (!pid) {
		pause();
		_exit(0);
	}
	if (ptrace(PTRACE_ATTACH, pid, 0, 0))
		return err("ptrace own child");
	waitpid(pid, &status, __WALL);
	if (kill(pid, SIGKILL))
		return err("kill own child");
	waitpid(pid, &status, __WALL);
	return 0;
}


#define IA32_UNSHARE 310
#define IA32_FSOPEN 430

/* The new mount API (glibc's wrappers clash with linux/mount.h). */
static int mount_op(const char *op, const char *arg)
{
	if (!strcmp(op, "setns") && arg) {
		int fd = (int)syscall(SYS_pidfd_open, atoi(arg), 0);

		if (fd < 0)
			return err("pidfd_open");
		return setns(fd, CLONE_NEWNET) ? err("setns") : 0;
	}
	if (!strcmp(op, "fsopen"))
		return syscall(SYS_fsopen, "tmpfs", 0) < 0 ? err("fsopen") : 0;
	if (!strcmp(op, "fspick") && arg)
		return syscall(SYS_fspick, AT_FDCWD, arg, 0) < 0 ? err("fspick") : 0;
	if (!strcmp(op, "mount-setattr") && arg) {
		struct mount_attr a = { .attr_set = MOUNT_ATTR_NOSUID };

		return syscall(SYS_mount_setattr, AT_FDCWD, arg, 0, &a, sizeof(a)) ?
		       err("mount_setattr") : 0;
	}
	if (!strcmp(op, "open-tree") && arg)
		return syscall(SYS_open_tree, AT_FDCWD, arg, 0) < 0 ?
		       err("open_tree") : 0;
	if (!strcmp(op, "open-tree-clone") && arg)
		return syscall(SYS_open_tree, AT_FDCWD, arg, OPEN_TREE_CLONE) < 0 ?
		       err("open_tree") : 0;
	if (!strcmp(op, "unshare-mnt-32"))
		return int80(IA32_UNSHARE, CLONE_NEWNS, 0, 0) ? err("unshare") : 0;
	if (!strcmp(op, "fsopen-32")) {
		static const char fs[] = "tmpfs";	/* below 4 GiB: not PIE */

		return int80(IA32_FSOPEN, (long)fs, 0, 0) < 0 ? err("fsopen") : 0;
	}
	if (!strcmp(op, "fsconfig-fd"))
		return syscall(SYS_fsconfig, 3, FSCONFIG_CMD_CREATE, NULL, NULL, 0) ?
		       err("fsconfig") : 0;
	if (!strcmp(op, "fsmount-fd"))
		return syscall(SYS_fsmount, 3, 0, 0) < 0 ? err("fsmount") : 0;
	return -1;
}

/* fsctx new|created PROG ARGS...: a filesystem context made outside. */
static int fs_context_exec(char **argv)
{
	int fd = (int)syscall(SYS_fsopen, "tmpfs", 0);

	if (fd < 0)
		return err("fsopen");
	if (!strcmp(argv[0], "created") &&
	    syscall(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return err("fsconfig");
	if (dup2(fd, 3) < 0)
		return err("dup2");
	execv(argv[1], argv + 1);
	return err("exec");
}

/*
 * KEYCTL_SESSION_TO_PARENT from a child: our cred is replaced on our next
 * return to user space. 200 if the session did not change (nothing was
 * tested), else the result of opening FILE with the new cred.
 */
static int session_to_parent(const char *file)
{
	long before = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
			      KEY_SPEC_SESSION_KEYRING, 0);
	pid_t pid = fork();
	int status, fd;

	if (!pid) {
		if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
			_exit(err("join session"));
		_exit(syscall(SYS_keyctl, KEYCTL_SESSION_TO_PARENT) ?
		      err("session to parent") : 0);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
	if (syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
		    KEY_SPEC_SESSION_KEYRING, 0) == before) {
		fprintf(stderr, "procop: the session keyring did not change\n");
		return 200;
	}
	fd = open(file, O_RDONLY);
	return fd < 0 ? err("open") : 0;
}

static int kernel_op(const char *op, const char *arg)
{
	if (!strcmp(op, "tiocsti")) {
		int m = posix_openpt(O_RDWR | O_NOCTTY), s;
		char c = 'x';

		if (m < 0 || grantpt(m) || unlockpt(m))
			return err("pty");
		s = open(ptsname(m), O_RDWR | O_NOCTTY);
		if (s < 0)
			return err("open pts");
		return ioctl(s, TIOCSTI, &c) ? err("TIOCSTI") : 0;
	}
	if (!strcmp(op, "tioclinux")) {
		int m = posix_openpt(O_RDWR | O_NOCTTY);
		char subcode = 6;	/* TIOCL_GETSHIFTSTATE */

		if (m < 0)
			return err("pty");
		if (ioctl(m, TIOCLINUX, &subcode) && errno == EPERM)
			return err("TIOCLINUX");
		return 0;
	}
	if (!strcmp(op, "kexec"))
		return syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL) ? err("kexec_load") : 0;
	if (!strcmp(op, "kexec-file") && arg) {
		int fd = open(arg, O_RDONLY);

		if (fd < 0)
			return err("open");
		if (syscall(SYS_kexec_file_load, fd, -1, 0UL, NULL,
			    0x4UL /* KEXEC_FILE_NO_INITRAMFS */) && errno != ENOEXEC)
			return err("kexec_file_load");
		return 0;
	}
	if (!strcmp(op, "iopl"))
		return iopl(3) ? err("iopl") : 0;
	if (!strcmp(op, "bpf")) {
		struct bpf_insn prog[] = {
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
			{ .code = BPF_JMP | BPF_EXIT },
		};
		union bpf_attr a = {
			.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
			.insn_cnt = 2, .insns = (unsigned long)prog,
			.license = (unsigned long)"GPL",
		};

		return syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a)) < 0 ? err("bpf") : 0;
	}
	if (!strcmp(op, "perf-cpu")) {
		struct perf_event_attr a = { .type = PERF_TYPE_SOFTWARE,
					     .size = sizeof(a),
					     .config = PERF_COUNT_SW_CPU_CLOCK };

		return syscall(SYS_perf_event_open, &a, -1, 0, -1, 0) < 0 ? err("perf") : 0;
	}
	if (!strcmp(op, "module") && arg) {
		int fd = open(arg, O_RDONLY);

		if (fd < 0)
			return err("open");
		/* Not a module: past the permission check, ENOEXEC. */
		if (syscall(SYS_finit_module, fd, "", 0) && errno != ENOEXEC)
			return err("finit_module");
		return 0;
	}
	if (!strcmp(op, "clone-ns")) {
		pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWNS | CLONE_NEWNET | SIGCHLD,
					   0, 0, 0, 0);

		if (pid < 0)
			return err("clone");
		if (!pid)
			_exit(0);
		waitpid(pid, NULL, 0);
		return 0;
	}
	if (!strcmp(op, "userns"))
		return unshare(CLONE_NEWUSER) ? err("unshare") : 0;
	if (!strcmp(op, "unshare-mnt"))
		return unshare(CLONE_NEWNS) ? err("unshare") : 0;
	if (!strcmp(op, "unshare-net"))
		return unshare(CLONE_NEWNET) ? err("unshare") : 0;
	if (!strcmp(op, "unshare-files"))
		return unshare(CLONE_FILES | CLONE_FS) ? err("unshare") : 0;
	return mount_op(op, arg);
}

int main(int argc, char **argv)
{
	int r;

	if (argc == 3 && !strcmp(argv[1], "sleep")) {
		sleep((unsigned int)atoi(argv[2]));
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "setown-own-pgrp")) {
		if (setpgid(0, 0))
			return err("setpgid");
		return on_pid("setown-pgrp", getpid());
	}
	if (argc == 2 && !strcmp(argv[1], "own-child"))
		return own_child();
	if (argc == 2 && !strcmp(argv[1], "pidfd-self"))
		return pidfd_self();
	if (argc == 2 && !strcmp(argv[1], "pidfd-child"))
		return pidfd_child();
	if (argc == 2 && !strcmp(argv[1], "do-traceme"))
		return ptrace(PTRACE_TRACEME, 0, 0, 0) ? err("PTRACE_TRACEME") : 0;
	if (argc >= 3 && !strcmp(argv[1], "traceme")) {
		pid_t pid = fork();
		int status;

		if (!pid) {
			execv(argv[2], argv + 2);
			_exit(err("exec"));
		}
		waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
	}
	if (argc == 3 && !strcmp(argv[1], "session-to-parent"))
		return session_to_parent(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "fsctx"))
		return fs_context_exec(argv + 2);
	if (argc == 3 && (r = on_pid(argv[1], (pid_t)atoi(argv[2]))) >= 0)
		return r;
	if ((r = kernel_op(argv[1], argc > 2 ? argv[2] : NULL)) >= 0)
		return r;
	fprintf(stderr, "usage: see the comment at the top of procop.c\n");
	return 254;
}
