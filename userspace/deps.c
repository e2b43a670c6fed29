// SPDX-License-Identifier: GPL-2.0
/*
 * The file-system dependencies of a compile: see deps.h. A path is walked
 * as the kernel resolves it, component by component, symlinks followed,
 * so that a symlink swapped anywhere along it, or a name appearing where
 * there was none, changes a recorded component.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deps.h"
#include "htab.h"
#include "pattern.h"

/* A content is hashed this many bytes at a time. */
#define DEPS_CHUNK 32768

/* As the kernel's MAXSYMLINKS: a loop stops the walk (it is recorded). */
#define DEPS_MAX_LINKS 40

/*
 * Internal to deps.c: the end's content is hashed by the wrapper, from the
 * descriptor the compile reads (deps_open()), not opened a second time.
 */
#define DEPS_SUM_LATER 4
/* Internal: the walk stops before the path's last name (d->end.stop). */
#define DEPS_STOP_AT_END 8

/* What the last walk ended on, for the wrapper that made it. */
struct walk_end {
	int valid;		/* the path's last component was looked up last */
	int fresh;		/* first seen by this walk: @err and @st are its lstat() */
	int err;
	struct stat st;
	size_t pending;		/* the record whose digest is to take, + 1; or 0 */
	size_t rec;		/* the record looked up last, + 1; or 0 */
	char *stop;		/* DEPS_STOP_AT_END: the end's path, not looked up */
};

struct deps {
	struct dep *v;
	size_t count, cap;
	struct htab index;	/* by path */
	char *cwd;		/* relative paths are walked from here */
	struct timespec start;
	const char *uncacheable;
	struct walk_end end;
	size_t reading;		/* deps_open_read()s not done yet */
};

struct deps *deps_new(void)
{
	struct deps *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	if (sodium_init() < 0)
		d->uncacheable = "libsodium cannot be initialised";
	clock_gettime(CLOCK_REALTIME, &d->start);
	d->cwd = getcwd(NULL, 0);
	if (!d->cwd)
		d->uncacheable = "the working directory cannot be named";
	return d;
}

void deps_free(struct deps *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->count; i++) {
		free(d->v[i].path);
		free(d->v[i].target);
	}
	free(d->v);
	htab_free(&d->index);
	free(d->cwd);
	free(d);
}

void deps_uncacheable(struct deps *d, const char *why)
{
	if (d && !d->uncacheable)
		d->uncacheable = why;
}

const char *deps_why_uncacheable(const struct deps *d)
{
	if (!d->uncacheable && d->reading)
		return "a file it read was not hashed (its read not done)";
	return d->uncacheable;
}

const struct dep *deps_list(const struct deps *d, size_t *count)
{
	*count = d->count;
	return d->v;
}

struct timespec deps_start(const struct deps *d)
{
	return d->start;
}

void deps_fill(struct dep *e, int err, const struct stat *st)
{
	e->err = err;
	if (err)
		return;
	e->dev = (uint64_t)st->st_dev;
	e->ino = (uint64_t)st->st_ino;
	e->size = (uint64_t)st->st_size;
	e->mode = (uint64_t)st->st_mode;
	e->uid = (uint64_t)st->st_uid;
	e->gid = (uint64_t)st->st_gid;
	e->mtime_sec = st->st_mtim.tv_sec;
	e->mtime_nsec = st->st_mtim.tv_nsec;
	e->ctime_sec = st->st_ctim.tv_sec;
	e->ctime_nsec = st->st_ctim.tv_nsec;
}

/*
 * Are @e's times and size compared? A directory only passed through is
 * not: its times change whenever a sibling of the name looked up does
 * (/tmp), and the names looked up in it are recorded on their own.
 */
static int times_matter(const struct dep *e)
{
	return e->full || !S_ISDIR(e->mode);
}

