/* SPDX-License-Identifier: GPL-2.0 */
/* Charter: decision events on the "events" group, and log lines. */
#ifndef _CHARTER_EVENTS_H
#define _CHARTER_EVENTS_H

#include <linux/sched.h>
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
	bool service;			/* network: a bind or listen on ep */
	bool is_device;			/* a device node or server socket: */
	bool is_server;			/* a server's socket (servers.c) */
	u32 dev_classes;		/* its classes (0: none; mknod) */
	dev_t devt;
	/* An operation refused whole (no manifest can grant it): */
	const char *operation;		/* what: "mount", "ptrace"... */
	pid_t target_pid;		/* the other process, or 0 */
	char target_comm[TASK_COMM_LEN];
	int err;			/* its errno when refused (0: -EACCES) */
	bool always;			/* refused whatever the mode (why: decide.c) */
};

void charter_event(const struct charter_manifest *m,
		   const struct charter_object *obj, u8 decision);
u64 charter_events_dropped(void);
const char *charter_access_words(u32 access);
struct sk_buff;
int charter_event_put_endpoint(struct sk_buff *skb, u8 direction,
			       const struct charter_endpoint *ep);
int charter_device_words(u32 classes, char *buf, size_t len);

/* netlink.c: send @skb to the events group (consumes it). */
void *charter_event_put_header(struct sk_buff *skb);
void charter_event_send(struct sk_buff *skb);
bool charter_event_listeners(void);

#endif /* _CHARTER_EVENTS_H */
