// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: mount hooks.
 *
 * Path rules mean nothing if a confined task can change what a path
 * leads to: inside a domain, mount (bind mounts and remounts included),
 * umount, move_mount and pivot_root are refused with EPERM, whatever the
 * task's capabilities. Mounts made from outside any domain are the
 * administrator's: a file is judged by the path it is reached by.
 */

#include <linux/fs.h>
#include <linux/mount.h>

#include "attach.h"
#include "domain.h"

static int charter_refuse_in_domain(void)
{
	return charter_current_domain() ? -EPERM : 0;
}

static int charter_hook_sb_mount(const char *dev_name, const struct path *path,
				 const char *type, unsigned long flags,
				 void *data)
{
	return charter_refuse_in_domain();
}

static int charter_hook_sb_umount(struct vfsmount *mnt, int flags)
{
	return charter_refuse_in_domain();
}

static int charter_hook_sb_pivotroot(const struct path *old_path,
				     const struct path *new_path)
{
	return charter_refuse_in_domain();
}

static int charter_hook_move_mount(const struct path *from_path,
				   const struct path *to_path)
{
	return charter_refuse_in_domain();
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

CHARTER_HOOK_TABLE(charter_mount_hooks,
	CHARTER_HOOK(sb_mount),
	CHARTER_HOOK(sb_umount),
	CHARTER_HOOK(sb_pivotroot),
	CHARTER_HOOK(move_mount),
);
