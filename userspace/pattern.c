// SPDX-License-Identifier: GPL-2.0
/*
 * Path patterns as the kernel matches them (grammar in uapi/charter.h):
 * lexical normalisation, the glob grammar, symlinks in the literal part,
 * and UNC paths mapped to where their CIFS share is mounted.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deps.h"
#include "htab.h"
#include "pattern.h"
#include "uapi/charter.h"

/* Add component @c (@n bytes) of a path to @out (@len bytes): new length. */
static size_t add_component(char *out, size_t len, const char *c, size_t n)
{
	if (n == 1 && c[0] == '.')
		return len;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		/* Back to before the last '/'. */
		while (len && out[len - 1] != '/')
			len--;
		return len ? len - 1 : 0;
	}
	out[len++] = '/';
	memcpy(out + len, c, n);
	return len + n;
}

static size_t add_components(char *out, size_t len, const char *path)
{
	while (*path) {
		size_t n = strcspn(path, "/");

		if (n)
			len = add_component(out, len, path, n);
		path += n;
		path += *path == '/';
	}
	return len;
}

char *pattern_normalise(const char *base, const char *path)
{
	size_t cap = strlen(base) + strlen(path) + 3, len = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	if (path[0] != '/')
		len = add_components(out, len, base);
	len = add_components(out, len, path);
	if (!len)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

int pattern_check(const char *pattern, uint16_t *prefix_len, const char **why)
{
	size_t len = strlen(pattern);
	const char *c = pattern;
	int glob_seen = 0;

	*why = NULL;
	if (len > CHARTER_PATTERN_MAX) {
		*why = "longer than 4095 bytes";
		return -1;
	}
	if (pattern[0] != '/') {
		*why = "not absolute";
		return -1;
	}
	*prefix_len = (uint16_t)len;
	if (len == 1)
		return 0;
	*prefix_len = 0;
	while (*c == '/' && c[1]) {
		const char *b = c + 1, *e = strchrnul(b, '/');
		size_t n = (size_t)(e - b);
		int glob = 0;

		if (!n || (n == 1 && b[0] == '.') ||
		    (n == 2 && b[0] == '.' && b[1] == '.')) {
			*why = "empty, '.' or '..' component";
			return -1;
		}
		for (const char *p = b; p < e; p++) {
			glob |= *p == '*' || *p == '?';
			if (p[0] == '*' && p + 1 < e && p[1] == '*' && n != 2) {
				*why = "'**' must be a whole path component";
				return -1;
			}
		}
		glob_seen |= glob;
		if (!glob_seen)
			*prefix_len = (uint16_t)(e - pattern);
		c = e;
	}
	if (*c) {
		*why = "trailing '/'";
		return -1;
	}
	return 0;
}

int pattern_names_process(const char *path)
{
	static const char *const dev_links[] = {
		"/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr",
	};
	const char *pid, *end;

	/* Most paths are neither: the walk asks for every component. */
	if (strncmp(path, "/dev/", 5) && strncmp(path, "/proc/", 6))
		return 0;
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
		size_t n = strlen(dev_links[i]);

		if (!strncmp(path, dev_links[i], n) && (!path[n] || path[n] == '/'))
			return 1;
	}
	if (strncmp(path, "/proc/", 6))
		return 0;
	pid = path + 6;
	end = strchrnul(pid, '/');
	if ((end - pid == 4 && !strncmp(pid, "self", 4)) ||
	    (end - pid == 11 && !strncmp(pid, "thread-self", 11)))
		return 1;
	if (end == pid)
		return 0;
	for (const char *c = pid; c < end; c++)
		if (!isdigit((unsigned char)*c))
			return 0;
	return 1;
}

#define PATTERN_MAX_LINKS 40

