// SPDX-License-Identifier: GPL-2.0
/*
 * credchurn: many live confined credentials, churned, while each of them
 * is asked about (red team 17i, kmod/cred.c's SLAB_TYPESAFE_BY_RCU table
 * with hlist_nulls chains and entries freed at once).
 *
 * credchurn SECONDS HOLDERS ALLOWED SECRET PORT [EXEC...]
 *   - HOLDERS threads, each with a cred of its own (raw setresgid: this
 *     thread only), so the 1024 chains of the table hold thousands of
 *     entries; each replaces its cred again and again (setresgid,
 *     setgroups, capset: the old one freed, its entry freed and reused
 *     under the walkers of its chain) and tries SECRET (its OWN cred
 *     looked up in a chain being churned) and ALLOWED;
 *   - two threads whose cred never changes, opening both in a loop;
 *   - a forker: children that try SECRET at once, or after an exec that
 *     fails late (each EXEC in turn: ENOEXEC, a bad interpreter, a
 *     manifested program that is no program: bprm->cred, given a domain,
 *     freed), or after an exec with an argv too big (E2BIG);
 *   - a UDP socket on 127.0.0.1:PORT (PORT 0: none) counting datagrams
 *     from 127.0.0.1 (the manifest's peer) and from anywhere else (an
 *     escape: the packet hook looked up the socket's f_cred and missed).
 * Prints the counts; exit 0 when SECRET never opened, no refused datagram
 * arrived and ALLOWED opened; 1 on an escape; 2 when nothing ran.
 *
 * credchurn send PORT SECONDS: unconfined, send datagrams to
 * 127.0.0.1:PORT from 127.0.0.1 and from 127.0.0.2, alternately.
 *
 * credchurn badelf SRC DST: DST is SRC with its ELF interpreter's name
 * changed to one that does not exist (exec fails after bprm->cred).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *allowed, *secret;
static char **execs;
static int nexecs, port;
static atomic_int stop;
static atomic_long secret_opened, secret_refused, allowed_opened, tries, changes;
static atomic_long children, child_escapes, execs_failed;
static atomic_long dgram_ok, dgram_bad;

static void try_open(void)
{
	int fd = open(secret, O_RDONLY);

	atomic_fetch_add(&tries, 1);
	if (fd >= 0) {
		atomic_fetch_add(&secret_opened, 1);
		close(fd);
	} else if (errno == EACCES || errno == EPERM) {
		atomic_fetch_add(&secret_refused, 1);
	}
	fd = open(allowed, O_RDONLY);
	if (fd >= 0) {
		atomic_fetch_add(&allowed_opened, 1);
		close(fd);
	}
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Drop or take back CAP_SYS_ADMIN in this thread's effective set. */
static void cap_toggle(int on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return;
	if (on)
		d[0].effective |= 1U << CAP_SYS_ADMIN;
	else
		d[0].effective &= ~(1U << CAP_SYS_ADMIN);
	syscall(SYS_capset, &h, d);
}

static void *holder(void *arg)
{
	long i = (long)arg;
	gid_t g = 20000 + i;
	unsigned int n = 0;

	/* A cred of this thread's own: raw, not glibc's all-threads one. */
	syscall(SYS_setresgid, -1, g, -1);
	while (!stop) {
		switch (n++ & 3) {
		case 0:
			syscall(SYS_setresgid, -1, g + 100000, -1);
			break;
		case 1:
			syscall(SYS_setresgid, -1, g, -1);
			break;
		case 2:
			syscall(SYS_setgroups, 1, &g);
			break;
		case 3:
			cap_toggle(n & 4);
			break;
		}
		atomic_fetch_add(&changes, 1);
		try_open();
		nap(50 + i % 100);
	}
	cap_toggle(1);
	return NULL;
}

static void *opener(void *arg)
{
	(void)arg;
	while (!stop)
		try_open();
	return NULL;
}

/* Exit 3: SECRET opened; 4: an exec failed and SECRET stayed shut; 0. */
static void child(unsigned int n)
{
	char *argv[3] = { NULL, NULL, NULL }, *envp[] = { NULL };
	int fd, failed = 0;

	switch (n % 3) {
	case 0:
		break;
	case 1:
		if (nexecs) {
			argv[0] = execs[(n / 3) % nexecs];
			execve(argv[0], argv, envp);
			failed = 1;
		}
		break;
	case 2:
		if (nexecs) {
			/* More than MAX_ARG_STRLEN in one string: E2BIG. */
			static char big[200000];

			memset(big, 'a', sizeof(big) - 1);
			argv[0] = execs[(n / 3) % nexecs];
			argv[1] = big;
			execve(argv[0], argv, envp);
			failed = 1;
		}
		break;
	}
	fd = open(secret, O_RDONLY);
	_exit(fd >= 0 ? 3 : failed ? 4 : 0);
}

