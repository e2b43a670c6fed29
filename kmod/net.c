// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: socket hooks.
 *
 * For a confined task, TCP and UDP over IPv4 and IPv6 follow the
 * manifest's network rules (an IPv4-mapped IPv6 address is its IPv4
 * address):
 *
 *   inbound   a rule reads as a firewall rule: its protocol and port are
 *             a service the program may offer, its address the peers that
 *             may reach it. bind, listen and accept need a rule for the
 *             protocol and local port, on any local address (0.0.0.0 and
 *             :: included). Binding port 0 (let the kernel choose, as
 *             clients do) is not a service: allowed. Peers are judged as
 *             they arrive (netpeer.c): a SYN or a datagram from a peer no
 *             rule grants is dropped.
 *   outbound  connect, and sendmsg to an explicit address (UDP's sendto,
 *             TCP Fast Open's connect-and-send), to that address and port.
 *
 * The address is read as the protocol will read it, whatever its family
 * field and length say (sockaddr.c): an AF_UNSPEC address that UDP sends
 * to as IPv4 is judged as IPv4, binding :: is binding 0.0.0.0 too.
 * Source routes, which send a packet first to another address, are
 * refused (IP_OPTIONS, IPV6_RTHDR; IP_RETOPTS and IPV6_RTHDR control
 * messages where the protocols parse them, for every message of a
 * sendmmsg).
 *
 * Anything else on an inet socket (another protocol, such as SCTP or
 * MPTCP, through the same calls) matches no rule; and sockets of anything
 * the manifest language cannot grant are refused at creation
 * (charter_socket_allowed()). Pathname unix sockets follow the file rules: connecting or
 * sending to one needs write on its path (binding one creates it: write,
 * through path_mknod). An abstract unix socket is reachable only if its
 * owner is in the caller's domain or nested in it (EPERM). A denial is
 * EACCES otherwise.
 *
 * The network's configuration belongs to the whole system: in a domain,
 * a netlink message to the kernel may only read it (rtnetlink's RTM_GET*
 * requests; on generic netlink, the family controller and Charter's own
 * family, which refuses changes itself; nothing on any other protocol, as
 * on a socket opened outside and inherited), and socket ioctls that set
 * interfaces, routes, ARP entries, bridges, bonds or wireless parameters
 * are refused (EPERM); their read counterparts stay allowed; so are the
 * setsockopt() calls that replace firewall tables (iptables, ip6tables,
 * arptables, ebtables, IPVS).
 */

#include <linux/genetlink.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/socket.h>
#include <linux/sockios.h>
#include <linux/wireless.h>
#include <net/af_unix.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/transp_v6.h>

#include "attach.h"
#include "compat.h"
#include "decide.h"
#include "domain.h"
#include "match.h"
#include "netlink.h"
#include "servers.h"
#include "sockaddr.h"
#include "uapi/charter.h"

static u8 charter_sock_protocol(const struct socket *sock)
{
	const struct sock *sk = sock->sk;

	if (sock->type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP)
		return CHARTER_PROTO_TCP;
	if (sock->type == SOCK_DGRAM && sk->sk_protocol == IPPROTO_UDP)
		return CHARTER_PROTO_UDP;
	return 0;
}

static bool charter_is_inet(const struct socket *sock)
{
	return sock->sk && (sock->sk->sk_family == AF_INET ||
			    sock->sk->sk_family == AF_INET6);
}

/*
 * Does every layer of the domain allow each of @ep's @n endpoints? Inbound,
 * a service: its protocol and port, on any address (the endpoints of one
 * bind share their port: the first is judged).
 */
static int charter_check_endpoints(const struct charter_domain *d, u8 direction,
				   const struct charter_endpoint *ep, int n)
{
	int i, r;

	if (direction == CHARTER_NET_INBOUND)
		return n ? charter_domain_check_port(d, &ep[0]) : 0;
	for (i = 0; i < n; i++) {
		r = charter_domain_check_net(d, direction, &ep[i]);
		if (r)
			return r;
	}
	return 0;
}

/*
 * @call, on @sock, judged on the endpoints the protocol will use (see
 * sockaddr.c); an address the protocol would refuse is refused here with
 * its errno.
 */
static int charter_check_call(const struct charter_domain *d,
			      struct socket *sock, struct charter_sock_call *call,
			      u8 direction)
{
	struct charter_endpoint ep[CHARTER_CALL_ENDPOINTS] CHARTER_UNINITIALIZED;
	int n;

	if (!charter_is_inet(sock))
		return 0;
	call->protocol = charter_sock_protocol(sock);
	n = charter_call_endpoints(call, ep);
	if (n < 0)
		return n;
	return charter_check_endpoints(d, direction, ep, n);
}

/*
 * The service @sock offers: its protocol and local port (0 if unbound:
 * listen then picks one), whatever its local address.
 */
static int charter_check_local(const struct charter_domain *d,
			       struct socket *sock)
{
	struct charter_endpoint ep CHARTER_UNINITIALIZED;
	const struct sock *sk;
	u8 protocol;

	if (!charter_is_inet(sock))
		return 0;
	sk = sock->sk;
	protocol = charter_sock_protocol(sock);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6)
		charter_endpoint_v6(&ep, protocol, &sk->sk_v6_rcv_saddr,
				    inet_sk(sk)->inet_sport);
	else
#endif
		charter_endpoint_v4(&ep, protocol, sk->sk_rcv_saddr,
				    inet_sk(sk)->inet_sport);
	return charter_domain_check_port(d, &ep);
}

