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
#include "deps.h"
#include "htab.h"
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
		size_t n;

		if (base[0] != interpreters[i][0])
			continue;
		n = strlen(interpreters[i]);
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

static void aliases_add(struct aliases *a, const char *path)
{
	if (a->count < ALIASES_SHOWN)
		a->shown[a->count] = strdup(path);
	a->count++;
}

/* A regular file of the scanned directories (symlinks followed). */
struct alias_entry {
	char *path;		/* DIR/NAME, DIR its real path */
	dev_t dev;
	ino_t ino;
	uint64_t size;
	int hashed;		/* 1: digest holds its SHA-256; -1: unreadable */
	uint8_t digest[32];
};

/*
 * The directories' regular files, read once for a whole run: by inode
 * (links to the program) and by size (copies, hashed only when a program
 * has their size, and then once).
 */
struct alias_index {
	const char *const *dirs;
	struct deps *deps;	/* records what the warnings depend on, or NULL */
	int scanned;
	struct alias_entry *entries;
	size_t count, cap;
	struct htab by_inode, by_size;
};

static uint64_t inode_hash(dev_t dev, ino_t ino)
{
	uint64_t h = htab_hash_bytes(HTAB_SEED, &dev, sizeof(dev));

	return htab_hash_bytes(h, &ino, sizeof(ino));
}

static uint64_t size_hash(uint64_t size)
{
	return htab_hash_bytes(HTAB_SEED, &size, sizeof(size));
}

static int index_add(struct alias_index *ix, const char *dir, const char *name,
		     const struct stat *st)
{
	struct alias_entry *e;

	if (ix->count == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 256;
		struct alias_entry *grown = realloc(ix->entries, cap * sizeof(*grown));

		if (!grown)
			return -1;
		ix->entries = grown;
		ix->cap = cap;
	}
	e = &ix->entries[ix->count];
	memset(e, 0, sizeof(*e));
	if (asprintf(&e->path, "%s/%s", dir, name) < 0)
		return -1;
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->size = (uint64_t)st->st_size;
	if (htab_add(&ix->by_inode, inode_hash(e->dev, e->ino), ix->count) ||
	    htab_add(&ix->by_size, size_hash(e->size), ix->count)) {
		free(e->path);
		return -1;
	}
	ix->count++;
	return 0;
}

/*
 * Entry @name of @dir: its type, inode and size make the warnings (its
 * times are compared too); its content only when it has a program's size,
 * and is_copy() records that when it reads it. Hashing every file of
 * /usr/bin on every cached load would cost more than the rest of it.
 */
static void record_entry(struct deps *deps, const char *dir, const char *name)
{
	char *path = NULL;

	if (asprintf(&path, "%s/%s", dir, name) < 0) {
		deps_uncacheable(deps, "out of memory");
		return;
	}
	deps_path(deps, path, DEPS_FOLLOW);
	free(path);
}

/* Index @dir's regular files (hidden names skipped), in readdir order. */
static void scan_dir(struct alias_index *ix, const char *dir)
{
	struct dirent *e;
	DIR *dh;

	deps_path(ix->deps, dir, DEPS_FOLLOW | DEPS_CONTENT);
	dh = opendir(dir);
	if (!dh)
		return;
	while ((e = readdir(dh))) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (ix->deps)
			record_entry(ix->deps, dir, e->d_name);
		if (fstatat(dirfd(dh), e->d_name, &st, 0) || !S_ISREG(st.st_mode))
			continue;
		if (index_add(ix, dir, e->d_name, &st))
			break;
	}
	closedir(dh);
}

