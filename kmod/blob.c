// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: decode a policy blob from userspace.
 *
 * Nothing here trusts a byte of the blob: every offset, count, string,
 * pattern and rule field is checked before the first use, and the first
 * problem found is named in the netlink extended ack. Only a blob that
 * passes every check becomes a policy; the caller's current policy is
 * untouched otherwise.
 */

#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "learn.h"
#include "match.h"
#include "policy.h"

enum { SEC_MANIFESTS, SEC_PATHS, SEC_NETS, SEC_STRINGS, SEC_COUNT };

struct charter_section {
	u32 off;
	u64 len;		/* bytes */
	u32 count;		/* entries */
};

struct charter_decoder {
	const u8 *blob;
	struct charter_section sec[SEC_COUNT];
	const char *strings;
	u32 strings_len;
	struct netlink_ext_ack *extack;
};

#define charter_reject(d, msg) ({					\
	NL_SET_ERR_MSG((d)->extack, "blob: " msg);		\
	-EINVAL;							\
})

static const size_t charter_entry_size[SEC_COUNT] = {
	[SEC_MANIFESTS] = sizeof(struct charter_blob_manifest),
	[SEC_PATHS] = sizeof(struct charter_blob_path_rule),
	[SEC_NETS] = sizeof(struct charter_blob_net_rule),
	[SEC_STRINGS] = 1,
};

static bool charter_section_valid(const struct charter_section *s,
				  u32 total_len)
{
	if (!s->len)
		return s->off <= total_len;
	return IS_ALIGNED(s->off, CHARTER_BLOB_ALIGN) &&
	       s->off >= sizeof(struct charter_blob_header) &&
	       s->len <= total_len && s->off <= total_len - s->len;
}

static bool charter_sections_overlap(const struct charter_section *a,
				     const struct charter_section *b)
{
	if (!a->len || !b->len)
		return false;
	return a->off < b->off + b->len && b->off < a->off + a->len;
}

static int charter_check_header(struct charter_decoder *d, size_t len)
{
	const struct charter_blob_header *h = (const void *)d->blob;
	const struct charter_blob_section *in[SEC_COUNT] = {
		&h->manifests, &h->path_rules, &h->net_rules, &h->strings,
	};
	int i, j;

	if (le32_to_cpu(h->magic) != CHARTER_BLOB_MAGIC)
		return charter_reject(d, "bad magic");
	if (le16_to_cpu(h->version) != CHARTER_BLOB_VERSION) {
		NL_SET_ERR_MSG(d->extack, "blob: unsupported version");
		return -EPROTO;
	}
	if (le16_to_cpu(h->header_len) != sizeof(*h))
		return charter_reject(d, "bad header length");
	if (le32_to_cpu(h->total_len) != len)
		return charter_reject(d, "total length differs from the attribute's");
	if (h->reserved)
		return charter_reject(d, "reserved header field is not zero");

	for (i = 0; i < SEC_COUNT; i++) {
		struct charter_section *s = &d->sec[i];

		s->off = le32_to_cpu(in[i]->off);
		s->count = le32_to_cpu(in[i]->count);
		s->len = (u64)s->count * charter_entry_size[i];
		if (!charter_section_valid(s, len))
			return charter_reject(d, "section out of bounds or misaligned");
		for (j = 0; j < i; j++)
			if (charter_sections_overlap(s, &d->sec[j]))
				return charter_reject(d, "sections overlap");
	}
	d->strings = (const char *)d->blob + d->sec[SEC_STRINGS].off;
	d->strings_len = d->sec[SEC_STRINGS].count;
	if (d->strings_len && d->strings[d->strings_len - 1])
		return charter_reject(d, "string section does not end with NUL");
	return 0;
}

/* A string offset is valid when the section holds a NUL at or after it. */
static const char *charter_string(const struct charter_decoder *d, __le32 ref)
{
	u32 off = le32_to_cpu(ref);

	if (off >= d->strings_len ||
	    !memchr(d->strings + off, '\0', d->strings_len - off))
		return NULL;
	return d->strings + off;
}

/* A name: a string of at most CHARTER_NAME_MAX bytes. */
static const char *charter_name(const struct charter_decoder *d, __le32 ref)
{
	const char *s = charter_string(d, ref);

	return s && strnlen(s, CHARTER_NAME_MAX + 1) <= CHARTER_NAME_MAX ? s : NULL;
}

/*
 * A run path: empty (none), or absolute and normalised (components
 * separated by one '/', none empty, "." or "..", each at most NAME_MAX
 * bytes, no trailing '/'), at most CHARTER_PATTERN_MAX bytes: the form
 * d_absolute_path() gives an executed file, compared byte for byte.
 */