/*
 * The sockets a confined task may create: what the manifest language can
 * grant (TCP and UDP over IPv4 and IPv6), unix sockets (judged on use),
 * and NETLINK_ROUTE, which glibc's getaddrinfo needs. Everything else,
 * other protocols over inet (SCTP, MPTCP, ICMP, raw), packet sockets and
 * other families, would go around the rules: EACCES.
 */
static bool charter_socket_allowed(int family, int type, int protocol)
{
	type &= SOCK_TYPE_MASK;
	switch (family) {
	case AF_UNIX:
		return true;
	case AF_NETLINK:
		return protocol == NETLINK_ROUTE;
	case AF_INET:
	case AF_INET6:
		return (type == SOCK_STREAM && (!protocol || protocol == IPPROTO_TCP)) ||
		       (type == SOCK_DGRAM && (!protocol || protocol == IPPROTO_UDP));
	}
	return false;
}

static int charter_hook_socket_create(struct charter_domain *d, int family,
				      int type, int protocol, int kern)
{
	if (kern || charter_socket_allowed(family, type, protocol))
		return 0;
	return charter_refuse(d, -EACCES,
			      "socket create family %d type %d protocol %d",
			      family, type & SOCK_TYPE_MASK, protocol);
}

/*
 * The peers of a socket are judged by the domain of the task that made
 * it (netpeer.c). On a socket made outside the caller's domain (by an
 * outer layer, or outside every domain, and handed in), the port the
 * program chooses would be judged by other rules than its own: binding
 * or listening there is refused (EACCES). A socket made in a domain
 * nested inside the caller's is judged by all of the caller's layers.
 */
static int charter_check_sock_maker(struct charter_domain *d,
				    struct socket *sock)
{
	const struct charter_domain *maker;

	if (!charter_is_inet(sock))
		return 0;
	maker = sock->file ? charter_cred_domain(sock->file->f_cred) : NULL;
	if (charter_domain_contains(d, maker))
		return 0;
	return charter_refuse(d, -EACCES,
			      "bind or listen on a socket made outside the domain");
}

/* @d: the running task's domain (CHARTER_HOOK_INT_DOMAIN): these four. */
static int charter_hook_socket_bind(struct charter_domain *d,
				    struct socket *sock,
				    struct sockaddr *address, int addrlen)
{
	struct charter_sock_call call = {
		.op = CHARTER_SOCK_BIND, .addr = address, .len = addrlen,
	};

