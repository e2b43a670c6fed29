// SPDX-License-Identifier: GPL-2.0
/*
 * Manifest reader: libyaml document -> struct manifest.
 *
 * Strict: unknown keys, keys given twice, wrong types, duplicate entry
 * names, missing fields and bad values are all reported, each at its
 * file:line:column with what was expected, and reading goes on after an
 * error so that one run shows every problem.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "blocks.h"
#include "deps.h"
#include "manifest.h"
#include "pattern.h"
#include "uapi/charter.h"

const char *const manifest_device_names[] = CHARTER_DEV_NAMES;

struct reader {
	const struct manifest_source *src;
	yaml_document_t *doc;
	struct diag *diag;
	int errors;
	/* Reading a block: its name, and the manifest's name for ${name}. */
	const char *block;
	const char *manifest_name;
};

static void vreport(struct reader *r, const yaml_node_t *n, const char *kind,
		    const char *fmt, va_list ap)
{
	char *msg = NULL;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	diag_at(r->diag, r->src->file, n->start_mark.line + 1,
		n->start_mark.column + 1, "%s%s", kind, msg ? msg : "out of memory");
	free(msg);
}

__attribute__((format(printf, 3, 4)))
static void report(struct reader *r, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(r, n, "", fmt, ap);
	va_end(ap);
	r->errors++;
}

__attribute__((format(printf, 3, 4)))
static void warn(struct reader *r, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(r, n, "warning: ", fmt, ap);
	va_end(ap);
}

static yaml_node_t *node(struct reader *r, int id)
{
	return yaml_document_get_node(r->doc, id);
}

/*
 * Is @s (@len bytes as libyaml read them) free of NUL and control
 * characters? A NUL would cut the value short in every C string that
 * carries it on; control characters (C0, DEL, C1) have no place in any
 * value of a manifest and could forge lines in what prints it.
 */
static int scalar_clean(struct reader *r, const yaml_node_t *n,
			const char *what, const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned int c = s[i];

		if (c == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			c = s[i + 1];
		else if (c >= 0x20 && c != 0x7f)
			continue;
		report(r, n, "%s contains %s U+%04X at byte %zu: refused (no value of a manifest may hold control characters)",
		       what, c ? "the control character" : "a NUL character", c, i + 1);
		return 0;
	}
	return 1;
}

static const char *scalar(struct reader *r, const yaml_node_t *n,
			  const char *what)
{
	const unsigned char *s;

	if (n->type != YAML_SCALAR_NODE) {
		report(r, n, "%s must be a single value, not a %s", what,
		       n->type == YAML_SEQUENCE_NODE ? "list" : "mapping");
		return NULL;
	}
	/*
	 * YAML folds a plain or quoted value continued on the next lines into
	 * one, joined by a space: 'path: /var/log/app' over '  /../../etc'
	 * reads as its first line but is '/var/log/app /../../etc'. No value
	 * of a manifest needs more than one line, so none may take more.
	 */
	if (n->end_mark.line != n->start_mark.line) {
		report(r, n, "%s is a value continued on the next line (to line %zu): write it on one line",
		       what, n->end_mark.line + 1);
		return NULL;
	}
	s = n->data.scalar.value;
	if (!scalar_clean(r, n, what, s, n->data.scalar.length))
		return NULL;
	return (const char *)s;
}

static struct manifest_pos pos_of(const yaml_node_t *n)
{
	struct manifest_pos at = {
		.line = n->start_mark.line + 1, .col = n->start_mark.column + 1,
	};

	return at;
}

/*
 * Read mapping @n whose keys must be among @keys: vals[i] is the value of
 * keys[i], or NULL. Unknown and repeated keys are reported.
 */
/* "A, B or C": @keys listed in @out (@len bytes) for a message. */
static const char *expected_keys(const char *const *keys, size_t nkeys,
				 char *out, size_t len)
{
	out[0] = '\0';
	for (size_t i = 0; i < nkeys; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s",
			 i ? (i + 1 == nkeys ? " or " : ", ") : "", keys[i]);
	return out;
}

static int read_mapping(struct reader *r, yaml_node_t *n, const char *what,
			const char *const *keys, size_t nkeys,
			yaml_node_t **vals)
{
	char expected[256];

	for (size_t i = 0; i < nkeys; i++)
		vals[i] = NULL;
	if (n->type != YAML_MAPPING_NODE) {
		report(r, n, "%s must be a mapping with keys %s", what,
		       expected_keys(keys, nkeys, expected, sizeof(expected)));
		return -1;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(r, p->key);
		const char *key = scalar(r, k, "a key");
		size_t i;

		if (!key)
			continue;
		for (i = 0; i < nkeys && strcmp(key, keys[i]); i++)
			;
		if (i == nkeys)
			report(r, k, "unknown key '%s' in %s (expected %s)", key,
			       what, expected_keys(keys, nkeys, expected, sizeof(expected)));
		else if (vals[i])
			report(r, k, "duplicate key '%s'", key);
		else
			vals[i] = node(r, p->value);
	}
	return 0;
}

static int is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' || c == '-';
}

int manifest_name_valid(const char *name)
{
	size_t len;

	if (!isalnum((unsigned char)name[0]))
		return 0;
	for (len = 0; name[len]; len++)
		if (!is_name_char((unsigned char)name[len]))
			return 0;
	return len <= CHARTER_NAME_MAX;
}

/* A name (manifest or entry): the character set of manifest_name_valid(). */
static char *read_name(struct reader *r, yaml_node_t *v, const char *what)
{
	const char *s = scalar(r, v, what);

	if (!s)
		return NULL;
	if (!manifest_name_valid(s))
		report(r, v, "%s '%s' (expected 1 to %d characters of A-Z, a-z, 0-9, '.', '_', '+' and '-', starting with a letter or digit)",
		       what, s, CHARTER_NAME_MAX);
	return strdup(s);
}

