/* SPDX-License-Identifier: GPL-2.0 */
/* A binary policy, read back and printed for people. */
#ifndef CHARTER_DUMP_H
#define CHARTER_DUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"

/* "read", "readWrite"...: the manifest's name for a CHARTER_ACCESS_* mask. */
const char *dump_access_name(uint32_t access);

/* Check @blob's structure and print it; -1 with the problem in @d. */
int dump_blob(const uint8_t *blob, size_t len, FILE *out, struct diag *d);

#endif
