// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: the identity of an executable is the SHA-256 of its content.
 *
 * The crypto API picks the fastest sha256 driver the CPU has (SHA-NI,
 * AVX2, or the generic one). Callers hash only files whose size some
 * manifest names, so most executions never get here.
 *
 * Digests are cached per inode. An entry is keyed by superblock, inode
 * number and generation, and is used only while the inode's size, mtime,
 * ctime and i_version (where the filesystem keeps one) are those it was
 * hashed with; it is dropped as soon as the file is opened for writing
 * (writes through a shared mapping need such an open first). Exec itself
 * refuses files open for writing (ETXTBSY), so nothing changes between a
 * hash and its use.
 */

#include <crypto/hash.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/iversion.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "ident.h"

#define CHARTER_HASH_CHUNK (64 * 1024)
#define CHARTER_DIGEST_CACHE_BITS 10
#define CHARTER_DIGEST_CACHE_MAX 4096

struct charter_digest {
	struct hlist_node node;
	struct rcu_head rcu;
	const struct super_block *sb;
	unsigned long ino;
	u32 generation;
	u64 size;
	u64 iversion;
	struct timespec64 mtime;
	struct timespec64 ctime;
	u8 digest[CHARTER_SHA256_LEN];
};

static struct crypto_shash *charter_sha256;
static DEFINE_HASHTABLE(charter_digests, CHARTER_DIGEST_CACHE_BITS);
static DEFINE_SPINLOCK(charter_digests_lock);
static unsigned int charter_digest_count;
/* On while the cache holds something: write opens then look in it. */
static DEFINE_STATIC_KEY_FALSE(charter_digests_cached);

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
	struct charter_digest *e;
	struct hlist_node *tmp;
	unsigned int bkt;

	hash_for_each_safe(charter_digests, bkt, tmp, e, node) {
		hash_del(&e->node);
		kfree(e);
	}
	charter_digest_count = 0;
	crypto_free_shash(charter_sha256);
}

static unsigned long charter_inode_key(const struct inode *inode)
{
	return (unsigned long)inode->i_sb ^ inode->i_ino;
}

static bool charter_same_inode(const struct charter_digest *e,
			       const struct inode *inode)
{
	return e->sb == inode->i_sb && e->ino == inode->i_ino &&
	       e->generation == inode->i_generation;
}

static u64 charter_iversion(struct inode *inode)
{
	return IS_I_VERSION(inode) ? inode_query_iversion(inode) : 0;
}

/* Is @e still about the content of @inode now? */
static bool charter_digest_fresh(const struct charter_digest *e,
				 struct inode *inode, u64 size)
{
	return e->size == size && timespec64_equal(&e->mtime, &inode->i_mtime) &&
	       timespec64_equal(&e->ctime, &inode->i_ctime) &&
	       e->iversion == charter_iversion(inode);
}

static bool charter_digest_lookup(struct inode *inode, u64 size,
				  u8 digest[CHARTER_SHA256_LEN])
{
	struct charter_digest *e;
	bool found = false;

	rcu_read_lock();
	hash_for_each_possible_rcu(charter_digests, e, node,
				   charter_inode_key(inode)) {
		if (charter_same_inode(e, inode)) {
			found = charter_digest_fresh(e, inode, size);
			if (found)
				memcpy(digest, e->digest, CHARTER_SHA256_LEN);
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* Remove @inode's entry; the caller holds charter_digests_lock. */
static void charter_digest_remove_locked(const struct inode *inode)
{
	struct charter_digest *e;

	hash_for_each_possible(charter_digests, e, node,
			       charter_inode_key(inode)) {
		if (charter_same_inode(e, inode)) {
			hash_del_rcu(&e->node);
			kfree_rcu(e, rcu);
			charter_digest_count--;
			return;
		}
	}
}

static void charter_digest_store(struct inode *inode, u64 size,
				 const struct timespec64 *mtime,
				 const struct timespec64 *ctime, u64 iversion,
				 const u8 digest[CHARTER_SHA256_LEN])
{
	struct charter_digest *e = kmalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return;
	e->sb = inode->i_sb;
	e->ino = inode->i_ino;
	e->generation = inode->i_generation;
	e->size = size;
	e->mtime = *mtime;
	e->ctime = *ctime;
	e->iversion = iversion;
	memcpy(e->digest, digest, CHARTER_SHA256_LEN);
	spin_lock(&charter_digests_lock);
	charter_digest_remove_locked(inode);
	if (charter_digest_count < CHARTER_DIGEST_CACHE_MAX) {
		hash_add_rcu(charter_digests, &e->node, charter_inode_key(inode));
		charter_digest_count++;
		e = NULL;
	}
	spin_unlock(&charter_digests_lock);
	kfree(e);	/* the cache is full: hash again next time */
	if (!static_key_enabled(&charter_digests_cached))
		static_branch_enable(&charter_digests_cached);
}

/* Hash the first @size bytes of @file; -EIO if it turns out shorter. */
static int charter_hash_file(struct file *file, u64 size,
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

/*
 * The digest of @file, of size @size: from the cache when fresh, else
 * hashed (and cached). The file cannot be written meanwhile: exec holds
 * deny_write_access() on it.
 */
int charter_ident_digest(struct file *file, u64 size,
			 u8 digest[CHARTER_SHA256_LEN])
{
	struct inode *inode = file_inode(file);
	struct timespec64 mtime = inode->i_mtime, ctime = inode->i_ctime;
	u64 iversion = charter_iversion(inode);
	int err;

	if (charter_digest_lookup(inode, size, digest))
		return 0;
	err = charter_hash_file(file, size, digest);
	if (!err)
		charter_digest_store(inode, size, &mtime, &ctime, iversion,
				     digest);
	return err;
}

static bool charter_digest_known(const struct inode *inode)
{
	struct charter_digest *e;
	bool known = false;

	rcu_read_lock();
	hash_for_each_possible_rcu(charter_digests, e, node,
				   charter_inode_key(inode))
		known |= charter_same_inode(e, inode);
	rcu_read_unlock();
	return known;
}

/*
 * @file is being opened for writing: forget what we know of its content.
 * Every write open of every task comes here once something is cached: a
 * lock-free look first, the lock only for a file we know.
 */
void charter_ident_forget(struct file *file)
{
	struct inode *inode = file_inode(file);

	if (!static_branch_unlikely(&charter_digests_cached) ||
	    !charter_digest_known(inode))
		return;
	spin_lock(&charter_digests_lock);
	charter_digest_remove_locked(inode);
	spin_unlock(&charter_digests_lock);
}
