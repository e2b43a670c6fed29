// SPDX-License-Identifier: GPL-2.0
/*
 * Building blocks: finding a block file in the search path, deciding
 * whether it may be trusted, reading it. The parsing is the manifest
 * reader's (manifest_parse_block()): a block's sections are a manifest's.
 *
 * Trust: a block changes what every manifest using it grants, and a
 * manifest's signature does not cover it. So a block file, and every
 * directory above it, must be changeable by root only (or, when the tool
 * runs as another user, by that user): otherwise whoever could write it
 * could widen every confined program that uses it.
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
#include <sys/stat.h>
#include <unistd.h>

#include "blocks.h"
#include "deps.h"

/* A block file is small: a few dozen rules. */
#define BLOCK_MAX_BYTES (256 * 1024)

int block_name_valid(const char *name)
{
	return manifest_name_valid(name) && strlen(name) <= BLOCK_NAME_MAX;
}

size_t blocks_dirs(const struct block_search *s, const char **out)
{
	size_t n = 0;

	for (size_t i = 0; s && i < s->dir_count && n < BLOCKS_MAX_DIRS - 2; i++)
		out[n++] = s->dirs[i];
	if (!s || !s->no_defaults) {
		out[n++] = BLOCKS_LOCAL_DIR;
		out[n++] = BLOCKS_SHIPPED_DIR;
	}
	return n;
}

/* Is @st owned by a trusted user: root, or @euid? */
static int trusted_owner(const struct stat *st, uid_t euid)
{
	return st->st_uid == 0 || st->st_uid == euid;
}

/*
 * Check one component of a block file's real path: the file itself
 * (@what "file"), its own directory ("directory") or one above it
 * ("parent directory", where the sticky bit suffices: nobody else may
 * then rename or remove what root owns in it).
 */
static int component_trusted(const char *path, const struct stat *st, uid_t euid,
			     const char *what, int sticky_ok, char *why, size_t whylen)
{
	unsigned int mode = st->st_mode & 07777;

	if (!trusted_owner(st, euid)) {
		snprintf(why, whylen, "%s %s is owned by uid %u, not %s", what, path,
			 (unsigned int)st->st_uid, euid ? "root or you" : "root");
		return -1;
	}
	if ((mode & 022) && !(sticky_ok && (mode & S_ISVTX))) {
		snprintf(why, whylen, "%s %s is writable by %s (mode %04o)", what, path,
			 mode & 002 ? "others" : "its group", mode);
		return -1;
	}
	return 0;
}

/*
 * block_file_trusted(), the paths it looks at recorded in @deps: the
 * owners and modes it judges are part of each record.
 */
static int file_trusted_in(const char *path, uid_t euid, struct deps *deps,
			   char *why, size_t whylen)
{
	char *real = deps_realpath(deps, path), *slash;
	struct stat st;
	int ret = -1;

	if (!real) {
		snprintf(why, whylen, "cannot resolve %s: %s", path, strerror(errno));
		return -1;
	}
	if (deps_stat(deps, real, &st) || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s is not a regular file", real);
		goto out;
	}
	if (component_trusted(real, &st, euid, "file", 0, why, whylen))
		goto out;
	for (int depth = 0; (slash = strrchr(real, '/')); depth++) {
		slash[slash == real] = '\0';	/* "/x" -> "/", "/" stays */
		if (deps_stat(deps, real, &st)) {
			snprintf(why, whylen, "cannot stat %s: %s", real, strerror(errno));
			goto out;
		}
		if (component_trusted(real, &st, euid, depth ? "parent directory" : "directory",
				      depth > 0, why, whylen))
			goto out;
		if (!strcmp(real, "/"))
			break;
	}
	ret = 0;
out:
	free(real);
	return ret;
}

int block_file_trusted(const char *path, uid_t euid, char *why, size_t whylen)
{
	return file_trusted_in(path, euid, NULL, why, whylen);
}

/*
 * The first NAME.yml in @s's search path: 0 with the path in *@file, 1
 * when there is none, -1 when a directory could not be searched (@why).
 */
static int block_find(const struct block_search *s, const char *name, char **file,
		      struct deps *deps, char *why, size_t whylen)
{
	const char *dirs[BLOCKS_MAX_DIRS];
	size_t count = blocks_dirs(s, dirs);
	struct stat st;

	for (size_t i = 0; i < count; i++) {
		char *path = NULL;

		if (asprintf(&path, "%s/%s.yml", dirs[i], name) < 0)
			return -1;
		/* Recorded when absent too: a block appearing earlier in the path. */
		if (!deps_stat(deps, path, &st)) {
			*file = path;
			return 0;
		}
		if (errno != ENOENT && errno != ENOTDIR) {
			snprintf(why, whylen, "cannot look for %s: %s", path, strerror(errno));
			*file = path;
			return -1;
		}
		free(path);
	}
	return 1;
}

/*
 * The bytes of the block at @real, checked again through the open file:
 * the file read is the one found trusted (same device and inode).
 */