char *pattern_join(const char *a, const char *b, size_t blen)
{
	size_t alen = strlen(a);
	char *out = malloc(alen + blen + 2);

	if (out) {
		memcpy(out, a, alen);
		out[alen] = '/';
		memcpy(out + alen + 1, b, blen);
		out[alen + 1 + blen] = '\0';
	}
	return out;
}

/* What lstat() said of a path, remembered (see struct pattern_cache). */
struct lstat_entry {
	char *path;
	int err;		/* lstat()'s errno, or 0 */
	struct stat st;
};

struct pattern_cache {
	struct htab index;
	struct lstat_entry *v;
	size_t count, cap;
	struct deps *deps;	/* records each path looked at, or NULL */
};

struct pattern_cache *pattern_cache_new(void)
{
	return calloc(1, sizeof(struct pattern_cache));
}

struct pattern_cache *pattern_cache_new_in(struct deps *deps)
{
	struct pattern_cache *c = pattern_cache_new();

	if (c)
		c->deps = deps;
	return c;
}

void pattern_cache_free(struct pattern_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->count; i++)
		free(c->v[i].path);
	free(c->v);
	htab_free(&c->index);
	free(c);
}

static void cache_add(struct pattern_cache *c, const char *path, uint64_t hash,
		      int err, const struct stat *st)
{
	struct lstat_entry *e;

	if (c->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct lstat_entry *grown = realloc(c->v, cap * sizeof(*grown));

		if (!grown)
			return;
		c->v = grown;
		c->cap = cap;
	}
	e = &c->v[c->count];
	e->path = strdup(path);
	e->err = err;
	e->st = *st;
	if (!e->path || htab_add(&c->index, hash, c->count)) {
		free(e->path);
		return;
	}
	c->count++;
}

/* lstat(@path), through @c when there is one: 0, or -1 with errno set. */
static int cached_lstat(struct pattern_cache *c, const char *path, struct stat *st)
{
	uint64_t hash;
	struct htab_iter it;
	size_t i;
	int err;

	if (!c)
		return lstat(path, st);
	hash = htab_hash_str(path);
	for (htab_find(&c->index, hash, &it); htab_next(&it, &i); ) {
		if (strcmp(c->v[i].path, path))
			continue;
		*st = c->v[i].st;
		errno = c->v[i].err;
		return c->v[i].err ? -1 : 0;
	}
	memset(st, 0, sizeof(*st));
	/* A symlink's target is read only after this: its record covers it. */
	err = deps_lstat(c->deps, path, st) ? errno : 0;
	cache_add(c, path, hash, err, st);
	errno = err;
	return err ? -1 : 0;
}

/* Replace *@todo by @head followed by @tail (which lies in *@todo). */
static int set_todo(char **todo, const char *head, const char *tail)
{
	size_t hlen = strlen(head), tlen = strlen(tail);
	char *moved = malloc(hlen + tlen + 1);

	if (!moved)
		return -1;
	memcpy(moved, head, hlen);
	memcpy(moved + hlen, tail, tlen + 1);
	free(*todo);
	*todo = moved;
	return 0;
}

/*
 * Follow the symlink @link (lstat'ed): its target goes in front of the
 * rest (@tail, in *@todo); an absolute target restarts *@cur at /.
 */
static int follow(const char *link, char **cur, char **todo, const char *tail,
		  struct pattern_walk *w)
{
	char target[PATH_MAX];
	ssize_t len = readlink(link, target, sizeof(target) - 1);

	if (len <= 0 || ++w->links > PATTERN_MAX_LINKS) {
		w->why = "too many symlinks, or one that cannot be read";
		return -1;
	}
	target[len] = '\0';
	if (strpbrk(target, "*?")) {
		/* The kernel would read the target's '*' as a wildcard. */
		w->why = "a symlink on the way points to a name with '*' or '?'";
		return -1;
	}
	if (!w->link && !(w->link = strdup(link)))
		return -1;
	if (target[0] == '/')
		(*cur)[0] = '\0';
	return set_todo(todo, target, tail);
}