	return charter_check_call(d, sock, &call, CHARTER_NET_INBOUND) ?:
	       charter_check_sock_maker(d, sock);
}

static int charter_hook_socket_connect(struct charter_domain *d,
				       struct socket *sock,
				       struct sockaddr *address, int addrlen)
{
	struct charter_sock_call call = {
		.op = CHARTER_SOCK_CONNECT, .addr = address, .len = addrlen,
	};

	return charter_check_call(d, sock, &call, CHARTER_NET_OUTBOUND);
}

static int charter_hook_socket_listen(struct charter_domain *d,
				      struct socket *sock, int backlog)
{
	return charter_check_local(d, sock) ?: charter_check_sock_maker(d, sock);
}

static int charter_hook_socket_accept(struct charter_domain *d,
				      struct socket *sock,
				      struct socket *newsock)
{
	return charter_check_local(d, sock);
}

/*
 * A source route sends a packet first to an address no rule has judged:
 * the first hop of an IPv4 loose or strict source route, the first
 * segment of an IPv6 segment routing header, the address of a Mobile
 * IPv6 type 2 routing header (CONFIG_IPV6_MIP6, on in Debian's kernels:
 * ip6_datagram_send_ctl() takes one without a capability, and
 * fl6_update_dst() sends the packet there). No manifest can grant one.
 * IP_OPTIONS can set the first, IPV6_RTHDR the others, and so can
 * IPV6_2292PKTOPTIONS (RFC 2292's sticky options, parsed as a sendmsg's
 * control messages), and so can a flow label (IPV6_FLOWLABEL_MGR): its
 * options, a routing header among them, go with every packet sent with
 * it, and a label one process made another attaches by number (a
 * red-team run sent through fd00::2 on a label made outside the domain).
 * All are refused in a domain, as are IP_RETOPTS, IPV6_RTHDR and
 * IPV6_2292RTHDR in a sendmsg.
 */
static bool charter_sets_source_route(int level, int optname)
{
	return (level == SOL_IP && optname == IP_OPTIONS) ||
	       (level == SOL_IPV6 && (optname == IPV6_RTHDR ||
				      optname == IPV6_2292PKTOPTIONS ||
				      optname == IPV6_FLOWLABEL_MGR));
}

/* A sendmsg control message that sets a source route (see above)? */
static bool charter_cmsg_source_route(const struct cmsghdr *cmsg)
{
	return (cmsg->cmsg_level == SOL_IP && cmsg->cmsg_type == IP_RETOPTS) ||
	       (cmsg->cmsg_level == SOL_IPV6 &&
		(cmsg->cmsg_type == IPV6_RTHDR ||
		 cmsg->cmsg_type == IPV6_2292RTHDR));
}

/*
 * With IP_RECVERR (IPV6_RECVERR), an ICMP error about one of a socket's
 * packets is queued whole, its payload included, for
 * recvmsg(MSG_ERRQUEUE): bytes chosen by whoever sent the ICMP message,
 * from any address, and no rule judges them (udp_err() and tcp_v4_err()
 * queue them without passing sk_filter). Refused in a domain (EACCES).
 */
static bool charter_sets_error_queue(int level, int optname)
{
	return (level == SOL_IP && optname == IP_RECVERR) ||
	       (level == SOL_IPV6 && optname == IPV6_RECVERR);
}

/*
 * Source routes in control messages (see above) are judged where the
 * protocols parse them, ip_cmsg_send() (UDP, UDP-Lite, raw and ping over
 * IPv4) and ip6_datagram_send_ctl() (their IPv6 twins, L2TP over IPv6,
 * IPV6_2292PKTOPTIONS), and not in socket_sendmsg: sendmmsg() skips
 * security_socket_sendmsg() for a message to the address of the one
 * before it (____sys_sendmsg()'s used_address), and a second message to
 * a granted address carried a source route to one no rule grants (found
 * by a red-team run). Every message of every entry reaches the parser.
 * Both are called in process context, the messages already in kernel
 * memory; charter_refuse() does not sleep.
 */
