// SPDX-License-Identifier: GPL-2.0
/*
 * Other names of a program. The kernel knows a program by the hash of its
 * content, so a manifest for a multi-call binary (busybox), a shell or an
 * interpreter confines every command and script that shares the file,
 * whatever name it is run by. Say so when a manifest is checked or loaded.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "input.h"

#define ALIASES_SHOWN 6

static const char *const default_dirs[] = {
	"/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin", NULL,
};

/* Shells and interpreters: a version may follow (python3.11, perl5.36.0). */
static const char *const interpreters[] = {
	"sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "csh", "tcsh",
	"busybox", "toybox", "python", "pypy", "perl", "ruby", "node", "nodejs",
	"php", "lua", "luajit", "tclsh", "wish", "java", "guile", "Rscript",
	"osascript", "pwsh", "awk", "gawk", "mawk", "env", NULL,
};

static const char *interpreter_name(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	for (size_t i = 0; interpreters[i]; i++) {
		size_t n = strlen(interpreters[i]);

		if (!strncmp(base, interpreters[i], n) &&
		    strspn(base + n, "0123456789.") == strlen(base + n))
			return interpreters[i];
	}
	return NULL;
}

struct aliases {
	char *shown[ALIASES_SHOWN];
	size_t count;
};

static void aliases_add(struct aliases *a, const char *dir, const char *name)
{
	if (a->count < ALIASES_SHOWN &&
	    asprintf(&a->shown[a->count], "%s/%s", dir, name) < 0)
		a->shown[a->count] = NULL;
	a->count++;
}

/* Is entry @name of @dir (open as @dfd) another name for the program? */
static int is_alias(const struct manifest *m, const struct stat *exe,
		    const char *dir, int dfd, const char *name)
{
	struct stat st;
	uint8_t digest[32];
	uint64_t size;
	char *path = NULL;
	int same;

	if (fstatat(dfd, name, &st, 0) || !S_ISREG(st.st_mode))
		return 0;
	if (st.st_dev == exe->st_dev && st.st_ino == exe->st_ino)
		return 1;	/* a symlink or hard link to it (or itself) */
	/* A copy: compare sizes first, hash only files of the same size. */
	if ((uint64_t)st.st_size != m->exe_size || asprintf(&path, "%s/%s", dir, name) < 0)
		return 0;
	same = !sha256_file(path, digest, &size) && size == m->exe_size &&
	       !memcmp(digest, m->exe_sha256, 32);
	free(path);
	return same;
}

static void scan_dir(const struct manifest *m, const struct stat *exe,
		     const char *real_exe, const char *dir, struct aliases *a)
{
	DIR *dh = opendir(dir);
	struct dirent *e;

	if (!dh)
		return;
	while ((e = readdir(dh))) {
		char *path = NULL;

		if (e->d_name[0] == '.' ||
		    !is_alias(m, exe, dir, dirfd(dh), e->d_name))
			continue;
		/* The program's own path is not another name. */
		if (asprintf(&path, "%s/%s", dir, e->d_name) >= 0 &&
		    strcmp(path, real_exe) && strcmp(path, m->run))
			aliases_add(a, dir, e->d_name);
		free(path);
	}
	closedir(dh);
}

/* Directories of @dirs by real path, each once (/bin is /usr/bin). */
static size_t unique_dirs(const char *const *dirs, char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; dirs[i] && n < max; i++) {
		char *real = realpath(dirs[i], NULL);
		size_t j;

		for (j = 0; real && j < n && strcmp(out[j], real); j++)
			;
		if (real && j == n)
			out[n++] = real;
		else
			free(real);
	}
	return n;
}

static void warn_at(const struct manifest *m, struct diag *d, const char *msg)
{
	if (m->run_at.line)
		diag_at(d, m->file, m->run_at.line, m->run_at.col, "warning: %s", msg);
	else
		diag_file(d, m->file, "warning: %s", msg);
}

static void warn_aliases(const struct manifest *m, const struct aliases *a,
			 const struct stat *exe, struct diag *d)
{
	char *list = NULL, *msg = NULL;
	size_t shown = a->count < ALIASES_SHOWN ? a->count : ALIASES_SHOWN;

	if (!a->count && exe->st_nlink < 2)
		return;
	for (size_t i = 0; i < shown; i++) {
		char *grown = NULL;

		if (asprintf(&grown, "%s%s%s", list ? list : "", list ? ", " : "",
			     a->shown[i] ? a->shown[i] : "?") < 0)
			grown = NULL;
		free(list);
		list = grown;
	}
	if (asprintf(&msg, "'%s' has %zu other name%s%s%s%s, and its file has %ju link%s: the kernel knows a program by its content, so this manifest confines the program by every one of its names",
		     m->run, a->count, a->count == 1 ? "" : "s",
		     list ? " (" : "", list ? list : "",
		     a->count > shown ? ", ...)" : list ? ")" : "",
		     (uintmax_t)exe->st_nlink, exe->st_nlink == 1 ? "" : "s") >= 0)
		warn_at(m, d, msg);
	free(msg);
	free(list);
}

void input_warn_aliases(const struct manifest *m, const char *const *dirs,
			struct diag *d)
{
	char *real_exe, *real_dirs[16], *msg = NULL;
	struct aliases a = { .count = 0 };
	const char *interp;
	struct stat exe;
	size_t ndirs;

	if (!m->identified || !m->run || stat(m->run, &exe))
		return;
	real_exe = realpath(m->run, NULL);
	ndirs = unique_dirs(dirs ? dirs : default_dirs, real_dirs, 16);
	for (size_t i = 0; i < ndirs; i++) {
		scan_dir(m, &exe, real_exe ? real_exe : m->run, real_dirs[i], &a);
		free(real_dirs[i]);
	}
	warn_aliases(m, &a, &exe, d);
	for (size_t i = 0; i < ALIASES_SHOWN; i++)
		free(a.shown[i]);
	interp = interpreter_name(real_exe ? real_exe : m->run);
	if (!interp)
		interp = interpreter_name(m->run);
	if (interp && asprintf(&msg, "'%s' is a shell or interpreter (%s): this manifest confines every script and command it runs, started by anyone; confine the program that starts it instead, or give that program its own copy",
			       m->run, interp) >= 0)
		warn_at(m, d, msg);
	free(msg);
	free(real_exe);
}
