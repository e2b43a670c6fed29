// SPDX-License-Identifier: GPL-2.0
/*
 * netroute: more ways to put a source route on a datagram, for
 * tests/vm/attack-net-cmsg-routes.sh. Exit status 0 or the errno of the first
 * call that failed (254: usage).
 *
 *   netroute flow DST PORT VIA LABEL SHARE   create flow label LABEL (hex)
 *        with an IPV6_RTHDR (type 2 through VIA) as its options
 *        (IPV6_FLOWLABEL_MGR, IPV6_FL_F_CREATE, share SHARE), then send
 *        to DST:PORT with that label (IPV6_FLOWINFO_SEND)
 *   netroute flow-hold VIA LABEL SECS   the same label, share ANY, held
 *        SECS seconds (prints "ready")
 *   netroute flow-use DST PORT LABEL    attach to an existing label
 *        (share ANY, no options) and send with it
 *   netroute race DST PORT VIA N        N sendmsg of an IPV6_RTHDR whose
 *        level a second thread flips between IPV6 and an unknown one
 *        (prints sent/refused/other counts)
 *   netroute uring-sso FAM DST PORT VIA io_uring URING_CMD
 *        SOCKET_URING_OP_SETSOCKOPT IP_OPTIONS / IPV6_RTHDR, then send
 *   netroute c-sso FAM DST PORT VIA     the same setsockopt through the ia32
 *        socketcall() (int $0x80), then send
 *   netroute c-sso2 FAM DST PORT VIA    ia32 setsockopt (nr 366), then send
 *   netroute fd3 FAM DST PORT VIA       sendmsg with the route on fd 3
 *   netroute hold FAM PROG ARGS...      a UDP socket of FAM as fd 3, exec PROG
 *   netroute cork FAM DST PORT VIA      UDP_CORK; the route (cmsg) with
 *        data; plain data; uncork. Exit: the route send's errno.
 *   netroute more FAM DST PORT VIA      the same with MSG_MORE
 *   netroute r2292 DST PORT VIA         IPV6_2292RTHDR cmsg
 *   netroute sticky FAM DST PORT        legitimate sticky options and
 *        cmsgs (hop-by-hop and destination PadN, PKTINFO, hop limit,
 *        TCLASS / IP_PKTINFO spec_dst, TTL, TOS): must send
 *   netroute sock FAM TYPE PROTO        socket() only
 *   netroute uring-zc FAM DST PORT VIA  io_uring IORING_OP_SENDMSG_ZC with the
 *        route in a control message
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/in6.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <pthread.h>
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
#ifndef IPV6_2292RTHDR
#define IPV6_2292RTHDR 5
#endif
#ifndef IPV6_HOPOPTS
#define IPV6_HOPOPTS 54
#endif
#ifndef IPV6_DSTOPTS
#define IPV6_DSTOPTS 59
#endif

struct flreq {
	struct in6_addr flr_dst;
	uint32_t flr_label;
	uint8_t flr_action, flr_share;
	uint16_t flr_flags, flr_expires, flr_linger;
	uint32_t __flr_pad;
};

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "netroute: %s: %s\n", what, strerror(err));
	return err ? err : 255;
}

static int fam;
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
		if (via && inet_pton(AF_INET6, via, &via6) != 1)
			exit(254);
	} else {
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

/* The route's option bytes: RTHDR type 2 (24) or LSRR (8). */
static size_t route_opt(unsigned char *d)
{
	if (fam == AF_INET6) {
		memset(d, 0, 24);
		d[1] = 2; d[2] = 2; d[3] = 1;
		memcpy(d + 8, &via6, 16);
		return 24;
	}
	d[0] = 0x83; d[1] = 7; d[2] = 4;
	memcpy(d + 3, &via4, 4);
	d[7] = 0;
	return 8;
}

static size_t route_cmsg(char *buf, int type)
{
	struct cmsghdr *c = (struct cmsghdr *)buf;
	size_t n;

	memset(buf, 0, CMSG_SPACE(24));
	n = route_opt(CMSG_DATA(c));
	c->cmsg_level = fam == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	c->cmsg_type = type ? type : fam == AF_INET6 ? IPV6_RTHDR : IP_RETOPTS;
	c->cmsg_len = CMSG_LEN(n);
	return CMSG_SPACE(n);
}

static int udp(void)
{
	int fd = socket(fam, SOCK_DGRAM, 0);

	if (fd < 0)
		exit(fail("socket"));
	return fd;
}

static char payload[] = "RT2-ESCAPE";

