// SPDX-License-Identifier: GPL-2.0
/*
 * cumark: a program whose bytes say which copy of it is running, for
 * tests/vm/attack-ident-copyup.sh.
 *
 *   cumark run FILE     prints "mark <M>" (M: a string in .rodata, read
 *                       from the mapped image), then reads FILE and prints
 *                       "read <first line>"; exit 0, or the errno
 *   cumark patch FILE   in FILE (a copy of this program, maybe padded),
 *                       changes the mark (every copy) to another string of its length
 *                       and inverts the last byte; exit 0 or errno
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char mark[] = "CUMARK-ORIGINAL-BYTES";
static const char other[] = "CUMARK-PATCHED!-BYTES";

static int run(const char *path)
{
	char buf[256];
	ssize_t n;
	int fd;

	printf("mark %s\n", mark);
	fflush(stdout);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return errno;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	printf("read %s\n", buf);
	return 0;
}

static int patch(const char *path)
{
	static char img[1 << 20];
	struct stat st;
	ssize_t n;
	char *p;
	int fd = open(path, O_RDWR);
	unsigned char c;

	if (fd < 0 || fstat(fd, &st))
		return errno;
	n = pread(fd, img, sizeof(img), 0);
	if (n < 0)
		return errno;
	p = memmem(img, n, mark, sizeof(mark) - 1);
	if (!p)
		return ENOENT;
	for (; p; p = memmem(p + 1, img + n - p - 1, mark, sizeof(mark) - 1))
		if (pwrite(fd, other, sizeof(other) - 1, p - img) != sizeof(other) - 1)
			return errno;
	if (pread(fd, &c, 1, st.st_size - 1) != 1)
		return errno;
	c = ~c;
	if (pwrite(fd, &c, 1, st.st_size - 1) != 1)
		return errno;
	return close(fd) ? errno : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "run"))
		return run(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "patch"))
		return patch(argv[2]);
	fprintf(stderr, "usage: cumark run|patch FILE\n");
	return 2;
}
