/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: what a learning manifest's programs did (charter learn).
 */
#ifndef _CHARTER_LEARN_H
#define _CHARTER_LEARN_H

#include <linux/types.h>

struct charter_learning;
struct charter_object;
struct charter_policy;
struct netlink_callback;
struct sk_buff;

void charter_learn_record(struct charter_learning *l,
			  const struct charter_object *obj);
int charter_learn_prepare(struct charter_policy *policy,
			  const struct charter_policy *old);
void charter_learn_release(struct charter_policy *policy);
int charter_learn_dump_start(struct netlink_callback *cb);
int charter_learn_dump(struct sk_buff *skb, struct netlink_callback *cb);
int charter_learn_dump_done(struct netlink_callback *cb);
void charter_learn_exit(void);
bool charter_learn_may_enter(const struct charter_learning *l);

#ifdef CONFIG_CHARTER_KUNIT_TEST
/* KUnit only (learn_test.c): see learn.c. */
void charter_learn_counts(struct charter_learning *l, u32 *entries, u64 *lost);
long charter_learn_access(struct charter_learning *l,
			  const struct charter_object *obj);
u32 charter_learn_set_max_entries(u32 max);
#endif

#endif /* _CHARTER_LEARN_H */
