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
 *   netop unix-listen PATH SECS       serve it for SECS seconds (accepting
 *                                     and closing every connection)
 *   netop unix-sendto PATH            one datagram to a SOCK_DGRAM socket
 *   netop unix-dgram PATH SECS        bind one for SECS seconds
 *                                     (a PATH starting with @ is abstract)
 *   netop socket FAMILY TYPE PROTO    socket() with these numbers
 * ADDR is IPv4 or IPv6 (an IPv6 socket is used for IPv6 and mapped
 * addresses).
 *
 *   netop on udp|tcp|udp6|tcp6 STEP...
 *       several calls on one socket, in order; the first that fails gives
 *       the exit status (a connect refused because nobody listens counts
 *       as done). A STEP is one of
 *         bind|connect|sendto|sendmsg|fastopen ADDR PORT [MOD...]
 *         send          write() one byte: no address
 *         listen        listen()
 *         addrform      IPV6_ADDRFORM: the IPv6 socket becomes an IPv4 one
 *         timeout SECS  SO_SNDTIMEO and SO_RCVTIMEO: a connect whose SYN
 *                       goes unanswered fails with EINPROGRESS then
 *         srr           IP_OPTIONS: a loose source route through 127.0.0.2
 *         srh           IPV6_RTHDR: a segment routing header through ::1
 *       fastopen is sendto with MSG_FASTOPEN. ADDR decides the sockaddr
 *       (sockaddr_in for IPv4, sockaddr_in6 for IPv6), whatever the
 *       socket's family; a MOD changes what is passed:
 *         family=N      sa_family written as N (0 is AF_UNSPEC)
 *         len=N         length N instead of the structure's size
 *         null          a NULL address (with that length)
 *         cmsglen=N     (sendmsg) with one control message (SOL_IP,
 *                       IP_TTL) whose cmsg_len says N (0 is the length a
 *                       walk that trusts it never gets past)
 *         retopts       (sendmsg) with an IP_RETOPTS control message
 *                       holding the source route of the step srr
 *   netop recv udp|tcp ADDR PORT SECS
 *       receive for SECS seconds or until SIGTERM (tcp: accept and read
 *       every connection); print the number of bytes received.
 *   netop canary ADDR PORT SECS
 *       recv tcp, printing "BYTES CONNECTIONS": a listener that must
 *       never be reached (tests/vm/trinity.sh).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <stddef.h>
#include <sys/un.h>
#include <unistd.h>
#include "inaddr.h"

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "netop: %s: %s\n", what, strerror(err));
	return err ? err : 255;
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

/* Accept and close connections for @secs seconds: no backlog fills up. */
static int serve(int fd, int secs)
{
	time_t end = time(NULL) + secs;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int c;

	while (time(NULL) < end)
		if (poll(&p, 1, 100) > 0 && (c = accept(fd, NULL, NULL)) >= 0)
			close(c);
	return 0;
}

static int unix_op(const char *op, const char *path, const char *secs)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	int dgram = !strcmp(op, "unix-sendto") || !strcmp(op, "unix-dgram");
	int fd = socket(AF_UNIX, dgram ? SOCK_DGRAM : SOCK_STREAM, 0);

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
	if (!strcmp(op, "unix-sendto"))
		return sendto(fd, "x", 1, 0, (void *)&un, len) != 1 ? fail("sendto") : 0;
	if (path[0] != '@')
		unlink(path);
	if (bind(fd, (void *)&un, len) || (!dgram && listen(fd, 64)))
		return fail("bind");
	if (dgram) {
		sleep((unsigned int)atoi(secs));
		return 0;
	}
	return serve(fd, atoi(secs));
}

/* A loose source route through 127.0.0.2, as IP options. */
static const unsigned char lsrr[8] = { 0x83, 7, 4, 127, 0, 0, 2, 0 };

/* A segment routing header (type 4) with one segment, ::1. */
static const unsigned char srh[24] = { 0, 2, 4, 0, 0, 0, 0, 0,
				       [23] = 1 };