/*
 * Walk the components of @todo from @cur ("" for /) as the kernel does:
 * symlinks followed, '..' the real parent. At the first missing component
 * the rest is kept as written; a process's own directory in /proc is
 * never entered (w->process names it). New path in *@out, or -1.
 */
static int walk(char *cur, char *todo, struct pattern_walk *w, char **out)
{
	int done = 0;

	while (cur && todo && !done) {
		char *name = todo + strspn(todo, "/"), *tail = strchrnul(name, '/');
		size_t n = (size_t)(tail - name);
		char *next;
		struct stat st;

		if (!n) {
			done = 1;
		} else if (n == 1 && name[0] == '.') {
			memmove(todo, tail, strlen(tail) + 1);
		} else if (n == 2 && name[0] == '.' && name[1] == '.') {
			next = strrchr(cur, '/');
			*(next ? next : cur) = '\0';
			memmove(todo, tail, strlen(tail) + 1);
		} else if (!(next = pattern_join(cur, name, n))) {
			break;
		} else if (pattern_names_process(next)) {
			w->process = next;
			w->why = "it goes through a process's own directory in /proc";
			break;
		} else if (cached_lstat(w->cache, next, &st)) {
			/* Missing: the rest is literal, as the kernel will see it. */
			free(cur);
			cur = next;
			if (*tail && set_todo(&cur, next, tail))
				break;
			done = 1;
		} else if (!S_ISLNK(st.st_mode)) {
			free(cur);
			cur = next;
			memmove(todo, tail, strlen(tail) + 1);
		} else {
			int bad = follow(next, &cur, &todo, tail, w);

			free(next);
			if (bad)
				break;
		}
	}
	free(todo);
	if (done) {
		*out = cur;
		return 0;
	}
	free(cur);
	return -1;
}

int pattern_walk_in(const char *pattern, struct pattern_cache *cache,
		    struct pattern_walk *w, char **out)
{
	uint16_t prefix_len;
	const char *why;
	char *prefix, *real = NULL;
	size_t real_len, rest_len;

	memset(w, 0, sizeof(*w));
	w->cache = cache;
	*out = NULL;
	if (pattern_check(pattern, &prefix_len, &why) || !prefix_len ||
	    !strcmp(pattern, "/")) {
		*out = strdup(pattern);
		return *out ? 0 : -1;
	}
	prefix = strndup(pattern, prefix_len);
	if (!prefix) {
		w->why = "out of memory";
		return -1;
	}
	if (walk(strdup(""), prefix, w, &real)) {
		if (!w->why)
			w->why = "out of memory";
		return -1;
	}
	if (!real[0] && pattern[prefix_len]) {
		*out = strdup(pattern + prefix_len);
	} else {
		/* The real prefix ("/" for none), then the rest as written. */
		real_len = real[0] ? strlen(real) : 1;
		rest_len = strlen(pattern + prefix_len);
		*out = malloc(real_len + rest_len + 1);
		if (*out) {
			memcpy(*out, real[0] ? real : "/", real_len);
			memcpy(*out + real_len, pattern + prefix_len, rest_len + 1);
		}
	}
	free(real);
	return *out ? 0 : -1;
}

int pattern_walk(const char *pattern, struct pattern_walk *w, char **out)
{
	return pattern_walk_in(pattern, NULL, w, out);
}

void pattern_walk_free(struct pattern_walk *w)
{
	free(w->link);
	free(w->process);
	memset(w, 0, sizeof(*w));
}

char *pattern_resolve(const char *pattern)
{
	return pattern_resolve_in(pattern, NULL);
}

char *pattern_resolve_in(const char *pattern, struct pattern_cache *cache)
{
	struct pattern_walk w;
	char *out;

	if (pattern_walk_in(pattern, cache, &w, &out))
		out = strdup(pattern);
	pattern_walk_free(&w);
	return out;
}

