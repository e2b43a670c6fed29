// SPDX-License-Identifier: GPL-2.0
/*
 * nlop: talk to Charter's generic netlink family through a socket opened
 * by someone else, as a confined program that inherited it would.
 *
 *   nlop hold PROG ARGS...   open a NETLINK_GENERIC socket as fd 3, exec PROG
 *   nlop mode MODE           on fd 3: CHARTER_CMD_SET_MODE (MODE is a number)
 *   nlop lock                on fd 3: CHARTER_CMD_LOCK
 *   nlop list|ps|get         on fd 3: the dump CHARTER_CMD_POLICY_LIST,
 *                            _TASK_LIST or _POLICY_GET (reading the policy);
 *                            prints "messages N" when it ends
 *
 * Exit status 0 when the kernel acknowledged, else the errno it answered
 * (its extended-ack message on stderr).
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "genlmsg.h"
#include "uapi/charter.h"

#define NL_FD 3

/* The extended-ack message of an error answer, if any. */
static const char *ack_message(const struct nlmsghdr *nh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);

	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	/* After the whole echoed request (the socket does not cap acks). */
	return find_attr(nh, (const struct nlattr *)((const char *)&e->msg +
						     NLMSG_ALIGN(e->msg.nlmsg_len)),
			 NLMSGERR_ATTR_MSG, NULL);
}

/*
 * Send @r and read answers until the ack: 0, or the errno it carries.
 * With @family set, the CTRL_ATTR_FAMILY_ID of a reply is stored there.
 */
static int transact(struct request *r, unsigned short *family)
{
	char buf[8192];
	ssize_t n;

	if (send(NL_FD, r, r->nh.nlmsg_len, 0) < 0)
		return errno;
	for (;;) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;
		static long messages;

		n = recv(NL_FD, buf, sizeof(buf), 0);
		if (n < 0)
			return errno;
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_DONE) {
				/* The end of a dump: its status, its message. */
				const char *msg = find_attr(nh, (const struct nlattr *)
					((char *)NLMSG_DATA(nh) + sizeof(int)), NLMSGERR_ATTR_MSG, NULL);

				if (msg)
					fprintf(stderr, "nlop: %s\n", msg);
				printf("messages %ld\n", messages);
				return -*(int *)NLMSG_DATA(nh);
			}
			if (nh->nlmsg_type >= NLMSG_MIN_TYPE && nh->nlmsg_type != GENL_ID_CTRL)
				messages++;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);
				const char *msg = ack_message(nh);

				if (msg)
					fprintf(stderr, "nlop: %s\n", msg);
				return -e->error;
			}
			if (family && nh->nlmsg_type == GENL_ID_CTRL) {
				const void *id = find_attr(nh, (const struct nlattr *)
					((char *)NLMSG_DATA(nh) + GENL_HDRLEN),
					CTRL_ATTR_FAMILY_ID, NULL);

				if (id)
					memcpy(family, id, sizeof(*family));
			}
		}
	}
}

static int family_id(unsigned short *family)
{
	struct request r;
	int err;

	start(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, CHARTER_GENL_NAME,
		 sizeof(CHARTER_GENL_NAME));
	*family = 0;
	err = transact(&r, family);
	if (!err && !*family)
		err = ENOENT;
	return err;
}

int main(int argc, char **argv)
{
	unsigned short family;
	struct request r;
	int err;

	if (argc >= 3 && !strcmp(argv[1], "hold")) {
		int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC), one = 1;

		if (fd < 0 || dup2(fd, NL_FD) < 0 ||
		    setsockopt(NL_FD, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one))) {
			perror("nlop: socket");
			return errno;
		}
		execv(argv[2], argv + 2);
		perror("nlop: exec");
		return errno;
	}
	err = family_id(&family);
	if (err) {
		fprintf(stderr, "nlop: no charter family: %s\n", strerror(err));
		return err;
	}
	if (argc == 3 && !strcmp(argv[1], "mode")) {
		unsigned char mode = (unsigned char)atoi(argv[2]);

		start(&r, family, CHARTER_CMD_SET_MODE, NLM_F_ACK);
		put_attr(&r, CHARTER_A_MODE, &mode, sizeof(mode));
	} else if (argc == 2 && !strcmp(argv[1], "lock")) {
		start(&r, family, CHARTER_CMD_LOCK, NLM_F_ACK);
	} else if (argc == 2 && (!strcmp(argv[1], "list") || !strcmp(argv[1], "ps") ||
				 !strcmp(argv[1], "get"))) {
		start(&r, family, !strcmp(argv[1], "list") ? CHARTER_CMD_POLICY_LIST :
				  !strcmp(argv[1], "ps") ? CHARTER_CMD_TASK_LIST :
				  CHARTER_CMD_POLICY_GET, NLM_F_ACK | NLM_F_DUMP);
	} else {
		fprintf(stderr, "usage: see the comment at the top of nlop.c\n");
		return 254;
	}
	return transact(&r, NULL);
}
