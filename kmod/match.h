/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_MATCH_H
#define _CHARTER_MATCH_H

#include <linux/types.h>

struct charter_rule;

bool charter_path_beneath(const char *dir, u32 dir_len, const char *path);
u32 charter_rules_access(const struct charter_rule *rules, u32 count,
			 const char *path);

#endif /* _CHARTER_MATCH_H */
