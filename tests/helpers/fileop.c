// SPDX-License-Identifier: GPL-2.0
/*
 * fileop: one file operation, with its errno as the exit status, so a
 * test can tell EACCES (13) from any other failure.
 *
 *   fileop read PATH         open O_RDONLY, copy to stdout
 *   fileop write PATH TEXT   open O_WRONLY|O_TRUNC|O_CREAT, write TEXT
 *   fileop fork-read PATH    the same read, in a forked child
 *   fileop exec PATH ARGS... execv PATH (exit status: its own, or errno)
 *   fileop append PATH TEXT  open O_WRONLY|O_APPEND, write TEXT
 *   fileop create PATH       open O_WRONLY|O_CREAT|O_EXCL
 *   fileop trunc-open PATH   open O_WRONLY|O_TRUNC
 *   fileop truncate PATH     truncate(PATH, 0)
 *   fileop rdonly-trunc PATH open O_RDONLY|O_TRUNC (empties it all the same)
 *   fileop ftruncate PATH    open O_RDWR, then ftruncate(fd, 0)
 *   fileop utimes PATH       utimensat(): set both times to 2001-09-09
 *   fileop touch-now PATH    utimensat(NULL): both times to now
 *   fileop futimens PATH     open O_RDONLY, then futimens() to 2001-09-09
 *   fileop setfacl PATH      set a POSIX access ACL (user 65534: rw)
 *   fileop removefacl PATH   remove the access ACL
 *   fileop mkdir|rmdir|unlink|mkfifo|chmod|chown|setxattr|removexattr PATH
 *   fileop symlink TARGET PATH | link OLD NEW | rename OLD NEW | exchange A B
 *   fileop mmap-exec PATH    mmap the file PROT_READ|PROT_EXEC
 *   fileop mprotect-exec PATH  mmap it PROT_READ, then mprotect PROT_EXEC
 *   fileop chroot DIR PATH   chroot(DIR), then read PATH
 *   fileop bindmount SRC DST mount --bind SRC DST
 *   fileop later SECS PATH   sleep SECS, then read PATH
 *   fileop forks N PATH      N times: fork a child that reads PATH; wait
 *   fileop opens N PATH      N times: open PATH (the last errno counts)
 *   fileop makemany N DIR    create DIR/f0 .. DIR/f(N-1), each opened for writing
 *   fileop readmany N DIR    open each of them for reading (the first errno counts)
 *   fileop probe PATH        open O_RDONLY|O_NONBLOCK and close (devices)
 *   fileop mknod-null PATH   make a character device node 1:3
 *   fileop send-exec FILE PROG ARGS...  open FILE (read-write if it can),
 *                            run PROG with a unix socket on fd 3, send it
 *                            the descriptor
 *   fileop recv-read -       receive a descriptor on fd 3, read it
 *   fileop recv-reopen -     receive one, reopen it by /proc/self/fd/N
 *   fileop recv-ftruncate -  receive one, ftruncate(fd, 0)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static int fail(const char *what, const char *path)
{
	int err = errno;

	fprintf(stderr, "fileop: %s %s: %s\n", what, path, strerror(err));
	return err ? err : 255;
}

static int do_read(const char *path)
{
	char buf[4096];

	if (!strcmp(path, "-"))	/* nothing to read */
		return 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return fail("open", path);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) != n)
			return fail("write", "stdout");
	if (n < 0)
		return fail("read", path);
	close(fd);
	return 0;
}

static int do_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CREAT, 0644);
	size_t len = strlen(text);

	if (fd < 0)
		return fail("open", path);
	if (write(fd, text, len) != (ssize_t)len)
		return fail("write", path);
	close(fd);
	return 0;
}

