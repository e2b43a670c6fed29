// SPDX-License-Identifier: GPL-2.0
/*
 * rt_cmsg: sendmsg control messages as an attacker shapes them, for
 * tests/vm/attack-net-cmsg.sh. Exit status 0 or the errno of the call
 * (254: usage, 253: a short sendmmsg, whose count is printed).
 *
 *   rt_cmsg len FAM PROTO DST PORT LEN [EXTRA]
 *        one harmless control message (IP_TOS / IPV6_TCLASS) whose
 *        cmsg_len is LEN (decimal, or "max" for SIZE_MAX), msg_controllen
 *        = CMSG_SPACE(sizeof(int)) + EXTRA; FAM 4|6,
 *        PROTO udp|tcp (tcp: connected first), sent to DST:PORT
 *   rt_cmsg chain FAM DST PORT N [VIA]
 *        N harmless control messages, then (with VIA) a source route
 *        (IP_RETOPTS LSRR or IPV6_RTHDR type 2 through VIA)
 *   rt_cmsg route FAM DST PORT VIA      one sendmsg with the source route
 *   rt_cmsg mmsg FAM DST PORT VIA [bad] sendmmsg of two datagrams to DST:PORT,
 *        the second carrying a source route through VIA (with "bad": a
 *        cmsg_len 0 instead; VIA "none": no control message). An IPv4
 *        VIA on an IPv6 socket (a mapped DST) is an IP_RETOPTS.
 *   rt_cmsg mmsg-first FAM DST PORT VIA  the route in the first message
 *   rt_cmsg zc FAM DST PORT VIA         MSG_ZEROCOPY sendmsg with the route
 *   rt_cmsg uring FAM DST PORT VIA|len0 io_uring IORING_OP_SENDMSG with the
 *        route (or a cmsg_len 0)
 *   rt_cmsg compat FAM DST PORT VIA|len0  int 0x80 sendmsg (compat cmsg
 *        layout) with the route through VIA, or a cmsg_len 0
 *   rt_cmsg compat FAM DST PORT mmsg VIA  int 0x80 sendmmsg: plain, then
 *        the same address with the route
 *   rt_cmsg unix PATH len0|rights  a unix datagram to PATH: cmsg_len 0, or
 *        SCM_RIGHTS of stdin
 *   rt_cmsg tcp-serve FAM ADDR PORT SECS  accept and close (unconfined)
 *   rt_cmsg unix-serve PATH SECS  a unix datagram socket bound at PATH for
 *        SECS seconds; prints "got" for each datagram (unconfined)
 *   rt_cmsg sniff 4|6 VIA SECS   count packets to VIA carrying IP options
 *        (4) or a routing header (6) (packet socket; unconfined)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "ring.h"
#include "int80.h"

#ifndef SO_ZEROCOPY
#define SO_ZEROCOPY 60
#endif
#ifndef MSG_ZEROCOPY
#define MSG_ZEROCOPY 0x4000000
#endif

static const char mark[] = "CMSG-ESCAPE";

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "rt_cmsg: %s: %s\n", what, strerror(err));
	return err ? err : 255;
}

static int fam, rfam;	/* the socket's family, the route's */
static struct sockaddr_storage dst;
static socklen_t dstlen;
static struct in_addr via4;
static struct in6_addr via6;

static void parse(const char *f, const char *a, const char *port, const char *via)
{
	fam = atoi(f) == 6 ? AF_INET6 : AF_INET;
	memset(&dst, 0, sizeof(dst));
	if (fam == AF_INET6) {
		struct sockaddr_in6 *s = (void *)&dst;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(atoi(port));
		if (inet_pton(AF_INET6, a, &s->sin6_addr) != 1)
			exit(254);
		dstlen = sizeof(*s);
		rfam = AF_INET6;
		/* an IPv4 via on an IPv6 socket: IP_RETOPTS (mapped dst) */
		if (via && strchr(via, '.') && inet_pton(AF_INET, via, &via4) == 1)
			rfam = AF_INET;
		else if (via && inet_pton(AF_INET6, via, &via6) != 1)
			exit(254);
	} else {
		rfam = AF_INET;
		struct sockaddr_in *s = (void *)&dst;

		s->sin_family = AF_INET;
		s->sin_port = htons(atoi(port));
		if (inet_pton(AF_INET, a, &s->sin_addr) != 1)
			exit(254);
		dstlen = sizeof(*s);
		if (via && inet_pton(AF_INET, via, &via4) != 1)
			exit(254);
	}
}

