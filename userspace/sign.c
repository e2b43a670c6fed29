// SPDX-License-Identifier: GPL-2.0
/*
 * Signing: libsodium Ed25519, detached signatures over the exact bytes of
 * a file, and a trust store of public keys.
 *
 * Formats (one line each, fields separated by one space):
 *   BASE.pub   charter-ed25519-public KEYID BASE64(public key, 32 bytes)
 *   BASE.key   charter-ed25519-secret KEYID BASE64(secret key, 64 bytes)
 *   FILE.sig   charter-signature-v1 ed25519 KEYID BASE64(signature, 64 bytes)
 * KEYID is the first 8 bytes of BLAKE2b-256(public key), in hex.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deps.h"
#include "sign.h"

#define PUB_TAG "charter-ed25519-public"
#define SEC_TAG "charter-ed25519-secret"
#define SIG_TAG "charter-signature-v1 ed25519"

static void key_id(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
		   char out[SIGN_KEYID_LEN + 1])
{
	unsigned char h[crypto_generichash_BYTES];

	crypto_generichash(h, sizeof(h), pk, crypto_sign_PUBLICKEYBYTES, NULL, 0);
	sodium_bin2hex(out, SIGN_KEYID_LEN + 1, h, SIGN_KEYID_LEN / 2);
}

static int write_line(const char *path, mode_t mode, const char *tag,
		      const char *keyid, const unsigned char *bin, size_t len,
		      struct diag *d)
{
	char b64[sodium_base64_ENCODED_LEN(128, sodium_base64_VARIANT_ORIGINAL)];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	FILE *f;

	if (fd < 0) {
		diag_file(d, path, "cannot create: %s", strerror(errno));
		return -1;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	sodium_bin2base64(b64, sizeof(b64), bin, len, sodium_base64_VARIANT_ORIGINAL);
	fprintf(f, "%s %s %s\n", tag, keyid, b64);
	if (fclose(f)) {
		diag_file(d, path, "cannot write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* A key or signature file is read whole up to this size, and refused past it. */
#define LINE_FILE_MAX 65536

/*
 * Read @fd to its end (at most LINE_FILE_MAX bytes), feeding every byte
 * to @r, its first line (at most @size - 1 bytes, as fgets() has it) in
 * @line. 0; -1 with errno; -2: larger than LINE_FILE_MAX.
 */
static int read_first_line(int fd, char *line, size_t size, struct deps_read *r)
{
	char buf[4096];
	size_t have = 0, total = 0;
	int done = 0;

	for (;;) {
		ssize_t n = deps_read(r, fd, buf, sizeof(buf));

		if (n < 0)
			return -1;
		if (!n)
			break;
		total += (size_t)n;
		for (size_t i = 0; i < (size_t)n && !done && have < size - 1; i++) {
			line[have++] = buf[i];
			done = buf[i] == '\n';
		}
		if (total > LINE_FILE_MAX)
			return -2;
	}
	line[have] = '\0';
	return 0;
}

/*
 * Read a one-line file "TAG KEYID BASE64" into @bin (exactly @len bytes),
 * recorded in @deps (NULL: none), the cache's digest of the very bytes
 * read (one descriptor, one read: a file changed through a shared mapping
 * cannot give the digest one content and the line another). 0, or -1
 * with the reason in @d. A missing file is -2, reported by caller.
 */
