/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compiled-policy cache (Documentation/design.rst, "The policy
 * cache"): a compile's blob, kept with what it printed and every path it
 * depended on (deps.h), reused while none of them changed. One file per
 * key in the cache directory (default CACHE_DEFAULT_DIR); the key is
 * everything that is not a file: the tool's version, the blob ABI, the
 * command, its arguments and options, the working directory, the user.
 */
#ifndef CHARTER_CACHE_H
#define CHARTER_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "deps.h"
#include "diag.h"
#include "input.h"
#include "load.h"

#define CACHE_DEFAULT_DIR "/var/cache/charter"
#define CACHE_KEY_LEN 32

/* What a compile produced: all a cached run needs to do as the cold one. */
struct cache_result {
	uint8_t *blob;
	size_t len;
	struct load_counts counts;
	struct diag d;		/* its messages, in order, as printed */
};

/* What the key is made of. */
struct cache_key_input {
	const char *tool_version;
	const uint8_t *tool_id;		/* the running tool's build ID, or NULL */
	size_t tool_id_len;
	const char *command;		/* "load", "compile" */
	char *const *args;
	size_t nargs;
	const struct input_options *in;	/* every option that reaches the compile */
};

/*
 * The GNU build ID of the running executable (its NT_GNU_BUILD_ID note,
 * as mapped): the linker's hash of the code and data that run, which
 * changes with every rebuild. Its length in bytes with *@id pointing at
 * it, or 0 when the executable has none (linked with --build-id=none).
 */
size_t cache_tool_id(const uint8_t **id);

/*
 * The key of @k: SHA-256 over each field, length-prefixed, with the blob
 * and netlink ABI versions, the effective user and group (trust in block
 * files depends on them) and the working directory (relative arguments).
 * 0, or -1 when the working directory cannot be named (no caching then).
 */
int cache_key(const struct cache_key_input *k, uint8_t key[CACHE_KEY_LEN]);

/*
 * The entry of @key in @dir, when it can be used: the directory (and the
 * entry) owned by root or the effective user and writable by nobody
 * else, the checksum right, every recorded path as it was and none of
 * them racy (deps_racy()). 0 with @res filled (the caller frees it with
 * cache_result_free()); 1 when there is none usable, why in *@why (a
 * static string). A directory or entry that may not be trusted is also
 * said in @warn (as "warning: ..." about @dir).
 */
int cache_lookup(const char *dir, const uint8_t key[CACHE_KEY_LEN],
		 struct cache_result *res, const char **why, struct diag *warn);

/*
 * Write the entry of @key: @res and @deps, unless @deps says it must not
 * be cached or one of its paths is racy (then 1, why in *@why). Written to
 * a temporary file in @dir, synced, renamed over the old entry; @dir is
 * made (0700) when missing. 0 when written; -1 when it could not be, the
 * reason in @warn (a failed write never fails the command).
 */
int cache_store(const char *dir, const uint8_t key[CACHE_KEY_LEN],
		const struct deps *deps, const struct cache_result *res,
		const char **why, struct diag *warn);

void cache_result_free(struct cache_result *res);

#endif
