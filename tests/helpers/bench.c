// SPDX-License-Identifier: GPL-2.0
/*
 * bench: time one operation in the guest of `make bench`. Under QEMU's
 * -icount shift=0 a guest nanosecond is one guest instruction, so the
 * figures are instruction counts, the same from boot to boot.
 *
 *   bench open N FILE          open+close FILE
 *   bench stat N FILE          stat FILE
 *   bench exec N PROG          fork, exec PROG noop, wait
 *   bench cold N PROG          the same, after opening PROG for writing
 *                              (untimed), which makes Charter forget its
 *                              digest: every exec hashes it again
 *   bench cmd N PROG ARG...    fork, exec PROG ARG... (output to
 *                              /dev/null), wait; it must exit 0 (no
 *                              untimed run first)
 *   bench connect N PORT       TCP connect to 127.0.0.1:PORT, close (a
 *                              listener of its own on that port; the
 *                              connections are accepted untimed); the
 *                              close aborts (SO_LINGER 0: a reset), so
 *                              no connection is left in TIME_WAIT for
 *                              the next ones to pay for
 *   bench sendto N PORT        a one-byte UDP datagram to 127.0.0.1:PORT
 *                              (a socket of its own bound there; received
 *                              untimed)
 *   bench landlock DIR PROG OP ARG...
 *                              OP under a Landlock ruleset that allows
 *                              reading beneath DIR and executing PROG
 *   bench landlock-abi         print the running kernel's Landlock ABI
 *   bench noop                 exit at once (the PROG to execute)
 *   bench hold                 wait until killed (a confined task alive)
 * Output: the instructions one operation took, on one line; for each of
 * N operations after a few untimed ones that warm the caches.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARM 10
/* Connections and datagrams timed between two untimed drains. */
#define BATCH 32

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int report(long long total, long n)
{
	printf("%lld\n", total / n);
	return 0;
}

static int bench_open(long n, const char *file)
{
	long long t0 = 0;
	long i;

	for (i = -WARM; i < n; i++) {
		int fd;

		if (!i)
			t0 = now();
		fd = open(file, O_RDONLY);
		if (fd < 0)
			return perror(file), 1;
		close(fd);
	}
	return report(now() - t0, n);
}

static int bench_stat(long n, const char *file)
{
	long long t0 = 0;
	struct stat st;
	long i;

	for (i = -WARM; i < n; i++) {
		if (!i)
			t0 = now();
		if (stat(file, &st))
			return perror(file), 1;
	}
	return report(now() - t0, n);
}

/* Fork, exec @argv, wait: 0 when it exited 0. */
static int spawn(char **argv, int quiet)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (quiet)
			dup2(open("/dev/null", O_WRONLY), 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || status) {
		fprintf(stderr, "bench: %s failed (status %d)\n", argv[0],
			pid < 0 ? -1 : status);
		return 1;
	}
	return 0;
}

/* Open @prog for writing and close it: a writer, so its digest goes. */
static int forget(const char *prog)
{
	int fd = open(prog, O_WRONLY);

	if (fd < 0)
		return perror(prog), 1;
	close(fd);
	return 0;
}

/* Fork+exec+wait of @argv, @n times; @cold: forget its digest first. */
static int bench_spawn(long n, char **argv, int cold, int quiet, int warm)
{
	long long total = 0;
	long i;

	for (i = -warm; i < n; i++) {
		long long t0;

		if (cold && forget(argv[0]))
			return 1;
		t0 = now();
		if (spawn(argv, quiet))
			return 1;
		if (i >= 0)
			total += now() - t0;
	}
	return report(total, n);
}

static int bench_exec(long n, const char *prog, int cold)
{
	char *argv[] = { (char *)prog, "noop", NULL };

	return bench_spawn(n, argv, cold, 0, cold ? 1 : 2);
}

static int inet_socket(int type, int port, struct sockaddr_in *a)
{
	int one = 1, fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)a, sizeof(*a)))
		return perror("bench: socket"), -1;
	return fd;
}

/* Accept and close what BATCH connects left in @lfd's queue. */
static int drain_accept(int lfd, int count)
{
	while (count--) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			return perror("bench: accept"), 1;
		close(fd);
	}
	return 0;
}

static int bench_connect(long n, int port)
{
	/*
	 * Each connection left in TIME_WAIT (a plain close) made the next
	 * ones' cost depend on what ran before: 1% apart from run to run
	 * of 2,000, against 0.3% with abortive closes.
	 */
	const struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };
	struct sockaddr_in a;
	long long total = 0;
	long done;
	int lfd = inet_socket(SOCK_STREAM, port, &a);

	if (lfd < 0 || listen(lfd, 4 * BATCH))
		return perror("bench: listen"), 1;
	for (done = -BATCH; done < n; done += BATCH) {
		long long t0 = now();
		int i;

		for (i = 0; i < BATCH; i++) {
			int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

			if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_LINGER,
						 &abort_on_close,
						 sizeof(abort_on_close)) ||
			    connect(fd, (struct sockaddr *)&a, sizeof(a)))
				return perror("bench: connect"), 1;
			close(fd);
		}
		if (done >= 0)
			total += now() - t0;
		if (drain_accept(lfd, BATCH))
			return 1;
	}
	close(lfd);
	return report(total, (n + BATCH - 1) / BATCH * BATCH);
}

