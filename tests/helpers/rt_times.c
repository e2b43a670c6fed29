// SPDX-License-Identifier: GPL-2.0
/*
 * rt_times: every way to set a file's times, for
 * tests/vm/attack-setattr-times.sh. Exit status 0 or the errno.
 * Times set are 2001-09-09 (1000000000) unless said otherwise.
 *
 *   rt_times utime PATH            utime()
 *   rt_times utimes PATH           utimes()
 *   rt_times futimesat PATH        futimesat(dir fd, base name)
 *   rt_times utimensat PATH        utimensat(AT_FDCWD, PATH)
 *   rt_times lutimens PATH         utimensat(AT_SYMLINK_NOFOLLOW)
 *   rt_times now PATH              utimensat(NULL): both to now
 *   rt_times omit-a PATH           {UTIME_OMIT, 2001}: the mtime only
 *   rt_times omit-m PATH           {UTIME_NOW, UTIME_OMIT}: the atime only
 *   rt_times omit-both PATH        {UTIME_OMIT, UTIME_OMIT} (a no-op)
 *   rt_times emptypath PATH        open O_PATH, utimensat(fd, "", AT_EMPTY_PATH)
 *   rt_times emptypath-ro PATH     the same on an O_RDONLY descriptor
 *   rt_times futimens PATH         open O_RDONLY, futimens()
 *   rt_times futimens-path PATH    open O_PATH, futimens()
 *   rt_times procfd PATH           open O_PATH, utimensat("/proc/self/fd/N")
 *   rt_times procfd-ro PATH        open O_RDONLY, utimes("/proc/self/fd/N")
 *   rt_times dirfd PATH            open the parent O_PATH|O_DIRECTORY,
 *                                  utimensat(dirfd, base name)
 *   rt_times c-utime PATH          int $0x80 utime (30)
 *   rt_times c-utimes PATH         int $0x80 utimes (271)
 *   rt_times c-futimesat PATH      int $0x80 futimesat (299), AT_FDCWD
 *   rt_times c-utimensat PATH      int $0x80 utimensat (320, 32-bit times)
 *   rt_times c-utimensat64 PATH    int $0x80 utimensat_time64 (412)
 *   rt_times c-futimens PATH       int $0x80 utimensat(fd, NULL) (320)
 *   rt_times chown-nop PATH        fchownat(PATH, -1, -1): only the ctime
 *   rt_times chmod-same PATH       chmod to its own mode
 *   rt_times truncate-same PATH    truncate to its own size
 *   rt_times link PATH NEW         link(PATH, NEW) (the ctime of PATH)
 *   rt_times send-fd SOCK PATH rw|ro  serve SOCK (unix stream): send one
 *                                  descriptor of PATH to the first client
 *   rt_times recv-fd SOCK          connect to SOCK, receive a descriptor,
 *                                  futimens() on it
 *   rt_times recv-fd-write SOCK    the same, then write() one byte
 *   rt_times write PATH            open O_WRONLY|O_APPEND, write a byte
 *   rt_times old PATH              both times to 1990 (a reset, unconfined;
 *                                  no symlink followed)
 *   rt_times stat PATH             print "atime mtime ctime" (seconds.ns)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <utime.h>
#include <poll.h>
#include "int80.h"

static int fail(const char *what, const char *path)
{
	int err = errno;

	fprintf(stderr, "rt_times: %s %s: %s\n", what, path, strerror(err));
	return err ? err : 255;
}

#define CHECK(call, what, path) ((call) < 0 ? fail(what, path) : 0)

static const struct timespec ts2001[2] = {
	{ .tv_sec = 1000000000 }, { .tv_sec = 1000000000 } };
static const struct timeval tv2001[2] = {
	{ .tv_sec = 1000000000 }, { .tv_sec = 1000000000 } };

/* 32-bit ABI arguments below 4 GiB (static, non-PIE helper). */
static char cpath[4096];
static int32_t c_tv[4] = { 1000000000, 0, 1000000000, 0 };	/* compat timeval/timespec */
static int32_t c_utb[2] = { 1000000000, 1000000000 };		/* compat utimbuf */
static int64_t c_ts64[4] = { 1000000000, 0, 1000000000, 0 };	/* __kernel_timespec */