static noinline int charter_check_cmsg_routes(struct charter_domain *d,
					      struct msghdr *msg)
{
	struct cmsghdr *cmsg;

	/* ____sys_sendmsg() copies them in first: anything else is unknown. */
	if (msg->msg_control_is_user)
		return charter_refuse(d, -EACCES,
				      "control messages in user memory");
	for_each_cmsghdr(cmsg, msg) {
		/*
		 * The walk steps by cmsg_len, which the sender chose: a length
		 * of 0 would hold it on one header for ever (found by
		 * trinity). The parsers take nothing after a header that is
		 * not CMSG_OK and fail the call with EINVAL: so does this,
		 * before they run.
		 */
		if (!CMSG_OK(msg, cmsg))
			return -EINVAL;
		if (charter_cmsg_source_route(cmsg))
			return charter_refuse(d, -EACCES,
					      "sendmsg with a source route (level %d, type %d)",
					      cmsg->cmsg_level, cmsg->cmsg_type);
	}
	return 0;
}

/* The task's domain's judgement of @msg's control messages, if any. */
static int charter_check_cmsg(struct msghdr *msg)
{
	struct charter_domain *d;

	if (!static_branch_unlikely(&charter_confining))
		return 0;
	d = charter_current_domain();
	return d ? charter_check_cmsg_routes(d, msg) : 0;
}

static int (*charter_orig_ip_cmsg_send)(struct sock *sk, struct msghdr *msg,
					struct ipcm_cookie *ipc,
					bool allow_ipv6);

static int charter_call_ip_cmsg_send(struct sock *sk, struct msghdr *msg,
				     struct ipcm_cookie *ipc, bool allow_ipv6)
{
	int idx = srcu_read_lock(&charter_hook_srcu);
	int ret = charter_check_cmsg(msg);

	if (!ret)
		ret = charter_orig_ip_cmsg_send(sk, msg, ipc, allow_ipv6);
	srcu_read_unlock(&charter_hook_srcu, idx);
	return ret;
}

static int (*charter_orig_ip6_datagram_send_ctl)(struct net *net,
						 struct sock *sk,
						 struct msghdr *msg,
						 struct flowi6 *fl6,
						 struct ipcm6_cookie *ipc6);

static int charter_call_ip6_datagram_send_ctl(struct net *net,
					      struct sock *sk,
					      struct msghdr *msg,
					      struct flowi6 *fl6,
					      struct ipcm6_cookie *ipc6)
{
	int idx = srcu_read_lock(&charter_hook_srcu);
	int ret = charter_check_cmsg(msg);

	if (!ret)
		ret = charter_orig_ip6_datagram_send_ctl(net, sk, msg, fl6,
							 ipc6);
	srcu_read_unlock(&charter_hook_srcu, idx);
	return ret;
}

/*
 * The protocol reads msg_name, msg_namelen, msg_flags and the control
 * messages after this hook, from the same kernel msghdr: they are what
 * it will use.
 */
static noinline int charter_check_sendmsg(struct charter_domain *d,
					  struct socket *sock,
					  struct msghdr *msg)
{
	struct charter_sock_call call = {
		.op = CHARTER_SOCK_SENDMSG,
		.fastopen = msg->msg_flags & MSG_FASTOPEN,
		.addr = msg->msg_name,
		.len = msg->msg_namelen,
	};

	return charter_check_call(d, sock, &call, CHARTER_NET_OUTBOUND);
}

static int charter_hook_socket_sendmsg(struct charter_domain *d,
				       struct socket *sock, struct msghdr *msg,
				       int size)
{
	struct charter_endpoint ep CHARTER_UNINITIALIZED;

	/* A datagram to an IPv4 address: the one endpoint, read at once. */
	if (charter_is_inet(sock) &&
	    charter_sock_protocol(sock) == CHARTER_PROTO_UDP &&
	    charter_udp_v4_destination(msg->msg_name, msg->msg_namelen, &ep))
		return charter_domain_check_net(d, CHARTER_NET_OUTBOUND, &ep);
	return charter_check_sendmsg(d, sock, msg);
}