/* A source route through the via address at @buf: its CMSG_SPACE. */
static size_t route_cmsg(char *buf)
{
	struct cmsghdr *c = (struct cmsghdr *)buf;
	unsigned char *d = CMSG_DATA(c);

	if (rfam == AF_INET6) {
		memset(buf, 0, CMSG_SPACE(24));
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_RTHDR;
		c->cmsg_len = CMSG_LEN(24);
		d[1] = 2; d[2] = 2; d[3] = 1;	/* type 2, 1 segment left */
		memcpy(d + 8, &via6, 16);
		return CMSG_SPACE(24);
	}
	memset(buf, 0, CMSG_SPACE(8));
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_RETOPTS;
	c->cmsg_len = CMSG_LEN(8);
	d[0] = 0x83; d[1] = 7; d[2] = 4;	/* LSRR, one hop */
	memcpy(d + 3, &via4, 4);
	d[7] = 0;				/* end of options */
	return CMSG_SPACE(8);
}

/* A harmless one: IP_TOS / IPV6_TCLASS 0. */
static size_t tos_cmsg(char *buf)
{
	struct cmsghdr *c = (struct cmsghdr *)buf;
	int zero = 0;

	memset(buf, 0, CMSG_SPACE(sizeof(int)));
	c->cmsg_level = fam == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	c->cmsg_type = fam == AF_INET6 ? IPV6_TCLASS : IP_TOS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	if (fam == AF_INET)
		c->cmsg_len = CMSG_LEN(1);	/* IP_TOS takes an int or a byte */
	memcpy(CMSG_DATA(c), &zero, sizeof(zero));
	return CMSG_SPACE(sizeof(int));
}

static int sock_for(int type)
{
	int fd = socket(fam, type, 0);

	if (fd < 0)
		exit(fail("socket"));
	return fd;
}

static char big[65536] __attribute__((aligned(8)));

