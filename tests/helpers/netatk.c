// SPDX-License-Identifier: GPL-2.0
/*
 * netatk: the red team's network attacks on inbound filtering (i13-rt-net).
 * Exit status 0 or the errno unless said otherwise.
 *
 *   netatk icmp4 SRC DST LPORT TEXT
 *       (unconfined peer, raw socket) an ICMP port unreachable from SRC to
 *       DST quoting a UDP datagram DST:LPORT -> SRC:33434 followed by TEXT:
 *       a socket on LPORT with IP_RECVERR gets TEXT in its error queue.
 *   netatk icmp6 SRC DST LPORT TEXT      the same over ICMPv6
 *   netatk errq udp|udp6 ADDR PORT SECS
 *       bind a UDP socket, set IP_RECVERR (IPV6_RECVERR), wait SECS for
 *       anything: print "port N" (the local port: PORT 0 picks one), then
 *       "data N" for ordinary datagrams and "errq TEXT" for each
 *       error-queue message; exit 0.
 *   netatk rplisten ADDR PORT SECS hold|accept
 *       a TCP listener with SO_REUSEPORT. hold: listen and sleep until
 *       SIGTERM or SECS, then close without accepting. accept: accept and
 *       read for SECS; print "bytes N".
 *   netatk sockexec udp|tcp ADDR PORT PROG ARG...
 *       make a socket (bound unless PORT is -; tcp also listens), put it on
 *       fd 3 and exec PROG.
 *   netatk recvfd udp|tcp SECS [ADDR PORT]
 *       receive on fd 3 (bind ADDR PORT first, and listen for tcp) for
 *       SECS; print "bytes N".
 *   netatk int80 bind PORT    socket/bind/listen through socketcall (int
 *       $0x80), TCP on 0.0.0.0:PORT
 *   netatk int80d bind PORT   the same through the direct ia32 calls
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/errqueue.h>

#include "int80.h"
#include "inaddr.h"

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "netatk: %s: %s\n", what, strerror(err));
	return err ? err : 255;
}

static uint16_t csum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (; n > 1; n -= 2, b += 2)
		s += (uint32_t)(b[0] << 8 | b[1]);
	if (n)
		s += (uint32_t)(b[0] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

static int icmp4(const char *src, const char *dst, int lport, const char *text)
{
	unsigned char pkt[1500];
	struct sockaddr_in s = { .sin_family = AF_INET }, d = { .sin_family = AF_INET };
	struct iphdr *ip = (void *)(pkt + 8);
	struct udphdr *uh = (void *)(pkt + 8 + 20);
	size_t tl = strlen(text), n = 8 + 20 + 8 + tl;
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (fd < 0)
		return fail("raw socket");
	inet_pton(AF_INET, src, &s.sin_addr);
	inet_pton(AF_INET, dst, &d.sin_addr);
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 3;	/* destination unreachable */
	pkt[1] = 3;	/* port unreachable */
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons((uint16_t)(20 + 8 + tl));
	ip->saddr = d.sin_addr.s_addr;	/* "we" sent it: the victim's address */
	ip->daddr = s.sin_addr.s_addr;
	ip->check = csum(ip, 20);
	uh->source = htons((uint16_t)lport);
	uh->dest = htons(33434);
	uh->len = htons((uint16_t)(8 + tl));
	memcpy(pkt + 36, text, tl);
	*(uint16_t *)(pkt + 2) = csum(pkt, n);
	if (bind(fd, (void *)&s, sizeof(s)))
		return fail("bind");
	if (sendto(fd, pkt, n, 0, (void *)&d, sizeof(d)) != (ssize_t)n)
		return fail("sendto");
	return 0;
}

