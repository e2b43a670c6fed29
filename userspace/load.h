/* SPDX-License-Identifier: GPL-2.0 */
/* 'charter load' and 'charter check': every good manifest, each bad one refused. */
#ifndef CHARTER_LOAD_H
#define CHARTER_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "input.h"

struct load_counts {
	size_t loaded;		/* manifests in the policy */
	size_t refused;		/* files refused, each with its messages */
	size_t kept;		/* of those, loaded all the same (input_file.kept) */
};

/*
 * Compile the good manifests among @args into a policy (input_read_each()
 * with identification): a stale or broken manifest is refused on its own,
 * and the others still confine their programs. A manifest refused only
 * because its program no longer matches its pinned hash is loaded all the
 * same (counted in both refused and kept), so the kernel refuses to run
 * the changed file. 0 with *blob when at least
 * one manifest, or none at all, was good and the policy was built; -1
 * when nothing can be loaded (every manifest refused, or the policy could
 * not be built). Every problem and warning is in @d.
 */
int load_build(char *const *args, size_t nargs, const struct input_options *o,
	       uint8_t **blob, size_t *len, struct load_counts *counts,
	       struct diag *d);

/*
 * 'charter check': read and identify every manifest of @args as load
 * would, print the problems and warnings (stderr) and one line per file,
 * "FILE: ok: ..." or "FILE: refused" (stdout). 0 when every file is good.
 */
int load_check(char *const *args, size_t nargs, const struct input_options *o);

#endif
