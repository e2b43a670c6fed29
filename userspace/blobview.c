// SPDX-License-Identifier: GPL-2.0
/*
 * A binary policy read back and checked (see blobview.h). The checks are
 * the kernel's (kmod/blob.c) for structure only: patterns and addresses
 * are not judged here, the kernel judges them again when it is loaded.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <stdlib.h>
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

long blob_find_manifest(const struct blob_view *v, const char *name)
{
	for (uint32_t i = 0; i < v->manifest_count; i++)
		if (!strcmp(blob_string(v, v->manifests[i].name), name))
			return i;
	return -1;
}

/* A copy of a string of the blob; NULL for the empty string. */
static char *blob_strdup(const struct blob_view *v, uint32_t le_off, int *oom)
{
	const char *s = blob_string(v, le_off);
	char *copy;

	if (!s || !*s)
		return NULL;
	copy = strdup(s);
	*oom |= !copy;
	return copy;
}

/* Rules @k and @k + 1 (of those before @end): what "ip: localhost" compiles to? */
static int is_localhost_pair(const struct blob_view *v, uint32_t k, uint32_t end)
{
	static const uint8_t v4_loopback[16] = { 127 };
	static const uint8_t v6_loopback[16] = { [15] = 1 };
	const struct charter_blob_net_rule *a = &v->nets[k], *b = a + 1;

	return k + 1 < end && a->family == CHARTER_FAMILY_INET && a->prefix == 8 &&
	       !memcmp(a->addr, v4_loopback, 16) && b->family == CHARTER_FAMILY_INET6 &&
	       b->prefix == 128 && !memcmp(b->addr, v6_loopback, 16) &&
	       a->direction == b->direction && a->protocol == b->protocol &&
	       a->port_min == b->port_min && a->port_max == b->port_max &&
	       !strcmp(blob_string(v, a->name), blob_string(v, b->name));
}

/* The network rules [@first, @first + @count) of @v as the manifest wrote them. */
static int nets_from_blob(const struct blob_view *v, uint32_t first, uint32_t count,
			  struct manifest *m)
{
	int oom = 0;

	m->nets = calloc(count ? count : 1, sizeof(*m->nets));
	if (!m->nets)
		return -1;
	for (uint32_t k = first; k < first + count; k++) {
		const struct charter_blob_net_rule *r = &v->nets[k];
		struct manifest_net *n = &m->nets[m->net_count++];

		n->name = blob_strdup(v, r->name, &oom);
		n->direction = r->direction;
		n->protocol = r->protocol;
		n->port_min = ntohs(r->port_min);
		n->port_max = ntohs(r->port_max);
		if (is_localhost_pair(v, k, first + count)) {
			n->scope = NET_LOCALHOST;
			k++;
		} else if (r->family == CHARTER_FAMILY_ANY) {
			n->scope = NET_ANY;
		} else {
			n->scope = NET_ADDR;
			n->family = r->family;
			n->prefix = r->prefix;
			memcpy(n->addr, r->addr, sizeof(n->addr));
		}
	}
	return oom ? -1 : 0;
}

/* The path rules of @bm, baseline ones dropped (they set m->baseline). */
static int paths_from_blob(const struct blob_view *v,
			   const struct charter_blob_manifest *bm, struct manifest *m)
{
	uint32_t first = le32toh(bm->path_first), count = le32toh(bm->path_count);
	int oom = 0;

	m->paths = calloc(count ? count : 1, sizeof(*m->paths));
	if (!m->paths)
		return -1;
	for (uint32_t k = first; k < first + count; k++) {
		const struct charter_blob_path_rule *r = &v->paths[k];
		struct manifest_path *p;

		if (r->flags & CHARTER_PATH_BASELINE) {
			m->baseline = 1;
			continue;
		}
		p = &m->paths[m->path_count++];
		p->name = blob_strdup(v, r->name, &oom);
		p->pattern = blob_strdup(v, r->pattern, &oom);
		p->access = r->access;
	}
	return oom ? -1 : 0;
}

