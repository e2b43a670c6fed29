// SPDX-License-Identifier: GPL-2.0
/*
 * openatk: other ways to an ioctl descriptor, and the ioctls of a terminal
 * that is always allowed, for tests/vm/attack-open-ioctl-*.sh (red team,
 * the open route: fs.c charter_hook_file_open(), charter_open_access(),
 * charter_check_device(); and the ioctl route: kernel.c
 * charter_hook_file_ioctl()). Exit status 0 or the errno of the step that
 * failed (254: usage).
 *
 *   openatk blkro HOW DEV [0|1]   open DEV with O_ACCMODE 3 ("ioctl only")
 *       by HOW, then BLKROSET to the value, or print BLKROGET's. HOW:
 *         proc     open(DEV, O_PATH), then open("/proc/self/fd/N", 3)
 *         openat2  openat2(dirfd of DEV's directory, NAME, flags 3,
 *                  RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)
 *         handle   name_to_handle_at(DEV), chdir to its directory,
 *                  open_by_handle_at(AT_FDCWD, handle, 3)
 *         uring    io_uring IORING_OP_OPENAT(DEV, 3)
 *   openatk ctty TTY PROG [ARG...]   setsid(), make TTY the controlling
 *       terminal (opened O_RDWR, TIOCSCTTY 0), close it, exec PROG: PROG
 *       reaches TTY only through /dev/tty (another process must hold TTY
 *       open: its last close ends the session's hold on it)
 *   openatk kdsent TTY IDX [STRING]   open TTY O_RDONLY|O_NOCTTY; print
 *       function key IDX's string (KDGKBSENT), or set it (KDSKBSENT);
 *       "\r" and "\xHH" stand for a carriage return and a byte, in and
 *       out
 *   openatk kdent TTY TABLE IDX [VALUE]   print the keymap entry
 *       (KDGKBENT) or set it (KDSKBENT)
 *   openatk kdenabio TTY   KDENABIO (ioperm of the VGA ports), then
 *       KDDISABIO
 *   openatk fscrypt-v1-wrong PATH   FS_IOC_ADD_ENCRYPTION_KEY on PATH
 *       (opened O_RDONLY) of a wrong key (64 bytes 0xaa) for v1
 *       descriptor 1122334455667788, ioctlatk's (its fscrypt-v1-setup)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/kd.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ring.h"

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "openatk: %s: %s\n", what, strerror(err));
	return err ? err : 255;
}

static int usage(void)
{
	fprintf(stderr, "openatk: usage: see the header of openatk.c\n");
	return 254;
}

/* The step of open3() that failed, for the message. */
static const char *step = "open(DEV, 3)";