static int icmp6(const char *src, const char *dst, int lport, const char *text)
{
	unsigned char pkt[1500];
	struct sockaddr_in6 s = { .sin6_family = AF_INET6 }, d = { .sin6_family = AF_INET6 };
	struct ip6_hdr *ip = (void *)(pkt + 8);
	struct udphdr *uh = (void *)(pkt + 8 + 40);
	size_t tl = strlen(text), n = 8 + 40 + 8 + tl;
	int fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);

	if (fd < 0)
		return fail("raw socket");
	inet_pton(AF_INET6, src, &s.sin6_addr);
	inet_pton(AF_INET6, dst, &d.sin6_addr);
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 1;	/* destination unreachable */
	pkt[1] = 4;	/* port unreachable */
	ip->ip6_flow = htonl(6u << 28);
	ip->ip6_plen = htons((uint16_t)(8 + tl));
	ip->ip6_nxt = IPPROTO_UDP;
	ip->ip6_hlim = 64;
	ip->ip6_src = d.sin6_addr;
	ip->ip6_dst = s.sin6_addr;
	uh->source = htons((uint16_t)lport);
	uh->dest = htons(33434);
	uh->len = htons((uint16_t)(8 + tl));
	memcpy(pkt + 56, text, tl);
	if (bind(fd, (void *)&s, sizeof(s)))
		return fail("bind");
	/* the kernel fills in the ICMPv6 checksum */
	if (sendto(fd, pkt, n, 0, (void *)&d, sizeof(d)) != (ssize_t)n)
		return fail("sendto");
	return 0;
}

static volatile sig_atomic_t stopping;

static void stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static int errq(const char *addr, const char *port, int secs)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int family = sockaddr_of(addr, port, &ss, &len);
	int fd = socket(family, SOCK_DGRAM, 0), one = 1;
	time_t end = time(NULL) + secs;
	char buf[2048], ctl[512];

	signal(SIGTERM, stop);
	if (fd < 0)
		return fail("socket");
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one)))
		return fail("IPV6_RECVERR");
	if (setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof(one)))
		return fail("IP_RECVERR");
	if (bind(fd, (void *)&ss, len))
		return fail("bind");
	len = sizeof(ss);
	getsockname(fd, (void *)&ss, &len);
	printf("port %d\n", ntohs(((struct sockaddr_in *)&ss)->sin_port));
	fflush(stdout);
	while (!stopping && time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
		ssize_t got;

		if (poll(&p, 1, 200) <= 0)
			continue;
		if (p.revents & POLLERR) {
			got = recvmsg(fd, &m, MSG_ERRQUEUE);
			if (got >= 0) {
				buf[got] = 0;
				printf("errq %s\n", buf);
				fflush(stdout);
			}
		}
		if (p.revents & POLLIN) {
			got = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (got >= 0) {
				printf("data %zd\n", got);
				fflush(stdout);
			}
		}
	}
	return 0;
}

static int tcp_listener(const char *addr, const char *port, int reuseport)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int family = sockaddr_of(addr, port, &ss, &len);
	int fd = socket(family, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)))
		return -1;
	if (bind(fd, (void *)&ss, len) || listen(fd, 16))
		return -1;
	return fd;
}

/* Accept on @fd (tcp) or receive on it (udp) for @secs: total bytes. */
static long serve(int fd, int tcp, int secs)
{
	struct pollfd pfd[16] = { { .fd = fd, .events = POLLIN } };
	int n = 1;
	long bytes = 0;
	time_t end = time(NULL) + secs;
	char buf[512];

	while (!stopping && time(NULL) < end) {
		if (poll(pfd, (nfds_t)n, 200) <= 0)
			continue;
		for (int i = 0; i < n; i++) {
			ssize_t got;

			if (!(pfd[i].revents & (POLLIN | POLLHUP)))
				continue;
			if (tcp && i == 0) {
				struct sockaddr_storage peer;
				socklen_t pl = sizeof(peer);
				char name[64] = "?";
				int c = accept(fd, (void *)&peer, &pl);

				if (c < 0)
					continue;
				if (peer.ss_family == AF_INET)
					inet_ntop(AF_INET, &((struct sockaddr_in *)&peer)->sin_addr,
						  name, sizeof(name));
				else
					inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&peer)->sin6_addr,
						  name, sizeof(name));
				printf("accepted %s\n", name);
				fflush(stdout);
				if (n < 16)
					pfd[n++] = (struct pollfd){ c, POLLIN, 0 };
				continue;
			}
			got = read(pfd[i].fd, buf, sizeof(buf));
			if (got > 0)
				bytes += got;
			else if (tcp)
				pfd[i].fd = -1;
		}
	}
	return bytes;
}

static int rplisten(const char *addr, const char *port, int secs, const char *mode)
{
	int fd;

	signal(SIGTERM, stop);
	fd = tcp_listener(addr, port, 1);
	if (fd < 0)
		return fail("reuseport listener");
	printf("listening\n");
	fflush(stdout);
	if (!strcmp(mode, "hold")) {
		time_t end = time(NULL) + secs;

		while (!stopping && time(NULL) < end)
			usleep(100000);
		close(fd);
		return 0;
	}
	printf("bytes %ld\n", serve(fd, 1, secs));
	return 0;
}