/* Did @call fail? A refused connection (nobody listens) was still made. */
static int failed(const char *call, int ret)
{
	if (ret >= 0 || (errno == ECONNREFUSED && strcmp(call, "sendto") &&
			 strcmp(call, "sendmsg")))
		return 0;
	return fail(call);
}

/*
 * One address step of "netop on": CALL ADDR PORT [MOD...] at @arg.
 * Returns the errno (0 on success); *@used says how many words it took.
 */
static int address_step(int fd, char **arg, int *used)
{
	const char *call = arg[0];
	struct sockaddr_storage ss;
	socklen_t len;
	void *name = &ss;
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(lsrr))];
	} control;
	struct cmsghdr *cmsg;
	int i;

	sockaddr_of(arg[1], arg[2], &ss, &len);
	for (i = 3; arg[i] && (strchr(arg[i], '=') || !strcmp(arg[i], "null") ||
			       !strcmp(arg[i], "retopts")); i++) {
		if (!strncmp(arg[i], "cmsglen=", 8)) {
			memset(&control, 0, sizeof(control));
			msg.msg_control = control.buf;
			msg.msg_controllen = sizeof(control.buf);
			cmsg = CMSG_FIRSTHDR(&msg);
			cmsg->cmsg_level = SOL_IP;
			cmsg->cmsg_type = IP_TTL;
			cmsg->cmsg_len = (size_t)atoi(arg[i] + 8);
			*(int *)CMSG_DATA(cmsg) = 64;	/* a valid IP_TTL */
		} else if (!strncmp(arg[i], "family=", 7)) {
			ss.ss_family = (sa_family_t)atoi(arg[i] + 7);
		} else if (!strncmp(arg[i], "len=", 4)) {
			len = (socklen_t)atoi(arg[i] + 4);
		} else if (!strcmp(arg[i], "retopts")) {
			msg.msg_control = control.buf;
			msg.msg_controllen = sizeof(control.buf);
			cmsg = CMSG_FIRSTHDR(&msg);
			cmsg->cmsg_level = SOL_IP;
			cmsg->cmsg_type = IP_RETOPTS;
			cmsg->cmsg_len = CMSG_LEN(sizeof(lsrr));
			memcpy(CMSG_DATA(cmsg), lsrr, sizeof(lsrr));
		} else {
			name = NULL;
		}
	}
	*used = i;
	if (!strcmp(call, "bind"))
		return failed(call, bind(fd, name, len));
	if (!strcmp(call, "connect"))
		return failed(call, connect(fd, name, len));
	if (!strcmp(call, "sendmsg")) {
		msg.msg_name = name;
		msg.msg_namelen = len;
		return failed(call, (int)sendmsg(fd, &msg, 0));
	}
	return failed(call, (int)sendto(fd, "x", 1,
					strcmp(call, "fastopen") ? 0 : MSG_FASTOPEN,
					name, len));
}

/* Sends (a connect's SYN too) and receives give up after @secs. */
static int set_timeout(int fd, int secs)
{
	struct timeval tv = { .tv_sec = secs };

	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return fail("timeout");
	return 0;
}

/* netop on KIND STEP...: see the top of the file. */
static int steps(const char *kind, char **arg)
{
	int family = strchr(kind, '6') ? AF_INET6 : AF_INET;
	int type = strncmp(kind, "udp", 3) ? SOCK_STREAM : SOCK_DGRAM;
	int fd = socket(family, type, 0);
	int err = 0, used;

	if (fd < 0)
		return fail("socket");
	for (; *arg && !err; arg += used) {
		used = 1;
		if (!strcmp(*arg, "send"))
			err = failed("send", (int)write(fd, "x", 1));
		else if (!strcmp(*arg, "listen"))
			err = failed("listen", listen(fd, 8));
		else if (!strcmp(*arg, "srr"))
			err = failed("srr", setsockopt(fd, SOL_IP, IP_OPTIONS, lsrr, sizeof(lsrr)));
		else if (!strcmp(*arg, "srh"))
			err = failed("srh", setsockopt(fd, IPPROTO_IPV6, IPV6_RTHDR, srh, sizeof(srh)));
		else if (!strcmp(*arg, "timeout") && arg[1])
			err = set_timeout(fd, atoi(arg[1])), used = 2;
		else if (!strcmp(*arg, "addrform"))
			err = failed("addrform", setsockopt(fd, IPPROTO_IPV6, IPV6_ADDRFORM,
							    &(int){ AF_INET }, sizeof(int)));
		else if (arg[1] && arg[2])
			err = address_step(fd, arg, &used);
		else
			return fprintf(stderr, "netop: %s needs ADDR PORT\n", *arg), 254;
	}
	return err;
}

