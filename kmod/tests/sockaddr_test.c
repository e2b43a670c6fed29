// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the endpoints a socket call names (kmod/sockaddr.c), read as
 * Linux 6.1's TCP and UDP read the same bytes.
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/ipv6.h>

#include "../sockaddr.h"
#include "../uapi/charter.h"

#define TCP CHARTER_PROTO_TCP
#define UDP CHARTER_PROTO_UDP
#define BIND CHARTER_SOCK_BIND
#define CONNECT CHARTER_SOCK_CONNECT
#define SENDMSG CHARTER_SOCK_SENDMSG
#define LO4 htonl(INADDR_LOOPBACK)

/* A sockaddr_in of family @family (AF_INET or not) in @ss. */
static const struct sockaddr *sin(struct sockaddr_storage *ss, u16 family,
				  __be32 addr, u16 port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	in->sin_family = family;
	in->sin_addr.s_addr = addr;
	in->sin_port = htons(port);
	return (const struct sockaddr *)ss;
}

static const struct sockaddr *sin6(struct sockaddr_storage *ss,
				   const struct in6_addr *addr, u16 port)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	in6->sin6_family = AF_INET6;
	in6->sin6_addr = *addr;
	in6->sin6_port = htons(port);
	return (const struct sockaddr *)ss;
}

struct result {
	int n;
	struct charter_endpoint ep[CHARTER_CALL_ENDPOINTS];
};

static struct result call(enum charter_sock_op op, u8 protocol, bool fastopen,
			  const struct sockaddr *addr, int len)
{
	struct charter_sock_call c = {
		.op = op, .protocol = protocol, .fastopen = fastopen,
		.addr = addr, .len = len,
	};
	struct result r;

	r.n = charter_call_endpoints(&c, r.ep);
	return r;
}

static void expect_v4(struct kunit *test, const struct charter_endpoint *ep,
		      u8 protocol, __be32 addr, u16 port)
{
	KUNIT_EXPECT_EQ(test, ep->family, CHARTER_FAMILY_INET);
	KUNIT_EXPECT_EQ(test, ep->protocol, protocol);
	KUNIT_EXPECT_EQ(test, memcmp(ep->addr, &addr, 4), 0);
	KUNIT_EXPECT_EQ(test, ep->port, port);
}

/* The reported escape: udp_sendmsg sends AF_UNSPEC as AF_INET. */
static void charter_sockaddr_unspec_sendmsg_is_ipv4(struct kunit *test)
{
	struct sockaddr_storage ss;
	const struct sockaddr *a = sin(&ss, AF_UNSPEC, LO4, 5301);
	struct result r = call(SENDMSG, UDP, false, a, sizeof(struct sockaddr_in));

	KUNIT_ASSERT_EQ(test, r.n, 1);
	expect_v4(test, &r.ep[0], UDP, LO4, 5301);
	/* Longer is the same; shorter or port 0, udp_sendmsg says EINVAL. */
	KUNIT_EXPECT_EQ(test, call(SENDMSG, UDP, false, a, sizeof(ss)).n, 1);
	KUNIT_EXPECT_EQ(test, call(SENDMSG, UDP, false, a, 15).n, 0);
	KUNIT_EXPECT_EQ(test, call(SENDMSG, UDP, false, a, 2).n, 0);
	a = sin(&ss, AF_UNSPEC, LO4, 0);
	KUNIT_EXPECT_EQ(test, call(SENDMSG, UDP, false, a, 16).n, 0);
}

