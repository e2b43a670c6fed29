// SPDX-License-Identifier: GPL-2.0
/*
 * mvattack: renames and links by the less common doors, for the attack
 * tests (tests/attack). Exit status 0 or the errno of the operation.
 *
 *   mvattack uring-rename OLD NEW       IORING_OP_RENAMEAT
 *   mvattack uring-exchange A B         IORING_OP_RENAMEAT, RENAME_EXCHANGE
 *   mvattack uring-link OLD NEW         IORING_OP_LINKAT
 *   mvattack rename2 OLD NEW FLAG       renameat2: noreplace|whiteout|exchange
 *   mvattack fd-rename DIR OLD NEW      open DIR O_PATH as fd N, then
 *                                       rename /proc/self/fd/N/OLD to
 *                                       /proc/self/fd/N/NEW
 *   mvattack fd-link FILE NEW           open FILE O_PATH as fd N, then
 *                                       linkat /proc/self/fd/N to NEW
 *                                       (AT_SYMLINK_FOLLOW)
 *   mvattack at-rename DIR OLD NEW      renameat(dirfd, OLD, dirfd, NEW)
 *   mvattack hold-read DIR NAME SECS    open DIR, sleep SECS, then
 *                                       openat(dirfd, NAME) and print it
 *   mvattack cwd-read DIR NAME SECS     chdir DIR, sleep SECS, read NAME
 *   mvattack fifo-read PATH             open a FIFO O_RDONLY|O_NONBLOCK
 *   mvattack race SECS A B C D          for SECS seconds, one thread
 *                                       renames A<->B, another C<->D;
 *                                       prints how many of each worked
 *   mvattack children T1 T2 PATH         fork a child that reads PATH after
 *                                       T1 s; after T2 s fork another that
 *                                       reads it at once; print both exit
 *                                       statuses; exit 0 if either read
 *                                       worked, else 13
 *   mvattack sleep-exec T PROG ARGS...  sleep T s, then execv PROG
 *   mvattack late-reads T PATH...       sleep T s, then open each PATH for
 *                                       reading; print "PATH errno" lines
 *   mvattack uring-give persona|sqpoll PROG ARGS...
 *                                       set up a ring (registering a
 *                                       personality, or with SQPOLL), put
 *                                       it on fd 3 and exec PROG with it
 *   mvattack uring-use persona|sqpoll OLD NEW
 *                                       rename OLD to NEW through the ring
 *                                       on fd 3 (with personality 1, or by
 *                                       its SQPOLL thread)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#define RENAME_WHITEOUT (1 << 2)
#endif

static int fail(const char *what, const char *path)
{
	int err = errno;

	fprintf(stderr, "mvattack: %s %s: %s\n", what, path, strerror(err));
	return err ? err : 255;
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
		return fail("io_uring_setup", "");
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
		return fail("mmap", "ring");
	tail = (unsigned int *)(sq + p.sq_off.tail);
	mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	array = (unsigned int *)(sq + p.sq_off.array);
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);

	sqes[0] = *want;
	array[*tail & *mask] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return fail("io_uring_enter", "");
	res = cqes[*cq_head & *(unsigned int *)(cq + p.cq_off.ring_mask)].res;
	if (res < 0) {
		fprintf(stderr, "mvattack: io_uring: %s\n", strerror(-res));
		return -res;
	}
	return 0;
}

static int uring_rename(const char *a, const char *b, unsigned int flags,
			int link)
{
	struct io_uring_sqe sqe = { 0 };

	sqe.opcode = link ? IORING_OP_LINKAT : IORING_OP_RENAMEAT;
	sqe.fd = AT_FDCWD;
	sqe.addr = (unsigned long)a;
	sqe.len = AT_FDCWD;
	sqe.addr2 = (unsigned long)b;
	if (link)
		sqe.hardlink_flags = 0;
	else
		sqe.rename_flags = flags;
	return ring_one(&sqe);
}

static int dump_fd(int fd, const char *name)
{
	char buf[4096];
	ssize_t n;

	if (fd < 0)
		return fail("open", name);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			return fail("write", "stdout");
	if (n < 0)
		return fail("read", name);
	close(fd);
	return 0;
}

struct racer {
	const char *a, *b;
	volatile int *stop;
	long ok;
};

static void *race_loop(void *arg)
{
	struct racer *r = arg;

	while (!*r->stop) {
		if (!rename(r->a, r->b))
			r->ok++;
		if (!rename(r->b, r->a))
			r->ok++;
	}
	return NULL;
}

static int uring_give(const char *mode, char **argv)
{
	struct io_uring_params p = { 0 };
	int fd, id;

	if (!strcmp(mode, "sqpoll")) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 60000;
	}
	fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (fd < 0)
		return fail("io_uring_setup", mode);
	if (!strcmp(mode, "persona")) {
		id = (int)syscall(__NR_io_uring_register, fd,
				  IORING_REGISTER_PERSONALITY, NULL, 0);
		if (id != 1)
			return fail("IORING_REGISTER_PERSONALITY", "");
	}
	if (dup2(fd, 3) != 3)
		return fail("dup2", "3");
	execv(argv[0], argv);
	return fail("execv", argv[0]);
}

/* The ring on fd 3, made by someone else: learn its layout from a twin. */
static int uring_use(const char *mode, const char *a, const char *b)
{
	struct io_uring_params p = { 0 };
	int sqpoll = !strcmp(mode, "sqpoll"), twin, fd = 3, i;
	size_t sq_size, cq_size;
	unsigned int *tail, *mask, *array, *cq_head, *cq_tail, *flags;
	struct io_uring_sqe *sqes, *sqe;
	struct io_uring_cqe *cqes;
	char *sq, *cq;

	if (sqpoll) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 60000;
	}
	twin = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (twin < 0)
		return fail("io_uring_setup (twin)", mode);
	close(twin);
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
		return fail("mmap", "inherited ring");
	tail = (unsigned int *)(sq + p.sq_off.tail);
	mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	array = (unsigned int *)(sq + p.sq_off.array);
	flags = (unsigned int *)(sq + p.sq_off.flags);
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);

	sqe = &sqes[*tail & *mask];
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_RENAMEAT;
	sqe->fd = AT_FDCWD;
	sqe->addr = (unsigned long)a;
	sqe->len = AT_FDCWD;
	sqe->addr2 = (unsigned long)b;
	if (!sqpoll)
		sqe->personality = 1;
	array[*tail & *mask] = *tail & *mask;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (!sqpoll) {
		if (syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS,
			    NULL, 0) < 0)
			return fail("io_uring_enter", "");
	} else {
		if (__atomic_load_n(flags, __ATOMIC_ACQUIRE) & IORING_SQ_NEED_WAKEUP)
			syscall(__NR_io_uring_enter, fd, 0, 0, IORING_ENTER_SQ_WAKEUP,
				NULL, 0);
		for (i = 0; i < 500 && __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) ==
					 *cq_head; i++)
			usleep(10000);
	}
	if (__atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) == *cq_head) {
		fprintf(stderr, "mvattack: no completion\n");
		return 254;
	}
	i = cqes[*cq_head & *(unsigned int *)(cq + p.cq_off.ring_mask)].res;
	if (i < 0) {
		fprintf(stderr, "mvattack: io_uring %s: %s\n", mode, strerror(-i));
		return -i;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	char a[64], b[64];
	int fd;

	if (!strcmp(op, "uring-rename") && argc == 4)
		return uring_rename(argv[2], argv[3], 0, 0);
	if (!strcmp(op, "uring-exchange") && argc == 4)
		return uring_rename(argv[2], argv[3], RENAME_EXCHANGE, 0);
	if (!strcmp(op, "uring-link") && argc == 4)
		return uring_rename(argv[2], argv[3], 0, 1);
	if (!strcmp(op, "rename2") && argc == 5) {
		unsigned int flags = !strcmp(argv[4], "noreplace") ? RENAME_NOREPLACE :
				     !strcmp(argv[4], "whiteout") ? RENAME_WHITEOUT :
				     !strcmp(argv[4], "exchange") ? RENAME_EXCHANGE : 0;

		if (syscall(SYS_renameat2, AT_FDCWD, argv[2], AT_FDCWD, argv[3], flags))
			return fail("renameat2", argv[2]);
		return 0;
	}
	if (!strcmp(op, "fd-rename") && argc == 5) {
		fd = open(argv[2], O_PATH | O_DIRECTORY);
		if (fd < 0)
			return fail("open", argv[2]);
		snprintf(a, sizeof(a), "/proc/self/fd/%d/%s", fd, argv[3]);
		snprintf(b, sizeof(b), "/proc/self/fd/%d/%s", fd, argv[4]);
		if (rename(a, b))
			return fail("rename", a);
		return 0;
	}
	if (!strcmp(op, "fd-link") && argc == 4) {
		fd = open(argv[2], O_PATH);
		if (fd < 0)
			return fail("open", argv[2]);
		snprintf(a, sizeof(a), "/proc/self/fd/%d", fd);
		if (linkat(AT_FDCWD, a, AT_FDCWD, argv[3], AT_SYMLINK_FOLLOW))
			return fail("linkat", a);
		return 0;
	}
	if (!strcmp(op, "at-rename") && argc == 5) {
		fd = open(argv[2], O_PATH | O_DIRECTORY);
		if (fd < 0)
			return fail("open", argv[2]);
		if (renameat(fd, argv[3], fd, argv[4]))
			return fail("renameat", argv[3]);
		return 0;
	}
	if (!strcmp(op, "hold-read") && argc == 5) {
		fd = open(argv[2], O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			fd = open(argv[2], O_PATH | O_DIRECTORY);
		if (fd < 0)
			return fail("open", argv[2]);
		sleep(atoi(argv[4]));
		return dump_fd(openat(fd, argv[3], O_RDONLY), argv[3]);
	}
	if (!strcmp(op, "cwd-read") && argc == 5) {
		if (chdir(argv[2]))
			return fail("chdir", argv[2]);
		sleep(atoi(argv[4]));
		return dump_fd(open(argv[3], O_RDONLY), argv[3]);
	}
	if (!strcmp(op, "fifo-read") && argc == 3) {
		fd = open(argv[2], O_RDONLY | O_NONBLOCK);
		if (fd < 0)
			return fail("open", argv[2]);
		close(fd);
		return 0;
	}
	if (!strcmp(op, "children") && argc == 5) {
		int st1, st2;
		pid_t c1 = fork(), c2;

		if (c1 == 0) {
			sleep(atoi(argv[2]));
			_exit(dump_fd(open(argv[4], O_RDONLY), argv[4]));
		}
		sleep(atoi(argv[3]));
		c2 = fork();
		if (c2 == 0)
			_exit(dump_fd(open(argv[4], O_RDONLY), argv[4]));
		waitpid(c1, &st1, 0);
		waitpid(c2, &st2, 0);
		printf("\nchildren: forked before %d, forked after %d\n",
		       WEXITSTATUS(st1), WEXITSTATUS(st2));
		return !WEXITSTATUS(st1) || !WEXITSTATUS(st2) ? 0 : 13;
	}
	if (!strcmp(op, "late-reads") && argc >= 4) {
		int i;

		sleep(atoi(argv[2]));
		for (i = 3; i < argc; i++) {
			fd = open(argv[i], O_RDONLY);
			printf("%s %d\n", argv[i], fd < 0 ? errno : 0);
			if (fd >= 0)
				close(fd);
		}
		return 0;
	}
	if (!strcmp(op, "sleep-exec") && argc >= 4) {
		sleep(atoi(argv[2]));
		execv(argv[3], argv + 3);
		return fail("execv", argv[3]);
	}
	if (!strcmp(op, "uring-give") && argc >= 4)
		return uring_give(argv[2], argv + 3);
	if (!strcmp(op, "uring-use") && argc == 5)
		return uring_use(argv[2], argv[3], argv[4]);
	if (!strcmp(op, "race") && argc == 7) {
		volatile int stop = 0;
		struct racer r1 = { argv[3], argv[4], &stop, 0 };
		struct racer r2 = { argv[5], argv[6], &stop, 0 };
		pthread_t t1, t2;

		pthread_create(&t1, NULL, race_loop, &r1);
		pthread_create(&t2, NULL, race_loop, &r2);
		sleep(atoi(argv[2]));
		stop = 1;
		pthread_join(t1, NULL);
		pthread_join(t2, NULL);
		printf("%ld %ld\n", r1.ok, r2.ok);
		return 0;
	}
	fprintf(stderr, "usage: see the comment at the top of mvattack.c\n");
	return 255;
}