/* Directories of @dirs by real path, each once (/bin is /usr/bin). */
static size_t unique_dirs(const char *const *dirs, struct deps *deps, char **out,
			  size_t max)
{
	size_t n = 0;

	for (size_t i = 0; dirs[i] && n < max; i++) {
		char *real = deps_realpath(deps, dirs[i]);
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

static void index_scan(struct alias_index *ix)
{
	char *real_dirs[16];
	size_t ndirs = unique_dirs(ix->dirs, ix->deps, real_dirs, 16);

	for (size_t i = 0; i < ndirs; i++) {
		scan_dir(ix, real_dirs[i]);
		free(real_dirs[i]);
	}
	ix->scanned = 1;
}

struct alias_index *alias_index_new(const char *const *dirs)
{
	struct alias_index *ix = calloc(1, sizeof(*ix));

	if (ix)
		ix->dirs = dirs ? dirs : default_dirs;
	return ix;
}

struct alias_index *alias_index_new_in(const char *const *dirs, struct deps *deps)
{
	struct alias_index *ix = alias_index_new(dirs);

	if (ix)
		ix->deps = deps;
	return ix;
}

void alias_index_free(struct alias_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->count; i++)
		free(ix->entries[i].path);
	free(ix->entries);
	htab_free(&ix->by_inode);
	htab_free(&ix->by_size);
	free(ix);
}

/* Is entry @e a copy of @m's program (same size, same content)? */
static int is_copy(struct alias_index *ix, struct alias_entry *e, const struct manifest *m)
{
	uint64_t size;

	if (e->size != m->exe_size)
		return 0;
	if (!e->hashed) {
		/*
		 * Its content makes a warning now: recorded before it is read,
		 * its digest of the bytes the SHA-256 is of.
		 */
		e->hashed = !sha256_file_in(ix->deps, e->path, e->digest, &size) &&
			    size == e->size ? 1 : -1;
	}
	return e->hashed == 1 && !memcmp(e->digest, m->exe_sha256, 32);
}

static int index_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/*
 * The entries that are another name for the program @exe of @m: links to
 * its file, and copies of it, in the order of the scan.
 */
static size_t find_aliases(struct alias_index *ix, const struct manifest *m,
			   const struct stat *exe, size_t **out)
{
	size_t *found = NULL, n = 0, cap = 0, i;
	struct htab_iter it;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		if (pass == 0)
			htab_find(&ix->by_inode, inode_hash(exe->st_dev, exe->st_ino), &it);
		else
			htab_find(&ix->by_size, size_hash(m->exe_size), &it);
		while (htab_next(&it, &i)) {
			struct alias_entry *e = &ix->entries[i];
			int same_file = e->dev == exe->st_dev && e->ino == exe->st_ino;

			if (pass == 0 ? !same_file : same_file || !is_copy(ix, e, m))
				continue;
			if (n == cap) {
				size_t *grown = realloc(found, (cap ? cap * 2 : 16) * sizeof(*grown));

				if (!grown)
					break;
				found = grown;
				cap = cap ? cap * 2 : 16;
			}
			found[n++] = i;
		}
	}
	if (n > 1)
		qsort(found, n, sizeof(*found), index_cmp);
	*out = found;
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

/*
 * The program's file as stat() sees it: from compile_identify() when it
 * opened the file (exe_stat), else stat() of run now. 0, or -1.
 */
static int exe_stat(const struct alias_index *ix, const struct manifest *m,
		    struct stat *st)
{
	if (!m->exe_stat)
		return deps_stat(ix->deps, m->run, st);
	memset(st, 0, sizeof(*st));
	st->st_dev = m->exe_dev;
	st->st_ino = m->exe_ino;
	st->st_nlink = m->exe_nlink;
	return 0;
}

void alias_warn(struct alias_index *ix, const struct manifest *m, struct diag *d)
{
	char *real_exe, *msg = NULL;
	struct aliases a = { .count = 0 };
	const char *interp, *own;
	size_t *found = NULL, nfound;
	struct stat exe;

	if (!m->identified || !m->run || exe_stat(ix, m, &exe))
		return;
	/* compile_identify()'s exe_path is run's real path. */
	real_exe = m->exe_path ? strdup(m->exe_path) : deps_realpath(ix->deps, m->run);
	own = real_exe ? real_exe : m->run;
	if (!ix->scanned)
		index_scan(ix);
	nfound = find_aliases(ix, m, &exe, &found);
	for (size_t i = 0; i < nfound; i++) {
		const char *path = ix->entries[found[i]].path;

		/* The program's own path is not another name. */
		if (strcmp(path, own) && strcmp(path, m->run))
			aliases_add(&a, path);
	}
	free(found);
	warn_aliases(m, &a, &exe, d);
	for (size_t i = 0; i < ALIASES_SHOWN; i++)
		free(a.shown[i]);
	interp = interpreter_name(own);
	if (!interp)
		interp = interpreter_name(m->run);
	if (interp && asprintf(&msg, "'%s' is a shell or interpreter (%s): this manifest confines every script and command it runs, started by anyone; confine the program that starts it instead, or give that program its own copy",
			       m->run, interp) >= 0)
		warn_at(m, d, msg);
	free(msg);
	free(real_exe);
}

void input_warn_aliases(const struct manifest *m, const char *const *dirs,
			struct diag *d)
{
	struct alias_index *ix = alias_index_new(dirs);

	if (ix)
		alias_warn(ix, m, d);
	alias_index_free(ix);
}
