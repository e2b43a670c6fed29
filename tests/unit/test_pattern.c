// SPDX-License-Identifier: GPL-2.0
/* Unit tests: path patterns (userspace/pattern.c). */
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

#include "pattern.h"

static void normalise(void **state)
{
	static const char *const cases[][3] = {
		{ "/base", "x", "/base/x" },
		{ "/base", "./x/./y/", "/base/x/y" },
		{ "/base", "../../..", "/" },
		{ "/base", "/abs//p/../q", "/abs/q" },
		{ "/", ".", "/" },
		{ "/base", "./**/", "/base/**" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = pattern_normalise(cases[i][0], cases[i][1]);

		assert_non_null(got);
		assert_string_equal(got, cases[i][2]);
		free(got);
	}
}

/* The same grammar and prefix lengths as the kernel's (KUnit tests it). */
static void check(void **state)
{
	static const struct { const char *p; int ok; uint16_t prefix; } cases[] = {
		{ "/", 1, 1 }, { "/srv", 1, 4 }, { "/srv/app/**", 1, 8 },
		{ "/srv/*/x", 1, 4 }, { "/**", 1, 0 }, { "/a?/b", 1, 0 },
		{ "srv", 0, 0 }, { "/srv/", 0, 0 }, { "/a**", 0, 0 },
		{ "/x/./y", 0, 0 }, { "//x", 0, 0 },
	};
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint16_t prefix = 0xffff;
		int r = pattern_check(cases[i].p, &prefix, &why);

		assert_int_equal(r == 0, cases[i].ok);
		if (cases[i].ok)
			assert_int_equal(prefix, cases[i].prefix);
		else
			assert_non_null(why);
	}
}

static void resolve_symlinks_in_prefix(void **state)
{
	char dir[] = "/tmp/charter-pat-XXXXXX", real[96], link[96], pat[160], want[160];
	char *got;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(real, sizeof(real), "%s/real", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(mkdir(real, 0755), 0);
	assert_int_equal(symlink(real, link), 0);
	snprintf(pat, sizeof(pat), "%s/**/*.log", link);
	snprintf(want, sizeof(want), "%s/**/*.log", real);
	got = pattern_resolve(pat);
	assert_string_equal(got, want);
	free(got);
	/* A prefix that does not exist is kept as written. */
	got = pattern_resolve("/nonexistent/charter/**");
	assert_string_equal(got, "/nonexistent/charter/**");
	free(got);
	got = pattern_resolve("/");
	assert_string_equal(got, "/");
	free(got);
	unlink(link);
	rmdir(real);
	rmdir(dir);
}

/*
 * pattern_walk() names the first symlink it follows, applies '..' in a
 * link's target to the real parent, and never enters /proc/self (not even
 * through a link to it).
 */
static void walk_links_and_process(void **state)
{
	char dir[] = "/tmp/charter-walk-XXXXXX", path[160], target[160], want[160];
	struct pattern_walk w;
	char *got;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/real", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/real/sub", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/up", dir);
	assert_int_equal(symlink("real/sub/..", path), 0);
	snprintf(path, sizeof(path), "%s/me", dir);
	assert_int_equal(symlink("/proc/self", path), 0);

	snprintf(path, sizeof(path), "%s/up/x/**", dir);
	assert_int_equal(pattern_walk(path, &w, &got), 0);
	snprintf(want, sizeof(want), "%s/real/x/**", dir);
	assert_string_equal(got, want);
	snprintf(target, sizeof(target), "%s/up", dir);
	assert_string_equal(w.link, target);
	pattern_walk_free(&w);
	free(got);

	snprintf(path, sizeof(path), "%s/me/cwd", dir);
	assert_int_equal(pattern_walk(path, &w, &got), -1);
	assert_string_equal(w.process, "/proc/self");
	pattern_walk_free(&w);

	assert_int_equal(pattern_walk("/srv/charter-none/x", &w, &got), 0);
	assert_null(w.link);
	assert_string_equal(got, "/srv/charter-none/x");
	pattern_walk_free(&w);
	free(got);

	assert_true(pattern_names_process("/proc/self"));
	assert_true(pattern_names_process("/proc/12/root"));
	assert_true(pattern_names_process("/dev/fd/0"));
	assert_false(pattern_names_process("/proc"));
	assert_false(pattern_names_process("/proc/selfish"));
	assert_false(pattern_names_process("/proc/*/status"));
	assert_false(pattern_names_process("/dev/fdx"));

	snprintf(path, sizeof(path), "%s/me", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/up", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/real/sub", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/real", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalise),
		cmocka_unit_test(check),
		cmocka_unit_test(resolve_symlinks_in_prefix),
		cmocka_unit_test(walk_links_and_process),
	};

	return cmocka_run_group_tests_name("pattern", tests, NULL, NULL);
}