/* Free text (author): any printable UTF-8, at most CHARTER_NAME_MAX bytes. */
static char *read_text(struct reader *r, yaml_node_t *v, const char *what)
{
	const char *s = scalar(r, v, what);

	if (!s)
		return NULL;
	if (strlen(s) > CHARTER_NAME_MAX)
		report(r, v, "%s is longer than %d bytes", what, CHARTER_NAME_MAX);
	return strdup(s);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "sha256:<64 hex>" or 64 hex digits. */
static int parse_hash(const char *s, uint8_t out[32])
{
	if (!strncmp(s, "sha256:", 7))
		s += 7;
	if (strlen(s) != 64)
		return -1;
	for (int i = 0; i < 32; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static void read_hash(struct reader *r, yaml_node_t *v, struct manifest *m)
{
	const char *s = scalar(r, v, "hash");
	size_t len;

	if (!s)
		return;
	len = strlen(s);
	/* The proposal's template leaves "<executable_file_hash>" in place. */
	if (len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		warn(r, v, "hash '%s' is a placeholder: ignored, the hash of 'run' is used",
		     s);
		return;
	}
	if (parse_hash(s, m->hash))
		report(r, v, "hash '%s' (expected sha256:<64 hex digits> or 64 hex digits)",
		       s);
	else
		m->has_hash = 1;
}

/* ---- allowedDirectories ------------------------------------------------ */

/*
 * Refuse what a shell would have expanded: the tool expands nothing, so
 * '~', '$HOME' or 'C:\\' would be taken literally, as names under the
 * manifest's directory. @what is "path" or "run". 0 when @raw is literal.
 */
static int check_literal(struct reader *r, yaml_node_t *v, const char *what,
			 const char *raw)
{
	const char *dollar = strchr(raw, '$');

	if (raw[0] == '~') {
		report(r, v, "%s '%s' starts with '~': no shell expansion happens here; write the home directory out (/home/NAME/...)",
		       what, raw);
		return -1;
	}
	if (dollar && (isalpha((unsigned char)dollar[1]) || dollar[1] == '_' ||
		       dollar[1] == '{')) {
		report(r, v, "%s '%s' contains a variable ('$'): no expansion happens here; write the path out",
		       what, raw);
		return -1;
	}
	if (isalpha((unsigned char)raw[0]) && raw[1] == ':') {
		report(r, v, "%s '%s' is a Windows drive path: write a Linux path (/...), or a share as \\\\server\\share\\...",
		       what, raw);
		return -1;
	}
	if (strchr(raw, '\\')) {
		report(r, v, "%s '%s' contains a backslash: Linux paths use '/' (only a UNC share starts with \\\\)",
		       what, raw);
		return -1;
	}
	return 0;
}

/* Does relative @raw climb above the directory it is relative to? */
static int climbs_above(const char *raw)
{
	long depth = 0;

	for (const char *c = raw; *c; c = *c ? c + 1 : c) {
		const char *e = strchrnul(c, '/');
		size_t n = (size_t)(e - c);

		if (n == 2 && c[0] == '.' && c[1] == '.')
			depth--;
		else if (n && !(n == 1 && c[0] == '.'))
			depth++;
		if (depth < 0)
			return 1;
		c = e;
	}
	return 0;
}

/* Has @raw a '..' component, components separated by any of @seps? */
static int has_dotdot(const char *raw, const char *seps)
{
	for (const char *c = raw; *c; ) {
		size_t n = strcspn(c, seps);

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return 1;
		c += n;
		c += *c != '\0';
	}
	return 0;
}

/* A relative @raw is refused in the manifests directory. */
static int check_installed(struct reader *r, yaml_node_t *v, const char *what,
			   const char *raw)
{
	if (raw[0] == '/' || !r->src->installed_in)
		return 0;
	report(r, v, "%s '%s' is relative, but this manifest lies in %s, away from its program: write %s as an absolute path",
	       what, raw, r->src->installed_in, what);
	return -1;
}

/*
 * '..' is refused in every path: the tool would apply it to the text, but
 * the kernel matches real paths, where '..' after a symlink is the parent
 * of its target, after a wildcard is no one directory, and in a UNC path
 * leaves the share for its mount point's parents. A path can always be
 * written without it. Leading '..' of a relative path keep their own
 * message (they climb above the manifest's directory). 0 when none.
 */
static int check_dotdot(struct reader *r, yaml_node_t *v, const char *raw)
{
	if (!strncmp(raw, "\\\\", 2)) {
		if (!has_dotdot(raw + 2, "\\/"))
			return 0;
		report(r, v, "UNC path '%s' has a '..' component: it would climb out of the share to its mount point's parents; name a directory inside the share",
		       raw);
	} else if (raw[0] != '/' && climbs_above(raw)) {
		report(r, v, "path '%s' climbs above the manifest's directory: write it as an absolute path",
		       raw);
	} else if (has_dotdot(raw, "/")) {
		report(r, v, "path '%s' has a '..' component: write the path without it (the kernel matches real paths: '..' after a symlink or a wildcard is not what it reads as)",
		       raw);
	} else {
		return 0;
	}
	return -1;
}

/*
 * /proc/self/cwd, /dev/fd/3... name the process that resolves them: the
 * tool here, so the policy would depend on who runs check, compile or
 * load, and never mean the confined program. 0 when @norm names none.
 */
static int check_process_links(struct reader *r, yaml_node_t *v,
			       const char *raw, const char *norm)
{
	if (!pattern_names_process(norm))
		return 0;
	report(r, v, "path '%s' goes through /proc/self, /proc/thread-self, /proc/PID or /dev/fd (or /dev/stdin...): these name the process that resolves them, here the charter tool, not the confined program; name the directory itself",
	       raw);
	return -1;
}

/* Is @path @dir or beneath it? */
static int beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strcmp(dir, "/") ||
	       (!strncmp(path, dir, n) && (!path[n] || path[n] == '/'));
}

/*
 * Resolve @norm's literal part as the kernel will see it. A relative
 * @raw must stay inside the manifest's directory (a symlink beside the
 * manifest could lead anywhere, as '..' would); any path that goes
 * through a symlink is warned with what it really grants. NULL when
 * refused.
 */
static char *resolve_path(struct reader *r, yaml_node_t *v, const char *raw,
			  const char *norm)
{
	struct pattern_walk w;
	char *out = NULL;
	uint16_t prefix = 0;
	const char *why = NULL;
	size_t real_len;

	if (pattern_walk_in(norm, r->src->lstats, &w, &out) ||
	    pattern_check(out, &prefix, &why)) {
		report(r, v, "path '%s' cannot be resolved: %s", raw,
		       w.why ? w.why : why);
		goto refused;
	}
	real_len = prefix;	/* the resolved literal part */
	if (raw[0] != '/' && strncmp(raw, "\\\\", 2) && !beneath(out, r->src->dir)) {
		report(r, v, "path '%s' leads to '%.*s' (through the symlink '%s'), outside the manifest's directory %s: a relative path must stay inside it; write the absolute path",
		       raw, (int)real_len, out, w.link ? w.link : "?", r->src->dir);
		goto refused;
	}
	if (w.link)
		warn(r, v, "path '%s' leads to '%.*s' (through the symlink '%s'): the grant is on '%s'",
		     raw, (int)(real_len ? real_len : 1), real_len ? out : "/",
		     w.link, out);
	pattern_walk_free(&w);
	return out;
refused:
	pattern_walk_free(&w);
	free(out);
	return NULL;
}

/* ---- a block's paths: absolute, ${name} the manifest's name ------------ */

/* Is "${name}" at @s? */
static int is_name_variable(const char *s)
{
	return !strncmp(s, "${name}", 7);
}

/*
 * @raw with every ${name} replaced by the manifest's name (a name has no
 * '/', '*' or '?', so it stays one literal component). Any other "${" is
 * refused: a block means the same thing in every manifest but for the
 * name. NULL when refused.
 */
static char *block_substitute(struct reader *r, yaml_node_t *v, const char *raw)
{
	const char *name = r->manifest_name;
	size_t uses = 0, len;
	char *out, *o;

	for (const char *c = strstr(raw, "${"); c; c = strstr(c + 2, "${")) {
		if (!is_name_variable(c)) {
			report(r, v, "path '%s' has '${' other than ${name}: a block substitutes only ${name} (the manifest's name)",
			       raw);
			return NULL;
		}
		uses++;
	}
	if (uses && !name) {
		report(r, v, "path '%s' uses ${name}, but the manifest using the block has no valid name",
		       raw);
		return NULL;
	}
	len = strlen(raw) + uses * (name ? strlen(name) : 0) + 1;
	out = malloc(len);
	if (!out)
		return NULL;
	for (o = out; *raw; ) {
		if (is_name_variable(raw)) {
			o = stpcpy(o, name);
			raw += 7;
		} else {
			*o++ = *raw++;
		}
	}
	*o = '\0';
	return out;
}

/* A block serves manifests wherever they lie: its paths are absolute. */
static int check_block_absolute(struct reader *r, yaml_node_t *v, const char *raw)
{
	if (!r->block || raw[0] == '/' || !strncmp(raw, "\\\\", 2))
		return 0;
	report(r, v, "path '%s' is relative: a block's paths must be absolute (it serves manifests wherever they lie)",
	       raw);
	return -1;
}

static char *read_path_text(struct reader *r, yaml_node_t *v, const char *raw);

static char *read_path(struct reader *r, yaml_node_t *v)
{
	const char *raw = scalar(r, v, "path");
	char *subst, *out;

	if (!raw || !r->block)
		return raw ? read_path_text(r, v, raw) : NULL;
	subst = block_substitute(r, v, raw);
	if (!subst)
		return NULL;
	out = check_block_absolute(r, v, subst) ? NULL : read_path_text(r, v, subst);
	free(subst);
	return out;
}

/* @raw, the path as written (a block's with ${name} substituted). */
static char *read_path_text(struct reader *r, yaml_node_t *v, const char *raw)
{
	const char *why;
	char msg[1024], *abs = NULL, *norm, *out = NULL;
	uint16_t prefix;

	if (!*raw) {
		report(r, v, "path must not be empty");
		return NULL;
	}
	if (check_dotdot(r, v, raw))
		return NULL;
	if (!strncmp(raw, "\\\\", 2)) {
		/* The mount table changes without a trace lstat() could see. */
		deps_uncacheable(r->src->deps, "a UNC path depends on the mount table");
		abs = pattern_from_unc(raw, r->src->mounts, msg, sizeof(msg));
		if (!abs) {
			report(r, v, "%s", msg);
			return NULL;
		}
	} else if (check_literal(r, v, "path", raw) ||
		   check_installed(r, v, "path", raw)) {
		return NULL;
	}
	norm = pattern_normalise(r->src->dir, abs ? abs : raw);
	free(abs);
	if (!norm)
		return NULL;
	if (pattern_check(norm, &prefix, &why))
		report(r, v, "path '%s': %s", raw, why);
	else if (!check_process_links(r, v, raw, norm))
		out = resolve_path(r, v, raw, norm);
	free(norm);
	return out;
}

/* Is the component @c..@e made only of '*' and '?' (and not empty)? */
static int only_wildcards(const char *c, const char *e)
{
	for (const char *p = c; p < e; p++)
		if (*p != '*' && *p != '?')
			return 0;
	return c < e;
}

/*
 * "/", or a pattern whose first component is only wildcards ('*', '?',
 * '**', '?*'...): that component matches every top-level name, and a
 * rule covers everything beneath what it matches, so the rule reaches
 * /etc, /home, /usr... alike. 2 when every component is wildcards (every
 * file), 1 when only the first is (the rest under every top-level
 * directory), 0 otherwise.
 */
static int whole_filesystem(const char *pattern)
{
	const char *first = pattern + 1, *e = strchrnul(first, '/');
	int all = 1;

	if (!*first)
		return 2;
	if (!only_wildcards(first, e))
		return 0;
	for (const char *c = e; *c; c = e) {
		e = strchrnul(c + 1, '/');
		all &= only_wildcards(c + 1, e);
	}
	return all ? 2 : 1;
}

static void warn_whole_filesystem(struct reader *r, yaml_node_t *v,
				  const struct manifest_path *p)
{
	static const char *const access_names[] = CHARTER_ACCESS_NAMES;
	int whole;

	if (!p->pattern || !p->access)
		return;
	whole = whole_filesystem(p->pattern);
	if (whole == 1)
		warn(r, v, "path '%s' starts with a component of wildcards only: it grants %s under every top-level directory of the whole filesystem (/etc, /home, /usr...)",
		     p->pattern, access_names[p->access & CHARTER_ACCESS_ALL]);
	if (whole != 2)
		return;
	warn(r, v, "path '%s' grants %s on the whole filesystem: the program is not confined there (it may %s%s%s any file)",
	     p->pattern, access_names[p->access & CHARTER_ACCESS_ALL],
	     p->access & CHARTER_ACCESS_READ ? "read" : "",
	     p->access & CHARTER_ACCESS_WRITE ?
	     (p->access & CHARTER_ACCESS_READ ? ", change" : "change") : "",
	     p->access & CHARTER_ACCESS_EXECUTE ?
	     (p->access & ~CHARTER_ACCESS_EXECUTE ? " or run" : "run") : "");
}

static const struct {
	const char *name;
	uint32_t access;
} permission_names[] = {
	{ "read", CHARTER_ACCESS_READ },
	{ "write", CHARTER_ACCESS_WRITE },
	{ "execute", CHARTER_ACCESS_EXECUTE },
	{ "readWrite", CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE },
	{ "readExecute", CHARTER_ACCESS_READ | CHARTER_ACCESS_EXECUTE },
	{ "readWriteExecute", CHARTER_ACCESS_ALL },
};

#define PERMISSIONS "read, write, execute, readWrite, readExecute or readWriteExecute"

static uint32_t permission_value(const char *s)
{
	for (size_t i = 0; i < sizeof(permission_names) / sizeof(permission_names[0]); i++)
		if (!strcmp(s, permission_names[i].name))
			return permission_names[i].access;
	return 0;
}

/* A name, or a list of read, write and execute. */
static uint32_t read_permission(struct reader *r, yaml_node_t *v)
{
	uint32_t access = 0;

	if (v->type == YAML_SCALAR_NODE) {
		const char *s = scalar(r, v, "permission");

		if (!s)
			return 0;
		access = permission_value(s);
		if (!access)
			report(r, v, "permission '%s' (expected " PERMISSIONS
			       ", or a list of read, write and execute)", s);
		return access;
	}
	if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start ==
					     v->data.sequence.items.top) {
		report(r, v, "permission must be one of " PERMISSIONS
		       ", or a non-empty list of read, write and execute");
		return 0;
	}
	for (yaml_node_item_t *i = v->data.sequence.items.start;
	     i < v->data.sequence.items.top; i++) {
		yaml_node_t *e = node(r, *i);
		const char *s = scalar(r, e, "a permission");
		uint32_t one = s ? permission_value(s) : 0;

		if (s && (!one || (one & (one - 1))))
			report(r, e, "permission '%s' in a list (expected read, write or execute)",
			       s);
		else if (one & access)
			report(r, e, "permission '%s' given twice", s);
		access |= one;
	}
	return access;
}

static void read_dir_entry(struct reader *r, yaml_node_t *n,
			   struct manifest_path *out)
{
	static const char *const keys[] = { "name", "path", "permission" };
	yaml_node_t *v[3];

	if (read_mapping(r, n, "an allowedDirectories entry", keys, 3, v))
		return;
	for (int i = 0; i < 3; i++)
		if (!v[i])
			report(r, n, "allowedDirectories entry: missing '%s'", keys[i]);
	if (v[0])
		out->name = read_name(r, v[0], "name");
	if (v[1])
		out->pattern = read_path(r, v[1]);
	if (v[2])
		out->access = read_permission(r, v[2]);
	if (v[1])
		warn_whole_filesystem(r, v[1], out);
}

/* ---- allowedNetwork ---------------------------------------------------- */

static int prefix_canonical(const uint8_t *addr, unsigned int prefix)
{
	for (unsigned int i = prefix / 8; i < 16; i++) {
		uint8_t keep = i == prefix / 8 ? (uint8_t)(0xff00 >> (prefix % 8)) : 0;

		if (addr[i] & ~keep)
			return 0;
	}
	return 1;
}

/*
 * A decimal number of 1 to @maxdigits digits, written without leading
 * zeros (YAML 1.1 reads 010 as octal: refusing them keeps every reader
 * agreeing), at most @max. The whole of @s..@s+@n is the number.
 */
static int parse_decimal(const char *s, size_t n, size_t maxdigits,
			 unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!n || n > maxdigits || (s[0] == '0' && n > 1))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* The address of "ADDR[/PREFIX]", whole: 4 or 6 (its family), or 0. */
static int parse_address(const char *s, size_t n, uint8_t addr[16])
{
	char host[INET6_ADDRSTRLEN];

	if (n >= sizeof(host))
		return 0;
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, addr) == 1)
		return 4;
	if (inet_pton(AF_INET6, host, addr) == 1)
		return 6;
	return 0;
}

