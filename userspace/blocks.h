/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building blocks: shared, reviewed sets of rules a manifest names with
 * use:. A block is a YAML file NAME.yml holding block: NAME, a
 * description: and the allowedDirectories, allowedNetwork and
 * allowedDevices sections of a manifest; its rules compile to ordinary
 * rules named NAME/ENTRY. Documentation/manifest.rst, "Building blocks".
 */
#ifndef CHARTER_BLOCKS_H
#define CHARTER_BLOCKS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"
#include "manifest.h"

/* The administrator's blocks, searched before the shipped ones. */
#define BLOCKS_LOCAL_DIR "/etc/charter/blocks"
/* The blocks shipped with charter (blocks/ in the source tree). */
#define BLOCKS_SHIPPED_DIR "/usr/share/charter/blocks"
/* A block's name is a manifest name of at most this many bytes. */
#define BLOCK_NAME_MAX 64
/* Search directories: the --blocks ones, then the two above. */
#define BLOCKS_MAX_DIRS 34

/* Where blocks are looked for. */
struct block_search {
	const char *const *dirs;	/* searched first, in order (--blocks) */
	size_t dir_count;
	int no_defaults;		/* skip BLOCKS_LOCAL_DIR and BLOCKS_SHIPPED_DIR */
};

/* One block, read for one manifest (${name} substituted). */
struct block {
	char *name;
	char *description;
	char *file;			/* where it was read from */
	struct manifest_path *paths;	/* named NAME/ENTRY, .block = name */
	size_t path_count;
	struct manifest_net *nets;	/* likewise */
	size_t net_count;
	uint32_t devices;		/* CHARTER_DEV_BIT() mask */
};

/* 1 if @name may name a block: manifest_name_valid(), BLOCK_NAME_MAX. */
int block_name_valid(const char *name);

/*
 * The directories @s searches, in order, into @out (at most
 * BLOCKS_MAX_DIRS; @s NULL: the defaults). Returns how many.
 */
size_t blocks_dirs(const struct block_search *s, const char **out);

/*
 * May the file at @path be trusted as a block by a tool running as
 * @euid? It (symlinks resolved) and every directory above it must belong
 * to root (or to @euid when that is not root) and not be writable by
 * group or others; a directory above the block's own may instead have
 * the sticky bit (/tmp). 0, or -1 with the reason in @why.
 */
int block_file_trusted(const char *path, uid_t euid, char *why, size_t whylen);

/*
 * Find block @name (NAME.yml in the first directory of @s's search path
 * that has it), check that it may be trusted, read it and parse it for
 * the manifest named @manifest_name (NULL when it has none: ${name} is
 * then refused), UNC paths against mount table @mounts. 0; 1 when no
 * directory has it; -1 with every problem in @d (the block file's own
 * file:line:column). @b is to be block_free()d in every case.
 */
int block_load(const struct block_search *s, const char *name,
	       const char *manifest_name, const char *mounts, struct block *b,
	       struct diag *d);
/*
 * block_load() for a manifest being read from @from: its mount table,
 * lstat() cache and recorder of paths (deps.h) serve the block too.
 */
int block_load_in(const struct block_search *s, const char *name,
		  const char *manifest_name, const struct manifest_source *from,
		  struct block *b, struct diag *d);
void block_free(struct block *b);

/*
 * The names of the blocks @s's search path holds (valid NAME.yml files),
 * sorted, each once. 0, or -1 when out of memory. blocks_list_free().
 */
int blocks_list(const struct block_search *s, char ***names, size_t *count);
void blocks_list_free(char **names, size_t count);

#endif
