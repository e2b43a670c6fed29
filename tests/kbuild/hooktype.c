// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled, never loaded, by scripts/build-test.sh: kmod/attach.h must
 * refuse, at build time, a hook wrapper whose type is not the kernel's.
 * CHARTER_CASE selects one table entry:
 *   1  right types (file_open(struct file *)): must compile
 *   2  an LSM hook with a wrong parameter type: must not compile
 *   3  a security_* function whose type is not the hook's: must not compile
 *   4  two forms, neither the kernel's (CHARTER_HOOK_EITHER): must not
 *   5  a kernel function entry with a wrong type: must not compile
 */
#include <linux/timex.h>

#include "attach.h"

#if CHARTER_CASE == 1 || CHARTER_CASE == 3
static int charter_hook_file_open(struct file *file)
{
	return 0;
}

CHARTER_HOOK_INT(file_open, (struct file *file), (file))
#elif CHARTER_CASE == 2
static int charter_hook_file_open(struct inode *inode)
{
	return 0;
}

CHARTER_HOOK_INT(file_open, (struct inode *inode), (inode))
#elif CHARTER_CASE == 4
static int charter_hook_file_open_a(struct inode *inode)
{
	return 0;
}

static int charter_hook_file_open_b(struct dentry *dentry)
{
	return 0;
}

CHARTER_HOOK_INT_FORM(file_open, a, (struct inode *inode), (inode))
CHARTER_HOOK_INT_FORM(file_open, b, (struct dentry *dentry), (dentry))
#elif CHARTER_CASE == 5
static long (*charter_orig_do_adjtimex)(struct __kernel_timex *txc);

static long charter_call_do_adjtimex(struct __kernel_timex *txc)
{
	return charter_orig_do_adjtimex(txc);
}
#endif

CHARTER_HOOK_TABLE(charter_test_hooks,
#if CHARTER_CASE == 1 || CHARTER_CASE == 2
	CHARTER_HOOK(file_open),
#elif CHARTER_CASE == 3
	CHARTER_HOOK_ENTRY(file_open, security_file_permission),
#elif CHARTER_CASE == 4
	CHARTER_HOOK_EITHER(file_open, a, b),
#elif CHARTER_CASE == 5
	CHARTER_FUNCTION_ENTRY(do_adjtimex),
#endif
);
