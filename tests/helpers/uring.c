// SPDX-License-Identifier: GPL-2.0
/*
 * uring open PATH | uring connect ADDR PORT: one openat or connect
 * submitted through io_uring (raw system calls, no liburing); exit status
 * 0 or the operation's errno.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int ring_one(struct io_uring_sqe *want)
{
	struct io_uring_params p = { 0 };
	int fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	size_t sq_size, cq_size;
	unsigned int *tail, *mask, *array, *cq_head;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	char *sq, *cq;

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
	{
		int res = cqes[*cq_head & *(unsigned int *)(cq + p.cq_off.ring_mask)].res;

		if (res < 0) {
			fprintf(stderr, "uring: %s\n", strerror(-res));
			return -res;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct io_uring_sqe sqe = { 0 };

	if (argc == 3 && !strcmp(argv[1], "open")) {
		sqe.opcode = IORING_OP_OPENAT;
		sqe.fd = AT_FDCWD;
		sqe.addr = (unsigned long)argv[2];
		sqe.open_flags = O_RDONLY;
		return ring_one(&sqe);
	}
	if (argc == 4 && !strcmp(argv[1], "connect")) {
		static struct sockaddr_in in;
		int s = socket(AF_INET, SOCK_STREAM, 0);
		int r;

		in.sin_family = AF_INET;
		in.sin_port = htons((unsigned short)atoi(argv[3]));
		inet_pton(AF_INET, argv[2], &in.sin_addr);
		sqe.opcode = IORING_OP_CONNECT;
		sqe.fd = s;
		sqe.addr = (unsigned long)&in;
		sqe.off = sizeof(in);
		r = ring_one(&sqe);
		return r == 111 ? 0 : r;	/* refused: reached the network */
	}
	fprintf(stderr, "usage: uring open PATH | connect ADDR PORT\n");
	return 254;
}
