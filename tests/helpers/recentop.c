// SPDX-License-Identifier: GPL-2.0
/*
 * recentop: red-team probes of what mainline added between 6.1 and 6.12, and of
 * io_uring opcodes (raw system calls, no liburing). Exit status 0 or the
 * errno of the operation (255: the probe itself failed).
 *
 *   recentop uring-madvise hwpoison|soft [FILE]  IORING_OP_MADVISE on a page of
 *                                                its own (or of FILE mapped shared
 *                                                read-only)
 *   recentop sys-madvise hwpoison|soft [FILE]    the same through madvise()
 *   recentop uring-bind PORT                     IORING_OP_BIND (6.11) a TCP socket
 *                                                to 127.0.0.1:PORT
 *   recentop uring-listen PORT                   bind() then IORING_OP_LISTEN
 *   recentop uring-ftruncate FILE LEN            open O_WRONLY, IORING_OP_FTRUNCATE
 *   recentop fchmodat2-empty FILE MODE           fchmodat2(O_PATH fd, "", AT_EMPTY_PATH)
 *   recentop cachestat FILE                      cachestat() on FILE opened O_RDONLY
 *   recentop pidfd-ns PID                        pidfd_open + PIDFD_GET_MNT_NAMESPACE
 *   recentop pidfd-thread-kill TID               pidfd_open(TID, PIDFD_THREAD) (6.9) +
 *                                                pidfd_send_signal(SIGKILL)
 *   recentop pidfd-getfd PID FD                  pidfd_getfd(PID's FD)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif
#define OP_MADVISE 25
#define OP_FTRUNCATE 55
#define OP_BIND 56
#define OP_LISTEN 57
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

static int err(const char *what)
{
	int e = errno;

	fprintf(stderr, "recentop: %s: %s\n", what, strerror(e));
	return e ? e : 255;
}

static int ring_one(struct io_uring_sqe *want)
{
	struct io_uring_params p = { 0 };
	int fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	size_t sq_size, cq_size;
	unsigned int *tail, *mask, *array, *cq_head;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	char *sq, *cq;
	int res;

	if (fd < 0)
		return perror("io_uring_setup"), 255;
	sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		sq_size = cq_size = sq_size > cq_size ? sq_size : cq_size;
	sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  fd, IORING_OFF_SQ_RING);
	cq = (p.features & IORING_FEAT_SINGLE_MMAP) ? sq :
	     mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  fd, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return perror("mmap"), 255;
	tail = (unsigned int *)(sq + p.sq_off.tail);
	mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	array = (unsigned int *)(sq + p.sq_off.array);
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);

	sqes[0] = *want;
	array[*tail & *mask] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return perror("io_uring_enter"), 255;
	res = cqes[*cq_head & *(unsigned int *)(cq + p.cq_off.ring_mask)].res;
	if (res < 0) {
		fprintf(stderr, "recentop: uring op %d: %s\n", want->opcode, strerror(-res));
		return -res;
	}
	printf("res %d\n", res);
	return 0;
}

static void poisoned(int sig __attribute__((unused)))
{
	_exit(0);
}

static int mem_op(int uring, const char *what, const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile char *p;
	int advice = !strcmp(what, "soft") ? MADV_SOFT_OFFLINE : MADV_HWPOISON;
	int r;

	if (path) {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			return err("open");
		p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	} else {
		p = mmap(NULL, page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	if (p == MAP_FAILED)
		return err("mmap");
	if (path)
		(void)p[0];
	else
		p[0] = 1;
	signal(SIGBUS, poisoned);
	if (uring) {
		struct io_uring_sqe sqe = { 0 };

		sqe.opcode = OP_MADVISE;
		sqe.addr = (unsigned long)p;
		sqe.len = page;
		sqe.fadvise_advice = advice;
		r = ring_one(&sqe);
	} else {
		r = madvise((void *)p, page, advice) ? err("madvise") : 0;
	}
	/* Poisoned or not: leave the page alone. */
	_exit(r);
}

static int sock_at(int port, struct sockaddr_in *in)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(in, 0, sizeof(*in));
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return s;
}

