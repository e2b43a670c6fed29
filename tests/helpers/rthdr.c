// SPDX-License-Identifier: GPL-2.0
/*
 * rthdr: IPv6 type 2 routing headers (Mobile IPv6, CONFIG_IPV6_MIP6), the
 * one routing header ip6_datagram_send_ctl() takes, without any capability,
 * from a sendmsg's control messages and from IPV6_2292PKTOPTIONS.
 * fl6_update_dst() then routes the packet to the header's address, and
 * ipv6_push_rthdr0() writes that address as the packet's destination: the
 * packet goes to VIA, the address named in the call only rides in the
 * header. Exit status 0 or the errno.
 *
 *   rthdr udp DST PORT VIA cmsg      sendto [DST]:PORT, IPV6_RTHDR cmsg via VIA
 *   rthdr udp DST PORT VIA sticky    IPV6_2292PKTOPTIONS (the same header,
 *                                    for every packet), then sendto
 *   rthdr udpc DST PORT VIA cmsg     connect [DST]:PORT, then send() with the
 *                                    cmsg (no address named in the call)
 *   rthdr tcp DST PORT VIA           IPV6_2292PKTOPTIONS, then connect
 *                                    (non-blocking: the SYN is sent)
 *   rthdr plain DST PORT             sendto [DST]:PORT, no header
 *   rthdr sniff VIA SECS             count, for SECS seconds or until
 *                                    SIGTERM, IPv6 packets whose
 *                                    destination is VIA and that carry a
 *                                    routing header (packet socket); print
 *                                    the count at the end
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IPV6_2292PKTOPTIONS
#define IPV6_2292PKTOPTIONS 6
#endif

static const char mark[] = "RTHDR-ESCAPE";

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "rthdr: %s: %s\n", what, strerror(err));
	return err ? err : 255;
}

static void addr6(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "rthdr: bad address %s\n", s);
		exit(254);
	}
}

/* struct rt2_hdr: next header, hdrlen 2, type 2, segments left 1, reserved, address. */
static void rt2(unsigned char h[24], const struct in6_addr *via)
{
	memset(h, 0, 24);
	h[1] = 2;
	h[2] = 2;
	h[3] = 1;
	memcpy(h + 8, via, 16);
}

/* One control message IPV6_RTHDR holding a type 2 header through @via. */
static size_t rthdr_cmsg(char *buf, size_t size, const struct in6_addr *via)
{
	struct cmsghdr *c = (struct cmsghdr *)buf;

	memset(buf, 0, size);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_RTHDR;
	c->cmsg_len = CMSG_LEN(24);
	rt2(CMSG_DATA(c), via);
	return CMSG_SPACE(24);
}

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

static int sniff(const char *via_s, int secs)
{
	struct in6_addr via;
	unsigned char p[2048];
	time_t end = time(NULL) + secs;
	long count = 0;
	int fd;

	addr6(via_s, &via);
	signal(SIGTERM, on_term);
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IPV6));
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
		if (n < 40 || (p[0] >> 4) != 6)
			continue;
		/* next header 43 (routing), destination at byte 24 */
		if (p[6] == 43 && !memcmp(p + 24, &via, 16))
			count++;
	}
	printf("%ld\n", count);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	struct in6_addr via;
	char cbuf[CMSG_SPACE(24)];
	struct iovec iov = { .iov_base = (void *)mark, .iov_len = sizeof(mark) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	const char *op;
	int fd;

	if (argc >= 4 && !strcmp(argv[1], "sniff"))
		return sniff(argv[2], atoi(argv[3]));
	if (argc < 4) {
		fprintf(stderr, "usage: see rthdr.c\n");
		return 255;
	}
	op = argv[1];
	addr6(argv[2], &dst.sin6_addr);
	dst.sin6_port = htons((unsigned short)atoi(argv[3]));
	if (argc >= 5)
		addr6(argv[4], &via);
	fd = socket(AF_INET6, !strcmp(op, "tcp") ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		return fail("socket");

	if (!strcmp(op, "plain")) {
		if (sendto(fd, mark, sizeof(mark), 0, (void *)&dst, sizeof(dst)) < 0)
			return fail("sendto");
		return 0;
	}
	if (argc < 5)
		return 255;
	if (!strcmp(op, "tcp") || (argc >= 6 && !strcmp(argv[5], "sticky"))) {
		size_t len = rthdr_cmsg(cbuf, sizeof(cbuf), &via);

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_2292PKTOPTIONS, cbuf, len))
			return fail("setsockopt IPV6_2292PKTOPTIONS");
	} else {
		msg.msg_control = cbuf;
		msg.msg_controllen = rthdr_cmsg(cbuf, sizeof(cbuf), &via);
	}
	if (!strcmp(op, "tcp")) {
		fcntl(fd, F_SETFL, O_NONBLOCK);
		if (connect(fd, (void *)&dst, sizeof(dst)) && errno != EINPROGRESS)
			return fail("connect");
		usleep(300000);
		return 0;
	}
	if (!strcmp(op, "udpc")) {
		if (connect(fd, (void *)&dst, sizeof(dst)))
			return fail("connect");
	} else {
		msg.msg_name = &dst;
		msg.msg_namelen = sizeof(dst);
	}
	if (sendmsg(fd, &msg, 0) < 0)
		return fail("sendmsg");
	return 0;
}
