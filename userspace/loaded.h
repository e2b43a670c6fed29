/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A manifest as the kernel holds it, read back by name from the loaded
 * policy (CHARTER_CMD_POLICY_GET, CAP_MAC_ADMIN): 'charter explain NAME'.
 */
#ifndef CHARTER_LOADED_H
#define CHARTER_LOADED_H

#include "diag.h"
#include "manifest.h"
#include "nl.h"

/*
 * The loaded manifest named @name, as blob_view_manifest() makes it
 * (m->file is "loaded:NAME"). 0; -ENOENT when no loaded manifest has this
 * name; -1 when the policy read back is damaged or memory ran out
 * (problems in @d); or -errno from the kernel (message in @e: -EPERM
 * without CAP_MAC_ADMIN, -ENOENT with "is the module loaded?" when it is
 * not). e->msg is empty for the first -ENOENT.
 */
int loaded_manifest(const char *name, struct manifest *m, struct diag *d,
		    struct nl_error *e);

#endif
