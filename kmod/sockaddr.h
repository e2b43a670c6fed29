/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_SOCKADDR_H
#define _CHARTER_SOCKADDR_H

#include <linux/in.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/types.h>
#include <net/ipv6.h>

#include "match.h"
#include "uapi/charter.h"

/* The socket calls that name an address. */
enum charter_sock_op {
	CHARTER_SOCK_BIND,
	CHARTER_SOCK_CONNECT,
	CHARTER_SOCK_SENDMSG,
};

/* A call on an inet socket as its hook sees it, before the protocol does. */
struct charter_sock_call {
	enum charter_sock_op op;
	u8 protocol;			/* CHARTER_PROTO_TCP or _UDP; 0: another */
	bool fastopen;			/* a sendmsg with MSG_FASTOPEN */
	const struct sockaddr *addr;	/* NULL when the call names none */
	int len;			/* how many bytes of *addr may be read */
};

/* Binding :: is binding 0.0.0.0 as well: two endpoints at most. */
#define CHARTER_CALL_ENDPOINTS	2

/*
 * The two below are inline: a datagram fills three endpoints, one on its
 * way out and two on its way in, and a call and a memset() each cost as
 * much as the filling.
 */

/**
 * charter_endpoint_v4() - fill @ep with an IPv4 address and port
 * @ep: the endpoint, every byte written (the address's last 12 zero)
 * @protocol: CHARTER_PROTO_TCP or _UDP, or 0
 * @addr: the address, network order
 * @port: the port, network order
 *
 * Return: 1, the number of endpoints filled.
 */
static inline int charter_endpoint_v4(struct charter_endpoint *ep, u8 protocol,
				      __be32 addr, __be16 port)
{
	ep->family = CHARTER_FAMILY_INET;
	ep->protocol = protocol;
	ep->port = ntohs(port);
	memcpy(ep->addr, &addr, sizeof(addr));
	memset(ep->addr + sizeof(addr), 0, sizeof(ep->addr) - sizeof(addr));
	return 1;
}

/**
 * charter_endpoint_v6() - fill @ep with an IPv6 address and port
 * @ep: the endpoint, every byte written
 * @protocol: CHARTER_PROTO_TCP or _UDP, or 0
 * @addr: the address; an IPv4-mapped one is its IPv4 address
 * @port: the port, network order
 *
 * Return: 1, the number of endpoints filled.
 */
static inline int charter_endpoint_v6(struct charter_endpoint *ep, u8 protocol,
				      const struct in6_addr *addr, __be16 port)
{
	if (ipv6_addr_v4mapped(addr))
		return charter_endpoint_v4(ep, protocol, addr->s6_addr32[3], port);
	ep->family = CHARTER_FAMILY_INET6;
	ep->protocol = protocol;
	ep->port = ntohs(port);
	memcpy(ep->addr, addr, sizeof(*addr));
	return 1;
}

bool charter_endpoint_v6_any(const struct charter_endpoint *ep);
/**
 * charter_udp_v4_destination() - a sendto's IPv4 address, read at once
 * @addr: the address the call names (NULL: none)
 * @len: how many bytes of @addr may be read
 * @ep: filled when the answer is true
 *
 * A datagram to an IPv4 address, whole and specified, names that one
 * endpoint, as charter_call_endpoints() reads it: the sendmsg hook asks
 * this first (inline, since every sendto comes here) and the general
 * reading only for any other address.
 *
 * Return: true if @addr is such an address (@ep filled), false if it must
 * be read by charter_call_endpoints().
 */
static inline bool charter_udp_v4_destination(const struct sockaddr *addr,
					      int len,
					      struct charter_endpoint *ep)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;

	if (!sin || len < (int)sizeof(*sin) || sin->sin_family != AF_INET ||
	    sin->sin_addr.s_addr == htonl(INADDR_ANY))
		return false;
	charter_endpoint_v4(ep, CHARTER_PROTO_UDP, sin->sin_addr.s_addr,
			    sin->sin_port);
	return true;
}

int charter_call_endpoints(const struct charter_sock_call *call,
			   struct charter_endpoint ep[CHARTER_CALL_ENDPOINTS]);

#endif /* _CHARTER_SOCKADDR_H */
