/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: what the direct trampoline (direct.S) and attach.c share.
 *
 * A slot is 16 bytes: the return address of a stub's fentry call (its
 * ftrace site + MCOUNT_INSN_SIZE), then the wrapper to jump to. A stub's
 * slot is (return address * charter_direct_mult) >> (64 - BITS): a
 * multiplier for which every stub has a slot of its own is found when
 * attaching (a perfect hash), so the trampoline probes once.
 */
#ifndef _CHARTER_DIRECT_H
#define _CHARTER_DIRECT_H

#define CHARTER_DIRECT_BITS 10

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct charter_direct_slot {
	unsigned long ret;	/* 0: free */
	unsigned long wrapper;
};

extern struct charter_direct_slot charter_direct_slots[1 << CHARTER_DIRECT_BITS];
extern unsigned long charter_direct_mult;
void charter_direct_tramp(void);
#endif

#endif /* _CHARTER_DIRECT_H */
