// SPDX-License-Identifier: GPL-2.0
/*
 * srvatk: attacks on the display and sound servers' sockets (a device
 * class grants them: kmod/servers.c) and on memfd truncation, for the
 * red-team tests tests/vm/attack-servers-*.sh. Exit status 0 or the errno
 * of the step that failed (254: usage).
 *
 *   srvatk connect TYPE ADDR [FSUID [PAD]]
 *       socket(AF_UNIX, TYPE) and connect to ADDR (a path, or @NAME for
 *       an abstract socket); TYPE stream, seqpacket or dgram (dgram:
 *       connect, then send one byte). FSUID: setfsuid() to it first ("-":
 *       no change; checked with setfsuid(-1)). PAD: that many NUL bytes
 *       more in the address's length (an abstract name "X0\0\0").
 *   srvatk listen TYPE ADDR SECS [PAD]
 *       bind ADDR (and listen, for stream and seqpacket) for SECS seconds,
 *       accepting and closing connections; a path is unlinked first
 *   srvatk memfd-twin3     fd 3 a memfd held read-only: make a memfd of
 *       its own, open for writing, then truncate("/proc/self/fd/3", 0)
 *   srvatk opath-trunc3    open("/proc/self/fd/3", O_PATH) as fd N, then
 *       truncate("/proc/self/fd/N", 0)
 *   srvatk reopen-rw3      open("/proc/self/fd/3", O_RDWR), ftruncate it
 *   srvatk punch3          fallocate(3, PUNCH_HOLE|KEEP_SIZE, 0, 1)
 *   srvatk uring-trunc3    IORING_OP_FTRUNCATE (Linux 6.9+) of fd 3 to 0
 *   srvatk race-trunc3 SECS  one thread truncates /proc/self/fd/3 in a
 *       loop while another makes writable memfds of its own and closes
 *       them: exit 0 if any truncate worked, else the last errno
 *
 * Whole-filesystem ioctls (PATH opened O_RDONLY; a directory is fine):
 *   srvatk resizefs PATH BLOCKS   EXT4_IOC_RESIZE_FS to BLOCKS blocks
 *   srvatk fitrim PATH            FITRIM over the whole filesystem
 *   srvatk fscrypt-setup DIR      add a v2 key (fixed pseudo-random bytes)
 *       to DIR's filesystem, set a v2 policy on DIR (empty) and write
 *       DIR/secret; print the key's identifier (hex)
 *   srvatk fscrypt-status PATH ID print the key's status (1 absent,
 *       2 present, 3 incompletely removed)
 *   srvatk fscrypt-remove-all PATH ID  FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <sys/ioctl.h>
#include <stdint.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "ring.h"

#ifndef IORING_OP_FTRUNCATE_NR
#define IORING_OP_FTRUNCATE_NR 55
#endif

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "srvatk: %s: %s\n", what, strerror(err));
	return err ? err : 255;
}

static int sock_type(const char *t)
{
	if (!strcmp(t, "seqpacket"))
		return SOCK_SEQPACKET;
	if (!strcmp(t, "dgram"))
		return SOCK_DGRAM;
	return SOCK_STREAM;
}

static socklen_t address(const char *addr, int pad, struct sockaddr_un *un)
{
	size_t n = strlen(addr);

	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	if (n > sizeof(un->sun_path))
		n = sizeof(un->sun_path);
	memcpy(un->sun_path, addr, n);
	if (addr[0] == '@') {
		un->sun_path[0] = '\0';
		n += (size_t)pad;
		if (n > sizeof(un->sun_path))
			n = sizeof(un->sun_path);
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	return (socklen_t)sizeof(*un);
}

static int do_connect(int argc, char **argv)
{
	int type = sock_type(argv[2]), fd, pad = argc > 5 ? atoi(argv[5]) : 0;
	struct sockaddr_un un;
	socklen_t len = address(argv[3], pad, &un);

	if (argc > 4 && strcmp(argv[4], "-")) {
		unsigned int want = (unsigned int)strtoul(argv[4], NULL, 10);

		setfsuid(want);
		if ((unsigned int)setfsuid(-1) != want) {
			errno = EPERM;
			return fail("setfsuid");
		}
	}
	fd = socket(AF_UNIX, type, 0);
	if (fd < 0)
		return fail("socket");
	if (connect(fd, (void *)&un, len))
		return fail("connect");
	if (type == SOCK_DGRAM && send(fd, "x", 1, 0) != 1)
		return fail("send");
	return 0;
}

static int do_listen(int argc, char **argv)
{
	int type = sock_type(argv[2]), fd, c, pad = argc > 5 ? atoi(argv[5]) : 0;
	struct sockaddr_un un;
	socklen_t len = address(argv[3], pad, &un);
	time_t end = time(NULL) + atoi(argv[4]);
	struct pollfd p;

	fd = socket(AF_UNIX, type, 0);
	if (fd < 0)
		return fail("socket");
	if (argv[3][0] != '@')
		unlink(argv[3]);
	if (bind(fd, (void *)&un, len))
		return fail("bind");
	if (type != SOCK_DGRAM && listen(fd, 64))
		return fail("listen");
	p.fd = fd;
	p.events = POLLIN;
	while (time(NULL) < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		if (type == SOCK_DGRAM) {
			char b[64];

			if (recv(fd, b, sizeof(b), 0) < 0)
				break;
		} else if ((c = accept(fd, NULL, NULL)) >= 0) {
			close(c);
		}
	}
	return 0;
}

static volatile int stop;

static void *maker(void *arg)
{
	(void)arg;
	while (!stop) {
		int m = memfd_create("twin", 0);

		if (m >= 0) {
			if (write(m, "z", 1) < 0)
				break;
			close(m);
		}
	}
	return NULL;
}

static int race_trunc3(int secs)
{
	time_t end = time(NULL) + secs;
	pthread_t t;
	int err = 0, worked = 0;

	if (pthread_create(&t, NULL, maker, NULL))
		return fail("pthread_create");
	while (time(NULL) < end && !worked) {
		if (!truncate("/proc/self/fd/3", 0))
			worked = 1;
		else
			err = errno;
	}
	stop = 1;
	pthread_join(t, NULL);
	if (worked) {
		printf("a truncate of fd 3 worked\n");
		return 0;
	}
	errno = err;
	return fail("truncate fd 3 (every try)");
}

static int uring_trunc3(void)
{
	struct io_uring_sqe sqe = { .opcode = IORING_OP_FTRUNCATE_NR, .fd = 3 };
	struct ring r;
	int res;

	if (ring_init(&r))
		return fail("io_uring_setup");
	res = ring_submit(&r, &sqe);
	if (res < 0) {
		errno = -res;
		return fail("IORING_OP_FTRUNCATE fd 3");
	}
	return 0;
}

#define X_EXT4_IOC_RESIZE_FS _IOW('f', 16, uint64_t)

static int open_ro(const char *path)
{
	return open(path, O_RDONLY | O_NONBLOCK);
}

static int parse_id(const char *hex, struct fscrypt_key_specifier *ks)
{
	unsigned int i, b;

	memset(ks, 0, sizeof(*ks));
	ks->type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	for (i = 0; i < FSCRYPT_KEY_IDENTIFIER_SIZE; i++) {
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		ks->u.identifier[i] = (uint8_t)b;
	}
	return 0;
}

static int fscrypt_op(const char *op, const char *path, const char *id)
{
	int fd = open_ro(path);

	if (fd < 0)
		return fail("open");
	if (!strcmp(op, "fscrypt-setup")) {
		struct {
			struct fscrypt_add_key_arg a;
			uint8_t raw[64];
		} k;
		struct fscrypt_policy_v2 pol = {
			.version = FSCRYPT_POLICY_V2,
			.contents_encryption_mode = FSCRYPT_MODE_AES_256_XTS,
			.filenames_encryption_mode = FSCRYPT_MODE_AES_256_CTS,
			.flags = FSCRYPT_POLICY_FLAGS_PAD_32,
		};
		char f[4096];
		unsigned int i;
		int out;

		memset(&k, 0, sizeof(k));
		k.a.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
		k.a.raw_size = sizeof(k.raw);
		for (i = 0; i < sizeof(k.raw); i++)
			k.raw[i] = (uint8_t)(rand() ^ (i * 37));
		if (ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, &k))
			return fail("FS_IOC_ADD_ENCRYPTION_KEY");
		memcpy(pol.master_key_identifier, k.a.key_spec.u.identifier,
		       FSCRYPT_KEY_IDENTIFIER_SIZE);
		if (ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, &pol))
			return fail("FS_IOC_SET_ENCRYPTION_POLICY");
		snprintf(f, sizeof(f), "%s/secret", path);
		out = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0 || write(out, "cleartext\n", 10) != 10 || close(out))
			return fail("write DIR/secret");
		for (i = 0; i < FSCRYPT_KEY_IDENTIFIER_SIZE; i++)
			printf("%02x", k.a.key_spec.u.identifier[i]);
		printf("\n");
		return 0;
	}
	if (!id)
		return 254;
	if (!strcmp(op, "fscrypt-status")) {
		struct fscrypt_get_key_status_arg st;

		memset(&st, 0, sizeof(st));
		if (parse_id(id, &st.key_spec))
			return 254;
		if (ioctl(fd, FS_IOC_GET_ENCRYPTION_KEY_STATUS, &st))
			return fail("FS_IOC_GET_ENCRYPTION_KEY_STATUS");
		printf("%u\n", st.status);
		return 0;
	}
	if (!strcmp(op, "fscrypt-remove-all")) {
		struct fscrypt_remove_key_arg r;

		memset(&r, 0, sizeof(r));
		if (parse_id(id, &r.key_spec))
			return 254;
		if (ioctl(fd, FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS, &r))
			return fail("FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS");
		printf("removal status flags %#x\n", r.removal_status_flags);
		return 0;
	}
	return 254;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	char p[64];
	int fd;

	if (!strcmp(op, "connect") && argc >= 4)
		return do_connect(argc, argv);
	if (!strcmp(op, "listen") && argc >= 5)
		return do_listen(argc, argv);
	if (!strcmp(op, "memfd-twin3")) {
		int m = memfd_create("twin", 0);

		if (m < 0 || ftruncate(m, 4096))
			return fail("own memfd");
		return truncate("/proc/self/fd/3", 0) ? fail("truncate fd 3") : 0;
	}
	if (!strcmp(op, "opath-trunc3")) {
		fd = open("/proc/self/fd/3", O_PATH);
		if (fd < 0)
			return fail("open O_PATH");
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
		return truncate(p, 0) ? fail("truncate through O_PATH") : 0;
	}
	if (!strcmp(op, "reopen-rw3")) {
		fd = open("/proc/self/fd/3", O_RDWR);
		if (fd < 0)
			return fail("reopen O_RDWR");
		return ftruncate(fd, 0) ? fail("ftruncate") : 0;
	}
	if (!strcmp(op, "punch3"))
		return fallocate(3, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 1) ?
		       fail("fallocate punch fd 3") : 0;
	if (!strcmp(op, "uring-trunc3"))
		return uring_trunc3();
	if (!strcmp(op, "resizefs") && argc >= 4) {
		uint64_t n = strtoull(argv[3], NULL, 10);

		fd = open_ro(argv[2]);
		if (fd < 0)
			return fail("open");
		return ioctl(fd, X_EXT4_IOC_RESIZE_FS, &n) ? fail("EXT4_IOC_RESIZE_FS") : 0;
	}
	if (!strcmp(op, "fitrim") && argc >= 3) {
		struct fstrim_range r = { .start = 0, .len = UINT64_MAX };

		fd = open_ro(argv[2]);
		if (fd < 0)
			return fail("open");
		if (ioctl(fd, FITRIM, &r))
			return fail("FITRIM");
		printf("trimmed %llu bytes\n", (unsigned long long)r.len);
		return 0;
	}
	if (!strncmp(op, "fscrypt-", 8) && argc >= 3)
		return fscrypt_op(op, argv[2], argc > 3 ? argv[3] : NULL);
	if (!strcmp(op, "race-trunc3") && argc >= 3)
		return race_trunc3(atoi(argv[2]));
	return 254;
}