static unsigned char *read_trusted(const char *file, size_t *len, struct deps *deps,
				   struct diag *d)
{
	char *real = deps_realpath(deps, file);
	struct stat before, after;
	unsigned char *buf = NULL;
	struct deps_read r = { .rec = 0 };
	ssize_t n = 0;
	int fd = -1;

	/* The digest the cache keeps: of the bytes read below (deps_read()). */
	if (!real || stat(real, &before) ||
	    (fd = deps_open_read(deps, real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, &r)) < 0 ||
	    fstat(fd, &after)) {
		diag_file(d, file, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (before.st_dev != after.st_dev || before.st_ino != after.st_ino) {
		diag_file(d, file, "changed while it was read: refused");
		goto out;
	}
	buf = malloc(BLOCK_MAX_BYTES + 1);
	*len = 0;
	while (buf && *len <= BLOCK_MAX_BYTES &&
	       (n = deps_read(&r, fd, buf + *len, BLOCK_MAX_BYTES + 1 - *len)) > 0)
		*len += (size_t)n;
	/* Read to its end (n == 0), or no digest and nothing cached. */
	deps_read_done(&r, buf && n == 0 && *len <= BLOCK_MAX_BYTES);
	if (!buf || n < 0 || *len > BLOCK_MAX_BYTES) {
		diag_file(d, file, "%s", !buf ? "out of memory" : n < 0 ? strerror(errno) :
			  "larger than 256 KiB: not a block");
		free(buf);
		buf = NULL;
	}
out:
	deps_read_done(&r, 0);
	if (fd >= 0)
		close(fd);
	free(real);
	return buf;
}

int block_load(const struct block_search *s, const char *name,
	       const char *manifest_name, const char *mounts, struct block *b,
	       struct diag *d)
{
	struct manifest_source from = { .mounts = mounts };

	return block_load_in(s, name, manifest_name, &from, b, d);
}

int block_load_in(const struct block_search *s, const char *name,
		  const char *manifest_name, const struct manifest_source *from,
		  struct block *b, struct diag *d)
{
	struct manifest_source src = {
		.mounts = from->mounts, .lstats = from->lstats, .deps = from->deps,
	};
	char why[PATH_MAX + 128] = "", *dir;
	unsigned char *buf;
	size_t len = 0;
	int found, ret;

	memset(b, 0, sizeof(*b));
	if (!block_name_valid(name))
		return 1;
	found = block_find(s, name, &b->file, from->deps, why, sizeof(why));
	if (found) {
		if (found < 0)
			diag_file(d, b->file ? b->file : name, "%s", why);
		return found;
	}
	if (file_trusted_in(b->file, geteuid(), from->deps, why, sizeof(why))) {
		diag_file(d, b->file, "refused: %s: a block changes what every manifest using it grants, and no signature covers it, so it and the directories above it must be changeable by root only",
			  why);
		return -1;
	}
	buf = read_trusted(b->file, &len, from->deps, d);
	if (!buf)
		return -1;
	dir = strdup(b->file);
	src.file = b->file;
	src.dir = dir ? dirname(dir) : "/";
	ret = manifest_parse_block(&src, buf, len, name, manifest_name, b, d);
	free(dir);
	free(buf);
	return ret;
}

void block_free(struct block *b)
{
	for (size_t i = 0; i < b->path_count; i++) {
		free(b->paths[i].name);
		free(b->paths[i].pattern);
	}
	for (size_t i = 0; i < b->net_count; i++)
		free(b->nets[i].name);
	free(b->paths);
	free(b->nets);
	free(b->name);
	free(b->description);
	free(b->file);
	memset(b, 0, sizeof(*b));
}

/* Add the block names of directory @dir to @names (not yet there). */
static int list_dir(const char *dir, char ***names, size_t *count)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int ret = 0;

	while (dp && !ret && (e = readdir(dp))) {
		size_t n = strlen(e->d_name), i;
		char **grown;

		if (n <= 4 || strcmp(e->d_name + n - 4, ".yml"))
			continue;
		e->d_name[n - 4] = '\0';
		if (!block_name_valid(e->d_name))
			continue;
		for (i = 0; i < *count && strcmp((*names)[i], e->d_name); i++)
			;
		if (i < *count)
			continue;
		grown = realloc(*names, (*count + 1) * sizeof(*grown));
		if (grown)
			*names = grown;
		if (!grown || !(grown[*count] = strdup(e->d_name)))
			ret = -1;
		else
			++*count;
	}
	if (dp)
		closedir(dp);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int blocks_list(const struct block_search *s, char ***names, size_t *count)
{
	const char *dirs[BLOCKS_MAX_DIRS];
	size_t ndirs = blocks_dirs(s, dirs);
	int ret = 0;

	*names = NULL;
	*count = 0;
	for (size_t i = 0; i < ndirs && !ret; i++)
		ret = list_dir(dirs[i], names, count);
	if (*count)
		qsort(*names, *count, sizeof(**names), cmp_names);
	return ret;
}

void blocks_list_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}
