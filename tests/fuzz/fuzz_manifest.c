// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the manifest reader (libyaml and everything after
 * it). Any input must either parse or leave at least one diagnostic, and
 * never crash, leak or read out of bounds.
 */
#include <assert.h>
#include <stdint.h>

#include "userspace/blocks.h"
#include "userspace/dump.h"
#include "userspace/manifest.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* use: finds the repository's shipped blocks, and nothing else. */
	static const char *const shipped[] = { FIXTURES "/../../blocks" };
	static const struct block_search blocks = { shipped, 1, 1 };
	static const struct manifest_source src = {
		.file = "fuzz.yml",
		.dir = "/nonexistent/charter-fuzz",
		.mounts = FIXTURES "/mounts",
		.blocks = &blocks,
	};
	struct manifest m;
	struct diag d = { 0 };
	int ret = manifest_parse(&src, data, size, &m, &d);

	assert(ret == 0 || d.count > 0);
	if (!ret) {
		assert(m.name);
		for (size_t i = 0; i < m.path_count; i++)
			assert(m.paths[i].pattern && m.paths[i].pattern[0] == '/');
	}
	manifest_free(&m);
	diag_free(&d);
	return 0;
}
