// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: the endpoints a socket call names, read as the protocol will
 * read them.
 *
 * The socket hooks see an address before the protocol does, so what they
 * judge must be what the protocol then uses. The bytes are read the way
 * TCP and UDP of Linux 6.1 read them (net/ipv4/af_inet.c, udp.c, tcp.c,
 * datagram.c; net/ipv6/af_inet6.c, udp.c, datagram.c, tcp_ipv6.c):
 *
 * - The address's family picks the reading, never the socket's: an IPv6
 *   UDP socket sends and connects to an AF_INET address over IPv4, and
 *   IPV6_ADDRFORM can turn an IPv6 socket into an IPv4 one between the
 *   hook and the protocol. An address the socket's own family refuses is
 *   judged all the same (the protocol refuses it after).
 * - AF_UNSPEC: bind reads it as AF_INET when the address is INADDR_ANY
 *   (__inet_bind); connect as a disconnect (inet_dgram_connect,
 *   __inet_stream_connect); udp_sendmsg as AF_INET; udpv6_sendmsg as no
 *   address (the connected peer), unless IPV6_ADDRFORM hands the call to
 *   udp_sendmsg, so its IPv4 reading is judged; TCP Fast Open refuses it.
 * - Lengths are checked as the protocols check them, and no byte past
 *   @len is read (the hooks get the kernel's copy, which is no longer).
 * - TCP reads the address of a sendmsg only for Fast Open (MSG_FASTOPEN),
 *   which connects to it; otherwise it sends to its peer.
 * - A destination of 0.0.0.0 or :: is the host itself, over the loopback
 *   device: 0.0.0.0 goes to the socket's source address, or 127.0.0.1
 *   when it has none (ip_route_output_key_hash_rcu); :: to ::1, or to
 *   127.0.0.1 when the socket is bound to a mapped address, which it may
 *   be by the time the protocol runs. They are judged as 127.0.0.1, and
 *   :: as ::1 and 127.0.0.1.
 * - Binding :: on an IPv6 socket binds 0.0.0.0 too unless IPV6_V6ONLY is
 *   set, which the program may still change until the bind is done: both
 *   are judged.
 * - Another protocol (on a socket made outside the domain: none can be
 *   made in it) reads addresses its own way, and no rule names it: any
 *   address it is given is judged, and refused, but a disconnect.
 *
 * Pure, no socket and no task: tests/sockaddr_test.c.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "sockaddr.h"
#include "uapi/charter.h"

/* Is @ep's address unspecified: 0.0.0.0 or ::? */
static bool charter_endpoint_unspecified(const struct charter_endpoint *ep)
{
	u64 high, low;

	/* An IPv4 address's last 12 bytes are zero (charter_endpoint_v4()). */
	memcpy(&high, ep->addr, sizeof(high));
	memcpy(&low, ep->addr + sizeof(high), sizeof(low));
	return (ep->family == CHARTER_FAMILY_INET ||
		ep->family == CHARTER_FAMILY_INET6) && !(high | low);
}

/**
 * charter_endpoint_v6_any() - is @ep IPv6's unspecified address, ::?
 * @ep: the endpoint
 *
 * Return: true if it is.
 */
bool charter_endpoint_v6_any(const struct charter_endpoint *ep)
{
	return ep->family == CHARTER_FAMILY_INET6 &&
	       charter_endpoint_unspecified(ep);
}

/* An AF_INET or AF_INET6 address, when @len holds what its protocol reads. */
static int charter_inet_endpoint(const struct charter_sock_call *call,
				 struct charter_endpoint *ep)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)call->addr;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)call->addr;

	switch (call->addr->sa_family) {
	case AF_INET:
		if (call->len < (int)sizeof(*sin))
			return -EINVAL;
		return charter_endpoint_v4(ep, call->protocol,
					   sin->sin_addr.s_addr, sin->sin_port);
	case AF_INET6:
		/* RFC 2133's sockaddr_in6, without sin6_scope_id, will do. */
		if (call->len < SIN6_LEN_RFC2133)
			return -EINVAL;
		return charter_endpoint_v6(ep, call->protocol,
					   &sin6->sin6_addr, sin6->sin6_port);
	}
	return -EAFNOSUPPORT;
}

/*
 * @ep[0] as a destination: an unspecified address is the host's loopback
 * (see the top of the file). Returns how many endpoints @ep then holds.
 */
static int charter_destination(struct charter_endpoint ep[])
{
	static const struct in6_addr loopback6 = IN6ADDR_LOOPBACK_INIT;
	const __be32 loopback = htonl(INADDR_LOOPBACK);

	if (!charter_endpoint_unspecified(&ep[0]))
		return 1;
	if (ep[0].family == CHARTER_FAMILY_INET) {
		memcpy(ep[0].addr, &loopback, sizeof(loopback));
		return 1;
	}
	memcpy(ep[0].addr, &loopback6, sizeof(loopback6));
	return 1 + charter_endpoint_v4(&ep[1], ep[0].protocol, loopback,
				       htons(ep[0].port));
}