static int sockexec(const char *proto, const char *addr, const char *port, char **argv)
{
	int tcp = !strcmp(proto, "tcp");
	int fd;

	if (strcmp(port, "-")) {
		fd = tcp ? tcp_listener(addr, port, 0) : -1;
		if (!tcp) {
			struct sockaddr_storage ss;
			socklen_t len;
			int family = sockaddr_of(addr, port, &ss, &len);

			fd = socket(family, SOCK_DGRAM, 0);
			if (fd >= 0 && bind(fd, (void *)&ss, len))
				fd = -1;
		}
	} else {
		fd = socket(strchr(addr, ':') ? AF_INET6 : AF_INET,
			    tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	}
	if (fd < 0)
		return fail("socket");
	if (fd != 3 && (dup2(fd, 3) < 0 || close(fd)))
		return fail("dup2");
	execv(argv[0], argv);
	return fail("execv");
}

static int recvfd(const char *proto, int secs, const char *addr, const char *port)
{
	int tcp = !strcmp(proto, "tcp");

	signal(SIGTERM, stop);
	if (addr) {
		struct sockaddr_storage ss;
		socklen_t len;
		int one = 1;

		sockaddr_of(addr, port, &ss, &len);
		setsockopt(3, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(3, (void *)&ss, len))
			return fail("bind");
		if (tcp && listen(3, 8))
			return fail("listen");
	}
	printf("bytes %ld\n", serve(3, tcp, secs));
	return 0;
}

/* socketcall(2) numbers and the ia32 direct calls. */
#define NR32_SOCKETCALL 102
#define NR32_SOCKET 359
#define NR32_BIND 361
#define NR32_LISTEN 363

static unsigned int args32[6];
static struct sockaddr_in sin32;

static int int80_bind(int port, int direct)
{
	long fd;

	sin32.sin_family = AF_INET;
	sin32.sin_port = htons((unsigned short)port);
	if (direct) {
		fd = int80(NR32_SOCKET, AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return fail("socket");
		if (int80(NR32_BIND, fd, (long)(uintptr_t)&sin32, sizeof(sin32)) < 0)
			return fail("bind");
		if (int80(NR32_LISTEN, fd, 8, 0) < 0)
			return fail("listen");
		return 0;
	}
	args32[0] = AF_INET;
	args32[1] = SOCK_STREAM;
	args32[2] = 0;
	fd = int80(NR32_SOCKETCALL, 1, (long)(uintptr_t)args32, 0);
	if (fd < 0)
		return fail("socketcall socket");
	args32[0] = (unsigned int)fd;
	args32[1] = (unsigned int)(uintptr_t)&sin32;
	args32[2] = sizeof(sin32);
	if (int80(NR32_SOCKETCALL, 2, (long)(uintptr_t)args32, 0) < 0)
		return fail("socketcall bind");
	args32[1] = 8;
	if (int80(NR32_SOCKETCALL, 4, (long)(uintptr_t)args32, 0) < 0)
		return fail("socketcall listen");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "icmp4"))
		return icmp4(argv[2], argv[3], atoi(argv[4]), argv[5]);
	if (argc == 6 && !strcmp(argv[1], "icmp6"))
		return icmp6(argv[2], argv[3], atoi(argv[4]), argv[5]);
	if (argc == 6 && !strcmp(argv[1], "errq"))
		return errq(argv[3], argv[4], atoi(argv[5]));
	if (argc == 6 && !strcmp(argv[1], "rplisten"))
		return rplisten(argv[2], argv[3], atoi(argv[4]), argv[5]);
	if (argc >= 6 && !strcmp(argv[1], "sockexec"))
		return sockexec(argv[2], argv[3], argv[4], argv + 5);
	if ((argc == 4 || argc == 6) && !strcmp(argv[1], "recvfd"))
		return recvfd(argv[2], atoi(argv[3]), argc == 6 ? argv[4] : NULL,
			      argc == 6 ? argv[5] : NULL);
	if (argc == 4 && !strcmp(argv[1], "int80") && !strcmp(argv[2], "bind"))
		return int80_bind(atoi(argv[3]), 0);
	if (argc == 4 && !strcmp(argv[1], "int80d") && !strcmp(argv[2], "bind"))
		return int80_bind(atoi(argv[3]), 1);
	fprintf(stderr, "usage: see the comment at the top of netatk.c\n");
	return 254;
}
