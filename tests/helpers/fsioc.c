// SPDX-License-Identifier: GPL-2.0
/*
 * fsioc: ioctls common programs make on files they only read, and a
 * few that change a file, for tests/vm/attack-fs-ioctl-reads.sh. Exit
 * status 0 or the errno of the ioctl (254: usage). PATH is opened
 * O_RDONLY | O_NONBLOCK.
 *
 *   fsioc OP PATH    OP one of the names in the table below
 *   fsioc memfd-hold PROG ARGS...  a memfd (written "x"), reopened
 *        O_RDONLY through /proc/self/fd as fd 3 of a child that execs
 *        PROG; then the parent reads its "x" back, writes its O_RDWR
 *        descriptor, grows it (fallocate) and reopens it for writing:
 *        exit 0 if all worked, the first errno if not (EIO: "x" is gone)
 *   fsioc setflags3 HEX   FS_IOC_SETFLAGS HEX on fd 3
 *   fsioc getflags3       FS_IOC_GETFLAGS on fd 3, printed
 *   fsioc truncate3       truncate() fd 3 through /proc/self/fd/3
 *   fsioc memfd-own       a memfd of its own, ftruncate()d to 64 KiB and
 *        mapped shared (a Wayland client's buffer)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/fsmap.h>
#include <linux/msdos_fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "int80.h"

#define EXT4_IOC_GETVERSION	_IOR('f', 3, long)
#define EXT4_IOC_GETSTATE	_IOW('f', 41, uint32_t)
#define EXT4_IOC_GET_ES_CACHE	_IOWR('f', 42, struct fiemap)
#define EXT4_IOC_GETFSUUID	_IOC(_IOC_READ, 'f', 44, 8)
#define VFAT_READDIR_BOTH32	_IOC(_IOC_READ, 'r', 1, 536)
#define VFAT_READDIR_SHORT32	_IOC(_IOC_READ, 'r', 2, 536)
#define X_FS_IOC_GETFSUUID	_IOC(_IOC_READ, 0x15, 0, 17)
#define X_FS_IOC_GETFSSYSFSPATH	_IOC(_IOC_READ, 0x15, 1, 129)
#define X_FS_IOC32_GETFLAGS	_IOC(_IOC_READ, 'f', 1, 4)
#define X_FS_IOC32_GETVERSION	_IOC(_IOC_READ, 'v', 1, 4)

static unsigned char buf[8192] __attribute__((aligned(16)));

struct op {
	const char *name;
	unsigned long cmd;
	int compat;	/* through int $0x80 */
	int arg;	/* 1: an int argument (value 0), 2: FIEMAP, 3: GETFSMAP, 4: FIBMAP */
};

static const struct op ops[] = {
	{ "getflags", FS_IOC_GETFLAGS, 0, 0 },
	{ "getversion", FS_IOC_GETVERSION, 0, 0 },
	{ "ext4-getversion", EXT4_IOC_GETVERSION, 0, 0 },
	{ "fsgetxattr", FS_IOC_FSGETXATTR, 0, 0 },
	{ "fiemap", FS_IOC_FIEMAP, 0, 2 },
	{ "fiemap-sync", FS_IOC_FIEMAP, 0, 5 },
	{ "figetbsz", FIGETBSZ, 0, 0 },
	{ "fibmap", FIBMAP, 0, 4 },
	{ "getfslabel", FS_IOC_GETFSLABEL, 0, 0 },
	{ "ext4-getfsuuid", EXT4_IOC_GETFSUUID, 0, 0 },
	{ "getfsuuid", X_FS_IOC_GETFSUUID, 0, 0 },
	{ "getfssysfspath", X_FS_IOC_GETFSSYSFSPATH, 0, 0 },
	{ "getfsmap", FS_IOC_GETFSMAP, 0, 3 },
	{ "ext4-getstate", EXT4_IOC_GETSTATE, 0, 0 },
	{ "ext4-es-cache", EXT4_IOC_GET_ES_CACHE, 0, 2 },
	{ "blkgetsize64", BLKGETSIZE64, 0, 0 },
	{ "blksszget", BLKSSZGET, 0, 0 },
	{ "tcgets", TCGETS, 0, 0 },
	{ "tiocgwinsz", TIOCGWINSZ, 0, 0 },
	{ "fionread", FIONREAD, 0, 0 },
	{ "fioqsize", FIOQSIZE, 0, 0 },
	{ "fionbio", FIONBIO, 0, 1 },
	{ "fioasync", FIOASYNC, 0, 1 },
	{ "fat-getattr", FAT_IOCTL_GET_ATTRIBUTES, 0, 0 },
	{ "fat-volid", FAT_IOCTL_GET_VOLUME_ID, 0, 0 },
	{ "readdir-both", VFAT_IOCTL_READDIR_BOTH, 0, 0 },
	{ "readdir-short", VFAT_IOCTL_READDIR_SHORT, 0, 0 },
	{ "c-readdir-both", VFAT_READDIR_BOTH32, 1, 0 },
	{ "c-readdir-short", VFAT_READDIR_SHORT32, 1, 0 },
	{ "c-getflags", X_FS_IOC32_GETFLAGS, 1, 0 },
	{ "c-getversion", X_FS_IOC32_GETVERSION, 1, 0 },
	{ "c-fiemap", FS_IOC_FIEMAP, 1, 2 },
	{ "c-fat-getattr", FAT_IOCTL_GET_ATTRIBUTES, 1, 0 },
	{ "c-tcgets", TCGETS, 1, 0 },
	{ "c-fsgetxattr", FS_IOC_FSGETXATTR, 1, 0 },
	{ "c-getfslabel", FS_IOC_GETFSLABEL, 1, 0 },
	{ NULL, 0, 0, 0 }
};

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "fsioc: %s: %s\n", what, strerror(err));
	return err ? err : 255;
}

