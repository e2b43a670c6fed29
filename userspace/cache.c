// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled-policy cache: see cache.h and Documentation/design.rst.
 *
 * An entry file, little-endian:
 *   magic "CHCACHE2", key (32 bytes), the compile's start (sec, nsec),
 *   the counts (loaded, refused, kept), the messages (count, then each
 *   as a string), the dependencies (count, then each: path, full, err,
 *   dev, ino, size, mode, uid, gid, mtime sec and nsec, ctime sec and
 *   nsec, has_sum, and when it is 1 the content's digest, 32 bytes),
 *   the blob (length, bytes), and a BLAKE2b-256 digest of all of that
 *   (crypto_generichash: several times faster than libsodium's SHA-256,
 *   which a cached load of 10,000 manifests paid 0.3 s of guest time for).
 * A string is its length (u32), its bytes and a NUL.
 *
 * Whoever can write the cache can load any policy, so the directory and
 * its entries must be changeable by root (or the tool's user) only; the
 * checksum catches a torn or damaged file, never a forged one.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blocks.h"
#include "cache.h"
#include "uapi/charter.h"

static const char cache_magic[8] = "CHCACHE3";

/* The entry's checksum (BLAKE2b), at its end. */
#define CACHE_SUM_LEN 32

/* The largest entry read: a largest blob, and its dependencies. */
#define CACHE_MAX_BYTES ((size_t)CHARTER_BLOB_MAX_LEN * 8)

/* ---- writing ----------------------------------------------------------- */

struct out {
	uint8_t *p;
	size_t len, cap;
	int oom;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		uint8_t *grown;

		while (cap < o->len + n)
			cap *= 2;
		grown = realloc(o->p, cap);
		if (!grown) {
			o->oom = 1;
			return;
		}
		o->p = grown;
		o->cap = cap;
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void put_u32(struct out *o, uint32_t v)
{
	v = htole32(v);
	put(o, &v, sizeof(v));
}

static void put_u64(struct out *o, uint64_t v)
{
	v = htole64(v);
	put(o, &v, sizeof(v));
}

static void put_str(struct out *o, const char *s)
{
	size_t n = strlen(s);

	put_u32(o, (uint32_t)n);
	put(o, s, n + 1);
}

/* ---- reading ----------------------------------------------------------- */

struct in {
	const uint8_t *p;
	size_t len, off;
	int bad;
};

static const void *take(struct in *i, size_t n)
{
	const void *at;

	if (i->bad || n > i->len - i->off) {
		i->bad = 1;
		return NULL;
	}
	at = i->p + i->off;
	i->off += n;
	return at;
}

static uint32_t get_u32(struct in *i)
{
	const void *at = take(i, 4);
	uint32_t v = 0;

	if (at)
		memcpy(&v, at, 4);
	return le32toh(v);
}

static uint64_t get_u64(struct in *i)
{
	const void *at = take(i, 8);
	uint64_t v = 0;

	if (at)
		memcpy(&v, at, 8);
	return le64toh(v);
}

/* @n bytes of the entry into @to (zeroes when it is too short). */
static void memcpy_from(struct in *i, void *to, size_t n)
{
	const void *at = take(i, n);

	if (at)
		memcpy(to, at, n);
	else
		memset(to, 0, n);
}

/* A string of the entry, in place; NULL when the entry is malformed. */
static const char *get_str(struct in *i)
{
	uint32_t n = get_u32(i);
	const char *s = i->bad || n == UINT32_MAX ? NULL : take(i, (size_t)n + 1);

	if (!s || s[n] || memchr(s, '\0', n)) {
		i->bad = 1;
		return NULL;
	}
	return s;
}

/* ---- the key ----------------------------------------------------------- */

static void key_str(crypto_hash_sha256_state *h, const char *s)
{
	uint64_t n = s ? htole64(strlen(s)) : UINT64_MAX;

	/* NULL (the default) and "" are different keys. */
	crypto_hash_sha256_update(h, (const void *)&n, sizeof(n));
	if (s)
		crypto_hash_sha256_update(h, (const void *)s, strlen(s));
}

static void key_u64(crypto_hash_sha256_state *h, uint64_t v)
{
	v = htole64(v);
	crypto_hash_sha256_update(h, (const void *)&v, sizeof(v));
}

/* A build ID found in the executable's notes. */
struct build_id {
	const uint8_t *id;
	size_t len;
};

/*
 * The NT_GNU_BUILD_ID note's content in the note segment at @p (@len
 * bytes, its name and content padded to @align) into @b, when it is there.
 */
static void find_build_id(const uint8_t *p, size_t len, size_t align, struct build_id *b)
{
	while (len >= sizeof(ElfW(Nhdr))) {
		const ElfW(Nhdr) *n = (const void *)p;
		size_t name = (n->n_namesz + align - 1) & ~(align - 1);
		size_t desc = (n->n_descsz + align - 1) & ~(align - 1);

		if (name > len - sizeof(*n) || desc > len - sizeof(*n) - name)
			return;
		if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && n->n_descsz &&
		    !memcmp(p + sizeof(*n), "GNU", 4)) {
			b->id = p + sizeof(*n) + name;
			b->len = n->n_descsz;
			return;
		}
		p += sizeof(*n) + name + desc;
		len -= sizeof(*n) + name + desc;
	}
}

/* dl_iterate_phdr()'s first object is the executable: its notes only. */
static int exe_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct build_id *b = arg;

	(void)size;
	for (ElfW(Half) i = 0; i < info->dlpi_phnum && !b->id; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_NOTE)
			find_build_id((const uint8_t *)(info->dlpi_addr + ph->p_vaddr),
				      ph->p_memsz, ph->p_align == 8 ? 8 : 4, b);
	}
	return 1;
}