static void read_ip(struct reader *r, yaml_node_t *v, struct manifest_net *out)
{
	static const uint8_t v4_mapped[12] = { [10] = 0xff, [11] = 0xff };
	const char *s = scalar(r, v, "ip"), *slash;
	unsigned long prefix;
	unsigned int max;

	if (!s)
		return;
	if (!strcmp(s, "any")) {
		out->scope = NET_ANY;
		return;
	}
	if (!strcmp(s, "localhost")) {
		out->scope = NET_LOCALHOST;
		return;
	}
	out->scope = NET_ADDR;
	slash = strchrnul(s, '/');
	switch (parse_address(s, (size_t)(slash - s), out->addr)) {
	case 4:
		out->family = CHARTER_FAMILY_INET;
		max = 32;
		break;
	case 6:
		out->family = CHARTER_FAMILY_INET6;
		max = 128;
		break;
	default:
		report(r, v, "ip '%s' (expected an IPv4 or IPv6 address, optionally /prefix, or any, or localhost)",
		       s);
		return;
	}
	prefix = max;
	if (*slash && parse_decimal(slash + 1, strlen(slash + 1), 3, max, &prefix)) {
		report(r, v, "ip '%s': prefix length must be 0 to %u, in decimal without leading zeros",
		       s, max);
		return;
	}
	out->prefix = (uint8_t)prefix;
	if (!prefix_canonical(out->addr, out->prefix)) {
		report(r, v, "ip '%s' has bits set past its /%lu prefix", s, prefix);
		return;
	}
	/* An IPv4-mapped IPv6 address is the IPv4 address. */
	if (out->family == CHARTER_FAMILY_INET6 && out->prefix >= 96 &&
	    !memcmp(out->addr, v4_mapped, sizeof(v4_mapped))) {
		memmove(out->addr, out->addr + 12, 4);
		memset(out->addr + 4, 0, 12);
		out->family = CHARTER_FAMILY_INET;
		out->prefix -= 96;
	}
}

