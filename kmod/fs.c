// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: filesystem hooks.
 *
 * A confined task may open a file only with the rights its manifest grants
 * on the file's absolute path: read, write, or execute for a file opened
 * to be executed. Paths come from d_path(), which resolves
 * symlinks, "..", chroot and the task's cwd: what is checked is where the
 * file is, not how it was named. A denial is EACCES.
 */

#include <linux/fs.h>
#include <linux/path.h>

#include "attach.h"
#include "decide.h"
#include "domain.h"
#include "uapi/charter.h"

static u32 charter_open_access(const struct file *file)
{
	u32 access = 0;

	/* Opened to be executed (execve, uselib): that needs execute only. */
	if (file->f_mode & FMODE_EXEC)
		return CHARTER_ACCESS_EXECUTE;
	if (file->f_mode & FMODE_READ)
		access |= CHARTER_ACCESS_READ;
	if (file->f_mode & FMODE_WRITE)
		access |= CHARTER_ACCESS_WRITE;
	return access;
}

static int charter_hook_file_open(struct file *file)
{
	struct charter_domain *d = charter_current_domain();
	u32 granted = 0;
	char *buf, *path;
	int ret;

	if (likely(!d))
		return 0;
	buf = __getname();
	if (!buf)
		return -ENOMEM;
	/* A file d_path() cannot name is granted nothing. */
	path = d_path(&file->f_path, buf, PATH_MAX);
	if (!IS_ERR(path))
		granted = charter_domain_path_access(d, path);
	ret = charter_decide(d, granted, charter_open_access(file));
	__putname(buf);
	return ret;
}

CHARTER_HOOK_INT(file_open, (struct file *file), (file))

CHARTER_HOOK_TABLE(charter_fs_hooks,
	CHARTER_HOOK_ENTRY(file_open, "bpf_lsm_file_open", "security_file_open"),
);
