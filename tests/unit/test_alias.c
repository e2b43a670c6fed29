// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: other names of a program (userspace/alias.c). The kernel
 * knows a program by its content, so a manifest confines every symlink,
 * hard link and copy of it: the tool must say so, and must not cry wolf
 * over a file that only shares the size.
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

#include "compile.h"
#include "deps.h"
#include "diag.h"
#include "input.h"
#include "manifest.h"

struct env {
	char root[64];
	char prog[128], bin[128], sbin[128];
	const char *dirs[3];
	struct manifest m;
};

static void write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
}

static char *at(char *out, size_t n, const char *dir, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
	return out;
}

/* A program /ROOT/opt/tool and two PATH-like directories, bin and sbin. */
static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char opt[128];

	strcpy(e->root, "/tmp/charter-alias-XXXXXX");
	assert_non_null(mkdtemp(e->root));
	at(opt, sizeof(opt), e->root, "opt");
	at(e->bin, sizeof(e->bin), e->root, "bin");
	at(e->sbin, sizeof(e->sbin), e->root, "sbin");
	assert_int_equal(mkdir(opt, 0755) | mkdir(e->bin, 0755) | mkdir(e->sbin, 0755), 0);
	at(e->prog, sizeof(e->prog), opt, "tool");
	write_file(e->prog, "#!/bin/true\nthe program\n");
	e->dirs[0] = e->bin;
	e->dirs[1] = e->sbin;
	e->m.file = strdup("tool.yml");
	e->m.run = strdup(e->prog);
	assert_int_equal(sha256_file(e->prog, e->m.exe_sha256, &e->m.exe_size), 0);
	e->m.identified = 1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->root);
	assert_int_equal(system(cmd), 0);
	free(e->m.file);
	free(e->m.run);
	free(e);
	return 0;
}

static char *warnings(struct env *e)
{
	struct diag d = { 0 };
	char *all = strdup("");

	input_warn_aliases(&e->m, e->dirs, &d);
	for (size_t i = 0; i < d.count; i++) {
		char *grown = NULL;

		assert_true(asprintf(&grown, "%s%s\n", all, d.msgs[i]) > 0);
		free(all);
		all = grown;
	}
	diag_free(&d);
	return all;
}

static void alone_no_warning(void **state)
{
	struct env *e = *state;
	char other[160], *w;

	/* Same size, other content: not another name. */
	write_file(at(other, sizeof(other), e->bin, "lookalike"), "#!/bin/true\nthe prograM\n");
	w = warnings(e);
	assert_string_equal(w, "");
	free(w);
}

static void symlink_and_copy_named(void **state)
{
	struct env *e = *state;
	char link[160], copy[160], *w;

	assert_int_equal(symlink(e->prog, at(link, sizeof(link), e->bin, "tool-link")), 0);
	write_file(at(copy, sizeof(copy), e->sbin, "tool-copy"), "#!/bin/true\nthe program\n");
	w = warnings(e);
	assert_non_null(strstr(w, "has 2 other names"));
	assert_non_null(strstr(w, "tool-link"));
	assert_non_null(strstr(w, "tool-copy"));
	assert_non_null(strstr(w, "warning:"));
	free(w);
}

static void hard_link_counted(void **state)
{
	struct env *e = *state;
	char hard[160], *w;

	assert_int_equal(link(e->prog, at(hard, sizeof(hard), e->root, "elsewhere")), 0);
	w = warnings(e);
	assert_non_null(strstr(w, "has 2 links"));
	free(w);
}

static void interpreter_named(void **state)
{
	struct env *e = *state;
	char py[160], *w;

	free(e->m.run);
	e->m.run = strdup(at(py, sizeof(py), e->root, "opt/python3.11"));
	assert_int_equal(rename(e->prog, e->m.run), 0);
	w = warnings(e);
	assert_non_null(strstr(w, "is a shell or interpreter (python)"));
	free(w);
}