static void read_port(struct reader *r, yaml_node_t *v, struct manifest_net *out)
{
	const char *s = scalar(r, v, "port"), *dash;
	unsigned long lo, hi;

	if (!s)
		return;
	dash = strchrnul(s, '-');
	if (parse_decimal(s, (size_t)(dash - s), 5, 65535, &lo) ||
	    (*dash && parse_decimal(dash + 1, strlen(dash + 1), 5, 65535, &hi))) {
		report(r, v, "port '%s' (expected a number 0-65535 or a range such as 8000-8099, without leading zeros)",
		       s);
		return;
	}
	if (!*dash)
		hi = lo;
	if (lo > hi) {
		report(r, v, "port range '%s' is empty", s);
		return;
	}
	out->port_min = (uint16_t)lo;
	out->port_max = (uint16_t)hi;
}

static void read_net_entry(struct reader *r, yaml_node_t *n,
			   struct manifest_net *out)
{
	static const char *const keys[] = {
		"name", "direction", "ip", "protocol", "port",
	};
	yaml_node_t *v[5];
	const char *s;

	out->port_min = 0;
	out->port_max = 65535;
	if (read_mapping(r, n, "an allowedNetwork entry", keys, 5, v))
		return;
	for (int i = 0; i < 4; i++)
		if (!v[i])
			report(r, n, "allowedNetwork entry: missing '%s'", keys[i]);
	if (v[0])
		out->name = read_name(r, v[0], "name");
	if (v[1] && (s = scalar(r, v[1], "direction"))) {
		if (!strcmp(s, "inbound"))
			out->direction = CHARTER_NET_INBOUND;
		else if (!strcmp(s, "outbound"))
			out->direction = CHARTER_NET_OUTBOUND;
		else
			report(r, v[1], "direction '%s' (expected inbound or outbound)", s);
	}
	if (v[2])
		read_ip(r, v[2], out);
	if (v[3] && (s = scalar(r, v[3], "protocol"))) {
		if (!strcmp(s, "tcp"))
			out->protocol = CHARTER_PROTO_TCP;
		else if (!strcmp(s, "udp"))
			out->protocol = CHARTER_PROTO_UDP;
		else
			report(r, v[3], "protocol '%s' (expected tcp or udp)", s);
	}
	if (v[4])
		read_port(r, v[4], out);
}