static int do_len(int argc, char **argv)
{
	struct iovec iov = { (void *)mark, sizeof(mark) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c = (struct cmsghdr *)big;
	int tcp = !strcmp(argv[3], "tcp");
	size_t extra = argc > 7 ? strtoul(argv[7], NULL, 0) : 0;
	int fd;

	parse(argv[2], argv[4], argv[5], NULL);
	fd = sock_for(tcp ? SOCK_STREAM : SOCK_DGRAM);
	if (tcp && connect(fd, (void *)&dst, dstlen))
		return fail("connect");
	tos_cmsg(big);
	c->cmsg_len = !strcmp(argv[6], "max") ? SIZE_MAX : strtoul(argv[6], NULL, 0);
	m.msg_control = big;
	m.msg_controllen = CMSG_SPACE(sizeof(int)) + extra;
	if (!tcp) {
		m.msg_name = &dst;
		m.msg_namelen = dstlen;
	}
	if (sendmsg(fd, &m, 0) < 0)
		return fail("sendmsg");
	return 0;
}

static int do_chain(int argc, char **argv)
{
	struct iovec iov = { (void *)mark, sizeof(mark) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	long n = atol(argv[5]), i;
	size_t off = 0;
	int fd;

	parse(argv[2], argv[3], argv[4], argc > 6 ? argv[6] : NULL);
	fd = sock_for(SOCK_DGRAM);
	for (i = 0; i < n && off + 64 < sizeof(big); i++)
		off += tos_cmsg(big + off);
	if (argc > 6)
		off += route_cmsg(big + off);
	m.msg_control = big;
	m.msg_controllen = off;
	m.msg_name = &dst;
	m.msg_namelen = dstlen;
	if (sendmsg(fd, &m, 0) < 0)
		return fail("sendmsg");
	return 0;
}

static int do_route(char **argv, int flags)
{
	struct iovec iov = { (void *)mark, sizeof(mark) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int fd, one = 1;

	parse(argv[2], argv[3], argv[4], argv[5]);
	fd = sock_for(SOCK_DGRAM);
	if ((flags & MSG_ZEROCOPY) &&
	    setsockopt(fd, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)))
		return fail("SO_ZEROCOPY");
	m.msg_control = big;
	m.msg_controllen = route_cmsg(big);
	m.msg_name = &dst;
	m.msg_namelen = dstlen;
	if (sendmsg(fd, &m, flags) < 0)
		return fail("sendmsg");
	return 0;
}

static int do_mmsg(int argc, char **argv, int first)
{
	struct iovec iov = { (void *)mark, sizeof(mark) };
	struct mmsghdr mm[2];
	int fd, n, bad = argc > 6 && !strcmp(argv[6], "bad");
	int none = !strcmp(argv[5], "none");

	parse(argv[2], argv[3], argv[4], none ? NULL : argv[5]);
	fd = sock_for(SOCK_DGRAM);
	memset(mm, 0, sizeof(mm));
	for (n = 0; n < 2; n++) {
		mm[n].msg_hdr.msg_iov = &iov;
		mm[n].msg_hdr.msg_iovlen = 1;
		mm[n].msg_hdr.msg_name = &dst;
		mm[n].msg_hdr.msg_namelen = dstlen;
	}
	n = first ? 0 : 1;
	if (none)
		goto send;
	mm[n].msg_hdr.msg_control = big;
	mm[n].msg_hdr.msg_controllen = route_cmsg(big);
	if (bad)
		((struct cmsghdr *)big)->cmsg_len = 0;
send:
	n = sendmmsg(fd, mm, 2, 0);
	if (n < 0)
		return fail("sendmmsg");
	printf("sent %d\n", n);
	if (n != 2) {
		/* the second's errno is lost: ask again for it alone */
		errno = 0;
		if (sendmsg(fd, &mm[1].msg_hdr, 0) < 0)
			return fail("sendmsg of the second alone");
		return 253;
	}
	return 0;
}

static int do_uring(char **argv)
{
	struct iovec iov = { (void *)mark, sizeof(mark) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_sqe sqe;
	struct ring r;
	int fd, res;

	parse(argv[2], argv[3], argv[4], strcmp(argv[5], "len0") ? argv[5] : NULL);
	fd = sock_for(SOCK_DGRAM);
	m.msg_control = big;
	if (!strcmp(argv[5], "len0")) {
		m.msg_controllen = tos_cmsg(big);
		((struct cmsghdr *)big)->cmsg_len = 0;
	} else {
		m.msg_controllen = route_cmsg(big);
	}
	m.msg_name = &dst;
	m.msg_namelen = dstlen;
	if (ring_init(&r))
		return fail("io_uring_setup");
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_SENDMSG;
	sqe.fd = fd;
	sqe.addr = (unsigned long)&m;
	sqe.len = 1;
	res = ring_submit(&r, &sqe);
	if (res < 0) {
		errno = -res;
		return fail("IORING_OP_SENDMSG");
	}
	return 0;
}

/* The ia32 ABI: 32-bit msghdr and cmsghdr, all below 4 GiB (static). */
struct c_msghdr {
	uint32_t name, namelen, iov, iovlen, control, controllen, flags;
};
struct c_mmsghdr {
	struct c_msghdr hdr;
	uint32_t len;
};
struct c_iovec { uint32_t base, len; };
struct c_cmsghdr { uint32_t len; int32_t level, type; };

/* int $0x80 with a fourth argument (esi). */
static struct c_msghdr cm;
static struct c_mmsghdr cmm[2];
static struct c_iovec civ;
static char cbuf[128] __attribute__((aligned(8)));
static char cmark[sizeof(mark)];
static struct sockaddr_storage cdst;

#define C_CMSG_LEN(n) (sizeof(struct c_cmsghdr) + (n))
#define C_CMSG_SPACE(n) (sizeof(struct c_cmsghdr) + (((n) + 3) & ~3u))

static uint32_t lo32(const void *p)
{
	uintptr_t v = (uintptr_t)p;

	if (v >> 32) {
		fprintf(stderr, "rt_cmsg: %p above 4 GiB\n", p);
		exit(254);
	}
	return (uint32_t)v;
}

static size_t compat_route(char *buf)
{
	struct c_cmsghdr *c = (void *)buf;
	unsigned char *d = (unsigned char *)(c + 1);

	memset(buf, 0, 64);
	if (rfam == AF_INET6) {
		c->level = IPPROTO_IPV6;
		c->type = IPV6_RTHDR;
		c->len = C_CMSG_LEN(24);
		d[1] = 2; d[2] = 2; d[3] = 1;
		memcpy(d + 8, &via6, 16);
		return C_CMSG_SPACE(24);
	}
	c->level = IPPROTO_IP;
	c->type = IP_RETOPTS;
	c->len = C_CMSG_LEN(8);
	d[0] = 0x83; d[1] = 7; d[2] = 4;
	memcpy(d + 3, &via4, 4);
	return C_CMSG_SPACE(8);
}

static int do_compat(char **argv)
{
	const char *how = argv[5];
	int fd;
	long ret;

	parse(argv[2], argv[3], argv[4],
	      strcmp(how, "len0") && strcmp(how, "mmsg") ? how : NULL);
	if (!strcmp(how, "mmsg"))
		parse(argv[2], argv[3], argv[4], argv[6]);
	fd = sock_for(SOCK_DGRAM);
	memcpy(cmark, mark, sizeof(mark));
	memcpy(&cdst, &dst, sizeof(dst));
	civ.base = lo32(cmark);
	civ.len = sizeof(cmark);
	cm.name = lo32(&cdst);
	cm.namelen = dstlen;
	cm.iov = lo32(&civ);
	cm.iovlen = 1;
	cm.control = lo32(cbuf);
	if (!strcmp(how, "len0")) {
		struct c_cmsghdr *c = (void *)cbuf;

		memset(cbuf, 0, sizeof(cbuf));
		c->level = fam == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
		c->type = fam == AF_INET6 ? IPV6_TCLASS : IP_TOS;
		c->len = 0;
		cm.controllen = C_CMSG_SPACE(4);
	} else {
		cm.controllen = compat_route(cbuf);
	}
	if (!strcmp(how, "mmsg")) {
		cmm[0].hdr = cm;
		cmm[0].hdr.control = 0;
		cmm[0].hdr.controllen = 0;
		cmm[1].hdr = cm;
		/* ia32 sendmmsg is 345: fd, msgvec, vlen, flags */
		ret = int80_4(345, fd, lo32(cmm), 2, 0);
		if (ret < 0)
			return fail("compat sendmmsg");
		printf("sent %ld\n", ret);
		if (ret == 2)
			return 0;
		/* the second's errno is lost: ask again for it alone */
		errno = 0;
		if (int80(370, fd, lo32(&cmm[1].hdr), 0) < 0)
			return fail("compat sendmsg of the second alone");
		return 253;
	}
	/* ia32 sendmsg is 370 (fd, msg, flags) */
	ret = int80(370, fd, lo32(&cm), 0);
	if (ret < 0)
		return fail("compat sendmsg");
	return 0;
}

static int do_unix(char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct iovec iov = { (void *)mark, sizeof(mark) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c = (struct cmsghdr *)big;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0), in = 1;	/* stdout */

	if (fd < 0)
		return fail("socket");
	strncpy(a.sun_path, argv[2], sizeof(a.sun_path) - 1);
	memset(big, 0, CMSG_SPACE(sizeof(int)));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = !strcmp(argv[3], "len0") ? 0 : CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &in, sizeof(in));
	m.msg_control = big;
	m.msg_controllen = CMSG_SPACE(sizeof(int));
	m.msg_name = &a;
	m.msg_namelen = sizeof(a);
	if (sendmsg(fd, &m, 0) < 0)
		return fail("sendmsg");
	return 0;
}

static int unix_serve(const char *path, int secs)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	time_t end = time(NULL) + secs;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	strncpy(a.sun_path, path, sizeof(a.sun_path) - 1);
	unlink(path);
	if (fd < 0 || bind(fd, (void *)&a, sizeof(a)))
		return fail("bind");
	printf("ready\n");
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 200) > 0 && recv(fd, big, sizeof(big), 0) >= 0) {
			printf("got\n");
			fflush(stdout);
		}
	}
	return 0;
}

