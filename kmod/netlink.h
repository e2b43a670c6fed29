/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_NETLINK_H
#define _CHARTER_NETLINK_H

struct netlink_callback;
struct sk_buff;

int charter_netlink_init(void);
void *charter_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd);
int charter_may_read(struct netlink_callback *cb);
/* tasks.c */
int charter_tasks_dump(struct sk_buff *skb, struct netlink_callback *cb);
void charter_netlink_exit(void);
u16 charter_netlink_family_id(void);

#endif /* _CHARTER_NETLINK_H */
