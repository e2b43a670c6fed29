// SPDX-License-Identifier: GPL-2.0
/*
 * staleop: ways to change a file's content behind a digest taken of it,
 * then execute it. Each ends by executing FILE with ARGS (ARGS[0] is the
 * program's argv[0]): the exit status is the program's, or the errno of
 * what failed; 250-255 say the sequence itself went wrong.
 *
 *   staleop restore-exec FILE REF OFF ARGS...
 *	FILE is a same-size copy of REF with byte OFF different. Map FILE
 *	shared and writable and close it (the mapping keeps it open for
 *	writing), map it PROT_EXEC (Charter hashes it there), write REF's
 *	byte OFF back through the writable mapping (on tmpfs: no time
 *	changes), unmap, and execute FILE, now REF's bytes.
 *   staleop held-change FILE OFF ARGS...
 *	Hold FILE open for writing and mapped shared-writable while a child
 *	maps it PROT_EXEC (its errno is printed: "child-map N"); then invert
 *	byte OFF through the mapping, unmap, close, execute FILE.
 *   staleop held-pwrite FILE REF OFF ARGS...
 *	FILE, on ramfs (no i_version) with the pinned mtime and ctime that
 *	"staleop copy" gives, is REF with byte OFF inverted. Hold it open
 *	for writing (no mapping) while a child maps it PROT_EXEC; with the
 *	clock held, write REF's byte back through that descriptor; close,
 *	execute FILE.
 *   staleop race-exec FILE REF OFF ARGS...
 *	A child maps FILE PROT_EXEC (FILE is big: a long hash). Once the
 *	hash has read past OFF (the child's rchar in /proc/PID/io), open
 *	FILE for writing, map it, close it, write REF's byte OFF back,
 *	unmap. The child must still be inside mmap then (else 254: the
 *	window was missed) and its mapping must succeed (the hash read the
 *	old byte; else 253). Then execute FILE.
 *   staleop truncate-exec FILE REF ARGS...
 *	FILE on a filesystem without i_version (ramfs: tmpfs has one).
 *	REF ends with a zero byte. With the clock held still: write FILE,
 *	REF with its last byte inverted; map it PROT_EXEC; truncate it by
 *	path one byte shorter and back (no open); execute FILE, REF's bytes
 *	with the same size, mtime and ctime as when it was hashed.
 *   staleop memfd REF OFF ARGS...
 *	A memfd (open for writing, which the kernel does not count) holding
 *	REF with byte OFF inverted: execute it; map it PROT_EXEC; write the
 *	byte back through a shared mapping made then; execute it; seal it
 *	against writing, shrinking and growing; execute it. Prints
 *	"unsealed-changed A unsealed B sealed C", each an exit status.
 *   staleop copy SRC DST [OFF]
 *	With the clock held still: write DST, SRC's bytes with byte OFF
 *	inverted (if given).
 *   staleop poke FILE OFF REF
 *	With the clock held still: write REF's byte OFF into FILE, in place
 *	(252 if a clock tick came between: try again).
 *
 * "The clock held still": CLOCK_REALTIME is set to one instant before each
 * step, so every timestamp the steps leave is that instant (a check is
 * made, and the sequence retried if a tick came between), and put back
 * right after. Without it, a change within one clock tick (4 ms) already
 * leaves mtime and ctime as they were.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clockpin.h"

#define ERR_SEQUENCE 255
#define ERR_MISSED 254
#define ERR_REFUSED 253
#define ERR_CLOCK 252
/* Charter hashes in chunks of this size: a write-back past one is safe. */
#define HASH_CHUNK (64 * 1024)

extern char **environ;

static int fail(const char *what, const char *path)
{
	int err = errno;

	fprintf(stderr, "staleop: %s %s: %s\n", what, path, strerror(err));
	return err ? err : ERR_SEQUENCE;
}

static int wrong(const char *what)
{
	fprintf(stderr, "staleop: %s\n", what);
	return ERR_SEQUENCE;
}

/* ---- the clock ------------------------------------------------------- */

/* Did FILE's mtime or ctime leave the pinned instant? */
static int clock_moved(int fd)
{
	struct stat st;

	return fstat(fd, &st) || pinned_times_moved(&st);
}

/* ---- files ----------------------------------------------------------- */

