// SPDX-License-Identifier: GPL-2.0
/*
 * flowop: other ways to send with an outsider's IPv6 flow label (whose
 * options hold a routing header), for tests/vm/attack-net-flowinfo.sh.
 * Exit status 0 or the errno of the first call that failed (254: usage).
 * LABEL is hex, as netroute's.
 *
 *   flowop send DST PORT LABEL      IPV6_FLOWINFO_SEND, sendto with
 *        sin6_flowinfo LABEL, never attached
 *   flowop connect DST PORT LABEL   the same through connect(), send()
 *   flowop tcp DST PORT LABEL       TCP connect with sin6_flowinfo
 *   flowop attach-exec LABEL PROG ARGS...  a UDPv6 socket attached to
 *        LABEL (share ANY) with IPV6_FLOWINFO_SEND, as fd 3; exec PROG
 *   flowop fd3 DST PORT LABEL       sendto on fd 3 with sin6_flowinfo
 *   flowop uring-mgr DST PORT LABEL  attach through io_uring URING_CMD
 *        SETSOCKOPT, then send with it
 *   flowop c-mgr DST PORT LABEL     attach through ia32 socketcall()
 *   flowop c-mgr2 DST PORT LABEL    attach through ia32 setsockopt (366)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/in6.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "ring.h"
#include "int80.h"

#ifndef IPV6_FLOWLABEL_MGR
#define IPV6_FLOWLABEL_MGR 32
#define IPV6_FLOWINFO_SEND 33
#endif

struct flreq {
	struct in6_addr flr_dst;
	uint32_t flr_label;
	uint8_t flr_action, flr_share;
	uint16_t flr_flags, flr_expires, flr_linger;
	uint32_t __flr_pad;
};

static struct flreq req __attribute__((aligned(8)));
static unsigned int sc_args[6];
static struct sockaddr_in6 dst;
static char payload[] = "RT3-FLOW";

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "flowop: %s: %s\n", what, strerror(err));
	return err ? err : 255;
}

static void parse(const char *a, const char *port, const char *label)
{
	memset(&dst, 0, sizeof(dst));
	dst.sin6_family = AF_INET6;
	dst.sin6_port = htons(atoi(port));
	if (inet_pton(AF_INET6, a, &dst.sin6_addr) != 1)
		exit(254);
	dst.sin6_flowinfo = htonl(strtoul(label, NULL, 16));
}

static int sndflow(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_IPV6, IPV6_FLOWINFO_SEND, &one, sizeof(one)))
		return fail("IPV6_FLOWINFO_SEND");
	return 0;
}

static void mkreq(uint32_t label)
{
	memset(&req, 0, sizeof(req));
	req.flr_dst.s6_addr[15] = 1;
	req.flr_label = htonl(label);
	req.flr_action = 0;	/* IPV6_FL_A_GET */
	req.flr_share = 255;	/* IPV6_FL_S_ANY */
	req.flr_linger = 60;
	req.flr_expires = 60;
}

static int send_it(int fd)
{
	if (sendto(fd, payload, sizeof(payload), 0, (void *)&dst, sizeof(dst)) < 0)
		return fail("sendto");
	return 0;
}

static int mgr_uring(int fd)
{
	struct io_uring_sqe sqe;
	struct ring r;
	unsigned char *s = (unsigned char *)&sqe;
	uint32_t v;
	uint64_t p = (uintptr_t)&req;
	int res;

	if (ring_init(&r))
		return fail("io_uring_setup");
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_URING_CMD;
	sqe.fd = fd;
	v = 3; memcpy(s + 8, &v, 4);			/* SOCKET_URING_OP_SETSOCKOPT */
	v = IPPROTO_IPV6; memcpy(s + 16, &v, 4);
	v = IPV6_FLOWLABEL_MGR; memcpy(s + 20, &v, 4);
	v = sizeof(req); memcpy(s + 44, &v, 4);
	memcpy(s + 48, &p, 8);
	res = ring_submit(&r, &sqe);
	if (res < 0) {
		errno = -res;
		return fail("io_uring setsockopt IPV6_FLOWLABEL_MGR");
	}
	return 0;
}

static int mgr_c(int fd, int direct)
{
	long ret;

	if (direct) {
		asm volatile("int $0x80"
			     : "=a"(ret) : "a"(366L), "b"((long)fd), "c"((long)IPPROTO_IPV6),
			       "d"((long)IPV6_FLOWLABEL_MGR), "S"((long)(uintptr_t)&req),
			       "D"((long)sizeof(req))
			     : "memory", "r8", "r9", "r10", "r11");
		if (ret < 0 && ret > -4096) {
			errno = -ret;
			return fail("ia32 setsockopt IPV6_FLOWLABEL_MGR");
		}
		return 0;
	}
	sc_args[0] = fd;
	sc_args[1] = IPPROTO_IPV6;
	sc_args[2] = IPV6_FLOWLABEL_MGR;
	sc_args[3] = (unsigned int)(uintptr_t)&req;
	sc_args[4] = sizeof(req);
	if (int80(102, 14, (long)(uintptr_t)sc_args, 0) < 0)
		return fail("ia32 socketcall setsockopt IPV6_FLOWLABEL_MGR");
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	int fd, ret;

	if (!strcmp(op, "attach-exec") && argc >= 4) {
		fd = socket(AF_INET6, SOCK_DGRAM, 0);
		if (fd < 0)
			return fail("socket");
		mkreq(strtoul(argv[2], NULL, 16));
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_FLOWLABEL_MGR, &req, sizeof(req)))
			return fail("IPV6_FLOWLABEL_MGR attach");
		if ((ret = sndflow(fd)))
			return ret;
		if (fd != 3 && (dup2(fd, 3) < 0 || close(fd)))
			return fail("dup2");
		execv(argv[3], argv + 3);
		return fail("exec");
	}
	if (argc < 5)
		return 254;
	parse(argv[2], argv[3], argv[4]);
	if (!strcmp(op, "fd3"))
		return send_it(3);
	if (!strcmp(op, "tcp")) {
		fd = socket(AF_INET6, SOCK_STREAM, 0);
		if (fd < 0)
			return fail("socket");
		if ((ret = sndflow(fd)))
			return ret;
		if (connect(fd, (void *)&dst, sizeof(dst)))
			return fail("connect");
		if (write(fd, payload, sizeof(payload)) < 0)
			return fail("write");
		return 0;
	}
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0)
		return fail("socket");
	if ((ret = sndflow(fd)))
		return ret;
	if (!strcmp(op, "send"))
		return send_it(fd);
	if (!strcmp(op, "connect")) {
		if (connect(fd, (void *)&dst, sizeof(dst)))
			return fail("connect");
		if (send(fd, payload, sizeof(payload), 0) < 0)
			return fail("send");
		return 0;
	}
	mkreq(strtoul(argv[4], NULL, 16));
	if (!strcmp(op, "uring-mgr"))
		ret = mgr_uring(fd);
	else if (!strcmp(op, "c-mgr"))
		ret = mgr_c(fd, 0);
	else if (!strcmp(op, "c-mgr2"))
		ret = mgr_c(fd, 1);
	else
		return 254;
	return ret ? ret : send_it(fd);
}