int blob_view_manifest(const struct blob_view *v, uint32_t i, const char *label,
		       struct manifest *m)
{
	const struct charter_blob_manifest *bm = &v->manifests[i];
	uint32_t flags = le32toh(bm->flags);
	int oom = 0;

	memset(m, 0, sizeof(*m));
	m->file = strdup(label);
	m->name = blob_strdup(v, bm->name, &oom);
	m->author = blob_strdup(v, bm->author, &oom);
	m->exe_path = blob_strdup(v, bm->run, &oom);
	/* run as written: the alias when it went through a symlink. */
	m->run = blob_strdup(v, *blob_string(v, bm->run_alias) ? bm->run_alias : bm->run,
			     &oom);
	m->has_hash = !!(flags & CHARTER_MANIFEST_PINNED);
	if (m->has_hash)
		memcpy(m->hash, bm->sha256, sizeof(m->hash));
	m->learning = !!(flags & CHARTER_MANIFEST_LEARN);
	m->identified = 1;
	memcpy(m->exe_sha256, bm->sha256, sizeof(m->exe_sha256));
	m->exe_size = le64toh(bm->exe_size);
	m->devices = le32toh(bm->devices);
	if (oom || !m->file || paths_from_blob(v, bm, m) ||
	    nets_from_blob(v, le32toh(bm->net_first), le32toh(bm->net_count), m)) {
		manifest_free(m);
		return -1;
	}
	return 0;
}

static int strings_same(const struct blob_view *a, uint32_t x,
			const struct blob_view *b, uint32_t y)
{
	return !strcmp(blob_string(a, x), blob_string(b, y));
}

static int path_rules_same(const struct blob_view *a, const struct charter_blob_path_rule *p,
			   const struct blob_view *b, const struct charter_blob_path_rule *q)
{
	return strings_same(a, p->pattern, b, q->pattern) &&
	       strings_same(a, p->name, b, q->name) && p->prefix_len == q->prefix_len &&
	       p->access == q->access && p->flags == q->flags;
}

static int net_rules_same(const struct blob_view *a, const struct charter_blob_net_rule *p,
			  const struct blob_view *b, const struct charter_blob_net_rule *q)
{
	return strings_same(a, p->name, b, q->name) && p->family == q->family &&
	       p->prefix == q->prefix && p->direction == q->direction &&
	       p->protocol == q->protocol && p->port_min == q->port_min &&
	       p->port_max == q->port_max && !memcmp(p->addr, q->addr, sizeof(p->addr));
}

int blob_manifest_same(const struct blob_view *a, uint32_t i,
		       const struct blob_view *b, uint32_t j)
{
	const struct charter_blob_manifest *x = &a->manifests[i], *y = &b->manifests[j];
	uint32_t xp = le32toh(x->path_first), yp = le32toh(y->path_first);
	uint32_t xn = le32toh(x->net_first), yn = le32toh(y->net_first);

	if (memcmp(x->sha256, y->sha256, sizeof(x->sha256)) || x->exe_size != y->exe_size ||
	    x->devices != y->devices || x->flags != y->flags ||
	    x->path_count != y->path_count || x->net_count != y->net_count ||
	    !strings_same(a, x->name, b, y->name) || !strings_same(a, x->author, b, y->author) ||
	    !strings_same(a, x->run, b, y->run) || !strings_same(a, x->run_alias, b, y->run_alias))
		return 0;
	for (uint32_t k = 0; k < le32toh(x->path_count); k++)
		if (!path_rules_same(a, &a->paths[xp + k], b, &b->paths[yp + k]))
			return 0;
	for (uint32_t k = 0; k < le32toh(x->net_count); k++)
		if (!net_rules_same(a, &a->nets[xn + k], b, &b->nets[yn + k]))
			return 0;
	return 1;
}
