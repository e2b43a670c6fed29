// SPDX-License-Identifier: GPL-2.0
/*
 * ctlop: red team 16b's client for CHARTER_CMD_TASK_LIST and
 * CHARTER_CMD_MANIFEST_QUERY.
 *
 *   ctlop query NAME HEX SIZE [VARIANT]   VARIANT: shortsha nosize nonul
 *        hugename u32size noname longsha norun; the run path asked about
 *        is $CTLOP_RUN (none when unset); prints the reply's attributes
 *   ctlop ps [opener=UID] [drop=UID] [userns] [pidns] [hold=SECS]
 *        dump the task list; prints "pid comm name..." lines and
 *        "entries N" ; exit status the dump's errno (0: complete)
 *   ctlop psloop N       N dumps; exit 1 if a dump lists a pid twice or
 *        out of order
 *   ctlop spawn N        fork N children that exit at once (some as
 *        threads, some after setresuid, some left zombies a while)
 *   ctlop stallrun SECS FILE SRC CMD...  run CMD with stderr into a full
 *        pipe; when CMD blocks writing to it, rename SRC over FILE, then
 *        drain the pipe to our stderr; exit CMD's status
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "genlmsg.h"
#include "uapi/charter.h"

static int fd = -1;

static const char *ack_message(const struct nlmsghdr *nh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	const char *base = (const char *)&e->msg;

	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (nh->nlmsg_type == NLMSG_ERROR && !(nh->nlmsg_flags & NLM_F_CAPPED))
		base += NLMSG_ALIGN(e->msg.nlmsg_len);
	else if (nh->nlmsg_type == NLMSG_ERROR)
		base += sizeof(e->msg);
	else
		base = (const char *)NLMSG_DATA(nh) + sizeof(int);
	return find_attr(nh, (const struct nlattr *)base, NLMSGERR_ATTR_MSG, NULL);
}

static void print_attrs(const struct nlmsghdr *nh)
{
	const struct nlattr *a = (const void *)((const char *)NLMSG_DATA(nh) + GENL_HDRLEN);
	int rem = (int)nh->nlmsg_len - (int)((const char *)a - (const char *)nh);

	for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;
	     rem -= NLA_ALIGN(a->nla_len),
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		const unsigned char *d = (const unsigned char *)a + NLA_HDRLEN;
		int len = a->nla_len - NLA_HDRLEN;

		printf("attr %u len %d:", a->nla_type & NLA_TYPE_MASK, len);
		if (a->nla_type == CHARTER_A_MANIFEST_NAME || a->nla_type == CHARTER_A_MANIFEST_AUTHOR ||
		    a->nla_type == CHARTER_A_MANIFEST_RUN || a->nla_type == CHARTER_A_MANIFEST_RUN_ALIAS)
			printf(" %.*s", len, (const char *)d);
		else if (len == 4)
			printf(" %u", *(const uint32_t *)d);
		else if (len == 1)
			printf(" %u", *d);
		else if (len == 8)
			printf(" %llu", (unsigned long long)*(const uint64_t *)d);
		printf("\n");
	}
}

static int family_id(unsigned short *family)
{
	struct request r;
	char buf[8192];
	ssize_t n;

	start(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, CHARTER_GENL_NAME, sizeof(CHARTER_GENL_NAME));
	if (send(fd, &r, r.nh.nlmsg_len, 0) < 0)
		return errno;
	*family = 0;
	for (;;) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return errno;
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				int e = -((struct nlmsgerr *)NLMSG_DATA(nh))->error;

				return e ? e : (*family ? 0 : ENOENT);
			}
			if (nh->nlmsg_type == GENL_ID_CTRL) {
				const void *id = find_attr(nh, (const struct nlattr *)
					((char *)NLMSG_DATA(nh) + GENL_HDRLEN),
					CTRL_ATTR_FAMILY_ID, NULL);
				if (id)
					memcpy(family, id, sizeof(*family));
			}
		}
	}
}

static int open_socket(void)
{
	int one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0)
		return errno;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return 0;
}

/* Read answers until the ack or NLMSG_DONE; ps lines for task messages. */
static int receive(int quiet, long *entries, int check_order)
{
	static char buf[65536];
	long last = -1;
	ssize_t n;

	for (;;) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return errno;
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_ERROR || nh->nlmsg_type == NLMSG_DONE) {
				int e = nh->nlmsg_type == NLMSG_ERROR ?
					-((struct nlmsgerr *)NLMSG_DATA(nh))->error :
					-*(int *)NLMSG_DATA(nh);
				const char *msg = ack_message(nh);

				if (msg)
					fprintf(stderr, "ctlop: %s\n", msg);
				return e;
			}
			{
				struct genlmsghdr *g = NLMSG_DATA(nh);
				const struct nlattr *a = (const void *)((char *)g + GENL_HDRLEN);

				if (g->cmd == CHARTER_CMD_TASK_LIST) {
					const uint32_t *pid = find_attr(nh, a, CHARTER_A_TASK_PID, NULL);
					const char *comm = find_attr(nh, a, CHARTER_A_TASK_COMM, NULL);
					long p = pid ? (long)*pid : -2;

					(*entries)++;
					if (check_order && p <= last) {
						fprintf(stderr, "ctlop: pid %ld after %ld\n", p, last);
						return 1000;
					}
					last = p;
					if (!quiet)
						printf("%ld %s\n", p, comm ? comm : "?");
				} else if (!quiet) {
					print_attrs(nh);
				}
			}
		}
	}
}

