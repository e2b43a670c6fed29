/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real paths of directories, remembered for one run of the tool: the
 * manifests of a directory, and the programs of /usr/bin or /opt/gen,
 * share their directory, and realpath() costs a system call for every
 * component of every path it resolves.
 */
#ifndef CHARTER_REALDIR_H
#define CHARTER_REALDIR_H

#include <stddef.h>

#include "deps.h"
#include "htab.h"

struct realdir_entry {
	char *dir;		/* as asked */
	char *real;		/* realpath(dir) */
};

struct realdir_cache {
	struct htab index;
	struct realdir_entry *v;
	size_t count, cap;
	struct deps *deps;	/* records what is resolved (deps.h), or NULL */
};

/*
 * realpath(@dir), resolved once per cache; the string belongs to @c.
 * NULL (errno set) when it cannot be resolved: that is not remembered.
 */
const char *realdir_get(struct realdir_cache *c, const char *dir);

/*
 * The real path of @path whose last component the caller knows is no
 * symlink (it opened it with O_NOFOLLOW, or readdir said so): the real
 * path of its directory, '/', its last component. Malloc'd; NULL when
 * @path has no such component (no '/', "/", a trailing '/', '.' or '..')
 * or its directory cannot be resolved: then use realpath().
 */
char *realdir_join(struct realdir_cache *c, const char *path);

void realdir_free(struct realdir_cache *c);

#endif
