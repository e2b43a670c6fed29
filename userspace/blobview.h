/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A binary policy (uapi/charter.h) read back: its structure checked as the
 * kernel checks it, so that every offset, range and string a caller
 * follows lies inside the blob. Used by dump (print it) and by the policy
 * editor (compile_merge(): the loaded policy with manifests added,
 * replaced or dropped).
 */
#ifndef CHARTER_BLOBVIEW_H
#define CHARTER_BLOBVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "manifest.h"
#include "uapi/charter.h"

struct blob_view {
	const uint8_t *blob;
	size_t len;
	const struct charter_blob_header *header;
	const struct charter_blob_manifest *manifests;
	uint32_t manifest_count;
	const struct charter_blob_path_rule *paths;
	uint32_t path_count;
	const struct charter_blob_net_rule *nets;
	uint32_t net_count;
	const char *strings;
	uint32_t strings_len;
};

/*
 * Check @blob (@len bytes): header, sections, and in every manifest its
 * rule ranges and every string of it and of its rules. 0, or -1 with the
 * first problem in @d (file "blob").
 */
int blob_view_open(struct blob_view *v, const uint8_t *blob, size_t len,
		   struct diag *d);

/* The string at little-endian offset @le_off; NULL when out of range. */
const char *blob_string(const struct blob_view *v, uint32_t le_off);

/*
 * The index of the manifest named @name, compared byte for byte as the
 * kernel compares names, or -1.
 */
long blob_find_manifest(const struct blob_view *v, const char *name);

/*
 * Manifest @i of @v (opened) as manifest_parse() would have given it, for
 * explain: its own path rules (those of the runtime baseline dropped, and
 * baseline set when there were any), its network rules (the two that
 * "localhost" compiles to made one again), devices, run as the manifest
 * wrote it, the pinned hash and the learning flag; identified, with
 * exe_path, exe_sha256 and exe_size from the record. m->file is a copy of
 * @label. 0, or -1 when out of memory (@m then holds nothing).
 */
int blob_view_manifest(const struct blob_view *v, uint32_t i, const char *label,
		       struct manifest *m);

/*
 * Does manifest @i of @a grant the same as manifest @j of @b, to the same
 * executable: every field, rule and string equal?
 */
int blob_manifest_same(const struct blob_view *a, uint32_t i,
		       const struct blob_view *b, uint32_t j);

#endif
