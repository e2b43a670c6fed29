// SPDX-License-Identifier: GPL-2.0
/*
 * r17op: file opens by other doors, for tests/vm/attack-paths-doors.sh and
 * attack-hooks-move.sh. Exit status: the errno, 0 on success.
 *
 *   r17op openloop SECS PATH   open PATH O_RDONLY without end for SECS
 *                              seconds; prints "opened N refused M other K";
 *                              exit 1 if any open succeeded, else 0
 *   r17op cwd-openloop SECS DIR NAME  chdir(DIR), then openloop SECS NAME
 *   r17op cwd-later MS DIR NAME       chdir(DIR), sleep MS ms, read NAME
 *   r17op handle-read PATH DIR name_to_handle_at, open_by_handle_at (DIR,
 *                              opened O_RDONLY, names the mount), read
 *   r17op opath-read PATH      open O_PATH, then /proc/self/fd/N O_RDONLY, read
 *   r17op opath-at DIR NAME    open DIR O_PATH, openat(fd, NAME) O_RDONLY, read
 *   r17op idle-exec PROG ARGS  sched_setscheduler(SCHED_IDLE), then execv PROG
 *   r17op spin SECS            burn CPU for SECS seconds
 *   r17op timed PROG ARGS      fork, execv PROG, wait; prints "ms N exit E"
 *   r17op bpf-move             bpf(BPF_LINK_CREATE, BPF_LSM_MAC) of no program
 *                              (fd -1): fails (EBADF), after Charter's bpf
 *                              hook has moved the stubs off the direct
 *                              trampoline; exit: its errno
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <sys/syscall.h>

static int dump(int fd)
{
	char buf[4096];
	ssize_t n;

	if (fd < 0)
		return errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) < 0)
			return errno;
	return n < 0 ? errno : 0;
}

static int openloop(long secs, const char *path)
{
	long opened = 0, refused = 0, other = 0;
	time_t end = time(NULL) + secs;

	while (time(NULL) < end) {
		int i;

		for (i = 0; i < 200; i++) {
			int fd = open(path, O_RDONLY);

			if (fd >= 0) {
				opened++;
				close(fd);
			} else if (errno == EACCES) {
				refused++;
			} else {
				other++;
			}
		}
	}
	printf("opened %ld refused %ld other %ld\n", opened, refused, other);
	return opened ? 1 : 0;
}

int main(int argc, char **argv)
{
	char proc[64];
	int fd;

	if (argc == 4 && !strcmp(argv[1], "openloop"))
		return openloop(atol(argv[2]), argv[3]);
	if (argc == 5 && !strcmp(argv[1], "cwd-openloop")) {
		if (chdir(argv[3]))
			return errno;
		return openloop(atol(argv[2]), argv[4]);
	}
	if (argc == 5 && !strcmp(argv[1], "cwd-later")) {
		if (chdir(argv[3]))
			return errno;
		usleep(atol(argv[2]) * 1000);
		return dump(open(argv[4], O_RDONLY));
	}
	if (argc == 4 && !strcmp(argv[1], "handle-read")) {
		struct file_handle *h = malloc(sizeof(*h) + MAX_HANDLE_SZ);
		int mnt;

		h->handle_bytes = MAX_HANDLE_SZ;
		if (name_to_handle_at(AT_FDCWD, argv[2], h, &mnt, 0))
			return errno;
		fd = open(argv[3], O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			return errno;
		return dump(open_by_handle_at(fd, h, O_RDONLY));
	}
	if (argc == 3 && !strcmp(argv[1], "opath-read")) {
		fd = open(argv[2], O_PATH);
		if (fd < 0)
			return errno;
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		return dump(open(proc, O_RDONLY));
	}
	if (argc == 4 && !strcmp(argv[1], "opath-at")) {
		fd = open(argv[2], O_PATH | O_DIRECTORY);
		if (fd < 0)
			return errno;
		return dump(openat(fd, argv[3], O_RDONLY));
	}
	if (argc >= 3 && !strcmp(argv[1], "idle-exec")) {
		struct sched_param sp = { 0 };

		if (sched_setscheduler(0, SCHED_IDLE, &sp))
			return errno;
		execv(argv[2], argv + 2);
		return errno;
	}
	if (argc == 3 && !strcmp(argv[1], "spin")) {
		time_t end = time(NULL) + atol(argv[2]);
		volatile unsigned long x = 0;

		while (time(NULL) < end)
			for (int i = 0; i < 1000000; i++)
				x++;
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "timed")) {
		struct timespec a, b;
		int st;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &a);
		pid = fork();
		if (pid == 0) {
			execv(argv[2], argv + 2);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		clock_gettime(CLOCK_MONOTONIC, &b);
		printf("ms %ld exit %d\n", (long)((b.tv_sec - a.tv_sec) * 1000 +
			(b.tv_nsec - a.tv_nsec) / 1000000), WEXITSTATUS(st));
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "bpf-move")) {
		union bpf_attr attr;

		memset(&attr, 0, sizeof(attr));
		attr.link_create.prog_fd = -1;
		attr.link_create.target_fd = 0;
		attr.link_create.attach_type = BPF_LSM_MAC;
		return syscall(SYS_bpf, BPF_LINK_CREATE, &attr, sizeof(attr)) ? errno : 0;
	}
	fprintf(stderr, "usage: see r17op.c\n");
	return 2;
}
