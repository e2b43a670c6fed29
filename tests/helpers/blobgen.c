// SPDX-License-Identifier: GPL-2.0
/*
 * blobgen N OUT: write a valid policy of N synthetic manifests (for
 * testing the control plane at scale without N executables): manifest i
 * is "m<i>", for an executable of size 1000 + i whose digest starts with
 * i, with one read rule on /srv/m<i>.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uapi/charter.h"

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

int main(int argc, char **argv)
{
	unsigned long n = argc == 3 ? strtoul(argv[1], NULL, 10) : 0;
	size_t moff, poff, soff, total, slen = 0;
	struct charter_blob_header *h;
	struct charter_blob_manifest *m;
	struct charter_blob_path_rule *r;
	unsigned char *blob;
	char *strings;
	FILE *f;

	if (!n || n > 100000) {
		fprintf(stderr, "usage: blobgen N OUT (N from 1 to 100000)\n");
		return 2;
	}
	moff = align8(sizeof(*h));
	poff = align8(moff + n * sizeof(*m));
	soff = align8(poff + n * sizeof(*r));
	total = align8(soff + n * (7 + 12) + 1);
	blob = calloc(1, total);
	if (!blob)
		return 1;
	h = (void *)blob;
	m = (void *)(blob + moff);
	r = (void *)(blob + poff);
	strings = (char *)blob + soff;
	for (unsigned long i = 0; i < n; i++) {
		unsigned int id = (unsigned int)i;

		memcpy(m[i].sha256, &id, sizeof(id));
		memset(m[i].sha256 + 4, 0x5a, CHARTER_SHA256_LEN - 4);
		m[i].exe_size = htole64(1000 + i);
		m[i].name = htole32((uint32_t)slen);
		slen += (size_t)sprintf(strings + slen, "m%05lu", i) + 1;
		m[i].author = htole32((uint32_t)(slen - 1));	/* "" */
		m[i].run = m[i].author;				/* none */
		m[i].run_alias = m[i].author;
		m[i].path_first = htole32((uint32_t)i);
		m[i].path_count = htole32(1);
		r[i].pattern = htole32((uint32_t)slen);
		slen += (size_t)sprintf(strings + slen, "/srv/m%05lu", i) + 1;
		r[i].name = m[i].name;
		r[i].prefix_len = htole16(11);
		r[i].access = CHARTER_ACCESS_READ;
	}
	h->magic = htole32(CHARTER_BLOB_MAGIC);
	h->version = htole16(CHARTER_BLOB_VERSION);
	h->header_len = htole16(sizeof(*h));
	h->total_len = htole32((uint32_t)total);
	h->manifests.off = htole32((uint32_t)moff);
	h->manifests.count = htole32((uint32_t)n);
	h->path_rules.off = htole32((uint32_t)poff);
	h->path_rules.count = htole32((uint32_t)n);
	h->net_rules.off = htole32((uint32_t)total);
	h->strings.off = htole32((uint32_t)soff);
	h->strings.count = htole32((uint32_t)(total - soff));
	f = fopen(argv[2], "wb");
	if (!f || fwrite(blob, 1, total, f) != total || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	free(blob);
	return 0;
}