/* The sockaddr_in that IPv4 code reads in an AF_UNSPEC address, if whole. */
static const struct sockaddr_in *
charter_unspec_as_v4(const struct charter_sock_call *call)
{
	if (call->len < (int)sizeof(struct sockaddr_in))
		return NULL;
	return (const struct sockaddr_in *)call->addr;
}

static int charter_bind_endpoints(const struct charter_sock_call *call,
				  struct charter_endpoint ep[])
{
	const struct sockaddr_in *sin;
	int n;

	if (call->addr->sa_family == AF_UNSPEC) {
		/* __inet_bind: AF_INET, for INADDR_ANY only. */
		sin = charter_unspec_as_v4(call);
		if (!sin)
			return -EINVAL;
		if (sin->sin_addr.s_addr != htonl(INADDR_ANY))
			return -EAFNOSUPPORT;
		n = charter_endpoint_v4(ep, call->protocol, sin->sin_addr.s_addr,
					sin->sin_port);
	} else {
		n = charter_inet_endpoint(call, ep);
		if (n < 0)
			return n;
	}
	/* Port 0: the kernel picks an ephemeral port; no service is offered. */
	if (!ep[0].port)
		return 0;
	if (charter_endpoint_v6_any(&ep[0]))
		n += charter_endpoint_v4(&ep[1], call->protocol, htonl(INADDR_ANY),
					 htons(ep[0].port));
	return n;
}

static int charter_inet_destination(const struct charter_sock_call *call,
				    struct charter_endpoint ep[])
{
	int n = charter_inet_endpoint(call, ep);

	return n <= 0 ? n : charter_destination(ep);
}

static int charter_connect_endpoints(const struct charter_sock_call *call,
				     struct charter_endpoint ep[])
{
	/* A disconnect, or (TCP Fast Open) refused: no peer is named. */
	if (call->addr->sa_family == AF_UNSPEC)
		return 0;
	return charter_inet_destination(call, ep);
}

static int charter_udp_send_endpoints(const struct charter_sock_call *call,
				      struct charter_endpoint ep[])
{
	const struct sockaddr_in *sin;

	if (call->addr->sa_family != AF_UNSPEC)
		return charter_inet_destination(call, ep);
	/*
	 * udp_sendmsg reads AF_UNSPEC as AF_INET. Shorter than a sockaddr_in
	 * or with port 0 it refuses it (EINVAL), and udpv6_sendmsg sends to
	 * the connected peer: nothing is named.
	 */
	sin = charter_unspec_as_v4(call);
	if (!sin || !sin->sin_port)
		return 0;
	charter_endpoint_v4(ep, call->protocol, sin->sin_addr.s_addr,
			    sin->sin_port);
	return charter_destination(ep);
}

/*
 * Another protocol: no rule names it, so any address it reads (the best
 * reading there is, or none) is judged, and refused; a disconnect is not.
 */
static int charter_other_endpoints(const struct charter_sock_call *call,
				   struct charter_endpoint ep[])
{
	if (call->op == CHARTER_SOCK_CONNECT && call->addr->sa_family == AF_UNSPEC)
		return 0;
	if (charter_inet_endpoint(call, ep) < 0)
		memset(ep, 0, sizeof(*ep));
	ep->protocol = 0;
	return 1;
}

/**
 * charter_call_endpoints() - the endpoints a socket call will use
 * @call: the call, on an AF_INET or AF_INET6 socket
 * @ep: room for CHARTER_CALL_ENDPOINTS endpoints
 *
 * Reads no more than @call->len bytes of @call->addr.
 *
 * Return: how many endpoints of @ep the call will use, each of which must
 * be allowed (0: it names none, e.g. a send to the connected peer, a
 * disconnect, a bind to port 0); or the negative errno with which the
 * protocol itself refuses the address.
 */
int charter_call_endpoints(const struct charter_sock_call *call,
			   struct charter_endpoint ep[CHARTER_CALL_ENDPOINTS])
{
	/* Each endpoint returned is filled whole (charter_endpoint_v4()...). */
	if (call->op == CHARTER_SOCK_SENDMSG &&
	    (!call->addr ||
	     (call->protocol == CHARTER_PROTO_TCP && !call->fastopen)))
		return 0;	/* to the connected peer */
	/* Every protocol refuses an address shorter than its family. */
	if (!call->addr || call->len < (int)sizeof(call->addr->sa_family))
		return -EINVAL;
	if (!call->protocol)
		return charter_other_endpoints(call, ep);
	switch (call->op) {
	case CHARTER_SOCK_BIND:
		return charter_bind_endpoints(call, ep);
	case CHARTER_SOCK_CONNECT:
		return charter_connect_endpoints(call, ep);
	case CHARTER_SOCK_SENDMSG:
		if (call->protocol == CHARTER_PROTO_TCP)	/* Fast Open */
			return charter_connect_endpoints(call, ep);
		return charter_udp_send_endpoints(call, ep);
	}
	return -EINVAL;
}
