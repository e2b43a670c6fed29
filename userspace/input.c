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
#include <sys/stat.h>

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

static int read_one(const char *file, const struct input_options *o,
		    struct manifest *m, struct diag *d)
{
	char keyid[SIGN_KEYID_LEN + 1], *copy = strdup(file), *dir = NULL;
	struct manifest_source src = { .file = file, .mounts = o->mounts };
	unsigned char *buf;
	size_t len = 0;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	buf = input_read_file(file, &len, d);
	if (!buf || !copy)
		goto out;
	if (!o->allow_unsigned &&
	    sign_verify(file, buf, len, o->trust_dir, keyid, d))
		goto out;
	dir = realpath(dirname(copy), NULL);
	if (!dir) {
		diag_file(d, file, "cannot resolve its directory: %s", strerror(errno));
		goto out;
	}
	src.dir = dir;
	ret = manifest_parse(&src, buf, len, m, d);
out:
	free(buf);
	free(copy);
	free(dir);
	return ret;
}

int input_read(char *const *args, size_t nargs, const struct input_options *o,
	       struct manifest **out, size_t *count, struct diag *d)
{
	struct names files = { 0 };
	struct manifest *ms = NULL;
	int bad = 0;

	for (size_t i = 0; i < nargs; i++) {
		struct stat st;

		if (!stat(args[i], &st) && S_ISDIR(st.st_mode))
			bad |= expand_dir(args[i], &files, d);
		else
			bad |= names_add(&files, strdup(args[i]));
	}
	ms = calloc(files.n ? files.n : 1, sizeof(*ms));
	if (!ms)
		bad = -1;
	for (size_t i = 0; ms && i < files.n; i++)
		bad |= read_one(files.v[i], o, &ms[i], d);
	*count = files.n;
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	if (bad) {
		input_free(ms, *count);
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
