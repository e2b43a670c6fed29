// SPDX-License-Identifier: GPL-2.0
/*
 * runblob OUT [-p] RUN...: write a policy blob of one manifest per RUN
 * (manifest i: "r<i>", an executable of size 7000 + i whose digest starts
 * with i, no rules), its run path RUN as given, byte for byte (malformed
 * ones too). -p pins every manifest. Special RUNs: "@oor" (a string offset
 * past the section), "@flag" (run empty, unknown flag 0x80), "@N:C:L" (N
 * components of L copies of the character C: "/CCC/CCC..."), "@many:N:BASE"
 * (N manifests, run /rb/d<i>/BASE), "@dup" (the previous run again).
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uapi/charter.h"

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static char *strs;
static size_t slen, scap;

static unsigned int add(const char *s, size_t n)
{
	unsigned int off = (unsigned int)slen;

	if (slen + n + 1 > scap) {
		scap = (slen + n + 1) * 2;
		strs = realloc(strs, scap);
		if (!strs)
			exit(1);
	}
	memcpy(strs + slen, s, n);
	strs[slen + n] = 0;
	slen += n + 1;
	return off;
}

struct rec { unsigned int run; unsigned int flags; };

int main(int argc, char **argv)
{
	struct rec *recs = NULL;
	size_t n = 0, cap = 0;
	unsigned int pinned = 0, empty;
	int i;

	if (argc < 3)
		return 2;
	empty = add("", 0);
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		unsigned long many = 1, k;
		char base[256] = "";

		if (!strcmp(a, "-p")) {
			pinned = CHARTER_MANIFEST_PINNED;
			continue;
		}
		if (!strncmp(a, "@many:", 6)) {
			many = strtoul(a + 6, NULL, 10);
			snprintf(base, sizeof(base), "%s", strchr(a + 6, ':') + 1);
		}
		for (k = 0; k < many; k++) {
			struct rec r = { empty, pinned };
			char buf[70000];

			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				recs = realloc(recs, cap * sizeof(*recs));
				if (!recs)
					return 1;
			}
			if (!strcmp(a, "@oor")) {
				r.run = 0x7fffffff;
			} else if (!strcmp(a, "@flag")) {
				r.flags = 0x80;	/* in no CHARTER_MANIFEST_FLAGS */
			} else if (!strcmp(a, "@dup") && n) {
				r.run = recs[n - 1].run;
			} else if (base[0]) {
				int l = snprintf(buf, sizeof(buf), "/rb/d%lu/%s", k, base);

				r.run = add(buf, (size_t)l);
			} else if (a[0] == '@') {
				unsigned long comps = strtoul(a + 1, NULL, 10), len, c;
				const char *p = strchr(a + 1, ':');
				char ch = p ? p[1] : 'x';
				size_t l = 0;

				len = p ? strtoul(p + 3, NULL, 10) : 1;
				for (c = 0; c < comps && l + len + 1 < sizeof(buf); c++) {
					buf[l++] = '/';
					memset(buf + l, ch, len);
					l += len;
				}
				r.run = add(buf, l);
			} else {
				r.run = add(a, strlen(a));
			}
			recs[n++] = r;
		}
	}
	{
		struct charter_blob_header *h;
		struct charter_blob_manifest *m;
		size_t moff = align8(sizeof(*h)), soff, total;
		unsigned char *blob;
		unsigned int names = (unsigned int)slen;
		char nb[32];
		FILE *f;

		for (size_t j = 0; j < n; j++) {
			int l = snprintf(nb, sizeof(nb), "r%zu", j);

			add(nb, (size_t)l);
		}
		soff = align8(moff + n * sizeof(*m));
		total = align8(soff + slen);
		blob = calloc(1, total);
		if (!blob)
			return 1;
		h = (void *)blob;
		m = (void *)(blob + moff);
		memcpy(blob + soff, strs, slen);
		for (size_t j = 0, nameoff = names; j < n; j++) {
			unsigned int id = (unsigned int)j + 1;

			memcpy(m[j].sha256, &id, sizeof(id));
			memset(m[j].sha256 + 4, 0xa5, CHARTER_SHA256_LEN - 4);
			m[j].exe_size = htole64(7000 + j);
			m[j].name = htole32((uint32_t)nameoff);
			nameoff += strlen(strs + nameoff) + 1;
			m[j].author = htole32(empty);
			m[j].run = htole32(recs[j].run);
			m[j].flags = htole32(recs[j].flags);
		}
		h->magic = htole32(CHARTER_BLOB_MAGIC);
		h->version = htole16(CHARTER_BLOB_VERSION);
		h->header_len = htole16(sizeof(*h));
		h->total_len = htole32((uint32_t)total);
		h->manifests.off = htole32((uint32_t)moff);
		h->manifests.count = htole32((uint32_t)n);
		h->path_rules.off = htole32((uint32_t)total);
		h->net_rules.off = htole32((uint32_t)total);
		h->strings.off = htole32((uint32_t)soff);
		h->strings.count = htole32((uint32_t)(total - soff));
		f = fopen(argv[1], "wb");
		if (!f || fwrite(blob, 1, total, f) != total || fclose(f)) {
			perror(argv[1]);
			return 1;
		}
	}
	return 0;
}
