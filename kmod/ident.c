// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: the identity of an executable is the SHA-256 of its content.
 *
 * The crypto API picks the fastest sha256 driver the CPU has (SHA-NI,
 * AVX2, or the generic one). Callers hash only files whose size some
 * manifest names, so most executions never get here.
 *
 * Digests are cached per inode, and a cached digest must be that of the
 * content now. The content of a file changes only through a writer the
 * kernel counts in i_writecount: an open for writing (which a writable
 * shared mapping keeps), or truncate(2) by path. Each is counted before
 * Charter's file_open or path_truncate hook sees it (charter_ident_forget()).
 * So:
 *
 * - A digest is kept only if the file had no writer and no writable
 *   shared mapping from before its first byte was read until it is
 *   stored. A pending entry is published before hashing, and the writer
 *   count read after it: a writer counted too late for that read finds
 *   the entry and spoils it. The hash makes it valid only if unspoilt,
 *   with no writer there (charter_digest_begin(), charter_digest_end()).
 * - A valid entry is dropped by the first writer.
 * - Files whose writers are not counted (memfd_create() files: their first
 *   descriptor is open for writing, uncounted) are never cached.
 * - On overlayfs the content is the real (upper or lower) file's, which
 *   can be written without the overlay: entries are keyed, counted and
 *   dropped on that inode.
 *
 * The size, mtime, ctime and i_version the hash started with must still
 * be the inode's when the digest is stored and when it is used: a second
 * guard, for changes no local writer makes (a network filesystem's
 * server).
 */

#include <crypto/hash.h>
#include <linux/dcache.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/iversion.h>
#include <linux/shmem_fs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "compat.h"
#include "ident.h"

#define CHARTER_HASH_CHUNK (64 * 1024)
/*
 * The SIMD sha256 drivers (sha256-ni, -avx2...) keep preemption off for
 * the whole of an update (kernel_fpu_begin()): one page at a time bounds
 * that to a few microseconds.
 */
#define CHARTER_HASH_STEP PAGE_SIZE
#define CHARTER_DIGEST_CACHE_BITS 10
#define CHARTER_DIGEST_CACHE_MAX 4096

enum charter_digest_state {
	CHARTER_DIGEST_PENDING,	/* being hashed: not to be used */
	CHARTER_DIGEST_SPOILT,	/* a writer came during the hash */
	CHARTER_DIGEST_VALID,	/* the digest of the content now */
};

/*
 * A pending or spoilt entry belongs to the task hashing it, which alone
 * removes it; a valid one may be removed by anyone (under the lock, freed
 * after RCU). At most one entry per inode.
 */
struct charter_digest {
	struct hlist_node node;
	struct rcu_head rcu;
	const struct super_block *sb;
	unsigned long ino;
	u32 generation;
	int state;	/* enum charter_digest_state; written under the lock */
	u64 size;
	u64 iversion;
	struct timespec64 mtime;
	struct timespec64 ctime;
	u8 digest[CHARTER_SHA256_LEN];
};

static struct crypto_shash *charter_sha256;
static DEFINE_HASHTABLE(charter_digests, CHARTER_DIGEST_CACHE_BITS);
static DEFINE_SPINLOCK(charter_digests_lock);
/* Files read in full to hash them (charter_ident_files_hashed()). */
static atomic64_t charter_files_hashed = ATOMIC64_INIT(0);
/* Woken when a pending entry stops being pending (charter_digest_end()). */
static DECLARE_WAIT_QUEUE_HEAD(charter_digests_done);
static unsigned int charter_digest_count;
/* On while the cache holds something: write opens then look in it. */
DEFINE_STATIC_KEY_FALSE(charter_digests_cached);

/*
 * The fastest sha256 registered: the crypto API picks the driver of the
 * highest priority. The generic one is built into Debian's kernels, so
 * asking for "sha256" never loads the x86 module (sha256_ssse3, which
 * registers sha256-ni, -avx2, -avx and -ssse3 for the CPU features
 * present, each above the generic one): setup.c names it a soft
 * dependency, which modprobe and libkmod load before Charter.
 */
static struct crypto_shash *charter_sha256_fastest(void)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);

	if (!IS_ERR(tfm))
		pr_info("charter: executables hashed by %s\n",
			crypto_shash_driver_name(tfm));
	return tfm;
}