/* ---- allowedDevices ---------------------------------------------------- */

static void read_devices(struct reader *r, yaml_node_t *n, uint32_t *devices)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		report(r, n, "allowedDevices must be a list of device classes");
		return;
	}
	for (yaml_node_item_t *i = n->data.sequence.items.start;
	     i < n->data.sequence.items.top; i++) {
		yaml_node_t *e = node(r, *i);
		const char *s = scalar(r, e, "a device class");
		int c;

		if (!s)
			continue;
		for (c = 0; c < __CHARTER_DEV_COUNT && strcmp(s, manifest_device_names[c]); c++)
			;
		if (c == __CHARTER_DEV_COUNT)
			report(r, e, "device class '%s' (expected keyboard, mouse, joystick, audioOut, audioIn, display, wayland, x11, gpu, camera, serial, usb or storage)",
			       s);
		else if (*devices & CHARTER_DEV_BIT(c))
			report(r, e, "device class '%s' given twice", s);
		else
			*devices |= CHARTER_DEV_BIT(c);
	}
}

/* ---- lists of named entries -------------------------------------------- */

typedef const char *(*entry_name_fn)(const void *entry);

static const char *path_name(const void *e)
{
	return ((const struct manifest_path *)e)->name;
}

static const char *net_name(const void *e)
{
	return ((const struct manifest_net *)e)->name;
}