/* A TCP listener that accepts and closes, for SECS seconds. */
static int tcp_serve(char **argv)
{
	time_t end = time(NULL) + atoi(argv[5]);
	int fd, one = 1;

	parse(argv[2], argv[3], argv[4], NULL);
	fd = sock_for(SOCK_STREAM);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (void *)&dst, dstlen) || listen(fd, 64))
		return fail("listen");
	printf("ready\n");
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int c;

		if (poll(&pfd, 1, 200) > 0 && (c = accept(fd, NULL, NULL)) >= 0)
			close(c);
	}
	return 0;
}

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

static int sniff(int v, const char *via_s, int secs)
{
	unsigned char p[2048], via[16];
	time_t end = time(NULL) + secs;
	long count = 0;
	int fd;

	if (inet_pton(v == 6 ? AF_INET6 : AF_INET, via_s, via) != 1)
		return 254;
	signal(SIGTERM, on_term);
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(v == 6 ? ETH_P_IPV6 : ETH_P_IP));
	if (fd < 0)
		return fail("packet socket");
	printf("ready\n");
	fflush(stdout);
	while (!stop && time(NULL) < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = recv(fd, p, sizeof(p), MSG_DONTWAIT);
		if (v == 6 && n >= 40 && (p[0] >> 4) == 6 && p[6] == 43 &&
		    !memcmp(p + 24, via, 16))
			count++;
		/* IPv4 with options (IHL > 5) to VIA */
		if (v == 4 && n >= 24 && (p[0] >> 4) == 4 && (p[0] & 15) > 5 &&
		    !memcmp(p + 16, via, 4))
			count++;
	}
	printf("%ld\n", count);
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";

	if (!strcmp(op, "sniff") && argc >= 5)
		return sniff(atoi(argv[2]), argv[3], atoi(argv[4]));
	if (!strcmp(op, "len") && argc >= 7)
		return do_len(argc, argv);
	if (!strcmp(op, "chain") && argc >= 6)
		return do_chain(argc, argv);
	if (!strcmp(op, "route") && argc >= 6)
		return do_route(argv, 0);
	if (!strcmp(op, "zc") && argc >= 6)
		return do_route(argv, MSG_ZEROCOPY);
	if (!strcmp(op, "mmsg") && argc >= 6)
		return do_mmsg(argc, argv, 0);
	if (!strcmp(op, "mmsg-first") && argc >= 6)
		return do_mmsg(argc, argv, 1);
	if (!strcmp(op, "uring") && argc >= 6)
		return do_uring(argv);
	if (!strcmp(op, "compat") && argc >= 6)
		return do_compat(argv);
	if (!strcmp(op, "tcp-serve") && argc >= 6)
		return tcp_serve(argv);
	if (!strcmp(op, "unix-serve") && argc >= 4)
		return unix_serve(argv[2], atoi(argv[3]));
	if (!strcmp(op, "unix") && argc >= 4)
		return do_unix(argv);
	fprintf(stderr, "usage: see rt_cmsg.c\n");
	return 254;
}
