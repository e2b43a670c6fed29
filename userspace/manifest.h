/* SPDX-License-Identifier: GPL-2.0 */
/* A manifest as written, read from YAML (manifestVersion v1). */
#ifndef CHARTER_MANIFEST_H
#define CHARTER_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct manifest_path {
	char *name;
	char *pattern;		/* absolute, normalised; see uapi/charter.h */
	uint32_t access;	/* CHARTER_ACCESS_* */
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
};

/* Where a value was written: line and column, counting from 1. */
struct manifest_pos {
	size_t line, col;
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
	struct manifest_path *paths;
	size_t path_count;
	struct manifest_net *nets;
	size_t net_count;
	uint32_t devices;	/* CHARTER_DEV_BIT() mask */
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

/* Device class names, indexed by enum charter_device_class. */
extern const char *const manifest_device_names[];

#endif
