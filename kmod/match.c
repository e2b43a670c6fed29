// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: which rights the rules of a manifest grant on a path.
 *
 * Paths are absolute and come from d_path(), so "..", symlinks and
 * relative names are already resolved; the rules are normalised by the
 * blob decoder. A directory covers itself and everything beneath it, on a
 * component boundary: "/srv/app" covers "/srv/app/x" but not "/srv/apple".
 */

#include <linux/string.h>

#include "match.h"
#include "policy.h"

bool charter_path_beneath(const char *dir, u32 dir_len, const char *path)
{
	if (dir_len == 1 && dir[0] == '/')
		return path[0] == '/';
	if (strncmp(dir, path, dir_len))
		return false;
	return path[dir_len] == '\0' || path[dir_len] == '/';
}

/* The union of the rights that every rule covering @path grants. */
u32 charter_rules_access(const struct charter_rule *rules, u32 count,
			 const char *path)
{
	u32 access = 0;
	u32 i;

	for (i = 0; i < count; i++)
		if (charter_path_beneath(rules[i].path, rules[i].path_len, path))
			access |= rules[i].access;
	return access;
}