static int send_plain(int fd, int flags)
{
	if (sendto(fd, payload, sizeof(payload), flags, (void *)&dst, dstlen) < 0)
		return fail("sendto");
	return 0;
}

static int send_route(int fd, int type, int flags)
{
	char cbuf[CMSG_SPACE(24)] __attribute__((aligned(8)));
	struct iovec iov = { payload, sizeof(payload) };
	struct msghdr m = {
		.msg_name = &dst, .msg_namelen = dstlen, .msg_iov = &iov,
		.msg_iovlen = 1, .msg_control = cbuf,
	};

	m.msg_controllen = route_cmsg(cbuf, type);
	if (sendmsg(fd, &m, flags) < 0)
		return fail("sendmsg with the route");
	return 0;
}

/* ---- flow labels ---- */
static int flow_get(int fd, uint32_t label, int share, int create, int opt)
{
	char buf[sizeof(struct flreq) + CMSG_SPACE(24)] __attribute__((aligned(8)));
	struct flreq *r = (void *)buf;
	size_t len = sizeof(*r);

	memset(buf, 0, sizeof(buf));
	r->flr_dst = ((struct sockaddr_in6 *)&dst)->sin6_addr;
	if (!create)
		memset(&r->flr_dst, 0, 16), r->flr_dst.s6_addr[15] = 1;
	r->flr_label = htonl(label);
	r->flr_action = 0;		/* IPV6_FL_A_GET */
	r->flr_share = share;
	r->flr_flags = create ? 1 : 0;	/* IPV6_FL_F_CREATE */
	r->flr_linger = 60;
	r->flr_expires = 60;
	if (opt)
		len += route_cmsg(buf + sizeof(*r), 0);
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_FLOWLABEL_MGR, buf, len))
		return fail("IPV6_FLOWLABEL_MGR");
	return 0;
}

static int flow_send(int fd, uint32_t label)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_IPV6, IPV6_FLOWINFO_SEND, &one, sizeof(one)))
		return fail("IPV6_FLOWINFO_SEND");
	((struct sockaddr_in6 *)&dst)->sin6_flowinfo = htonl(label);
	return send_plain(fd, 0);
}

/* ---- the race ---- */
static char rbuf[CMSG_SPACE(24)] __attribute__((aligned(8)));
static volatile int rstop;

