// SPDX-License-Identifier: GPL-2.0
/*
 * blobfuzz BLOB COUNT SEED: push COUNT randomly mutated copies of a valid
 * policy to the kernel over netlink (the tool's own client, nl.c) and
 * report how many were refused and accepted. Exit 1 only if the netlink
 * conversation itself fails: refusals are the expected outcome.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"

static uint32_t rnd_state;

static uint32_t rnd(void)
{
	/* xorshift32: reproducible from the seed. */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static size_t mutate(uint8_t *b, size_t len, size_t cap)
{
	static const uint32_t interesting[] = {
		0, 1, 7, 8, 48, 0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff,
	};
	unsigned int k = 1 + rnd() % 4;

	while (k--) {
		size_t at = len ? rnd() % len : 0;

		switch (rnd() % 6) {
		case 0:
			if (len)
				b[at] ^= (uint8_t)(1u << (rnd() % 8));
			break;
		case 1:
			if (len)
				b[at] = (uint8_t)rnd();
			break;
		case 2:	/* an aligned u32 of the header or a record */
			if (len >= 4) {
				uint32_t v = interesting[rnd() % (sizeof(interesting) / 4)];

				if (rnd() % 2)
					v = (uint32_t)len + (rnd() % 17) - 8;
				memcpy(b + (at & ~(size_t)3) % (len - 3), &v, 4);
			}
			break;
		case 3:
			len = len ? rnd() % len : 0;
			break;
		case 4:	/* grow with garbage */
			while (len < cap && rnd() % 8)
				b[len++] = (uint8_t)rnd();
			break;
		default:
			if (len)
				b[at] = 0;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	unsigned long count = argc == 4 ? strtoul(argv[2], NULL, 10) : 0;
	unsigned long refused = 0, accepted = 0;
	uint8_t *good, *b;
	size_t len, cap;
	FILE *f;

	if (!count) {
		fprintf(stderr, "usage: blobfuzz BLOB COUNT SEED\n");
		return 2;
	}
	rnd_state = (uint32_t)strtoul(argv[3], NULL, 10) | 1;
	f = fopen(argv[1], "rb");
	good = malloc(1 << 20);
	if (!f || !good)
		return 1;
	len = fread(good, 1, 1 << 20, f);
	fclose(f);
	cap = len + 256;
	b = malloc(cap);
	for (unsigned long i = 0; i < count; i++) {
		struct nl_error e = { { 0 } };
		size_t n;
		int ret;

		memcpy(b, good, len);
		n = mutate(b, len, cap);
		ret = nl_policy_load(b, n, &e);
		if (!ret) {
			accepted++;
		} else if (ret == -EINVAL || ret == -EPROTO || ret == -E2BIG ||
			   ret == -EEXIST) {
			refused++;
			/* The decoder's own reason, not the tool's errno text. */
			if (strncmp(e.msg, "blob: ", 6)) {
				fprintf(stderr, "refusal %lu without a reason: %s\n", i, e.msg);
				return 1;
			}
		} else {
			fprintf(stderr, "iteration %lu: %s\n", i, e.msg);
			return 1;
		}
	}
	printf("blobfuzz: %lu mutations: %lu refused with a reason, %lu accepted\n",
	       count, refused, accepted);
	free(b);
	free(good);
	return 0;
}
