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
 * (m->file is "loaded:NAME"). 0, or a negative errno: -ENOENT with
 * e->msg empty when no loaded manifest has this name; -EBADMSG when the
 * policy read back is damaged (the problem in @d); -ENOMEM; or the
 * kernel's, with its message in @e (-EPERM without CAP_MAC_ADMIN;
 * -ENOENT, "is the module loaded?", without the module).
 */
int loaded_manifest(const char *name, struct manifest *m, struct diag *d,
		    struct nl_error *e);

#endif
