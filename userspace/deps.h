/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a compile depended on in the file system: every path it looked up,
 * component by component, with what lstat() said of it (or the error, for
 * a name that was absent). The policy cache (cache.h) keeps this list with
 * a compiled policy and reuses the policy only while every path still
 * looks the same. The compile path calls these wrappers instead of
 * open(), stat(), lstat(), realpath() and scandir(): each does the system
 * call and records the path; with a NULL recorder it only does the call.
 */
#ifndef CHARTER_DEPS_H
#define CHARTER_DEPS_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* Follow a symlink at the end of the path (as stat() and open() do). */
#define DEPS_FOLLOW 1
/* The end's content (a file's bytes, a directory's entries) was used. */
#define DEPS_CONTENT 2

/* The digest of a content (BLAKE2b): it never leaves the cache. */
#define DEPS_SUM_LEN 32

/* One path looked at: lstat()'s error, or what it said. */
struct dep {
	char *path;		/* absolute, as walked */
	int full;		/* content used: size and times compared too */
	int err;		/* lstat()'s errno, 0 when it exists */
	uint64_t dev, ino, size, mode, uid, gid;
	int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
	char *target;		/* a symlink's, once read */
	/*
	 * has_sum: sum holds the digest of the content used (a regular
	 * file's bytes, a directory's sorted entry names): of a file read
	 * through deps_open_read(), the bytes the compile read; else taken
	 * when the path was first recorded with DEPS_CONTENT, before the
	 * compile used it. The times alone miss a write through a shared
	 * mapping, times put back on FAT, and a file system changed while
	 * unmounted.
	 */
	int has_sum;
	uint8_t sum[DEPS_SUM_LEN];
};

struct deps;

/*
 * A new recorder for one compile: the current time (the compile's start,
 * for the racy-file rule) and working directory (for relative paths) are
 * taken now. NULL when out of memory.
 */
struct deps *deps_new(void);
void deps_free(struct deps *d);

/* Record every component of @path (see DEPS_*). NULL @d: nothing. */
void deps_path(struct deps *d, const char *path, int flags);

/*
 * The compile used something that cannot be checked by lstat() (the
 * mount table, for UNC paths) or lost a record (out of memory): its
 * result must not be cached. @why is kept (a static string).
 */
void deps_uncacheable(struct deps *d, const char *why);

/* Why the compile must not be cached, or NULL. */
const char *deps_why_uncacheable(const struct deps *d);

/* The recorded paths, in the order first seen. */
const struct dep *deps_list(const struct deps *d, size_t *count);
/* The record of @path (as walked), or NULL: none was made. */
const struct dep *deps_find(const struct deps *d, const char *path);
/* When the recorder was made (CLOCK_REALTIME). */
struct timespec deps_start(const struct deps *d);

/*
 * open(), @path recorded with DEPS_CONTENT (and FOLLOW unless O_NOFOLLOW):
 * the directories on the way before the call; the file itself, when no
 * symlink ends the path, by the descriptor's fstat() (it is opened with
 * O_NOFOLLOW, the same file), and its digest taken from the descriptor
 * with pread() before the caller reads it (its offset left at 0). The
 * descriptor, or -1 with errno as open() sets it. For a file whose bytes
 * the compile reads, use deps_open_read(): two reads can differ.
 */
int deps_open(struct deps *d, const char *path, int flags);
/*
 * A file the compile reads through its descriptor, its digest taken of
 * the very bytes the compile used: deps_open() hashes with pread() before
 * the compile reads, and a file written through a shared mapping (no time
 * changes) can give the two reads two contents; the digest would name one
 * and the policy the other. The reader feeds every byte it reads to
 * deps_read_bytes() and ends with deps_read_done(): the digest is kept
 * then, the descriptor fstat()'ed again and compared with the record. A
 * read begun and never done leaves the compile uncacheable. The fields
 * are deps.c's.
 */
