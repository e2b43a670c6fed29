// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: which manifests of a directory input_read_each() keeps
 * (userspace/input.c) and the table it finds earlier claims in
 * (userspace/htab.c). Names are compared ignoring case; one executable
 * and one file have one manifest; a manifest whose run names its file
 * where it lies wins over one that reaches it through a symlink,
 * whatever their order, and a loser found earlier is refused after the
 * fact, which frees its name for a later manifest.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "htab.h"
#include "input.h"

/* ---- the table ----------------------------------------------------------- */

static void htab_collisions_in_order(void **state)
{
	struct htab t = { 0 };
	struct htab_iter it;
	size_t i, n = 0;

	(void)state;
	/* 300 entries under one hash, through several doublings. */
	for (size_t k = 0; k < 300; k++) {
		assert_int_equal(htab_add(&t, 42, k * 3), 0);
		assert_int_equal(htab_add(&t, 43 + k, 7), 0);
	}
	for (htab_find(&t, 42, &it); htab_next(&it, &i); n++)
		assert_int_equal(i, n * 3);
	assert_int_equal(n, 300);
	htab_find(&t, 1000000, &it);
	assert_false(htab_next(&it, &i));
	htab_free(&t);
	htab_find(&t, 42, &it);
	assert_false(htab_next(&it, &i));
}

/* Hashes whose slots wrap around the end of the table keep their order. */
static void htab_wraps_in_order(void **state)
{
	struct htab t = { 0 };
	struct htab_iter it;
	size_t i, n = 0;

	(void)state;
	for (size_t k = 0; k < 20; k++)
		assert_int_equal(htab_add(&t, UINT64_MAX, k), 0);
	for (htab_find(&t, UINT64_MAX, &it); htab_next(&it, &i); n++)
		assert_int_equal(i, n);
	assert_int_equal(n, 20);
	htab_free(&t);
}

static void htab_many_entries(void **state)
{
	struct htab t = { 0 };

	(void)state;
	for (size_t k = 0; k < 100000; k++)
		assert_int_equal(htab_add(&t, htab_hash_bytes(HTAB_SEED, &k, sizeof(k)), k), 0);
	for (size_t k = 0; k < 100000; k += 7) {
		struct htab_iter it;
		size_t i;
		int found = 0;

		htab_find(&t, htab_hash_bytes(HTAB_SEED, &k, sizeof(k)), &it);
		while (htab_next(&it, &i))
			found |= i == k;
		assert_true(found);
	}
	htab_free(&t);
}

static void htab_case_folding(void **state)
{
	(void)state;
	assert_true(htab_hash_str_nocase("WebServer.Main-1") ==
		    htab_hash_str_nocase("webserver.main-1"));
	assert_true(htab_hash_str_nocase("webserver") != htab_hash_str_nocase("webservers"));
	assert_true(htab_hash_str("WebServer") != htab_hash_str("webserver"));
	/* Only ASCII letters fold: '[' is not '{', '@' is not '`'. */
	assert_true(htab_hash_str_nocase("a[") != htab_hash_str_nocase("a{"));
	assert_true(htab_hash_str_nocase("@") != htab_hash_str_nocase("`"));
}

/* ---- manifests of a directory ------------------------------------------ */

static char dir[] = "/tmp/charter-input-XXXXXX";

static void put(const char *name, const char *fmt, ...)
{
	char *path, *text;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	assert_true(vasprintf(&text, fmt, ap) >= 0);
	va_end(ap);
	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	chmod(path, 0755);
	free(path);
	free(text);
}

