// SPDX-License-Identifier: GPL-2.0
/*
 * Compiler: manifests -> one blob, laid out as uapi/charter.h says:
 * header, manifests, path rules, network rules, strings, each section
 * 8-byte aligned. Rules are pre-processed so that the kernel matches
 * without allocating: patterns with their literal prefix length, access
 * masks, addresses in network byte order with their prefix, device bits.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "blobview.h"
#include "compile.h"
#include "deps.h"
#include "pattern.h"
#include "realdir.h"
#include "uapi/charter.h"

/*
 * The SHA-256 of @fd's bytes to its end; each byte read also fed to @r
 * (the cache's digest: of the very bytes this hash is of). 0 once the
 * end was read, or -errno.
 */
static int sha256_fd(int fd, uint8_t digest[32], uint64_t *size, struct deps_read *r)
{
	crypto_hash_sha256_state st;
	unsigned char buf[65536];
	uint64_t total = 0;
	ssize_t n;

	crypto_hash_sha256_init(&st);
	while ((n = deps_read(r, fd, buf, sizeof(buf))) > 0) {
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
		total += (uint64_t)n;
	}
	if (n < 0)
		return -errno;
	crypto_hash_sha256_final(&st, digest);
	*size = total;
	return 0;
}

int sha256_file_in(struct deps *deps, const char *path, uint8_t digest[32], uint64_t *size)
{
	struct deps_read r;
	int fd = deps_open_read(deps, path, O_RDONLY | O_CLOEXEC, &r), err;

	if (fd < 0)
		return -errno;
	err = sha256_fd(fd, digest, size, &r);
	deps_read_done(&r, !err);
	close(fd);
	return err;
}

int sha256_file(const char *path, uint8_t digest[32], uint64_t *size)
{
	return sha256_file_in(NULL, path, digest, size);
}

void sha256_hex(const uint8_t digest[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", digest[i]);
}

/* A message at @at in @m's file, or about the file when @at is unknown. */
__attribute__((format(printf, 4, 5)))
static void diag_pos(struct diag *d, const struct manifest *m,
		     struct manifest_pos at, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (at.line)
		diag_at(d, m->file, at.line, at.col, "%s", msg ? msg : "out of memory");
	else
		diag_file(d, m->file, "%s", msg ? msg : "out of memory");
	free(msg);
}

/*
 * Hash the open regular file @fd that run names; warn if not executable.
 * The bytes hashed are fed to @r; *@whole set once they all were.
 */
static int identify_fd(struct manifest *m, int fd, int warn, struct deps_read *r,
		       int *whole, struct diag *d)
{
	char want[65], got[65];
	struct stat st;
	int err;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		diag_pos(d, m, m->run_at, "run '%s' is not a regular file: only a file can be executed and identified",
			 m->run);
		return -1;
	}
	/* What alias_warn() would stat() run for. */
	m->exe_dev = (uint64_t)st.st_dev;
	m->exe_ino = (uint64_t)st.st_ino;
	m->exe_nlink = (uint64_t)st.st_nlink;
	m->exe_stat = 1;
	if (warn && !(st.st_mode & 0111))
		diag_pos(d, m, m->run_at, "warning: run '%s' is not executable (no x permission bit): execve() refuses it, only a loader (ld.so FILE) can run it",
			 m->run);
	err = sha256_fd(fd, m->exe_sha256, &m->exe_size, r);
	*whole = !err;
	if (err) {
		diag_pos(d, m, m->run_at, "cannot hash '%s': %s", m->run, strerror(-err));
		return -1;
	}
	if (m->has_hash && memcmp(m->hash, m->exe_sha256, 32)) {
		sha256_hex(m->hash, want);
		sha256_hex(m->exe_sha256, got);
		diag_pos(d, m, m->hash_at, "'%s' does not match the pinned hash: expected sha256:%s, actual sha256:%s (the program changed: review it, then update hash; until then 'charter load' keeps this manifest in force and the kernel refuses to run '%s')",
			 m->run, want, got, m->run);
		/* What load keeps: the pinned identity, at run's path. */
		memcpy(m->exe_sha256, m->hash, sizeof(m->exe_sha256));
		m->stale = 1;
		m->identified = 1;
		return -1;
	}
	m->identified = 1;
	return 0;
}

