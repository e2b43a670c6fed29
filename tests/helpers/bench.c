// SPDX-License-Identifier: GPL-2.0
/*
 * bench: time system calls in the guest of `make bench`. Under QEMU's
 * -icount shift=0 a guest nanosecond is one guest instruction, so the
 * figures are instruction counts, the same from boot to boot.
 *
 *   bench run N FILE PROG      open+close FILE, stat FILE (N times each),
 *                              a UDP datagram to itself over loopback,
 *                              sent and received (N times: the receive
 *                              path every UDP packet takes),
 *                              fork+exec PROG and wait (N/20 times)
 *   bench landlock N FILE PROG the same under a Landlock ruleset that
 *                              allows reading FILE's directory and
 *                              executing PROG (the job a manifest does)
 *   bench noop                 exit at once (the PROG to execute)
 *   bench hold                 wait until killed (a confined task alive)
 * Output: one line per operation: "NAME INSTRUCTIONS_PER_OP".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <linux/landlock.h>
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

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void report(const char *name, long long t0, long n)
{
	printf("%s %lld\n", name, (now() - t0) / n);
}

/* A datagram to itself on 127.0.0.1, sent and received, @n times. */
static int udp_loop(long n)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	char byte = 'x';
	long long t0 = 0;
	long i;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return perror("udp socket"), 1;
	for (i = -10; i < n; i++) {
		if (!i)
			t0 = now();
		if (sendto(fd, &byte, 1, 0, (struct sockaddr *)&a, sizeof(a)) != 1 ||
		    recv(fd, &byte, 1, 0) != 1)
			return perror("udp send/recv"), 1;
	}
	report("udp_send_recv", t0, n);
	close(fd);
	return 0;
}

static int run(long n, const char *file, const char *prog)
{
	struct stat st;
	long long t0;
	long i;

	/* Warm caches (dentries, the digest cache) before timing. */
	for (i = 0; i < 10; i++)
		close(open(file, O_RDONLY));
	t0 = now();
	for (i = 0; i < n; i++) {
		int fd = open(file, O_RDONLY);

		if (fd < 0)
			return perror(file), 1;
		close(fd);
	}
	report("open_close", t0, n);
	t0 = now();
	for (i = 0; i < n; i++)
		if (stat(file, &st))
			return perror(file), 1;
	report("stat", t0, n);
	if (udp_loop(n))
		return 1;
	n = n / 20 ? n / 20 : 1;
	for (i = -2; i < n; i++) {
		int status;
		pid_t pid;

		if (i == 0)
			t0 = now();
		pid = fork();
		if (!pid) {
			execl(prog, prog, "noop", (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || status)
			return fprintf(stderr, "exec %s failed\n", prog), 1;
	}
	report("fork_exec", t0, n);
	return 0;
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

static int landlock(const char *file, const char *prog)
{
	struct landlock_ruleset_attr rs = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE |
				     LANDLOCK_ACCESS_FS_READ_DIR |
				     LANDLOCK_ACCESS_FS_EXECUTE |
				     LANDLOCK_ACCESS_FS_WRITE_FILE,
	};
	char *dir = strdup(file), *slash = strrchr(dir, '/');
	int fd = syscall(SYS_landlock_create_ruleset, &rs, sizeof(rs), 0);

	if (fd < 0 || !slash)
		return perror("landlock_create_ruleset"), 1;
	*slash = '\0';
	if (landlock_allow(fd, dir, LANDLOCK_ACCESS_FS_READ_FILE |
				    LANDLOCK_ACCESS_FS_READ_DIR) ||
	    landlock_allow(fd, prog, LANDLOCK_ACCESS_FS_EXECUTE |
				     LANDLOCK_ACCESS_FS_READ_FILE) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_landlock_restrict_self, fd, 0))
		return perror("landlock"), 1;
	close(fd);
	free(dir);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "noop"))
		return 0;
	if (argc == 2 && !strcmp(argv[1], "hold"))
		return pause();
	if (argc == 5 && !strcmp(argv[1], "run"))
		return run(atol(argv[2]), argv[3], argv[4]);
	if (argc == 5 && !strcmp(argv[1], "landlock"))
		return landlock(argv[3], argv[4]) || run(atol(argv[2]), argv[3], argv[4]);
	fprintf(stderr, "usage: bench run|landlock N FILE PROG | noop | hold\n");
	return 2;
}