/**
 * charter_server_maker_ok() - may a class grant the server's socket @other?
 * @other: the listening socket, at a server's place (servers.c)
 * @classes: the classes that place names
 *
 * Only when its maker (the task that created it, as its file's
 * credentials say) is outside every domain, or in one each of whose
 * layers grants one of the classes too (a confined compositor): a program
 * of another domain binding a server's name (an abstract one needs no
 * grant at all) is no server (red team). Under @other's state lock.
 *
 * Return: true when the classes may grant it.
 */
bool charter_server_maker_ok(const struct sock *other, u32 classes)
{
	const struct socket *sock = other->sk_socket;
	const struct charter_domain *maker;

	if (!sock || !sock->file)
		return false;
	maker = charter_cred_domain(sock->file->f_cred);
	return !maker ||
	       charter_domain_grants_classes(maker,
					     charter_server_grantors(classes));
}

/*
 * An abstract unix socket is reachable only when its owner (the task that
 * made it, as its file's credentials say) is in the caller's domain or
 * one nested inside it, as Landlock scopes them (EPERM otherwise); or,
 * by a stream connect (@stream), when it is a server's socket a device
 * class of every layer grants (servers.c: X11's @/tmp/.X11-unix/XN).
 */
static int charter_check_abstract_peer(const struct charter_domain *d,
				       struct sock *other,
				       const struct unix_address *addr,
				       bool stream)
{
	const struct socket *sock = other->sk_socket;
	char name[sizeof(addr->name->sun_path) + 1];
	size_t len;
	u32 classes;

	if (sock && sock->file &&
	    charter_domain_contains(d, charter_cred_domain(sock->file->f_cred)))
		return 0;
	len = addr->len - offsetof(struct sockaddr_un, sun_path);
	if (stream && len <= sizeof(addr->name->sun_path)) {
		name[0] = '@';
		memcpy(name + 1, addr->name->sun_path + 1, len - 1);
		name[len] = '\0';
		classes = charter_server_classes(name, len, other->sk_uid,
						 current_uid());
		if (classes && charter_server_maker_ok(other, classes))
			return charter_domain_check_server(d, classes, name, len);
	}
	return charter_refuse(d, -EPERM,
			      "reach an abstract unix socket outside the domain");
}

/*
 * A pathname unix socket is a file: reaching it needs write on its path,
 * or, by a stream connect (@stream) to a server's socket, a device class
 * (fs.c, charter_check_unix_path()). Both hooks run with @other's
 * state lock held (no sleeping here), which also keeps its path and
 * address in place.
 */
static int charter_check_unix_peer(struct sock *other, bool stream)
{
	struct charter_domain *d = charter_current_domain();
	const struct unix_address *addr;
	const struct path *path;

	if (likely(!d))
		return 0;
	path = &unix_sk(other)->path;
	if (path->dentry)
		return charter_check_unix_path(d, path, other, stream);
	addr = unix_sk(other)->addr;
	if (addr && addr->len > offsetof(struct sockaddr_un, sun_path) &&
	    !addr->name->sun_path[0])
		return charter_check_abstract_peer(d, other, addr, stream);
	return 0;	/* unnamed: a socketpair, already shared */
}

static int charter_hook_unix_stream_connect(struct sock *sock,
					    struct sock *other,
					    struct sock *newsk)
{
	return charter_check_unix_peer(other, true);
}

static int charter_hook_unix_may_send(struct socket *sock,
				      struct socket *other)
{
	return charter_check_unix_peer(other->sk, false);
}

/*
 * rtnetlink's own rule (rtnetlink_rcv_msg()): message types come in
 * groups of four from RTM_BASE (NEW, DEL, GET, SET), and only the third,
 * GET, is allowed without CAP_NET_ADMIN. Below RTM_BASE: control messages.
 */
static bool charter_rtnl_reads(u16 type)
{
	return type < RTM_BASE || ((type - RTM_BASE) & 3) == 2;
}

static bool charter_genl_reads(u16 type)
{
	return type == GENL_ID_CTRL || type == charter_netlink_family_id();
}

