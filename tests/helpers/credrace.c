// SPDX-License-Identifier: GPL-2.0
/*
 * credrace SECONDS ALLOWED SECRET: for SECONDS, while credentials change
 * under it, try to open SECRET (and ALLOWED, to show the tries ran):
 *   - threads opening both, in a loop;
 *   - a thread switching its own credentials (raw setresuid, this thread
 *     only: threads of one process with different creds) and opening;
 *   - children forked in a loop, each opening SECRET at once, some after
 *     KEYCTL_JOIN_SESSION_KEYRING + KEYCTL_SESSION_TO_PARENT (the parent's
 *     cred replaced by cred_transfer while its threads open);
 *   - io_uring openat, with and without a personality registered before a
 *     credential change (the io-wq worker and inline submission).
 * Prints the counts; exit 0 when SECRET was never opened and ALLOWED was,
 * 1 when SECRET was opened (an escape), 2 when nothing ran.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ring.h"

#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_SESSION_TO_PARENT 18

static const char *allowed, *secret;
static atomic_int stop;
static atomic_long secret_opened, allowed_opened, tries, uring_tries;

static void try_open(void)
{
	int fd = open(secret, O_RDONLY);

	atomic_fetch_add(&tries, 1);
	if (fd >= 0) {
		atomic_fetch_add(&secret_opened, 1);
		close(fd);
	}
	fd = open(allowed, O_RDONLY);
	if (fd >= 0) {
		atomic_fetch_add(&allowed_opened, 1);
		close(fd);
	}
}

static void *opener(void *arg)
{
	(void)arg;
	while (!stop)
		try_open();
	return NULL;
}

static void *switcher(void *arg)
{
	(void)arg;
	while (!stop) {
		syscall(SYS_setresuid, 1000, 1000, 0);
		try_open();
		syscall(SYS_setresuid, 0, 0, 0);
		syscall(SYS_setresgid, 1000, 1000, 0);
		try_open();
		syscall(SYS_setresgid, 0, 0, 0);
	}
	return NULL;
}

static void *forker(void *arg)
{
	unsigned int n = 0;

	(void)arg;
	while (!stop) {
		pid_t pid = fork();

		if (pid == 0) {
			int fd;

			if (n & 1) {
				syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL);
				syscall(SYS_keyctl, KEYCTL_SESSION_TO_PARENT);
			}
			fd = open(secret, O_RDONLY);
			_exit(fd >= 0 ? 3 : 0);
		}
		if (pid > 0) {
			int st;

			waitpid(pid, &st, 0);
			atomic_fetch_add(&tries, 1);
			if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
				atomic_fetch_add(&secret_opened, 1);
		}
		n++;
	}
	return NULL;
}

/* One openat of @path; personality @pers (0: none), @async: IOSQE_ASYNC. */
static int ring_open(struct ring *r, const char *path, int pers, int async)
{
	unsigned int tail = *r->sq_tail, idx = tail & *r->sq_mask, head;
	struct io_uring_sqe *sqe = &r->sqes[idx];
	int res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_OPENAT;
	sqe->fd = AT_FDCWD;
	sqe->addr = (unsigned long)path;
	sqe->open_flags = O_RDONLY;
	sqe->personality = pers;
	sqe->flags = async ? IOSQE_ASYNC : 0;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -errno;
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	if (res >= 0)
		close(res);
	return res;
}

static void *uring(void *arg)
{
	struct ring r;
	int pers, i = 0;

	(void)arg;
	if (ring_init(&r))
		return NULL;
	/* A personality of the thread's cred now, then another cred. */
	pers = (int)syscall(__NR_io_uring_register, r.fd,
			    IORING_REGISTER_PERSONALITY, NULL, 0);
	syscall(SYS_setresuid, 1000, 1000, 0);
	while (!stop) {
		int p = (pers > 0 && (i & 1)) ? pers : 0;
		int async = i & 2;

		if (i & 4)
			syscall(SYS_setresuid, 0, 0, 0);
		else
			syscall(SYS_setresuid, 1000, 1000, 0);
		atomic_fetch_add(&uring_tries, 1);
		atomic_fetch_add(&tries, 1);
		if (ring_open(&r, secret, p, async) >= 0)
			atomic_fetch_add(&secret_opened, 1);
		if (ring_open(&r, allowed, p, async) >= 0)
			atomic_fetch_add(&allowed_opened, 1);
		i++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[8];
	int secs, i, n = 0;

	if (argc != 4)
		return fprintf(stderr, "usage: credrace SECONDS ALLOWED SECRET\n"), 2;
	secs = atoi(argv[1]);
	allowed = argv[2];
	secret = argv[3];
	signal(SIGCHLD, SIG_DFL);
	for (i = 0; i < 2; i++)
		pthread_create(&t[n++], NULL, opener, NULL);
	pthread_create(&t[n++], NULL, switcher, NULL);
	pthread_create(&t[n++], NULL, forker, NULL);
	pthread_create(&t[n++], NULL, uring, NULL);
	sleep(secs);
	stop = 1;
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	/* The main thread's cred may have been replaced (session keyring). */
	try_open();
	printf("tries %ld (io_uring %ld), secret opened %ld, allowed opened %ld\n",
	       atomic_load(&tries), atomic_load(&uring_tries),
	       atomic_load(&secret_opened), atomic_load(&allowed_opened));
	if (atomic_load(&secret_opened))
		return 1;
	return atomic_load(&allowed_opened) ? 0 : 2;
}