static int run(const struct op *o, const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK), zero = 0;
	void *arg = buf;
	long r;

	if (fd < 0)
		return fail("open");
	memset(buf, 0, sizeof(buf));
	if (o->arg == 1) {
		arg = &zero;
		if (o->compat)
			arg = buf;
	} else if (o->arg == 2 || o->arg == 5) {
		struct fiemap *f = (void *)buf;

		f->fm_length = ~0ULL;
		f->fm_extent_count = 16;
		f->fm_flags = o->arg == 5 ? FIEMAP_FLAG_SYNC : 0;
	} else if (o->arg == 3) {
		struct fsmap_head *h = (void *)buf;

		h->fmh_count = 8;
		h->fmh_keys[1].fmr_device = ~0U;
		h->fmh_keys[1].fmr_physical = ~0ULL;
		h->fmh_keys[1].fmr_owner = ~0ULL;
		h->fmh_keys[1].fmr_offset = ~0ULL;
		h->fmh_keys[1].fmr_flags = ~0U;
	} else if (o->arg == 4) {
		*(int *)buf = 0;
	}
	if (o->compat)
		r = int80(54, fd, o->cmd, (long)(uintptr_t)arg);
	else
		r = ioctl(fd, o->cmd, arg);
	if (r < 0)
		return fail(o->name);
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	unsigned int fl;

	if (!strcmp(op, "memfd-hold") && argc >= 3) {
		/* CLOEXEC: the child holds it read-only, nothing else. */
		int m = memfd_create("rt3", MFD_CLOEXEC), st;
		char p[64], x;
		pid_t c;

		if (m < 0 || write(m, "x", 1) != 1)
			return fail("memfd");
		snprintf(p, sizeof(p), "/proc/self/fd/%d", m);
		c = fork();
		if (c == 0) {
			int r = open(p, O_RDONLY);

			if (r < 0 || dup2(r, 3) < 0)
				_exit(fail("reopen"));
			execv(argv[2], argv + 2);
			_exit(fail("exec"));
		}
		waitpid(c, &st, 0);
		printf("child exit %d\n", WEXITSTATUS(st));
		errno = EIO;
		if (pread(m, &x, 1, 0) != 1 || x != 'x')
			return fail("owner's data");
		if (pwrite(m, "y", 1, 0) != 1)
			return fail("owner's write");
		if (fallocate(m, 0, 0, 8192))
			return fail("owner's fallocate");
		if ((st = open(p, O_RDWR)) < 0)
			return fail("owner's reopen for writing");
		printf("owner's write, fallocate, reopen: ok\n");
		return 0;
	}
	if (!strcmp(op, "setflags3") && argc >= 3) {
		fl = strtoul(argv[2], NULL, 16);
		if (ioctl(3, FS_IOC_SETFLAGS, &fl))
			return fail("FS_IOC_SETFLAGS fd 3");
		return 0;
	}
	if (!strcmp(op, "truncate3"))
		return truncate("/proc/self/fd/3", 0) ? fail("truncate fd 3") : 0;
	if (!strcmp(op, "memfd-own")) {
		int m = memfd_create("own", MFD_CLOEXEC);

		if (m < 0 || ftruncate(m, 65536))
			return fail("memfd ftruncate");
		if (mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0) == MAP_FAILED)
			return fail("mmap");
		return 0;
	}
	if (!strcmp(op, "getflags3")) {
		if (ioctl(3, FS_IOC_GETFLAGS, &fl))
			return fail("FS_IOC_GETFLAGS fd 3");
		printf("%#x\n", fl);
		return 0;
	}
	if (argc < 3)
		return 254;
	for (const struct op *o = ops; o->name; o++)
		if (!strcmp(o->name, op))
			return run(o, argv[2]);
	return 254;
}