/*
 * Every message of @skb, walked as netlink_rcv_skb() will walk it (the
 * skb is the kernel's own copy: nothing can change after this check).
 */
static int charter_check_netlink_msgs(const struct charter_domain *d,
				      const struct sk_buff *skb, int protocol,
				      bool (*reads)(u16 type))
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)skb->data;
	int rem = skb_headlen(skb);

	if (skb_headlen(skb) != skb->len)
		return charter_refuse(d, -EPERM,
				      "netlink send protocol %d (fragmented)",
				      protocol);
	for (; nlmsg_ok(nlh, rem); nlh = nlmsg_next(nlh, &rem))
		if (!reads(nlh->nlmsg_type))
			return charter_refuse(d, -EPERM,
					      "netlink send protocol %d message type %u",
					      protocol, nlh->nlmsg_type);
	return 0;
}

static int charter_hook_netlink_send(struct sock *sk, struct sk_buff *skb)
{
	struct charter_domain *d = charter_current_domain();

	if (likely(!d))
		return 0;
	switch (sk->sk_protocol) {
	case NETLINK_ROUTE:
		return charter_check_netlink_msgs(d, skb, NETLINK_ROUTE,
						  charter_rtnl_reads);
	case NETLINK_GENERIC:
		return charter_check_netlink_msgs(d, skb, NETLINK_GENERIC,
						  charter_genl_reads);
	}
	return charter_refuse(d, -EPERM, "netlink send protocol %d",
			      sk->sk_protocol);
}

/*
 * The firewall is set through setsockopt() on any inet socket:
 * ip_setsockopt() and ipv6_setsockopt() pass options they do not know to
 * nf_setsockopt(). The ranges registered for setting in 6.1: iptables and
 * ip6tables (64-65), arptables (96-97), ebtables (128-129), IPVS
 * (1024-1039, IP_VS_SO_SET_*).
 */
static bool charter_sets_firewall(int level, int optname)
{
	if (level == SOL_IPV6)
		return optname >= 64 && optname <= 65;
	if (level != SOL_IP)
		return false;
	return (optname >= 64 && optname <= 65) ||
	       (optname >= 96 && optname <= 97) ||
	       (optname >= 128 && optname <= 129) ||
	       (optname >= 1024 && optname <= 1039);
}

/*
 * Source routes and error queues (EACCES: no rule can grant them),
 * firewall tables (EPERM).
 */
static int charter_hook_socket_setsockopt(struct charter_domain *d,
					  struct socket *sock, int level,
					  int optname)
{
	if (!charter_is_inet(sock))
		return 0;
	if (charter_sets_source_route(level, optname))
		return charter_refuse(d, -EACCES,
				      "setsockopt level %d option %d (a source route)",
				      level, optname);
	if (charter_sets_error_queue(level, optname))
		return charter_refuse(d, -EACCES,
				      "setsockopt level %d option %d (ICMP errors with their payload)",
				      level, optname);
	if (charter_sets_firewall(level, optname))
		return charter_refuse(d, -EPERM,
				      "setsockopt level %d option %d (firewall tables)",
				      level, optname);
	return 0;
}

/* Socket ioctls that only read (include/uapi/linux/sockios.h). */
static bool charter_sockios_reads(unsigned int cmd)
{
	switch (cmd) {
	case FIOSETOWN:		/* the owner: scoped in ptrace.c */
	case SIOCSPGRP:
	case FIOGETOWN:
	case SIOCGPGRP:
	case SIOCATMARK:
	case SIOCGSTAMP_OLD:
	case SIOCGSTAMPNS_OLD:
	case SIOCGIFNAME:
	case SIOCGIFCONF:
	case SIOCGIFFLAGS:
	case SIOCGIFADDR:
	case SIOCGIFDSTADDR:
	case SIOCGIFBRDADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFMETRIC:
	case SIOCGIFMEM:
	case SIOCGIFMTU:
	case SIOCGIFENCAP:
	case SIOCGIFHWADDR:
	case SIOCGIFSLAVE:
	case SIOCGIFINDEX:
	case SIOCGIFPFLAGS:
	case SIOCGIFCOUNT:
	case SIOCGIFBR:
	case SIOCGIFTXQLEN:
	case SIOCGMIIPHY:
	case SIOCGMIIREG:
	case SIOCOUTQNSD:
	case SIOCGSKNS:
	case SIOCGARP:
	case SIOCGRARP:
	case SIOCGIFMAP:
	case SIOCGIFVLAN:
	case SIOCGHWTSTAMP:
		return true;
	}
	return false;
}