static int read_line(const char *path, const char *tag, char keyid[SIGN_KEYID_LEN + 1],
		     unsigned char *bin, size_t len, struct deps *deps, struct diag *d)
{
	char line[512], *p, *end;
	size_t taglen = strlen(tag), got = 0;
	struct deps_read r;
	struct stat st;
	int fd = deps_open_read(deps, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, &r);
	int res;

	if (fd < 0) {
		if (errno == ENOENT)
			return -2;
		diag_file(d, path, "cannot read: %s", strerror(errno));
		return -1;
	}
	res = fstat(fd, &st) ? errno : 0;
	if (res || !S_ISREG(st.st_mode)) {
		diag_file(d, path, "cannot read: %s", res ? strerror(res) : "not a regular file");
		deps_read_done(&r, 0);
		close(fd);
		return -1;
	}
	res = read_first_line(fd, line, sizeof(line), &r);
	deps_read_done(&r, !res);
	close(fd);
	if (res == -1) {
		diag_file(d, path, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (res || strncmp(line, tag, taglen) || line[taglen] != ' ')
		goto bad;
	p = line + taglen + 1;
	end = strchr(p, ' ');
	if (!end || end - p != SIGN_KEYID_LEN)
		goto bad;
	memcpy(keyid, p, SIGN_KEYID_LEN);
	keyid[SIGN_KEYID_LEN] = '\0';
	p = end + 1;
	p[strcspn(p, " \r\n")] = '\0';
	if (sodium_base642bin(bin, len, p, strlen(p), NULL, &got, NULL,
			      sodium_base64_VARIANT_ORIGINAL) || got != len)
		goto bad;
	return 0;
bad:
	diag_file(d, path, "not a valid '%s' line", tag);
	return -1;
}

int sign_keygen(const char *base, char keyid[SIGN_KEYID_LEN + 1],
		struct diag *d)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char *pub = NULL, *sec = NULL;
	int ret = -1;

	if (sodium_init() < 0 || asprintf(&pub, "%s.pub", base) < 0 ||
	    asprintf(&sec, "%s.key", base) < 0)
		goto out;
	crypto_sign_keypair(pk, sk);
	key_id(pk, keyid);
	if (write_line(sec, 0600, SEC_TAG, keyid, sk, sizeof(sk), d))
		goto out;
	if (write_line(pub, 0644, PUB_TAG, keyid, pk, sizeof(pk), d)) {
		unlink(sec);
		goto out;
	}
	ret = 0;
out:
	sodium_memzero(sk, sizeof(sk));
	free(pub);
	free(sec);
	return ret;
}

static unsigned char *read_all(const char *path, size_t *len, struct diag *d)
{
	unsigned char *buf = NULL;
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		diag_file(d, path, "cannot read: %s", strerror(errno));
		free(buf);
		buf = NULL;
	} else {
		*len = (size_t)n;
	}
	if (f)
		fclose(f);
	return buf;
}

int sign_file(const char *keyfile, const char *file, struct diag *d)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	char keyid[SIGN_KEYID_LEN + 1], *sigpath = NULL;
	unsigned char *buf;
	size_t len;
	int ret = -1, r;

	if (sodium_init() < 0)
		return -1;
	r = read_line(keyfile, SEC_TAG, keyid, sk, sizeof(sk), NULL, d);
	if (r == -2)
		diag_file(d, keyfile, "no such secret key file");
	if (r)
		return -1;
	buf = read_all(file, &len, d);
	if (!buf)
		goto out;
	crypto_sign_detached(sig, NULL, buf, len, sk);
	free(buf);
	if (asprintf(&sigpath, "%s.sig", file) < 0)
		goto out;
	/* Replace an old signature: sign again after an edit. */
	unlink(sigpath);
	ret = write_line(sigpath, 0644, SIG_TAG, keyid, sig, sizeof(sig), d);
out:
	sodium_memzero(sk, sizeof(sk));
	free(sigpath);
	return ret;
}

/* A key of the trust store, read once per run. */
struct trusted {
	char id[SIGN_KEYID_LEN + 1];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
};

struct sign_trust {
	const char *dir;
	struct deps *deps;	/* records the files read, or NULL */
	int loaded;
	int dir_errno;		/* the directory could not be read */
	struct trusted *keys;	/* in readdir order */
	size_t count;
	/* What was wrong with the key files skipped, said when a key is missing. */
	struct diag skipped;
};

struct sign_trust *sign_trust_new(const char *dir)
{
	struct sign_trust *t = calloc(1, sizeof(*t));

	if (t)
		t->dir = dir;
	return t;
}

struct sign_trust *sign_trust_new_in(const char *dir, struct deps *deps)
{
	struct sign_trust *t = sign_trust_new(dir);

	if (t)
		t->deps = deps;
	return t;
}

void sign_trust_free(struct sign_trust *t)
{
	if (!t)
		return;
	sodium_memzero(t->keys, t->count * sizeof(*t->keys));
	free(t->keys);
	diag_free(&t->skipped);
	free(t);
}

