// SPDX-License-Identifier: GPL-2.0
/*
 * gateop: red team 17h, the gated hot hooks (kmod/attach.h) and their own
 * trampolines. Exit status 0 or the errno unless said otherwise.
 *
 *   gateop write METHOD FILE REF OFF
 *	With the clock held still (as staleop: CLOCK_REALTIME set to
 *	1700000000 around the write, then put back), write REF's byte OFF
 *	into FILE in place by METHOD: rdwr (open O_RDWR, pwrite), mmap (open
 *	O_RDWR, map shared, store, msync), cfr (copy_file_range from REF),
 *	splice (a pipe spliced into FILE), sendfile (from REF), trunc (open
 *	O_WRONLY|O_TRUNC, write all of REF). 252: a clock tick came between
 *	(FILE's mtime or ctime is not the pinned instant): try again.
 *   gateop connloop SECS PORT
 *   gateop sendloop SECS PORT
 *	For SECS seconds: TCP connects (a new socket each) or UDP sendtos
 *	(one socket) to 127.0.0.1:PORT, each expected refused with EACCES;
 *	prints "N refused"; the first other result is printed ("ESCAPE ...")
 *	and exits 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clockpin.h"

#define ERR_CLOCK 252

static int moved(const char *file)
{
	struct stat st;

	return stat(file, &st) || pinned_times_moved(&st);
}

static int err(const char *what)
{
	int e = errno ? errno : 250;

	fprintf(stderr, "gateop: %s: %s\n", what, strerror(e));
	return e;
}

static int do_write(const char *m, const char *file, const char *ref, long off)
{
	int fd, rfd = open(ref, O_RDONLY);
	unsigned char byte;
	struct stat st;
	loff_t ro = off, wo = off;

	if (rfd < 0 || fstat(rfd, &st) || pread(rfd, &byte, 1, off) != 1)
		return err("read REF");
	if (!strcmp(m, "rdwr")) {
		fd = open(file, O_RDWR);
		if (fd < 0 || pwrite(fd, &byte, 1, off) != 1)
			return err("rdwr");
	} else if (!strcmp(m, "mmap")) {
		unsigned char *p;

		fd = open(file, O_RDWR);
		if (fd < 0)
			return err("open");
		p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return err("mmap");
		close(fd);
		fd = -1;
		p[off] = byte;
		msync(p, st.st_size, MS_SYNC);
		munmap(p, st.st_size);
	} else if (!strcmp(m, "cfr")) {
		fd = open(file, O_WRONLY);
		if (fd < 0 || copy_file_range(rfd, &ro, fd, &wo, 1, 0) != 1)
			return err("copy_file_range");
	} else if (!strcmp(m, "splice")) {
		int p[2];

		fd = open(file, O_WRONLY);
		if (fd < 0 || pipe(p) || write(p[1], &byte, 1) != 1 ||
		    splice(p[0], NULL, fd, &wo, 1, 0) != 1)
			return err("splice");
	} else if (!strcmp(m, "sendfile")) {
		fd = open(file, O_WRONLY);
		if (fd < 0 || lseek(fd, off, SEEK_SET) != off ||
		    sendfile(fd, rfd, &ro, 1) != 1)
			return err("sendfile");
	} else if (!strcmp(m, "trunc")) {
		unsigned char *buf = malloc(st.st_size);

		if (!buf || pread(rfd, buf, st.st_size, 0) != st.st_size)
			return err("read REF");
		fd = open(file, O_WRONLY | O_TRUNC);
		if (fd < 0 || write(fd, buf, st.st_size) != st.st_size)
			return err("trunc");
	} else {
		return 2;
	}
	if (fd >= 0)
		close(fd);
	return 0;
}

static int loop(int tcp, int secs, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	time_t end = time(NULL) + secs;
	long n = 0;
	int s = -1, r;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!tcp && (s = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		return err("socket");
	do {
		if (tcp && (s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
			return err("socket");
		errno = 0;
		if (tcp)
			r = connect(s, (struct sockaddr *)&a, sizeof(a));
		else
			r = sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a));
		if (r >= 0 || errno != EACCES) {
			printf("ESCAPE: %s %ld: result %d errno %d (%s)\n",
			       tcp ? "connect" : "sendto", n, r, errno,
			       strerror(errno));
			return 1;
		}
		if (tcp)
			close(s);
		n++;
	} while (time(NULL) < end);
	printf("%ld refused\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "write")) {
		int r;

		pin_clock();
		r = do_write(argv[2], argv[3], argv[4], atol(argv[5]));
		if (!r && moved(argv[3]))
			r = ERR_CLOCK;
		unpin_clock();
		return r;
	}
	if (argc == 4 && !strcmp(argv[1], "connloop"))
		return loop(1, atoi(argv[2]), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "sendloop"))
		return loop(0, atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: see gateop.c\n");
	return 2;
}
