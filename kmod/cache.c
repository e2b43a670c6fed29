// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: the access cache.
 *
 * What a manifest's path rules grant on a path is a pure function of the
 * two: the rules never change (a policy is immutable; a new one has new
 * indexes), and the path is the whole string. So each CPU remembers the
 * last answers, as SELinux's access vector cache remembers decisions:
 * a program opening the same files again (its configuration, its
 * libraries, its logs) pays a hash of the path and a compare, not the
 * index's walk and its globs. Only the rules' answer is kept: the
 * decision, its mode, its report and its count are made each time
 * (domain.c), as without the cache.
 *
 * An entry is keyed by the index's id (charter_path_index.id, never
 * reused, unlike the index's address once its policy is freed) and the
 * path's bytes, compared in full: a stale or colliding entry cannot
 * answer. Paths longer than an entry holds are not cached. Direct
 * mapped, 64 entries of 128 bytes per CPU (8 KiB); preemption is off
 * while one entry is read or written (a compare or copy of at most 111
 * bytes), never during the walk.
 */

#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/stringhash.h>
#include <linux/string.h>

#include "cache.h"
#include "ruleindex.h"

#define CHARTER_CACHE_BITS 6
#define CHARTER_CACHE_PATH 111	/* the longest path kept, in bytes */

struct charter_cache_entry {
	u64 id;			/* the index's id; 0: empty */
	u32 hash;		/* full_name_hash() of the path */
	u8 len;			/* strlen(path) */
	u8 access;		/* what the index answered */
	char path[CHARTER_CACHE_PATH + 1];
};

struct charter_cache {
	struct charter_cache_entry entries[1 << CHARTER_CACHE_BITS];
};

static struct charter_cache __percpu *charter_cache;

/**
 * charter_cache_init() - allocate every CPU's cache
 *
 * Return: 0, or -ENOMEM.
 */
int charter_cache_init(void)
{
	charter_cache = alloc_percpu(struct charter_cache);
	return charter_cache ? 0 : -ENOMEM;
}

void charter_cache_exit(void)
{
	free_percpu(charter_cache);
	charter_cache = NULL;
}

/*
 * @len bytes of @a and @b alike? Eight at a time (the kernel's memcmp()
 * on x86-64 goes byte by byte), then one by one; neither is read past
 * @len.
 */
static bool charter_cache_path_equal(const char *a, const char *b, size_t len)
{
	size_t i = 0;

	for (; i + sizeof(u64) <= len; i += sizeof(u64)) {
		u64 x, y;

		memcpy(&x, a + i, sizeof(x));
		memcpy(&y, b + i, sizeof(y));
		if (x != y)
			return false;
	}
	for (; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static struct charter_cache_entry *
charter_cache_slot(struct charter_cache *c, u64 id, u32 hash)
{
	return &c->entries[hash_32(hash ^ (u32)id ^ (u32)(id >> 32),
				   CHARTER_CACHE_BITS)];
}

/* The cached answer for (@id, @path) into *@access; false if none. */
static bool charter_cache_find(u64 id, const char *path, u8 len, u32 hash,
			       u32 *access)
{
	struct charter_cache_entry *e;
	bool found;

	e = charter_cache_slot(get_cpu_ptr(charter_cache), id, hash);
	found = e->id == id && e->hash == hash && e->len == len &&
		charter_cache_path_equal(e->path, path, len);
	if (found)
		*access = e->access;
	put_cpu_ptr(charter_cache);
	return found;
}

static void charter_cache_store(u64 id, const char *path, u8 len, u32 hash,
				u32 access)
{
	struct charter_cache_entry *e;

	e = charter_cache_slot(get_cpu_ptr(charter_cache), id, hash);
	e->id = id;
	e->hash = hash;
	e->len = len;
	e->access = access;
	memcpy(e->path, path, len);
	put_cpu_ptr(charter_cache);
}

/**
 * charter_cache_path_access() - charter_path_index_access(), remembered
 * @ix: a manifest's path index
 * @path: an absolute path
 *
 * Never sleeps; preemption is disabled only around one entry's compare
 * or copy (at most 111 bytes).
 *
 * Return: what charter_path_index_access(@ix, @path) returns.
 */
u32 charter_cache_path_access(const struct charter_path_index *ix,
			      const char *path)
{
	return charter_cache_path_access_len(ix, path,
					     strnlen(path, CHARTER_CACHE_PATH + 1));
}

/**
 * charter_cache_path_access_len() - charter_cache_path_access(), its
 *	length known
 * @ix: a manifest's path index
 * @path: an absolute path
 * @len: strlen(@path), or any length above 111 when it is longer
 *
 * Return: what charter_path_index_access(@ix, @path) returns.
 */
u32 charter_cache_path_access_len(const struct charter_path_index *ix,
				  const char *path, size_t len)
{
	u32 hash, access;

	if (!charter_cache || len > CHARTER_CACHE_PATH)
		return charter_path_index_access(ix, path);
	hash = full_name_hash(NULL, path, len);
	if (charter_cache_find(ix->id, path, len, hash, &access))
		return access;
	access = charter_path_index_access(ix, path);
	charter_cache_store(ix->id, path, len, hash, access);
	return access;
}
