// SPDX-License-Identifier: GPL-2.0
/*
 * dgflood: datagrams and SYNs without end, for unloading under traffic
 * (tests/attack/attack-net-unload-flood.sh). Each runs until killed.
 *
 *   dgflood send PORT BADPORT [SRC]  (from SRC, if given) to 127.0.0.1: sendto, sendmmsg (8 a
 *                               call), io_uring SENDMSG and SEND with an
 *                               address (IOSQE_ASYNC every other one: an
 *                               io-wq worker sends), a cmsg IP_PKTINFO;
 *                               every 4th round one to BADPORT (refused
 *                               in the domain: an event). A refusal of
 *                               PORT is written to stderr as "REFUSED".
 *   dgflood syn PORT            non-blocking TCP connects to 127.0.0.1
 *   dgflood recv PORT           a UDP socket bound on 127.0.0.1:PORT read
 *                               without end, and a TCP listener on the
 *                               same port accepting and closing
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ring.h"

static struct sockaddr_in lo(int port)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(port) };

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return in;
}

static void note(int ret, int port, int good)
{
	if (ret < 0 && port == good && (-ret == EACCES || -ret == EPERM))
		fprintf(stderr, "REFUSED port %d: %s\n", port, strerror(-ret));
}

static int flood_send(int good, int bad, const char *src)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in from = { .sin_family = AF_INET };
	struct ring r = { .fd = -1 };
	int have_ring = !ring_init(&r);
	unsigned long round;

	if (fd < 0)
		return perror("socket"), 255;
	if (src) {
		inet_pton(AF_INET, src, &from.sin_addr);
		if (bind(fd, (void *)&from, sizeof(from)))
			return perror("bind"), errno;
	}
	for (round = 0;; round++) {
		int port = round % 4 == 3 ? bad : good;
		struct sockaddr_in to = lo(port);
		struct iovec iov = { .iov_base = "x", .iov_len = 1 };
		struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to),
				      .msg_iov = &iov, .msg_iovlen = 1 };
		struct mmsghdr mm[8];
		char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr *c;
		struct in_pktinfo *pi;
		int i, ret;

		ret = sendto(fd, "x", 1, 0, (void *)&to, sizeof(to));
		note(ret < 0 ? -errno : 0, port, good);
		for (i = 0; i < 8; i++)
			mm[i] = (struct mmsghdr){ .msg_hdr = msg };
		ret = sendmmsg(fd, mm, 8, 0);
		note(ret < 0 ? -errno : 0, port, good);
		memset(cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi = (struct in_pktinfo *)CMSG_DATA(c);
		pi->ipi_spec_dst.s_addr = htonl(INADDR_LOOPBACK);
		ret = sendmsg(fd, &msg, 0);
		note(ret < 0 ? -errno : 0, port, good);
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
		if (have_ring) {
			struct io_uring_sqe sqe = { .opcode = IORING_OP_SENDMSG, .fd = fd,
						    .addr = (unsigned long)&msg, .len = 1 };

			if (round & 1)
				sqe.flags = IOSQE_ASYNC;
			note(ring_submit(&r, &sqe), port, good);
			sqe = (struct io_uring_sqe){ .opcode = IORING_OP_SEND, .fd = fd,
				.addr = (unsigned long)"x", .len = 1,
				.addr2 = (unsigned long)&to };
			sqe.addr_len = sizeof(to);
			if (round & 1)
				sqe.flags = IOSQE_ASYNC;
			note(ring_submit(&r, &sqe), port, good);
		}
	}
}

static int flood_syn(int port)
{
	struct sockaddr_in to = lo(port);

	for (;;) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (fd < 0)
			return perror("socket"), 255;
		if (connect(fd, (void *)&to, sizeof(to)) && errno != EINPROGRESS &&
		    errno != ECONNREFUSED && errno != EAGAIN)
			note(-errno, port, port);
		close(fd);
	}
}

static int flood_recv(int port)
{
	struct sockaddr_in at = lo(port);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	int t = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int one = 1;
	char buf[64];

	setsockopt(t, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(u, (void *)&at, sizeof(at)) || bind(t, (void *)&at, sizeof(at)) ||
	    listen(t, 64))
		return perror("bind"), errno;
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct pollfd p[2] = { { .fd = u, .events = POLLIN },
				       { .fd = t, .events = POLLIN } };
		int c;

		poll(p, 2, 100);
		while (recv(u, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
		while ((c = accept(t, NULL, NULL)) >= 0)
			close(c);
	}
}

int main(int argc, char **argv)
{
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "send"))
		return flood_send(atoi(argv[2]), atoi(argv[3]),
				  argc == 5 ? argv[4] : NULL);
	if (argc == 3 && !strcmp(argv[1], "syn"))
		return flood_syn(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "recv"))
		return flood_recv(atoi(argv[2]));
	fprintf(stderr, "usage: see dgflood.c\n");
	return 254;
}