/* Read a list of entries of @size bytes each into *@out, names unique. */
static void read_list(struct reader *r, yaml_node_t *n, const char *what,
		      size_t size, void **out, size_t *count,
		      void (*read_entry)(struct reader *, yaml_node_t *, void *),
		      entry_name_fn name_of)
{
	size_t len;
	char *entries;

	if (n->type != YAML_SEQUENCE_NODE) {
		report(r, n, "%s must be a list", what);
		return;
	}
	len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	entries = calloc(len ? len : 1, size);
	if (!entries)
		return;
	*out = entries;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *e = node(r, n->data.sequence.items.start[i]);
		const char *name;

		read_entry(r, e, entries + i * size);
		*count = i + 1;
		name = name_of(entries + i * size);
		for (size_t j = 0; name && j < i; j++) {
			const char *other = name_of(entries + j * size);

			if (other && !strcmp(name, other))
				report(r, e, "duplicate entry name '%s' in %s", name, what);
		}
	}
}

static void read_dir_any(struct reader *r, yaml_node_t *n, void *e)
{
	read_dir_entry(r, n, e);
}

static void read_net_any(struct reader *r, yaml_node_t *n, void *e)
{
	read_net_entry(r, n, e);
}

/* ---- use: building blocks --------------------------------------------- */

/* Move @b's rules into @m, after its own; @u takes @b's name and text. */
static int merge_block(struct manifest *m, struct manifest_use *u, struct block *b)
{
	struct manifest_path *paths = realloc(m->paths, (m->path_count + b->path_count + 1) *
					      sizeof(*paths));
	struct manifest_net *nets;

	if (paths)
		m->paths = paths;
	nets = realloc(m->nets, (m->net_count + b->net_count + 1) * sizeof(*nets));
	if (nets)
		m->nets = nets;
	if (!paths || !nets)
		return -1;
	/* A block without network rules has no array: nothing to copy. */
	if (b->path_count)
		memcpy(m->paths + m->path_count, b->paths, b->path_count * sizeof(*paths));
	m->path_count += b->path_count;
	if (b->net_count)
		memcpy(m->nets + m->net_count, b->nets, b->net_count * sizeof(*nets));
	m->net_count += b->net_count;
	m->devices |= b->devices;
	u->devices = b->devices;
	/* The entries point at b->name: the use keeps it. */
	u->name = b->name;
	u->file = b->file;
	u->description = b->description;
	free(b->paths);
	free(b->nets);
	memset(b, 0, sizeof(*b));
	return 0;
}

/* One name of use: (item @n), the @i-th: found, read and merged. */
static void read_use(struct reader *r, yaml_node_t *n, struct manifest *m, size_t i)
{
	const char *name = scalar(r, n, "a block name");
	const char *mname = m->name && manifest_name_valid(m->name) ? m->name : NULL;
	struct block b = { 0 };
	size_t errors = r->diag->count;
	int found;

	if (!name)
		return;
	if (!block_name_valid(name)) {
		report(r, n, "block name '%s' (expected 1 to %d characters of A-Z, a-z, 0-9, '.', '_', '+' and '-', starting with a letter or digit)",
		       name, BLOCK_NAME_MAX);
		return;
	}
	for (size_t j = 0; j < m->use_count; j++)
		if (!strcmp(m->uses[j].name, name)) {
			report(r, n, "block '%s' is used twice (first at %zu:%zu)", name,
			       m->uses[j].at.line, m->uses[j].at.col);
			return;
		}
	found = block_load_in(r->src->blocks, name, mname, r->src, &b, r->diag);
	if (found == 1) {
		const char *dirs[BLOCKS_MAX_DIRS];
		size_t count = blocks_dirs(r->src->blocks, dirs);
		char where[1024] = "";

		for (size_t k = 0; k < count; k++)
			snprintf(where + strlen(where), sizeof(where) - strlen(where), "%s%s",
				 k ? ", " : "", dirs[k]);
		report(r, n, "unknown block '%s': no %s.yml in %s", name, name, where);
	} else if (found) {
		report(r, n, "block '%s' (%s) cannot be used: %s", name,
		       b.file ? b.file : name, r->diag->count > errors ?
		       "see its messages above" : "out of memory");
	} else if (merge_block(m, &m->uses[i], &b)) {
		report(r, n, "out of memory");
	} else {
		m->uses[i].at = pos_of(n);
		m->use_count = i + 1;
	}
	block_free(&b);
}

/* use: one block name or a list of them; unknown, bad or repeated refused. */
static void read_uses(struct reader *r, yaml_node_t *v, struct manifest *m)
{
	yaml_node_item_t *first = NULL;
	size_t count = 1;

	if (v->type == YAML_MAPPING_NODE) {
		report(r, v, "use must be a block name or a list of block names, not a mapping");
		return;
	}
	if (v->type == YAML_SEQUENCE_NODE) {
		first = v->data.sequence.items.start;
		count = (size_t)(v->data.sequence.items.top - first);
	}
	m->uses = calloc(count ? count : 1, sizeof(*m->uses));
	if (!m->uses)
		return;
	if (v->type == YAML_SCALAR_NODE) {
		read_use(r, v, m, 0);
		return;
	}
	for (size_t i = 0; i < count; i++)
		read_use(r, node(r, first[i]), m, m->use_count);
}

