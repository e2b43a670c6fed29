// SPDX-License-Identifier: GPL-2.0
/* Unit tests: keys, signatures and the trust store (userspace/sign.c). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "input.h"
#include "sign.h"

struct env {
	char dir[64];
	char trust[96], other_trust[96];
	char key[96], other_key[96];
	char manifest[96];
	char keyid[SIGN_KEYID_LEN + 1];
};

static void path(char *out, size_t n, const char *dir, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void write_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char other_id[SIGN_KEYID_LEN + 1], base[128], cmd[256];
	struct diag d = { 0 };

	strcpy(e->dir, "/tmp/charter-sign-XXXXXX");
	if (!mkdtemp(e->dir))
		return -1;
	path(e->trust, sizeof(e->trust), e->dir, "trusted.d");
	path(e->other_trust, sizeof(e->other_trust), e->dir, "other.d");
	mkdir(e->trust, 0755);
	mkdir(e->other_trust, 0755);
	path(base, sizeof(base), e->dir, "vendor");
	if (sign_keygen(base, e->keyid, &d))
		return -1;
	snprintf(e->key, sizeof(e->key), "%s.key", base);
	path(base, sizeof(base), e->dir, "stranger");
	if (sign_keygen(base, other_id, &d))
		return -1;
	snprintf(e->other_key, sizeof(e->other_key), "%s.key", base);
	snprintf(cmd, sizeof(cmd), "cp %s/vendor.pub %s/ && cp %s/stranger.pub %s/",
		 e->dir, e->trust, e->dir, e->other_trust);
	if (system(cmd))
		return -1;
	path(e->manifest, sizeof(e->manifest), e->dir, "app.yml");
	write_file(e->manifest, "manifestVersion: v1\nname: app\nrun: /bin/sh\n");
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->dir);
	if (system(cmd))
		return -1;
	free(e);
	return 0;
}

/* Verify e->manifest as input.c would; the diagnostics are returned. */
static int verify(struct env *e, const char *trust, struct diag *d)
{
	struct input_options o = { .trust_dir = trust, .mounts = "/proc/self/mounts" };
	char *args[] = { e->manifest };
	struct manifest *ms = NULL;
	size_t count = 0;
	int ret;

	memset(d, 0, sizeof(*d));
	ret = input_read(args, 1, &o, &ms, &count, d);
	input_free(ms, count);
	return ret;
}

static int has(const struct diag *d, const char *text)
{
	for (size_t i = 0; i < d->count; i++)
		if (strstr(d->msgs[i], text))
			return 1;
	for (size_t i = 0; i < d->count; i++)
		print_message("diag: %s\n", d->msgs[i]);
	return 0;
}

static void keygen_files(void **state)
{
	struct env *e = *state;
	char pub[128], line[256];
	struct stat st;
	struct diag d = { 0 };
	FILE *f;

	assert_int_equal(stat(e->key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(pub, sizeof(pub), "%s/vendor.pub", e->dir);
	f = fopen(pub, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_int_equal(strncmp(line, "charter-ed25519-public ", 23), 0);
	assert_int_equal(strncmp(line + 23, e->keyid, SIGN_KEYID_LEN), 0);
	assert_int_equal(strlen(e->keyid), SIGN_KEYID_LEN);

	/* Never overwrite a key. */
	snprintf(pub, sizeof(pub), "%s/vendor", e->dir);
	assert_int_equal(sign_keygen(pub, line, &d), -1);
	assert_true(has(&d, "cannot create"));
	diag_free(&d);
}

static void good_signature(void **state)
{
	struct env *e = *state;
	struct diag d = { 0 };

	assert_int_equal(sign_file(e->key, e->manifest, &d), 0);
	assert_int_equal(verify(e, e->trust, &d), 0);
	diag_free(&d);
}

static void unsigned_refused(void **state)
{
	struct env *e = *state;
	char sig[128];
	struct diag d;

	snprintf(sig, sizeof(sig), "%s.sig", e->manifest);
	unlink(sig);
	assert_int_equal(verify(e, e->trust, &d), -1);
	assert_true(has(&d, "unsigned: "));
	assert_true(has(&d, "--allow-unsigned"));
	diag_free(&d);
}

static void tampered_refused(void **state)
{
	struct env *e = *state;
	struct diag d = { 0 };
	FILE *f;

	assert_int_equal(sign_file(e->key, e->manifest, &d), 0);
	f = fopen(e->manifest, "a");
	fputs("allowedDevices: [keyboard]\n", f);
	fclose(f);
	assert_int_equal(verify(e, e->trust, &d), -1);
	assert_true(has(&d, "bad signature: the file was changed after key"));
	diag_free(&d);
}

static void untrusted_key_named(void **state)
{
	struct env *e = *state;
	struct diag d = { 0 };
	char want[128];

	assert_int_equal(sign_file(e->key, e->manifest, &d), 0);
	/* A store that holds only another key. */
	assert_int_equal(verify(e, e->other_trust, &d), -1);
	snprintf(want, sizeof(want), "signed by key %s, which is not in the trust store %s",
		 e->keyid, e->other_trust);
	assert_true(has(&d, want));
	diag_free(&d);
	/* Signed by the stranger, checked against the vendor's store. */
	assert_int_equal(sign_file(e->other_key, e->manifest, &d), 0);
	assert_int_equal(verify(e, e->trust, &d), -1);
	assert_true(has(&d, "which is not in the trust store"));
	diag_free(&d);
}

static void truncated_signature_refused(void **state)
{
	struct env *e = *state;
	struct diag d = { 0 };
	char sig[128];
	FILE *f;
	long n;

	assert_int_equal(sign_file(e->key, e->manifest, &d), 0);
	snprintf(sig, sizeof(sig), "%s.sig", e->manifest);
	f = fopen(sig, "r+");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	assert_int_equal(truncate(sig, n - 10), 0);
	assert_int_equal(verify(e, e->trust, &d), -1);
	assert_true(has(&d, "not a valid 'charter-signature-v1 ed25519' line"));
	diag_free(&d);
	write_file(sig, "");
	assert_int_equal(verify(e, e->trust, &d), -1);
	assert_true(has(&d, "not a valid"));
	diag_free(&d);
}

/* A public key file whose key id does not match its key is not trusted. */
static void forged_key_id_refused(void **state)
{
	struct env *e = *state;
	struct diag d = { 0 };
	char pub[128], line[256], *sp;
	FILE *f;

	assert_int_equal(sign_file(e->other_key, e->manifest, &d), 0);
	/* Relabel the stranger's public key with the vendor's id. */
	snprintf(pub, sizeof(pub), "%s/stranger.pub", e->dir);
	f = fopen(pub, "r");
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	sp = strchr(line, ' ');
	memcpy(sp + 1, e->keyid, SIGN_KEYID_LEN);
	snprintf(pub, sizeof(pub), "%s/forged.pub", e->trust);
	write_file(pub, line);
	assert_int_equal(verify(e, e->trust, &d), -1);
	assert_true(has(&d, "not in the trust store"));
	unlink(pub);
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keygen_files),
		cmocka_unit_test(good_signature),
		cmocka_unit_test(unsigned_refused),
		cmocka_unit_test(tampered_refused),
		cmocka_unit_test(untrusted_key_named),
		cmocka_unit_test(truncated_signature_refused),
		cmocka_unit_test(forged_key_id_refused),
	};

	return cmocka_run_group_tests_name("sign", tests, setup, teardown);
}
