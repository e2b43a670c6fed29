/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: the differences between the kernels Charter builds for, in one
 * place (Debian 12's 6.1 and 6.12 today).
 *
 * A change made once in mainline is tested by version. A change that stable
 * kernels backport (so one version number has both forms) is tested from
 * the headers themselves: a macro's presence, or, for a hook's signature,
 * the type of the kernel's own declaration (see attach.h).
 */
#ifndef _CHARTER_COMPAT_H
#define _CHARTER_COMPAT_H

#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/magic.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <asm/ibt.h>

/* 6.2 renamed it (a macro both before and after). */
#ifdef ftrace_regs_set_instruction_pointer
#define charter_ftrace_set_ip ftrace_regs_set_instruction_pointer
#else
#define charter_ftrace_set_ip ftrace_instruction_pointer_set
#endif

/*
 * 6.5 (commit "ftrace: Rename _ftrace_direct_multi APIs to _ftrace_direct
 * APIs") gave the one-ops direct call API the old names, and unregistering
 * a choice to free the ops' filter too (false: attach.c frees it itself).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define charter_register_direct(ops, addr) register_ftrace_direct(ops, addr)
#define charter_unregister_direct(ops, addr) \
	unregister_ftrace_direct(ops, addr, false)
#else
#define charter_register_direct(ops, addr) \
	register_ftrace_direct_multi(ops, addr)
#define charter_unregister_direct(ops, addr) \
	unregister_ftrace_direct_multi(ops, addr)
#endif

/*
 * 6.3 (commit "fs: port xattr to mnt_idmap"): the xattr and ACL hooks take
 * the mount's idmapping instead of its user namespace. Charter never reads
 * it; only the pointer's type differs.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define CHARTER_IDMAP struct mnt_idmap
#else
#define CHARTER_IDMAP struct user_namespace
#endif

/*
 * 6.2 added the hooks file_truncate (open(O_TRUNC) and ftruncate() no
 * longer reach path_truncate) and inode_set_acl/inode_remove_acl (POSIX
 * ACLs no longer go through inode_setxattr).
 */
#define CHARTER_HAVE_FILE_TRUNCATE \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0))
#define CHARTER_HAVE_ACL_HOOKS \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0))

/*
 * The file an overlayfs file was opened on, whose inode exec and mmap
 * map: its private_data up to 6.12 (6.13, "ovl: allocate a container
 * struct ovl_file", keeps it in a struct of its own).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#error "charter_ovl_real_file(): port to struct ovl_file"
#endif
static inline struct file *charter_ovl_real_file(struct file *file)
{
	return file->private_data;
}

/* 6.4: sound_class is a struct class itself, no longer a pointer to one. */
#define CHARTER_SOUND_CLASS_IS_STRUCT \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0))

/*
 * 6.6 and 6.7 made an inode's ctime and mtime private, read through
 * accessors (which return the timespec64 by value).
 */
static inline struct timespec64 charter_inode_mtime(const struct inode *inode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	return inode_get_mtime(inode);
#else
	return inode->i_mtime;
#endif
}

static inline struct timespec64 charter_inode_ctime(const struct inode *inode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return inode_get_ctime(inode);
#else
	return inode->i_ctime;
#endif
}

/*
 * 6.7 (commit "fs: use SLAB_TYPESAFE_BY_RCU for files") reuses a file's
 * memory at once: a file reached under RCU alone may be another by the
 * time its credentials are read. Before, a file and its credentials were
 * freed a grace period after its last reference (file_free_rcu()), as a
 * socket's inode is (i_callback()).
 */
#define CHARTER_FILES_TYPESAFE_BY_RCU \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0))

/*
 * 6.9: a pidfd is a file of the internal pidfs, opened through the
 * file_open hook. Before, it was an anonymous inode (never opened so).
 */
static inline bool charter_is_pidfd(const struct file *file)
{
#ifdef PID_FS_MAGIC
	return file->f_path.mnt &&
	       file->f_path.mnt->mnt_sb->s_magic == PID_FS_MAGIC;
#else
	return false;
#endif
}

/*
 * With kernel IBT enforced (CONFIG_X86_KERNEL_IBT, on in 6.12, and a CPU
 * that has it), an indirect call must land on an ENDBR, and the kernel
 * seals at boot (overwrites with a NOP) the ENDBR of every function whose
 * address it never takes. Can a wrapper call @fn through a pointer?
 * Untested here: QEMU's TCG has no IBT.
 */
static inline bool charter_callable(unsigned long fn)
{
#ifdef CONFIG_X86_KERNEL_IBT
	u32 insn;

	if (!cpu_feature_enabled(X86_FEATURE_IBT))
		return true;
	return !copy_from_kernel_nofault(&insn, (void *)fn, sizeof(insn)) &&
	       is_endbr(insn);
#else
	return true;
#endif
}

/*
 * 6.6 ("genetlink: add struct genl_info to struct genl_dumpit_info"): a
 * dump's parsed attributes moved into a struct genl_info.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define charter_dump_attrs(cb) (genl_info_dump(cb)->attrs)
#else
#define charter_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#endif

/*
 * A stack array a hot path fills before it reads: not zeroed first, as
 * CONFIG_INIT_STACK_ALL_ZERO (Debian's kernels) would do on every call.
 * GCC 12 and clang 16 know the attribute; without it, it is zeroed.
 */
#if __has_attribute(__uninitialized__)
#define CHARTER_UNINITIALIZED __attribute__((__uninitialized__))
#else
#define CHARTER_UNINITIALIZED
#endif

#endif /* _CHARTER_COMPAT_H */