/* ---- the manifest ------------------------------------------------------ */

/* run: absolute, or relative to the directory the manifest really lies in. */
static void read_run(struct reader *r, yaml_node_t *v, struct manifest *m)
{
	const char *s = scalar(r, v, "run");

	m->run_at = pos_of(v);
	if (!s)
		return;
	if (!*s) {
		report(r, v, "run must not be empty");
		return;
	}
	if (check_literal(r, v, "run", s) || check_installed(r, v, "run", s))
		return;
	m->run = pattern_normalise(r->src->dir, s);
}

enum {
	K_VERSION, K_AUTHOR, K_NAME, K_RUN, K_HASH, K_BASELINE, K_DIRS,
	K_NETWORK, K_DEVICES, K_USE, K_COUNT,
};

static const char *const top_keys[K_COUNT] = {
	"manifestVersion", "author", "name", "run", "hash", "baseline",
	"allowedDirectories", "allowedNetwork", "allowedDevices", "use",
};

static void read_root(struct reader *r, yaml_node_t *root, struct manifest *m)
{
	yaml_node_t *v[K_COUNT];
	const char *s;

	if (!root) {
		diag_file(r->diag, r->src->file, "empty file: a manifest is a YAML mapping");
		r->errors++;
		return;
	}
	if (read_mapping(r, root, "a manifest", top_keys, K_COUNT, v))
		return;
	if (!v[K_VERSION])
		report(r, root, "missing 'manifestVersion' (expected v1)");
	else if ((s = scalar(r, v[K_VERSION], "manifestVersion")) && strcmp(s, "v1"))
		report(r, v[K_VERSION], "manifestVersion '%s' (expected v1)", s);
	if (v[K_AUTHOR])
		m->author = read_text(r, v[K_AUTHOR], "author");
	if (!v[K_NAME])
		report(r, root, "missing 'name'");
	else
		m->name = read_name(r, v[K_NAME], "name");
	if (v[K_NAME])
		m->name_at = pos_of(v[K_NAME]);
	if (v[K_RUN])
		read_run(r, v[K_RUN], m);
	if (v[K_HASH]) {
		m->hash_at = pos_of(v[K_HASH]);
		read_hash(r, v[K_HASH], m);
	}
	if (!v[K_RUN] && !m->has_hash)
		report(r, root, "missing 'run' or 'hash': which program is this for?");
	m->baseline = 1;
	if (v[K_BASELINE] && (s = scalar(r, v[K_BASELINE], "baseline"))) {
		if (!strcmp(s, "none"))
			m->baseline = 0;
		else if (strcmp(s, "default"))
			report(r, v[K_BASELINE], "baseline '%s' (expected default or none)", s);
	}
	if (v[K_DIRS])
		read_list(r, v[K_DIRS], "allowedDirectories", sizeof(*m->paths),
			  (void **)&m->paths, &m->path_count, read_dir_any, path_name);
	if (v[K_NETWORK])
		read_list(r, v[K_NETWORK], "allowedNetwork", sizeof(*m->nets),
			  (void **)&m->nets, &m->net_count, read_net_any, net_name);
	if (v[K_DEVICES])
		read_devices(r, v[K_DEVICES], &m->devices);
	if (v[K_USE])
		read_uses(r, v[K_USE], m);
}

static void report_yaml_error(struct reader *r, const yaml_parser_t *p)
{
	diag_at(r->diag, r->src->file, p->problem_mark.line + 1,
		p->problem_mark.column + 1, "YAML: %s%s%s",
		p->problem ? p->problem : "syntax error",
		p->context ? " " : "", p->context ? p->context : "");
	r->errors++;
}

/* Is event @e acceptable at this point of the stream? */
static int prescan_event(struct reader *r, const yaml_event_t *e, int *depth,
			 int *documents)
{
	switch (e->type) {
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++*depth <= MANIFEST_MAX_DEPTH)
			return 0;
		diag_at(r->diag, r->src->file, e->start_mark.line + 1,
			e->start_mark.column + 1,
			"nested deeper than %d levels: not a manifest (a manifest is at most 4 levels deep)",
			MANIFEST_MAX_DEPTH);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		--*depth;
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (++*documents == 1)
			return 0;
		diag_at(r->diag, r->src->file, e->start_mark.line + 1,
			e->start_mark.column + 1,
			"a second YAML document: a file holds one manifest (put each in its own file)");
		break;
	default:
		return 0;
	}
	r->errors++;
	return -1;
}

/*
 * Walk the events of @buf before building the document: refuse deep
 * nesting there (libyaml's loader and scanner slow down with depth, and
 * stop only at its end) and a second document (yaml_parser_load would
 * silently leave it unread). 0 when the document may be loaded.
 */
static int prescan(struct reader *r, const unsigned char *buf, size_t len)
{
	int depth = 0, documents = 0, ret = -1;
	yaml_parser_t parser;
	yaml_event_t e;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, buf, len);
	for (;;) {
		int done;

		if (!yaml_parser_parse(&parser, &e)) {
			report_yaml_error(r, &parser);
			break;
		}
		done = e.type == YAML_STREAM_END_EVENT;
		if (prescan_event(r, &e, &depth, &documents)) {
			yaml_event_delete(&e);
			break;
		}
		yaml_event_delete(&e);
		if (done) {
			ret = 0;
			break;
		}
	}
	yaml_parser_delete(&parser);
	return ret;
}

/* Load @buf's one document into @doc (prescanned). 0, or -1 (reported). */
static int load_document(struct reader *r, const unsigned char *buf, size_t len,
			 yaml_document_t *doc)
{
	yaml_parser_t parser;
	int ret = 0;

	if (prescan(r, buf, len))
		return -1;
	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, buf, len);
	if (!yaml_parser_load(&parser, doc)) {
		report_yaml_error(r, &parser);
		ret = -1;
	}
	yaml_parser_delete(&parser);
	return ret;
}