static int do_fork_read(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork", path);
	if (!pid)
		_exit(do_read(path));
	if (waitpid(pid, &status, 0) < 0)
		return fail("waitpid", path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

static int do_open(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd < 0)
		return fail("open", path);
	close(fd);
	return 0;
}

static int do_map(const char *path, int mprotect_after)
{
	int fd = open(path, O_RDONLY);
	void *p;

	if (fd < 0)
		return fail("open", path);
	p = mmap(NULL, 4096, PROT_READ | (mprotect_after ? 0 : PROT_EXEC),
		 MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return fail("mmap", path);
	if (mprotect_after && mprotect(p, 4096, PROT_READ | PROT_EXEC))
		return fail("mprotect", path);
	return 0;
}

#define CHECK(call, what, path) ((call) ? fail(what, path) : 0)

static int send_exec(char **argv)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int sv[2], fd, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return fail("socketpair", "");
	pid = fork();
	if (!pid) {
		dup2(sv[1], 3);
		execv(argv[1], argv + 1);
		_exit(fail("exec", argv[1]));
	}
	fd = open(argv[0], O_RDWR);
	if (fd < 0)
		fd = open(argv[0], O_RDONLY);
	if (fd < 0)
		return fail("open", argv[0]);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sv[0], &msg, 0) != 1)
		return fail("sendmsg", "");
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

static int recv_fd(void)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(3, &msg, 0) != 1 || !(c = CMSG_FIRSTHDR(&msg)) ||
	    c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* recv-read, recv-reopen: a descriptor sent by send-exec, on fd 3. */
static int recv_op(const char *op)
{
	char path[64], buf[256];
	int fd = recv_fd();
	ssize_t n;

	if (fd < 0)
		return fail("recvmsg", "fd 3");
	if (!strcmp(op, "recv-reopen")) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		return do_read(path);
	}
	if (!strcmp(op, "recv-ftruncate"))
		return CHECK(ftruncate(fd, 0), "ftruncate", "received descriptor");
	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return fail("read", "received descriptor");
	return write(1, buf, (size_t)n) == n ? 0 : 255;
}

/*
 * A POSIX ACL in its xattr form (include/uapi/linux/posix_acl_xattr.h):
 * owner rw, user nobody rw, group r, mask rw, other r.
 */
static const struct {
	uint32_t version;
	struct { uint16_t tag, perm; uint32_t id; } entry[5];
} acl_rw = {
	.version = 2,
	.entry = {
		{ 0x01, 6, -1 },	/* ACL_USER_OBJ */
		{ 0x02, 6, 65534 },	/* ACL_USER nobody */
		{ 0x04, 4, -1 },	/* ACL_GROUP_OBJ */
		{ 0x10, 6, -1 },	/* ACL_MASK */
		{ 0x20, 4, -1 },	/* ACL_OTHER */
	},
};

static int do_ftruncate(const char *path)
{
	int fd = open(path, O_RDWR);

	if (fd < 0)
		return CHECK(-1, "open", path);
	return CHECK(ftruncate(fd, 0), "ftruncate", path);
}

/* 1,000,000,000 s after the epoch: a time no test run happens at. */
static const struct timespec fixed_times[2] = {
	{ .tv_sec = 1000000000 }, { .tv_sec = 1000000000 },
};

/* A descriptor open for reading only still sets times (futimens). */
static int do_futimens(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return CHECK(-1, "open", path);
	return CHECK(futimens(fd, fixed_times), "futimens", path);
}