struct deps_read {
	struct deps *d;
	size_t rec;		/* the record the bytes are of, + 1; or 0: none */
	int fd;
	uint64_t total;		/* bytes fed */
	crypto_generichash_state h;
};

/*
 * deps_open() without its pread(): @path recorded the same way (before
 * the call), the digest left to @r. With a NULL @d, only open(). The
 * descriptor, or -1 with errno as open() sets it; @r is set either way
 * (deps_read_done() may be called on it).
 */
int deps_open_read(struct deps *d, const char *path, int flags, struct deps_read *r);
/* @n bytes the compile read from @r's descriptor, in order. */
void deps_read_bytes(struct deps_read *r, const void *buf, size_t n);
/*
 * read() of @fd into @buf (at most @n bytes), retried on EINTR, the bytes
 * fed to @r (deps_read_bytes()): how many, 0 at the end, or -1 with errno.
 */
ssize_t deps_read(struct deps_read *r, int fd, void *buf, size_t n);
/*
 * The read is over, the descriptor still open. @whole: the compile read
 * to the end of the file (else it is uncacheable: a prefix's digest names
 * no content). The descriptor's fstat() must still say what the record
 * does (same inode, size and times), and the bytes fed be that size; a
 * path already hashed (read twice) must have given the same digest. Any
 * of these failing makes the compile uncacheable.
 */
void deps_read_done(struct deps_read *r, int whole);

/*
 * stat() and lstat(), @path recorded without DEPS_CONTENT: a file's times
 * are compared all the same, a directory's only when it is listed. When
 * the record of @path's end is new, its lstat() is the answer (the same
 * call, made once). 0, or -1 with errno.
 */
int deps_stat(struct deps *d, const char *path, struct stat *st);
int deps_lstat(struct deps *d, const char *path, struct stat *st);
/* realpath(path, NULL); every component recorded (not the end's content). */
char *deps_realpath(struct deps *d, const char *path);

/*
 * The first recorded path that no longer looks as recorded (deps_unchanged(),
 * its content not hashed again), or NULL: checked when the compile is
 * over, before its result is kept.
 */
const struct dep *deps_first_changed(const struct deps *d);

/* Fill a struct dep's lstat() fields from @st (or @err). */
void deps_fill(struct dep *e, int err, const struct stat *st);

/*
 * Does @path look as @e recorded it? Directories passed through are
 * compared by identity, type, mode and owner; anything else, and what
 * was read or listed, by its times and size as well; and what has a
 * digest (has_sum) by its content, read and hashed again. 1 when it does.
 */
int deps_unchanged(const struct dep *e);

/*
 * Checking records one after another (a cached load checks every record
 * of its entry): the descriptors of the contents hashed are closed in
 * batches, one close_range() for each run of consecutive numbers, not one
 * close() each (a TCG guest pays thousands of instructions for a system
 * call). Start with { .count = 0 }; the fields are deps.c's.
 */
#define DEPS_CHECK_BATCH 64
struct deps_check {
	int fds[DEPS_CHECK_BATCH];
	size_t count;
};

/* deps_unchanged(@e), its descriptors closed with @c's later. 1 when it holds. */
int deps_check(struct deps_check *c, const struct dep *e);
/* Close what @c still holds (only descriptors it opened); @c can be used again. */
void deps_check_done(struct deps_check *c);

/*
 * The digest of @e's content as it is now: @e's path opened without
 * following a symlink and found to be @e's inode (dev, ino), then a
 * regular file's bytes or a directory's entry names (sorted, "." and
 * ".." left out). 0, or -1 when it cannot be opened, read, or is another
 * inode or type.
 */
int deps_content_sum(const struct dep *e, uint8_t sum[DEPS_SUM_LEN]);

/*
 * Racy: a path whose content was used and whose mtime or ctime is not
 * older than @start by DEPS_RACY_NS: a change made in the same timestamp
 * tick could leave its times as they are (git's racy-clean rule).
 */
#define DEPS_RACY_NS 2000000000LL
int deps_racy(const struct dep *e, struct timespec start);

#endif