size_t cache_tool_id(const uint8_t **id)
{
	struct build_id b = { NULL, 0 };

	dl_iterate_phdr(exe_build_id, &b);
	*id = b.id;
	return b.len;
}

int cache_key(const struct cache_key_input *k, uint8_t key[CACHE_KEY_LEN])
{
	const struct input_options *in = k->in;
	const struct block_search *b = in->blocks;
	crypto_hash_sha256_state h;
	char *cwd = getcwd(NULL, 0);

	if (!cwd)
		return -1;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const void *)cache_magic, sizeof(cache_magic));
	key_str(&h, k->tool_version);
	key_u64(&h, k->tool_id ? k->tool_id_len : UINT64_MAX);
	if (k->tool_id)
		crypto_hash_sha256_update(&h, k->tool_id, k->tool_id_len);
	key_u64(&h, CHARTER_BLOB_VERSION);
	key_u64(&h, CHARTER_GENL_VERSION);
	key_str(&h, k->command);
	key_u64(&h, geteuid());
	key_u64(&h, getegid());
	key_str(&h, cwd);
	free(cwd);
	key_u64(&h, k->nargs);
	for (size_t i = 0; i < k->nargs; i++)
		key_str(&h, k->args[i]);
	key_str(&h, in->trust_dir);
	key_u64(&h, (uint64_t)in->allow_unsigned);
	key_str(&h, in->mounts);
	key_str(&h, in->manifest_dir);
	key_u64(&h, b ? b->dir_count : UINT64_MAX);
	for (size_t i = 0; b && i < b->dir_count; i++)
		key_str(&h, b->dirs[i]);
	key_u64(&h, b ? (uint64_t)b->no_defaults : UINT64_MAX);
	crypto_hash_sha256_final(&h, key);
	return 0;
}

/* ---- trust in the directory and the entry ------------------------------ */

static int owner_ok(const struct stat *st)
{
	return st->st_uid == 0 || st->st_uid == geteuid();
}

