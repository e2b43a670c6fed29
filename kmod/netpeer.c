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
 *        peer sees no answer, as behind a dropping firewall. A connection
 *        migrating to a listener of the domain from another of its
 *        SO_REUSEPORT group is judged the same way when it moves.
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
#include <net/sock_reuseport.h>

#include "attach.h"
#include "compat.h"
#include "domain.h"
#include "match.h"
#include "sockaddr.h"
#include "uapi/charter.h"

/*
 * The domain of the task that made @sk's socket, or NULL; the caller is
 * in an RCU read-side section (rcu_read_lock() or _sched()), which holds
 * the domain: the credentials' entry holds it until they are freed,
 * which the file does a grace period after its last reference at the
 * earliest.
 *
 * Up to 6.6 the section is enough: sock_orphan() clears sk_socket, and
 * sock_release() the socket's file, before the file is freed, and a file,
 * its credentials and a socket's inode are all freed a grace period after
 * (CHARTER_FILES_TYPESAFE_BY_RCU). From 6.7 a file's memory may be reused
 * at once: sk_callback_lock then holds it, since sock_orphan() clears
 * sk_socket under the write side before the file lets go of its
 * credentials. read_lock(), not read_lock_bh(), in every context: the
 * hooks run in softirq, where bottom halves are off already, or in
 * process context, where a softirq taking the read side too cannot
 * deadlock with us (a reader in interrupt context does not wait behind a
 * queued writer, queued_read_lock_slowpath()), and every writer disables
 * bottom halves (write_lock_bh() in sock_orphan(), sock_graft()).
 */
static const struct charter_domain *charter_sock_owner(struct sock *sk)
{
	const struct charter_domain *d = NULL;
	const struct socket *sock;
	const struct file *file;

	if (CHARTER_FILES_TYPESAFE_BY_RCU)
		read_lock(&sk->sk_callback_lock);
	sock = READ_ONCE(sk->sk_socket);
	file = sock ? READ_ONCE(sock->file) : NULL;
	if (file)
		d = charter_cred_domain_rcu(file->f_cred);
	if (CHARTER_FILES_TYPESAFE_BY_RCU)
		read_unlock(&sk->sk_callback_lock);
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
	struct charter_endpoint local CHARTER_UNINITIALIZED;
	struct charter_endpoint sender CHARTER_UNINITIALIZED;
	const struct charter_domain *d;
	int ret = 0;

	/* Preemption off, not two calls: charter_cred_domain_walk(). */
	rcu_read_lock_sched();
	d = charter_sock_owner(sk);
	if (d) {
		charter_skb_peer(skb, protocol, &local, &sender);
		ret = charter_domain_check_peer(d, &local,
						reply ? &sender : NULL);
	}
	rcu_read_unlock_sched();
	return ret;
}

/*
 * The peer of a TCP connection being set up (a request socket, or a
 * child still in an accept queue: both begin with a sock_common), with
 * its local port, as charter_skb_peer() reads a packet. A child of a
 * dual-stack listener reached over IPv4 holds a v4-mapped address: IPv4.
 */
static void charter_conn_peer(const struct sock *conn,
			      struct charter_endpoint *local)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (conn->sk_family == AF_INET6)
		charter_endpoint_v6(local, CHARTER_PROTO_TCP,
				    &conn->sk_v6_daddr, htons(conn->sk_num));
	else
#endif
		charter_endpoint_v4(local, CHARTER_PROTO_TCP, conn->sk_daddr,
				    htons(conn->sk_num));
}

/*
 * A connection queued on a listener that goes away may move to another
 * listener of its SO_REUSEPORT group (net.ipv4.tcp_migrate_req, or a
 * BPF_SK_REUSEPORT_SELECT_OR_MIGRATE program), and no inet_conn_request
 * runs for that one: reuseport_migrate_sock() chooses it, for a request
 * (from a retransmitted SYN's ACK or the request timer) or for a child
 * in the accept queue (inet_csk_listen_stop()). The peer is judged here
 * for the listener chosen; refused, nothing migrates and the connection
 * is dropped, as when no listener is left. Softirq or bh disabled.
 */
static struct sock *(*charter_orig_reuseport_migrate_sock)(struct sock *sk,
							  struct sock *migrating_sk,
							  struct sk_buff *skb);

static int charter_check_migration(struct sock *nsk, const struct sock *conn)
{
	struct charter_endpoint local CHARTER_UNINITIALIZED;
	const struct charter_domain *d;
	int ret = 0;

	if (nsk->sk_protocol != IPPROTO_TCP)
		return 0;
	rcu_read_lock();
	d = charter_sock_owner(nsk);
	if (d) {
		charter_conn_peer(conn, &local);
		ret = charter_domain_check_peer(d, &local, NULL);
	}
	rcu_read_unlock();
	return ret;
}

static struct sock *charter_call_reuseport_migrate_sock(struct sock *sk,
							struct sock *migrating_sk,
							struct sk_buff *skb)
{
	int idx = srcu_read_lock(&charter_hook_srcu);
	struct sock *nsk = charter_orig_reuseport_migrate_sock(sk, migrating_sk,
								skb);

	/* The chosen listener comes with a reference: ours to drop. */
	if (nsk && static_branch_unlikely(&charter_confining) &&
	    charter_check_migration(nsk, migrating_sk)) {
		sock_put(nsk);
		nsk = NULL;
	}
	srcu_read_unlock(&charter_hook_srcu, idx);
	return nsk;
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

/* Both judge peers of a domain's sockets only; in softirq, never asleep. */
CHARTER_HOOK_INT_GATED_NOSLEEP(inet_conn_request, CHARTER_GATE_CONFINING,
			       (const struct sock *sk, struct sk_buff *skb,
				struct request_sock *req), (sk, skb, req))
/* Every packet: a TCP one (judged at its SYN) returns at the gate. */
#define CHARTER_GATE_UDP_PEER(sk)					\
	(CHARTER_GATE_CONFINING && (sk)->sk_protocol == IPPROTO_UDP)
CHARTER_HOOK_INT_GATED_NOSLEEP(socket_sock_rcv_skb, CHARTER_GATE_UDP_PEER(sk),
			       (struct sock *sk, struct sk_buff *skb), (sk, skb))

CHARTER_HOOK_TABLE(charter_netpeer_hooks,
	CHARTER_HOOK_OWN(inet_conn_request),
	CHARTER_FUNCTION_ENTRY(reuseport_migrate_sock),
	CHARTER_HOOK_ENTRY_OWN(socket_sock_rcv_skb, security_sock_rcv_skb),
);
