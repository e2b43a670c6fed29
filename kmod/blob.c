// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: decode a policy blob from userspace.
 *
 * Nothing here trusts a byte of the blob: every offset, count and string is
 * checked before the first use, and the first problem found is named in the
 * netlink extended ack. Only a blob that passes every check becomes a
 * policy; the caller's current policy is untouched otherwise.
 */

#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "policy.h"

struct charter_section {
	u32 off;
	u64 len;
};

static bool charter_section_valid(const struct charter_section *s,
				  u32 header_len, u32 total_len)
{
	if (!s->len)
		return s->off <= total_len;
	return IS_ALIGNED(s->off, CHARTER_BLOB_ALIGN) && s->off >= header_len &&
	       s->len <= total_len && s->off <= total_len - s->len;
}

static bool charter_sections_overlap(const struct charter_section *a,
				     const struct charter_section *b)
{
	if (!a->len || !b->len)
		return false;
	return a->off < b->off + b->len && b->off < a->off + a->len;
}

static int charter_check_header(const struct charter_blob_header *h,
				size_t len, struct charter_section *sec,
				struct netlink_ext_ack *extack)
{
	u32 total_len = le32_to_cpu(h->total_len);
	int i, j;

	if (le32_to_cpu(h->magic) != CHARTER_BLOB_MAGIC) {
		NL_SET_ERR_MSG(extack, "charter: blob: bad magic");
		return -EINVAL;
	}
	if (le16_to_cpu(h->version) != CHARTER_BLOB_VERSION) {
		NL_SET_ERR_MSG(extack, "charter: blob: unsupported version");
		return -EPROTO;
	}
	if (le16_to_cpu(h->header_len) != sizeof(*h)) {
		NL_SET_ERR_MSG(extack, "charter: blob: bad header length");
		return -EINVAL;
	}
	if (total_len != len) {
		NL_SET_ERR_MSG(extack,
			       "charter: blob: total length differs from the attribute's");
		return -EINVAL;
	}
	if (h->reserved) {
		NL_SET_ERR_MSG(extack, "charter: blob: reserved header field is not zero");
		return -EINVAL;
	}

	sec[0].off = le32_to_cpu(h->manifests_off);
	sec[0].len = (u64)le32_to_cpu(h->manifest_count) *
		     sizeof(struct charter_blob_manifest);
	sec[1].off = le32_to_cpu(h->rules_off);
	sec[1].len = (u64)le32_to_cpu(h->rule_count) *
		     sizeof(struct charter_blob_dir_rule);
	sec[2].off = le32_to_cpu(h->strings_off);
	sec[2].len = le32_to_cpu(h->strings_len);

