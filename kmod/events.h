/* SPDX-License-Identifier: GPL-2.0 */
/* Charter: decision events on the "events" group, and log lines. */
#ifndef _CHARTER_EVENTS_H
#define _CHARTER_EVENTS_H

#include <linux/types.h>

struct charter_manifest;
struct charter_endpoint;

/* What was asked, for the report of a refusal. */
struct charter_object {
	const char *path;		/* files: NULL if it had no name */
	const char *path2;		/* link, rename: the new name */
	u32 access;			/* files: CHARTER_ACCESS_* */
	const struct charter_endpoint *ep;	/* network, else NULL */
	u8 direction;			/* network: CHARTER_NET_* */
	bool is_device;			/* a device node: */
	u32 dev_classes;		/* its classes (0: none; mknod) */
	dev_t devt;
};

void charter_event(const struct charter_manifest *m,
		   const struct charter_object *obj, u8 decision);
u64 charter_events_dropped(void);

/* netlink.c: send @skb to the events group (consumes it). */
struct sk_buff;
void *charter_event_put_header(struct sk_buff *skb);
void charter_event_send(struct sk_buff *skb);
bool charter_event_listeners(void);

#endif /* _CHARTER_EVENTS_H */