static int trust_add(struct sign_trust *t, const char *id,
		     const unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
	struct trusted *grown = realloc(t->keys, (t->count + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	t->keys = grown;
	memcpy(t->keys[t->count].id, id, sizeof(t->keys[t->count].id));
	memcpy(t->keys[t->count].pk, pk, crypto_sign_PUBLICKEYBYTES);
	t->count++;
	return 0;
}

/*
 * Read every key file (ending in .pub) of the store once: the usable keys
 * in t->keys, what is wrong with the others in t->skipped.
 */
static void trust_load(struct sign_trust *t)
{
	struct dirent *e;
	DIR *dh;

	/* A key added, removed or renamed changes the directory's times. */
	deps_path(t->deps, t->dir, DEPS_FOLLOW | DEPS_CONTENT);
	dh = opendir(t->dir);
	t->loaded = 1;
	if (!dh) {
		t->dir_errno = errno ? errno : EIO;
		return;
	}
	while ((e = readdir(dh))) {
		size_t n = strlen(e->d_name);
		unsigned char pk[crypto_sign_PUBLICKEYBYTES];
		char id[SIGN_KEYID_LEN + 1], *path = NULL;
		char computed[SIGN_KEYID_LEN + 1];

		if (n < 5 || strcmp(e->d_name + n - 4, ".pub") ||
		    asprintf(&path, "%s/%s", t->dir, e->d_name) < 0)
			continue;
		/* Recorded, and its digest taken of the bytes read, by read_line(). */
		if (!read_line(path, PUB_TAG, id, pk, sizeof(pk), t->deps, &t->skipped)) {
			key_id(pk, computed);
			if (strcmp(id, computed))
				diag_file(&t->skipped, path, "its key id %s is not the id of its key (%s)",
					  id, computed);
			else
				trust_add(t, id, pk);
		}
		free(path);
	}
	closedir(dh);
}

/*
 * Find the public key @keyid in the store @t (read at the first call):
 * 0; -2 when no key there has that id; -3 when the directory cannot be
 * read (said in @d). When the key is not found, each malformed key file
 * that was skipped is named in @d too: it may be the very key that was
 * meant.
 */
static int trusted_key(struct sign_trust *t, const char *keyid,
		       unsigned char pk[crypto_sign_PUBLICKEYBYTES], struct diag *d)
{
	if (!t->loaded)
		trust_load(t);
	if (t->dir_errno) {
		diag_file(d, t->dir, "cannot read the trust store: %s (no key is trusted: install the signer's .pub file there, or name another store with --trust)",
			  strerror(t->dir_errno));
		return -3;
	}
	for (size_t i = 0; i < t->count; i++) {
		if (!strcmp(t->keys[i].id, keyid)) {
			memcpy(pk, t->keys[i].pk, crypto_sign_PUBLICKEYBYTES);
			return 0;
		}
	}
	for (size_t i = 0; i < t->skipped.count; i++)
		diag_file(d, t->skipped.msgs[i], "skipped, not a usable key");
	return -2;
}

int sign_verify_in(struct sign_trust *trust, const char *file,
		   const unsigned char *buf, size_t len,
		   char keyid[SIGN_KEYID_LEN + 1], struct diag *d)
{
	unsigned char sig[crypto_sign_BYTES], pk[crypto_sign_PUBLICKEYBYTES];
	char *sigpath = NULL;
	int r;

	keyid[0] = '\0';
	if (sodium_init() < 0 || asprintf(&sigpath, "%s.sig", file) < 0)
		return -1;
	/* Recorded before it is opened, hashed as it is read (read_line()). */
	r = read_line(sigpath, SIG_TAG, keyid, sig, sizeof(sig), trust->deps, d);
	if (r == -2)
		diag_file(d, file, "unsigned: %s is missing (sign with 'charter sign', or pass --allow-unsigned)",
			  sigpath);
	free(sigpath);
	if (r)
		return -1;
	r = trusted_key(trust, keyid, pk, d);
	if (r == -3) {
		diag_file(d, file, "signed by key %s, but the trust store %s cannot be read",
			  keyid, trust->dir);
		return -1;
	}
	if (r) {
		diag_file(d, file, "signed by key %s, which is not in the trust store %s",
			  keyid, trust->dir);
		return -1;
	}
	if (crypto_sign_verify_detached(sig, buf, len, pk)) {
		diag_file(d, file, "bad signature: the file was changed after key %s signed it",
			  keyid);
		return -1;
	}
	return 0;
}

int sign_verify(const char *file, const unsigned char *buf, size_t len,
		const char *trust_dir, char keyid[SIGN_KEYID_LEN + 1],
		struct diag *d)
{
	struct sign_trust *t = sign_trust_new(trust_dir);
	int r;

	if (!t)
		return -1;
	r = sign_verify_in(t, file, buf, len, keyid, d);
	sign_trust_free(t);
	return r;
}
