/* SPDX-License-Identifier: GPL-2.0 */
/* Ed25519 keys, detached signatures and the trust store (libsodium). */
#ifndef CHARTER_SIGN_H
#define CHARTER_SIGN_H

#include <stddef.h>

#include "diag.h"

#define SIGN_KEYID_LEN 16	/* hex digits */
#define SIGN_DEFAULT_TRUST_DIR "/etc/charter/trusted.d"

/* Write BASE.key (secret, mode 0600) and BASE.pub; refuses to overwrite. */
int sign_keygen(const char *base, char keyid[SIGN_KEYID_LEN + 1],
		struct diag *d);

/* Write FILE.sig: a detached signature of FILE's bytes with @keyfile. */
int sign_file(const char *keyfile, const char *file, struct diag *d);

/*
 * Verify @buf (the bytes of @file) against @file.sig and the public keys
 * (*.pub) in @trust_dir. 0 when a trusted key signed exactly these bytes;
 * the signer's key id is in @keyid whenever the signature could be read.
 */
int sign_verify(const char *file, const unsigned char *buf, size_t len,
		const char *trust_dir, char keyid[SIGN_KEYID_LEN + 1],
		struct diag *d);

/*
 * The trust store @dir (which must outlive it), its key files read once,
 * at the first verification that needs a key, for many manifests. NULL
 * when out of memory.
 */
struct sign_trust;
struct sign_trust *sign_trust_new(const char *dir);
/* The same, the directory and files read recorded in @deps (deps.h). */
struct deps;
struct sign_trust *sign_trust_new_in(const char *dir, struct deps *deps);
void sign_trust_free(struct sign_trust *t);

/* sign_verify() against the store @trust. */
int sign_verify_in(struct sign_trust *trust, const char *file,
		   const unsigned char *buf, size_t len,
		   char keyid[SIGN_KEYID_LEN + 1], struct diag *d);

#endif
