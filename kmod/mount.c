// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: mount hooks.
 *
 * Path rules mean nothing if a confined task can change what a path
 * leads to: inside a domain, mount (bind mounts and remounts included),
 * umount, move_mount and pivot_root are refused with EPERM, whatever the
 * task's capabilities. So is the new mount API, which has no LSM hook of
 * its own before the mount is attached: fsopen, fspick, fsconfig, fsmount,
 * mount_setattr, and open_tree when it clones a tree (OPEN_TREE_CLONE; an
 * open_tree without it is an O_PATH open). These are caught at their
 * system call entries. Mounts made from outside any domain are the
 * administrator's: a file is judged by the path it is reached by.
 */

#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <uapi/linux/mount.h>

#include "attach.h"
#include "domain.h"

static int charter_hook_sb_mount(const char *dev_name, const struct path *path,
				 const char *type, unsigned long flags,
				 void *data)
{
	return charter_refuse_in_domain("mount%s%s", type ? " " : "", type ?: "");
}

static int charter_hook_sb_umount(struct vfsmount *mnt, int flags)
{
	return charter_refuse_in_domain("umount");
}

static int charter_hook_sb_pivotroot(const struct path *old_path,
				     const struct path *new_path)
{
	return charter_refuse_in_domain("pivot_root");
}

static int charter_hook_move_mount(const struct path *from_path,
				   const struct path *to_path)
{
	return charter_refuse_in_domain("move_mount");
}

static long charter_hook_sys_fsopen(const struct pt_regs *regs)
{
	return charter_refuse_in_domain("fsopen");
}

static long charter_hook_sys_fspick(const struct pt_regs *regs)
{
	return charter_refuse_in_domain("fspick");
}

static long charter_hook_sys_fsconfig(const struct pt_regs *regs)
{
	return charter_refuse_in_domain("fsconfig");
}

static long charter_hook_sys_fsmount(const struct pt_regs *regs)
{
	return charter_refuse_in_domain("fsmount");
}

static long charter_hook_sys_mount_setattr(const struct pt_regs *regs)
{
	return charter_refuse_in_domain("mount_setattr");
}

static long charter_hook_sys_open_tree(const struct pt_regs *regs)
{
	if (!(charter_syscall_arg(regs, 2) & OPEN_TREE_CLONE))
		return 0;
	return charter_refuse_in_domain("open_tree OPEN_TREE_CLONE");
}

CHARTER_HOOK_INT(sb_mount, (const char *dev_name, const struct path *path,
			    const char *type, unsigned long flags, void *data),
		 (dev_name, path, type, flags, data))
CHARTER_HOOK_INT(sb_umount, (struct vfsmount *mnt, int flags), (mnt, flags))
CHARTER_HOOK_INT(sb_pivotroot, (const struct path *old_path,
				const struct path *new_path),
		 (old_path, new_path))
CHARTER_HOOK_INT(move_mount, (const struct path *from_path,
			      const struct path *to_path),
		 (from_path, to_path))
CHARTER_SYSCALL(fsopen)
CHARTER_SYSCALL(fspick)
CHARTER_SYSCALL(fsconfig)
CHARTER_SYSCALL(fsmount)
CHARTER_SYSCALL(mount_setattr)
CHARTER_SYSCALL(open_tree)

CHARTER_HOOK_TABLE(charter_mount_hooks,
	CHARTER_HOOK(sb_mount),
	CHARTER_HOOK(sb_umount),
	CHARTER_HOOK(sb_pivotroot),
	CHARTER_HOOK(move_mount),
	CHARTER_SYSCALL_ENTRY(fsopen),
	CHARTER_SYSCALL_COMPAT_ENTRY(fsopen),
	CHARTER_SYSCALL_ENTRY(fspick),
	CHARTER_SYSCALL_COMPAT_ENTRY(fspick),
	CHARTER_SYSCALL_ENTRY(fsconfig),
	CHARTER_SYSCALL_COMPAT_ENTRY(fsconfig),
	CHARTER_SYSCALL_ENTRY(fsmount),
	CHARTER_SYSCALL_COMPAT_ENTRY(fsmount),
	CHARTER_SYSCALL_ENTRY(mount_setattr),
	CHARTER_SYSCALL_COMPAT_ENTRY(mount_setattr),
	CHARTER_SYSCALL_ENTRY(open_tree),
	CHARTER_SYSCALL_COMPAT_ENTRY(open_tree),
);
