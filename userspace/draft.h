/* SPDX-License-Identifier: GPL-2.0 */
/*
 * charter learn's draft: what a learning manifest recorded, folded the way
 * a person would write it, as a manifest with comments that say what each
 * rule came from. Documentation/learn.rst gives the folding rules.
 */
#ifndef CHARTER_DRAFT_H
#define CHARTER_DRAFT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manifest.h"

/* One access the kernel recorded (CHARTER_CMD_LEARN_DUMP). */
struct draft_access {
	uint8_t kind;		/* CHARTER_LEARN_* */
	const char *path;	/* files, devices: the kernel's absolute name */
	uint32_t access;	/* files, devices: CHARTER_ACCESS_* used */
	uint32_t classes;	/* devices: CHARTER_DEV_BIT() mask (0: none) */
	uint8_t direction;	/* network: CHARTER_NET_* */
	uint8_t protocol;	/* CHARTER_PROTO_* */
	int addr_len;		/* 4 or 16 */
	uint8_t addr[16];	/* network byte order */
	uint16_t port;		/* host order */
	const char *operation;	/* operations: its name */
};

/* A shared set of rules a draft may use instead of its own (a block). */
struct draft_block {
	const char *name;
	const struct manifest_path *paths;
	size_t path_count;
	const struct manifest_net *nets;
	size_t net_count;
};

struct draft_options {
	const char *name;		/* the manifest's name */
	const char *run;		/* the executable, absolute */
	const char *command;		/* the command line learned, for a comment */
	const struct manifest *base;	/* --append: the earlier draft, or NULL */
	const struct draft_block *blocks;	/* available blocks */
	size_t block_count;
	uint64_t lost;			/* accesses the kernel could not record */
	/* Is @path a directory? (stat(); a test passes its own.) */
	int (*is_dir)(const char *path);
};

/* The folded rules, before they are written. */
struct draft_rule {
	char *pattern;
	uint32_t access;
	size_t uses;		/* accesses it stands for */
	char *example;		/* one of them */
	int dir;		/* the example is a directory the program listed */
	int folded;		/* made by folding other rules into their directory */
};

struct draft_net {
	uint8_t direction, protocol;
	int any;		/* any address */
	int localhost;		/* 127.0.0.0/8 and ::1 */
	int addr_len;		/* 4 or 16, unless any or localhost */
	uint8_t addr[16];
	uint8_t prefix;		/* bits of addr that count */
	uint16_t port_min, port_max;	/* 0-65535: any port */
	char *comment;		/* NULL: kept from the earlier draft */
};

struct draft {
	struct draft_rule *rules;	/* sorted by pattern */
	size_t rule_count, rule_cap;
	struct draft_net *nets;
	size_t net_count;
	uint32_t devices;
	char **notes;		/* comments: what was left out, and why */
	size_t note_count;
	const char **uses;	/* blocks used */
	size_t use_count;
};

/* Fold @n accesses. 0, or -1 when out of memory. */
int draft_fold(const struct draft_access *a, size_t n,
	       const struct draft_options *o, struct draft *d);
/* Write @d as a manifest (YAML with comments). */
void draft_write(FILE *out, const struct draft *d, const struct draft_options *o);
void draft_free(struct draft *d);

/* A component that looks generated (a pid, mkstemp's XXXXXX, a hash) as a glob. */
char *draft_glob_component(const char *name);
/* Does @pattern cover @path (at or beneath a match), as the kernel matches? */
int draft_pattern_covers(const char *pattern, const char *path);

#endif