static volatile sig_atomic_t stopping;
static long accepted;	/* connections accepted by recv tcp */

static void stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/*
 * Keep accepted connection @fd in a free slot of @pfd (one whose reader
 * closed, or a new one), or read nothing from it when all 7 are busy: a
 * listener that took a fixed number of connections left later clients
 * unaccepted once its backlog filled (their sends then failed, EPIPE).
 */
static void take(struct pollfd *pfd, int *n, int fd)
{
	int i = 1;

	if (fd < 0)
		return;
	accepted++;
	while (i < *n && pfd[i].fd >= 0)
		i++;
	if (i == 8) {
		close(fd);
		return;
	}
	if (i == *n)
		(*n)++;
	pfd[i] = (struct pollfd){ .fd = fd, .events = POLLIN };
}

/* Read what is ready on @pfd within @ms; accept on pfd[0] for tcp. */
static long drain(struct pollfd *pfd, int *n, int tcp, int ms)
{
	long bytes = 0;
	char buf[512];

	if (poll(pfd, (nfds_t)*n, ms) <= 0)
		return 0;
	for (int i = 0; i < *n; i++) {
		ssize_t got;

		if (!(pfd[i].revents & (POLLIN | POLLHUP)))
			continue;
		if (tcp && i == 0) {
			take(pfd, n, accept(pfd[0].fd, NULL, NULL));
			continue;
		}
		got = read(pfd[i].fd, buf, sizeof(buf));
		if (got > 0)
			bytes += got;
		else {
			close(pfd[i].fd);
			pfd[i].fd = -1;	/* closed: poll skips it */
		}
	}
	return bytes;
}

/*
 * netop recv udp|tcp ADDR PORT SECS: print how many bytes arrived (and,
 * for a @canary, how many connections were accepted).
 */
static int receive(const char *proto, const char *addr, const char *port,
		   const char *secs, int canary)
{
	int tcp = !strcmp(proto, "tcp");
	struct sockaddr_storage ss;
	socklen_t len;
	int family = sockaddr_of(addr, port, &ss, &len);
	int fd = socket(family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	struct pollfd pfd[8] = { { .fd = fd, .events = POLLIN } };
	int n = 1, ms = atoi(secs) * 1000, one = 1;
	long bytes = 0;

	signal(SIGTERM, stop);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (void *)&ss, len) || (tcp && listen(fd, 8)))
		return fail("recv");
	for (; ms > 0 && !stopping; ms -= 100)
		bytes += drain(pfd, &n, tcp, 100);
	for (int i = 0; i < 3; i++)	/* what is queued already, and its reader */
		bytes += drain(pfd, &n, tcp, 0);
	if (canary)
		printf("%ld %ld\n", bytes, accepted);
	else
		printf("%ld\n", bytes);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "on"))
		return steps(argv[2], argv + 3);
	if (argc == 6 && !strcmp(argv[1], "recv"))
		return receive(argv[2], argv[3], argv[4], argv[5], 0);
	if (argc == 5 && !strcmp(argv[1], "canary"))
		return receive("tcp", argv[2], argv[3], argv[4], 1);
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
	if (argc == 4 && (!strcmp(argv[1], "unix-listen") || !strcmp(argv[1], "unix-dgram")))
		return unix_op(argv[1], argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "unix-sendto"))
		return unix_op(argv[1], argv[2], NULL);
	fprintf(stderr, "usage: see the comment at the top of netop.c\n");
	return 254;
}