int charter_ident_init(void)
{
	charter_sha256 = charter_sha256_fastest();
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
	struct timespec64 mtime = charter_inode_mtime(inode);
	struct timespec64 ctime = charter_inode_ctime(inode);

	return e->size == size && timespec64_equal(&e->mtime, &mtime) &&
	       timespec64_equal(&e->ctime, &ctime) &&
	       e->iversion == charter_iversion(inode);
}

/*
 * The inode that holds @file's content: on overlayfs the real file's,
 * which can be written directly, not through the overlay.
 */
static struct inode *charter_content_inode(const struct file *file)
{
	return d_real_inode(file->f_path.dentry);
}

/*
 * The inode exec and mmap map @file's pages from: on overlayfs the real
 * file the overlay file was opened on. A copy-up after that open (a
 * chmod through the overlay is enough) sends the overlay file's reads to
 * the new upper file, which may then be written directly, while its
 * mappings still come from the file it was opened on.
 */
static struct inode *charter_mapped_inode(struct file *file)
{
	if (file_inode(file)->i_sb->s_magic == OVERLAYFS_SUPER_MAGIC)
		return file_inode(charter_ovl_real_file(file));
	return file_inode(file);
}

/*
 * Files of a kernel-internal mount (memfd_create(), shared anonymous
 * memory) are made open for writing by alloc_file_pseudo(), which does
 * not count them in i_writecount: they may have writers nothing shows.
 */
static bool charter_writers_uncounted(const struct inode *inode)
{
	return inode->i_sb->s_flags & SB_KERNMOUNT;
}

/* Is @inode open for writing, or mapped shared and writable? */
static bool charter_has_writers(struct inode *inode)
{
	return atomic_read(&inode->i_writecount) > 0 ||
	       mapping_writably_mapped(inode->i_mapping);
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
			/* Pairs with charter_digest_end(): VALID, then the digest. */
			found = smp_load_acquire(&e->state) == CHARTER_DIGEST_VALID &&
				charter_digest_fresh(e, inode, size);
			if (found)
				memcpy(digest, e->digest, CHARTER_SHA256_LEN);
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* @inode's entry; the caller holds charter_digests_lock. */
static struct charter_digest *charter_digest_find_locked(const struct inode *inode)
{
	struct charter_digest *e;

	hash_for_each_possible(charter_digests, e, node,
			       charter_inode_key(inode))
		if (charter_same_inode(e, inode))
			return e;
	return NULL;
}

/* Unpublish @e, freed once RCU readers are done with it; lock held. */
static void charter_digest_drop_locked(struct charter_digest *e)
{
	hash_del_rcu(&e->node);
	kfree_rcu(e, rcu);
	charter_digest_count--;
}

/*
 * The hash of @e's inode is over, with @digest (NULL if it failed). Keep
 * it if no writer came since @e was published, none is there now, and the
 * inode still looks as it did when the hash began; else forget it.
 */
static void charter_digest_end(struct inode *inode, struct charter_digest *e,
			       const u8 *digest)
{
	spin_lock(&charter_digests_lock);
	if (digest && e->state == CHARTER_DIGEST_PENDING &&
	    !charter_has_writers(inode) && charter_digest_fresh(e, inode, e->size)) {
		memcpy(e->digest, digest, CHARTER_SHA256_LEN);
		/* Lock-free readers that see VALID see the digest. */
		smp_store_release(&e->state, CHARTER_DIGEST_VALID);
	} else {
		charter_digest_drop_locked(e);
	}
	spin_unlock(&charter_digests_lock);
	wake_up_all(&charter_digests_done);
}

/*
 * Publish @e for @inode, in place of a valid entry. Return: 0; -EBUSY when
 * another task is hashing @inode (its entry is its own); -ENOSPC when the
 * cache is full (hash, keep nothing, hash again next time).
 */
static int charter_digest_publish(struct inode *inode, struct charter_digest *e)
{
	struct charter_digest *old;
	int err = 0;

	spin_lock(&charter_digests_lock);
	old = charter_digest_find_locked(inode);
	if (old && old->state != CHARTER_DIGEST_VALID) {
		err = -EBUSY;
		goto out;
	}
	if (old)
		charter_digest_drop_locked(old);
	if (charter_digest_count >= CHARTER_DIGEST_CACHE_MAX) {
		err = -ENOSPC;
		goto out;
	}
	hash_add_rcu(charter_digests, &e->node, charter_inode_key(inode));
	charter_digest_count++;
out:
	spin_unlock(&charter_digests_lock);
	return err;
}

/*
 * Before hashing @inode: a pending entry, published so that every writer
 * counted after this finds it (and spoils it); NULL if no digest of this
 * hash may be kept; ERR_PTR(-EBUSY) if another task is hashing @inode.
 */
static struct charter_digest *charter_digest_begin(struct inode *inode,
						   u64 size)
{
	struct charter_digest *e = kmalloc(sizeof(*e), GFP_KERNEL);
	int err;

	if (!e)
		return NULL;
	e->sb = inode->i_sb;
	e->ino = inode->i_ino;
	e->generation = inode->i_generation;
	e->state = CHARTER_DIGEST_PENDING;
	e->size = size;
	e->mtime = charter_inode_mtime(inode);
	e->ctime = charter_inode_ctime(inode);
	e->iversion = charter_iversion(inode);
	/* Write opens look in the cache from before anything is in it. */
	if (!static_key_enabled(&charter_digests_cached))
		static_branch_enable(&charter_digests_cached);
	err = charter_digest_publish(inode, e);
	if (err) {
		kfree(e);
		return err == -EBUSY ? ERR_PTR(-EBUSY) : NULL;
	}
	/*
	 * A writer is counted by get_write_access(), a fully ordered atomic,
	 * before it looks for an entry; we publish, then read the count:
	 * either we see the writer, or the writer sees the entry.
	 */
	smp_mb();
	if (charter_has_writers(inode)) {
		charter_digest_end(inode, e, NULL);
		return NULL;
	}
	return e;
}

/* Feed @len bytes to @desc a page at a time (see CHARTER_HASH_STEP). */
static int charter_hash_update(struct shash_desc *desc, const u8 *data,
			       size_t len)
{
	int err = 0;

	while (!err && len) {
		size_t step = min_t(size_t, len, CHARTER_HASH_STEP);

		err = crypto_shash_update(desc, data, step);
		data += step;
		len -= step;
	}
	return err;
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
			err = charter_hash_update(desc, buf, got);
		cond_resched();
	}
	if (!err)
		err = crypto_shash_final(desc, digest);
	if (!err)
		atomic64_inc(&charter_files_hashed);
	shash_desc_zero(desc);
	kfree(buf);
	return err;
}

