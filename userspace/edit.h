/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Changing some manifests of the loaded policy, and only those: charter
 * learn adds its learning manifest and removes it, charter run adds the
 * manifest it runs. Everything else loaded stays as it is, byte for byte.
 */
#ifndef CHARTER_EDIT_H
#define CHARTER_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "compile.h"
#include "diag.h"
#include "nl.h"

/*
 * Read the loaded policy, add the manifests of the compiled blob @add
 * (@add_len bytes; NULL: none), with @replace each replacing the loaded
 * one of its name (without, such a one is an error), drop those @drop
 * names (compile.h), and load the result, provided no other
 * policy was loaded in between (else read again, a few times). Returns
 * 0; POLICY_EDIT_INVALID when the result is not a valid policy (problems
 * in @d: e.g. the executable already has a manifest of another name); or
 * -errno from the kernel (message in @e: -EPERM without CAP_MAC_ADMIN).
 */
#define POLICY_EDIT_INVALID 1

int policy_edit(const uint8_t *add, size_t add_len, const struct merge_drop *drop,
		size_t ndrop, int replace, struct diag *d, struct nl_error *e);

#endif