/* The whole of PATH, malloc'ed; its size in *size. */
static unsigned char *slurp(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY);
	unsigned char *buf = NULL;
	struct stat st;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st))
		goto out;
	buf = malloc(st.st_size ? st.st_size : 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0) {
			free(buf);
			buf = NULL;
			break;
		}
		got += n;
	}
	*size = got;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

static int write_all(int fd, const unsigned char *buf, size_t size)
{
	while (size) {
		ssize_t n = write(fd, buf, size);

		if (n <= 0)
			return -1;
		buf += n;
		size -= n;
	}
	return 0;
}

/* Is PATH's content REF's? */
static int same_as(const char *path, const unsigned char *ref, size_t size)
{
	size_t got;
	unsigned char *now = slurp(path, &got);
	int same = now && got == size && !memcmp(now, ref, size);

	free(now);
	return same;
}

static int exec_file(const char *path, char **args)
{
	unpin_clock();
	execv(path, args);
	return fail("exec", path);
}

/* Map FILE PROT_EXEC, as ld.so would; 0 or the errno. */
static int map_exec(const char *path)
{
	int fd = open(path, O_RDONLY);
	void *p;

	if (fd < 0)
		return errno;
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return errno;
	munmap(p, 4096);
	return 0;
}

/* FILE mapped shared and writable, its descriptor closed; NULL on error. */
static unsigned char *map_writable(const char *path, size_t size)
{
	int fd = open(path, O_RDWR);
	void *p;

	if (fd < 0)
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

/*
 * Write BYTE at W[OFF], W a shared mapping of a tmpfs file. Read it
 * first: a write fault on a page not mapped yet updates the file's mtime
 * and ctime (the mapping has no page_mkwrite), while a page mapped by a
 * read fault is mapped writable (tmpfs needs no write notification) and
 * the write then makes no fault at all, and changes no time.
 */
static void restore_byte(unsigned char *w, long off, unsigned char byte)
{
	volatile unsigned char *p = w + off;

	if (*p != byte)
		*p = byte;
}

/* ---- the sequences --------------------------------------------------- */

static int restore_exec(const char *file, const char *refpath, long off,
			char **args)
{
	size_t size;
	unsigned char *ref = slurp(refpath, &size), *w;
	int err;

	if (!ref || off < 0 || (size_t)off >= size)
		return wrong("restore-exec: bad REF or OFF");
	w = map_writable(file, size);
	if (!w)
		return fail("map writable", file);
	if (w[off] == ref[off])
		return wrong("restore-exec: FILE does not differ at OFF");
	err = map_exec(file);
	if (err) {
		errno = err;
		return fail("map PROT_EXEC", file);
	}
	restore_byte(w, off, ref[off]);
	munmap(w, size);
	if (!same_as(file, ref, size))
		return wrong("restore-exec: FILE is not REF after the write-back");
	return exec_file(file, args);
}

static int held_change(const char *file, long off, char **args)
{
	int fd = open(file, O_RDWR), status;
	struct stat st;
	unsigned char *w;
	pid_t pid;

	if (fd < 0 || fstat(fd, &st))
		return fail("open", file);
	if (off < 0 || off >= st.st_size)
		return wrong("held-change: bad OFF");
	w = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED)
		return fail("map writable", file);
	pid = fork();
	if (pid < 0)
		return fail("fork", file);
	if (!pid)
		_exit(map_exec(file));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return wrong("held-change: the child died");
	printf("child-map %d\n", WEXITSTATUS(status));
	fflush(stdout);
	w[off] ^= 0xff;
	munmap(w, st.st_size);
	close(fd);
	return exec_file(file, args);
}

static int held_pwrite(const char *file, const char *refpath, long off,
		       char **args)
{
	size_t size;
	unsigned char *ref = slurp(refpath, &size);
	int fd = open(file, O_RDWR), status, moved;
	pid_t pid;

	if (!ref || off < 0 || (size_t)off >= size || fd < 0)
		return wrong("held-pwrite: bad FILE, REF or OFF");
	pid = fork();
	if (pid < 0)
		return fail("fork", file);
	if (!pid)
		_exit(map_exec(file));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return wrong("held-pwrite: the child died");
	if (WEXITSTATUS(status)) {
		errno = WEXITSTATUS(status);
		return fail("map PROT_EXEC", file);
	}
	pin_clock();
	if (pwrite(fd, ref + off, 1, off) != 1)
		return fail("write", file);
	moved = clock_moved(fd);
	unpin_clock();
	close(fd);
	if (moved)
		return ERR_CLOCK;
	if (!same_as(file, ref, size))
		return wrong("held-pwrite: FILE is not REF after the write-back");
	return exec_file(file, args);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 +
	       (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Has the child written its "mmap returned" byte on FD yet? */
static int child_done(int fd)
{
	char c;
	int flags = fcntl(fd, F_GETFL);
	ssize_t n;

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	n = read(fd, &c, 1);
	fcntl(fd, F_SETFL, flags);
	return n == 1;
}

/* Bytes task PID has read so far, the kernel's reads for it included. */
static long long task_rchar(pid_t pid)
{
	char path[64], line[128];
	long long rchar = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "rchar: %lld", &rchar) == 1)
			break;
	fclose(f);
	return rchar;
}

