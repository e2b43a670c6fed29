// SPDX-License-Identifier: GPL-2.0
/*
 * rp: set up aliases of a file (namespaces, mounts, descriptors, renames),
 * then run a program, for attacks on the run path route (tests/attack/runpath-*).
 * Steps run in order; the last one runs the program. Exit status: the
 * program's own, or the errno of the failed step.
 *
 *   nobody                 setgroups(0), setresgid/setresuid(65534)
 *   userns                 unshare user+mount namespaces (map self to 0), / rprivate
 *   mountns                unshare a mount namespace, / rprivate
 *   bind SRC DST           mount --bind
 *   tmpfs DIR              mount tmpfs
 *   overlay LOWER UPPER WORK DST
 *   umount-l DIR           umount2(MNT_DETACH)
 *   open PATH | opath PATH   the descriptor for fdexec/procexec
 *   clone DIR NAME         open_tree(DIR, OPEN_TREE_CLONE): detached; fd = openat(tree, NAME, O_PATH)
 *   rename A B | unlink P | symlink T P | link A B
 *   pivot NEW OLD          chdir(NEW) pivot_root(".", OLD) chdir("/")
 *   chroot DIR | chdir DIR
 *   switchroot NEW         chdir(NEW), mount(".", "/", MS_MOVE), chroot(".")
 *   renameloop A B         rename A to B and back, forever
 *   exec PATH ARGS...      execv
 *   fdexec ARGS...         execveat(fd, "", AT_EMPTY_PATH)
 *   procexec ARGS...       execv("/proc/self/fd/N")
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif

extern char **environ;

static int fail(const char *what, const char *arg)
{
	int err = errno;

	fprintf(stderr, "rp: %s %s: %s\n", what, arg ? arg : "", strerror(err));
	return err ? err : 255;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int main(int argc, char **argv)
{
	int fd = -1, i = 1;
	char buf[64];

	while (i < argc) {
		const char *op = argv[i++];
		const char *a = i < argc ? argv[i] : NULL;
		const char *b = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(op, "nobody")) {
			if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
			    setresuid(65534, 65534, 65534) ||
			    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
				return fail(op, NULL);
		} else if (!strcmp(op, "userns")) {
			uid_t uid = getuid();
			gid_t gid = getgid();

			if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
				return fail(op, NULL);
			if (write_file("/proc/self/setgroups", "deny"))
				return fail("setgroups", NULL);
			snprintf(buf, sizeof(buf), "0 %u 1", uid);
			if (write_file("/proc/self/uid_map", buf))
				return fail("uid_map", NULL);
			snprintf(buf, sizeof(buf), "0 %u 1", gid);
			if (write_file("/proc/self/gid_map", buf))
				return fail("gid_map", NULL);
			if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
				return fail("rprivate", NULL);
		} else if (!strcmp(op, "mountns")) {
			if (unshare(CLONE_NEWNS) ||
			    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
				return fail(op, NULL);
		} else if (!strcmp(op, "bind")) {
			if (mount(a, b, NULL, MS_BIND, NULL))
				return fail(op, a);
			i += 2;
		} else if (!strcmp(op, "tmpfs")) {
			if (mount("tmpfs", a, "tmpfs", 0, NULL))
				return fail(op, a);
			i += 1;
		} else if (!strcmp(op, "overlay")) {
			char opts[1024];

			if (i + 3 >= argc)
				return 2;
			snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s",
				 argv[i], argv[i + 1], argv[i + 2]);
			if (mount("overlay", argv[i + 3], "overlay", 0, opts))
				return fail(op, opts);
			i += 4;
		} else if (!strcmp(op, "umount-l")) {
			if (umount2(a, MNT_DETACH))
				return fail(op, a);
			i += 1;
		} else if (!strcmp(op, "open") || !strcmp(op, "opath")) {
			fd = open(a, op[1] == 'p' ? O_PATH : O_RDONLY);
			if (fd < 0)
				return fail(op, a);
			i += 1;
		} else if (!strcmp(op, "clone")) {
			int tree = (int)syscall(SYS_open_tree, AT_FDCWD, a,
						OPEN_TREE_CLONE | O_CLOEXEC);

			if (tree < 0)
				return fail(op, a);
			fd = openat(tree, b, O_PATH);
			if (fd < 0)
				return fail("openat clone", b);
			i += 2;
		} else if (!strcmp(op, "rename")) {
			if (rename(a, b))
				return fail(op, a);
			i += 2;
		} else if (!strcmp(op, "link")) {
			if (link(a, b))
				return fail(op, a);
			i += 2;
		} else if (!strcmp(op, "unlink")) {
			if (unlink(a))
				return fail(op, a);
			i += 1;
		} else if (!strcmp(op, "symlink")) {
			if (symlink(a, b))
				return fail(op, b);
			i += 2;
		} else if (!strcmp(op, "pivot")) {
			if (chdir(a) || syscall(SYS_pivot_root, ".", b) || chdir("/"))
				return fail(op, a);
			i += 2;
		} else if (!strcmp(op, "switchroot")) {
			if (chdir(a) || mount(".", "/", NULL, MS_MOVE, NULL) ||
			    chroot(".") || chdir("/"))
				return fail(op, a);
			i += 1;
		} else if (!strcmp(op, "chdir")) {
			if (chdir(a))
				return fail(op, a);
			i += 1;
		} else if (!strcmp(op, "chroot")) {
			if (chroot(a) || chdir("/"))
				return fail(op, a);
			i += 1;
		} else if (!strcmp(op, "renameloop")) {
			for (;;) {
				rename(a, b);
				rename(b, a);
			}
		} else if (!strcmp(op, "exec")) {
			execv(a, &argv[i]);
			return fail(op, a);
		} else if (!strcmp(op, "fdexec")) {
			argv[i - 1] = "fdexec";
			syscall(SYS_execveat, fd, "", &argv[i - 1], environ,
				AT_EMPTY_PATH);
			return fail(op, NULL);
		} else if (!strcmp(op, "procexec")) {
			snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
			argv[i - 1] = buf;
			execv(buf, &argv[i - 1]);
			return fail(op, buf);
		} else {
			fprintf(stderr, "rp: unknown step %s\n", op);
			return 2;
		}
	}
	return 0;
}