/*
 * Is there an entry for @inode (@pending: one a task is hashing now, or
 * spoilt: not valid)? A lock-free look, under RCU.
 */
static bool charter_digest_has(const struct inode *inode, bool pending)
{
	struct charter_digest *e;
	bool found = false;

	rcu_read_lock();
	hash_for_each_possible_rcu(charter_digests, e, node,
				   charter_inode_key(inode))
		if (charter_same_inode(e, inode) &&
		    (!pending || READ_ONCE(e->state) != CHARTER_DIGEST_VALID))
			found = true;
	rcu_read_unlock();
	return found;
}

/**
 * charter_ident_digest() - the SHA-256 of a file's first @size bytes
 * @file: the file, open for reading
 * @size: its size, as the caller judged it
 * @digest: the digest, on success
 *
 * From the cache when a valid entry is there, else hashed, and kept when
 * nothing could have written the file during the hash (see the top of
 * this file). At exec, deny_write_access() keeps writers away; at mmap
 * there may be some, and then the digest is neither used nor kept.
 * While another task hashes the same inode (two tasks executing a new
 * binary at once), this one waits for its digest rather than reading the
 * file a second time, and hashes only if that one was not kept; it waits
 * at most a second and a second per 8 MiB, then hashes for itself (a
 * hasher slowed on purpose, at idle priority, holds no one longer).
 * A file whose reads do not reach the inode its pages are mapped from
 * (an overlay copied up since it was opened, or while it is hashed)
 * has no digest that says what runs. Sleeps.
 *
 * Return: 0, -EINTR (killed while waiting), -ETXTBSY (reads and mappings
 * part: see above), or the error that kept @file from being read in full.
 */
