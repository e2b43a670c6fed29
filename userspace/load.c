// SPDX-License-Identifier: GPL-2.0
/*
 * Partial loading. At boot, 'charter load' reads the manifests directory:
 * one bad manifest must not leave every other program unconfined. So each
 * file is judged on its own, the good ones are compiled, and each refusal
 * is reported with its own file:line:column and counted.
 *
 * A manifest whose program changed under its pinned hash is refused (the
 * administrator must review the new build) and kept all the same: loaded
 * with the pinned hash, it makes the kernel refuse to run the changed file
 * at its run path. Dropping it would let the new build run free.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "load.h"
#include "show.h"

int load_build(char *const *args, size_t nargs, const struct input_options *o,
	       uint8_t **blob, size_t *len, struct load_counts *counts,
	       struct diag *d)
{
	struct input_file *files = NULL;
	struct manifest *good;
	size_t n = 0;
	int ret = -1;

	memset(counts, 0, sizeof(*counts));
	if (input_read_each(args, nargs, o, 1, &files, &n, d)) {
		input_free_each(files, n);
		return -1;
	}
	good = calloc(n ? n : 1, sizeof(*good));
	for (size_t i = 0; good && i < n; i++) {
		if (files[i].ok || files[i].kept)
			good[counts->loaded++] = files[i].m;	/* shallow: files keeps it */
		if (!files[i].ok)
			counts->refused++;
		if (files[i].kept)
			counts->kept++;
	}
	if (good && (counts->loaded || !counts->refused))
		ret = compile_blob_in(good, counts->loaded, o->deps, d, blob, len);
	if (ret)
		counts->loaded = 0;
	free(good);
	input_free_each(files, n);
	return ret;
}

int load_check(char *const *args, size_t nargs, const struct input_options *o)
{
	struct input_file *files = NULL;
	struct diag d = { 0 };
	size_t n = 0;
	int bad = input_read_each(args, nargs, o, 1, &files, &n, &d);

	show_diag(stderr, &d);
	for (size_t i = 0; i < n; i++) {
		const struct manifest *m = &files[i].m;

		bad |= !files[i].ok;
		show_text(stdout, m->file);
		if (!files[i].ok) {
			printf(": refused (see the messages above)%s\n", files[i].kept ?
			       "; load keeps it, refusing to run the changed program" : "");
			continue;
		}
		printf(": ok: ");
		show_text(stdout, m->name);
		printf(": %zu path rule%s, %zu network rule%s%s", m->path_count,
		       m->path_count == 1 ? "" : "s", m->net_count,
		       m->net_count == 1 ? "" : "s",
		       m->baseline ? ", runtime baseline" : "");
		for (size_t j = 0; j < m->use_count; j++) {
			printf("%s", j ? ", " : ", blocks: ");
			show_text(stdout, m->uses[j].name);
		}
		putchar('\n');
	}
	input_free_each(files, n);
	return bad ? 1 : 0;
}