/* Wait until the child's hash has read past OFF; 0, or 1 if it ended. */
static int wait_hash_past(pid_t pid, int done_fd, long off)
{
	struct timespec ms = { 0, 1000000 };

	while (task_rchar(pid) <= off + HASH_CHUNK) {
		if (child_done(done_fd))
			return 1;
		nanosleep(&ms, NULL);
	}
	return 0;
}

static int race_exec(const char *file, const char *refpath, long off,
		     char **args)
{
	size_t size;
	unsigned char *ref = slurp(refpath, &size), *w;
	int done[2], status;
	struct timespec t0;
	long restored_ms;
	pid_t pid;

	if (!ref || off < 0 || (size_t)off >= size || pipe(done))
		return wrong("race-exec: bad REF or OFF");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		return fail("fork", file);
	if (!pid) {
		int err = map_exec(file);

		if (write(done[1], "x", 1) != 1)
			_exit(ERR_SEQUENCE);
		_exit(err);
	}
	close(done[1]);
	if (wait_hash_past(pid, done[0], off)) {
		fprintf(stderr, "staleop: the hash read nothing, or was over too soon (%ld ms)\n",
			ms_since(&t0));
		return ERR_MISSED;
	}
	w = map_writable(file, size);
	if (!w)
		return fail("map writable", file);
	restore_byte(w, off, ref[off]);
	munmap(w, size);
	restored_ms = ms_since(&t0);
	if (child_done(done[0])) {
		fprintf(stderr, "staleop: the hash was over before the write (%ld ms)\n",
			restored_ms);
		return ERR_MISSED;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return wrong("race-exec: the child died");
	fprintf(stderr, "staleop: written back at %ld ms, mmap returned at %ld ms\n",
		restored_ms, ms_since(&t0));
	if (WEXITSTATUS(status)) {
		fprintf(stderr, "staleop: the PROT_EXEC mapping failed: %s\n",
			strerror(WEXITSTATUS(status)));
		return ERR_REFUSED;
	}
	if (!same_as(file, ref, size))
		return wrong("race-exec: FILE is not REF after the write-back");
	return exec_file(file, args);
}

/* Write FILE from BUF with the clock held; the descriptor, or -1. */
static int write_pinned(const char *file, const unsigned char *buf, size_t size)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	pin_clock();
	if (fd < 0 || write_all(fd, buf, size)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* One try of truncate-exec's changes; 1 if a clock tick spoilt it. */
static int truncate_once(const char *file, unsigned char *buf, size_t size)
{
	int fd, err;

	buf[size - 1] ^= 0xff;
	fd = write_pinned(file, buf, size);
	buf[size - 1] ^= 0xff;
	if (fd < 0)
		return -fail("write", file);
	err = clock_moved(fd);
	close(fd);
	if (err)
		return 1;
	pin_clock();
	err = map_exec(file);
	if (err) {
		errno = err;
		return -fail("map PROT_EXEC", file);
	}
	pin_clock();
	if (truncate(file, size - 1))
		return -fail("truncate", file);
	pin_clock();
	if (truncate(file, size))
		return -fail("truncate", file);
	fd = open(file, O_RDONLY);
	err = clock_moved(fd);
	close(fd);
	return err;
}

static int truncate_exec(const char *file, const char *refpath, char **args)
{
	size_t size;
	unsigned char *ref = slurp(refpath, &size);
	int tries, ret = 1;

	if (!ref || !size || ref[size - 1])
		return wrong("truncate-exec: REF must end with a zero byte");
	for (tries = 0; tries < 5 && ret == 1; tries++)
		ret = truncate_once(file, ref, size);
	unpin_clock();
	if (ret)
		return ret < 0 ? -ret : ERR_CLOCK;
	if (!same_as(file, ref, size))
		return wrong("truncate-exec: FILE is not REF");
	return exec_file(file, args);
}

/* Execute the memfd FD; the exit status (the program's, or an errno). */
static int run_fd(int fd, char **args)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return ERR_SEQUENCE;
	if (!pid) {
		dup2(2, 1);	/* keep stdout for the summary */
		fexecve(fd, args, environ);
		_exit(errno);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return ERR_SEQUENCE;
	return WEXITSTATUS(status);
}

/*
 * memfd: REF with byte OFF inverted; execute it; map it PROT_EXEC (a hash);
 * write the byte back through a shared mapping made after it (the memfd
 * was open for writing all along); execute it; seal it; execute it.
 */
static int memfd_seq(const char *refpath, long off, char **args)
{
	size_t size;
	unsigned char *ref = slurp(refpath, &size), *w;
	int fd = memfd_create("staleop", MFD_ALLOW_SEALING), status[3];
	char path[64];
	void *p;

	if (!ref || off < 0 || (size_t)off >= size || fd < 0)
		return wrong("memfd: bad REF or OFF, or no memfd");
	ref[off] ^= 0xff;
	if (write_all(fd, ref, size))
		return fail("write", "memfd");
	ref[off] ^= 0xff;
	status[0] = run_fd(fd, args);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return fail("map PROT_EXEC", "memfd");
	munmap(p, 4096);
	w = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED)
		return fail("map writable", "memfd");
	restore_byte(w, off, ref[off]);
	munmap(w, size);
	status[1] = run_fd(fd, args);
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW))
		return fail("seal", "memfd");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!same_as(path, ref, size))
		return wrong("memfd: not REF after the write-back");
	status[2] = run_fd(fd, args);
	printf("unsealed-changed %d unsealed %d sealed %d\n",
	       status[0], status[1], status[2]);
	return 0;
}

