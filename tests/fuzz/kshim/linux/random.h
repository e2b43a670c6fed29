/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/random.h>: policy.c's first generation. */
#ifndef _KSHIM_LINUX_RANDOM_H
#define _KSHIM_LINUX_RANDOM_H

#include <stdlib.h>

#include "../kshim.h"

static inline u32 get_random_u32(void)
{
	return (u32)random();
}

#endif