static void *forker(void *arg)
{
	unsigned int n = 0;

	(void)arg;
	while (!stop) {
		pid_t pid = fork();

		if (pid == 0)
			child(n);
		if (pid > 0) {
			int st;

			waitpid(pid, &st, 0);
			atomic_fetch_add(&children, 1);
			if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
				atomic_fetch_add(&child_escapes, 1);
			if (WIFEXITED(st) && WEXITSTATUS(st) == 4)
				atomic_fetch_add(&execs_failed, 1);
		}
		n++;
	}
	return NULL;
}

static void *udp(void *arg)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct timeval tv = { 0, 100000 };
	int *ready = arg, s = socket(AF_INET, SOCK_DGRAM, 0);
	char buf[64];

	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a))) {
		perror("udp bind");
		*ready = -1;
		return NULL;
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	*ready = 1;
	while (!stop) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);

		if (recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &len) < 0)
			continue;
		if (from.sin_addr.s_addr == htonl(INADDR_LOOPBACK))
			atomic_fetch_add(&dgram_ok, 1);
		else
			atomic_fetch_add(&dgram_bad, 1);
	}
	close(s);
	return NULL;
}

static int sender(int dport, int secs)
{
	struct sockaddr_in to = { .sin_family = AF_INET }, from = to;
	time_t end = time(NULL) + secs;
	int s[2], i;
	long sent = 0;

	to.sin_port = htons(dport);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 2; i++) {
		s[i] = socket(AF_INET, SOCK_DGRAM, 0);
		from.sin_addr.s_addr = htonl(i ? 0x7f000002 : INADDR_LOOPBACK);
		if (s[i] < 0 || bind(s[i], (struct sockaddr *)&from, sizeof(from)))
			return perror("send bind"), 2;
	}
	while (time(NULL) < end) {
		for (i = 0; i < 2; i++)
			if (sendto(s[i], "x", 1, 0, (struct sockaddr *)&to,
				   sizeof(to)) == 1)
				sent++;
		nap(1);
	}
	printf("sent %ld\n", sent);
	return 0;
}

static int badelf(const char *src, const char *dst)
{
	static const char interp[] = "ld-linux-x86-64.so.2";
	static char buf[4 << 20];
	FILE *f = fopen(src, "rb");
	size_t len, i;
	int fd, done = 0;

	if (!f)
		return perror(src), 2;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (i = 0; i + sizeof(interp) <= len; i++)
		if (!memcmp(buf + i, interp, sizeof(interp) - 1)) {
			buf[i + sizeof(interp) - 2] = '9';
			done = 1;
			break;
		}
	if (!done)
		return fprintf(stderr, "no interpreter in %s\n", src), 2;
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		return perror(dst), 2;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t *t;
	pthread_attr_t small;
	int secs, holders, i, n = 0;
	volatile int ready = 0;

	if (argc == 4 && !strcmp(argv[1], "send"))
		return sender(atoi(argv[2]), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "badelf"))
		return badelf(argv[2], argv[3]);
	if (argc < 6)
		return fprintf(stderr, "usage: credchurn SECONDS HOLDERS ALLOWED SECRET PORT [EXEC...]\n"), 2;
	secs = atoi(argv[1]);
	holders = atoi(argv[2]);
	allowed = argv[3];
	secret = argv[4];
	port = atoi(argv[5]);
	execs = argv + 6;
	nexecs = argc - 6;
	signal(SIGCHLD, SIG_DFL);
	t = calloc(holders + 8, sizeof(*t));
	pthread_attr_init(&small);
	pthread_attr_setstacksize(&small, 64 << 10);
	if (port) {
		pthread_create(&t[n++], NULL, udp, (void *)&ready);
		while (!ready)
			nap(1);
		if (ready < 0)
			return 2;
	}
	for (i = 0; i < holders; i++)
		if (pthread_create(&t[n], &small, holder, (void *)(long)i) == 0)
			n++;
	for (i = 0; i < 2; i++)
		pthread_create(&t[n++], NULL, opener, NULL);
	pthread_create(&t[n++], NULL, forker, NULL);
	printf("ready: %d threads\n", n);
	fflush(stdout);
	sleep(secs);
	stop = 1;
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	try_open();
	printf("tries %ld, cred changes %ld, secret opened %ld (refused %ld), allowed opened %ld; "
	       "children %ld (%ld after a failed exec), children that opened the secret %ld; "
	       "datagrams from the peer %ld, from a refused peer %ld\n",
	       atomic_load(&tries), atomic_load(&changes),
	       atomic_load(&secret_opened), atomic_load(&secret_refused),
	       atomic_load(&allowed_opened),
	       atomic_load(&children), atomic_load(&execs_failed),
	       atomic_load(&child_escapes), atomic_load(&dgram_ok),
	       atomic_load(&dgram_bad));
	if (atomic_load(&secret_opened) || atomic_load(&child_escapes) ||
	    atomic_load(&dgram_bad))
		return 1;
	return atomic_load(&allowed_opened) ? 0 : 2;
}
