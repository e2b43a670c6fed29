/* SPDX-License-Identifier: GPL-2.0 */
/* Path patterns: normalisation, glob grammar, UNC shares. */
#ifndef CHARTER_PATTERN_H
#define CHARTER_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/* Lexically normalise @path (absolute, or relative to @base). */
char *pattern_normalise(const char *base, const char *path);

/*
 * Check a normalised pattern against the grammar of uapi/charter.h and
 * compute its glob-free prefix length. 0, or -1 with a reason in *why.
 */
int pattern_check(const char *pattern, uint16_t *prefix_len, const char **why);

/* Resolve symlinks in the glob-free prefix when it exists. New string. */
char *pattern_resolve(const char *pattern);

/*
 * Map a UNC path (\\server\share\dir\...) to where that CIFS share is
 * mounted according to the mount table @mounts (/proc/self/mounts format).
 * Returns a new absolute path, or NULL with a message in @why (static or
 * in @buf of @buflen bytes).
 */
char *pattern_from_unc(const char *unc, const char *mounts, char *buf,
		       size_t buflen);

#endif