/*
 * Open run. With @dirs, first without following a symlink at its end: if
 * that works, run's real path is its directory's (remembered in @dirs)
 * and its name, found without resolving every component again.
 */
static int open_run(struct manifest *m, struct realdir_cache *dirs, struct deps_read *r)
{
	const int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
	struct deps *deps = dirs ? dirs->deps : NULL;
	int fd = dirs ? deps_open_read(deps, m->run, flags | O_NOFOLLOW, r) : -1;

	if (fd >= 0) {
		if (!m->exe_path)
			m->exe_path = realdir_join(dirs, m->run);
		return fd;
	}
	/* ELOOP: run is a symlink (or the path has too many). */
	if (dirs && errno != ELOOP)
		return -1;
	return deps_open_read(deps, m->run, flags, r);
}

int compile_identify_in(struct manifest *m, int warn, struct realdir_cache *dirs,
			struct diag *d)
{
	struct deps_read r;
	int fd, ret, whole = 0;

	if (m->identified)
		return 0;
	if (!m->run) {
		diag_file(d, m->file,
			  "'run' is needed: the kernel skips files by size, so the executable must be present");
		return -1;
	}
	fd = open_run(m, dirs, &r);
	if (fd < 0) {
		diag_pos(d, m, m->run_at, "cannot hash '%s': %s", m->run, strerror(errno));
		return -1;
	}
	/* The kernel knows an executed file by its path, symlinks resolved. */
	if (!m->exe_path)
		m->exe_path = deps_realpath(dirs ? dirs->deps : NULL, m->run);
	if (!m->exe_path) {
		diag_pos(d, m, m->run_at, "cannot resolve '%s': %s", m->run, strerror(errno));
		deps_read_done(&r, 0);
		close(fd);
		return -1;
	}
	ret = identify_fd(m, fd, warn, &r, &whole, d);
	/* The digest the cache keeps: of the bytes the SHA-256 is of. */
	deps_read_done(&r, whole);
	close(fd);
	return ret;
}

int compile_identify(struct manifest *m, int warn, struct diag *d)
{
	return compile_identify_in(m, warn, NULL, d);
}

/* ---- growable arrays and a deduplicating string table ------------------ */

struct vec {
	uint8_t *data;
	size_t len, cap;	/* bytes */
};

static void *vec_push(struct vec *v, size_t size)
{
	void *slot;

	if (v->len + size > v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4096;
		uint8_t *grown;

		while (cap < v->len + size)
			cap *= 2;
		grown = realloc(v->data, cap);
		if (!grown)
			return NULL;
		v->data = grown;
		v->cap = cap;
	}
	slot = v->data + v->len;
	memset(slot, 0, size);
	v->len += size;
	return slot;
}

struct strtab {
	struct vec bytes;
	uint32_t *slots;	/* open addressing: offset + 1, 0 = empty */
	size_t nslots, used;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
	return h;
}

