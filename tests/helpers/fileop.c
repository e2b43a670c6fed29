// SPDX-License-Identifier: GPL-2.0
/*
 * fileop: one file operation, with its errno as the exit status, so a
 * test can tell EACCES (13) from any other failure.
 *
 *   fileop read PATH         open O_RDONLY, copy to stdout
 *   fileop write PATH TEXT   open O_WRONLY|O_TRUNC|O_CREAT, write TEXT
 *   fileop fork-read PATH    the same read, in a forked child
 *   fileop exec PATH ARGS... execv PATH (exit status: its own, or errno)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
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

int main(int argc, char **argv)
{
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