/*
 * The digest of @fd's bytes from its start to its end, read with pread()
 * (the descriptor's offset is left where it is: the compile reads it
 * next); @size is what fstat() said: a short read that reaches it is the
 * end (most files are read whole in one call, and a TCG guest pays for
 * every system call). 0, or -1.
 */
static int sum_bytes(int fd, uint64_t size, uint8_t sum[DEPS_SUM_LEN])
{
	unsigned char buf[DEPS_CHUNK];
	crypto_generichash_state h;
	uint64_t total = 0;
	ssize_t n;

	crypto_generichash_init(&h, NULL, 0, DEPS_SUM_LEN);
	for (;;) {
		n = pread(fd, buf, sizeof(buf), (off_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		crypto_generichash_update(&h, buf, (size_t)n);
		total += (uint64_t)n;
		if ((size_t)n < sizeof(buf) && total == size)
			break;
	}
	crypto_generichash_final(&h, sum, DEPS_SUM_LEN);
	return n < 0 ? -1 : 0;
}

/* Entries other than "." and "..". */
static int not_dots(const struct dirent *e)
{
	return strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
}

/* strcmp() order: readdir()'s is the file system's, alphasort()'s the locale's. */
static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/*
 * The digest of the directory @fd's entry names, sorted, each with its
 * NUL. 0, or -1.
 */
static int sum_names(int fd, uint8_t sum[DEPS_SUM_LEN])
{
	crypto_generichash_state h;
	struct dirent **list;
	int n = scandirat(fd, ".", &list, not_dots, by_name);

	if (n < 0)
		return -1;
	crypto_generichash_init(&h, NULL, 0, DEPS_SUM_LEN);
	for (int i = 0; i < n; i++) {
		crypto_generichash_update(&h, (unsigned char *)list[i]->d_name,
					  strlen(list[i]->d_name) + 1);
		free(list[i]);
	}
	free(list);
	crypto_generichash_final(&h, sum, DEPS_SUM_LEN);
	return 0;
}

/*
 * @e's path opened without following a symlink (O_NONBLOCK: a FIFO put in
 * its place must not hang the tool), as a directory when @e is one, and
 * fstat()'ed into @st. The descriptor, or -1.
 */
static int open_content(const struct dep *e, struct stat *st)
{
	int fd = open(e->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
		      (S_ISDIR(e->mode) ? O_DIRECTORY : 0));

	if (fd >= 0 && fstat(fd, st)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The digest of the open @fd's content (@st its fstat()). 0, or -1. */
static int sum_fd(int fd, const struct stat *st, uint8_t sum[DEPS_SUM_LEN])
{
	if (S_ISDIR(st->st_mode))
		return sum_names(fd, sum);
	return sum_bytes(fd, (uint64_t)st->st_size, sum);
}

int deps_content_sum(const struct dep *e, uint8_t sum[DEPS_SUM_LEN])
{
	struct stat st;
	int fd, ret;

	if (e->err || (!S_ISDIR(e->mode) && !S_ISREG(e->mode)))
		return -1;
	fd = open_content(e, &st);
	if (fd < 0)
		return -1;
	/* The inode recorded, not one renamed there since the lstat(). */
	if ((uint64_t)st.st_dev != e->dev || (uint64_t)st.st_ino != e->ino ||
	    (st.st_mode & S_IFMT) != (e->mode & S_IFMT))
		ret = -1;
	else
		ret = sum_fd(fd, &st, sum);
	close(fd);
	return ret;
}

/* Has @e a content to hash, not hashed yet? */
static int needs_sum(const struct dep *e)
{
	return !e->err && !e->has_sum && (S_ISDIR(e->mode) || S_ISREG(e->mode));
}

/* @e's content, hashed as it is first used (before the compile reads it). */
static void record_sum(struct deps *d, struct dep *e)
{
	if (!needs_sum(e))
		return;
	if (deps_content_sum(e, e->sum))
		deps_uncacheable(d, "a file it read cannot be hashed");
	else
		e->has_sum = 1;
}

/*
 * @e's content hashed from @fd, which the compile has just opened at @e's
 * path and not read yet (@known: the descriptor's fstat(), when made): one
 * fstat() and one pread() for a small file, not a second open(). Another
 * inode than the one recorded (the path changed in between): the compile
 * read something else, no entry.
 */
static void record_sum_fd(struct deps *d, struct dep *e, int fd, const struct stat *known)
{
	struct stat st;

	if (!needs_sum(e))
		return;
	if (!known && fstat(fd, &st)) {
		deps_uncacheable(d, "a file it read cannot be hashed");
		return;
	}
	if (known)
		st = *known;
	if ((uint64_t)st.st_dev != e->dev || (uint64_t)st.st_ino != e->ino ||
	    (st.st_mode & S_IFMT) != (e->mode & S_IFMT))
		deps_uncacheable(d, "a file changed as it was opened");
	else if (sum_fd(fd, &st, e->sum))
		deps_uncacheable(d, "a file it read cannot be hashed");
	else
		e->has_sum = 1;
}

/*
 * @e is the end of a path the compile has just opened as @fd (@known: its
 * fstat(), when made). @fd must be @e's inode, an existing one, else the
 * compile is not cached. With a reader @r, a regular file's digest is
 * left to it (deps_read_done()): @r is tied to @e. Else (no reader, or a
 * directory) record_sum_fd().
 */
static void take_fd(struct deps *d, struct dep *e, int fd, const struct stat *known,
		    struct deps_read *r)
{
	struct stat st;

	if (!known && fstat(fd, &st)) {
		deps_uncacheable(d, "a file it read cannot be hashed");
		return;
	}
	if (known)
		st = *known;
	/*
	 * The file opened must be the one recorded at this path, whatever
	 * the record says: a path first recorded absent (or as another
	 * inode) and then opened was read all the same (attack-cache-absent).
	 */
	if (e->err || (uint64_t)st.st_dev != e->dev || (uint64_t)st.st_ino != e->ino ||
	    (st.st_mode & S_IFMT) != (e->mode & S_IFMT)) {
		deps_uncacheable(d, "a file changed as it was opened");
		return;
	}
	if (!r || !S_ISREG(e->mode)) {
		record_sum_fd(d, e, fd, &st);
		return;
	}
	e->full = 1;
	crypto_generichash_init(&r->h, NULL, 0, DEPS_SUM_LEN);
	r->rec = (size_t)(e - d->v) + 1;
	d->reading++;
}

/* Does @now (as the file system has it) match the record @e? */
static int same_state(const struct dep *e, const struct dep *now)
{
	if (now->err != e->err)
		return 0;
	if (e->err)
		return 1;
	if (now->dev != e->dev || now->ino != e->ino || now->mode != e->mode ||
	    now->uid != e->uid || now->gid != e->gid)
		return 0;
	if (!times_matter(e))
		return 1;
	return now->size == e->size && now->mtime_sec == e->mtime_sec &&
	       now->mtime_nsec == e->mtime_nsec && now->ctime_sec == e->ctime_sec &&
	       now->ctime_nsec == e->ctime_nsec;
}

/* Ascending order of descriptors, for deps_check_done(). */
static void sort_fds(int *fds, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int fd = fds[i];
		size_t j = i;

		for (; j && fds[j - 1] > fd; j--)
			fds[j] = fds[j - 1];
		fds[j] = fd;
	}
}

/*
 * Close @c's descriptors: each run of consecutive numbers, all of them
 * ours, with one close_range() (close() one by one where the kernel has
 * none: before 5.9).
 */
void deps_check_done(struct deps_check *c)
{
	size_t i = 0;

	sort_fds(c->fds, c->count);
	while (i < c->count) {
		size_t j = i + 1;

		while (j < c->count && c->fds[j] == c->fds[j - 1] + 1)
			j++;
		if (j - i == 1 || close_range((unsigned int)c->fds[i],
					      (unsigned int)c->fds[j - 1], 0)) {
			for (size_t k = i; k < j; k++)
				close(c->fds[k]);
		}
		i = j;
	}
	c->count = 0;
}

/*
 * A record with a digest: its path opened (no symlink followed) and
 * fstat()'ed, which says of a file or directory what lstat() would (the
 * open fails on a symlink: ELOOP, a change), then its content hashed
 * again. Three system calls, and a share of a close_range().
 */
static int content_unchanged(struct deps_check *c, const struct dep *e)
{
	struct dep now = { .full = e->full };
	struct stat st;
	int fd, same;

	/* A full batch is closed first: the next one reuses its numbers. */
	if (c->count == DEPS_CHECK_BATCH)
		deps_check_done(c);
	fd = open_content(e, &st);
	if (fd < 0 && errno == EMFILE && c->count) {
		/* A low RLIMIT_NOFILE: the batch closed early, not a miss. */
		deps_check_done(c);
		fd = open_content(e, &st);
	}
	if (fd < 0)
		return 0;
	deps_fill(&now, 0, &st);
	/* Same times, other bytes: a shared mapping, FAT, an offline edit. */
	same = same_state(e, &now) && !sum_fd(fd, &st, now.sum) &&
	       !memcmp(now.sum, e->sum, DEPS_SUM_LEN);
	c->fds[c->count++] = fd;
	return same;
}

/* As deps_check(), the content compared only when @content says so. */
static int unchanged(struct deps_check *c, const struct dep *e, int content)
{
	struct dep now = { .full = e->full };
	struct stat st;

	if (content && e->has_sum && !e->err)
		return content_unchanged(c, e);
	deps_fill(&now, lstat(e->path, &st) ? errno : 0, &st);
	return same_state(e, &now);
}

int deps_check(struct deps_check *c, const struct dep *e)
{
	return unchanged(c, e, 1);
}

int deps_unchanged(const struct dep *e)
{
	struct deps_check c = { .count = 0 };
	int same = deps_check(&c, e);

	deps_check_done(&c);
	return same;
}

static int64_t ns_of(int64_t sec, int64_t nsec)
{
	return sec * 1000000000LL + nsec;
}

int deps_racy(const struct dep *e, struct timespec start)
{
	int64_t limit = ns_of(start.tv_sec, start.tv_nsec) - DEPS_RACY_NS;

	if (e->err || !times_matter(e))
		return 0;
	return ns_of(e->mtime_sec, e->mtime_nsec) >= limit ||
	       ns_of(e->ctime_sec, e->ctime_nsec) >= limit;
}

/* @e's content is used: hashed now, or by the wrapper (DEPS_SUM_LATER). */
static void use_content(struct deps *d, struct dep *e, int flags)
{
	e->full = 1;
	if (!(flags & DEPS_SUM_LATER))
		record_sum(d, e);
	else if (needs_sum(e))
		d->end.pending = (size_t)(e - d->v) + 1;
}

const struct dep *deps_find(const struct deps *d, const char *path)
{
	struct htab_iter it;
	size_t i;

	for (htab_find(&d->index, htab_hash_str(path), &it); htab_next(&it, &i); )
		if (!strcmp(d->v[i].path, path))
			return &d->v[i];
	return NULL;
}

/*
 * The record of @path (lstat()'ed at its first sight, what it said kept in
 * d->end; or, with @given, filled from that: an fstat() of its descriptor),
 * or NULL (no memory). @full: its content is used (see @flags).
 */
static struct dep *lookup(struct deps *d, const char *path, int full, int flags,
			  const struct stat *given)
{
	uint64_t hash = htab_hash_str(path);
	struct stat *st = &d->end.st;
	struct dep *e;

	d->end.fresh = 0;
	e = (struct dep *)deps_find(d, path);
	if (e) {
		if (full)
			use_content(d, e, flags);
		return e;
	}
	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct dep *grown = realloc(d->v, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		d->v = grown;
		d->cap = cap;
	}
	e = &d->v[d->count];
	memset(e, 0, sizeof(*e));
	e->path = strdup(path);
	if (!e->path || htab_add(&d->index, hash, d->count)) {
		free(e->path);
		return NULL;
	}
	memset(st, 0, sizeof(*st));
	if (given)
		*st = *given;
	d->end.err = given ? 0 : lstat(path, st) ? errno : 0;
	d->end.fresh = 1;
	deps_fill(e, d->end.err, st);
	d->count++;
	if (full)
		use_content(d, e, flags);
	return e;
}

/* The symlink @e's target, read once. NULL when it cannot be read. */
static const char *link_target(struct dep *e)
{
	char buf[PATH_MAX];
	ssize_t n;

	if (e->target)
		return e->target;
	n = readlink(e->path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	e->target = strdup(buf);
	return e->target;
}

/* *@todo becomes @head "/" @tail. 0, or -1 (no memory). */
static int set_todo(char **todo, const char *head, const char *tail)
{
	char *moved = NULL;

	if (asprintf(&moved, "%s/%s", head, tail) < 0)
		return -1;
	free(*todo);
	*todo = moved;
	return 0;
}

/*
 * Walk @todo from @cur ("" for /) as path resolution does, recording each
 * component; a symlink is followed, at the end only with DEPS_FOLLOW. The
 * walk stops at the first component that is missing or no directory
 * (recorded: that is what made the lookup fail). -1 when out of memory.
 */
static int walk(struct deps *d, char *cur, char *todo, int flags)
{
	unsigned int links = 0;
	int ret = 0;

	while (cur && todo) {
		char *name = todo + strspn(todo, "/"), *tail = strchrnul(name, '/');
		size_t n = (size_t)(tail - name);
		int last = !tail[strspn(tail, "/")];
		const char *target;
		struct dep *e;
		char *next;

		if (!n)
			break;
		d->end.valid = 0;
		if (last && (flags & DEPS_STOP_AT_END)) {
			/* A plain name, no trailing '/': the caller records it. */
			if (!*tail && !(n == 1 && name[0] == '.') &&
			    !(n == 2 && name[0] == '.' && name[1] == '.'))
				d->end.stop = pattern_join(cur, name, n);
			break;
		}
		if (n == 1 && name[0] == '.') {
			memmove(todo, tail, strlen(tail) + 1);
			continue;
		}
		if (n == 2 && name[0] == '.' && name[1] == '.') {
			next = strrchr(cur, '/');
			*(next ? next : cur) = '\0';
			memmove(todo, tail, strlen(tail) + 1);
			continue;
		}
		next = pattern_join(cur, name, n);
		e = next ? lookup(d, next, last && (flags & DEPS_CONTENT), flags, NULL) : NULL;
		/* The path's end, unless a trailing '/' makes lstat() follow it. */
		d->end.valid = last && !*tail;
		if (!e) {
			free(next);
			ret = -1;
			break;
		}
		d->end.rec = (size_t)(e - d->v) + 1;
		if (e->err || (!S_ISDIR(e->mode) && !S_ISLNK(e->mode))) {
			free(next);
			break;
		}
		if (S_ISLNK(e->mode) && (!last || (flags & DEPS_FOLLOW))) {
			target = link_target(e);
			free(next);
			if (!target || ++links > DEPS_MAX_LINKS)
				break;
			if (target[0] == '/')
				cur[0] = '\0';
			if (set_todo(&todo, target, tail)) {
				ret = -1;
				break;
			}
			continue;
		}
		free(cur);
		cur = next;
		memmove(todo, tail, strlen(tail) + 1);
	}
	if (!cur || !todo)
		ret = -1;
	free(cur);
	free(todo);
	return ret;
}

void deps_path(struct deps *d, const char *path, int flags)
{
	char *todo = NULL;

	if (!d || !path)
		return;
	memset(&d->end, 0, sizeof(d->end));
	if (path[0] == '/')
		todo = strdup(path);
	else if (d->cwd && asprintf(&todo, "%s/%s", d->cwd, path) < 0)
		todo = NULL;
	if (!todo || walk(d, strdup(""), todo, flags))
		deps_uncacheable(d, "out of memory");
}

/*
 * Each wrapper records @path before the call: a change between the two
 * then makes the record differ from the file system by the time the entry
 * is written, which cache_store() checks (deps_all_unchanged()). Recorded
 * after the call, a file replaced in between would be recorded new while
 * the compile used the old one, and the entry would stand for the new.
 */
/*
 * deps_open() of a file not reached through a symlink at its end: the
 * directories on the way recorded first, then the file opened with
 * O_NOFOLLOW (where it is no symlink, the same file as @flags open) and
 * recorded by the descriptor's fstat(), which says what lstat() would,
 * of the very file the compile reads. The descriptor; -1 with errno; or
 * -2 when the path must take deps_open()'s general way: its end is a
 * symlink (ELOOP), '.', '..', or the walk stopped short of it.
 */
static int open_end(struct deps *d, const char *path, int flags, struct deps_read *r)
{
	struct dep *e = NULL;
	struct stat st;
	char *end;
	int fd, err;

	deps_path(d, path, DEPS_FOLLOW | DEPS_STOP_AT_END);
	end = d->end.stop;
	d->end.stop = NULL;
	if (!end)
		return -2;
	fd = open(path, flags | O_NOFOLLOW);
	err = errno;
	if (fd < 0 && err == ELOOP) {
		free(end);
		return -2;
	}
	if (fd >= 0 && fstat(fd, &st)) {
		deps_uncacheable(d, "a file it read cannot be hashed");
	} else {
		e = lookup(d, end, 1, DEPS_SUM_LATER, fd >= 0 ? &st : NULL);
		if (!e)
			deps_uncacheable(d, "out of memory");
		else if (fd >= 0)
			take_fd(d, e, fd, &st, r);
		else
			record_sum(d, e);
	}
	free(end);
	errno = err;
	return fd;
}

/* deps_open(), the digest taken by @r's reader when @r is given. */
static int open_recorded(struct deps *d, const char *path, int flags, struct deps_read *r)
{
	int fd;

	if (d && !(flags & (O_PATH | O_CREAT)) && (fd = open_end(d, path, flags, r)) != -2)
		return fd;
	deps_path(d, path, DEPS_CONTENT | DEPS_SUM_LATER | (flags & O_NOFOLLOW ? 0 : DEPS_FOLLOW));
	fd = open(path, flags);
	if (!d)
		return fd;
	if (r && fd >= 0 && d->end.valid && d->end.rec) {
		/* The path's end: its bytes hashed as the reader reads them. */
		take_fd(d, &d->v[d->end.rec - 1], fd, NULL, r);
	} else if (d->end.pending) {
		struct dep *e = &d->v[d->end.pending - 1];

		/*
		 * The walk ended on the path's end (the record pending): hash
		 * what was opened there; else by the path, as before the call.
		 */
		if (fd >= 0 && d->end.valid)
			record_sum_fd(d, e, fd, NULL);
		else
			record_sum(d, e);
	}
	return fd;
}

int deps_open(struct deps *d, const char *path, int flags)
{
	return open_recorded(d, path, flags, NULL);
}

int deps_open_read(struct deps *d, const char *path, int flags, struct deps_read *r)
{
	int fd, err;

	r->d = d;
	r->rec = 0;
	r->total = 0;
	fd = open_recorded(d, path, flags, r);
	err = errno;
	r->fd = fd;
	errno = err;
	return fd;
}

void deps_read_bytes(struct deps_read *r, const void *buf, size_t n)
{
	if (!r->rec || !n)
		return;
	crypto_generichash_update(&r->h, buf, n);
	r->total += (uint64_t)n;
}

ssize_t deps_read(struct deps_read *r, int fd, void *buf, size_t n)
{
	ssize_t got;

	do
		got = read(fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got > 0)
		deps_read_bytes(r, buf, (size_t)got);
	return got;
}

/*
 * @sum, of @total bytes read from a descriptor of @e whose fstat() is now
 * @st, becomes @e's digest: when @st still says what @e recorded at the
 * open (another size or time: the bytes may be of neither content) and
 * the bytes were @e's size. @e hashed already (read twice, or hashed by
 * its path too): the same digest, or the compile is uncacheable.
 */
static void keep_read_sum(struct deps *d, struct dep *e, const struct stat *st,
			  uint64_t total, const uint8_t sum[DEPS_SUM_LEN])
{
	struct dep now = { .full = 1 };

	deps_fill(&now, 0, st);
	if (!same_state(e, &now) || total != e->size)
		deps_uncacheable(d, "a file changed while it was read");
	else if (e->has_sum && memcmp(e->sum, sum, DEPS_SUM_LEN))
		deps_uncacheable(d, "a file read twice gave two contents");
	else if (!e->has_sum) {
		memcpy(e->sum, sum, DEPS_SUM_LEN);
		e->has_sum = 1;
	}
}

void deps_read_done(struct deps_read *r, int whole)
{
	struct deps *d = r->d;
	uint8_t sum[DEPS_SUM_LEN];
	struct stat st;
	struct dep *e;
	int err = errno;

	if (!d || !r->rec)
		return;
	e = &d->v[r->rec - 1];
	r->rec = 0;
	d->reading--;
	crypto_generichash_final(&r->h, sum, DEPS_SUM_LEN);
	if (!whole)
		deps_uncacheable(d, "a file it read was not read to its end");
	else if (fstat(r->fd, &st))
		deps_uncacheable(d, "a file it read cannot be hashed");
	else
		keep_read_sum(d, e, &st, r->total, sum);
	/* The caller may still report its read's errno. */
	errno = err;
}

/*
 * What the walk just recorded of @path's end, when it lstat()'ed it (its
 * first sight, a moment ago): that is the call's answer, not asked for
 * again. With @follow, not when the end is a symlink it could not follow.
 * 1 with *@ret (and errno, or *@st) set; 0 when the call must be made.
 */
static int walk_answer(const struct deps *d, int follow, struct stat *st, int *ret)
{
	if (!d || !d->end.valid || !d->end.fresh)
		return 0;
	if (d->end.err) {
		errno = d->end.err;
		*ret = -1;
		return 1;
	}
	if (follow && S_ISLNK(d->end.st.st_mode))
		return 0;
	*st = d->end.st;
	*ret = 0;
	return 1;
}

int deps_stat(struct deps *d, const char *path, struct stat *st)
{
	int ret;

	deps_path(d, path, DEPS_FOLLOW);
	return walk_answer(d, 1, st, &ret) ? ret : stat(path, st);
}

int deps_lstat(struct deps *d, const char *path, struct stat *st)
{
	int ret;

	deps_path(d, path, 0);
	return walk_answer(d, 0, st, &ret) ? ret : lstat(path, st);
}

char *deps_realpath(struct deps *d, const char *path)
{
	deps_path(d, path, DEPS_FOLLOW);
	return realpath(path, NULL);
}

/*
 * Times and identity only: a content that changed after its digest was
 * taken makes the digest stale, and the entry a miss at its next lookup,
 * so hashing everything again here would only slow the cold compile.
 */
const struct dep *deps_first_changed(const struct deps *d)
{
	for (size_t i = 0; i < d->count; i++)
		if (!unchanged(NULL, &d->v[i], 0))
			return &d->v[i];
	return NULL;
}