static void *flipper(void *a)
{
	struct cmsghdr *c = (struct cmsghdr *)rbuf;

	(void)a;
	while (!rstop) {
		__atomic_store_n(&c->cmsg_level, IPPROTO_IPV6, __ATOMIC_RELAXED);
		__atomic_store_n(&c->cmsg_level, 1000, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int race(long n)
{
	struct iovec iov = { payload, sizeof(payload) };
	struct msghdr m = {
		.msg_name = &dst, .msg_namelen = dstlen, .msg_iov = &iov,
		.msg_iovlen = 1, .msg_control = rbuf,
	};
	long sent = 0, refused = 0, other = 0;
	pthread_t t;
	int fd = udp();

	m.msg_controllen = route_cmsg(rbuf, 0);
	pthread_create(&t, NULL, flipper, NULL);
	for (long i = 0; i < n; i++) {
		if (sendmsg(fd, &m, 0) >= 0)
			sent++;
		else if (errno == EACCES)
			refused++;
		else
			other++;
	}
	rstop = 1;
	pthread_join(t, NULL);
	printf("sent %ld refused %ld other %ld\n", sent, refused, other);
	return 0;
}

/* ---- setsockopt through other entries ---- */
static unsigned char optbuf[32] __attribute__((aligned(8)));
static unsigned int sc_args[6];

static int sso_level(void) { return fam == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP; }
static int sso_opt(void) { return fam == AF_INET6 ? IPV6_RTHDR : IP_OPTIONS; }

static int uring_sso(int fd)
{
	struct io_uring_sqe sqe;
	struct ring r;
	unsigned char *s = (unsigned char *)&sqe;
	uint32_t v;
	uint64_t p = (uintptr_t)optbuf;
	int res;

	if (ring_init(&r))
		return fail("io_uring_setup");
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_URING_CMD;
	sqe.fd = fd;
	v = 3; memcpy(s + 8, &v, 4);			/* cmd_op SETSOCKOPT */
	v = sso_level(); memcpy(s + 16, &v, 4);		/* level */
	v = sso_opt(); memcpy(s + 20, &v, 4);		/* optname */
	v = route_opt(optbuf); memcpy(s + 44, &v, 4);	/* optlen */
	memcpy(s + 48, &p, 8);				/* optval */
	res = ring_submit(&r, &sqe);
	if (res < 0) {
		errno = -res;
		return fail("io_uring setsockopt");
	}
	return 0;
}

static int c_sso(int fd, int direct)
{
	long len = route_opt(optbuf), ret;

	sc_args[0] = fd;
	sc_args[1] = sso_level();
	sc_args[2] = sso_opt();
	sc_args[3] = (unsigned int)(uintptr_t)optbuf;
	sc_args[4] = len;
	if (direct) {
		long r;
		/* ia32 setsockopt (366): ebx, ecx, edx, esi, edi */
		asm volatile("int $0x80"
			     : "=a"(r) : "a"(366L), "b"((long)fd), "c"((long)sso_level()),
			       "d"((long)sso_opt()), "S"((long)(uintptr_t)optbuf), "D"(len)
			     : "memory", "r8", "r9", "r10", "r11");
		ret = r;
		if (ret < 0 && ret > -4096) {
			errno = -ret;
			return fail("ia32 setsockopt");
		}
		return 0;
	}
	ret = int80(102, 14, (long)(uintptr_t)sc_args, 0);	/* SYS_SETSOCKOPT */
	if (ret < 0)
		return fail("ia32 socketcall setsockopt");
	return 0;
}

static int uring_zc(void)
{
	static char cbuf[CMSG_SPACE(24)] __attribute__((aligned(8)));
	static struct iovec iov = { payload, sizeof(payload) };
	static struct msghdr m;
	struct io_uring_sqe sqe;
	struct ring r;
	int fd = udp(), res;

	m.msg_name = &dst;
	m.msg_namelen = dstlen;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = route_cmsg(cbuf, 0);
	if (ring_init(&r))
		return fail("io_uring_setup");
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_SENDMSG_ZC;
	sqe.fd = fd;
	sqe.addr = (uintptr_t)&m;
	sqe.len = 1;
	res = ring_submit(&r, &sqe);
	if (res < 0) {
		errno = -res;
		return fail("io_uring SENDMSG_ZC");
	}
	usleep(100000);
	return 0;
}

/* ---- legitimate options ---- */
static int sticky(void)
{
	char cbuf[256] __attribute__((aligned(8)));
	struct iovec iov = { payload, sizeof(payload) };
	struct msghdr m = {
		.msg_name = &dst, .msg_namelen = dstlen, .msg_iov = &iov,
		.msg_iovlen = 1, .msg_control = cbuf,
	};
	struct cmsghdr *c;
	int fd = udp(), v = 64;

	memset(cbuf, 0, sizeof(cbuf));
	if (fam == AF_INET6) {
		unsigned char ext[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };	/* PadN */
		struct in6_pktinfo pi = { .ipi6_ifindex = 0 };

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_HOPOPTS, ext, 8))
			return fail("sticky IPV6_HOPOPTS");
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_DSTOPTS, ext, 8))
			return fail("sticky IPV6_DSTOPTS");
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi)))
			return fail("sticky IPV6_PKTINFO");
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)))
			return fail("IPV6_UNICAST_HOPS");
		if (send_plain(fd, 0))
			return errno;
		m.msg_controllen = CMSG_SPACE(8) * 2 + CMSG_SPACE(sizeof(pi)) +
				   CMSG_SPACE(sizeof(int)) * 2;
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = IPPROTO_IPV6; c->cmsg_type = IPV6_HOPOPTS;
		c->cmsg_len = CMSG_LEN(8); memcpy(CMSG_DATA(c), ext, 8);
		c = CMSG_NXTHDR(&m, c);
		c->cmsg_level = IPPROTO_IPV6; c->cmsg_type = IPV6_DSTOPTS;
		c->cmsg_len = CMSG_LEN(8); memcpy(CMSG_DATA(c), ext, 8);
		c = CMSG_NXTHDR(&m, c);
		c->cmsg_level = IPPROTO_IPV6; c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi)); memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		c = CMSG_NXTHDR(&m, c);
		c->cmsg_level = IPPROTO_IPV6; c->cmsg_type = IPV6_HOPLIMIT;
		c->cmsg_len = CMSG_LEN(sizeof(int)); memcpy(CMSG_DATA(c), &v, sizeof(v));
		c = CMSG_NXTHDR(&m, c);
		c->cmsg_level = IPPROTO_IPV6; c->cmsg_type = IPV6_TCLASS;
		c->cmsg_len = CMSG_LEN(sizeof(int)); memset(CMSG_DATA(c), 0, 4);
	} else {
		struct in_pktinfo pi = { .ipi_ifindex = 0 };

		inet_pton(AF_INET, "127.0.0.1", &pi.ipi_spec_dst);
		if (setsockopt(fd, IPPROTO_IP, IP_TTL, &v, sizeof(v)))
			return fail("IP_TTL");
		if (send_plain(fd, 0))
			return errno;
		m.msg_controllen = CMSG_SPACE(sizeof(pi)) + CMSG_SPACE(sizeof(int)) * 2;
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = IPPROTO_IP; c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi)); memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		c = CMSG_NXTHDR(&m, c);
		c->cmsg_level = IPPROTO_IP; c->cmsg_type = IP_TTL;
		c->cmsg_len = CMSG_LEN(sizeof(int)); memcpy(CMSG_DATA(c), &v, sizeof(v));
		c = CMSG_NXTHDR(&m, c);
		c->cmsg_level = IPPROTO_IP; c->cmsg_type = IP_TOS;
		c->cmsg_len = CMSG_LEN(sizeof(int)); memset(CMSG_DATA(c), 0, 4);
	}
	if (sendmsg(fd, &m, 0) < 0)
		return fail("sendmsg with harmless cmsgs");
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	int fd, ret;

	if (!strcmp(op, "flow") && argc >= 7) {
		parse("6", argv[2], argv[3], argv[4]);
		fd = udp();
		ret = flow_get(fd, strtoul(argv[5], NULL, 16), atoi(argv[6]), 1, 1);
		return ret ? ret : flow_send(fd, strtoul(argv[5], NULL, 16));
	}
	if (!strcmp(op, "flow-hold") && argc >= 5) {
		parse("6", "::1", "5300", argv[2]);
		fd = udp();
		ret = flow_get(fd, strtoul(argv[3], NULL, 16), 255, 1, 1);
		if (ret)
			return ret;
		printf("ready\n");
		fflush(stdout);
		sleep(atoi(argv[4]));
		return 0;
	}
	if (!strcmp(op, "flow-use") && argc >= 5) {
		parse("6", argv[2], argv[3], NULL);
		fd = udp();
		ret = flow_get(fd, strtoul(argv[4], NULL, 16), 255, 0, 0);
		return ret ? ret : flow_send(fd, strtoul(argv[4], NULL, 16));
	}
	if (!strcmp(op, "race") && argc >= 6) {
		parse("6", argv[2], argv[3], argv[4]);
		return race(atol(argv[5]));
	}
	if ((!strcmp(op, "uring-sso") || !strcmp(op, "c-sso") || !strcmp(op, "c-sso2")) &&
	    argc >= 6) {
		parse(argv[2], argv[3], argv[4], argv[5]);
		fd = udp();
		ret = !strcmp(op, "uring-sso") ? uring_sso(fd) : c_sso(fd, !strcmp(op, "c-sso2"));
		return ret ? ret : send_plain(fd, 0);
	}
	if (!strcmp(op, "fd3") && argc >= 6) {
		parse(argv[2], argv[3], argv[4], argv[5]);
		return send_route(3, 0, 0);
	}
	if (!strcmp(op, "hold") && argc >= 4) {
		fam = atoi(argv[2]) == 6 ? AF_INET6 : AF_INET;
		fd = udp();
		if (dup2(fd, 3) < 0)
			return fail("dup2");
		execv(argv[3], argv + 3);
		return fail("exec");
	}
	if ((!strcmp(op, "cork") || !strcmp(op, "more")) && argc >= 6) {
		int one = 1, zero = 0, more = !strcmp(op, "more");

		parse(argv[2], argv[3], argv[4], argv[5]);
		fd = udp();
		if (!more && setsockopt(fd, IPPROTO_UDP, UDP_CORK, &one, sizeof(one)))
			return fail("UDP_CORK");
		ret = send_route(fd, 0, more ? MSG_MORE : 0);
		send_plain(fd, more ? MSG_MORE : 0);
		if (more)
			send_plain(fd, 0);
		else
			setsockopt(fd, IPPROTO_UDP, UDP_CORK, &zero, sizeof(zero));
		return ret;
	}
	if (!strcmp(op, "r2292") && argc >= 5) {
		parse("6", argv[2], argv[3], argv[4]);
		return send_route(udp(), IPV6_2292RTHDR, 0);
	}
	if (!strcmp(op, "sticky") && argc >= 5) {
		parse(argv[2], argv[3], argv[4], NULL);
		return sticky();
	}
	if (!strcmp(op, "uring-zc") && argc >= 6) {
		parse(argv[2], argv[3], argv[4], argv[5]);
		return uring_zc();
	}
	if (!strcmp(op, "sock") && argc >= 5) {
		fd = socket(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
		return fd < 0 ? fail("socket") : 0;
	}
	fprintf(stderr, "usage: see netroute.c\n");
	return 254;
}
