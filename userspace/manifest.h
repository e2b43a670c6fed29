/* SPDX-License-Identifier: GPL-2.0 */
/* A manifest as written, read from YAML (manifestVersion v1 subset). */
#ifndef CHARTER_MANIFEST_H
#define CHARTER_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct manifest_dir {
	char *name;
	char *path;		/* absolute and normalised, no trailing slash */
	uint32_t access;	/* CHARTER_ACCESS_* */
};

struct manifest {
	char *file;		/* where it was read from */
	char *author;
	char *name;
	char *run;		/* absolute, resolved against the manifest's dir */
	int has_hash;
	uint8_t hash[32];
	struct manifest_dir *dirs;
	size_t dir_count;
};

/* 0 when @m is complete; otherwise -1 and every problem is in @d. */
int manifest_parse_file(const char *file, struct manifest *m, struct diag *d);
int manifest_parse_buffer(const char *file, const char *dir,
			  const unsigned char *buf, size_t len,
			  struct manifest *m, struct diag *d);
void manifest_free(struct manifest *m);

/* Normalise @path (absolute, or relative to @base) into a new string. */
char *manifest_normalise_path(const char *base, const char *path);

#endif
