// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the policy cache's dependency recorder (userspace/deps.c):
 * what a compile looked at is recorded, and a change is found.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <dirent.h>

#include "deps.h"

static char dir[] = "/tmp/charter-deps-XXXXXX";

static char *at(const char *name)
{
	char *p = NULL;

	assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Every component of an opened path is recorded; an unchanged tree holds. */
static void records_components(void **state)
{
	char *f = at("a/f");
	char *a = at("a");
	struct deps *d = deps_new();
	int fd;

	(void)state;
	assert_int_equal(mkdir(a, 0755), 0);
	put_file(f, "one");
	fd = deps_open(d, f, O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
	assert_non_null(deps_find(d, "/tmp"));
	assert_non_null(deps_find(d, a));
	assert_non_null(deps_find(d, f));
	assert_true(deps_find(d, f)->full);
	assert_null(deps_first_changed(d));
	deps_free(d);
	unlink(f);
	rmdir(a);
	free(f);
	free(a);
}

/*
 * A file replaced after it was looked at, while the compile goes on: the
 * record is the old file's, and the check made before an entry is kept
 * (cache_store()) finds the change. (That the record is made before the
 * call, so that a change between the two is found too, no test can time.)
 */
static void replaced_after_open(void **state)
{
	char *f = at("prog"), *tmp = at(".prog.new");
	struct deps *d = deps_new();
	int fd;

	(void)state;
	put_file(f, "old");
	fd = deps_open(d, f, O_RDONLY);
	assert_true(fd >= 0);
	put_file(tmp, "new");
	assert_int_equal(rename(tmp, f), 0);
	close(fd);
	assert_non_null(deps_first_changed(d));
	assert_string_equal(deps_first_changed(d)->path, f);
	deps_free(d);
	unlink(f);
	free(f);
	free(tmp);
}

/* A symlink swapped along a path: its component no longer holds. */
static void symlink_swapped(void **state)
{
	char *x = at("x"), *y = at("y"), *l = at("l"), *lf = at("l/f");
	char *xf = at("x/f"), *yf = at("y/f"), *tmpl = at(".l");
	struct deps *d = deps_new();
	struct stat st;

	(void)state;
	assert_int_equal(mkdir(x, 0755), 0);
	assert_int_equal(mkdir(y, 0755), 0);
	put_file(xf, "x");
	put_file(yf, "y");
	assert_int_equal(symlink("x", l), 0);
	assert_int_equal(deps_stat(d, lf, &st), 0);
	assert_non_null(deps_find(d, xf));
	assert_null(deps_first_changed(d));
	assert_int_equal(symlink("y", tmpl), 0);
	assert_int_equal(rename(tmpl, l), 0);
	assert_non_null(deps_first_changed(d));
	deps_free(d);
	unlink(l);
	unlink(xf);
	unlink(yf);
	rmdir(x);
	rmdir(y);
	free(x); free(y); free(l); free(lf); free(xf); free(yf); free(tmpl);
}

/* A name looked up and absent is recorded absent: its arrival counts. */
static void absent_then_present(void **state)
{
	char *f = at("later");
	struct deps *d = deps_new();
	struct stat st;

	(void)state;
	assert_int_equal(deps_stat(d, f, &st), -1);
	assert_non_null(deps_find(d, f));
	assert_int_not_equal(deps_find(d, f)->err, 0);
	assert_null(deps_first_changed(d));
	put_file(f, "now");
	assert_non_null(deps_first_changed(d));
	deps_free(d);
	unlink(f);
	free(f);
}

/*
 * @e as now on disk by lstat() (its digest kept): what a change that left
 * the times as they were (a shared mapping, FAT, an offline edit) shows.
 */
static struct dep times_now(const struct dep *e)
{
	struct dep now = *e;
	struct stat st;

	assert_int_equal(lstat(e->path, &st), 0);
	deps_fill(&now, 0, &st);
	return now;
}

/* A file read has its content's digest; other bytes, same times: changed. */
static void content_compared(void **state)
{
	char *f = at("manifest");
	struct deps *d = deps_new();
	uint8_t sum[DEPS_SUM_LEN];
	struct dep now;
	int fd;

	(void)state;
	put_file(f, "first");
	fd = deps_open(d, f, O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
	assert_true(deps_find(d, f)->has_sum);
	assert_int_equal(deps_content_sum(deps_find(d, f), sum), 0);
	assert_memory_equal(sum, deps_find(d, f)->sum, DEPS_SUM_LEN);
	now = times_now(deps_find(d, f));
	assert_true(deps_unchanged(&now));
	put_file(f, "other");
	now = times_now(deps_find(d, f));
	assert_false(deps_unchanged(&now));
	deps_free(d);
	unlink(f);
	free(f);
}

/* A listed directory has its names' digest; a name added: changed. */
static void listing_compared(void **state)
{
	char *m = at("m"), *a = at("m/a.yml"), *b = at("m/b.yml");
	struct deps *d = deps_new();
	struct dep now;

	(void)state;
	assert_int_equal(mkdir(m, 0755), 0);
	put_file(a, "a");
	deps_path(d, m, DEPS_FOLLOW | DEPS_CONTENT);
	assert_true(deps_find(d, m)->has_sum);
	now = times_now(deps_find(d, m));
	assert_true(deps_unchanged(&now));
	put_file(b, "b");
	now = times_now(deps_find(d, m));
	assert_false(deps_unchanged(&now));
	unlink(b);
	now = times_now(deps_find(d, m));
	assert_true(deps_unchanged(&now));
	deps_free(d);
	unlink(a);
	rmdir(m);
	free(m); free(a); free(b);
}

/* A path only looked at (stat) has no digest: nothing of it is read. */
static void stat_not_hashed(void **state)
{
	char *f = at("looked");
	struct deps *d = deps_new();
	struct stat st;

	(void)state;
	put_file(f, "x");
	assert_int_equal(deps_stat(d, f, &st), 0);
	assert_false(deps_find(d, f)->has_sum);
	/* Opened later: hashed then (before the compile reads it). */
	close(deps_open(d, f, O_RDONLY));
	assert_true(deps_find(d, f)->has_sum);
	deps_free(d);
	unlink(f);
	free(f);
}

/*
 * A record with a digest is checked through the descriptor its content
 * is read from (open, fstat, no lstat): what lstat() would compare is
 * compared all the same. Same bytes, other mode, times or inode: changed.
 */
static void content_tuple_compared(void **state)
{
	char *f = at("tuple"), *g = at("twin"), *m = at("tdir");
	struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct deps *d = deps_new();
	const struct dep *e, *de;

	(void)state;
	put_file(f, "same bytes");
	put_file(g, "same bytes");
	assert_int_equal(mkdir(m, 0755), 0);
	close(deps_open(d, f, O_RDONLY));
	deps_path(d, m, DEPS_FOLLOW | DEPS_CONTENT);
	e = deps_find(d, f);
	de = deps_find(d, m);
	assert_true(e->has_sum && de->has_sum);
	assert_true(deps_unchanged(e));
	assert_true(deps_unchanged(de));
	assert_int_equal(chmod(f, 0600), 0);
	assert_false(deps_unchanged(e));
	assert_int_equal(chmod(m, 0700), 0);
	assert_false(deps_unchanged(de));
	deps_free(d);

	/* Times: the same bytes written again, the times moved. */
	d = deps_new();
	close(deps_open(d, f, O_RDONLY));
	e = deps_find(d, f);
	assert_true(deps_unchanged(e));
	assert_int_equal(utimensat(AT_FDCWD, f, old, 0), 0);
	assert_false(deps_unchanged(e));
	deps_free(d);

	/* Another inode of the same bytes, then a symlink to it. */
	d = deps_new();
	close(deps_open(d, f, O_RDONLY));
	e = deps_find(d, f);
	assert_int_equal(rename(g, f), 0);
	assert_false(deps_unchanged(e));
	assert_int_equal(unlink(f), 0);
	put_file(g, "same bytes");
	assert_int_equal(symlink(g, f), 0);
	assert_false(deps_unchanged(e));
	deps_free(d);
	unlink(f);
	unlink(g);
	rmdir(m);
	free(f); free(g); free(m);
}

/* How many descriptors the process has open. */
static int open_fds(void)
{
	DIR *dh = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(dh);
	while (readdir(dh))
		n++;
	closedir(dh);
	return n;
}

/*
 * deps_check() closes what it hashed in batches (close_range() over runs
 * of consecutive descriptors): more records than a batch, with
 * descriptors of someone else's in the gaps between its own; at the end
 * none of its own is left open and none of the others was closed.
 */
static void check_closes_only_its_own(void **state)
{
	enum { FILES = DEPS_CHECK_BATCH * 2 + 5, OTHERS = 8 };
	char *names[FILES];
	int others[OTHERS], before;
	struct deps *d = deps_new();
	struct deps_check c = { .count = 0 };
	size_t n;
	const struct dep *v;

	(void)state;
	for (int i = 0; i < FILES; i++) {
		char name[32];

		snprintf(name, sizeof(name), "batch%03d", i);
		names[i] = at(name);
		put_file(names[i], name);
		close(deps_open(d, names[i], O_RDONLY));
	}
	/* Others' descriptors, every second one closed: gaps to fill. */
	for (int i = 0; i < OTHERS; i++)
		assert_true((others[i] = open("/dev/null", O_RDONLY)) >= 0);
	for (int i = 0; i < OTHERS; i += 2)
		close(others[i]);
	before = open_fds();
	v = deps_list(d, &n);
	for (size_t i = 0; i < n; i++)
		assert_true(deps_check(&c, &v[i]));
	assert_true(c.count > 0);
	deps_check_done(&c);
	assert_int_equal(c.count, 0);
	assert_int_equal(open_fds(), before);
	for (int i = 1; i < OTHERS; i += 2) {
		assert_true(fcntl(others[i], F_GETFD) >= 0);
		close(others[i]);
	}
	/* Fewer descriptors allowed than a batch holds: closed early. */
	{
		struct rlimit was, low;

		assert_int_equal(getrlimit(RLIMIT_NOFILE, &was), 0);
		low = was;
		low.rlim_cur = (rlim_t)open_fds() + 8;
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
		for (size_t i = 0; i < n; i++)
			assert_true(deps_check(&c, &v[i]));
		deps_check_done(&c);
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &was), 0);
	}
	/* A change is still found within a batch. */
	put_file(names[3], "other bytes");
	assert_string_equal(v[n - FILES + 3].path, names[3]);
	assert_false(deps_check(&c, &v[n - FILES + 3]));
	deps_check_done(&c);
	deps_free(d);
	for (int i = 0; i < FILES; i++) {
		unlink(names[i]);
		free(names[i]);
	}
}

/* deps_stat() or deps_lstat() of @path answers as stat() or lstat() does. */
static void answers_alike(struct deps *d, const char *path, int follow)
{
	struct stat want, got;
	int want_ret, want_err, got_ret, got_err;

	want_ret = follow ? stat(path, &want) : lstat(path, &want);
	want_err = want_ret ? errno : 0;
	errno = 0;
	got_ret = follow ? deps_stat(d, path, &got) : deps_lstat(d, path, &got);
	got_err = got_ret ? errno : 0;
	if (got_ret != want_ret || got_err != want_err)
		fail_msg("%s %s: %d (%d) where the call gives %d (%d)", follow ? "stat" : "lstat",
			 path, got_ret, got_err, want_ret, want_err);
	if (!want_ret && (got.st_dev != want.st_dev || got.st_ino != want.st_ino ||
			  got.st_mode != want.st_mode || got.st_size != want.st_size ||
			  got.st_nlink != want.st_nlink))
		fail_msg("%s %s: another file than the call's", follow ? "stat" : "lstat", path);
}

/*
 * deps_stat() and deps_lstat() answer from the walk's own lstat() of the
 * path's end when it made one (not the call again): the same answer as
 * the call, for files, directories, symlinks (dangling, to a directory,
 * with a trailing '/'), missing names, '.', '..', and paths through a file.
 */
static void wrappers_answer_as_the_calls(void **state)
{
	static const char *const names[] = {
		"w", "w/file", "w/dir", "w/lfile", "w/ldir", "w/ldir/", "w/dangling",
		"w/missing", "w/missing/x", "w/file/x", "w/dir/.", "w/dir/..", "w/dir//f",
		"w/ldir/f", "w/lloop", "w/dir/f/",
	};
	static const char *const links[][2] = {
		{ "file", "w/lfile" }, { "dir", "w/ldir" }, { "nowhere", "w/dangling" },
		{ "lloop", "w/lloop" },
	};
	struct deps *seen = deps_new();
	char *path, cmd[64];

	(void)state;
	assert_int_equal(mkdir(path = at("w"), 0755), 0);
	free(path);
	assert_int_equal(mkdir(path = at("w/dir"), 0755), 0);
	free(path);
	put_file(path = at("w/file"), "f");
	free(path);
	put_file(path = at("w/dir/f"), "in dir");
	free(path);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		assert_int_equal(symlink(links[i][0], path = at(links[i][1])), 0);
		free(path);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (int follow = 0; follow < 2; follow++) {
			struct deps *d = deps_new();

			path = at(names[i]);
			answers_alike(d, path, follow);	/* first sight */
			answers_alike(d, path, follow);	/* recorded already */
			answers_alike(seen, path, follow);
			deps_free(d);
			free(path);
		}
	}
	assert_null(deps_first_changed(seen));
	deps_free(seen);
	snprintf(cmd, sizeof(cmd), "rm -rf %s/w", dir);
	assert_int_equal(system(cmd), 0);
}