static int open3(const char *how, const char *dev)
{
	char buf[PATH_MAX];

	if (!strcmp(how, "proc")) {
		int p = open(dev, O_PATH);

		step = "open(DEV, O_PATH)";
		if (p < 0)
			return -1;
		step = "open(/proc/self/fd/N, 3)";
		snprintf(buf, sizeof(buf), "/proc/self/fd/%d", p);
		return open(buf, 3);
	}
	if (!strcmp(how, "openat2")) {
		struct open_how oh = { .flags = 3,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
		char d[PATH_MAX], n[PATH_MAX];
		int dfd;

		snprintf(d, sizeof(d), "%s", dev);
		snprintf(n, sizeof(n), "%s", dev);
		dfd = open(dirname(d), O_PATH | O_DIRECTORY);
		if (dfd < 0)
			return -1;
		return (int)syscall(SYS_openat2, dfd, basename(n), &oh, sizeof(oh));
	}
	if (!strcmp(how, "handle")) {
		struct file_handle *fh = malloc(sizeof(*fh) + MAX_HANDLE_SZ);
		int mount_id;

		fh->handle_bytes = MAX_HANDLE_SZ;
		step = "name_to_handle_at";
		if (name_to_handle_at(AT_FDCWD, dev, fh, &mount_id, 0))
			return -1;
		step = "chdir";
		/* Not an O_PATH descriptor: fdget() refuses those. */
		snprintf(buf, sizeof(buf), "%s", dev);
		if (chdir(dirname(buf)))
			return -1;
		step = "open_by_handle_at(DEV, 3)";
		return open_by_handle_at(AT_FDCWD, fh, 3);
	}
	if (!strcmp(how, "uring")) {
		struct io_uring_sqe sqe = { 0 };
		struct ring r;
		int res;

		if (ring_init(&r))
			return -1;
		sqe.opcode = IORING_OP_OPENAT;
		sqe.fd = AT_FDCWD;
		sqe.addr = (unsigned long)dev;
		sqe.open_flags = 3;
		res = ring_submit(&r, &sqe);
		if (res < 0) {
			errno = -res;
			return -1;
		}
		return res;
	}
	errno = EINVAL;
	return -1;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	int fd;

	if (!strcmp(op, "blkro") && (argc == 4 || argc == 5)) {
		int v;

		fd = open3(argv[2], argv[3]);
		if (fd < 0)
			return fail(step);
		if (argc == 5) {
			v = atoi(argv[4]);
			return ioctl(fd, BLKROSET, &v) ? fail("BLKROSET") : 0;
		}
		if (ioctl(fd, BLKROGET, &v))
			return fail("BLKROGET");
		printf("%d\n", v);
		return 0;
	}
	if (!strcmp(op, "ctty") && argc >= 4) {
		if (setsid() < 0)
			return fail("setsid");
		fd = open(argv[2], O_RDWR);
		if (fd < 0)
			return fail("open TTY");
		if (ioctl(fd, TIOCSCTTY, 0))
			return fail("TIOCSCTTY");
		close(fd);
		execv(argv[3], argv + 3);
		return fail("exec");
	}
	if (!strcmp(op, "kdsent") && (argc == 4 || argc == 5)) {
		struct kbsentry e = { .kb_func = (unsigned char)atoi(argv[3]) };

		fd = open(argv[2], O_RDONLY | O_NOCTTY);
		if (fd < 0)
			return fail("open TTY");
		if (argc == 5) {
			const char *s = argv[4];
			size_t i = 0;

			for (; *s && i < sizeof(e.kb_string) - 1; s++) {
				if (s[0] == '\\' && s[1] == 'r') {
					e.kb_string[i++] = '\r';
					s++;
				} else if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
					char h[3] = { s[2], s[3], 0 };

					e.kb_string[i++] = (unsigned char)strtoul(h, NULL, 16);
					s += 3;
				} else {
					e.kb_string[i++] = (unsigned char)*s;
				}
			}
			return ioctl(fd, KDSKBSENT, &e) ? fail("KDSKBSENT") : 0;
		}
		if (ioctl(fd, KDGKBSENT, &e))
			return fail("KDGKBSENT");
		for (size_t i = 0; e.kb_string[i]; i++)
			if (e.kb_string[i] == '\r')
				fputs("\\r", stdout);
			else if (e.kb_string[i] < 32 || e.kb_string[i] > 126)
				printf("\\x%02x", e.kb_string[i]);
			else
				putchar(e.kb_string[i]);
		putchar('\n');
		return 0;
	}
	if (!strcmp(op, "kdent") && (argc == 5 || argc == 6)) {
		struct kbentry e = { .kb_table = (unsigned char)atoi(argv[3]),
				     .kb_index = (unsigned char)atoi(argv[4]) };

		fd = open(argv[2], O_RDONLY | O_NOCTTY);
		if (fd < 0)
			return fail("open TTY");
		if (argc == 6) {
			e.kb_value = (unsigned short)strtoul(argv[5], NULL, 0);
			return ioctl(fd, KDSKBENT, &e) ? fail("KDSKBENT") : 0;
		}
		if (ioctl(fd, KDGKBENT, &e))
			return fail("KDGKBENT");
		printf("%#x\n", e.kb_value);
		return 0;
	}
	if (!strcmp(op, "kdenabio") && argc == 3) {
		fd = open(argv[2], O_RDONLY | O_NOCTTY);
		if (fd < 0)
			return fail("open TTY");
		if (ioctl(fd, KDENABIO))
			return fail("KDENABIO");
		return ioctl(fd, KDDISABIO) ? fail("KDDISABIO") : 0;
	}
	if (!strcmp(op, "fscrypt-v1-wrong") && argc == 3) {
		static const unsigned char desc[FSCRYPT_KEY_DESCRIPTOR_SIZE] = {
			0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88
		};
		struct {
			struct fscrypt_add_key_arg a;
			unsigned char raw[64];
		} k;

		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return fail("open");
		memset(&k, 0, sizeof(k));
		k.a.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_DESCRIPTOR;
		memcpy(k.a.key_spec.u.descriptor, desc, sizeof(desc));
		k.a.raw_size = sizeof(k.raw);
		memset(k.raw, 0xaa, sizeof(k.raw));
		return ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, &k) ?
		       fail("FS_IOC_ADD_ENCRYPTION_KEY") : 0;
	}
	return usage();
}
