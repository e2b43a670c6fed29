/* SPDX-License-Identifier: GPL-2.0 */
/* kshim: a dentry's name, and the hash the index takes of it. */
#ifndef CHARTER_KSHIM_DCACHE_H
#define CHARTER_KSHIM_DCACHE_H
#include "../kshim.h"

struct qstr {
	u32 len;
	const unsigned char *name;
};

struct path;

#define QSTR_INIT(n, l) { .len = (l), .name = (const unsigned char *)(n) }

/* Any hash will do for the index: FNV-1a. */
static inline unsigned int full_name_hash(const void *salt, const char *name,
					  unsigned int len)
{
	unsigned int h = 2166136261u;

	(void)salt;
	while (len--)
		h = (h ^ (unsigned char)*name++) * 16777619u;
	return h;
}
#endif