/* Undo the octal escapes (\040 for a space...) of the mount table. */
static void unescape_mount_field(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && isdigit((unsigned char)s[1]) &&
		    isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3])) {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/*
 * Split at '\\' and '/' into non-empty components: their number, or
 * SIZE_MAX when there are more than @max (never a silent cut).
 */
static size_t split_components(char *s, char **out, size_t max)
{
	size_t n = 0;
	char *save = NULL;

	for (char *t = strtok_r(s, "\\/", &save); t;
	     t = strtok_r(NULL, "\\/", &save)) {
		if (n == max)
			return SIZE_MAX;
		out[n++] = t;
	}
	return n;
}

#define UNC_MAX_COMPONENTS 256

/*
 * How many components of @unc (server, share, dirs...) does the mount
 * source @src (//server/share[/dirs]) stand for? 0 when it is another share.
 */
static size_t unc_source_match(char *src, char **unc, size_t unc_n)
{
	char *comp[UNC_MAX_COMPONENTS];
	size_t n;

	if (strncmp(src, "//", 2) && strncmp(src, "\\\\", 2))
		return 0;
	n = split_components(src, comp, UNC_MAX_COMPONENTS);
	if (n < 2 || n == SIZE_MAX || n > unc_n)
		return 0;
	/* SMB names are case-insensitive. */
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(comp[i], unc[i]))
			return 0;
	return n;
}

char *pattern_from_unc(const char *unc, const char *mounts, char *buf,
		       size_t buflen)
{
	char *copy = strdup(unc), *comp[UNC_MAX_COMPONENTS];
	char *best_mnt = NULL, *out = NULL, *line = NULL;
	size_t n, best = 0, cap = 0;
	FILE *f;

	if (!copy)
		return NULL;
	n = split_components(copy + 2, comp, UNC_MAX_COMPONENTS);
	if (n == SIZE_MAX) {
		snprintf(buf, buflen, "UNC path has more than %d components",
			 UNC_MAX_COMPONENTS);
		goto out;
	}
	if (n < 2) {
		snprintf(buf, buflen,
			 "UNC path '%s' must name a server and a share (\\\\server\\share\\...)",
			 unc);
		goto out;
	}
	f = fopen(mounts, "r");
	if (!f) {
		snprintf(buf, buflen, "UNC path '%s': cannot read the mount table %s",
			 unc, mounts);
		goto out;
	}
	/* Whole lines, whole fields: a long line is never read as two. */
	while (getline(&line, &cap, f) > 0) {
		char *src = NULL, *mnt = NULL, *type = NULL;
		size_t m;

		if (sscanf(line, "%ms %ms %ms", &src, &mnt, &type) == 3 &&
		    (!strcmp(type, "cifs") || !strcmp(type, "smb3"))) {
			unescape_mount_field(src);
			unescape_mount_field(mnt);
			m = unc_source_match(src, comp, n);
			if (m > best) {
				best = m;
				free(best_mnt);
				best_mnt = mnt;
				mnt = NULL;
			}
		}
		free(src);
		free(mnt);
		free(type);
	}
	free(line);
	fclose(f);
	if (!best_mnt) {
		snprintf(buf, buflen,
			 "UNC path '%s': the share //%s/%s is not mounted (no cifs mount of it in %s); mount it first, e.g. mount -t cifs //%s/%s /mnt/%s",
			 unc, comp[0], comp[1], mounts, comp[0], comp[1], comp[1]);
		goto out;
	}
	{
		size_t cap = strlen(best_mnt) + strlen(unc) + 2, len;

		out = malloc(cap);
		if (!out)
			goto out;
		len = (size_t)snprintf(out, cap, "%s", best_mnt);
		for (size_t i = best; i < n; i++)
			len += (size_t)snprintf(out + len, cap - len, "/%s", comp[i]);
	}
out:
	free(best_mnt);
	free(copy);
	return out;
}