/* Operations on one path, by name. */
static int do_path_op(const char *op, const char *path)
{
	if (!strcmp(op, "probe"))
		return do_open(path, O_RDONLY | O_NONBLOCK);
	if (!strcmp(op, "mknod-null"))
		return CHECK(mknod(path, S_IFCHR | 0600, makedev(1, 3)), op, path);
	if (!strcmp(op, "create"))
		return do_open(path, O_WRONLY | O_CREAT | O_EXCL);
	if (!strcmp(op, "trunc-open"))
		return do_open(path, O_WRONLY | O_TRUNC);
	if (!strcmp(op, "truncate"))
		return CHECK(truncate(path, 0), op, path);
	if (!strcmp(op, "rdonly-trunc"))
		return do_open(path, O_RDONLY | O_TRUNC);
	if (!strcmp(op, "ftruncate"))
		return do_ftruncate(path);
	if (!strcmp(op, "utimes"))
		return CHECK(utimensat(AT_FDCWD, path, fixed_times, 0), op, path);
	if (!strcmp(op, "touch-now"))
		return CHECK(utimensat(AT_FDCWD, path, NULL, 0), op, path);
	if (!strcmp(op, "futimens"))
		return do_futimens(path);
	if (!strcmp(op, "setfacl"))
		return CHECK(setxattr(path, "system.posix_acl_access", &acl_rw,
				      sizeof(acl_rw), 0), op, path);
	if (!strcmp(op, "removefacl"))
		return CHECK(removexattr(path, "system.posix_acl_access"), op, path);
	if (!strcmp(op, "mkdir"))
		return CHECK(mkdir(path, 0755), op, path);
	if (!strcmp(op, "rmdir"))
		return CHECK(rmdir(path), op, path);
	if (!strcmp(op, "unlink"))
		return CHECK(unlink(path), op, path);
	if (!strcmp(op, "mkfifo"))
		return CHECK(mkfifo(path, 0644), op, path);
	if (!strcmp(op, "chmod"))
		return CHECK(chmod(path, 0600), op, path);
	if (!strcmp(op, "chown"))
		return CHECK(chown(path, 0, 0), op, path);
	if (!strcmp(op, "setxattr"))
		return CHECK(setxattr(path, "trusted.charter", "1", 1, 0), op, path);
	if (!strcmp(op, "removexattr"))
		return CHECK(removexattr(path, "trusted.charter"), op, path);
	if (!strcmp(op, "mmap-exec"))
		return do_map(path, 0);
	if (!strcmp(op, "mprotect-exec"))
		return do_map(path, 1);
	return -1;
}

/* Operations on two paths, by name. */
static int do_pair_op(const char *op, const char *a, const char *b)
{
	if (!strcmp(op, "append")) {
		int fd = open(a, O_WRONLY | O_APPEND);

		if (fd < 0)
			return fail("open", a);
		if (write(fd, b, strlen(b)) != (ssize_t)strlen(b))
			return fail("write", a);
		close(fd);
		return 0;
	}
	if (!strcmp(op, "symlink"))
		return CHECK(symlink(a, b), op, b);
	if (!strcmp(op, "link"))
		return CHECK(link(a, b), op, b);
	if (!strcmp(op, "rename"))
		return CHECK(rename(a, b), op, b);
	if (!strcmp(op, "exchange"))
		return CHECK(renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE), op, b);
	if (!strcmp(op, "bindmount"))
		return CHECK(mount(a, b, NULL, MS_BIND, NULL), op, b);
	if (!strcmp(op, "opens")) {
		int r = 0;

		for (long i = atol(a); i > 0; i--) {
			int fd = open(b, O_RDONLY);

			r = fd < 0 ? errno : 0;
			if (fd >= 0)
				close(fd);
		}
		return r;
	}
	if (!strcmp(op, "makemany") || !strcmp(op, "readmany")) {
		int flags = op[0] == 'm' ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY;
		char path[4096];

		for (long i = 0; i < atol(a); i++) {
			int fd;

			snprintf(path, sizeof(path), "%s/f%ld", b, i);
			fd = open(path, flags, 0644);
			if (fd < 0)
				return fail("open", path);
			close(fd);
		}
		return 0;
	}
	if (!strcmp(op, "forks")) {
		for (long i = atol(a); i > 0; i--) {
			int r = do_fork_read(b);

			if (r)
				return r;
		}
		return 0;
	}
	if (!strcmp(op, "later")) {
		sleep((unsigned int)atoi(a));
		return do_read(b);
	}
	if (!strcmp(op, "chroot")) {
		if (chroot(a) || chdir("/"))
			return fail("chroot", a);
		return do_read(b);
	}
	return -1;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc == 3 && (ret = do_path_op(argv[1], argv[2])) >= 0)
		return ret;
	if (argc == 4 && (ret = do_pair_op(argv[1], argv[2], argv[3])) >= 0)
		return ret;
	if (argc == 3 && !strncmp(argv[1], "recv-", 5))
		return recv_op(argv[1]);
	if (argc >= 4 && !strcmp(argv[1], "send-exec"))
		return send_exec(argv + 2);
	if (argc == 3 && !strcmp(argv[1], "read"))
		return do_read(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return do_write(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "fork-read"))
		return do_fork_read(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "exec")) {
		execv(argv[2], argv + 2);
		return fail("exec", argv[2]);
	}
	fprintf(stderr, "usage: fileop read|fork-read PATH | write PATH TEXT | exec PATH ARGS...\n");
	return 254;
}