static void charter_sockaddr_unspec_connect_is_disconnect(struct kunit *test)
{
	struct sockaddr_storage ss;
	const struct sockaddr *a = sin(&ss, AF_UNSPEC, LO4, 5301);

	KUNIT_EXPECT_EQ(test, call(CONNECT, UDP, false, a, 16).n, 0);
	KUNIT_EXPECT_EQ(test, call(CONNECT, TCP, false, a, 16).n, 0);
	KUNIT_EXPECT_EQ(test, call(CONNECT, TCP, false, a, 2).n, 0);
	KUNIT_EXPECT_EQ(test, call(CONNECT, UDP, false, a, 1).n, -EINVAL);
	KUNIT_EXPECT_EQ(test, call(CONNECT, UDP, false, a, 0).n, -EINVAL);
	/* Fast Open refuses AF_UNSPEC (EOPNOTSUPP): nothing is connected. */
	KUNIT_EXPECT_EQ(test, call(SENDMSG, TCP, true, a, 16).n, 0);
}

/* __inet_bind takes AF_UNSPEC as AF_INET for INADDR_ANY only. */
static void charter_sockaddr_unspec_bind(struct kunit *test)
{
	struct sockaddr_storage ss;
	struct result r = call(BIND, UDP, false,
			       sin(&ss, AF_UNSPEC, htonl(INADDR_ANY), 8080), 16);

	KUNIT_ASSERT_EQ(test, r.n, 1);
	expect_v4(test, &r.ep[0], UDP, htonl(INADDR_ANY), 8080);
	KUNIT_EXPECT_EQ(test, call(BIND, UDP, false, (void *)&ss, 15).n, -EINVAL);
	sin(&ss, AF_UNSPEC, htonl(INADDR_ANY), 0);
	KUNIT_EXPECT_EQ(test, call(BIND, TCP, false, (void *)&ss, 16).n, 0);
	sin(&ss, AF_UNSPEC, LO4, 8080);
	KUNIT_EXPECT_EQ(test, call(BIND, TCP, false, (void *)&ss, 16).n,
			-EAFNOSUPPORT);
}

/* Every length the protocols accept is judged; the shorter ones refused. */
static void charter_sockaddr_lengths(struct kunit *test)
{
	static const enum charter_sock_op ops[] = { BIND, CONNECT, SENDMSG };
	struct in6_addr lo6 = IN6ADDR_LOOPBACK_INIT;
	struct sockaddr_storage ss;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		sin(&ss, AF_INET, LO4, 5301);
		KUNIT_EXPECT_EQ(test, call(ops[i], UDP, false, (void *)&ss, 15).n, -EINVAL);
		KUNIT_EXPECT_EQ(test, call(ops[i], UDP, false, (void *)&ss, 16).n, 1);
		KUNIT_EXPECT_EQ(test, call(ops[i], UDP, false, (void *)&ss, 1).n, -EINVAL);
		sin6(&ss, &lo6, 5301);
		KUNIT_EXPECT_EQ(test, call(ops[i], UDP, false, (void *)&ss, 23).n, -EINVAL);
		KUNIT_EXPECT_EQ(test, call(ops[i], UDP, false, (void *)&ss,
					   SIN6_LEN_RFC2133).n, 1);
		KUNIT_EXPECT_EQ(test, call(ops[i], UDP, false, (void *)&ss,
					   sizeof(struct sockaddr_in6)).n, 1);
	}
	/* sendto with a name of length 0: udp_sendmsg says EINVAL. */
	KUNIT_EXPECT_EQ(test, call(SENDMSG, UDP, false, (void *)&ss, 0).n, -EINVAL);
	/* Families no inet protocol takes. */
	ss.ss_family = AF_UNIX;
	KUNIT_EXPECT_EQ(test, call(SENDMSG, UDP, false, (void *)&ss, 110).n,
			-EAFNOSUPPORT);
	KUNIT_EXPECT_EQ(test, call(CONNECT, TCP, false, (void *)&ss, 110).n,
			-EAFNOSUPPORT);
}

