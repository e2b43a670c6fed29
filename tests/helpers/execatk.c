// SPDX-License-Identifier: GPL-2.0
/*
 * execatk: the red team's exec attacks (red17e, "exec judged once":
 * file_open's FMODE_EXEC check in the task's domain, bprm_check only in
 * another one). Exit status: 0 when the program ran (a payload prints
 * "RAN" and exits 0), else the errno of the failed exec.
 *
 * Run under a name that begins with "payload" or "interp", it is the
 * payload: prints "RAN ARGV..." and exits 0 (as a script's interpreter it
 * gets the script's path as an argument).
 *
 *   execatk path PATH [ARGV...] execve(PATH) (with ARGV, argv[0] first)
 *   execatk at-opath PATH       open(PATH, O_PATH), execveat(fd, "", AT_EMPTY_PATH)
 *   execatk at-rdonly PATH      the same, opened O_RDONLY
 *   execatk at-dir DIR NAME     open(DIR, O_PATH|O_DIRECTORY), execveat(fd, NAME)
 *   execatk procfd PATH         open(PATH, O_PATH), execve("/proc/self/fd/N")
 *   execatk memfd PATH          copy PATH into a memfd, execveat it
 *   execatk fd N                execveat(N, "", AT_EMPTY_PATH): a descriptor
 *                               the caller's (unconfined) shell opened
 *   execatk procfd-n N          execve("/proc/self/fd/N")
 *   execatk scm opath|rdonly PATH PROG
 *                               fork PROG recv-exec with a socket on fd 4,
 *                               then (this process, unconfined) open PATH
 *                               and send the descriptor by SCM_RIGHTS;
 *                               exit: PROG's status
 *   execatk recv-exec           receive a descriptor on fd 4, execveat it
 *   execatk uselib PATH         uselib(PATH): 0 or its errno
 *   execatk threads N PATH      N threads execve(PATH) at once (the first
 *                               to win replaces the process)
 *   execatk setinterp FILE NEW  rewrite FILE's PT_INTERP (in place) to NEW,
 *                               no longer than the old one
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_uselib
#define SYS_uselib 134
#endif

extern char **environ;
static char *pay_argv[] = { "payload", "via-exec", NULL };

static int execat(int fd, const char *name, int flags)
{
	syscall(SYS_execveat, fd, name, pay_argv, environ, flags);
	return errno;
}

static int path_exec(const char *path)
{
	execve(path, pay_argv, environ);
	return errno;
}

static int open_exec(const char *path, int flags, const char *name)
{
	int fd = open(path, flags);

	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		return 100 + errno;	/* not the exec's answer */
	}
	return execat(fd, name, AT_EMPTY_PATH);
}

static int procfd(const char *path)
{
	char buf[64];
	int fd = open(path, O_PATH);

	if (fd < 0)
		return 100 + errno;
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	return path_exec(buf);
}

static int memfd(const char *path)
{
	char buf[65536];
	int in = open(path, O_RDONLY), fd;
	ssize_t n;

	if (in < 0) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		return 100 + errno;
	}
	fd = syscall(SYS_memfd_create, "r17e", 0);
	if (fd < 0)
		return 100 + errno;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			return 100 + errno;
	return execat(fd, "", AT_EMPTY_PATH);
}

static int send_fd(int sock, int fd)
{
	char c = 'x';
	struct iovec iov = { &c, 1 };
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.b, .msg_controllen = sizeof(u.b) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) < 0 ? errno : 0;
}

