// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static void diag_push(struct diag *d, char *msg)
{
	char **grown;

	if (!msg)
		return;
	grown = realloc(d->msgs, (d->count + 1) * sizeof(*grown));
	if (!grown) {
		free(msg);
		return;
	}
	d->msgs = grown;
	d->msgs[d->count++] = msg;
}

static void diag_vadd(struct diag *d, const char *prefix, const char *fmt,
		      va_list ap)
{
	char *body = NULL, *msg = NULL;

	if (vasprintf(&body, fmt, ap) < 0)
		return;
	if (asprintf(&msg, "%s: %s", prefix, body) < 0)
		msg = NULL;
	free(body);
	diag_push(d, msg);
}

void diag_at(struct diag *d, const char *file, size_t line, size_t col,
	     const char *fmt, ...)
{
	char *prefix = NULL;
	va_list ap;

	if (asprintf(&prefix, "%s:%zu:%zu", file, line, col) < 0)
		return;
	va_start(ap, fmt);
	diag_vadd(d, prefix, fmt, ap);
	va_end(ap);
	free(prefix);
}

void diag_file(struct diag *d, const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, file, fmt, ap);
	va_end(ap);
}

void diag_raw(struct diag *d, const char *msg)
{
	diag_push(d, strdup(msg));
}

void diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->msgs[i]);
	free(d->msgs);
	d->msgs = NULL;
	d->count = 0;
}
