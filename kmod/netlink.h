/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_NETLINK_H
#define _CHARTER_NETLINK_H

int charter_netlink_init(void);
void charter_netlink_exit(void);
u16 charter_netlink_family_id(void);

#endif /* _CHARTER_NETLINK_H */