/* The address's family, not the socket's: mapped and AF_INET are IPv4. */
static void charter_sockaddr_mapped_is_ipv4(struct kunit *test)
{
	struct sockaddr_storage ss;
	struct in6_addr mapped;
	struct result r;

	ipv6_addr_set_v4mapped(LO4, &mapped);
	r = call(SENDMSG, UDP, false, sin6(&ss, &mapped, 5301), 28);
	KUNIT_ASSERT_EQ(test, r.n, 1);
	expect_v4(test, &r.ep[0], UDP, LO4, 5301);
	r = call(CONNECT, TCP, false, sin(&ss, AF_INET, LO4, 9001), 16);
	KUNIT_ASSERT_EQ(test, r.n, 1);
	expect_v4(test, &r.ep[0], TCP, LO4, 9001);
}

/* TCP reads a sendmsg's address only to connect, with MSG_FASTOPEN. */
static void charter_sockaddr_tcp_sendmsg(struct kunit *test)
{
	struct sockaddr_storage ss;
	const struct sockaddr *a = sin(&ss, AF_INET, LO4, 9001);
	struct result r;

	KUNIT_EXPECT_EQ(test, call(SENDMSG, TCP, false, a, 16).n, 0);
	KUNIT_EXPECT_EQ(test, call(SENDMSG, TCP, false, a, 1).n, 0);
	r = call(SENDMSG, TCP, true, a, 16);
	KUNIT_ASSERT_EQ(test, r.n, 1);
	expect_v4(test, &r.ep[0], TCP, LO4, 9001);
	KUNIT_EXPECT_EQ(test, call(SENDMSG, TCP, true, a, 8).n, -EINVAL);
	KUNIT_EXPECT_EQ(test, call(SENDMSG, TCP, true, a, 0).n, -EINVAL);
}

/* No name: the connected peer (sendmsg); bind and connect need one. */
static void charter_sockaddr_no_name(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, call(SENDMSG, UDP, false, NULL, 16).n, 0);
	KUNIT_EXPECT_EQ(test, call(SENDMSG, TCP, true, NULL, 0).n, 0);
	KUNIT_EXPECT_EQ(test, call(BIND, UDP, false, NULL, 16).n, -EINVAL);
	KUNIT_EXPECT_EQ(test, call(CONNECT, TCP, false, NULL, 16).n, -EINVAL);
}

/* Binding :: takes 0.0.0.0 as well (unless IPV6_V6ONLY, still changeable). */
static void charter_sockaddr_bind_any6_is_both(struct kunit *test)
{
	struct in6_addr any = IN6ADDR_ANY_INIT, lo6 = IN6ADDR_LOOPBACK_INIT;
	struct in6_addr mapped_any;
	struct sockaddr_storage ss;
	struct result r = call(BIND, UDP, false, sin6(&ss, &any, 8053), 28);

	KUNIT_ASSERT_EQ(test, r.n, 2);
	KUNIT_EXPECT_TRUE(test, charter_endpoint_v6_any(&r.ep[0]));
	KUNIT_EXPECT_EQ(test, r.ep[0].port, 8053);
	expect_v4(test, &r.ep[1], UDP, htonl(INADDR_ANY), 8053);
	KUNIT_EXPECT_EQ(test, call(BIND, UDP, false, sin6(&ss, &any, 0), 28).n, 0);
	KUNIT_EXPECT_EQ(test, call(BIND, UDP, false, sin6(&ss, &lo6, 8053), 28).n, 1);
	ipv6_addr_set_v4mapped(htonl(INADDR_ANY), &mapped_any);
	r = call(BIND, TCP, false, sin6(&ss, &mapped_any, 8053), 28);
	KUNIT_ASSERT_EQ(test, r.n, 1);
	expect_v4(test, &r.ep[0], TCP, htonl(INADDR_ANY), 8053);
}

