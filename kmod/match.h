/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_MATCH_H
#define _CHARTER_MATCH_H

#include <linux/types.h>

struct charter_path_rule;

int charter_pattern_check(const char *pattern, u16 *prefix_len);
bool charter_pattern_covers(const struct charter_path_rule *rule,
			    const char *path);
u32 charter_rules_access(const struct charter_path_rule *rules, u32 count,
			 const char *path);

#endif /* _CHARTER_MATCH_H */