static void put_manifest(const char *file, const char *name, const char *run)
{
	put(file, "manifestVersion: v1\nname: %s\nrun: %s\n", name, run);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/charter-input-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char *cmd;

	(void)state;
	assert_true(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

struct result {
	struct input_file *files;
	size_t count;
	struct diag d;
};

static void read_dir(struct result *r)
{
	struct input_options o = { .allow_unsigned = 1, .mounts = "/proc/self/mounts" };
	char *args[] = { dir };

	memset(r, 0, sizeof(*r));
	assert_int_equal(input_read_each(args, 1, &o, 1, &r->files, &r->count, &r->d), 0);
}

static void result_free(struct result *r)
{
	input_free_each(r->files, r->count);
	diag_free(&r->d);
}

/* The file ending in @suffix: ok? */
static int ok(const struct result *r, const char *suffix)
{
	for (size_t i = 0; i < r->count; i++) {
		const char *f = r->files[i].m.file;
		size_t n = strlen(f), k = strlen(suffix);

		if (n >= k && !strcmp(f + n - k, suffix))
			return r->files[i].ok;
	}
	fail_msg("no file %s", suffix);
	return -1;
}

/* The number of messages holding @a (and @b, when given). */
static size_t said(const struct result *r, const char *a, const char *b)
{
	size_t n = 0;

	for (size_t i = 0; i < r->d.count; i++)
		if (strstr(r->d.msgs[i], a) && (!b || strstr(r->d.msgs[i], b)))
			n++;
	return n;
}

static void names_ignore_case(void **state)
{
	struct result r;

	(void)state;
	put("p1", "#!/bin/true\none\n");
	put("p2", "#!/bin/true\ntwo\n");
	put("p3", "#!/bin/true\nthree\n");
	put_manifest("a.yml", "webServer", "./p1");
	put_manifest("b.yml", "WEBSERVER", "./p2");
	put_manifest("c.yml", "webserver2", "./p3");
	read_dir(&r);
	assert_int_equal(r.count, 3);
	assert_true(ok(&r, "/a.yml"));
	assert_false(ok(&r, "/b.yml"));
	assert_true(ok(&r, "/c.yml"));
	assert_int_equal(said(&r, "/b.yml:2:7: name 'WEBSERVER' is already the name of ",
			      "/a.yml:2:7 ('webServer'): each manifest needs its own name (names differing only in case count as the same)"), 1);
	result_free(&r);
}

/* 2,000 manifests, every 100th named as one 50 before it (in upper case). */
static void many_names(void **state)
{
	char file[32], name[32], prog[32], run[40];
	size_t refused = 0;
	struct result r;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		snprintf(prog, sizeof(prog), "p%04d", i);
		put(prog, "#!/bin/true\nprogram %d\n", i);
		snprintf(file, sizeof(file), "m%04d.yml", i);
		snprintf(name, sizeof(name), i % 100 == 99 ? "NAME%04d" : "name%04d",
			 i % 100 == 99 ? i - 50 : i);
		snprintf(run, sizeof(run), "./%s", prog);
		put_manifest(file, name, run);
	}
	read_dir(&r);
	assert_int_equal(r.count, 2000);
	for (size_t i = 0; i < r.count; i++) {
		assert_int_equal(r.files[i].ok, i % 100 != 99);
		refused += !r.files[i].ok;
	}
	assert_int_equal(refused, 20);
	assert_int_equal(said(&r, "is already the name of", NULL), 20);
	assert_int_equal(r.d.count, 20);
	result_free(&r);
}

static void one_executable_one_manifest(void **state)
{
	struct result r;

	(void)state;
	put("prog", "#!/bin/true\nthe program\n");
	put("copy", "#!/bin/true\nthe program\n");
	put_manifest("a.yml", "first", "./prog");
	put_manifest("b.yml", "second", "./copy");
	read_dir(&r);
	assert_true(ok(&r, "/a.yml"));
	assert_false(ok(&r, "/b.yml"));
	assert_int_equal(said(&r, "/b.yml:3:6: '", "/copy' is the same executable as '"), 1);
	result_free(&r);
}

/*
 * a.yml reaches prog through a symlink and comes first: b.yml, which
 * names prog where it lies, takes it, and a.yml is refused after the
 * fact. Its name is then free: c.yml may have it. d.yml, another
 * symlink, loses at once; e.yml names prog where it lies too: the
 * earlier one keeps it.
 */
static void where_it_lies_wins(void **state)
{
	char *link;
	struct result r;

	(void)state;
	put("prog", "#!/bin/true\nthe program\n");
	put("other", "#!/bin/true\nanother program\n");
	assert_true(asprintf(&link, "%s/link", dir) > 0);
	assert_int_equal(symlink("prog", link), 0);
	free(link);
	assert_true(asprintf(&link, "%s/link2", dir) > 0);
	assert_int_equal(symlink("prog", link), 0);
	free(link);
	put_manifest("a.yml", "alpha", "./link");
	put_manifest("b.yml", "beta", "./prog");
	put_manifest("c.yml", "ALPHA", "./other");
	put_manifest("d.yml", "delta", "./link2");
	put_manifest("e.yml", "epsilon", "./prog");
	read_dir(&r);
	assert_false(ok(&r, "/a.yml"));
	assert_false(r.files[0].kept);
	assert_true(ok(&r, "/b.yml"));
	assert_true(ok(&r, "/c.yml"));
	assert_false(ok(&r, "/d.yml"));
	assert_false(ok(&r, "/e.yml"));
	assert_int_equal(said(&r, "/a.yml:3:6: '", "/link' is the same executable as '"), 1);
	assert_int_equal(said(&r, "/prog' of ", "/b.yml: one executable, one manifest"), 3);
	assert_int_equal(said(&r, "/d.yml:3:6: '", NULL), 1);
	assert_int_equal(said(&r, "/e.yml:3:6: '", NULL), 1);
	assert_int_equal(said(&r, "is already the name of", NULL), 0);
	assert_int_equal(r.d.count, 3);
	result_free(&r);
}

/* The same, the other way round: the symlink comes second and loses. */
static void where_it_lies_wins_first(void **state)
{
	char *link;
	struct result r;

	(void)state;
	put("prog", "#!/bin/true\nthe program\n");
	assert_true(asprintf(&link, "%s/link", dir) > 0);
	assert_int_equal(symlink("prog", link), 0);
	free(link);
	put_manifest("a.yml", "alpha", "./prog");
	put_manifest("b.yml", "beta", "./link");
	read_dir(&r);
	assert_true(ok(&r, "/a.yml"));
	assert_false(ok(&r, "/b.yml"));
	assert_int_equal(said(&r, "/b.yml:3:6: '", "/link' is the same executable as '"), 1);
	assert_int_equal(r.d.count, 1);
	result_free(&r);
}

/*
 * One file, changed since b.yml pinned it: b is kept (stale) but still
 * claims the path; a symlink to it later loses to the kept manifest by
 * path, not by content (its content is the new one).
 */
static void same_file_other_content(void **state)
{
	char *link;
	struct result r;

	(void)state;
	put("prog", "#!/bin/true\nthe new program\n");
	assert_true(asprintf(&link, "%s/zlink", dir) > 0);
	assert_int_equal(symlink("prog", link), 0);
	free(link);
	put("b.yml", "manifestVersion: v1\nname: pinned\nrun: ./prog\nhash: sha256:%064d\n", 0);
	put_manifest("c.yml", "throughlink", "./zlink");
	read_dir(&r);
	assert_false(ok(&r, "/b.yml"));
	assert_true(r.files[0].kept);
	assert_false(ok(&r, "/c.yml"));
	assert_int_equal(said(&r, "/c.yml:3:6: '", "/zlink' is the same file as '"), 1);
	result_free(&r);
}

/*
 * Two earlier claimants of c.yml's program, one by path (a.yml, kept
 * with a pinned hash its file no longer has, through a symlink), one by
 * content (b.yml, a copy): c.yml beats a.yml, which is refused after the
 * fact, then loses to b.yml: one executable, one manifest.
 */
static void two_earlier_claimants(void **state)
{
	char *link;
	struct result r;

	(void)state;
	put("prog", "#!/bin/true\nthe program\n");
	put("copy", "#!/bin/true\nthe program\n");
	assert_true(asprintf(&link, "%s/link", dir) > 0);
	assert_int_equal(symlink("prog", link), 0);
	free(link);
	put("a.yml", "manifestVersion: v1\nname: alpha\nrun: ./link\nhash: sha256:%064d\n", 0);
	put_manifest("b.yml", "beta", "./copy");
	put_manifest("c.yml", "gamma", "./prog");
	read_dir(&r);
	assert_false(ok(&r, "/a.yml"));
	assert_false(r.files[0].kept);
	assert_true(ok(&r, "/b.yml"));
	assert_false(ok(&r, "/c.yml"));
	assert_int_equal(said(&r, "/a.yml:3:6: '", "/link' is the same file as '"), 1);
	assert_int_equal(said(&r, "/c.yml:3:6: '", "/prog' is the same executable as '"), 1);
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(htab_collisions_in_order),
		cmocka_unit_test(htab_wraps_in_order),
		cmocka_unit_test(htab_many_entries),
		cmocka_unit_test(htab_case_folding),
		cmocka_unit_test_setup_teardown(names_ignore_case, setup, teardown),
		cmocka_unit_test_setup_teardown(many_names, setup, teardown),
		cmocka_unit_test_setup_teardown(one_executable_one_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(where_it_lies_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(where_it_lies_wins_first, setup, teardown),
		cmocka_unit_test_setup_teardown(same_file_other_content, setup, teardown),
		cmocka_unit_test_setup_teardown(two_earlier_claimants, setup, teardown),
	};

	return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