static void userns(void)
{
	char m[64];
	int f;

	if (unshare(CLONE_NEWUSER)) {
		perror("ctlop: unshare user");
		exit(errno);
	}
	f = open("/proc/self/setgroups", O_WRONLY);
	if (f >= 0) { (void)!write(f, "deny", 4); close(f); }
	snprintf(m, sizeof(m), "0 %u 1", getuid());
	f = open("/proc/self/uid_map", O_WRONLY);
	if (f < 0 || write(f, m, strlen(m)) < 0) { perror("ctlop: uid_map"); exit(errno); }
	close(f);
	snprintf(m, sizeof(m), "0 %u 1", getgid());
	f = open("/proc/self/gid_map", O_WRONLY);
	if (f < 0 || write(f, m, strlen(m)) < 0) { perror("ctlop: gid_map"); exit(errno); }
	close(f);
}

static int ps(int argc, char **argv)
{
	int opener = -1, drop = -1, hold = 0, un = 0, pidns = 0, err, i;
	unsigned short family;
	struct request r;
	long entries = 0;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "opener=", 7)) opener = atoi(argv[i] + 7);
		else if (!strncmp(argv[i], "drop=", 5)) drop = atoi(argv[i] + 5);
		else if (!strncmp(argv[i], "hold=", 5)) hold = atoi(argv[i] + 5);
		else if (!strcmp(argv[i], "userns")) un = 1;
		else if (!strcmp(argv[i], "pidns")) pidns = 1;
	}
	if (pidns) {
		pid_t p;
		int st;

		if (unshare(CLONE_NEWPID)) { perror("ctlop: unshare pid"); return errno; }
		p = fork();
		if (p) {
			waitpid(p, &st, 0);
			return WIFEXITED(st) ? WEXITSTATUS(st) : 200;
		}
	}
	if (un) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)) {
			perror("ctlop: setresuid");
			return errno;
		}
		prctl(PR_SET_DUMPABLE, 1);
		userns();
	}
	if (opener >= 0 && seteuid(opener)) { perror("ctlop: seteuid"); return errno; }
	err = open_socket();
	if (opener >= 0 && seteuid(0)) { perror("ctlop: seteuid back"); return errno; }
	if (err) { fprintf(stderr, "ctlop: socket: %s\n", strerror(err)); return err; }
	err = family_id(&family);
	if (err) { fprintf(stderr, "ctlop: family: %s\n", strerror(err)); return err; }
	start(&r, family, CHARTER_CMD_TASK_LIST, NLM_F_DUMP);
	if (send(fd, &r, r.nh.nlmsg_len, 0) < 0) return errno;
	if (drop >= 0 && (setresgid(drop, drop, drop) || setresuid(drop, drop, drop))) {
		perror("ctlop: drop");
		return errno;
	}
	if (hold) {
		printf("holding\n");
		fflush(stdout);
		sleep(hold);
	}
	err = receive(0, &entries, 1);
	printf("entries %ld\n", entries);
	return err;
}

static int psloop(long n)
{
	unsigned short family;
	struct request r;
	long i;
	int err = open_socket();

	if (err || (err = family_id(&family)))
		return err;
	for (i = 0; i < n; i++) {
		long entries = 0;

		start(&r, family, CHARTER_CMD_TASK_LIST, NLM_F_DUMP);
		if (send(fd, &r, r.nh.nlmsg_len, 0) < 0)
			return errno;
		err = receive(1, &entries, 1);
		if (err) {
			fprintf(stderr, "ctlop: dump %ld: %d after %ld entries\n", i, err, entries);
			return err == 1000 ? 1 : err;
		}
	}
	printf("psloop: %ld dumps ok\n", n);
	return 0;
}

static void *thread_fn(void *arg)
{
	(void)arg;
	return NULL;
}

static int spawn(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			switch (i % 4) {
			case 1: {
				pthread_t t;

				if (!pthread_create(&t, NULL, thread_fn, NULL))
					pthread_join(t, NULL);
				break;
			}
			case 2:
				if (setresuid(65534, 65534, 65534)) {}
				break;
			case 3: {
				pthread_t t;

				/* The leader exits first: a zombie leader, a live thread. */
				if (!pthread_create(&t, NULL, thread_fn, NULL))
					pthread_exit(NULL);
				break;
			}
			}
			_exit(0);
		}
		if (p < 0) {
			usleep(1000);
			continue;
		}
		if (i % 64 == 63)
			while (waitpid(-1, NULL, WNOHANG) > 0) {}
	}
	while (wait(NULL) > 0) {}
	printf("spawned %ld\n", n);
	return 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
}

