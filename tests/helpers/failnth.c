// SPDX-License-Identifier: GPL-2.0
/*
 * failnth N PROG ARGS...: execute PROG with the Nth fault-injectable
 * allocation from here on failed (/proc/thread-self/fail-nth, the
 * kernel's fault-injection.rst): the exec's own first. Exit status: the
 * errno of a failed exec, else PROG's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc < 3)
		return fprintf(stderr, "usage: failnth N PROG ARGS...\n"), 254;
	fd = open("/proc/thread-self/fail-nth", O_WRONLY);
	if (fd < 0 || write(fd, argv[1], strlen(argv[1])) < 0)
		return perror("fail-nth"), 253;
	close(fd);
	execv(argv[2], argv + 2);
	return errno;
}
