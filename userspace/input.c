// SPDX-License-Identifier: GPL-2.0
/*
 * Input: manifest files and directories -> verified, parsed manifests.
 * Each file is read once; its signature is checked over those bytes and
 * the same bytes are parsed, so nothing can change in between.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "htab.h"
#include "input.h"
#include "pattern.h"
#include "realdir.h"
#include "sign.h"

#define MANIFEST_MAX_BYTES (1 << 20)

/*
 * One run of input_read_each(): what is found once and used for every
 * manifest (see Documentation/design.rst, "How load scales").
 */
struct input_run {
	const struct input_options *o;
	/* The manifests directory's real path (NULL: none), resolved once. */
	char *installed;
	/* Directories' real paths: the manifests', their programs'. */
	struct realdir_cache dirs;
	/* Good manifests by name (ignoring case), by executable, by path. */
	struct htab names, exes, exe_paths;
	struct alias_index *aliases;
	struct sign_trust *trust;
	/* What lstat() said of the components of the manifests' paths. */
	struct pattern_cache *lstats;
	/* Each manifest's bytes, in turn (MANIFEST_MAX_BYTES + 1). */
	unsigned char *buf;
};

/* A file to read, and whether its name is known to be no symlink. */
struct name {
	char *path;
	int not_link;	/* listed from a directory as a regular file */
};

struct names {
	struct name *v;
	size_t n;
};

static int names_add(struct names *l, char *s, int not_link)
{
	struct name *grown = NULL;

	/* Doubling at powers of two: appending n names costs O(n). */
	if (s && !(l->n & (l->n - 1)))
		grown = realloc(l->v, (l->n ? l->n * 2 : 1) * sizeof(*grown));
	else if (s)
		grown = l->v;
	if (!grown) {
		free(s);
		return -1;
	}
	l->v = grown;
	l->v[l->n].path = s;
	l->v[l->n++].not_link = not_link;
	return 0;
}

static int is_manifest_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' &&
	       ((n > 4 && !strcmp(e->d_name + n - 4, ".yml")) ||
		(n > 5 && !strcmp(e->d_name + n - 5, ".yaml")));
}

/*
 * Name order: alphasort()'s, strcoll() in the C locale (the tool never
 * sets another), without strcoll()'s cost.
 */
static int name_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int expand_dir(const char *dir, struct names *files, struct deps *deps,
		      struct diag *d)
{
	struct dirent **list;
	int n;

	/* Its entries: a file added, removed or renamed changes its times. */
	deps_path(deps, dir, DEPS_FOLLOW | DEPS_CONTENT);
	n = scandir(dir, &list, is_manifest_name, name_order);

