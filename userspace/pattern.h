/* SPDX-License-Identifier: GPL-2.0 */
/* Path patterns: normalisation, glob grammar, UNC shares. */
#ifndef CHARTER_PATTERN_H
#define CHARTER_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/* Lexically normalise @path (absolute, or relative to @base). */
char *pattern_normalise(const char *base, const char *path);

/* "@a/@b" (@b of @blen bytes), new; NULL when out of memory. */
char *pattern_join(const char *a, const char *b, size_t blen);

/*
 * Check a normalised pattern against the grammar of uapi/charter.h and
 * compute its glob-free prefix length. 0, or -1 with a reason in *why.
 */
int pattern_check(const char *pattern, uint16_t *prefix_len, const char **why);

/* Resolve symlinks in the glob-free prefix when it exists. New string. */
char *pattern_resolve(const char *pattern);
/* The same through @cache (NULL: none). */
struct pattern_cache;
char *pattern_resolve_in(const char *pattern, struct pattern_cache *cache);

struct pattern_cache;

/* What resolving a pattern's literal part went through. */
struct pattern_walk {
	char *link;		/* the first symlink followed, or NULL */
	char *process;		/* where it would enter /proc/self..., or NULL */
	const char *why;	/* why it could not be resolved */
	unsigned int links;	/* symlinks followed */
	struct pattern_cache *cache;	/* pattern_walk_in()'s */
};

/*
 * Resolve the glob-free prefix of @pattern component by component, as the
 * kernel will see it: symlinks followed (the first one named in w->link),
 * the rest kept as written from the first missing component on. Refuses
 * (-1, reason in w->why) to go through /proc/self, /proc/thread-self,
 * /proc/PID, /dev/fd or /dev/std{in,out,err}: those name the process
 * resolving them, here the tool (w->process). 0 with a new string in
 * *@out. pattern_walk_free() @w in both cases.
 */
int pattern_walk(const char *pattern, struct pattern_walk *w, char **out);
void pattern_walk_free(struct pattern_walk *w);

/*
 * What lstat() says of the components walked, remembered for one run of
 * the tool over many manifests, whose paths share /var, /var/lib, /srv...:
 * each is looked at once, and a run sees the filesystem as it was when
 * it first looked. pattern_cache_new() is NULL when out of memory.
 */
struct pattern_cache *pattern_cache_new(void);
/* The same, each path looked at also recorded in @deps (deps.h). */
struct deps;
struct pattern_cache *pattern_cache_new_in(struct deps *deps);
void pattern_cache_free(struct pattern_cache *c);

/* pattern_walk() through @cache (NULL: none). */
int pattern_walk_in(const char *pattern, struct pattern_cache *cache,
		    struct pattern_walk *w, char **out);

/*
 * Is absolute @path at or under a name that means "the process resolving
 * it" (/proc/self, /proc/thread-self, /proc/PID, /dev/fd, /dev/stdin,
 * /dev/stdout, /dev/stderr)?
 */
int pattern_names_process(const char *path);

/*
 * Map a UNC path (\\server\share\dir\...) to where that CIFS share is
 * mounted according to the mount table @mounts (/proc/self/mounts format).
 * Returns a new absolute path, or NULL with a message in @why (static or
 * in @buf of @buflen bytes).
 */
char *pattern_from_unc(const char *unc, const char *mounts, char *buf,
		       size_t buflen);

#endif