static int strtab_grow(struct strtab *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 1024;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < t->nslots; i++) {
		uint32_t s = t->slots[i];
		size_t j;

		if (!s)
			continue;
		j = fnv1a((char *)t->bytes.data + s - 1) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = s;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

/* Offset of @s in the table, added once; UINT32_MAX when out of memory. */
static uint32_t strtab_add(struct strtab *t, const char *s)
{
	size_t j, n = strlen(s) + 1;
	char *slot;

	if ((t->used + 1) * 2 > t->nslots && strtab_grow(t))
		return UINT32_MAX;
	for (j = fnv1a(s) & (t->nslots - 1); t->slots[j];
	     j = (j + 1) & (t->nslots - 1))
		if (!strcmp((char *)t->bytes.data + t->slots[j] - 1, s))
			return t->slots[j] - 1;
	slot = vec_push(&t->bytes, n);
	if (!slot)
		return UINT32_MAX;
	memcpy(slot, s, n);
	t->slots[j] = (uint32_t)(t->bytes.len - n + 1);
	t->used++;
	return (uint32_t)(t->bytes.len - n);
}

/* The runtime baseline, symlinks resolved, coinciding entries merged. */
#define BASELINE_MAX 64
struct resolved_baseline {
	int done;
	size_t count;
	struct {
		char *pattern;
		uint32_t access;
	} v[BASELINE_MAX];
	/*
	 * The rules the first manifest got (strings are stored once, so
	 * every manifest's are the same bytes), when each was good.
	 */
	struct charter_blob_path_rule rules[BASELINE_MAX];
	int have_rules;
};

struct builder {
	struct vec manifests, paths, nets;
	struct strtab strings;
	struct diag *diag;
	int oom;
	/* Resolved once per policy, not once per manifest. */
	struct resolved_baseline baseline;
	struct realdir_cache dirs;
	struct deps *deps;	/* records the paths looked at, or NULL */
};

static uint32_t str(struct builder *b, const char *s)
{
	uint32_t off = strtab_add(&b->strings, s ? s : "");

	b->oom |= off == UINT32_MAX;
	return htole32(off);
}

/* ---- rules ------------------------------------------------------------- */

static void add_path(struct builder *b, const char *pattern, const char *name,
		     uint32_t access, uint8_t flags)
{
	struct charter_blob_path_rule *r;
	uint16_t prefix;
	const char *why;

	if (pattern_check(pattern, &prefix, &why)) {
		diag_file(b->diag, "policy", "pattern '%s': %s", pattern, why);
		return;
	}
	r = vec_push(&b->paths, sizeof(*r));
	if (!r) {
		b->oom = 1;
		return;
	}
	r->pattern = str(b, pattern);
	r->name = str(b, name);
	r->prefix_len = htole16(prefix);
	r->access = (uint8_t)access;
	r->flags = flags;
}

/*
 * The baseline after symlink resolution, with coinciding entries merged:
 * the same for every manifest of a policy, so resolved at its first use.
 */
static void resolve_baseline(struct builder *b)
{
	struct resolved_baseline *r = &b->baseline;
	struct pattern_cache *lstats = b->deps ? pattern_cache_new_in(b->deps) : NULL;

	if (b->deps && !lstats)
		deps_uncacheable(b->deps, "out of memory");
	for (size_t i = 0; i < baseline_count && r->count < BASELINE_MAX; i++) {
		char *p = pattern_resolve_in(baseline_entries[i].pattern, lstats);
		size_t j;

		if (!p) {
			b->oom = 1;
			continue;
		}
		for (j = 0; j < r->count && strcmp(r->v[j].pattern, p); j++)
			;
		if (j < r->count) {
			r->v[j].access |= baseline_entries[i].access;
			free(p);
			continue;
		}
		r->v[r->count].pattern = p;
		r->v[r->count++].access = baseline_entries[i].access;
	}
	pattern_cache_free(lstats);
	r->done = 1;
}

static void add_baseline(struct builder *b)
{
	struct resolved_baseline *r = &b->baseline;
	size_t size = r->count * sizeof(r->rules[0]), first = b->paths.len;
	void *slot;

	if (r->have_rules) {
		slot = vec_push(&b->paths, size);
		if (slot)
			memcpy(slot, r->rules, size);
		b->oom |= !slot;
		return;
	}
	if (!r->done)
		resolve_baseline(b);
	for (size_t i = 0; i < r->count; i++)
		add_path(b, r->v[i].pattern, "baseline", r->v[i].access,
			 CHARTER_PATH_BASELINE);
	size = r->count * sizeof(r->rules[0]);
	if (!b->oom && b->paths.len - first == size) {
		memcpy(r->rules, b->paths.data + first, size);
		r->have_rules = 1;
	}
}

static void add_net(struct builder *b, const struct manifest_net *n,
		    uint8_t family, uint8_t prefix, const uint8_t *addr)
{
	struct charter_blob_net_rule *r = vec_push(&b->nets, sizeof(*r));

	if (!r) {
		b->oom = 1;
		return;
	}
	r->name = str(b, n->name);
	r->family = family;
	r->prefix = prefix;
	r->direction = n->direction;
	r->protocol = n->protocol;
	r->port_min = htons(n->port_min);
	r->port_max = htons(n->port_max);
	if (addr)
		memcpy(r->addr, addr, sizeof(r->addr));
}

/* localhost is 127.0.0.0/8 and ::1; any is any address of both families. */
static void add_nets(struct builder *b, const struct manifest_net *n)
{
	static const uint8_t v4_loopback[16] = { 127 };
	static const uint8_t v6_loopback[16] = { [15] = 1 };

	switch (n->scope) {
	case NET_ANY:
		add_net(b, n, CHARTER_FAMILY_ANY, 0, NULL);
		break;
	case NET_LOCALHOST:
		add_net(b, n, CHARTER_FAMILY_INET, 8, v4_loopback);
		add_net(b, n, CHARTER_FAMILY_INET6, 128, v6_loopback);
		break;
	case NET_ADDR:
		add_net(b, n, n->family, n->prefix, n->addr);
		break;
	}
}

/* ---- manifests --------------------------------------------------------- */

static int add_manifest(struct builder *b, const struct manifest *m)
{
	struct charter_blob_manifest *bm;
	size_t paths0 = b->paths.len / sizeof(struct charter_blob_path_rule);
	size_t nets0 = b->nets.len / sizeof(struct charter_blob_net_rule);
	struct manifest copy = *m;
	int bad;

	bm = vec_push(&b->manifests, sizeof(*bm));
	if (!bm)
		return -1;
	bad = compile_identify_in(&copy, 0, &b->dirs, b->diag);

	if (!bad) {
		memcpy(bm->sha256, copy.exe_sha256, sizeof(bm->sha256));
		bm->exe_size = htole64(copy.exe_size);
		bm->run = str(b, copy.exe_path);
		/* Through a symlink: a service manager starts it by that name. */
		bm->run_alias = str(b, strcmp(m->run, copy.exe_path) ? m->run : "");
		bm->flags = htole32((m->has_hash ? CHARTER_MANIFEST_PINNED : 0) |
				    (m->learning ? CHARTER_MANIFEST_LEARN : 0));
	}
	/* Identified here (not by the caller): the copy owns the path. */
	if (copy.exe_path != m->exe_path)
		free(copy.exe_path);
	if (bad)
		return -1;
	bm->name = str(b, m->name);
	bm->author = str(b, m->author);
	bm->devices = htole32(m->devices);
	for (size_t i = 0; i < m->path_count; i++)
		add_path(b, m->paths[i].pattern, m->paths[i].name,
			 m->paths[i].access, 0);
	if (m->baseline)
		add_baseline(b);
	for (size_t i = 0; i < m->net_count; i++)
		add_nets(b, &m->nets[i]);
	/* vec_push may have moved the array: find our record again. */
	bm = (void *)(b->manifests.data + b->manifests.len - sizeof(*bm));
	bm->path_first = htole32((uint32_t)paths0);
	bm->path_count = htole32((uint32_t)(b->paths.len / sizeof(struct charter_blob_path_rule) - paths0));
	bm->net_first = htole32((uint32_t)nets0);
	bm->net_count = htole32((uint32_t)(b->nets.len / sizeof(struct charter_blob_net_rule) - nets0));
	return 0;
}

static size_t align8(size_t n)
{
	return (n + CHARTER_BLOB_ALIGN - 1) & ~(size_t)(CHARTER_BLOB_ALIGN - 1);
}

static void set_section(struct charter_blob_section *s, size_t off, size_t count)
{
	s->off = htole32((uint32_t)off);
	s->count = htole32((uint32_t)count);
}

static int assemble(struct builder *b, uint8_t **blob, size_t *len)
{
	struct charter_blob_header *h;
	size_t moff, poff, noff, soff, total;
	uint8_t *out;

	moff = align8(sizeof(*h));
	poff = align8(moff + b->manifests.len);
	noff = align8(poff + b->paths.len);
	soff = align8(noff + b->nets.len);
	total = align8(soff + b->strings.bytes.len);
	if (total > CHARTER_BLOB_MAX_LEN) {
		diag_file(b->diag, "policy", "too large for the kernel (%zu bytes, at most %u)",
			  total, CHARTER_BLOB_MAX_LEN);
		return -1;
	}
	out = calloc(1, total);
	if (!out)
		return -1;
	memcpy(out + moff, b->manifests.data, b->manifests.len);
	memcpy(out + poff, b->paths.data, b->paths.len);
	memcpy(out + noff, b->nets.data, b->nets.len);
	memcpy(out + soff, b->strings.bytes.data, b->strings.bytes.len);
	h = (void *)out;
	h->magic = htole32(CHARTER_BLOB_MAGIC);
	h->version = htole16(CHARTER_BLOB_VERSION);
	h->header_len = htole16(sizeof(*h));
	h->total_len = htole32((uint32_t)total);
	set_section(&h->manifests, moff, b->manifests.len / sizeof(struct charter_blob_manifest));
	set_section(&h->path_rules, poff, b->paths.len / sizeof(struct charter_blob_path_rule));
	set_section(&h->net_rules, noff, b->nets.len / sizeof(struct charter_blob_net_rule));
	/* The padding after the last string is NULs: part of the section. */
	set_section(&h->strings, soff, b->strings.bytes.len ? total - soff : 0);
	*blob = out;
	*len = total;
	return 0;
}

struct identity_ref {
	const void *record;	/* struct charter_blob_manifest */
	const char *file;
};

static int identity_cmp(const void *a, const void *b)
{
	const struct charter_blob_manifest *x = ((const struct identity_ref *)a)->record;
	const struct charter_blob_manifest *y = ((const struct identity_ref *)b)->record;
	int c = memcmp(x->sha256, y->sha256, sizeof(x->sha256));

	return c ? c : (x->exe_size > y->exe_size) - (x->exe_size < y->exe_size);
}

static int run_cmp(const void *a, const void *b)
{
	const struct charter_blob_manifest *x = ((const struct identity_ref *)a)->record;
	const struct charter_blob_manifest *y = ((const struct identity_ref *)b)->record;

	/* Strings are stored once: one path, one offset. */
	return (le32toh(x->run) > le32toh(y->run)) - (le32toh(x->run) < le32toh(y->run));
}

/*
 * No two manifests alike by @cmp: the kernel would refuse the policy.
 * @what names what they share ("executable", "file").
 */
static int check_unique(struct builder *b, const char *const *labels,
			size_t count, int (*cmp)(const void *, const void *),
			const char *what)
{
	struct identity_ref *refs = calloc(count ? count : 1, sizeof(*refs));
	int bad = 0;

	if (!refs)
		return -1;
	for (size_t i = 0; i < count; i++) {
		refs[i].record = b->manifests.data + i * sizeof(struct charter_blob_manifest);
		refs[i].file = labels[i];
	}
	qsort(refs, count, sizeof(*refs), cmp);
	for (size_t i = 1; i < count; i++) {
		if (cmp(&refs[i - 1], &refs[i]))
			continue;
		diag_file(b->diag, refs[i].file,
			  "is for the same %s as %s: one %s, one manifest",
			  what, refs[i - 1].file, what);
		bad = -1;
	}
	free(refs);
	return bad;
}

/*
 * The builder's manifests made one blob: one executable, one manifest;
 * one run path, one manifest (a changed binary there must have one
 * manifest to be held to). @labels name them in messages.
 */
static int finish(struct builder *b, const char *const *labels, size_t count,
		  size_t errors, int bad, uint8_t **blob, size_t *len)
{
	if (!bad && !b->oom)
		bad = check_unique(b, labels, count, identity_cmp, "executable");
	if (!bad && !b->oom)
		bad = check_unique(b, labels, count, run_cmp, "file");
	if (b->oom)
		diag_file(b->diag, "policy", "out of memory");
	if (!bad && !b->oom && b->diag->count == errors)
		bad = assemble(b, blob, len);
	else
		bad = -1;
	free(b->manifests.data);
	free(b->paths.data);
	free(b->nets.data);
	free(b->strings.bytes.data);
	free(b->strings.slots);
	for (size_t i = 0; i < b->baseline.count; i++)
		free(b->baseline.v[i].pattern);
	realdir_free(&b->dirs);
	return bad ? -1 : 0;
}

int compile_blob(const struct manifest *ms, size_t count, struct diag *d,
		 uint8_t **blob, size_t *len)
{
	return compile_blob_in(ms, count, NULL, d, blob, len);
}

int compile_blob_in(const struct manifest *ms, size_t count, struct deps *deps,
		    struct diag *d, uint8_t **blob, size_t *len)
{
	struct builder b = { .diag = d, .deps = deps, .dirs.deps = deps };
	const char **labels = calloc(count ? count : 1, sizeof(*labels));
	size_t errors = d->count;
	int bad = !labels;

	for (size_t i = 0; !bad && i < count; i++) {
		bad |= add_manifest(&b, &ms[i]);
		labels[i] = ms[i].file;
	}
	bad = finish(&b, labels, count, errors, bad, blob, len);
	free(labels);
	return bad;
}

/* Manifest @m of @v, copied whole (it was compiled before). */
static void copy_manifest(struct builder *b, const struct blob_view *v,
			  const struct charter_blob_manifest *m)
{
	struct charter_blob_manifest *bm = vec_push(&b->manifests, sizeof(*bm));
	uint32_t pf = le32toh(m->path_first), pc = le32toh(m->path_count);
	uint32_t nf = le32toh(m->net_first), nc = le32toh(m->net_count);
	size_t paths0 = b->paths.len / sizeof(struct charter_blob_path_rule);
	size_t nets0 = b->nets.len / sizeof(struct charter_blob_net_rule);

	if (!bm) {
		b->oom = 1;
		return;
	}
	*bm = *m;
	bm->name = str(b, blob_string(v, m->name));
	bm->author = str(b, blob_string(v, m->author));
	bm->run = str(b, blob_string(v, m->run));
	bm->run_alias = str(b, blob_string(v, m->run_alias));
	for (uint32_t i = pf; i < pf + pc; i++)
		add_path(b, blob_string(v, v->paths[i].pattern),
			 blob_string(v, v->paths[i].name), v->paths[i].access,
			 v->paths[i].flags);
	for (uint32_t i = nf; i < nf + nc; i++) {
		struct charter_blob_net_rule *r = vec_push(&b->nets, sizeof(*r));

		if (!r) {
			b->oom = 1;
			return;
		}
		*r = v->nets[i];
		r->name = str(b, blob_string(v, v->nets[i].name));
	}
	bm = (void *)(b->manifests.data + b->manifests.len - sizeof(*bm));
	bm->path_first = htole32((uint32_t)paths0);
	bm->path_count = htole32((uint32_t)(b->paths.len / sizeof(struct charter_blob_path_rule) - paths0));
	bm->net_first = htole32((uint32_t)nets0);
	bm->net_count = htole32((uint32_t)(b->nets.len / sizeof(struct charter_blob_net_rule) - nets0));
}

static int named_in(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/* Does @m (of @v) match one of @drop? */
static int dropped(const struct blob_view *v, const struct charter_blob_manifest *m,
		   const struct merge_drop *drop, size_t ndrop)
{
	for (size_t i = 0; i < ndrop; i++) {
		const struct merge_drop *x = &drop[i];

		if (strcmp(blob_string(v, m->name), x->name))
			continue;
		if (!x->sha256 ||
		    (!memcmp(m->sha256, x->sha256, sizeof(m->sha256)) &&
		     le64toh(m->exe_size) == x->exe_size &&
		     (le32toh(m->flags) & x->flags) == x->flags))
			return 1;
	}
	return 0;
}

int compile_merge(const struct blob_view *base, const struct blob_view *add,
		  const struct merge_drop *drop, size_t ndrop, int replace,
		  struct diag *d, uint8_t **blob, size_t *len)
{
	size_t total = (base ? base->manifest_count : 0) + add->manifest_count;
	const char **labels = calloc(total ? total : 1, sizeof(*labels));
	const char **added = calloc(add->manifest_count + 1, sizeof(*added));
	struct builder b = { .diag = d };
	size_t n = 0, errors = d->count;
	int bad = !labels || !added;

	for (uint32_t i = 0; !bad && i < add->manifest_count; i++)
		added[i] = blob_string(add, add->manifests[i].name);
	for (uint32_t i = 0; !bad && base && i < base->manifest_count; i++) {
		const char *name = blob_string(base, base->manifests[i].name);

		if (dropped(base, &base->manifests[i], drop, ndrop))
			continue;
		if (named_in(name, added, add->manifest_count)) {
			if (!replace)
				diag_file(d, "policy",
					  "a manifest named '%s' is loaded: it is not replaced", name);
			continue;
		}
		copy_manifest(&b, base, &base->manifests[i]);
		labels[n++] = name;
	}
	for (uint32_t i = 0; !bad && i < add->manifest_count; i++) {
		copy_manifest(&b, add, &add->manifests[i]);
		labels[n++] = added[i];
	}
	bad = finish(&b, labels, n, errors, bad, blob, len);
	free(labels);
	free(added);
	return bad;
}