static long lo(const void *p)
{
	if ((uintptr_t)p >> 32)
		exit(254);
	return (long)(uintptr_t)p;
}

static int parent_fd(const char *path, const char **base, int flags)
{
	static char d[4096], b[4096];
	int fd;

	snprintf(d, sizeof(d), "%s", path);
	snprintf(b, sizeof(b), "%s", path);
	*base = basename(b);
	fd = open(dirname(d), O_DIRECTORY | flags);
	if (fd < 0)
		exit(fail("open parent of", path));
	return fd;
}

static int send_fd(const char *sock, const char *path, int rw)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char c = 'x', cb[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cb, .msg_controllen = sizeof(cb) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	struct pollfd pfd;
	int l, s, fd = open(path, rw ? O_RDWR : O_RDONLY);

	if (fd < 0)
		return fail("open", path);
	strncpy(a.sun_path, sock, sizeof(a.sun_path) - 1);
	unlink(sock);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (void *)&a, sizeof(a)) || listen(l, 1))
		return fail("listen", sock);
	printf("ready\n");
	fflush(stdout);
	pfd.fd = l;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 30000) <= 0)
		return fail("no client on", sock);
	s = accept(l, NULL, NULL);
	memset(cb, 0, sizeof(cb));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return CHECK(sendmsg(s, &m, 0), "sendmsg", sock);
}

static int recv_fd(const char *sock, int wr)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char c, cb[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cb, .msg_controllen = sizeof(cb) };
	int s = socket(AF_UNIX, SOCK_STREAM, 0), fd;

	strncpy(a.sun_path, sock, sizeof(a.sun_path) - 1);
	if (s < 0 || connect(s, (void *)&a, sizeof(a)))
		return fail("connect", sock);
	if (recvmsg(s, &m, 0) <= 0 || !CMSG_FIRSTHDR(&m))
		return fail("recvmsg", sock);
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	if (wr)
		return CHECK(write(fd, "w", 1), "write received", sock);
	return CHECK(futimens(fd, ts2001), "futimens received", sock);
}

