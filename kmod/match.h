/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_MATCH_H
#define _CHARTER_MATCH_H

#include <linux/types.h>

struct charter_path_rule;
struct charter_net_rule;

/*
 * A network endpoint as the rules see it: an IPv4-mapped IPv6 address is
 * its IPv4 address. Address in network byte order, port in host order.
 */
struct charter_endpoint {
	u8 family;		/* CHARTER_FAMILY_INET or _INET6 */
	u8 protocol;		/* CHARTER_PROTO_TCP or _UDP; 0 if neither */
	u16 port;
	u8 addr[16];
};

int charter_pattern_check(const char *pattern, u16 *prefix_len);
bool charter_pattern_covers(const struct charter_path_rule *rule,
			    const char *path);
bool charter_glob_covers(const char *pat, const char *path);
u32 charter_rules_access(const struct charter_path_rule *rules, u32 count,
			 const char *path);
bool charter_pattern_reaches(const struct charter_path_rule *rule,
			     const char *dir);
bool charter_pattern_alike_beneath(const struct charter_path_rule *rule,
				   const char *from, const char *to);
u32 charter_rules_move_bound(const struct charter_path_rule *rules, u32 count,
			     const char *from, const char *to);
bool charter_net_allows(const struct charter_net_rule *rules, u32 count,
			u8 direction, const struct charter_endpoint *ep);
bool charter_net_allows_port(const struct charter_net_rule *rules, u32 count,
			     u8 protocol, u16 port);

#endif /* _CHARTER_MATCH_H */
