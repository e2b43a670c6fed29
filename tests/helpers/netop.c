// SPDX-License-Identifier: GPL-2.0
/*
 * netop: one network operation, exit status 0 or the errno.
 *
 *   netop bind ADDR PORT tcp|udp      bind (and listen, for tcp)
 *   netop connect ADDR PORT tcp|udp   connect; a refused connection
 *                                     (nobody listens) counts as reached
 *   netop sendto ADDR PORT            one UDP datagram
 *   netop raw | packet                create a raw or a packet socket
 *   netop unix-connect PATH           connect to a pathname unix socket
 *   netop unix-listen PATH SECS       serve it for SECS seconds
 *                                     (a PATH starting with @ is abstract)
 *   netop socket FAMILY TYPE PROTO    socket() with these numbers
 * ADDR is IPv4 or IPv6 (an IPv6 socket is used for IPv6 and mapped
 * addresses).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <stddef.h>
#include <sys/un.h>
#include <unistd.h>

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "netop: %s: %s\n", what, strerror(err));
	return err ? err : 255;
}

static int sockaddr_of(const char *addr, const char *port,
		       struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (void *)ss;
	struct sockaddr_in6 *in6 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)atoi(port));
		*len = sizeof(*in);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)atoi(port));
		*len = sizeof(*in6);
		return AF_INET6;
	}
	fprintf(stderr, "netop: bad address %s\n", addr);
	exit(254);
}

static int inet_op(const char *op, const char *addr, const char *port,
		   const char *proto)
{
	int udp = proto && !strcmp(proto, "udp");
	struct sockaddr_storage ss;
	socklen_t len;
	int family = sockaddr_of(addr, port, &ss, &len);
	int fd = socket(family, udp || !proto ? SOCK_DGRAM : SOCK_STREAM, 0);
	int one = 1;

	if (fd < 0)
		return fail("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (!strcmp(op, "bind")) {
		if (bind(fd, (void *)&ss, len))
			return fail("bind");
		if (!udp && listen(fd, 1))
			return fail("listen");
		return 0;
	}
	if (!strcmp(op, "connect")) {
		if (connect(fd, (void *)&ss, len) && errno != ECONNREFUSED)
			return fail("connect");
		return 0;
	}
	if (sendto(fd, "x", 1, 0, (void *)&ss, len) != 1)
		return fail("sendto");
	return 0;
}

static int unix_op(const char *op, const char *path, const char *secs)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		return fail("socket");
	socklen_t len = sizeof(un);

	snprintf(un.sun_path, sizeof(un.sun_path), "%s", path);
	if (path[0] == '@') {	/* abstract: a NUL first, no file */
		un.sun_path[0] = '\0';
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	}
	if (!strcmp(op, "unix-connect"))
		return connect(fd, (void *)&un, len) ? fail("connect") : 0;
	if (path[0] != '@')
		unlink(path);
	if (bind(fd, (void *)&un, len) || listen(fd, 8))
		return fail("bind");
	sleep((unsigned int)atoi(secs));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && (!strcmp(argv[1], "bind") || !strcmp(argv[1], "connect")))
		return inet_op(argv[1], argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "sendto"))
		return inet_op(argv[1], argv[2], argv[3], NULL);
	if (argc == 2 && !strcmp(argv[1], "raw"))
		return socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) < 0 ? fail("socket") : 0;
	if (argc == 2 && !strcmp(argv[1], "packet"))
		return socket(AF_PACKET, SOCK_RAW, 0) < 0 ? fail("socket") : 0;
	if (argc == 5 && !strcmp(argv[1], "socket"))
		return socket(atoi(argv[2]), atoi(argv[3]), atoi(argv[4])) < 0 ? fail("socket") : 0;
	if (argc == 3 && !strcmp(argv[1], "unix-connect"))
		return unix_op(argv[1], argv[2], NULL);
	if (argc == 4 && !strcmp(argv[1], "unix-listen"))
		return unix_op(argv[1], argv[2], argv[3]);
	fprintf(stderr, "usage: see the comment at the top of netop.c\n");
	return 254;
}