static int copy(const char *src, const char *dst, long off)
{
	size_t size;
	unsigned char *buf = slurp(src, &size);
	int fd, tries, moved = 1;

	if (!buf || off >= (long)size)
		return wrong("copy: bad SRC or OFF");
	if (off >= 0)
		buf[off] ^= 0xff;
	for (tries = 0; tries < 5 && moved; tries++) {
		fd = write_pinned(dst, buf, size);
		if (fd < 0) {
			unpin_clock();
			return fail("write", dst);
		}
		moved = clock_moved(fd);
		close(fd);
	}
	unpin_clock();
	return moved ? ERR_CLOCK : 0;
}

/* A clock tick between pinning and writing: 252, the caller tries again. */
static int poke(const char *file, long off, const char *refpath)
{
	size_t size;
	unsigned char *ref = slurp(refpath, &size);
	int fd = open(file, O_WRONLY);
	int ret = 0;

	if (!ref || off < 0 || (size_t)off >= size || fd < 0)
		return wrong("poke: bad FILE, OFF or REF");
	pin_clock();
	if (pwrite(fd, ref + off, 1, off) != 1)
		ret = fail("write", file);
	else if (clock_moved(fd))
		ret = ERR_CLOCK;
	close(fd);
	unpin_clock();
	return ret;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";

	if (argc >= 6 && !strcmp(op, "restore-exec"))
		return restore_exec(argv[2], argv[3], atol(argv[4]), argv + 5);
	if (argc >= 5 && !strcmp(op, "held-change"))
		return held_change(argv[2], atol(argv[3]), argv + 4);
	if (argc >= 6 && !strcmp(op, "held-pwrite"))
		return held_pwrite(argv[2], argv[3], atol(argv[4]), argv + 5);
	if (argc >= 6 && !strcmp(op, "race-exec"))
		return race_exec(argv[2], argv[3], atol(argv[4]), argv + 5);
	if (argc >= 5 && !strcmp(op, "truncate-exec"))
		return truncate_exec(argv[2], argv[3], argv + 4);
	if (argc >= 5 && !strcmp(op, "memfd"))
		return memfd_seq(argv[2], atol(argv[3]), argv + 4);
	if ((argc == 4 || argc == 5) && !strcmp(op, "copy"))
		return copy(argv[2], argv[3], argc == 5 ? atol(argv[4]) : -1);
	if (argc == 5 && !strcmp(op, "poke"))
		return poke(argv[2], atol(argv[3]), argv[4]);
	fprintf(stderr, "usage: see the comment at the top of staleop.c\n");
	return ERR_SEQUENCE;
}
