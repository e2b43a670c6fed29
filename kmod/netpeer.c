// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: which peers may reach a confined program's sockets.
 *
 * An inbound rule reads as a firewall rule: the program may offer a
 * service on the rule's protocol and port on any local address (net.c
 * judges bind, listen and accept so), and the rule's address says which
 * peers may reach it. Here the peers are judged as their packets arrive,
 * in softirq, before the program can see anything of them:
 *
 *   TCP  the SYN to a listener (inet_conn_request, from the listener's
 *        route_req and from the syncookie check): dropped unless an
 *        inbound rule grants the peer's address on the local port. The
 *        peer sees no answer, as behind a dropping firewall.
 *   UDP  every datagram (sock_rcv_skb, from sk_filter): delivered when an
 *        inbound rule grants the sender's address on the local port, or
 *        an outbound rule grants its address and port (a reply to what
 *        the program may send: DNS); dropped otherwise. Without connection
 *        tracking, a "reply" is any datagram from such an endpoint.
 *
 * The address is the packet's own: an IPv4 packet reaching a dual-stack
 * IPv6 socket is IPv4, an IPv4-mapped source is IPv4. Every layer of the
 * domain must grant the peer; a refusal is counted and reported (with no
 * process: softirq has none of its own), and in complain mode the packet
 * is delivered.
 *
 * The domain judged is the one of the credentials the socket's file was
 * opened with: the task that made the socket. A socket made outside every
 * domain and handed to a confined program (socket activation, inetd) is
 * not filtered; its bind and listen were not the program's either.
 */

#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/sock.h>

#include "attach.h"
#include "domain.h"
#include "match.h"
#include "sockaddr.h"
#include "uapi/charter.h"

/*
 * The domain of the task that made @sk's socket, or NULL. sock_orphan()
 * clears sk_socket under the write side of sk_callback_lock before the
 * file lets go of its credentials, so they live while the read side is
 * held. The domain stays valid until the caller's rcu_read_unlock(): the
 * credentials' entry holds it and is freed only after a grace period.
 */
static const struct charter_domain *charter_sock_owner(struct sock *sk)
{
	const struct charter_domain *d = NULL;
	const struct socket *sock;

	read_lock_bh(&sk->sk_callback_lock);
	sock = sk->sk_socket;
	if (sock && sock->file)
		d = charter_cred_domain(sock->file->f_cred);
	read_unlock_bh(&sk->sk_callback_lock);
	return d;
}

/*
 * The sender of @skb: its address and port in @sender, its address and
 * the local port in @local. The network and transport headers were
 * checked by IP and by TCP or UDP before either hook (TCP's and UDP's
 * headers both start with the source and destination ports). A packet
 * that is neither IPv4 nor IPv6 gets protocol 0, which no rule grants.
 */
static void charter_skb_peer(const struct sk_buff *skb, u8 protocol,
			     struct charter_endpoint *local,
			     struct charter_endpoint *sender)
{
	const struct udphdr *ports = udp_hdr(skb);

	if (skb->protocol == htons(ETH_P_IP))
		charter_endpoint_v4(sender, protocol, ip_hdr(skb)->saddr,
				    ports->source);
#if IS_ENABLED(CONFIG_IPV6)
	else if (skb->protocol == htons(ETH_P_IPV6))
		charter_endpoint_v6(sender, protocol, &ipv6_hdr(skb)->saddr,
				    ports->source);
#endif
	else
		charter_endpoint_v4(sender, 0, 0, 0);
	*local = *sender;
	local->port = ntohs(ports->dest);
}

/* May @skb's sender reach @sk? A reply counts for UDP only (@reply). */
static int charter_check_peer(struct sock *sk, const struct sk_buff *skb,
			      u8 protocol, bool reply)
{
	struct charter_endpoint local, sender;
	const struct charter_domain *d;
	int ret = 0;

	rcu_read_lock();
	d = charter_sock_owner(sk);
	if (d) {
		charter_skb_peer(skb, protocol, &local, &sender);
		ret = charter_domain_check_peer(d, &local,
						reply ? &sender : NULL);
	}
	rcu_read_unlock();
	return ret;
}

static bool charter_is_inet_sk(const struct sock *sk)
{
	return sk->sk_family == AF_INET || sk->sk_family == AF_INET6;
}

/* A SYN (or a syncookie's ACK) to a listener: a non-zero return drops it. */
static int charter_hook_inet_conn_request(const struct sock *sk,
					  struct sk_buff *skb,
					  struct request_sock *req)
{
	u8 protocol;

	if (!static_branch_unlikely(&charter_confining))
		return 0;
	/* DCCP comes here too: no rule grants it (protocol 0). */
	protocol = sk->sk_protocol == IPPROTO_TCP ? CHARTER_PROTO_TCP : 0;
	return charter_check_peer((struct sock *)sk, skb, protocol, false);
}

/*
 * Every packet of every socket passes here: return at once unless some
 * domain exists and @sk is a UDP socket over IPv4 or IPv6. TCP passes
 * here too, once connected: its peers were judged at the SYN.
 */
static int charter_hook_socket_sock_rcv_skb(struct sock *sk,
					    struct sk_buff *skb)
{
	if (!static_branch_unlikely(&charter_confining) ||
	    sk->sk_protocol != IPPROTO_UDP || sk->sk_type != SOCK_DGRAM ||
	    !charter_is_inet_sk(sk))
		return 0;
	return charter_check_peer(sk, skb, CHARTER_PROTO_UDP, true);
}

CHARTER_HOOK_INT(inet_conn_request, (const struct sock *sk,
				     struct sk_buff *skb,
				     struct request_sock *req), (sk, skb, req))
CHARTER_HOOK_INT(socket_sock_rcv_skb, (struct sock *sk, struct sk_buff *skb),
		 (sk, skb))

CHARTER_HOOK_TABLE(charter_netpeer_hooks,
	CHARTER_HOOK(inet_conn_request),
	CHARTER_HOOK_ENTRY(socket_sock_rcv_skb, "bpf_lsm_socket_sock_rcv_skb",
			   "security_sock_rcv_skb"),
);
