/* SPDX-License-Identifier: GPL-2.0 */
/* The runtime baseline granted to every manifest unless "baseline: none". */
#ifndef CHARTER_BASELINE_H
#define CHARTER_BASELINE_H

#include <stddef.h>
#include <stdint.h>

struct baseline_entry {
	const char *pattern;	/* before symlink resolution */
	uint32_t access;
};

extern const struct baseline_entry baseline_entries[];
extern const size_t baseline_count;

#endif