/* 0.0.0.0 and :: as destinations are the host: judged as its loopback. */
static void charter_sockaddr_unspecified_destination(struct kunit *test)
{
	struct in6_addr any = IN6ADDR_ANY_INIT, lo6 = IN6ADDR_LOOPBACK_INIT;
	struct in6_addr mapped_any;
	struct sockaddr_storage ss;
	struct result r;

	r = call(CONNECT, TCP, false, sin(&ss, AF_INET, htonl(INADDR_ANY), 9000), 16);
	KUNIT_ASSERT_EQ(test, r.n, 1);
	expect_v4(test, &r.ep[0], TCP, LO4, 9000);
	r = call(SENDMSG, UDP, false, sin(&ss, AF_UNSPEC, htonl(INADDR_ANY), 53), 16);
	KUNIT_ASSERT_EQ(test, r.n, 1);
	expect_v4(test, &r.ep[0], UDP, LO4, 53);
	ipv6_addr_set_v4mapped(htonl(INADDR_ANY), &mapped_any);
	r = call(SENDMSG, UDP, false, sin6(&ss, &mapped_any, 53), 28);
	KUNIT_ASSERT_EQ(test, r.n, 1);
	expect_v4(test, &r.ep[0], UDP, LO4, 53);
	/* ::, on a socket that is or may become bound to a mapped address. */
	r = call(SENDMSG, TCP, true, sin6(&ss, &any, 80), 24);
	KUNIT_ASSERT_EQ(test, r.n, 2);
	KUNIT_EXPECT_EQ(test, r.ep[0].family, CHARTER_FAMILY_INET6);
	KUNIT_EXPECT_EQ(test, memcmp(r.ep[0].addr, &lo6, 16), 0);
	KUNIT_EXPECT_EQ(test, r.ep[0].port, 80);
	expect_v4(test, &r.ep[1], TCP, LO4, 80);
	/* Binding 0.0.0.0 is binding every address: as written. */
	r = call(BIND, TCP, false, sin(&ss, AF_INET, htonl(INADDR_ANY), 80), 16);
	KUNIT_ASSERT_EQ(test, r.n, 1);
	expect_v4(test, &r.ep[0], TCP, htonl(INADDR_ANY), 80);
}

/* Another protocol: anything with an address but a disconnect is judged. */
static void charter_sockaddr_other_protocol(struct kunit *test)
{
	struct sockaddr_storage ss;
	const struct sockaddr *a = sin(&ss, AF_UNSPEC, LO4, 0);
	struct result r = call(SENDMSG, 0, false, a, 16);

	KUNIT_EXPECT_EQ(test, r.n, 1);
	KUNIT_EXPECT_EQ(test, r.ep[0].protocol, 0);
	KUNIT_EXPECT_EQ(test, call(BIND, 0, false, a, 16).n, 1);
	KUNIT_EXPECT_EQ(test, call(CONNECT, 0, false, a, 16).n, 0);
	ss.ss_family = AF_PACKET;
	KUNIT_EXPECT_EQ(test, call(SENDMSG, 0, false, a, 20).n, 1);
	KUNIT_EXPECT_EQ(test, call(SENDMSG, 0, false, NULL, 0).n, 0);
}

static struct kunit_case charter_sockaddr_cases[] = {
	KUNIT_CASE(charter_sockaddr_unspec_sendmsg_is_ipv4),
	KUNIT_CASE(charter_sockaddr_unspec_connect_is_disconnect),
	KUNIT_CASE(charter_sockaddr_unspec_bind),
	KUNIT_CASE(charter_sockaddr_lengths),
	KUNIT_CASE(charter_sockaddr_mapped_is_ipv4),
	KUNIT_CASE(charter_sockaddr_tcp_sendmsg),
	KUNIT_CASE(charter_sockaddr_no_name),
	KUNIT_CASE(charter_sockaddr_bind_any6_is_both),
	KUNIT_CASE(charter_sockaddr_unspecified_destination),
	KUNIT_CASE(charter_sockaddr_other_protocol),
	{}
};

static struct kunit_suite charter_sockaddr_suite = {
	.name = "charter_sockaddr",
	.test_cases = charter_sockaddr_cases,
};

kunit_test_suite(charter_sockaddr_suite);
