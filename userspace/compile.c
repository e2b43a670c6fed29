// SPDX-License-Identifier: GPL-2.0
/*
 * Compiler: manifests -> one blob, laid out as uapi/charter.h says:
 * header, manifests, rules, strings, each section 8-byte aligned.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "uapi/charter.h"

int sha256_file(const char *path, uint8_t digest[32], uint64_t *size)
{
	crypto_hash_sha256_state st;
	unsigned char buf[65536];
	uint64_t total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
		total += (uint64_t)n;
	}
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	crypto_hash_sha256_final(&st, digest);
	*size = total;
	return 0;
}

struct identity {
	uint8_t digest[32];
	uint64_t size;
};

static int manifest_identity(const struct manifest *m, struct identity *id,
			     struct diag *d)
{
	int err;

	if (!m->run) {
		diag_file(d, m->file,
			  "'run' is needed: the kernel skips files by size, so the executable must be present");
		return -1;
	}
	err = sha256_file(m->run, id->digest, &id->size);
	if (err) {
		diag_file(d, m->file, "cannot hash '%s': %s", m->run,
			  strerror(-err));
		return -1;
	}
	if (m->has_hash && memcmp(m->hash, id->digest, 32)) {
		diag_file(d, m->file, "'%s' does not match the manifest's hash",
			  m->run);
		return -1;
	}
	return 0;
}

static size_t align8(size_t n)
{
	return (n + CHARTER_BLOB_ALIGN - 1) & ~(size_t)(CHARTER_BLOB_ALIGN - 1);
}

struct strtab {
	char *buf;
	size_t len;
};

static uint32_t strtab_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t off = (uint32_t)t->len;

	memcpy(t->buf + t->len, s, n);
	t->len += n;
	return off;
}

int compile_blob(const struct manifest *ms, size_t count, struct diag *d,
		 uint8_t **blob, size_t *len)
{
	struct charter_blob_header *h;
	struct charter_blob_manifest *bm;
	struct charter_blob_dir_rule *br;
	struct identity *ids = calloc(count ? count : 1, sizeof(*ids));
	size_t rules = 0, strbytes = 0, moff, roff, soff, total, r = 0;
	struct strtab st = { 0 };
	uint8_t *out;
	int bad = 0;

	if (!ids)
		return -1;
	for (size_t i = 0; i < count; i++) {
		bad |= manifest_identity(&ms[i], &ids[i], d);
		rules += ms[i].dir_count;
		strbytes += strlen(ms[i].name) + 1;
		for (size_t j = 0; j < ms[i].dir_count; j++)
			strbytes += strlen(ms[i].dirs[j].path) + 1;
	}
	if (bad) {
		free(ids);
		return -1;
	}
	moff = align8(sizeof(*h));
	roff = align8(moff + count * sizeof(*bm));
	soff = align8(roff + rules * sizeof(*br));
	total = align8(soff + strbytes);
	if (total > CHARTER_BLOB_MAX_LEN) {
		diag_file(d, "policy", "too large for the kernel (%zu bytes)", total);
		free(ids);
		return -1;
	}
	out = calloc(1, total);
	if (!out) {
		free(ids);
		return -1;
	}
	st.buf = (char *)out + soff;
	h = (void *)out;
	bm = (void *)(out + moff);
	br = (void *)(out + roff);
	for (size_t i = 0; i < count; i++) {
		memcpy(bm[i].sha256, ids[i].digest, 32);
		bm[i].exe_size = htole64(ids[i].size);
		bm[i].name = htole32(strtab_add(&st, ms[i].name));
		bm[i].rule_first = htole32((uint32_t)r);
		bm[i].rule_count = htole32((uint32_t)ms[i].dir_count);
		for (size_t j = 0; j < ms[i].dir_count; j++, r++) {
			br[r].path = htole32(strtab_add(&st, ms[i].dirs[j].path));
			br[r].access = htole32(ms[i].dirs[j].access);
		}
	}
	h->magic = htole32(CHARTER_BLOB_MAGIC);
	h->version = htole16(CHARTER_BLOB_VERSION);
	h->header_len = htole16(sizeof(*h));
	h->total_len = htole32((uint32_t)total);
	h->manifest_count = htole32((uint32_t)count);
	h->manifests_off = htole32((uint32_t)moff);
	h->rule_count = htole32((uint32_t)rules);
	h->rules_off = htole32((uint32_t)roff);
	h->strings_off = htole32((uint32_t)soff);
	h->strings_len = htole32((uint32_t)(total - soff));
	free(ids);
	*blob = out;
	*len = total;
	return 0;
}
