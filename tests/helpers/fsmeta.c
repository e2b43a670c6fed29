// SPDX-License-Identifier: GPL-2.0
/*
 * fsmeta: changes to a file's metadata (its times, mode, generation, its
 * filesystem's identity) that reach neither vfs_utimes() nor a path hook,
 * for tests/vm/attack-fs-metadata.sh. Exit status 0 or the errno of the call
 * (254: usage). Descriptors are opened O_RDONLY.
 *
 *   fsmeta stat PATH          mode nlink atime mtime ctime (lstat)
 *   fsmeta old PATH           atime and mtime to 1990
 *   fsmeta fat-attr PATH HEX  FAT_IOCTL_SET_ATTRIBUTES (ATTR_RO is 1)
 *   fsmeta c-fat-attr PATH HEX   the same through the ia32 ioctl
 *   fsmeta fat-get PATH       FAT_IOCTL_GET_ATTRIBUTES, printed
 *   fsmeta setver PATH GEN    FS_IOC_SETVERSION
 *   fsmeta setver-f PATH GEN  EXT4_IOC_SETVERSION
 *   fsmeta getver PATH        FS_IOC_GETVERSION, printed
 *   fsmeta setuuid PATH [HEX] EXT4_IOC_SETFSUUID (16 bytes HEX, 5a)
 *   fsmeta getuuid PATH       EXT4_IOC_GETFSUUID, printed
 *   fsmeta migrate PATH       EXT4_IOC_MIGRATE
 *   fsmeta getflags PATH      FS_IOC_GETFLAGS, printed
 *   fsmeta encpol DIR         FS_IOC_SET_ENCRYPTION_POLICY (v1)
 *   fsmeta getpol DIR         FS_IOC_GET_ENCRYPTION_POLICY: 0 if it has one
 *   fsmeta core DIR           a child in DIR dumps core (exit 0 if it did)
 *   fsmeta exec PATH          execve PATH
 *   fsmeta acct PATH          acct(PATH), then acct(NULL)
 *   fsmeta futimens-memfd | futimens-pipe   futimens on its own memfd / pipe
 *   fsmeta tmpfile DIR        O_TMPFILE in DIR, then futimens
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/msdos_fs.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "int80.h"

#define EXT4_IOC_SETVERSION	_IOW('f', 4, long)
#define EXT4_IOC_MIGRATE	_IO('f', 9)
struct fsuuid16 { uint32_t len, flags; uint8_t u[16]; };
struct fsuuid_hdr { uint32_t len, flags; };	/* the kernel's struct fsuuid */
#define EXT4_IOC_GETFSUUID	_IOR('f', 44, struct fsuuid_hdr)
#define EXT4_IOC_SETFSUUID	_IOW('f', 44, struct fsuuid_hdr)

static int fail(const char *what, const char *path)
{
	int err = errno;

	fprintf(stderr, "fsmeta: %s %s: %s\n", what, path, strerror(err));
	return err ? err : 255;
}

static int ro(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		exit(fail("open", path));
	return fd;
}