/*
 * May @dir hold entries? A directory (no symlink) owned by root or the
 * tool's user, writable by nobody else. 0; 1 when it does not exist;
 * -1 with the reason in @warn.
 */
static int dir_trusted(const char *dir, struct diag *warn)
{
	struct stat st;

	if (lstat(dir, &st)) {
		if (errno == ENOENT)
			return 1;
		diag_file(warn, dir, "warning: the policy cache cannot be used: %s",
			  strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || !owner_ok(&st) || (st.st_mode & 022)) {
		diag_file(warn, dir, "warning: the policy cache is ignored: it must be a directory owned by root (or you) and writable by nobody else (it is %s, uid %u, mode %04o): whoever can write it could load any policy",
			  S_ISDIR(st.st_mode) ? "a directory" : S_ISLNK(st.st_mode) ?
			  "a symlink" : "no directory", (unsigned int)st.st_uid,
			  (unsigned int)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

static char *entry_path(const char *dir, const uint8_t key[CACHE_KEY_LEN])
{
	char hex[2 * CACHE_KEY_LEN + 1], *path = NULL;

	for (int i = 0; i < CACHE_KEY_LEN; i++)
		sprintf(hex + 2 * i, "%02x", key[i]);
	if (asprintf(&path, "%s/%s", dir, hex) < 0)
		return NULL;
	return path;
}

/* The entry's bytes, when it may be trusted. NULL with why (and @warn). */
static uint8_t *read_entry(const char *path, size_t *len, const char **why,
			   struct diag *warn)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	uint8_t *buf = NULL;
	struct stat st;
	size_t got = 0;

	*why = "no entry";
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !owner_ok(&st) ||
	    (st.st_mode & 022) || (size_t)st.st_size > CACHE_MAX_BYTES) {
		*why = "an entry that may not be trusted";
		diag_file(warn, path, "warning: cache entry ignored: it must be a regular file owned by root (or you), writable by nobody else");
		goto out;
	}
	buf = malloc((size_t)st.st_size ? (size_t)st.st_size : 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (!buf || got != (size_t)st.st_size) {
		*why = "an unreadable entry";
		free(buf);
		buf = NULL;
	}
	*len = got;
out:
	close(fd);
	return buf;
}

/* ---- lookup ------------------------------------------------------------ */

/* Do all the recorded dependencies of @i still hold? */
static int deps_hold(struct in *i, struct timespec start, const char **why)
{
	struct deps_check check = { .count = 0 };
	uint32_t count = get_u32(i);
	int holds = 1;

	for (uint32_t n = 0; n < count && !i->bad && holds; n++) {
		struct dep e = { 0 };

		e.path = (char *)get_str(i);
		e.full = (int)get_u32(i);
		e.err = (int)get_u32(i);
		e.dev = get_u64(i);
		e.ino = get_u64(i);
		e.size = get_u64(i);
		e.mode = get_u64(i);
		e.uid = get_u64(i);
		e.gid = get_u64(i);
		e.mtime_sec = (int64_t)get_u64(i);
		e.mtime_nsec = (int64_t)get_u64(i);
		e.ctime_sec = (int64_t)get_u64(i);
		e.ctime_nsec = (int64_t)get_u64(i);
		e.has_sum = get_u32(i) == 1;
		if (e.has_sum)
			memcpy_from(i, e.sum, sizeof(e.sum));
		if (i->bad)
			break;
		if (deps_racy(&e, start)) {
			*why = "a file changed as the entry was made";
			holds = 0;
		} else if (!deps_check(&check, &e)) {
			*why = "a file changed";
			holds = 0;
		}
	}
	deps_check_done(&check);
	if (i->bad)
		*why = "a corrupt entry";
	return holds && !i->bad;
}

static int read_result(struct in *i, struct cache_result *res)
{
	uint32_t count;

	res->counts.loaded = get_u64(i);
	res->counts.refused = get_u64(i);
	res->counts.kept = get_u64(i);
	count = get_u32(i);
	for (uint32_t n = 0; n < count && !i->bad; n++) {
		const char *msg = get_str(i);

		if (msg)
			diag_raw(&res->d, msg);
	}
	return i->bad ? -1 : 0;
}

/* Parse and check @buf; 0 with @res filled when it is the entry of @key and holds. */
static int use_entry(const uint8_t *buf, size_t len, const uint8_t key[CACHE_KEY_LEN],
		     struct cache_result *res, const char **why)
{
	uint8_t sum[CACHE_SUM_LEN];
	struct in i = { .p = buf, .len = len };
	struct timespec start;
	const void *blob;
	uint64_t blob_len;

	*why = "a corrupt entry";
	if (len < sizeof(cache_magic) + CACHE_KEY_LEN + sizeof(sum))
		return -1;
	crypto_generichash(sum, sizeof(sum), buf, len - sizeof(sum), NULL, 0);
	if (sodium_memcmp(sum, buf + len - sizeof(sum), sizeof(sum)))
		return -1;
	i.len = len - sizeof(sum);
	if (memcmp(take(&i, sizeof(cache_magic)), cache_magic, sizeof(cache_magic)))
		return -1;
	if (memcmp(take(&i, CACHE_KEY_LEN), key, CACHE_KEY_LEN)) {
		*why = "an entry of another key";
		return -1;
	}
	start.tv_sec = (time_t)get_u64(&i);
	start.tv_nsec = (long)get_u64(&i);
	if (read_result(&i, res) || !deps_hold(&i, start, why))
		return -1;
	blob_len = get_u64(&i);
	blob = blob_len <= CHARTER_BLOB_MAX_LEN ? take(&i, (size_t)blob_len) : NULL;
	if (!blob || i.off != i.len) {
		*why = "a corrupt entry";
		return -1;
	}
	res->blob = malloc(blob_len ? (size_t)blob_len : 1);
	if (!res->blob) {
		*why = "out of memory";
		return -1;
	}
	memcpy(res->blob, blob, (size_t)blob_len);
	res->len = (size_t)blob_len;
	return 0;
}

int cache_lookup(const char *dir, const uint8_t key[CACHE_KEY_LEN],
		 struct cache_result *res, const char **why, struct diag *warn)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char *path;
	int trusted = dir_trusted(dir, warn);

	memset(res, 0, sizeof(*res));
	/* Before any digest: sodium_init() picks the SIMD BLAKE2b. */
	if (sodium_init() < 0) {
		*why = "libsodium cannot be initialised";
		return 1;
	}
	if (trusted) {
		*why = trusted > 0 ? "no cache directory" : "a cache directory that may not be trusted";
		return 1;
	}
	path = entry_path(dir, key);
	if (path)
		buf = read_entry(path, &len, why, warn);
	free(path);
	if (!buf)
		return 1;
	if (use_entry(buf, len, key, res, why)) {
		cache_result_free(res);
		free(buf);
		return 1;
	}
	free(buf);
	return 0;
}

/* ---- store ------------------------------------------------------------- */

static void put_deps(struct out *o, const struct deps *deps)
{
	size_t count;
	const struct dep *v = deps_list(deps, &count);

	put_u32(o, (uint32_t)count);
	for (size_t n = 0; n < count; n++) {
		put_str(o, v[n].path);
		put_u32(o, (uint32_t)v[n].full);
		put_u32(o, (uint32_t)v[n].err);
		put_u64(o, v[n].dev);
		put_u64(o, v[n].ino);
		put_u64(o, v[n].size);
		put_u64(o, v[n].mode);
		put_u64(o, v[n].uid);
		put_u64(o, v[n].gid);
		put_u64(o, (uint64_t)v[n].mtime_sec);
		put_u64(o, (uint64_t)v[n].mtime_nsec);
		put_u64(o, (uint64_t)v[n].ctime_sec);
		put_u64(o, (uint64_t)v[n].ctime_nsec);
		put_u32(o, (uint32_t)v[n].has_sum);
		if (v[n].has_sum)
			put(o, v[n].sum, sizeof(v[n].sum));
	}
}

static void serialise(struct out *o, const uint8_t key[CACHE_KEY_LEN],
		      const struct deps *deps, const struct cache_result *res)
{
	struct timespec start = deps_start(deps);
	uint8_t sum[CACHE_SUM_LEN];

	put(o, cache_magic, sizeof(cache_magic));
	put(o, key, CACHE_KEY_LEN);
	put_u64(o, (uint64_t)start.tv_sec);
	put_u64(o, (uint64_t)start.tv_nsec);
	put_u64(o, res->counts.loaded);
	put_u64(o, res->counts.refused);
	put_u64(o, res->counts.kept);
	put_u32(o, (uint32_t)res->d.count);
	for (size_t n = 0; n < res->d.count; n++)
		put_str(o, res->d.msgs[n]);
	put_deps(o, deps);
	put_u64(o, res->len);
	put(o, res->blob, res->len);
	if (!o->oom) {
		crypto_generichash(sum, sizeof(sum), o->p, o->len, NULL, 0);
		put(o, sum, sizeof(sum));
	}
}

/* The first racy dependency of @deps, or NULL. */
static const struct dep *first_racy(const struct deps *deps)
{
	size_t count;
	const struct dep *v = deps_list(deps, &count);

	for (size_t n = 0; n < count; n++)
		if (deps_racy(&v[n], deps_start(deps)))
			return &v[n];
	return NULL;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* @o's bytes to a new file in @dir, renamed to @path once synced. */
static int write_atomically(const char *dir, const char *path, const struct out *o)
{
	char *tmp = NULL;
	int fd, err = 0, dfd;

	if (asprintf(&tmp, "%s/.new-XXXXXX", dir) < 0)
		return -1;
	fd = mkstemp(tmp);	/* 0600 */
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	if (write_all(fd, o->p, o->len) || fsync(fd))
		err = errno ? errno : EIO;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err)
		unlink(tmp);
	free(tmp);
	/* The rename itself, on disk before the next boot reads it. */
	dfd = err ? -1 : open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	errno = err;
	return err ? -1 : 0;
}

int cache_store(const char *dir, const uint8_t key[CACHE_KEY_LEN],
		const struct deps *deps, const struct cache_result *res,
		const char **why, struct diag *warn)
{
	struct out o = { 0 };
	char *path = NULL;
	int trusted, ret = -1;

	*why = deps_why_uncacheable(deps);
	if (*why)
		return 1;
	if (first_racy(deps)) {
		*why = "a file it depends on changed in the last 2 seconds";
		return 1;
	}
	if (deps_first_changed(deps)) {
		*why = "a file it depends on changed while it was compiled";
		return 1;
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		/* No /var/cache (a minimal system): no cache, nothing to say. */
		if (errno == ENOENT) {
			*why = "its parent directory is missing";
			return 1;
		}
		diag_file(warn, dir, "warning: the policy cache cannot be made: %s",
			  strerror(errno));
		return -1;
	}
	trusted = dir_trusted(dir, warn);
	if (trusted) {
		*why = "a cache directory that may not be trusted";
		return -1;
	}
	serialise(&o, key, deps, res);
	path = entry_path(dir, key);
	if (o.oom || !path)
		diag_file(warn, dir, "warning: the policy cache was not written: out of memory");
	else if (write_atomically(dir, path, &o))
		diag_file(warn, dir, "warning: the policy cache was not written: %s",
			  strerror(errno));
	else
		ret = 0;
	*why = ret ? "not written" : NULL;
	free(path);
	free(o.p);
	return ret;
}

void cache_result_free(struct cache_result *res)
{
	free(res->blob);
	diag_free(&res->d);
	res->blob = NULL;
	res->len = 0;
}
