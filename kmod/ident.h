/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_IDENT_H
#define _CHARTER_IDENT_H

#include <linux/types.h>

#include "uapi/charter.h"

struct file;

int charter_ident_init(void);
void charter_ident_exit(void);
int charter_ident_digest(struct file *file, u64 size,
			 u8 digest[CHARTER_SHA256_LEN]);
void charter_ident_forget(struct file *file);

#endif /* _CHARTER_IDENT_H */
