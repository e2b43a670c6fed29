// SPDX-License-Identifier: GPL-2.0
/*
 * udpatk: datagrams by the other doors (red17e: the sendto address's IPv4
 * fast path, kmod/sockaddr.c). Exit status 0 or the errno.
 *
 *   udpatk mmsg 4|6 OKADDR OKPORT ADDR PORT [unspec]
 *       one sendmmsg() of two datagrams, the first to OKADDR:OKPORT, the
 *       second to ADDR:PORT (its sa_family AF_UNSPEC with "unspec"); prints
 *       "sent N"; exit: 0 if both went, else the errno of a second call
 *       for the second alone (the first was allowed)
 *   udpatk uring-sendmsg|uring-send|uring-async 4|6 ADDR PORT
 *       io_uring SENDMSG (SEND with an address; SENDMSG with IOSQE_ASYNC:
 *       from an io-wq worker); exit: 0 or the -res
 *   udpatk flood ADDR PORT SECS
 *       (unconfined) datagrams from a ring of sources 127.0.0.2-9 to
 *       ADDR:PORT for SECS seconds
 *   udpatk churn ADDR PORT SECS
 *       a UDP socket bound on ADDR:PORT, read a little, closed, again, for
 *       SECS seconds (a socket orphaned while datagrams arrive); prints
 *       "rounds N got M"
 * A 4 socket is AF_INET, a 6 one AF_INET6; ADDR decides the sockaddr.
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
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "inaddr.h"
#include "ring.h"

static int sock(const char *fam)
{
	int fd = socket(fam[0] == '6' ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);

	if (fd < 0) {
		perror("socket");
		exit(errno);
	}
	return fd;
}

static int mmsg(char **a, int unspec)
{
	struct sockaddr_storage ss[2];
	socklen_t len[2];
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct mmsghdr m[2];
	int fd = sock(a[0]), n, i;

	sockaddr_of(a[1], a[2], &ss[0], &len[0]);
	sockaddr_of(a[3], a[4], &ss[1], &len[1]);
	if (unspec)
		ss[1].ss_family = AF_UNSPEC;
	memset(m, 0, sizeof(m));
	for (i = 0; i < 2; i++) {
		m[i].msg_hdr.msg_name = &ss[i];
		m[i].msg_hdr.msg_namelen = len[i];
		m[i].msg_hdr.msg_iov = &iov;
		m[i].msg_hdr.msg_iovlen = 1;
	}
	n = sendmmsg(fd, m, 2, 0);
	printf("sent %d\n", n);
	if (n == 2)
		return 0;
	if (n < 0)
		return errno;
	return sendto(fd, "x", 1, 0, (void *)&ss[1], len[1]) < 0 ? errno : 0;
}

static int uring(const char *op, char **a)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_sqe sqe;
	struct ring r = { .fd = -1 };
	int fd = sock(a[0]), res;

	if (ring_init(&r))
		return errno ? errno : 1;
	sockaddr_of(a[1], a[2], &ss, &len);
	msg.msg_name = &ss;
	msg.msg_namelen = len;
	memset(&sqe, 0, sizeof(sqe));
	sqe.fd = fd;
	if (!strcmp(op, "uring-send")) {
		sqe.opcode = IORING_OP_SEND;
		sqe.addr = (unsigned long)"x";
		sqe.len = 1;
		sqe.addr2 = (unsigned long)&ss;
		sqe.addr_len = len;
	} else {
		sqe.opcode = IORING_OP_SENDMSG;
		sqe.addr = (unsigned long)&msg;
		sqe.len = 1;
		if (!strcmp(op, "uring-async"))
			sqe.flags = IOSQE_ASYNC;
	}
	res = ring_submit(&r, &sqe);
	printf("res %d\n", res);
	return res < 0 ? -res : 0;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int flood(char **a)
{
	struct sockaddr_storage ss;
	socklen_t len;
	double end = now() + atof(a[2]);
	int fds[8], i;
	long n = 0;

	sockaddr_of(a[0], a[1], &ss, &len);
	for (i = 0; i < 8; i++) {
		struct sockaddr_in src = { .sin_family = AF_INET };

		fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
		src.sin_addr.s_addr = htonl(0x7f000002 + i);
		bind(fds[i], (void *)&src, sizeof(src));
	}
	while (now() < end)
		for (i = 0; i < 8; i++, n++)
			sendto(fds[i], "flood", 5, MSG_DONTWAIT, (void *)&ss, len);
	printf("flooded %ld\n", n);
	return 0;
}

static int churn(char **a)
{
	struct sockaddr_storage ss;
	socklen_t len;
	double end = now() + atof(a[2]);
	long rounds = 0, got = 0;
	char buf[64];

	sockaddr_of(a[0], a[1], &ss, &len);
	while (now() < end) {
		int fd = socket(ss.ss_family, SOCK_DGRAM, 0), one = 1, i;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (void *)&ss, len)) {
			int err = errno;

			close(fd);
			if (err == EADDRINUSE)
				continue;
			perror("bind");
			return err;
		}
		for (i = 0; i < 4; i++)
			if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				got++;
		close(fd);
		rounds++;
	}
	printf("rounds %ld got %ld\n", rounds, got);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 7 || argc == 8) && !strcmp(argv[1], "mmsg"))
		return mmsg(argv + 2, argc == 8 && !strcmp(argv[7], "unspec"));
	if (argc == 5 && !strncmp(argv[1], "uring-", 6))
		return uring(argv[1], argv + 2);
	if (argc == 5 && !strcmp(argv[1], "flood"))
		return flood(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "churn"))
		return churn(argv + 2);
	fprintf(stderr, "usage: see the top of udpatk.c\n");
	return 99;
}
