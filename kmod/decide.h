/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: the last step of every decision (modes and counters), and the
 * modes an administrator sets.
 */
#ifndef _CHARTER_DECIDE_H
#define _CHARTER_DECIDE_H

#include <linux/types.h>

struct charter_manifest;
struct charter_object;
struct netlink_ext_ack;

struct charter_counters {
	u64 allowed;
	u64 denied;
	u64 would_deny;
};

int charter_decide_refusal(const struct charter_manifest *m,
			   const struct charter_object *obj);
void charter_count_allowed(void);

u8 charter_mode_global(void);
u8 charter_mode_override(const char *name);
int charter_mode_set(const char *name, u8 mode, struct netlink_ext_ack *extack);
void charter_counters_read(struct charter_counters *sum);
void charter_decide_exit(void);

#endif /* _CHARTER_DECIDE_H */
