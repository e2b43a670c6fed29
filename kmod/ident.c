// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: the identity of an executable is the SHA-256 of its content.
 *
 * The crypto API picks the fastest sha256 driver the CPU has (SHA-NI,
 * AVX2, or the generic one). Callers hash only files whose size some
 * manifest names, so most executions never get here.
 */

#include <crypto/hash.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "ident.h"

#define CHARTER_HASH_CHUNK (64 * 1024)

static struct crypto_shash *charter_sha256;

int charter_ident_init(void)
{
	charter_sha256 = crypto_alloc_shash("sha256", 0, 0);
	if (IS_ERR(charter_sha256)) {
		int err = PTR_ERR(charter_sha256);

		charter_sha256 = NULL;
		return err;
	}
	return 0;
}

void charter_ident_exit(void)
{
	crypto_free_shash(charter_sha256);
}

/*
 * Hash the first @size bytes of @file. A file that turns out shorter fails
 * with -EIO: the caller then refuses the exec rather than guess.
 */
int charter_ident_hash(struct file *file, u64 size,
		       u8 digest[CHARTER_SHA256_LEN])
{
	SHASH_DESC_ON_STACK(desc, charter_sha256);
	loff_t pos = 0;
	void *buf;
	int err;

	buf = kmalloc(CHARTER_HASH_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	desc->tfm = charter_sha256;
	err = crypto_shash_init(desc);
	while (!err && pos < size) {
		size_t want = min_t(u64, CHARTER_HASH_CHUNK, size - pos);
		ssize_t got = kernel_read(file, buf, want, &pos);

		if (got < 0)
			err = got;
		else if (!got)
			err = -EIO;
		else
			err = crypto_shash_update(desc, buf, got);
	}
	if (!err)
		err = crypto_shash_final(desc, digest);
	shash_desc_zero(desc);
	kfree(buf);
	return err;
}
