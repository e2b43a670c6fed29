/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One network rule against an endpoint or a port: shared by match.c's
 * reference scan and ruleindex.c's lookup, and inline in both, since a
 * datagram is judged on its way out and on its way in; and the index's
 * lookup, inline in domain.c for the same reason.
 */
#ifndef _CHARTER_NETRULE_H
#define _CHARTER_NETRULE_H

#include <linux/hash.h>
#include <linux/string.h>
#include <linux/types.h>

#include "match.h"
#include "policy.h"

/* The 32-bit word at byte @i of an address, in host order. */
static inline u32 charter_addr_word(const u8 *addr, unsigned int i)
{
	__be32 w;

	memcpy(&w, addr + i, sizeof(w));
	return be32_to_cpu(w);
}

/*
 * Do the first @bits bits (at most 128) of @a and @b agree? Whole 32-bit
 * words, then the last one masked: an IPv4 rule is one comparison.
 */
static inline bool charter_prefix_equal(const u8 *a, const u8 *b,
					unsigned int bits)
{
	unsigned int i;

	for (i = 0; bits >= 32; i += 4, bits -= 32)
		if (charter_addr_word(a, i) != charter_addr_word(b, i))
			return false;
	return !bits || !((charter_addr_word(a, i) ^ charter_addr_word(b, i)) &
			  ~(U32_MAX >> bits));
}

/**
 * charter_net_rule_allows() - does one rule allow an endpoint?
 * @r: the rule
 * @direction: CHARTER_NET_INBOUND or _OUTBOUND
 * @ep: the endpoint
 *
 * Return: true if @r's direction, protocol, port range and address (or
 * CHARTER_FAMILY_ANY) take @ep.
 */
static inline bool
charter_net_rule_allows(const struct charter_net_rule *r, u8 direction,
			const struct charter_endpoint *ep)
{
	if (!(r->direction & direction) || !(r->protocol & ep->protocol) ||
	    ep->port < r->port_min || ep->port > r->port_max)
		return false;
	return r->family == CHARTER_FAMILY_ANY ||
	       (r->family == ep->family &&
		charter_prefix_equal(r->addr, ep->addr, r->prefix));
}

/**
 * charter_net_rule_offers() - does one rule let a service use a port?
 * @r: the rule
 * @protocol: CHARTER_PROTO_TCP or _UDP (0: no rule matches)
 * @port: the local port, host order
 *
 * Return: true if @r is inbound and grants @protocol on @port.
 */
static inline bool
charter_net_rule_offers(const struct charter_net_rule *r, u8 protocol,
			u16 port)
{
	return (r->direction & CHARTER_NET_INBOUND) &&
	       (r->protocol & protocol) &&
	       port >= r->port_min && port <= r->port_max;
}

/*
 * The chain of single-port rules @port is in (ruleindex.c builds them):
 * Fibonacci hashing, the product's top bits (hash_32()), not its middle.
 */
static inline u32 charter_port_bucket(const struct charter_net_index *ix,
				      u16 port)
{
	return hash_32(port, ix->bits);
}

/**
 * charter_net_index_allows() - does some indexed rule allow an endpoint?
 * @ix: a manifest's network index
 * @direction: CHARTER_NET_INBOUND or _OUTBOUND
 * @ep: the endpoint
 *
 * The same answer as charter_net_allows() on the indexed rules: the rules
 * for @ep's port alone (its bucket's, usually one) and the port-range
 * rules are judged by the same test. Allocates nothing, never sleeps.
 *
 * Return: true if one of them allows @ep in @direction.
 */
static __always_inline bool
charter_net_index_allows(const struct charter_net_index *ix, u8 direction,
			 const struct charter_endpoint *ep)
{
	u32 i;

	for (i = ix->by_port[charter_port_bucket(ix, ep->port)];
	     i != CHARTER_NO_RULE; i = ix->next[i])
		if (charter_net_rule_allows(&ix->rules[i], direction, ep))
			return true;
	for (i = ix->ranges; i != CHARTER_NO_RULE; i = ix->next[i])
		if (charter_net_rule_allows(&ix->rules[i], direction, ep))
			return true;
	return false;
}

#endif /* _CHARTER_NETRULE_H */
