// SPDX-License-Identifier: GPL-2.0
/* Real paths of directories, remembered: see realdir.h. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "realdir.h"

const char *realdir_get(struct realdir_cache *c, const char *dir)
{
	uint64_t hash = htab_hash_str(dir);
	struct realdir_entry *e;
	struct htab_iter it;
	size_t i;
	char *real;

	for (htab_find(&c->index, hash, &it); htab_next(&it, &i); )
		if (!strcmp(c->v[i].dir, dir))
			return c->v[i].real;
	real = deps_realpath(c->deps, dir);
	if (!real)
		return NULL;
	if (c->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct realdir_entry *grown = realloc(c->v, cap * sizeof(*grown));

		if (!grown)
			goto oom;
		c->v = grown;
		c->cap = cap;
	}
	e = &c->v[c->count];
	e->dir = strdup(dir);
	e->real = real;
	if (!e->dir || htab_add(&c->index, hash, c->count)) {
		free(e->dir);
		goto oom;
	}
	c->count++;
	return real;
oom:
	/* The caller falls back to realpath(). */
	free(real);
	return NULL;
}

char *realdir_join(struct realdir_cache *c, const char *path)
{
	const char *slash = strrchr(path, '/'), *base, *real;
	char *dir, *out = NULL;

	if (!slash || !slash[1])
		return NULL;
	base = slash + 1;
	if (!strcmp(base, ".") || !strcmp(base, ".."))
		return NULL;
	dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
	if (!dir)
		return NULL;
	real = realdir_get(c, dir);
	free(dir);
	if (real) {
		size_t rlen = strcmp(real, "/") ? strlen(real) : 0, blen = strlen(base);

		out = malloc(rlen + blen + 2);
		if (out) {
			memcpy(out, real, rlen);
			out[rlen] = '/';
			memcpy(out + rlen + 1, base, blen + 1);
		}
	}
	return out;
}

void realdir_free(struct realdir_cache *c)
{
	for (size_t i = 0; i < c->count; i++) {
		free(c->v[i].dir);
		free(c->v[i].real);
	}
	free(c->v);
	htab_free(&c->index);
	c->v = NULL;
	c->count = c->cap = 0;
	memset(&c->index, 0, sizeof(c->index));
}
