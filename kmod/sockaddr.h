/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_SOCKADDR_H
#define _CHARTER_SOCKADDR_H

#include <linux/socket.h>
#include <linux/types.h>

#include "match.h"

struct in6_addr;

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

int charter_endpoint_v4(struct charter_endpoint *ep, u8 protocol, __be32 addr,
			__be16 port);
int charter_endpoint_v6(struct charter_endpoint *ep, u8 protocol,
			const struct in6_addr *addr, __be16 port);
bool charter_endpoint_v6_any(const struct charter_endpoint *ep);
int charter_call_endpoints(const struct charter_sock_call *call,
			   struct charter_endpoint ep[CHARTER_CALL_ENDPOINTS]);

#endif /* _CHARTER_SOCKADDR_H */