int main(int argc, char **argv)
{
	struct io_uring_sqe sqe = { 0 };
	const char *op = argc > 1 ? argv[1] : "";

	if ((argc == 3 || argc == 4) && strstr(op, "-madvise"))
		return mem_op(!strcmp(op, "uring-madvise"), argv[2],
			      argc == 4 ? argv[3] : NULL);
	if (argc == 3 && !strcmp(op, "uring-bind")) {
		static struct sockaddr_in in;
		int s = sock_at(atoi(argv[2]), &in);

		if (s < 0)
			return err("socket");
		sqe.opcode = OP_BIND;
		sqe.fd = s;
		sqe.addr = (unsigned long)&in;
		sqe.addr2 = sizeof(in);
		return ring_one(&sqe);
	}
	if (argc == 3 && !strcmp(op, "uring-listen")) {
		static struct sockaddr_in in;
		int s = sock_at(atoi(argv[2]), &in);

		if (s < 0)
			return err("socket");
		if (bind(s, (struct sockaddr *)&in, sizeof(in)))
			return err("bind");
		sqe.opcode = OP_LISTEN;
		sqe.fd = s;
		sqe.len = 8;
		return ring_one(&sqe);
	}
	if (argc == 4 && !strcmp(op, "uring-ftruncate")) {
		int fd = open(argv[2], O_WRONLY);

		if (fd < 0)
			return err("open");
		sqe.opcode = OP_FTRUNCATE;
		sqe.fd = fd;
		sqe.off = strtoull(argv[3], NULL, 0);
		return ring_one(&sqe);
	}
	if (argc == 4 && !strcmp(op, "fchmodat2-empty")) {
		int fd = open(argv[2], O_PATH);

		if (fd < 0)
			return err("open O_PATH");
		if (syscall(__NR_fchmodat2, fd, "", strtoul(argv[3], NULL, 8),
			    AT_EMPTY_PATH))
			return err("fchmodat2");
		return 0;
	}
	if (argc == 3 && !strcmp(op, "cachestat")) {
		struct { unsigned long long off, len; } range = { 0, 0 };
		unsigned long long cs[5] = { 0 };
		int fd = open(argv[2], O_RDONLY);

		if (fd < 0)
			return err("open");
		if (syscall(__NR_cachestat, fd, &range, cs, 0))
			return err("cachestat");
		printf("cache %llu dirty %llu\n", cs[0], cs[1]);
		return 0;
	}
	if (argc == 3 && !strcmp(op, "pidfd-ns")) {
		int pfd = (int)syscall(__NR_pidfd_open, atoi(argv[2]), 0);
		int ns;

		if (pfd < 0)
			return err("pidfd_open");
		/* PIDFD_GET_MNT_NAMESPACE: _IO(0xFF, 7) */
		ns = ioctl(pfd, _IO(0xFF, 7), 0);
		if (ns < 0)
			return err("PIDFD_GET_MNT_NAMESPACE");
		printf("ns fd %d\n", ns);
		return 0;
	}
	if (argc == 3 && !strcmp(op, "pidfd-thread-kill")) {
		/* PIDFD_THREAD is O_EXCL */
		int pfd = (int)syscall(__NR_pidfd_open, atoi(argv[2]), O_EXCL);

		if (pfd < 0)
			return err("pidfd_open PIDFD_THREAD");
		if (syscall(424 /* pidfd_send_signal */, pfd, SIGKILL, NULL, 0))
			return err("pidfd_send_signal");
		return 0;
	}
	if (argc == 4 && !strcmp(op, "pidfd-getfd")) {
		int pfd = (int)syscall(__NR_pidfd_open, atoi(argv[2]), 0);
		int fd;

		if (pfd < 0)
			return err("pidfd_open");
		fd = (int)syscall(438 /* pidfd_getfd */, pfd, atoi(argv[3]), 0);
		if (fd < 0)
			return err("pidfd_getfd");
		printf("fd %d\n", fd);
		return 0;
	}
	fprintf(stderr, "usage: see the source\n");
	return 255;
}