static int query(int argc, char **argv)
{
	const char *variant = argc > 3 ? argv[3] : "";
	unsigned char sha[40] = { 0 };
	unsigned long long size = strtoull(argv[2], NULL, 10);
	unsigned short family;
	struct request r;
	long entries = 0;
	char huge[600];
	int err, i;

	for (i = 0; i < 32 && argv[1][2 * i] && argv[1][2 * i + 1]; i++)
		sha[i] = (unsigned char)(hexval(argv[1][2 * i]) << 4 | hexval(argv[1][2 * i + 1]));
	err = open_socket();
	if (err || (err = family_id(&family)))
		return err;
	start(&r, family, CHARTER_CMD_MANIFEST_QUERY, NLM_F_ACK);
	if (!strcmp(variant, "hugename")) {
		memset(huge, 'a', sizeof(huge) - 1);
		huge[sizeof(huge) - 1] = 0;
		put_attr(&r, CHARTER_A_MANIFEST_NAME, huge, sizeof(huge));
	} else if (!strcmp(variant, "nonul")) {
		put_attr(&r, CHARTER_A_MANIFEST_NAME, argv[0], strlen(argv[0]));
	} else if (strcmp(variant, "noname")) {
		put_attr(&r, CHARTER_A_MANIFEST_NAME, argv[0], strlen(argv[0]) + 1);
	}
	if (!strcmp(variant, "shortsha"))
		put_attr(&r, CHARTER_A_MANIFEST_SHA256, sha, 31);
	else if (!strcmp(variant, "longsha"))
		put_attr(&r, CHARTER_A_MANIFEST_SHA256, sha, 33);
	else
		put_attr(&r, CHARTER_A_MANIFEST_SHA256, sha, 32);
	if (!strcmp(variant, "u32size")) {
		uint32_t s = (uint32_t)size;

		put_attr(&r, CHARTER_A_MANIFEST_EXE_SIZE, &s, 4);
	} else if (strcmp(variant, "nosize")) {
		put_attr(&r, CHARTER_A_MANIFEST_EXE_SIZE, &size, 8);
	}
	if (getenv("CTLOP_RUN") && strcmp(variant, "norun"))
		put_attr(&r, CHARTER_A_MANIFEST_RUN, getenv("CTLOP_RUN"),
			 strlen(getenv("CTLOP_RUN")) + 1);
	if (send(fd, &r, r.nh.nlmsg_len, 0) < 0)
		return errno;
	return receive(0, &entries, 0);
}

/*
 * Run CMD with its stderr the write end of a one-page pipe filled to the
 * brim: its first write to stderr blocks. Then (the caller's hash taken,
 * its query answered) swap the file, and drain.
 */
static int stallrun(int argc, char **argv)
{
	int secs = atoi(argv[0]), p[2], st;
	char buf[4096];
	pid_t child;
	ssize_t n;

	(void)argc;

	if (pipe(p) || fcntl(p[1], F_SETPIPE_SZ, 4096) < 0)
		return errno;
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (write(p[1], "x", 1) == 1) {}
	fcntl(p[1], F_SETFL, 0);
	child = fork();
	if (child == 0) {
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(argv[3], argv + 3);
		_exit(127);
	}
	close(p[1]);
	/* Until CMD blocks in write(2, ...): its hash taken, its query made. */
	for (int t = 0; t < secs * 20; t++) {
		char path[64], sc[128] = "";
		int f;

		snprintf(path, sizeof(path), "/proc/%d/syscall", (int)child);
		f = open(path, O_RDONLY);
		if (f >= 0) {
			(void)!read(f, sc, sizeof(sc) - 1);
			close(f);
		}
		if (!strncmp(sc, "1 0x2 ", 6)) {
			fprintf(stderr, "ctlop: blocked in write after %d ms\n", t * 50);
			break;
		}
		usleep(50000);
	}
	if (rename(argv[2], argv[1]))
		perror("ctlop: rename");
	else
		fprintf(stderr, "ctlop: swapped %s\n", argv[1]);
	/* The filler, then what CMD wrote. */
	n = read(p[0], buf, sizeof(buf));
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		(void)!write(2, buf, n);
	waitpid(child, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 5 && !strcmp(argv[1], "query"))
		return query(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "ps"))
		return ps(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "psloop"))
		return psloop(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "spawn"))
		return spawn(atol(argv[2]));
	if (argc >= 6 && !strcmp(argv[1], "stallrun"))
		return stallrun(argc - 2, argv + 2);
	fprintf(stderr, "usage: see ctlop.c\n");
	return 254;
}
