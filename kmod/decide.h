/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: the last step of every decision (modes and counters), and the
 * modes an administrator sets.
 */
#ifndef _CHARTER_DECIDE_H
#define _CHARTER_DECIDE_H

#include <linux/compiler.h>
#include <linux/percpu.h>
#include <linux/types.h>

struct charter_domain;
struct charter_manifest;
struct charter_object;
struct netlink_ext_ack;
struct task_struct;

/* Longest operation name an event carries, NUL included. */
#define CHARTER_OPERATION_MAX 96

struct charter_counters {
	u64 allowed;
	u64 denied;
	u64 would_deny;
	u64 changed_binaries;	/* charter_note_changed_binary() */
};

int charter_decide_refusal(const struct charter_manifest *m,
			   const struct charter_object *obj);
__printf(3, 4)
int charter_refuse(const struct charter_domain *d, int err, const char *fmt, ...);
int charter_refuse_task(const struct charter_domain *d, int err,
			const char *what, struct task_struct *task);
DECLARE_PER_CPU(struct charter_counters, charter_counters);

/* One more access allowed: inline, as every allowed open and datagram counts. */
static inline void charter_count_allowed(void)
{
	this_cpu_inc(charter_counters.allowed);
}
void charter_note_changed_binary(const struct charter_manifest *m);

u8 charter_mode_global(void);
u8 charter_mode_override(const struct charter_manifest *m);
int charter_mode_set(const char *name, u8 mode, struct netlink_ext_ack *extack);
void charter_counters_read(struct charter_counters *sum);
void charter_decide_exit(void);

#endif /* _CHARTER_DECIDE_H */