static bool charter_run_valid(const char *run)
{
	size_t n = strnlen(run, CHARTER_PATTERN_MAX + 1);
	const char *c = run, *end;

	if (!n)
		return true;
	if (n > CHARTER_PATTERN_MAX || run[0] != '/' || run[n - 1] == '/')
		return false;
	while (*c) {
		size_t clen;

		c++;			/* the '/' */
		end = strchrnul(c, '/');
		clen = end - c;
		if (!clen || clen > NAME_MAX ||
		    (clen == 1 && c[0] == '.') ||
		    (clen == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c = end;
	}
	return true;
}

/*
 * The run path, its alias and the flags of a manifest: see struct
 * charter_blob_manifest. An alias goes with a run path.
 */
static int charter_decode_run(struct charter_manifest *m,
			      const struct charter_blob_manifest *in,
			      struct charter_decoder *d)
{
	const char *run = charter_string(d, in->run);
	const char *alias = charter_string(d, in->run_alias);

	m->flags = le32_to_cpu(in->flags);
	if (m->flags & ~CHARTER_MANIFEST_FLAGS)
		return charter_reject(d, "unknown manifest flag");
	/* A pinned hash verifies a program; learning lets it do anything. */
	if ((m->flags & CHARTER_MANIFEST_PINNED) &&
	    (m->flags & CHARTER_MANIFEST_LEARN))
		return charter_reject(d, "a learning manifest cannot pin its hash");
	if (!run || !alias || !charter_run_valid(run) ||
	    !charter_run_valid(alias) || (*alias && !*run))
		return charter_reject(d, "manifest run path out of range or not absolute and normalised");
	m->run = *run ? run : NULL;
	m->run_alias = *alias ? alias : NULL;
	return 0;
}

static const void *charter_entries(const struct charter_decoder *d, int sec)
{
	return d->blob + d->sec[sec].off;
}

static int charter_decode_path_rules(struct charter_policy *p,
				     struct charter_decoder *d)
{
	const struct charter_blob_path_rule *in = charter_entries(d, SEC_PATHS);
	u32 i, count = d->sec[SEC_PATHS].count;

	p->path_rules = kvcalloc(count ?: 1, sizeof(*p->path_rules), GFP_KERNEL);
	if (!p->path_rules)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		struct charter_path_rule *r = &p->path_rules[i];
		u16 prefix_len;

		r->pattern = charter_string(d, in[i].pattern);
		r->name = charter_name(d, in[i].name);
		if (!r->pattern || !r->name)
			return charter_reject(d, "path rule string out of range or name too long");
		if (charter_pattern_check(r->pattern, &prefix_len))
			return charter_reject(d, "path rule pattern is malformed");
		if (le16_to_cpu(in[i].prefix_len) != prefix_len)
			return charter_reject(d, "path rule prefix length is wrong");
		r->prefix_len = prefix_len;
		r->len = strlen(r->pattern);
		r->access = in[i].access;
		r->flags = in[i].flags;
		if (!r->access || (r->access & ~CHARTER_ACCESS_ALL))
			return charter_reject(d, "unknown access right in path rule");
		if (r->flags & ~CHARTER_PATH_FLAGS)
			return charter_reject(d, "unknown flag in path rule");
	}
	return 0;
}

/* Bits of @addr past @prefix must be zero: one rule, one spelling. */
static bool charter_addr_canonical(const u8 *addr, unsigned int prefix)
{
	unsigned int i;

	for (i = prefix / 8; i < 16; i++) {
		u8 keep = i == prefix / 8 ? (u8)(0xff00 >> (prefix % 8)) : 0;

		if (addr[i] & ~keep)
			return false;
	}
	return true;
}

static int charter_decode_net_rules(struct charter_policy *p,
				    struct charter_decoder *d)
{
	const struct charter_blob_net_rule *in = charter_entries(d, SEC_NETS);
	u32 i, count = d->sec[SEC_NETS].count;

	p->net_rules = kvcalloc(count ?: 1, sizeof(*p->net_rules), GFP_KERNEL);
	if (!p->net_rules)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		struct charter_net_rule *r = &p->net_rules[i];
		unsigned int max_prefix;

		r->name = charter_name(d, in[i].name);
		if (!r->name)
			return charter_reject(d, "network rule name out of range or too long");
		r->family = in[i].family;
		r->prefix = in[i].prefix;
		r->direction = in[i].direction;
		r->protocol = in[i].protocol;
		r->port_min = be16_to_cpu(in[i].port_min);
		r->port_max = be16_to_cpu(in[i].port_max);
		memcpy(r->addr, in[i].addr, sizeof(r->addr));
		if (r->family == CHARTER_FAMILY_INET)
			max_prefix = 32;
		else if (r->family == CHARTER_FAMILY_INET6)
			max_prefix = 128;
		else if (r->family == CHARTER_FAMILY_ANY)
			max_prefix = 0;
		else
			return charter_reject(d, "unknown address family in network rule");
		if (r->prefix > max_prefix ||
		    !charter_addr_canonical(r->addr, r->prefix))
			return charter_reject(d, "network rule address or prefix is malformed");
		if (!r->direction || (r->direction & ~CHARTER_NET_DIRECTIONS))
			return charter_reject(d, "unknown direction in network rule");
		if (!r->protocol || (r->protocol & ~CHARTER_PROTOCOLS))
			return charter_reject(d, "unknown protocol in network rule");
		if (r->port_min > r->port_max)
			return charter_reject(d, "network rule port range is empty");
	}
	return 0;
}

