/* SPDX-License-Identifier: GPL-2.0 */
/* A manifest as written, read from YAML (manifestVersion v1). */
#ifndef CHARTER_MANIFEST_H
#define CHARTER_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct block;
struct block_search;
struct deps;

struct manifest_path {
	char *name;
	char *pattern;		/* absolute, normalised; see uapi/charter.h */
	uint32_t access;	/* CHARTER_ACCESS_* */
	const char *block;	/* the block it came from (a uses[] name), or NULL */
};

enum net_scope { NET_ADDR, NET_ANY, NET_LOCALHOST };

struct manifest_net {
	char *name;
	uint8_t direction;	/* CHARTER_NET_* */
	uint8_t protocol;	/* CHARTER_PROTO_* */
	enum net_scope scope;
	uint8_t family;		/* NET_ADDR: CHARTER_FAMILY_INET or _INET6 */
	uint8_t prefix;
	uint8_t addr[16];	/* network byte order, host bits zero */
	uint16_t port_min;	/* host byte order; 0-65535 when absent */
	uint16_t port_max;
	const char *block;	/* the block it came from (a uses[] name), or NULL */
};

/* Where a value was written: line and column, counting from 1. */
struct manifest_pos {
	size_t line, col;
};

/* A building block the manifest uses (use:), its rules merged in. */
struct manifest_use {
	char *name;		/* the block's name: its rules are NAME/ENTRY */
	char *file;		/* the block file read */
	char *description;
	struct manifest_pos at;	/* in the manifest's use: */
	uint32_t devices;	/* the device classes it grants */
};

struct manifest {
	char *file;		/* where it was read from */
	char *author;
	char *name;
	char *run;		/* absolute, resolved against the manifest's dir */
	int has_hash;
	uint8_t hash[32];
	int baseline;		/* grant the runtime baseline (default 1) */
	struct manifest_pos name_at, run_at, hash_at;
	int identified;		/* exe_sha256 and exe_size hold run's identity */
	/*
	 * run no longer matches the pinned hash: exe_sha256 is the pinned
	 * one (and exe_size run's), so the kernel refuses to run the file
	 */
	int stale;
	char *exe_path;		/* run, symlinks resolved: the kernel's name for it */
	uint8_t exe_sha256[32];
	uint64_t exe_size;
	/* exe_dev, exe_ino, exe_nlink: run's file as identification found it */
	int exe_stat;
	uint64_t exe_dev, exe_ino, exe_nlink;
	struct manifest_path *paths;
	size_t path_count;
	struct manifest_net *nets;
	size_t net_count;
	uint32_t devices;	/* CHARTER_DEV_BIT() mask, the blocks' included */
	struct manifest_use *uses;	/* in the order of use: */
	size_t use_count;
	/* Not from YAML: charter learn's manifest (CHARTER_MANIFEST_LEARN) */
	int learning;
};

/* Where and how a manifest is read. */
struct manifest_source {
	const char *file;	/* name used in messages */
	const char *dir;	/* the manifest's directory, absolute */
	const char *mounts;	/* mount table for UNC paths (/proc/self/mounts) */
	/*
	 * The manifest lies in the manifests directory, away from its
	 * program: a relative run or path would name something in that
	 * directory, so both must be absolute.
	 */
	const char *installed_in;
	/* Where use: finds blocks; NULL: the default search path only. */
	const struct block_search *blocks;
	/* lstat() results shared by a run's manifests (pattern.h), or NULL. */
	struct pattern_cache *lstats;
	/* Records the paths looked at (deps.h) for the policy cache, or NULL. */
	struct deps *deps;
};

/*
 * A manifest's name: 1 to CHARTER_NAME_MAX bytes of [A-Za-z0-9._+-],
 * starting with a letter or digit.
 */
int manifest_name_valid(const char *name);

/* Nesting deeper than this is refused before the document is built. */
#define MANIFEST_MAX_DEPTH 32

/* 0 when @m is complete; otherwise -1 and every problem is in @d. */
int manifest_parse(const struct manifest_source *src,
		   const unsigned char *buf, size_t len, struct manifest *m,
		   struct diag *d);
void manifest_free(struct manifest *m);

/*
 * Read the block file @buf (named @block_name in use:) as a manifest's
 * sections: its entries are named "BLOCK/ENTRY" and point back at
 * b->name, and ${name} in its paths is @manifest_name. 0, or -1 with
 * every problem in @d at the block file's own positions. Called by
 * block_load() (blocks.h), which finds and vets the file.
 */
int manifest_parse_block(const struct manifest_source *src,
			 const unsigned char *buf, size_t len,
			 const char *block_name, const char *manifest_name,
			 struct block *b, struct diag *d);

/* Device class names, indexed by enum charter_device_class. */
extern const char *const manifest_device_names[];

#endif
