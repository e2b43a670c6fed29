/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything the tool prints that came from a manifest, a policy file or
 * the kernel goes through here, escaped: a name cannot add, end, hide or
 * recolour a line of the output.
 */
#ifndef CHARTER_SHOW_H
#define CHARTER_SHOW_H

#include <stdio.h>

#include "nl.h"

/*
 * @s as one line of text: \\, \n, \t, \r, and \xHH for every other
 * control byte (below 0x20, 0x7f), every byte of invalid UTF-8 and every
 * byte of a C1 control, bidirectional override or line separator. Valid
 * printable UTF-8 is kept. Returns the columns printed (code points).
 */
size_t show_text(FILE *f, const char *s);
/* Each message of @d escaped, a line each; then @d is freed. */
struct diag;
void show_diag(FILE *f, struct diag *d);
/* show_text(), then spaces up to @width columns (printf's "%-*s"). */
void show_text_pad(FILE *f, const char *s, size_t width);
/* @s as a JSON string, quotes included; invalid UTF-8 becomes U+FFFD. */
void show_json(FILE *f, const char *s);

const char *show_mode_name(uint8_t mode);
/* The CHARTER_MODE_* named @name, or -1. */
int show_mode_value(const char *name);

void show_status(FILE *f, const struct nl_status *st, int json);
void show_list_header(FILE *f);
void show_manifest(FILE *f, const struct nl_manifest *m, int json);
void show_event(FILE *f, const struct nl_event *ev, int json);

#endif