int charter_ident_digest(struct file *file, u64 size,
			 u8 digest[CHARTER_SHA256_LEN])
{
	struct inode *inode = charter_content_inode(file);
	long patience = HZ + (long)min_t(u64, size >> 23, 60) * HZ;
	struct charter_digest *pending = NULL;
	bool moved;
	long left;
	int err;

	if (inode != charter_mapped_inode(file))
		return -ETXTBSY;
	if (!charter_writers_uncounted(inode) && !charter_has_writers(inode)) {
		for (;;) {
			if (charter_digest_lookup(inode, size, digest))
				return 0;
			pending = charter_digest_begin(inode, size);
			if (!IS_ERR(pending))
				break;
			pending = NULL;
			if (patience <= 0)
				break;	/* hash it ourselves, keep nothing */
			/* Another task hashes it: its digest, once kept, is ours. */
			left = wait_event_killable_timeout(charter_digests_done,
							   !charter_digest_has(inode, true),
							   patience);
			if (left < 0)
				return -EINTR;
			patience = left;
		}
	}
	err = charter_hash_file(file, size, digest);
	/* An overlay copied up during the hash: the reads moved inodes. */
	moved = charter_content_inode(file) != inode;
	if (pending)
		charter_digest_end(inode, pending, err || moved ? NULL : digest);
	return err ?: moved ? -ETXTBSY : 0;
}

/**
 * charter_ident_files_hashed() - how many files were hashed
 *
 * Return: the files read in full to compute a digest since the module was
 * loaded (status: what the digest cache did not spare).
 */
u64 charter_ident_files_hashed(void)
{
	return atomic64_read(&charter_files_hashed);
}

/**
 * charter_ident_digest_entries() - how many entries the digest cache holds
 *
 * Return: entries, pending ones included (at most
 * CHARTER_DIGEST_CACHE_MAX); read without the lock, for status.
 */
u32 charter_ident_digest_entries(void)
{
	return READ_ONCE(charter_digest_count);
}

/**
 * charter_ident_cached_digest() - @file's digest if the cache holds it
 * @file: the file
 * @size: its size, as the caller judged it
 * @digest: the digest, when found
 *
 * Never hashes, never sleeps: for callers holding locks (mprotect runs
 * under mmap_lock).
 *
 * Return: true if a valid cached digest of the content now was found.
 */
bool charter_ident_cached_digest(struct file *file, u64 size,
				 u8 digest[CHARTER_SHA256_LEN])
{
	struct inode *inode = charter_content_inode(file);

	return !charter_writers_uncounted(inode) && !charter_has_writers(inode) &&
	       charter_digest_lookup(inode, size, digest);
}

/**
 * charter_ident_may_change() - can @file change while it is executed?
 * @file: the file exec opened
 *
 * Exec keeps writers away with deny_write_access(), which sees only the
 * writers counted in i_writecount. A memfd_create() file is open for
 * writing from birth, uncounted: unless sealed against writing, shrinking
 * and growing, it can change between its hash and its loading.
 *
 * Return: true if @file's digest may not be that of what exec loads.
 */
bool charter_ident_may_change(struct file *file)
{
	const unsigned int frozen = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW;
	struct inode *inode = file_inode(file);

	if (!charter_writers_uncounted(inode))
		return false;
	return !shmem_mapping(inode->i_mapping) ||
	       (READ_ONCE(SHMEM_I(inode)->seals) & frozen) != frozen;
}

/**
 * charter_ident_forget() - @inode may be written from now on
 * @inode: the inode that holds the content (an overlay's real inode)
 *
 * Called after the writer is counted in i_writecount (file_open of a file
 * opened for writing, path_truncate): drops a valid entry, spoils one
 * being hashed. Every write open of every task comes here once something
 * was cached: a lock-free look first, the lock only for a file we know.
 */
void charter_ident_forget(struct inode *inode)
{
	struct charter_digest *e;

	if (!static_branch_unlikely(&charter_digests_cached) ||
	    !charter_digest_has(inode, false))
		return;
	spin_lock(&charter_digests_lock);
	e = charter_digest_find_locked(inode);
	if (e && e->state == CHARTER_DIGEST_VALID)
		charter_digest_drop_locked(e);
	else if (e)
		WRITE_ONCE(e->state, CHARTER_DIGEST_SPOILT);
	spin_unlock(&charter_digests_lock);
}
