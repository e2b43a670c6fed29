/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small open-addressing hash table of indices, for finding the earlier
 * manifest (or directory entry) with the same key without comparing with
 * every one. It holds each index with the key's 64-bit hash; the caller
 * keeps the keys and compares them, so one table serves any key: names
 * ignoring case, an executable's identity, a path. Entries are never
 * removed: a caller whose entry lost its claim skips it on lookup.
 */
#ifndef CHARTER_HTAB_H
#define CHARTER_HTAB_H

#include <stddef.h>
#include <stdint.h>

struct htab_slot {
	uint64_t hash;
	size_t value;		/* index + 1; 0: empty */
};

struct htab {
	struct htab_slot *slots;
	size_t mask;		/* slot count - 1 (a power of two), or 0 */
	size_t used;
};

/* Walking the entries of one hash, in the order they were added. */
struct htab_iter {
	const struct htab *t;
	uint64_t hash;
	size_t pos;
	int started;
};

/* Add @index under @hash (duplicates allowed). 0, or -1 out of memory. */
int htab_add(struct htab *t, uint64_t hash, size_t index);

/* Start walking the entries added under @hash. */
void htab_find(const struct htab *t, uint64_t hash, struct htab_iter *it);

/*
 * The next entry under the hash: 1 with its index in *@index, 0 at the
 * end. Entries of other keys that share the hash come too: compare keys.
 */
int htab_next(struct htab_iter *it, size_t *index);

void htab_free(struct htab *t);

/* FNV-1a of @len bytes, continuing from @h (start with HTAB_SEED). */
#define HTAB_SEED 0xcbf29ce484222325ull
uint64_t htab_hash_bytes(uint64_t h, const void *p, size_t len);
/* FNV-1a of string @s. */
uint64_t htab_hash_str(const char *s);
/* FNV-1a of @s with ASCII letters folded to lower case (strcasecmp's). */
uint64_t htab_hash_str_nocase(const char *s);

#endif