/*
 * One index for several manifests (what load and check use): the
 * directories are read once, and each manifest still gets its own names
 * only, in the order of the directories; more than six are cut short.
 */
static void index_serves_many(void **state)
{
	struct env *e = *state;
	char path[160], prog2[160], *w1;
	struct manifest m2 = { 0 };
	struct alias_index *ix = alias_index_new(e->dirs);
	struct diag d = { 0 };

	assert_non_null(ix);
	assert_int_equal(symlink(e->prog, at(path, sizeof(path), e->bin, "tool-link")), 0);
	write_file(at(path, sizeof(path), e->sbin, "tool-copy"), "#!/bin/true\nthe program\n");
	write_file(at(path, sizeof(path), e->sbin, "lookalike"), "#!/bin/true\nthe prograM\n");
	at(prog2, sizeof(prog2), e->root, "opt/second");
	write_file(prog2, "#!/bin/true\nthe second program\n");
	write_file(at(path, sizeof(path), e->bin, "second-copy"), "#!/bin/true\nthe second program\n");
	for (int i = 0; i < 8; i++) {
		char name[16];

		snprintf(name, sizeof(name), "many%d", i);
		assert_int_equal(symlink(prog2, at(path, sizeof(path), e->sbin, name)), 0);
	}
	m2.file = "second.yml";
	m2.run = prog2;
	assert_int_equal(sha256_file(prog2, m2.exe_sha256, &m2.exe_size), 0);
	m2.identified = 1;

	alias_warn(ix, &e->m, &d);
	alias_warn(ix, &m2, &d);
	alias_warn(ix, &e->m, &d);
	assert_int_equal(d.count, 3);
	assert_non_null(w1 = strstr(d.msgs[0], "' has 2 other names ("));
	assert_non_null(strstr(w1, "/bin/tool-link, "));
	assert_non_null(strstr(w1, "/sbin/tool-copy), and its file has 1 link:"));
	assert_non_null(strstr(d.msgs[1], "second.yml: warning: '"));
	assert_non_null(strstr(d.msgs[1], "' has 9 other names ("));
	assert_non_null(strstr(d.msgs[1], "/bin/second-copy, "));
	assert_non_null(strstr(d.msgs[1], ", ...), and its file has 1 link:"));
	assert_null(strstr(d.msgs[1], "tool"));
	assert_string_equal(d.msgs[2], d.msgs[0]);
	diag_free(&d);
	alias_index_free(ix);
}

/*
 * For the policy cache: the directories' listings and every entry are
 * recorded, and an entry's content (a digest, read again by a cached
 * load) only when the warnings read it: when it has a program's size.
 */
static void recorded_for_the_cache(void **state)
{
	struct env *e = *state;
	char look[160], other[160];
	struct deps *deps = deps_new();
	struct alias_index *ix = alias_index_new_in(e->dirs, deps);
	struct diag d = { 0 };

	write_file(at(look, sizeof(look), e->bin, "lookalike"), "#!/bin/true\nthe prograM\n");
	write_file(at(other, sizeof(other), e->sbin, "other"), "another size\n");
	alias_warn(ix, &e->m, &d);
	assert_int_equal(d.count, 0);
	assert_non_null(deps_find(deps, e->bin));
	assert_true(deps_find(deps, e->bin)->has_sum);
	assert_non_null(deps_find(deps, look));
	assert_true(deps_find(deps, look)->has_sum);
	assert_non_null(deps_find(deps, other));
	assert_false(deps_find(deps, other)->has_sum);
	assert_null(deps_why_uncacheable(deps));
	diag_free(&d);
	alias_index_free(ix);
	deps_free(deps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(alone_no_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(symlink_and_copy_named, setup, teardown),
		cmocka_unit_test_setup_teardown(hard_link_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(interpreter_named, setup, teardown),
		cmocka_unit_test_setup_teardown(index_serves_many, setup, teardown),
		cmocka_unit_test_setup_teardown(recorded_for_the_cache, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