int main(int argc, char **argv)
{
	const char *op, *path, *base;
	struct timespec t[2];
	struct stat st;
	char proc[64];
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: see rt_times.c\n");
		return 254;
	}
	op = argv[1];
	path = argv[2];
	snprintf(cpath, sizeof(cpath), "%s", path);

	if (!strcmp(op, "utime")) {
		struct utimbuf u = { 1000000000, 1000000000 };

		return CHECK(utime(path, &u), op, path);
	}
	if (!strcmp(op, "utimes"))
		return CHECK(utimes(path, tv2001), op, path);
	if (!strcmp(op, "futimesat")) {
		fd = parent_fd(path, &base, O_RDONLY);
		return CHECK(futimesat(fd, base, tv2001), op, path);
	}
	if (!strcmp(op, "utimensat"))
		return CHECK(utimensat(AT_FDCWD, path, ts2001, 0), op, path);
	if (!strcmp(op, "lutimens"))
		return CHECK(utimensat(AT_FDCWD, path, ts2001, AT_SYMLINK_NOFOLLOW), op, path);
	if (!strcmp(op, "now"))
		return CHECK(utimensat(AT_FDCWD, path, NULL, 0), op, path);
	if (!strcmp(op, "omit-a") || !strcmp(op, "omit-m") || !strcmp(op, "omit-both")) {
		t[0] = ts2001[0];
		t[1] = ts2001[1];
		if (!strcmp(op, "omit-a") || !strcmp(op, "omit-both"))
			t[0].tv_nsec = UTIME_OMIT;
		if (!strcmp(op, "omit-m") || !strcmp(op, "omit-both"))
			t[1].tv_nsec = UTIME_OMIT;
		if (!strcmp(op, "omit-m"))
			t[0].tv_nsec = UTIME_NOW;
		return CHECK(utimensat(AT_FDCWD, path, t, 0), op, path);
	}
	if (!strcmp(op, "emptypath") || !strcmp(op, "emptypath-ro")) {
		fd = open(path, !strcmp(op, "emptypath") ? O_PATH : O_RDONLY);
		if (fd < 0)
			return fail("open", path);
		return CHECK(utimensat(fd, "", ts2001, AT_EMPTY_PATH), op, path);
	}
	if (!strcmp(op, "futimens") || !strcmp(op, "futimens-path")) {
		fd = open(path, !strcmp(op, "futimens") ? O_RDONLY : O_PATH);
		if (fd < 0)
			return fail("open", path);
		return CHECK(futimens(fd, ts2001), op, path);
	}
	if (!strcmp(op, "procfd") || !strcmp(op, "procfd-ro")) {
		fd = open(path, !strcmp(op, "procfd") ? O_PATH : O_RDONLY);
		if (fd < 0)
			return fail("open", path);
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (!strcmp(op, "procfd"))
			return CHECK(utimensat(AT_FDCWD, proc, ts2001, 0), op, path);
		return CHECK(utimes(proc, tv2001), op, path);
	}
	if (!strcmp(op, "dirfd")) {
		fd = parent_fd(path, &base, O_PATH);
		return CHECK(utimensat(fd, base, ts2001, 0), op, path);
	}
	if (!strcmp(op, "c-utime"))
		return CHECK(int80(30, lo(cpath), lo(c_utb), 0), op, path);
	if (!strcmp(op, "c-utimes"))
		return CHECK(int80(271, lo(cpath), lo(c_tv), 0), op, path);
	if (!strcmp(op, "c-futimesat"))
		return CHECK(int80(299, AT_FDCWD, lo(cpath), lo(c_tv)), op, path);
	if (!strcmp(op, "c-utimensat"))
		return CHECK(int80_4(320, AT_FDCWD, lo(cpath), lo(c_tv), 0), op, path);
	if (!strcmp(op, "c-utimensat64"))
		return CHECK(int80_4(412, AT_FDCWD, lo(cpath), lo(c_ts64), 0), op, path);
	if (!strcmp(op, "c-futimens")) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return fail("open", path);
		return CHECK(int80_4(320, fd, 0, lo(c_tv), 0), op, path);
	}
	if (!strcmp(op, "chown-nop"))
		return CHECK(fchownat(AT_FDCWD, path, (uid_t)-1, (gid_t)-1, 0), op, path);
	if (!strcmp(op, "chmod-same")) {
		if (stat(path, &st))
			return fail("stat", path);
		return CHECK(chmod(path, st.st_mode & 07777), op, path);
	}
	if (!strcmp(op, "truncate-same")) {
		if (stat(path, &st))
			return fail("stat", path);
		return CHECK(truncate(path, st.st_size), op, path);
	}
	if (!strcmp(op, "link") && argc > 3)
		return CHECK(link(path, argv[3]), op, path);
	if (!strcmp(op, "send-fd") && argc > 4)
		return send_fd(path, argv[3], !strcmp(argv[4], "rw"));
	if (!strcmp(op, "recv-fd"))
		return recv_fd(path, 0);
	if (!strcmp(op, "recv-fd-write"))
		return recv_fd(path, 1);
	if (!strcmp(op, "write")) {
		fd = open(path, O_WRONLY | O_APPEND);
		if (fd < 0)
			return fail("open", path);
		return CHECK(write(fd, "w", 1), op, path);
	}
	if (!strcmp(op, "old")) {
		t[0].tv_sec = t[1].tv_sec = 631152000;
		t[0].tv_nsec = t[1].tv_nsec = 0;
		return CHECK(utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW), op, path);
	}
	if (!strcmp(op, "stat")) {
		if (lstat(path, &st))
			return fail("stat", path);
		printf("%ld.%09ld %ld.%09ld %ld.%09ld\n",
		       (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
		       (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		       (long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
		return 0;
	}
	fprintf(stderr, "usage: see rt_times.c\n");
	return 254;
}