	for (i = 0; i < 3; i++) {
		if (!charter_section_valid(&sec[i], sizeof(*h), total_len)) {
			NL_SET_ERR_MSG(extack,
				       "charter: blob: section out of bounds or misaligned");
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (charter_sections_overlap(&sec[i], &sec[j])) {
				NL_SET_ERR_MSG(extack,
					       "charter: blob: sections overlap");
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* A string offset is valid when the section holds a NUL at or after it. */
static const char *charter_string(const char *strings, u32 strings_len,
				  __le32 ref)
{
	u32 off = le32_to_cpu(ref);

	if (off >= strings_len || !memchr(strings + off, '\0', strings_len - off))
		return NULL;
	return strings + off;
}

/* Absolute, no empty, "." or ".." component, no trailing slash but "/". */
static bool charter_path_normalised(const char *path)
{
	const char *c = path;

	if (*c != '/')
		return false;
	if (!c[1])
		return true;
	while (*c == '/') {
		const char *end = strchrnul(c + 1, '/');
		size_t n = end - (c + 1);

		if (!n || (n == 1 && c[1] == '.') ||
		    (n == 2 && c[1] == '.' && c[2] == '.'))
			return false;
		c = end;
	}
	return true;
}

static int charter_decode_rules(struct charter_policy *p, const u8 *blob,
				const struct charter_blob_header *h,
				const char *strings, u32 strings_len,
				struct netlink_ext_ack *extack)
{
	const struct charter_blob_dir_rule *in;
	u32 count = le32_to_cpu(h->rule_count);
	u32 i;

	in = (const void *)(blob + le32_to_cpu(h->rules_off));
	p->rules = kvcalloc(count ?: 1, sizeof(*p->rules), GFP_KERNEL);
	if (!p->rules)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		struct charter_rule *r = &p->rules[i];

		r->path = charter_string(strings, strings_len, in[i].path);
		if (!r->path) {
			NL_SET_ERR_MSG(extack, "charter: blob: rule path is not a string");
			return -EINVAL;
		}
		if (!charter_path_normalised(r->path)) {
			NL_SET_ERR_MSG(extack,
				       "charter: blob: rule path is not absolute and normalised");
			return -EINVAL;
		}
		r->path_len = strlen(r->path);
		r->access = le32_to_cpu(in[i].access);
		if (!r->access || (r->access & ~CHARTER_ACCESS_ALL)) {
			NL_SET_ERR_MSG(extack, "charter: blob: unknown access right in rule");
			return -EINVAL;
		}
	}
	return 0;
}

static int charter_decode_manifests(struct charter_policy *p, const u8 *blob,
				    const struct charter_blob_header *h,
				    const char *strings, u32 strings_len,
				    struct netlink_ext_ack *extack)
{
	const struct charter_blob_manifest *in;
	u32 rule_total = le32_to_cpu(h->rule_count);
	u32 i;

	in = (const void *)(blob + le32_to_cpu(h->manifests_off));
	p->manifest_count = le32_to_cpu(h->manifest_count);
	p->manifests = kvcalloc(p->manifest_count ?: 1, sizeof(*p->manifests),
				GFP_KERNEL);
	if (!p->manifests)
		return -ENOMEM;
	for (i = 0; i < p->manifest_count; i++) {
		struct charter_manifest *m = &p->manifests[i];
		u32 first = le32_to_cpu(in[i].rule_first);
		u32 count = le32_to_cpu(in[i].rule_count);

		if (in[i].reserved) {
			NL_SET_ERR_MSG(extack,
				       "charter: blob: reserved manifest field is not zero");
			return -EINVAL;
		}
		m->name = charter_string(strings, strings_len, in[i].name);
		if (!m->name || !*m->name) {
			NL_SET_ERR_MSG(extack, "charter: blob: manifest name is not a string");
			return -EINVAL;
		}
		if (first > rule_total || count > rule_total - first) {
			NL_SET_ERR_MSG(extack,
				       "charter: blob: manifest rules out of range");
			return -EINVAL;
		}
		memcpy(m->digest, in[i].sha256, sizeof(m->digest));
		m->exe_size = le64_to_cpu(in[i].exe_size);
		m->rules = &p->rules[first];
		m->rule_count = count;
	}
	return 0;
}

static void charter_policy_free_parts(struct charter_policy *p)
{
	kvfree(p->by_size);
	kvfree(p->by_digest);
	kvfree(p->manifests);
	kvfree(p->rules);
	kvfree(p->blob);
	kfree(p);
}

struct charter_policy *charter_blob_decode(const void *data, size_t len,
					   struct netlink_ext_ack *extack)
{
	struct charter_section sec[3];
	const struct charter_blob_header *h;
	struct charter_policy *p;
	const char *strings;
	u32 strings_len;
	int err;

	if (len < sizeof(*h)) {
		NL_SET_ERR_MSG(extack, "charter: blob: shorter than its header");
		return ERR_PTR(-EINVAL);
	}
	if (len > CHARTER_BLOB_MAX_LEN) {
		NL_SET_ERR_MSG(extack, "charter: blob: too large");
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
	h = p->blob;
	err = charter_check_header(h, len, sec, extack);
	if (err)
		goto fail;
	strings = (const char *)p->blob + sec[2].off;
	strings_len = sec[2].len;
	if (strings_len && strings[strings_len - 1]) {
		NL_SET_ERR_MSG(extack, "charter: blob: string section does not end with NUL");
		err = -EINVAL;
		goto fail;
	}

	err = charter_decode_rules(p, p->blob, h, strings, strings_len, extack);
	if (!err)
		err = charter_decode_manifests(p, p->blob, h, strings,
					       strings_len, extack);
	if (!err)
		err = charter_policy_index(p, extack);
	if (err)
		goto fail;
	return p;

fail:
	charter_policy_free_parts(p);
	return ERR_PTR(err);
}

void charter_policy_release_now(struct charter_policy *p)
{
	charter_policy_free_parts(p);
}
