// SPDX-License-Identifier: GPL-2.0
/*
 * ioctlatk: ioctls of a file or directory that reach a second file (a
 * descriptor in their argument) or read a file opened only for writing,
 * for tests/vm/attack-ioctl-*.sh (red team, the ioctl hook: kernel.c
 * charter_hook_file_ioctl(), fs.c charter_check_fs_ioctl()). Exit status
 * 0 or the errno of the step that failed (254: usage; ENOENT from dedupe:
 * no candidate matched).
 *
 *   ioctlatk cat PATH              open(PATH, O_RDONLY), print its first
 *       4 KiB (a directory: opened only)
 *   ioctlatk open3 PATH            open(PATH, 3): O_ACCMODE 3, "ioctl
 *       only", neither FMODE_READ nor FMODE_WRITE
 *   ioctlatk blkro DEV [0|1]       open DEV with mode 3, BLKROSET to the
 *       value, or print BLKROGET's
 *   ioctlatk encread FILE w|3      open FILE O_WRONLY (w) or with mode 3,
 *       BTRFS_IOC_ENCODED_READ from 0, the data to stdout
 *   ioctlatk encread-uring FILE w|3   the same through io_uring
 *       (IORING_OP_URING_CMD, cmd_op BTRFS_IOC_ENCODED_READ: 6.12)
 *   ioctlatk dedupe SCRATCH DST TEMPLATE   DST opened with mode 3; for
 *       each expansion of TEMPLATE ('#': a digit 0-9), padded with '.' to
 *       DST's size and written to SCRATCH (created), FIDEDUPERANGE SCRATCH
 *       (the ioctl's descriptor) -> DST: print "same: CANDIDATE" (without
 *       the padding) for the one DST holds
 *   ioctlatk dedupe-ro SCRATCH DST TEMPLATE   the same, DST opened
 *       O_RDONLY (CAP_SYS_ADMIN dedupes into a file not open for writing)
 *   ioctlatk shared FILE           FS_IOC_FIEMAP: print "shared" when an
 *       extent of FILE is shared (FIEMAP_EXTENT_SHARED), else "exclusive"
 *   ioctlatk fscrypt-v1-setup DIR  add a v1 key (descriptor
 *       1122334455667788) to DIR's filesystem, set a v1 policy on DIR
 *       (empty), write DIR/secret
 *   ioctlatk fscrypt-v1-add PATH   add that v1 key again
 *   ioctlatk fscrypt-v1-remove PATH   FS_IOC_REMOVE_ENCRYPTION_KEY of it
 *   ioctlatk fscrypt-v1-status PATH   print its status (1 absent,
 *       2 present, 3 incompletely removed)
 *   ioctlatk ino-paths PATH FIRST LAST   BTRFS_IOC_INO_PATHS for inode
 *       numbers FIRST..LAST of PATH's subvolume: print "INUM NAME" lines;
 *       exit 0 when one resolved
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "ring.h"

#ifndef IORING_OP_URING_CMD_NR
#define IORING_OP_URING_CMD_NR 46
#endif

static const uint8_t v1_desc[FSCRYPT_KEY_DESCRIPTOR_SIZE] = {
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88
};

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "ioctlatk: %s: %s\n", what, strerror(err));
	return err ? err : 255;
}

static int open_mode(const char *path, const char *m)
{
	return open(path, !strcmp(m, "w") ? O_WRONLY : 3);
}

static int encread(const char *path, const char *m, int uring)
{
	static char buf[1 << 17];
	struct iovec iov = { buf, sizeof(buf) };
	struct btrfs_ioctl_encoded_io_args a;
	int fd = open_mode(path, m);
	long n;

	if (fd < 0)
		return fail("open");
	memset(&a, 0, sizeof(a));
	a.iov = &iov;
	a.iovcnt = 1;
	a.offset = 0;
	if (uring) {
		struct io_uring_sqe sqe;
		struct ring r;

		if (ring_init(&r))
			return fail("io_uring_setup");
		memset(&sqe, 0, sizeof(sqe));
		sqe.opcode = IORING_OP_URING_CMD_NR;
		sqe.fd = fd;
		sqe.cmd_op = BTRFS_IOC_ENCODED_READ;
		sqe.addr = (uint64_t)(uintptr_t)&a;
		n = ring_submit(&r, &sqe);
		if (n < 0) {
			errno = (int)-n;
			return fail("IORING_OP_URING_CMD ENCODED_READ");
		}
	} else {
		n = ioctl(fd, BTRFS_IOC_ENCODED_READ, &a);
		if (n < 0)
			return fail("BTRFS_IOC_ENCODED_READ");
	}
	fprintf(stderr, "ioctlatk: encoded read %ld bytes, compression %u\n",
		n, a.compression);
	fwrite(buf, 1, (size_t)n > sizeof(buf) ? sizeof(buf) : (size_t)n, stdout);
	return 0;
}

static int dedupe(const char *scratch, const char *dst, const char *tmpl,
		  int mode)
{
	struct {
		struct file_dedupe_range r;
		struct file_dedupe_range_info i;
	} d;
	size_t len = strlen(tmpl);
	unsigned long n, k, total = 1;
	static char cand[65536];
	struct stat st;
	int dfd = open(dst, mode), sfd;

	if (dfd < 0)
		return fail(mode == 3 ? "open DST with mode 3" : "open DST");
	if (fstat(dfd, &st))
		return fail("fstat");
	if (st.st_size >= (off_t)sizeof(cand) || (off_t)len > st.st_size) {
		fprintf(stderr, "ioctlatk: DST has %lld bytes, TEMPLATE %zu\n",
			(long long)st.st_size, len);
		return 254;
	}
	for (k = 0; k < len; k++)
		if (tmpl[k] == '#')
			total *= 10;
	for (n = 0; n < total; n++) {
		unsigned long v = n;

		memset(cand, '.', (size_t)st.st_size);
		memcpy(cand, tmpl, len);
		for (k = len; k-- > 0;)
			if (cand[k] == '#') {
				cand[k] = (char)('0' + v % 10);
				v /= 10;
			}
		sfd = open(scratch, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (sfd < 0)
			return fail("open SCRATCH");
		if (write(sfd, cand, (size_t)st.st_size) != st.st_size ||
		    fsync(sfd))
			return fail("write SCRATCH");
		memset(&d, 0, sizeof(d));
		d.r.src_offset = 0;
		d.r.src_length = (uint64_t)st.st_size;
		d.r.dest_count = 1;
		d.i.dest_fd = dfd;
		if (ioctl(sfd, FIDEDUPERANGE, &d))
			return fail("FIDEDUPERANGE");
		close(sfd);
		if (d.i.status < 0) {
			errno = -d.i.status;
			return fail("FIDEDUPERANGE status");
		}
		if (d.i.status == FILE_DEDUPE_RANGE_SAME) {
			printf("same: %.*s (%llu bytes deduplicated)\n", (int)len,
			       cand, (unsigned long long)d.i.bytes_deduped);
			return 0;
		}
	}
	return ENOENT;
}

static int shared(const char *path)
{
	struct {
		struct fiemap f;
		struct fiemap_extent e[16];
	} m;
	unsigned int i;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return fail("open");
	memset(&m, 0, sizeof(m));
	m.f.fm_length = FIEMAP_MAX_OFFSET;
	m.f.fm_flags = FIEMAP_FLAG_SYNC;
	m.f.fm_extent_count = 16;
	if (ioctl(fd, FS_IOC_FIEMAP, &m))
		return fail("FS_IOC_FIEMAP");
	for (i = 0; i < m.f.fm_mapped_extents; i++)
		if (m.e[i].fe_flags & FIEMAP_EXTENT_SHARED) {
			printf("shared\n");
			return 0;
		}
	printf("exclusive\n");
	return 0;
}

static int v1_add(int fd)
{
	struct {
		struct fscrypt_add_key_arg a;
		uint8_t raw[64];
	} k;
	unsigned int i;

	memset(&k, 0, sizeof(k));
	k.a.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_DESCRIPTOR;
	memcpy(k.a.key_spec.u.descriptor, v1_desc, sizeof(v1_desc));
	k.a.raw_size = sizeof(k.raw);
	for (i = 0; i < sizeof(k.raw); i++)
		k.raw[i] = (uint8_t)(i * 53 + 7);
	if (ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, &k))
		return fail("FS_IOC_ADD_ENCRYPTION_KEY");
	return 0;
}

static int fscrypt_v1(const char *op, const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return fail("open");
	if (!strcmp(op, "fscrypt-v1-add"))
		return v1_add(fd);
	if (!strcmp(op, "fscrypt-v1-setup")) {
		struct fscrypt_policy_v1 pol = {
			.version = FSCRYPT_POLICY_V1,
			.contents_encryption_mode = FSCRYPT_MODE_AES_256_XTS,
			.filenames_encryption_mode = FSCRYPT_MODE_AES_256_CTS,
			.flags = FSCRYPT_POLICY_FLAGS_PAD_32,
		};
		char f[4096];
		int out, ret = v1_add(fd);

		if (ret)
			return ret;
		memcpy(pol.master_key_descriptor, v1_desc, sizeof(v1_desc));
		if (ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, &pol))
			return fail("FS_IOC_SET_ENCRYPTION_POLICY");
		snprintf(f, sizeof(f), "%s/secret", path);
		out = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0 || write(out, "cleartext\n", 10) != 10 || close(out))
			return fail("write DIR/secret");
		return 0;
	}
	if (!strcmp(op, "fscrypt-v1-status")) {
		struct fscrypt_get_key_status_arg st;

		memset(&st, 0, sizeof(st));
		st.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_DESCRIPTOR;
		memcpy(st.key_spec.u.descriptor, v1_desc, sizeof(v1_desc));
		if (ioctl(fd, FS_IOC_GET_ENCRYPTION_KEY_STATUS, &st))
			return fail("FS_IOC_GET_ENCRYPTION_KEY_STATUS");
		printf("%u\n", st.status);
		return 0;
	}
	if (!strcmp(op, "fscrypt-v1-remove")) {
		struct fscrypt_remove_key_arg r;

		memset(&r, 0, sizeof(r));
		r.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_DESCRIPTOR;
		memcpy(r.key_spec.u.descriptor, v1_desc, sizeof(v1_desc));
		if (ioctl(fd, FS_IOC_REMOVE_ENCRYPTION_KEY, &r))
			return fail("FS_IOC_REMOVE_ENCRYPTION_KEY");
		printf("removal status flags %#x\n", r.removal_status_flags);
		return 0;
	}
	return 254;
}

static int ino_paths(const char *path, unsigned long first, unsigned long last)
{
	static uint64_t buf[512];
	struct btrfs_ioctl_ino_path_args a;
	struct btrfs_data_container *c = (void *)buf;
	unsigned long ino;
	unsigned int i;
	int fd = open(path, O_RDONLY), found = 0;

	if (fd < 0)
		return fail("open");
	for (ino = first; ino <= last; ino++) {
		memset(&a, 0, sizeof(a));
		memset(buf, 0, sizeof(buf));
		a.inum = ino;
		a.size = sizeof(buf);
		a.fspath = (uint64_t)(uintptr_t)buf;
		if (ioctl(fd, BTRFS_IOC_INO_PATHS, &a)) {
			if (errno == ENOENT)
				continue;
			return fail("BTRFS_IOC_INO_PATHS");
		}
		for (i = 0; i < c->elem_cnt; i++) {
			printf("%lu %s\n", ino, (char *)c->val + c->val[i]);
			found = 1;
		}
	}
	return found ? 0 : ENOENT;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	int fd;

	if (!strcmp(op, "cat") && argc == 3) {
		char buf[4096];
		ssize_t n;

		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return fail("open");
		n = read(fd, buf, sizeof(buf));
		if (n > 0)
			fwrite(buf, 1, (size_t)n, stdout);
		return 0;
	}
	if (!strcmp(op, "open3") && argc == 3) {
		fd = open(argv[2], 3);
		return fd < 0 ? fail("open(PATH, 3)") : 0;
	}
	if (!strcmp(op, "blkro") && (argc == 3 || argc == 4)) {
		int v;

		fd = open(argv[2], 3);
		if (fd < 0)
			return fail("open(DEV, 3)");
		if (argc == 4) {
			v = atoi(argv[3]);
			return ioctl(fd, BLKROSET, &v) ? fail("BLKROSET") : 0;
		}
		if (ioctl(fd, BLKROGET, &v))
			return fail("BLKROGET");
		printf("%d\n", v);
		return 0;
	}
	if (!strcmp(op, "encread") && argc == 4)
		return encread(argv[2], argv[3], 0);
	if (!strcmp(op, "encread-uring") && argc == 4)
		return encread(argv[2], argv[3], 1);
	if (!strcmp(op, "dedupe") && argc == 5)
		return dedupe(argv[2], argv[3], argv[4], 3);
	if (!strcmp(op, "dedupe-ro") && argc == 5)
		return dedupe(argv[2], argv[3], argv[4], O_RDONLY);
	if (!strcmp(op, "shared") && argc == 3)
		return shared(argv[2]);
	if (!strncmp(op, "fscrypt-v1-", 11) && argc == 3)
		return fscrypt_v1(op, argv[2]);
	if (!strcmp(op, "ino-paths") && argc == 5)
		return ino_paths(argv[2], strtoul(argv[3], NULL, 0),
				 strtoul(argv[4], NULL, 0));
	fprintf(stderr, "usage: see the header of ioctlatk.c\n");
	return 254;
}
