/* SPDX-License-Identifier: GPL-2.0 */
/* Manifest files and directories -> verified, parsed manifests. */
#ifndef CHARTER_INPUT_H
#define CHARTER_INPUT_H

#include <stddef.h>

#include "deps.h"
#include "diag.h"
#include "manifest.h"

struct input_options {
	const char *trust_dir;	/* public keys (*.pub) */
	int allow_unsigned;	/* skip signature checks */
	const char *mounts;	/* mount table, for UNC paths */
	/* Manifests lying here need absolute names (default INPUT_MANIFEST_DIR). */
	const char *manifest_dir;
	/* Where use: finds blocks (NULL: the default search path). */
	const struct block_search *blocks;
	/* Records every path the read looks at (cache.h), or NULL. */
	struct deps *deps;
};

/* Where 'charter load' finds manifests by default (main.c's too). */
#define INPUT_MANIFEST_DIR "/etc/charter/manifests.d"

/* One manifest file and its fate. */
struct input_file {
	int ok;			/* read, verified, and its name (and program) unique */
	/*
	 * Refused only because run no longer matches its pinned hash
	 * (m.stale): load keeps it, so the kernel refuses to run the file.
	 */
	int kept;
	struct manifest m;	/* m.file is always set */
};

/*
 * Read every manifest named by @args (files, or directories' *.yml and
 * *.yaml in name order) on its own: one bad file does not stop the
 * others. A file is refused (ok = 0) when it cannot be read, verified or
 * parsed, or when an earlier good file has its name (compared ignoring
 * case). With @identify, also when its program cannot be identified
 * (compile_identify()) or an earlier good file is for the same program;
 * then warnings say when the program has other names
 * (input_warn_aliases()). Every problem is in @d. -1 only when the
 * arguments themselves could not be listed or memory ran out.
 */
int input_read_each(char *const *args, size_t nargs,
		    const struct input_options *o, int identify,
		    struct input_file **files, size_t *count, struct diag *d);
void input_free_each(struct input_file *files, size_t count);

/*
 * Warn (in @d, at run's position) when @m's identified program is known
 * by other names, since the kernel knows it by content only: hard links,
 * symlinks or copies in @dirs (NULL: /usr/bin, /bin, /usr/sbin, /sbin,
 * /usr/local/bin), or when it is a shell or an interpreter.
 */
void input_warn_aliases(const struct manifest *m, const char *const *dirs,
			struct diag *d);

/*
 * The same for many manifests: the directories are read once, at the
 * first alias_warn(), and each file of them is hashed at most once (only
 * when a program has its size). @dirs (NULL: the default ones) must
 * outlive the index. NULL when out of memory.
 */
struct alias_index;
struct alias_index *alias_index_new(const char *const *dirs);
/* The same, what the warnings depend on recorded in @deps (deps.h). */
struct alias_index *alias_index_new_in(const char *const *dirs, struct deps *deps);
void alias_warn(struct alias_index *ix, const struct manifest *m, struct diag *d);
void alias_index_free(struct alias_index *ix);

/*
 * Read the manifests named by @args: files, or directories whose *.yml and
 * *.yaml files are taken in name order. Unless allow_unsigned, each file's
 * signature is checked first, over the very bytes then parsed. Every
 * problem of every file is in @d; 0 only when all are good, and no two
 * share a name.
 */
int input_read(char *const *args, size_t nargs, const struct input_options *o,
	       struct manifest **out, size_t *count, struct diag *d);
void input_free(struct manifest *ms, size_t count);

/*
 * The directory @file really lies in (symlinks resolved), malloc'd: where
 * a relative run or path of it is resolved. NULL with the reason in @d.
 */
char *input_real_dir(const char *file, struct diag *d);

/* A manifest file's bytes (at most 1 MiB), or NULL with the reason in @d. */
unsigned char *input_read_file(const char *file, size_t *len, struct diag *d);

#endif
