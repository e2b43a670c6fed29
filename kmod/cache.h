/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: the access cache, what a manifest's path rules grant on a path,
 * remembered per CPU (cache.c).
 */
#ifndef _CHARTER_CACHE_H
#define _CHARTER_CACHE_H

#include <linux/types.h>

struct charter_path_index;

int charter_cache_init(void);
void charter_cache_exit(void);
u32 charter_cache_path_access(const struct charter_path_index *ix,
			      const char *path);
u32 charter_cache_path_access_len(const struct charter_path_index *ix,
				  const char *path, size_t len);

#endif /* _CHARTER_CACHE_H */
