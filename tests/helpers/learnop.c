// SPDX-License-Identifier: GPL-2.0
/*
 * learnop: helpers for the learning-manifest attacks (tests/vm/attack-learn-*.sh).
 *
 *   learnop wait-read TRIGGER PATH   wait until TRIGGER exists (access(F_OK)),
 *                                  then read PATH; exit status: errno (0: read)
 *   learnop read PATH                read PATH now; exit status: errno
 *   learnop nl CMD [ATTR...]         a raw genetlink request to the charter
 *                                  family; CMD: get|dump|load-gen|load-gen4|
 *                                  dump-nonul|dump-noname; exit: errno (0: ack
 *                                  or data). "data" lines: attributes seen.
 *   learnop longfiles N DIR [TRIG]   make DIR deep (~4040-byte paths), create
 *                                  N files there, print "made N", wait for TRIG
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "genlmsg.h"
#include "uapi/charter.h"

static int read_path(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno;
	if (read(fd, buf, sizeof(buf)) < 0)
		return errno;
	close(fd);
	return 0;
}

static int fd;
static long data_msgs;

static int transact(struct request *r, unsigned short *family)
{
	static char buf[65536];
	ssize_t n;

	if (send(fd, r, r->nh.nlmsg_len, 0) < 0)
		return errno;
	for (;;) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return errno;
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				return -e->error;
			}
			if (nh->nlmsg_type == NLMSG_DONE) {
				int err = *(int *)NLMSG_DATA(nh);

				return err < 0 ? -err : 0;
			}
			if (family && nh->nlmsg_type == GENL_ID_CTRL) {
				struct nlattr *a = (void *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
				int rem = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

				for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
				       a->nla_len <= rem;
				     rem -= NLA_ALIGN(a->nla_len),
				     a = (void *)((char *)a + NLA_ALIGN(a->nla_len)))
					if (a->nla_type == CTRL_ATTR_FAMILY_ID)
						memcpy(family, (char *)a + NLA_HDRLEN, 2);
			} else {
				data_msgs++;
			}
		}
	}
}

static int nl(int argc, char **argv)
{
	unsigned short family = 0;
	struct request r;
	int err, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0)
		return errno;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	start(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, CHARTER_GENL_NAME, sizeof(CHARTER_GENL_NAME));
	err = transact(&r, &family);
	if (err || !family)
		return err ? err : ENOENT;
	data_msgs = 0;
	if (!strcmp(argv[0], "get")) {
		start(&r, family, CHARTER_CMD_POLICY_GET, NLM_F_ACK | NLM_F_DUMP);
	} else if (!strcmp(argv[0], "dump") && argc > 1) {
		start(&r, family, CHARTER_CMD_LEARN_DUMP, NLM_F_ACK | NLM_F_DUMP);
		put_attr(&r, CHARTER_A_MANIFEST_NAME, argv[1], strlen(argv[1]) + 1);
	} else if (!strcmp(argv[0], "dump-nonul") && argc > 1) {
		start(&r, family, CHARTER_CMD_LEARN_DUMP, NLM_F_ACK | NLM_F_DUMP);
		put_attr(&r, CHARTER_A_MANIFEST_NAME, argv[1], strlen(argv[1]));
	} else if (!strcmp(argv[0], "dump-noname")) {
		start(&r, family, CHARTER_CMD_LEARN_DUMP, NLM_F_ACK | NLM_F_DUMP);
	} else if (!strcmp(argv[0], "load-gen4")) {
		uint32_t g = 0;
		uint8_t chunk[64] = { 0 };

		start(&r, family, CHARTER_CMD_POLICY_LOAD, NLM_F_ACK);
		put_attr(&r, CHARTER_A_POLICY_GENERATION, &g, sizeof(g));
		put_attr(&r, CHARTER_A_POLICY_CHUNK, chunk, sizeof(chunk));
	} else {
		return 254;
	}
	err = transact(&r, NULL);
	printf("data messages: %ld\n", data_msgs);
	return err;
}

static int longfiles(long n, const char *dir, const char *trigger)
{
	char comp[250];
	int d, depth = 0;
	long i;

	memset(comp, 'd', sizeof(comp) - 1);
	comp[sizeof(comp) - 1] = '\0';
	mkdir(dir, 0755);
	if (chdir(dir))
		return errno;
	for (depth = 0; depth < 16; depth++) {
		mkdir(comp, 0755);
		if (chdir(comp))
			return errno;
	}
	d = 0;
	for (i = 0; i < n; i++) {
		char name[64];
		int f;

		snprintf(name, sizeof(name), "f%029ld", i);
		f = open(name, O_WRONLY | O_CREAT, 0644);
		if (f < 0) {
			d = errno;
			break;
		}
		close(f);
	}
	printf("made %ld\n", i);
	fflush(stdout);
	while (trigger && access(trigger, F_OK))
		usleep(50000);
	return d;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "wait-read")) {
		while (access(argv[2], F_OK))
			usleep(20000);
		return read_path(argv[3]);
	}
	if (argc == 3 && !strcmp(argv[1], "read"))
		return read_path(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "nl"))
		return nl(argc - 2, argv + 2);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "longfiles"))
		return longfiles(atol(argv[2]), argv[3], argc == 5 ? argv[4] : NULL);
	fprintf(stderr, "usage: see learnop.c\n");
	return 254;
}
