/* SPDX-License-Identifier: GPL-2.0 */
/* Manifests -> binary policy blob (uapi/charter.h). */
#ifndef CHARTER_COMPILE_H
#define CHARTER_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "manifest.h"

/* SHA-256 and size of a file; -errno on failure. */
int sha256_file(const char *path, uint8_t digest[32], uint64_t *size);
/*
 * sha256_file(), @path recorded in @deps (NULL: none) with the digest the
 * cache keeps taken of the very bytes hashed (deps_open_read()).
 */
struct deps;
int sha256_file_in(struct deps *deps, const char *path, uint8_t digest[32], uint64_t *size);

/* @digest as 64 lowercase hex digits and a NUL in @out. */
void sha256_hex(const uint8_t digest[32], char out[65]);

/*
 * Identify @m's program, once: open run, check that it is a regular,
 * file, hash it (exe_sha256, exe_size) and compare a pinned hash. 0, or
 * -1 with the problem (expected and actual hash) in @d. With @warn, a
 * file without an x bit is a warning in @d.
 */
int compile_identify(struct manifest *m, int warn, struct diag *d);

/*
 * compile_identify(), run's directory resolved through @dirs (NULL: none):
 * for many manifests whose programs share directories.
 */
struct realdir_cache;
int compile_identify_in(struct manifest *m, int warn, struct realdir_cache *dirs,
			struct diag *d);

/*
 * Compile @count manifests into one blob (malloc'd, *len bytes). Hashes
 * each manifest's executable; returns -1 with the problems in @d. The
 * same manifests and executables always give the same bytes.
 */
int compile_blob(const struct manifest *ms, size_t count, struct diag *d,
		 uint8_t **blob, size_t *len);

/* compile_blob(), each path looked at recorded in @deps (NULL: none). */
struct deps;
int compile_blob_in(const struct manifest *ms, size_t count, struct deps *deps,
		    struct diag *d, uint8_t **blob, size_t *len);

struct blob_view;

/*
 * A manifest to drop from a loaded policy: the one of @name, and when
 * @sha256 is set only while it is still for that executable (@sha256,
 * @exe_size) with @flags set: charter learn removes its own learning
 * manifest, never one an administrator loaded under that name meanwhile.
 */
struct merge_drop {
	const char *name;
	const uint8_t *sha256;	/* CHARTER_SHA256_LEN bytes, or NULL */
	uint64_t exe_size;
	uint32_t flags;		/* CHARTER_MANIFEST_* it must have */
};

/*
 * The policy @base (NULL: none) with @add's manifests added and the
 * manifests @drop names removed; rules are copied as they are. With
 * @replace, an added manifest replaces @base's of its name; without, a
 * manifest of that name in @base is an error. The result must still have
 * one manifest per executable and per run path. A new blob in *@blob, or
 * -1 with the problems in @d.
 */
int compile_merge(const struct blob_view *base, const struct blob_view *add,
		  const struct merge_drop *drop, size_t ndrop, int replace,
		  struct diag *d, uint8_t **blob, size_t *len);

#endif
