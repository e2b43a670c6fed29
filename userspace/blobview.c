// SPDX-License-Identifier: GPL-2.0
/*
 * A binary policy read back and checked (see blobview.h). The checks are
 * the kernel's (kmod/blob.c) for structure only: patterns and addresses
 * are not judged here, the kernel judges them again when it is loaded.
 */
#include <endian.h>
#include <string.h>

#include "blobview.h"

static int section_ok(const struct blob_view *v, const struct charter_blob_section *s,
		      size_t entry)
{
	uint64_t off = le32toh(s->off), bytes = (uint64_t)le32toh(s->count) * entry;

	return !bytes || (off % CHARTER_BLOB_ALIGN == 0 &&
			  off >= sizeof(struct charter_blob_header) &&
			  off + bytes <= v->len);
}

const char *blob_string(const struct blob_view *v, uint32_t le_off)
{
	uint32_t off = le32toh(le_off);

	if (off >= v->strings_len || !memchr(v->strings + off, 0, v->strings_len - off))
		return NULL;
	return v->strings + off;
}

static int manifest_ok(const struct blob_view *v, const struct charter_blob_manifest *m)
{
	uint64_t pf = le32toh(m->path_first), pc = le32toh(m->path_count);
	uint64_t nf = le32toh(m->net_first), nc = le32toh(m->net_count);

	if (!blob_string(v, m->name) || !blob_string(v, m->author) ||
	    !blob_string(v, m->run) || !blob_string(v, m->run_alias) ||
	    pf + pc > v->path_count || nf + nc > v->net_count)
		return 0;
	for (uint64_t i = pf; i < pf + pc; i++)
		if (!blob_string(v, v->paths[i].pattern) || !blob_string(v, v->paths[i].name))
			return 0;
	for (uint64_t i = nf; i < nf + nc; i++)
		if (!blob_string(v, v->nets[i].name))
			return 0;
	return 1;
}

int blob_view_open(struct blob_view *v, const uint8_t *blob, size_t len, struct diag *d)
{
	const struct charter_blob_header *h = (const void *)blob;

	memset(v, 0, sizeof(*v));
	v->blob = blob;
	v->len = len;
	if (len < sizeof(*h) || le32toh(h->magic) != CHARTER_BLOB_MAGIC ||
	    le16toh(h->version) != CHARTER_BLOB_VERSION ||
	    le16toh(h->header_len) != sizeof(*h) || le32toh(h->total_len) != len) {
		diag_file(d, "blob", "not a charter policy of version %d", CHARTER_BLOB_VERSION);
		return -1;
	}
	if (!section_ok(v, &h->manifests, sizeof(struct charter_blob_manifest)) ||
	    !section_ok(v, &h->path_rules, sizeof(struct charter_blob_path_rule)) ||
	    !section_ok(v, &h->net_rules, sizeof(struct charter_blob_net_rule)) ||
	    !section_ok(v, &h->strings, 1)) {
		diag_file(d, "blob", "section out of bounds or misaligned");
		return -1;
	}
	v->header = h;
	v->strings = (const char *)blob + le32toh(h->strings.off);
	v->strings_len = le32toh(h->strings.count);
	if (v->strings_len && v->strings[v->strings_len - 1]) {
		diag_file(d, "blob", "string section does not end with NUL");
		return -1;
	}
	v->manifests = (const void *)(blob + le32toh(h->manifests.off));
	v->manifest_count = le32toh(h->manifests.count);
	v->paths = (const void *)(blob + le32toh(h->path_rules.off));
	v->path_count = le32toh(h->path_rules.count);
	v->nets = (const void *)(blob + le32toh(h->net_rules.off));
	v->net_count = le32toh(h->net_rules.count);
	for (uint32_t i = 0; i < v->manifest_count; i++) {
		if (!manifest_ok(v, &v->manifests[i])) {
			diag_file(d, "blob", "manifest record %u out of range", i);
			return -1;
		}
	}
	return 0;
}
