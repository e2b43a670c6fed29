/* SPDX-License-Identifier: GPL-2.0 */
/* Client of the "charter" generic-netlink family, and module loading. */
#ifndef CHARTER_NL_H
#define CHARTER_NL_H

#include <stddef.h>
#include <stdint.h>

#include "uapi/charter.h"

/* Error text of the last failure: the kernel's extended ack when it sent one. */
struct nl_error {
	char msg[256];
};

struct nl_status {
	char version[32];
	uint32_t abi;
	uint8_t mode;
	uint8_t locked;
	uint32_t manifests;
	uint32_t confined_tasks;
	uint32_t domain_creds;
	uint64_t allowed, denied, would_deny;
	uint64_t events_dropped;
	uint64_t changed_binaries;	/* execs confined by run path */
	uint64_t policy_memory;		/* bytes of kernel memory the policy holds */
	uint64_t files_hashed;		/* files read in full for their digest */
	uint32_t domains;		/* domains alive */
	uint32_t digest_entries;	/* entries of the digest cache */
	/*
	 * Confined processes by manifest (a process counts for each layer),
	 * from nl_ps(); by_manifest_known is 0 when the caller may not list
	 * processes (CAP_MAC_ADMIN). Filled by the tool, not the status reply.
	 */
	int by_manifest_known;
	size_t by_manifest_count;
	struct nl_manifest_tasks {
		char name[CHARTER_NAME_MAX + 1];
		uint32_t tasks;
	} *by_manifest;
};

struct nl_manifest {
	char name[CHARTER_NAME_MAX + 1];
	char author[CHARTER_NAME_MAX + 1];
	uint8_t sha256[CHARTER_SHA256_LEN];
	uint64_t exe_size;
	uint32_t path_rules, net_rules, devices;
	uint8_t mode;		/* override, or CHARTER_MODE_INHERIT */
	uint32_t flags;		/* CHARTER_MANIFEST_* */
	char run[4096];		/* the executable's path, or "" */
	char run_alias[4096];	/* run as the manifest wrote it, or "" */
};

/* A confined process (charter ps). */
#define NL_MAX_LAYERS 16
struct nl_task {
	uint32_t pid;
	char comm[32];
	unsigned int depth;	/* layers, outermost first */
	char layers[NL_MAX_LAYERS][CHARTER_NAME_MAX + 1];
};

struct nl_event {
	uint64_t time_ns;
	uint32_t pid;
	char comm[32];
	uint8_t decision;	/* CHARTER_DECISION_* */
	char manifest[CHARTER_NAME_MAX + 1];
	uint8_t sha256[CHARTER_SHA256_LEN];
	uint32_t access;
	char path[4096];
	char path2[4096];
	int is_net;
	int is_device;
	uint32_t dev_classes;	/* CHARTER_DEV_BIT() mask */
	uint32_t devnum;	/* major << 20 | minor */
	int has_devnum;		/* 0 with is_device: a server's socket */
	uint8_t direction, protocol;
	uint8_t addr[16];
	int addr_len;
	uint16_t port;
	char operation[128];	/* an operation refused whole, or "" */
	uint32_t target_pid;	/* the other process, or 0 */
	char target_comm[32];
	int always;		/* refused whatever the mode */
};

/* What a learning manifest recorded: one access (CHARTER_LEARN_*). */
struct nl_learned {
	uint8_t kind;		/* CHARTER_LEARN_* */
	struct nl_event ev;	/* path, access, dev_classes, endpoint, operation */
};

struct nl_learn_summary {
	int complete;		/* the summary arrived: every entry was sent */
	uint64_t entries;	/* distinct accesses recorded */
	uint64_t lost;		/* accesses the kernel could not record */
};

/* Each returns 0, or -errno with @err filled in. */
int nl_policy_load(const uint8_t *blob, size_t len, struct nl_error *err);
/*
 * Load only if the current policy's generation is still *@generation
 * (from nl_policy_get()): -ESTALE when another was loaded since.
 */
int nl_policy_load_if(const uint8_t *blob, size_t len, const uint64_t *generation,
		      struct nl_error *err);
/*
 * The current policy's blob (malloc'd; NULL and 0 when none is loaded)
 * and its generation (CHARTER_NO_GENERATION when none is).
 */
int nl_policy_get(uint8_t **blob, size_t *len, uint64_t *generation,
		  struct nl_error *err);
/*
 * Does the kernel hold the manifest @name for the executable
 * @sha256/@exe_size at the run path @run? 0 if so, else -ENOENT. Anyone
 * may ask (charter run); the answer is yes or no.
 */
int nl_query(const char *name, const uint8_t sha256[CHARTER_SHA256_LEN],
	     uint64_t exe_size, const char *run, struct nl_error *err);
/* Every entry the learning manifest @manifest recorded, then the summary. */
int nl_learn_dump(const char *manifest,
		  int (*each)(const struct nl_learned *l, void *data), void *data,
		  struct nl_learn_summary *sum, struct nl_error *err);
int nl_status(struct nl_status *st, struct nl_error *err);
int nl_list(int (*each)(const struct nl_manifest *m, void *data), void *data,
	    struct nl_error *err);
int nl_ps(int (*each)(const struct nl_task *t, void *data), void *data,
	  struct nl_error *err);
int nl_set_mode(uint8_t mode, const char *manifest, struct nl_error *err);
int nl_lock(struct nl_error *err);
/* Receive decision events until @each returns non-zero (or an error). */
int nl_monitor(int (*each)(const struct nl_event *ev, void *data), void *data,
	       struct nl_error *err);

/* Load charter.ko unless the family is already there: from @path when not
 * NULL, else by name through modules.dep. */
int nl_ensure_module(const char *path, struct nl_error *err);

#endif