/* [first, first + count) inside [0, total)? */
static bool charter_range_valid(u32 first, u32 count, u32 total)
{
	return first <= total && count <= total - first;
}

/*
 * Each manifest gets an index of its rules (ruleindex.c), of a size
 * linear in its rule counts. Manifests whose rule ranges overlap would
 * make those add up to manifests x rules: their counts may add up to the
 * rules of the blob at most (the tool never shares a rule).
 */
static int charter_check_rule_totals(const struct charter_policy *p,
				     struct charter_decoder *d)
{
	u64 paths = 0, nets = 0;
	u32 i;

	for (i = 0; i < p->manifest_count; i++) {
		paths += p->manifests[i].path_count;
		nets += p->manifests[i].net_count;
	}
	if (paths > d->sec[SEC_PATHS].count || nets > d->sec[SEC_NETS].count)
		return charter_reject(d, "manifests share rules");
	return 0;
}

static int charter_decode_manifests(struct charter_policy *p,
				    struct charter_decoder *d)
{
	const struct charter_blob_manifest *in = charter_entries(d, SEC_MANIFESTS);
	u32 i;
	int err;

	p->manifest_count = d->sec[SEC_MANIFESTS].count;
	p->manifests = kvcalloc(p->manifest_count ?: 1, sizeof(*p->manifests),
				GFP_KERNEL);
	if (!p->manifests)
		return -ENOMEM;
	for (i = 0; i < p->manifest_count; i++) {
		struct charter_manifest *m = &p->manifests[i];
		u32 path_first = le32_to_cpu(in[i].path_first);
		u32 net_first = le32_to_cpu(in[i].net_first);

		m->path_count = le32_to_cpu(in[i].path_count);
		m->net_count = le32_to_cpu(in[i].net_count);
		m->devices = le32_to_cpu(in[i].devices);
		err = charter_decode_run(m, &in[i], d);
		if (err)
			return err;
		m->name = charter_name(d, in[i].name);
		m->author = charter_name(d, in[i].author);
		if (!m->name || !*m->name || !m->author)
			return charter_reject(d, "manifest name or author is not a string of 1 to 255 bytes");
		if (!charter_range_valid(path_first, m->path_count,
					 d->sec[SEC_PATHS].count))
			return charter_reject(d, "manifest path rules out of range");
		if (!charter_range_valid(net_first, m->net_count,
					 d->sec[SEC_NETS].count))
			return charter_reject(d, "manifest network rules out of range");
		if (m->devices & ~CHARTER_DEV_ALL)
			return charter_reject(d, "unknown device class in manifest");
		memcpy(m->digest, in[i].sha256, sizeof(m->digest));
		m->exe_size = le64_to_cpu(in[i].exe_size);
		m->path_rules = &p->path_rules[path_first];
		m->net_rules = &p->net_rules[net_first];
	}
	return charter_check_rule_totals(p, d);
}

void charter_policy_release_now(struct charter_policy *p)
{
	charter_learn_release(p);
	kvfree(p->by_size);
	kvfree(p->by_digest);
	kvfree(p->by_run);
	kvfree(p->run_paths);
	kvfree(p->manifests);
	kvfree(p->path_rules);
	kvfree(p->net_rules);
	kvfree(p->rule_index);
	kvfree(p->blob);
	kfree(p);
}

struct charter_policy *charter_blob_decode(const void *data, size_t len,
					   struct netlink_ext_ack *extack)
{
	struct charter_decoder d = { .extack = extack };
	struct charter_policy *p;
	int err;

	if (len < sizeof(struct charter_blob_header)) {
		NL_SET_ERR_MSG(extack, "blob: shorter than its header");
		return ERR_PTR(-EINVAL);
	}
	if (len > CHARTER_BLOB_MAX_LEN) {
		NL_SET_ERR_MSG(extack, "blob: too large");
		return ERR_PTR(-E2BIG);
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	kref_init(&p->ref);
	/* Check and decode our own copy: nothing can change it under us. */
	p->blob = kvmalloc(len, GFP_KERNEL);
	if (!p->blob) {
		err = -ENOMEM;
		goto fail;
	}
	memcpy(p->blob, data, len);
	p->blob_len = len;
	d.blob = p->blob;

	err = charter_check_header(&d, len);
	if (!err)
		err = charter_decode_path_rules(p, &d);
	if (!err)
		err = charter_decode_net_rules(p, &d);
	if (!err)
		err = charter_decode_manifests(p, &d);
	if (!err)
		err = charter_policy_index(p, extack);
	if (!err)
		err = charter_policy_index_rules(p);
	if (err)
		goto fail;
	return p;

fail:
	charter_policy_release_now(p);
	return ERR_PTR(err);
}
