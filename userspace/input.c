// SPDX-License-Identifier: GPL-2.0
/*
 * Input: manifest files and directories -> verified, parsed manifests.
 * Each file is read once; its signature is checked over those bytes and
 * the same bytes are parsed, so nothing can change in between.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "compile.h"
#include "input.h"
#include "sign.h"

#define MANIFEST_MAX_BYTES (1 << 20)

struct names {
	char **v;
	size_t n;
};

static int names_add(struct names *l, char *s)
{
	char **grown = realloc(l->v, (l->n + 1) * sizeof(*grown));

	if (!grown || !s) {
		free(s);
		return -1;
	}
	l->v = grown;
	l->v[l->n++] = s;
	return 0;
}

static int is_manifest_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' &&
	       ((n > 4 && !strcmp(e->d_name + n - 4, ".yml")) ||
		(n > 5 && !strcmp(e->d_name + n - 5, ".yaml")));
}

static int expand_dir(const char *dir, struct names *files, struct diag *d)
{
	struct dirent **list;
	int n = scandir(dir, &list, is_manifest_name, alphasort);

	if (n < 0) {
		diag_file(d, dir, "cannot list: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *path = NULL;

		if (asprintf(&path, "%s/%s", dir, list[i]->d_name) < 0)
			path = NULL;
		names_add(files, path);
		free(list[i]);
	}
	free(list);
	return 0;
}

unsigned char *input_read_file(const char *file, size_t *len, struct diag *d)
{
	unsigned char *buf = malloc(MANIFEST_MAX_BYTES + 1);
	FILE *f = fopen(file, "rb");

	if (!f || !buf) {
		diag_file(d, file, "cannot read: %s", strerror(errno));
		goto fail;
	}
	*len = fread(buf, 1, MANIFEST_MAX_BYTES + 1, f);
	if (ferror(f)) {
		diag_file(d, file, "cannot read: %s", strerror(errno));
		goto fail;
	}
	if (*len > MANIFEST_MAX_BYTES) {
		diag_file(d, file, "larger than 1 MiB: not a manifest");
		goto fail;
	}
	fclose(f);
	return buf;
fail:
	if (f)
		fclose(f);
	free(buf);
	return NULL;
}

/*
 * The directory of @file's real path (symlinks resolved): a manifest
 * linked into the manifests directory still resolves relative names
 * beside its program.
 */
char *input_real_dir(const char *file, struct diag *d)
{
	char *real = realpath(file, NULL), *dir;

	if (!real) {
		diag_file(d, file, "cannot resolve its path: %s", strerror(errno));
		return NULL;
	}
	dir = strdup(dirname(real));
	free(real);
	return dir;
}

static int read_one(const char *file, const struct input_options *o,
		    struct manifest *m, struct diag *d)
{
	char keyid[SIGN_KEYID_LEN + 1], *dir = NULL, *installed = NULL;
	struct manifest_source src = {
		.file = file, .mounts = o->mounts, .blocks = o->blocks,
	};
	unsigned char *buf;
	size_t len = 0;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	buf = input_read_file(file, &len, d);
	if (!buf)
		goto out;
	if (!o->allow_unsigned &&
	    sign_verify(file, buf, len, o->trust_dir, keyid, d))
		goto out;
	dir = input_real_dir(file, d);
	if (!dir)
		goto out;
	installed = realpath(o->manifest_dir ? o->manifest_dir : INPUT_MANIFEST_DIR, NULL);
	src.dir = dir;
	src.installed_in = installed && !strcmp(installed, dir) ? installed : NULL;
	ret = manifest_parse(&src, buf, len, m, d);
out:
	if (!m->file)
		m->file = strdup(file);
	free(buf);
	free(dir);
	free(installed);
	return ret;
}

/*
 * Is @m's name taken by an earlier good manifest? Names are compared
 * ignoring case: webServer and webserver are two spellings of one name
 * for whoever types 'charter mode --manifest NAME'.
 */
static int name_taken(const struct input_file *files, size_t i, struct diag *d)
{
	const struct manifest *m = &files[i].m;

	for (size_t j = 0; m->name && j < i; j++) {
		const struct manifest *other = &files[j].m;

		if (!(files[j].ok || files[j].kept) || !other->name || strcasecmp(m->name, other->name))
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

/*
 * Is @m's program, or the file at its run path, already claimed by an
 * earlier good manifest? One file has one manifest: the kernel holds a
 * changed binary at a run path to the manifest of that path. When two
 * claim one file, the one that names it where it lies keeps it, whatever
 * the order: a confined program that may write where another manifest's
 * run lies must not take that manifest's file over with a symlink (the
 * other manifest would then be refused at the next load, and its
 * programs moved to this one). An earlier manifest that loses is refused
 * here (its ok and kept cleared).
 */
static int program_taken(struct input_file *files, size_t i, struct diag *d)
{
	const struct manifest *m = &files[i].m;

	for (size_t j = 0; m->identified && j < i; j++) {
		const struct manifest *other = &files[j].m;
		const struct manifest *loser = m;
		const struct manifest *winner = other;
		int same_exe, same_path;

		if (!(files[j].ok || files[j].kept) || !other->identified)
			continue;
		same_exe = other->exe_size == m->exe_size &&
			   !memcmp(other->exe_sha256, m->exe_sha256, 32);
		same_path = other->exe_path && m->exe_path &&
			    !strcmp(other->exe_path, m->exe_path);
		if (!same_exe && !same_path)
			continue;
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
	}
	return 0;
}

static int expand_args(char *const *args, size_t nargs, struct names *files,
		       struct diag *d)
{
	int bad = 0;

	for (size_t i = 0; i < nargs; i++) {
		struct stat st;

		if (!stat(args[i], &st) && S_ISDIR(st.st_mode))
			bad |= expand_dir(args[i], files, d);
		else
			bad |= names_add(files, strdup(args[i]));
	}
	return bad;
}

int input_read_each(char *const *args, size_t nargs,
		    const struct input_options *o, int identify,
		    struct input_file **out, size_t *count, struct diag *d)
{
	struct names names = { 0 };
	struct input_file *files;
	int bad = expand_args(args, nargs, &names, d);

	files = calloc(names.n ? names.n : 1, sizeof(*files));
	for (size_t i = 0; files && i < names.n; i++) {
		struct input_file *f = &files[i];

		f->ok = !read_one(names.v[i], o, &f->m, d);
		if (f->ok && identify) {
			f->ok = !compile_identify(&f->m, 1, d);
			f->kept = f->m.stale;
		}
		if (f->ok || f->kept) {
			int unique = !name_taken(files, i, d) && !program_taken(files, i, d);

			f->ok &= unique;
			f->kept &= unique;
		}
		if (f->ok && identify)
			input_warn_aliases(&f->m, NULL, d);
	}
	*count = files ? names.n : 0;
	for (size_t i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
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
