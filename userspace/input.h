/* SPDX-License-Identifier: GPL-2.0 */
/* Manifest files and directories -> verified, parsed manifests. */
#ifndef CHARTER_INPUT_H
#define CHARTER_INPUT_H

#include <stddef.h>

#include "diag.h"
#include "manifest.h"

struct input_options {
	const char *trust_dir;	/* public keys (*.pub) */
	int allow_unsigned;	/* skip signature checks */
	const char *mounts;	/* mount table, for UNC paths */
};

/*
 * Read the manifests named by @args: files, or directories whose *.yml and
 * *.yaml files are taken in name order. Unless allow_unsigned, each file's
 * signature is checked first, over the very bytes then parsed. Every
 * problem of every file is in @d; 0 only when all are good.
 */
int input_read(char *const *args, size_t nargs, const struct input_options *o,
	       struct manifest **out, size_t *count, struct diag *d);
void input_free(struct manifest *ms, size_t count);

/* A manifest file's bytes (at most 1 MiB), or NULL with the reason in @d. */
unsigned char *input_read_file(const char *file, size_t *len, struct diag *d);

#endif