static int recv_fd(int sock)
{
	char c;
	struct iovec iov = { &c, 1 };
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.b, .msg_controllen = sizeof(u.b) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) <= 0)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static int scm(const char *mode, const char *path, const char *prog)
{
	int sv[2], fd, st;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 100 + errno;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		dup2(sv[1], 4);
		execl(prog, prog, "recv-exec", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	/* Let the child be in its domain (exec'd) before the open. */
	usleep(200000);
	fd = open(path, strcmp(mode, "opath") ? O_RDONLY : O_PATH);
	if (fd < 0 || send_fd(sv[0], fd))
		return 100 + errno;
	if (waitpid(pid, &st, 0) < 0)
		return 100 + errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static const char *thread_path;
static pthread_barrier_t thread_start;

static void *thread_exec(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&thread_start);
	path_exec(thread_path);
	return (void *)(long)errno;
}

/*
 * Every thread is made before any calls execve: a clone() sharing the
 * fs_struct fails with EAGAIN while another thread is in execve
 * (copy_fs(), fs->in_exec), which the debug kernel's slow execs made
 * likely.
 */
static int threads(int n, const char *path)
{
	pthread_t t[64];
	void *ret = 0;
	int i, err;

	thread_path = path;
	if (n > 64)
		n = 64;
	pthread_barrier_init(&thread_start, NULL, n);
	for (i = 0; i < n; i++) {
		err = pthread_create(&t[i], NULL, thread_exec, NULL);
		if (err)
			return 100 + err;
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i], &ret);
	return (int)(long)ret;
}

static int setinterp(const char *file, const char *interp)
{
	int fd = open(file, O_RDWR);
	struct stat st;
	unsigned char *p;
	Elf64_Ehdr *eh;
	int i;

	if (fd < 0 || fstat(fd, &st))
		return errno;
	p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return errno;
	eh = (Elf64_Ehdr *)p;
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(p + eh->e_phoff + i * eh->e_phentsize);

		if (ph->p_type != PT_INTERP)
			continue;
		if (strlen(interp) + 1 > ph->p_filesz)
			return E2BIG;
		memset(p + ph->p_offset, 0, ph->p_filesz);
		memcpy(p + ph->p_offset, interp, strlen(interp));
		munmap(p, st.st_size);
		return 0;
	}
	return ENOENT;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (!strncmp(base, "payload", 7) || !strncmp(base, "interp", 6)) {
		int i;

		printf("RAN");
		for (i = 0; i < argc; i++)
			printf(" %s", argv[i]);
		printf("\n");
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "path")) {
		if (argc > 3)
			execve(argv[2], argv + 3, environ);
		else
			execve(argv[2], pay_argv, environ);
		return errno;
	}
	if (argc == 3 && !strcmp(argv[1], "at-opath"))
		return open_exec(argv[2], O_PATH, "");
	if (argc == 3 && !strcmp(argv[1], "at-rdonly"))
		return open_exec(argv[2], O_RDONLY, "");
	if (argc == 4 && !strcmp(argv[1], "at-dir")) {
		int fd = open(argv[2], O_PATH | O_DIRECTORY);

		return fd < 0 ? 100 + errno : execat(fd, argv[3], 0);
	}
	if (argc == 3 && !strcmp(argv[1], "procfd"))
		return procfd(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "memfd"))
		return memfd(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "fd"))
		return execat(atoi(argv[2]), "", AT_EMPTY_PATH);
	if (argc == 3 && !strcmp(argv[1], "procfd-n")) {
		char buf[64];

		snprintf(buf, sizeof(buf), "/proc/self/fd/%s", argv[2]);
		return path_exec(buf);
	}
	if (argc == 5 && !strcmp(argv[1], "scm"))
		return scm(argv[2], argv[3], argv[4]);
	if (argc == 2 && !strcmp(argv[1], "recv-exec")) {
		int fd = recv_fd(4);

		return fd < 0 ? 100 : execat(fd, "", AT_EMPTY_PATH);
	}
	if (argc == 3 && !strcmp(argv[1], "uselib"))
		return syscall(SYS_uselib, argv[2]) ? errno : 0;
	if (argc == 4 && !strcmp(argv[1], "threads"))
		return threads(atoi(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "setinterp"))
		return setinterp(argv[2], argv[3]);
	fprintf(stderr, "usage: see the top of execatk.c\n");
	return 99;
}
