/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A system call through the ia32 entry (the 32-bit table, with TS_COMPAT)
 * from a 64-bit helper: int $0x80. Pointer arguments must lie below
 * 4 GiB (a static buffer does; the stack does not).
 */
#ifndef CHARTER_TEST_INT80_H
#define CHARTER_TEST_INT80_H

#include <errno.h>

static inline long int80(long nr, long a, long b, long c)
{
	long ret;

	asm volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c)
		     : "memory", "r8", "r9", "r10", "r11");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* The same with a fourth argument (esi). */
static inline long int80_4(long nr, long a, long b, long c, long d)
{
	long ret;

	asm volatile("int $0x80" : "=a"(ret)
		     : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
		     : "memory", "r8", "r9", "r10", "r11");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

#endif
