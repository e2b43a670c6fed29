/* SPDX-License-Identifier: GPL-2.0 */
/* 'charter run': start a manifest's program, its manifest loaded. */
#ifndef CHARTER_RUN_H
#define CHARTER_RUN_H

#include <stddef.h>

#include "input.h"

/*
 * Run the program of the manifest @file with the arguments @args (@nargs):
 * read and verify @file as 'charter load' does (@in), identify its run
 * (a pinned hash must match), make sure the kernel holds this very
 * manifest, loading it into the policy beside the others when it does
 * not (charter.ko from @module, or by name, when absent), then chdir to
 * the manifest's directory and execute run. Returns only when it refuses
 * or fails: 1, after saying why on stderr. Nothing is loaded when the
 * manifest is refused, and nothing is run unless the manifest is loaded.
 */
int run_manifest(const char *file, char *const *args, size_t nargs,
		 const struct input_options *in, const char *module);

#endif
