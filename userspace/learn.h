/* SPDX-License-Identifier: GPL-2.0 */
/*
 * charter learn: run a command under a learning manifest and write the
 * draft manifest of what it used (draft.h).
 */
#ifndef CHARTER_LEARN_H
#define CHARTER_LEARN_H

#include "blocks.h"
#include "draft.h"

struct learn_request {
	char *const *argv;	/* the command and its arguments */
	int argc;
	const char *output;	/* the draft's file, or NULL: standard output */
	const char *name;	/* the manifest's name, or NULL */
	const char *append;	/* an earlier draft to extend, or NULL */
	const char *module;	/* charter.ko to insert if needed, or NULL */
	const char *mounts;	/* mount table for the earlier draft's UNC paths */
	const struct block_search *blocks;	/* where blocks are (NULL: defaults) */
};

/*
 * Learn: load a learning manifest for the command's executable next to
 * the loaded policy, run the command (signals INT, TERM, HUP and QUIT go
 * on to it), read what the kernel recorded, remove the learning manifest,
 * write the draft. Progress and problems go to stderr.
 *
 * Return: the exit status: 0; 1 when the draft is incomplete (the kernel
 * lost accesses) or something failed.
 */
int learn_run(const struct learn_request *r);

/* The command's executable, as execvp() would find it (absolute, resolved). */
char *learn_find_executable(const char *command);

#endif
