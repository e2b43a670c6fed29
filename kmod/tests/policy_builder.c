// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: small policies for the suites (policy_builder.h).
 */

#include <kunit/test.h>
#include <linux/netlink.h>
#include <linux/slab.h>

#include "../match.h"
#include "policy_builder.h"

/* Build and decode a policy of @n manifests. */
struct charter_policy *test_make_policy(struct kunit *test,
					const struct test_manifest *ms, int n)
{
	size_t strings = 0, total, moff = sizeof(struct charter_blob_header);
	size_t poff = moff + n * sizeof(struct charter_blob_manifest);
	size_t soff, rules = 0;
	struct charter_blob_header *h;
	struct charter_blob_manifest *bm;
	struct charter_blob_path_rule *br;
	struct netlink_ext_ack extack = {};
	struct charter_policy *p;
	u8 *blob;
	char *s;
	u16 prefix;
	int i, j;

	for (i = 0; i < n; i++) {
		strings += strlen(ms[i].name) + 1;
		if (ms[i].run)
			strings += strlen(ms[i].run) + 1;
		for (j = 0; j < 3 && ms[i].rules[j].pattern; j++, rules++)
			strings += strlen(ms[i].rules[j].pattern) + 1;
	}
	soff = ALIGN(poff + rules * sizeof(*br), 8);
	total = ALIGN(soff + strings + 1, 8);
	blob = kunit_kzalloc(test, total, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, blob);
	h = (void *)blob;
	bm = (void *)(blob + moff);
	br = (void *)(blob + poff);
	s = (char *)blob + soff;
	rules = 0;
	for (i = 0; i < n; i++) {
		memset(bm[i].sha256, ms[i].id, CHARTER_SHA256_LEN);
		bm[i].exe_size = cpu_to_le64(100 + ms[i].id);
		bm[i].name = cpu_to_le32(s - (char *)blob - soff);
		bm[i].flags = cpu_to_le32(ms[i].flags);
		bm[i].devices = cpu_to_le32(ms[i].devices);
		s += sprintf(s, "%s", ms[i].name) + 1;
		bm[i].author = cpu_to_le32(s - (char *)blob - soff - 1);
		bm[i].run = bm[i].author;	/* "": no run path */
		bm[i].run_alias = bm[i].author;
		if (ms[i].run) {
			bm[i].run = cpu_to_le32(s - (char *)blob - soff);
			s += sprintf(s, "%s", ms[i].run) + 1;
		}
		bm[i].path_first = cpu_to_le32(rules);
		for (j = 0; j < 3 && ms[i].rules[j].pattern; j++, rules++) {
			br[rules].pattern = cpu_to_le32(s - (char *)blob - soff);
			br[rules].name = bm[i].name;
			KUNIT_ASSERT_EQ(test, charter_pattern_check(ms[i].rules[j].pattern,
								    &prefix), 0);
			br[rules].prefix_len = cpu_to_le16(prefix);
			br[rules].access = ms[i].rules[j].access;
			s += sprintf(s, "%s", ms[i].rules[j].pattern) + 1;
		}
		bm[i].path_count = cpu_to_le32(j);
	}
	h->magic = cpu_to_le32(CHARTER_BLOB_MAGIC);
	h->version = cpu_to_le16(CHARTER_BLOB_VERSION);
	h->header_len = cpu_to_le16(sizeof(*h));
	h->total_len = cpu_to_le32(total);
	h->manifests.off = cpu_to_le32(moff);
	h->manifests.count = cpu_to_le32(n);
	h->path_rules.off = cpu_to_le32(poff);
	h->path_rules.count = cpu_to_le32(rules);
	h->net_rules.off = cpu_to_le32(total);
	h->strings.off = cpu_to_le32(soff);
	h->strings.count = cpu_to_le32(total - soff);
	p = charter_blob_decode(blob, total, &extack);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(p), "%s", extack._msg);
	return p;
}

struct charter_manifest *test_manifest_by_id(struct charter_policy *p, u8 id)
{
	u8 digest[CHARTER_SHA256_LEN];

	memset(digest, id, sizeof(digest));
	return (struct charter_manifest *)charter_policy_find(p, digest, 100 + id);
}
