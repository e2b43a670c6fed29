/* SPDX-License-Identifier: GPL-2.0 */
/* Diagnostics collected while reading input, printed by the CLI. */
#ifndef CHARTER_DIAG_H
#define CHARTER_DIAG_H

#include <stddef.h>

struct diag {
	char **msgs;
	size_t count;
};

/* "file:line:column: message"; line and column count from 1. */
void diag_at(struct diag *d, const char *file, size_t line, size_t col,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* "file: message" */
void diag_file(struct diag *d, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* @msg as it is (a message made before, kept by the policy cache). */
void diag_raw(struct diag *d, const char *msg);
void diag_free(struct diag *d);

#endif