int manifest_parse(const struct manifest_source *src,
		   const unsigned char *buf, size_t len, struct manifest *m,
		   struct diag *d)
{
	struct reader r = { .src = src, .diag = d };
	yaml_document_t doc;

	memset(m, 0, sizeof(*m));
	m->file = strdup(src->file);
	if (load_document(&r, buf, len, &doc))
		return -1;
	r.doc = &doc;
	read_root(&r, yaml_document_get_root_node(&doc), m);
	yaml_document_delete(&doc);
	return r.errors ? -1 : 0;
}

/* ---- a block file ------------------------------------------------------ */

enum {
	B_BLOCK, B_DESCRIPTION, B_DIRS, B_NETWORK, B_DEVICES, B_COUNT,
};

static const char *const block_keys[B_COUNT] = {
	"block", "description", "allowedDirectories", "allowedNetwork",
	"allowedDevices",
};

/* A description: one line of printable text, at most 1024 bytes. */
#define BLOCK_DESCRIPTION_MAX 1024

/*
 * Name each entry of list @n (@count of them, @size bytes each, the name
 * at @name_off and the block at @block_off) "BLOCK/ENTRY": the name the
 * rule has in the policy, in events and in 'charter dump'.
 */
static void prefix_entries(struct reader *r, yaml_node_t *n, char *entries,
			   size_t count, size_t size, size_t name_off,
			   size_t block_off, const char *block)
{
	for (size_t i = 0; i < count; i++) {
		char **name = (char **)(entries + i * size + name_off);
		char *full = NULL;

		*(const char **)(entries + i * size + block_off) = block;
		if (!*name)
			continue;
		if (asprintf(&full, "%s/%s", block, *name) < 0)
			full = NULL;
		if (full && strlen(full) > CHARTER_NAME_MAX)
			report(r, node(r, n->data.sequence.items.start[i]),
			       "entry '%s' makes the rule name '%s' longer than %d bytes",
			       *name, full, CHARTER_NAME_MAX);
		free(*name);
		*name = full;
	}
}

static void read_block_root(struct reader *r, yaml_node_t *root, struct block *b)
{
	yaml_node_t *v[B_COUNT];
	const char *s;

	if (!root) {
		diag_file(r->diag, r->src->file, "empty file: a block is a YAML mapping");
		r->errors++;
		return;
	}
	if (read_mapping(r, root, "a block", block_keys, B_COUNT, v))
		return;
	if (!v[B_BLOCK])
		report(r, root, "missing 'block' (the block's name, %s)", r->block);
	else if ((s = scalar(r, v[B_BLOCK], "block")) && strcmp(s, r->block))
		report(r, v[B_BLOCK], "block '%s' is in the file of block '%s': the name must be the file's (%s.yml)",
		       s, r->block, r->block);
	if (!v[B_DESCRIPTION])
		report(r, root, "missing 'description' (what the block grants, and why)");
	else if ((s = scalar(r, v[B_DESCRIPTION], "description")) &&
		 (!*s || strlen(s) > BLOCK_DESCRIPTION_MAX))
		report(r, v[B_DESCRIPTION], "description must be 1 to %d bytes",
		       BLOCK_DESCRIPTION_MAX);
	else if (s)
		b->description = strdup(s);
	if (v[B_DIRS]) {
		read_list(r, v[B_DIRS], "allowedDirectories", sizeof(*b->paths),
			  (void **)&b->paths, &b->path_count, read_dir_any, path_name);
		prefix_entries(r, v[B_DIRS], (char *)b->paths, b->path_count,
			       sizeof(*b->paths), offsetof(struct manifest_path, name),
			       offsetof(struct manifest_path, block), b->name);
	}
	if (v[B_NETWORK]) {
		read_list(r, v[B_NETWORK], "allowedNetwork", sizeof(*b->nets),
			  (void **)&b->nets, &b->net_count, read_net_any, net_name);
		prefix_entries(r, v[B_NETWORK], (char *)b->nets, b->net_count,
			       sizeof(*b->nets), offsetof(struct manifest_net, name),
			       offsetof(struct manifest_net, block), b->name);
	}
	if (v[B_DEVICES])
		read_devices(r, v[B_DEVICES], &b->devices);
}

int manifest_parse_block(const struct manifest_source *src,
			 const unsigned char *buf, size_t len,
			 const char *block_name, const char *manifest_name,
			 struct block *b, struct diag *d)
{
	struct reader r = {
		.src = src, .diag = d, .block = block_name,
		.manifest_name = manifest_name,
	};
	yaml_document_t doc;

	if (!b->name)
		b->name = strdup(block_name);
	if (!b->name || load_document(&r, buf, len, &doc))
		return -1;
	r.doc = &doc;
	read_block_root(&r, yaml_document_get_root_node(&doc), b);
	yaml_document_delete(&doc);
	return r.errors ? -1 : 0;
}

void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->path_count; i++) {
		free(m->paths[i].name);
		free(m->paths[i].pattern);
	}
	for (size_t i = 0; i < m->net_count; i++)
		free(m->nets[i].name);
	for (size_t i = 0; i < m->use_count; i++) {
		free(m->uses[i].name);
		free(m->uses[i].file);
		free(m->uses[i].description);
	}
	free(m->uses);
	free(m->paths);
	free(m->nets);
	free(m->file);
	free(m->author);
	free(m->name);
	free(m->run);
	free(m->exe_path);
	memset(m, 0, sizeof(*m));
}