	if (n < 0) {
		diag_file(d, dir, "cannot list: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *path = NULL;

		if (asprintf(&path, "%s/%s", dir, list[i]->d_name) < 0)
			path = NULL;
		names_add(files, path, list[i]->d_type == DT_REG);
		free(list[i]);
	}
	free(list);
	return 0;
}

/*
 * Read @fd to its end into @buf, at most @max bytes: how many, or -1.
 * Every byte read is fed to @r (the cache's digest is of these bytes).
 */
static ssize_t read_all(int fd, unsigned char *buf, size_t max, struct deps_read *r)
{
	size_t len = 0;

	while (len < max) {
		ssize_t n = deps_read(r, fd, buf + len, max - len);

		if (n < 0)
			return -1;
		if (!n)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

/*
 * Open @file for reading, recorded in @deps (@r: the digest of what is
 * read): O_NONBLOCK for the open alone (a FIFO must not hang it), then
 * refused unless a regular file. The descriptor, or -1 (said).
 */
static int open_regular(const char *file, struct deps *deps, struct deps_read *r,
			struct diag *d)
{
	int fd = deps_open_read(deps, file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, r);
	struct stat st;
	int flags;

	if (fd < 0) {
		diag_file(d, file, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		diag_file(d, file, "cannot read: %s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_file(d, file, "not a regular file: refused (a manifest is a file read whole)");
		goto fail;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)) {
		diag_file(d, file, "cannot read: %s", strerror(errno));
		goto fail;
	}
	return fd;
fail:
	deps_read_done(r, 0);
	close(fd);
	return -1;
}

/* Read @file into @buf (MANIFEST_MAX_BYTES + 1 bytes): 0, or -1 (said). */
static int read_file_into(const char *file, unsigned char *buf, size_t *len,
			  struct deps *deps, struct diag *d)
{
	struct deps_read r;
	int fd = open_regular(file, deps, &r, d);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read_all(fd, buf, MANIFEST_MAX_BYTES + 1, &r);
	if (n < 0)
		diag_file(d, file, "cannot read: %s", strerror(errno));
	/* Past 1 MiB the read stopped short of the end: no digest, not cached. */
	deps_read_done(&r, n >= 0 && (size_t)n <= MANIFEST_MAX_BYTES);
	close(fd);
	if (n < 0)
		return -1;
	*len = (size_t)n;
	if (*len > MANIFEST_MAX_BYTES) {
		diag_file(d, file, "larger than 1 MiB: not a manifest");
		return -1;
	}
	return 0;
}

unsigned char *input_read_file(const char *file, size_t *len, struct diag *d)
{
	unsigned char *buf = malloc(MANIFEST_MAX_BYTES + 1);

	if (!buf) {
		diag_file(d, file, "cannot read: %s", strerror(errno));
		return NULL;
	}
	if (read_file_into(file, buf, len, NULL, d)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * The directory of @file's real path (symlinks resolved): a manifest
 * linked into the manifests directory still resolves relative names
 * beside its program.
 */
static char *real_dir_in(const char *file, struct deps *deps, struct diag *d)
{
	char *real = deps_realpath(deps, file), *dir;

	if (!real) {
		diag_file(d, file, "cannot resolve its path: %s", strerror(errno));
		return NULL;
	}
	dir = strdup(dirname(real));
	free(real);
	return dir;
}

char *input_real_dir(const char *file, struct diag *d)
{
	return real_dir_in(file, NULL, d);
}

/*
 * input_real_dir() for a run: a file a directory listed as no symlink
 * lies in that directory's real path, resolved once for all its files.
 */
static char *real_dir_of(struct input_run *run, const struct name *f,
			 struct diag *d)
{
	char *real, *dir;

	if (!f->not_link)
		return real_dir_in(f->path, run->o->deps, d);
	real = realdir_join(&run->dirs, f->path);
	if (!real)
		return real_dir_in(f->path, run->o->deps, d);
	dir = strdup(dirname(real));
	free(real);
	return dir;
}

static int read_one(struct input_run *run, const struct name *f,
		    struct manifest *m, struct diag *d)
{
	const struct input_options *o = run->o;
	const char *file = f->path;
	char keyid[SIGN_KEYID_LEN + 1], *dir = NULL;
	struct manifest_source src = {
		.file = file, .mounts = o->mounts, .blocks = o->blocks,
		.lstats = run->lstats, .deps = o->deps,
	};
	unsigned char *buf = run->buf;
	size_t len = 0;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	if (read_file_into(file, buf, &len, o->deps, d))
		goto out;
	if (!o->allow_unsigned) {
		if (!run->trust)
			run->trust = sign_trust_new_in(o->trust_dir, o->deps);
		if (!run->trust || sign_verify_in(run->trust, file, buf, len, keyid, d))
			goto out;
	}
	dir = real_dir_of(run, f, d);
	if (!dir)
		goto out;
	src.dir = dir;
	src.installed_in = run->installed && !strcmp(run->installed, dir) ?
			   run->installed : NULL;
	ret = manifest_parse(&src, buf, len, m, d);
out:
	if (!m->file)
		m->file = strdup(file);
	free(dir);
	return ret;
}

static int good(const struct input_file *f)
{
	return f->ok || f->kept;
}

/*
 * Is @m's name taken by an earlier good manifest? Names are compared
 * ignoring case: webServer and webserver are two spellings of one name
 * for whoever types 'charter mode --manifest NAME'. Good manifests have
 * names of their own, so at most one earlier one can match; the table
 * keeps manifests that were refused since, which are skipped.
 */
static int name_taken(struct input_run *run, const struct input_file *files,
		      size_t i, struct diag *d)
{
	const struct manifest *m = &files[i].m;
	struct htab_iter it;
	size_t j;

	if (!m->name)
		return 0;
	htab_find(&run->names, htab_hash_str_nocase(m->name), &it);
	while (htab_next(&it, &j)) {
		const struct manifest *other = &files[j].m;

		if (!good(&files[j]) || strcasecmp(m->name, other->name))
			continue;
		diag_at(d, m->file, m->name_at.line, m->name_at.col,
			"name '%s' is already the name of %s:%zu:%zu ('%s'): each manifest needs its own name%s",
			m->name, other->file, other->name_at.line, other->name_at.col,
			other->name, strcmp(m->name, other->name) ?
			" (names differing only in case count as the same)" : "");
		return 1;
	}
	return 0;
}

/* Does @m's run name its file where it lies (no symlink on the way)? */
static int names_where_it_lies(const struct manifest *m)
{
	return m->exe_path && !strcmp(m->run, m->exe_path);
}

static uint64_t exe_hash(const struct manifest *m)
{
	uint64_t h = htab_hash_bytes(HTAB_SEED, m->exe_sha256, 32);

	return htab_hash_bytes(h, &m->exe_size, sizeof(m->exe_size));
}

/*
 * The earlier good manifest of the same executable (@by_exe) or of the
 * same path: good manifests share neither, so there is at most one of
 * each. SIZE_MAX when there is none.
 */
static size_t claimant(struct input_run *run, const struct input_file *files,
		       size_t i, int by_exe)
{
	const struct manifest *m = &files[i].m;
	struct htab_iter it;
	size_t j;

	if (!by_exe && !m->exe_path)
		return SIZE_MAX;
	htab_find(by_exe ? &run->exes : &run->exe_paths,
		  by_exe ? exe_hash(m) : htab_hash_str(m->exe_path), &it);
	while (htab_next(&it, &j)) {
		const struct manifest *other = &files[j].m;

		if (!good(&files[j]) || !other->identified)
			continue;
		if (by_exe ? other->exe_size == m->exe_size &&
			     !memcmp(other->exe_sha256, m->exe_sha256, 32) :
			     other->exe_path && !strcmp(other->exe_path, m->exe_path))
			return j;
	}
	return SIZE_MAX;
}

/*
 * Settle @m's claim against the earlier good manifest @j of the same
 * executable or file: 1 when @m loses, 0 when @j does (refused after the
 * fact: its ok and kept cleared).
 */
static int contest(struct input_file *files, size_t i, size_t j, struct diag *d)
{
	const struct manifest *m = &files[i].m;
	const struct manifest *other = &files[j].m;
	const struct manifest *loser = m;
	const struct manifest *winner = other;
	int same_exe, same_path;

	same_exe = other->exe_size == m->exe_size &&
		   !memcmp(other->exe_sha256, m->exe_sha256, 32);
	same_path = other->exe_path && m->exe_path &&
		    !strcmp(other->exe_path, m->exe_path);
	if (same_path && names_where_it_lies(m) && !names_where_it_lies(other)) {
		loser = other;
		winner = m;
	}
	diag_at(d, loser->file, loser->run_at.line, loser->run_at.col,
		same_exe ? "'%s' is the same executable as '%s' of %s: one executable, one manifest"
			 : "'%s' is the same file as '%s' of %s: one file, one manifest",
		loser->run, winner->run, winner->file);
	if (loser == m)
		return 1;
	files[j].ok = 0;
	files[j].kept = 0;
	return 0;
}

/*
 * Is @m's program, or the file at its run path, already claimed by an
 * earlier good manifest? One file has one manifest: the kernel holds a
 * changed binary at a run path to the manifest of that path. When two
 * claim one file, the one that names it where it lies keeps it, whatever
 * the order: a confined program that may write where another manifest's
 * run lies must not take that manifest's file over with a symlink (the
 * other manifest would then be refused at the next load, and its
 * programs moved to this one). An earlier manifest that loses is refused
 * here (its ok and kept cleared). The earlier claimants are settled in
 * their order, as a comparison with each earlier manifest would.
 */
static int program_taken(struct input_run *run, struct input_file *files,
			 size_t i, struct diag *d)
{
	size_t by_exe, by_path, first, second;

	if (!files[i].m.identified)
		return 0;
	by_exe = claimant(run, files, i, 1);
	by_path = claimant(run, files, i, 0);
	first = by_exe < by_path ? by_exe : by_path;
	second = by_exe < by_path ? by_path : by_exe;
	if (first != SIZE_MAX && contest(files, i, first, d))
		return 1;
	return second != first && second != SIZE_MAX && contest(files, i, second, d);
}

/* Remember good manifest @i by name, executable and path. -1: no memory. */
static int claim(struct input_run *run, const struct input_file *files, size_t i)
{
	const struct manifest *m = &files[i].m;
	int bad = 0;

	if (m->name)
		bad |= htab_add(&run->names, htab_hash_str_nocase(m->name), i);
	if (m->identified)
		bad |= htab_add(&run->exes, exe_hash(m), i);
	if (m->identified && m->exe_path)
		bad |= htab_add(&run->exe_paths, htab_hash_str(m->exe_path), i);
	return bad;
}

static int expand_args(char *const *args, size_t nargs, struct names *files,
		       struct deps *deps, struct diag *d)
{
	int bad = 0;

	for (size_t i = 0; i < nargs; i++) {
		struct stat st;

		if (!deps_stat(deps, args[i], &st) && S_ISDIR(st.st_mode))
			bad |= expand_dir(args[i], files, deps, d);
		else
			bad |= names_add(files, strdup(args[i]), 0);
	}
	return bad;
}

static void run_free(struct input_run *run)
{
	free(run->installed);
	realdir_free(&run->dirs);
	htab_free(&run->names);
	htab_free(&run->exes);
	htab_free(&run->exe_paths);
	alias_index_free(run->aliases);
	sign_trust_free(run->trust);
	pattern_cache_free(run->lstats);
	free(run->buf);
}

/* Read, identify and judge file @i of @names into @files[i]. -1: no memory. */
static int judge(struct input_run *run, const struct names *names,
		 struct input_file *files, size_t i, int identify,
		 struct diag *d)
{
	struct input_file *f = &files[i];

	f->ok = !read_one(run, &names->v[i], &f->m, d);
	if (f->ok && identify) {
		f->ok = !compile_identify_in(&f->m, 1, &run->dirs, d);
		f->kept = f->m.stale;
	}
	if (f->ok || f->kept) {
		int unique = !name_taken(run, files, i, d) &&
			     !program_taken(run, files, i, d);

		f->ok &= unique;
		f->kept &= unique;
		if (unique && claim(run, files, i))
			return -1;
	}
	if (f->ok && identify) {
		if (!run->aliases)
			run->aliases = alias_index_new_in(NULL, run->o->deps);
		if (!run->aliases)
			return -1;
		alias_warn(run->aliases, &f->m, d);
	}
	return 0;
}

int input_read_each(char *const *args, size_t nargs,
		    const struct input_options *o, int identify,
		    struct input_file **out, size_t *count, struct diag *d)
{
	struct input_run run = { .o = o };
	struct names names = { 0 };
	struct input_file *files;
	int bad = expand_args(args, nargs, &names, o->deps, d);

	files = calloc(names.n ? names.n : 1, sizeof(*files));
	if (files && names.n) {
		run.installed = deps_realpath(o->deps, o->manifest_dir ? o->manifest_dir :
					      INPUT_MANIFEST_DIR);
		run.dirs.deps = o->deps;
		/* Without it (no memory), paths are resolved uncached. */
		run.lstats = pattern_cache_new_in(o->deps);
		if (!run.lstats)
			deps_uncacheable(o->deps, "out of memory");
		run.buf = malloc(MANIFEST_MAX_BYTES + 1);
	}
	if (files && names.n && !run.buf) {
		free(files);
		files = NULL;
	}
	for (size_t i = 0; files && i < names.n; i++)
		bad |= judge(&run, &names, files, i, identify, d);
	*count = files ? names.n : 0;
	for (size_t i = 0; i < names.n; i++)
		free(names.v[i].path);
	free(names.v);
	run_free(&run);
	*out = files;
	return files && !bad ? 0 : -1;
}

void input_free_each(struct input_file *files, size_t count)
{
	for (size_t i = 0; files && i < count; i++)
		manifest_free(&files[i].m);
	free(files);
}

int input_read(char *const *args, size_t nargs, const struct input_options *o,
	       struct manifest **out, size_t *count, struct diag *d)
{
	struct input_file *files = NULL;
	struct manifest *ms;
	size_t n = 0;
	int bad = input_read_each(args, nargs, o, 0, &files, &n, d);

	ms = calloc(n ? n : 1, sizeof(*ms));
	for (size_t i = 0; i < n; i++) {
		bad |= !files[i].ok;
		if (ms)
			ms[i] = files[i].m;
		else
			manifest_free(&files[i].m);
	}
	free(files);
	*count = n;
	if (bad || !ms) {
		input_free(ms, n);
		*count = 0;
		return -1;
	}
	*out = ms;
	return 0;
}

void input_free(struct manifest *ms, size_t count)
{
	for (size_t i = 0; ms && i < count; i++)
		manifest_free(&ms[i]);
	free(ms);
}