static uint32_t u32buf __attribute__((aligned(8)));

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "", *path = argc > 2 ? argv[2] : "";
	struct timespec t[2];
	struct stat st;
	int fd, v;

	if (!strcmp(op, "stat")) {
		if (lstat(path, &st))
			return fail("stat", path);
		printf("%o %ld %ld.%09ld %ld.%09ld %ld.%09ld\n", st.st_mode, (long)st.st_nlink,
		       (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
		       (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		       (long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
		return 0;
	}
	if (!strcmp(op, "old")) {
		t[0].tv_sec = t[1].tv_sec = 631152000;
		t[0].tv_nsec = t[1].tv_nsec = 0;
		return utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW) ? fail("old", path) : 0;
	}
	if (!strcmp(op, "fat-attr") && argc > 3) {
		uint32_t a = strtoul(argv[3], NULL, 16);

		fd = ro(path);
		return ioctl(fd, FAT_IOCTL_SET_ATTRIBUTES, &a) ? fail(op, path) : 0;
	}
	if (!strcmp(op, "c-fat-attr") && argc > 3) {
		u32buf = strtoul(argv[3], NULL, 16);
		fd = ro(path);
		return int80(54, fd, FAT_IOCTL_SET_ATTRIBUTES, (long)(uintptr_t)&u32buf) < 0 ?
		       fail(op, path) : 0;
	}
	if (!strcmp(op, "fat-get")) {
		uint32_t a;

		fd = ro(path);
		if (ioctl(fd, FAT_IOCTL_GET_ATTRIBUTES, &a))
			return fail(op, path);
		printf("%x\n", a);
		return 0;
	}
	if ((!strcmp(op, "setver") || !strcmp(op, "setver-f")) && argc > 3) {
		v = atoi(argv[3]);
		fd = ro(path);
		return ioctl(fd, op[6] ? EXT4_IOC_SETVERSION : FS_IOC_SETVERSION, &v) ?
		       fail(op, path) : 0;
	}
	if (!strcmp(op, "getver")) {
		fd = ro(path);
		if (ioctl(fd, FS_IOC_GETVERSION, &v))
			return fail(op, path);
		printf("%d\n", v);
		return 0;
	}
	if (!strcmp(op, "setuuid") || !strcmp(op, "getuuid")) {
		struct fsuuid16 u = { .len = 16 };

		fd = ro(path);
		if (op[0] == 's') {
			memset(u.u, argc > 3 ? (int)strtoul(argv[3], NULL, 16) : 0x5a, 16);
			return ioctl(fd, EXT4_IOC_SETFSUUID, &u) ? fail(op, path) : 0;
		}
		if (ioctl(fd, EXT4_IOC_GETFSUUID, &u))
			return fail(op, path);
		for (v = 0; v < 16; v++)
			printf("%02x", u.u[v]);
		printf("\n");
		return 0;
	}
	if (!strcmp(op, "migrate")) {
		fd = ro(path);
		return ioctl(fd, EXT4_IOC_MIGRATE) ? fail(op, path) : 0;
	}
	if (!strcmp(op, "getflags")) {
		fd = ro(path);
		if (ioctl(fd, FS_IOC_GETFLAGS, &v))
			return fail(op, path);
		printf("%x\n", v);
		return 0;
	}
	if (!strcmp(op, "encpol") || !strcmp(op, "getpol")) {
		struct fscrypt_policy_v1 p = {
			.version = FSCRYPT_POLICY_V1,
			.contents_encryption_mode = FSCRYPT_MODE_AES_256_XTS,
			.filenames_encryption_mode = FSCRYPT_MODE_AES_256_CTS,
			.flags = FSCRYPT_POLICY_FLAGS_PAD_32,
			.master_key_descriptor = "rt2-key",
		};

		fd = open(path, O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			return fail("open", path);
		if (op[0] == 'e')
			return ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, &p) ? fail(op, path) : 0;
		return ioctl(fd, FS_IOC_GET_ENCRYPTION_POLICY, &p) ? fail(op, path) : 0;
	}
	if (!strcmp(op, "core")) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

			if (chdir(path))
				_exit(fail("chdir", path));
			setrlimit(RLIMIT_CORE, &r);
			prctl(PR_SET_DUMPABLE, 1);
			signal(SIGSEGV, SIG_DFL);
			raise(SIGSEGV);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		printf("status %#x core %d\n", status, WIFSIGNALED(status) && WCOREDUMP(status));
		return WIFSIGNALED(status) && WCOREDUMP(status) ? 0 : 1;
	}
	if (!strcmp(op, "exec")) {
		char *av[] = { (char *)path, NULL };

		execv(path, av);
		return fail("exec", path);
	}
	if (!strcmp(op, "acct")) {
		if (acct(path))
			return fail("acct", path);
		acct(NULL);
		return 0;
	}
	if (!strcmp(op, "futimens-memfd") || !strcmp(op, "futimens-pipe")) {
		int p[2];

		if (op[9] == 'm')
			fd = memfd_create("rt2", 0);
		else
			fd = pipe(p) ? -1 : p[0];
		if (fd < 0)
			return fail("make", op);
		return futimens(fd, NULL) ? fail(op, "") : 0;
	}
	if (!strcmp(op, "tmpfile")) {
		fd = open(path, O_TMPFILE | O_RDWR, 0600);
		if (fd < 0)
			return fail("O_TMPFILE", path);
		return futimens(fd, NULL) ? fail("futimens", path) : 0;
	}
	fprintf(stderr, "usage: see fsmeta.c\n");
	return 254;
}
