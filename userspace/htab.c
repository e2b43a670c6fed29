// SPDX-License-Identifier: GPL-2.0
/*
 * Open addressing with linear probing. The table grows (doubles) at half
 * full, so a probe sequence ends at an empty slot soon; the full 64-bit
 * hash is kept per slot so that growing needs no keys and a lookup skips
 * most entries of other keys without the caller's comparison.
 */
#include <stdlib.h>

#include "htab.h"

#define HTAB_MIN_SLOTS 64

static void place(struct htab_slot *slots, size_t mask, uint64_t hash,
		  size_t value)
{
	size_t j = (size_t)hash & mask;

	while (slots[j].value)
		j = (j + 1) & mask;
	slots[j].hash = hash;
	slots[j].value = value;
}

/*
 * Doubling moves entries of one hash in probe order, so that they still
 * come out of htab_next() in the order they were added.
 */
static int grow(struct htab *t)
{
	size_t n = t->slots ? (t->mask + 1) * 2 : HTAB_MIN_SLOTS;
	struct htab_slot *slots = calloc(n, sizeof(*slots));
	size_t start = 0;

	if (!slots)
		return -1;
	if (t->slots) {
		/* Begin after an empty slot: no probe run wraps past it. */
		while (t->slots[start].value)
			start++;
		for (size_t k = 1; k <= t->mask + 1; k++) {
			const struct htab_slot *s = &t->slots[(start + k) & t->mask];

			if (s->value)
				place(slots, n - 1, s->hash, s->value);
		}
	}
	free(t->slots);
	t->slots = slots;
	t->mask = n - 1;
	return 0;
}

int htab_add(struct htab *t, uint64_t hash, size_t index)
{
	if (index == SIZE_MAX)
		return -1;
	if ((!t->slots || (t->used + 1) * 2 > t->mask + 1) && grow(t))
		return -1;
	place(t->slots, t->mask, hash, index + 1);
	t->used++;
	return 0;
}

void htab_find(const struct htab *t, uint64_t hash, struct htab_iter *it)
{
	it->t = t;
	it->hash = hash;
	it->pos = (size_t)hash & t->mask;
	it->started = 0;
}

int htab_next(struct htab_iter *it, size_t *index)
{
	const struct htab *t = it->t;

	if (!t->slots)
		return 0;
	if (it->started)
		it->pos = (it->pos + 1) & t->mask;
	it->started = 1;
	for (; t->slots[it->pos].value; it->pos = (it->pos + 1) & t->mask) {
		if (t->slots[it->pos].hash == it->hash) {
			*index = t->slots[it->pos].value - 1;
			return 1;
		}
	}
	return 0;
}

void htab_free(struct htab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->mask = 0;
	t->used = 0;
}

uint64_t htab_hash_bytes(uint64_t h, const void *p, size_t len)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ c[i]) * 0x100000001b3ull;
	return h;
}

uint64_t htab_hash_str(const char *s)
{
	uint64_t h = HTAB_SEED;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
	return h;
}

uint64_t htab_hash_str_nocase(const char *s)
{
	uint64_t h = HTAB_SEED;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 0x100000001b3ull;
	}
	return h;
}
