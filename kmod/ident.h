/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_IDENT_H
#define _CHARTER_IDENT_H

#include <linux/jump_label.h>
#include <linux/types.h>

#include "uapi/charter.h"

struct file;
struct inode;

int charter_ident_init(void);
void charter_ident_exit(void);
int charter_ident_digest(struct file *file, u64 size,
			 u8 digest[CHARTER_SHA256_LEN]);
bool charter_ident_cached_digest(struct file *file, u64 size,
				 u8 digest[CHARTER_SHA256_LEN]);
bool charter_ident_may_change(struct file *file);
u64 charter_ident_files_hashed(void);
u32 charter_ident_digest_entries(void);
void charter_ident_forget(struct inode *inode);

/* On once the digest cache held something (ident.c). */
DECLARE_STATIC_KEY_FALSE(charter_digests_cached);

/* May a write open have a cached digest to forget? A near-free test. */
static inline bool charter_ident_cache_used(void)
{
	return static_branch_unlikely(&charter_digests_cached);
}

#endif /* _CHARTER_IDENT_H */