/*
 * kernel.c has the one ioctl hook. On a socket, in a domain: the 0x89xx
 * socket ioctls that are not reads (SIOCETHTOOL and the protocol- and
 * device-private ranges included), and wireless extensions' setters (even
 * numbers, IW_IS_SET()), are refused.
 */
int charter_check_net_ioctl(const struct charter_domain *d, struct file *file,
			    unsigned int cmd)
{
	if (!S_ISSOCK(file_inode(file)->i_mode))
		return 0;
	if (cmd >= SIOCIWFIRST && cmd <= SIOCIWLAST) {
		if (!IW_IS_SET(cmd))
			return 0;
		return charter_refuse(d, -EPERM, "ioctl %#x (a wireless setting)",
				      cmd);
	}
	if ((cmd & ~0xffU) == 0x8900 && !charter_sockios_reads(cmd))
		return charter_refuse(d, -EPERM,
				      "ioctl %#x (network configuration)", cmd);
	return 0;
}

/* Each of these judges only a task in a domain. */
CHARTER_HOOK_INT_DOMAIN(socket_create, d,
			(int family, int type, int protocol, int kern),
			(family, type, protocol, kern))
CHARTER_HOOK_INT_DOMAIN(socket_bind, d,
			(struct socket *sock, struct sockaddr *address,
			 int addrlen), (sock, address, addrlen))
CHARTER_HOOK_INT_DOMAIN(socket_connect, d,
			(struct socket *sock, struct sockaddr *address,
			 int addrlen), (sock, address, addrlen))
CHARTER_HOOK_INT_DOMAIN(socket_listen, d,
			(struct socket *sock, int backlog), (sock, backlog))
CHARTER_HOOK_INT_DOMAIN(socket_accept, d,
			(struct socket *sock, struct socket *newsock),
			(sock, newsock))
/* Every datagram: the body never sleeps (events and learning: GFP_ATOMIC). */
CHARTER_HOOK_INT_DOMAIN_NOSLEEP(socket_sendmsg, d,
				(struct socket *sock, struct msghdr *msg,
				 int size), (sock, msg, size))
CHARTER_HOOK_INT_DOMAIN(socket_setsockopt, d,
			(struct socket *sock, int level, int optname),
			(sock, level, optname))
CHARTER_HOOK_INT(unix_stream_connect, (struct sock *sock, struct sock *other,
				       struct sock *newsk), (sock, other, newsk))
CHARTER_HOOK_INT(unix_may_send, (struct socket *sock, struct socket *other),
		 (sock, other))
CHARTER_HOOK_INT(netlink_send, (struct sock *sk, struct sk_buff *skb),
		 (sk, skb))

CHARTER_HOOK_TABLE(charter_net_hooks,
	CHARTER_HOOK_OWN(socket_create),
	CHARTER_HOOK(socket_bind),
	CHARTER_HOOK_OWN(socket_connect),
	CHARTER_HOOK(socket_listen),
	CHARTER_HOOK_OWN(socket_accept),
	CHARTER_HOOK_OWN(socket_sendmsg),
	CHARTER_HOOK_OWN(socket_setsockopt),
	CHARTER_HOOK(unix_stream_connect),
	CHARTER_HOOK(unix_may_send),
	CHARTER_HOOK(netlink_send),
	CHARTER_FUNCTION_ENTRY(ip_cmsg_send),
	CHARTER_FUNCTION_ENTRY(ip6_datagram_send_ctl),
);