/*
 * deps_open() hashes what it opened, through the compile's descriptor,
 * when that is the inode recorded; another inode (the path replaced
 * between the record and the open): not cacheable.
 */
static void open_hashes_what_it_opened(void **state)
{
	char *f = at("opened"), *tmp = at(".opened.new");
	struct deps *d = deps_new();
	uint8_t sum[DEPS_SUM_LEN];
	char buf[16];
	int fd;

	(void)state;
	put_file(f, "first");
	fd = deps_open(d, f, O_RDONLY);
	assert_true(fd >= 0);
	/* The descriptor is where the compile left it: at the start. */
	assert_int_equal(read(fd, buf, sizeof(buf)), 5);
	close(fd);
	assert_true(deps_find(d, f)->has_sum);
	assert_int_equal(deps_content_sum(deps_find(d, f), sum), 0);
	assert_memory_equal(sum, deps_find(d, f)->sum, DEPS_SUM_LEN);
	assert_null(deps_why_uncacheable(d));
	deps_free(d);

	/* Recorded (looked at), then replaced, then opened to be read. */
	d = deps_new();
	deps_path(d, f, 0);
	put_file(tmp, "second");
	assert_int_equal(rename(tmp, f), 0);
	fd = deps_open(d, f, O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
	assert_false(deps_find(d, f)->has_sum);
	assert_non_null(deps_why_uncacheable(d));
	deps_free(d);

	/* Through a symlink at the end: the link and its target recorded. */
	d = deps_new();
	assert_int_equal(symlink(f, tmp), 0);
	fd = deps_open(d, tmp, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 6);
	close(fd);
	assert_true(S_ISLNK(deps_find(d, tmp)->mode));
	assert_true(deps_find(d, f)->has_sum);
	assert_null(deps_why_uncacheable(d));
	assert_null(deps_first_changed(d));
	/* Missing: recorded absent, the error the call's. */
	unlink(f);
	errno = 0;
	assert_int_equal(deps_open(d, f, O_RDONLY), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(deps_first_changed(d));
	deps_free(d);
	d = deps_new();
	assert_int_equal(deps_open(d, f, O_RDONLY), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(deps_find(d, f)->err, ENOENT);
	assert_null(deps_first_changed(d));
	deps_free(d);
	unlink(tmp);
	free(f);
	free(tmp);
}

/* deps_open_read() of @f, @fed fed as the bytes read, done (@whole). */
static struct deps *read_feeding(struct deps *d, const char *f, const char *fed, int whole)
{
	struct deps_read r;
	char buf[64];
	int fd = deps_open_read(d, f, O_RDONLY, &r);

	assert_true(fd >= 0);
	/* Recorded before it is read (deps.c's ordering), no digest yet. */
	assert_non_null(deps_find(d, f));
	assert_true(deps_find(d, f)->full);
	/* Begun, not done: not cacheable until the digest is kept. */
	assert_non_null(deps_why_uncacheable(d));
	assert_true(read(fd, buf, sizeof(buf)) > 0);
	deps_read_bytes(&r, fed, strlen(fed));
	deps_read_done(&r, whole);
	close(fd);
	return d;
}

/*
 * The digest kept is of the bytes the reader fed, the very bytes the
 * compile used, and of nothing else: not a pread() of the file before or
 * after the read (a shared mapping can flip bytes between any two reads
 * with no time changing). Here the "compile" is fed other bytes than the
 * file holds (as a flip between two reads would give): the digest must be
 * of those, and the file's own content then fails the check (a miss).
 */
static void read_digest_is_of_bytes_used(void **state)
{
	char *f = at("torn");
	uint8_t want[DEPS_SUM_LEN], now[DEPS_SUM_LEN];
	struct deps *d;
	struct deps_read r;
	int fd;

	(void)state;
	put_file(f, "data/aaa");

	/* Other bytes than the file's, of its size: their digest, a miss later. */
	d = read_feeding(deps_new(), f, "data/aba", 1);
	crypto_generichash(want, sizeof(want), (const unsigned char *)"data/aba", 8, NULL, 0);
	assert_null(deps_why_uncacheable(d));
	assert_true(deps_find(d, f)->has_sum);
	assert_memory_equal(deps_find(d, f)->sum, want, DEPS_SUM_LEN);
	assert_int_equal(deps_content_sum(deps_find(d, f), now), 0);
	assert_memory_not_equal(deps_find(d, f)->sum, now, DEPS_SUM_LEN);
	assert_false(deps_unchanged(deps_find(d, f)));
	deps_free(d);

	/* The file's own bytes: the same digest a check takes, a hit. */
	d = read_feeding(deps_new(), f, "data/aaa", 1);
	assert_null(deps_why_uncacheable(d));
	assert_int_equal(deps_content_sum(deps_find(d, f), now), 0);
	assert_memory_equal(deps_find(d, f)->sum, now, DEPS_SUM_LEN);
	assert_true(deps_unchanged(deps_find(d, f)));
	deps_free(d);

	/* Fewer bytes than its size, or not read to its end: no entry. */
	d = read_feeding(deps_new(), f, "data", 1);
	assert_non_null(deps_why_uncacheable(d));
	assert_false(deps_find(d, f)->has_sum);
	deps_free(d);
	d = read_feeding(deps_new(), f, "data/aaa", 0);
	assert_non_null(deps_why_uncacheable(d));
	deps_free(d);

	/* Read twice, two contents (a flip between the reads): no entry. */
	d = read_feeding(deps_new(), f, "data/aaa", 1);
	assert_null(deps_why_uncacheable(d));
	read_feeding(d, f, "data/aba", 1);
	assert_non_null(deps_why_uncacheable(d));
	deps_free(d);
	/* Twice, one content: cacheable. */
	d = read_feeding(deps_new(), f, "data/aaa", 1);
	read_feeding(d, f, "data/aaa", 1);
	assert_null(deps_why_uncacheable(d));
	deps_free(d);

	/* No recorder: open() alone, done harmless. */
	fd = deps_open_read(NULL, f, O_RDONLY, &r);
	assert_true(fd >= 0);
	deps_read_bytes(&r, "x", 1);
	deps_read_done(&r, 1);
	close(fd);
	unlink(f);
	free(f);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_components),
		cmocka_unit_test(replaced_after_open),
		cmocka_unit_test(symlink_swapped),
		cmocka_unit_test(absent_then_present),
		cmocka_unit_test(content_compared),
		cmocka_unit_test(listing_compared),
		cmocka_unit_test(stat_not_hashed),
		cmocka_unit_test(content_tuple_compared),
		cmocka_unit_test(check_closes_only_its_own),
		cmocka_unit_test(wrappers_answer_as_the_calls),
		cmocka_unit_test(open_hashes_what_it_opened),
		cmocka_unit_test(read_digest_is_of_bytes_used),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