static int bench_sendto(long n, int port)
{
	struct sockaddr_in a;
	long long total = 0;
	char byte = 'x';
	long done;
	int rfd = inet_socket(SOCK_DGRAM, port, &a);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (rfd < 0 || fd < 0)
		return perror("bench: udp socket"), 1;
	for (done = -BATCH; done < n; done += BATCH) {
		long long t0 = now();
		int i;

		for (i = 0; i < BATCH; i++)
			if (sendto(fd, &byte, 1, 0, (struct sockaddr *)&a,
				   sizeof(a)) != 1)
				return perror("bench: sendto"), 1;
		if (done >= 0)
			total += now() - t0;
		for (i = 0; i < BATCH; i++)
			if (recv(rfd, &byte, 1, 0) != 1)
				return perror("bench: recv"), 1;
	}
	return report(total, (n + BATCH - 1) / BATCH * BATCH);
}

static int landlock_allow(int ruleset, const char *path, __u64 access)
{
	struct landlock_path_beneath_attr attr = { .allowed_access = access };
	int ret;

	attr.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (attr.parent_fd < 0)
		return -1;
	ret = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH,
		      &attr, 0);
	close(attr.parent_fd);
	return ret;
}

/*
 * A sandbox as Landlock users write one: every file system right of the
 * running kernel's ABI handled, reading beneath @dir and executing @prog
 * allowed, nothing else.
 */
static int landlock(const char *dir, const char *prog)
{
	__u64 all = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
		    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |
		    LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
		    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
		    LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
		    LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
		    LANDLOCK_ACCESS_FS_MAKE_SYM;
	struct landlock_ruleset_attr rs = { .handled_access_fs = all };
	int abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			  LANDLOCK_CREATE_RULESET_VERSION);
	int fd;

	if (abi >= 2)
		rs.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	fd = syscall(SYS_landlock_create_ruleset, &rs, sizeof(rs), 0);
	if (fd < 0)
		return perror("landlock_create_ruleset"), 1;
	if (landlock_allow(fd, dir, LANDLOCK_ACCESS_FS_READ_FILE |
				    LANDLOCK_ACCESS_FS_READ_DIR) ||
	    landlock_allow(fd, prog, LANDLOCK_ACCESS_FS_EXECUTE |
				     LANDLOCK_ACCESS_FS_READ_FILE) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_landlock_restrict_self, fd, 0))
		return perror("landlock"), 1;
	close(fd);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench open|stat|exec|cold N PATH | cmd N PROG ARG... |\n"
		"       connect|sendto N PORT | landlock DIR PROG OP ARG... | landlock-abi |\n"
		"       noop | hold\n");
	return 2;
}

static int dispatch(int argc, char **argv)
{
	const char *op = argv[1];
	long n = argc > 2 ? atol(argv[2]) : 0;

	if (argc == 2 && !strcmp(op, "noop"))
		return 0;
	if (argc == 2 && !strcmp(op, "hold"))
		return pause();
	if (argc == 2 && !strcmp(op, "landlock-abi"))
		return printf("%ld\n", syscall(SYS_landlock_create_ruleset, NULL, 0,
						LANDLOCK_CREATE_RULESET_VERSION)) < 0;
	if (argc > 4 && !strcmp(op, "landlock"))
		return landlock(argv[2], argv[3]) || dispatch(argc - 3, argv + 3);
	if (n <= 0)
		return usage();
	if (argc > 3 && !strcmp(op, "cmd"))
		return bench_spawn(n, argv + 3, 0, 1, 0);
	if (argc != 4)
		return usage();
	if (!strcmp(op, "open"))
		return bench_open(n, argv[3]);
	if (!strcmp(op, "stat"))
		return bench_stat(n, argv[3]);
	if (!strcmp(op, "exec"))
		return bench_exec(n, argv[3], 0);
	if (!strcmp(op, "cold"))
		return bench_exec(n, argv[3], 1);
	if (!strcmp(op, "connect"))
		return bench_connect(n, atoi(argv[3]));
	if (!strcmp(op, "sendto"))
		return bench_sendto(n, atoi(argv[3]));
	return usage();
}

int main(int argc, char **argv)
{
	return argc < 2 ? usage() : dispatch(argc, argv);
}
