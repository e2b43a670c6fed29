// SPDX-License-Identifier: GPL-2.0
/*
 * Manifest reader: libyaml document -> struct manifest.
 *
 * Strict: unknown keys, wrong types, duplicates and missing fields are all
 * reported, each at its file:line:column, and reading goes on after an
 * error so that one run shows every problem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "manifest.h"
#include "uapi/charter.h"

struct reader {
	const char *file;
	const char *dir;	/* the manifest's directory, for relative paths */
	yaml_document_t *doc;
	struct diag *diag;
	int errors;
};

static void report(struct reader *r, const yaml_node_t *n, const char *fmt,
		   const char *arg)
{
	diag_at(r->diag, r->file, n->start_mark.line + 1,
		n->start_mark.column + 1, fmt, arg);
	r->errors++;
}

static const char *scalar(struct reader *r, const yaml_node_t *n,
			  const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		report(r, n, "%s must be a scalar", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
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

char *manifest_normalise_path(const char *base, const char *path)
{
	size_t cap = strlen(base) + strlen(path) + 3;
	char *joined = malloc(cap), *out = malloc(cap);
	char *save = NULL, *tok;
	size_t len = 0;

	if (!joined || !out) {
		free(joined);
		free(out);
		return NULL;
	}
	if (path[0] == '/')
		snprintf(joined, cap, "%s", path);
	else
		snprintf(joined, cap, "%s/%s", base, path);
	out[0] = '\0';
	for (tok = strtok_r(joined, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			char *slash = strrchr(out, '/');

			len = slash ? (size_t)(slash - out) : 0;
			out[len] = '\0';
			continue;
		}
		len += (size_t)sprintf(out + len, "/%s", tok);
	}
	if (!len)
		strcpy(out, "/");
	free(joined);
	return out;
}

/*
 * A directory rule's path: a directory, optionally followed by a slash
 * or by a slash and "**" (any depth), always meaning the directory and
 * everything beneath it. Other globs come with the full manifest language.
 */
static char *dir_rule_path(struct reader *r, const yaml_node_t *n,
			   const char *raw)
{
	size_t len = strlen(raw);
	char *copy, *norm, *real;

	if (!len) {
		report(r, n, "%s", "path must not be empty");
		return NULL;
	}
	copy = strdup(raw);
	if (!copy)
		return NULL;
	while (len && copy[len - 1] == '/')
		copy[--len] = '\0';
	if (len >= 2 && !strcmp(copy + len - 2, "**")) {
		len -= 2;
		copy[len] = '\0';
	}
	if (strpbrk(copy, "*?[")) {
		report(r, n,
		       "path '%s': only a trailing '**' is supported as a glob",
		       raw);
		free(copy);
		return NULL;
	}
	norm = manifest_normalise_path(r->dir, len ? copy : "/");
	free(copy);
	if (!norm)
		return NULL;
	/* The kernel matches the real path of a file: resolve symlinks. */
	real = realpath(norm, NULL);
	if (real) {
		free(norm);
		return real;
	}
	return norm;
}

static uint32_t parse_permission(const char *s)
{
	if (!strcmp(s, "read"))
		return CHARTER_ACCESS_READ;
	if (!strcmp(s, "readWrite"))
		return CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE;
	return 0;
}

static void read_dir_entry(struct reader *r, yaml_node_t *n,
			   struct manifest_dir *out)
{
	const yaml_node_t *seen_name = NULL, *seen_path = NULL, *seen_perm = NULL;

	if (n->type != YAML_MAPPING_NODE) {
		report(r, n, "%s",
		       "an allowedDirectories entry must be a mapping with name, path and permission");
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(r->doc, p->value);
		const char *key = scalar(r, k, "a key");
		const char *val;

		if (!key)
			continue;
		if (strcmp(key, "name") && strcmp(key, "path") &&
		    strcmp(key, "permission")) {
			report(r, k,
			       "unknown key '%s' (expected name, path or permission)",
			       key);
			continue;
		}
		val = scalar(r, v, key);
		if (!val)
			continue;
		if (!strcmp(key, "name")) {
			seen_name = k;
			free(out->name);
			out->name = strdup(val);
		} else if (!strcmp(key, "path")) {
			seen_path = k;
			free(out->path);
			out->path = dir_rule_path(r, v, val);
		} else {
			seen_perm = k;
			out->access = parse_permission(val);
			if (!out->access)
				report(r, v,
				       "permission '%s' (expected read or readWrite)",
				       val);
		}
	}
	if (!seen_name)
		report(r, n, "%s", "allowedDirectories entry: missing 'name'");
	if (!seen_path)
		report(r, n, "%s", "allowedDirectories entry: missing 'path'");
	if (!seen_perm)
		report(r, n, "%s", "allowedDirectories entry: missing 'permission'");
}

static void read_dirs(struct reader *r, yaml_node_t *n, struct manifest *m)
{
	size_t count;

	if (n->type != YAML_SEQUENCE_NODE) {
		report(r, n, "%s", "allowedDirectories must be a list");
		return;
	}
	count = (size_t)(n->data.sequence.items.top -
			 n->data.sequence.items.start);
	m->dirs = calloc(count ? count : 1, sizeof(*m->dirs));
	if (!m->dirs)
		return;
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *e = yaml_document_get_node(
			r->doc, n->data.sequence.items.start[i]);

		read_dir_entry(r, e, &m->dirs[m->dir_count++]);
		for (size_t j = 0; j + 1 < m->dir_count; j++)
			if (m->dirs[i].name && m->dirs[j].name &&
			    !strcmp(m->dirs[i].name, m->dirs[j].name))
				report(r, e, "duplicate entry name '%s'",
				       m->dirs[i].name);
	}
}

static void read_top_key(struct reader *r, yaml_node_t *k, yaml_node_t *v,
			 struct manifest *m)
{
	const char *key = scalar(r, k, "a key");
	const char *val;

	if (!key)
		return;
	if (!strcmp(key, "allowedDirectories")) {
		read_dirs(r, v, m);
		return;
	}
	if (strcmp(key, "manifestVersion") && strcmp(key, "author") &&
	    strcmp(key, "name") && strcmp(key, "run") && strcmp(key, "hash")) {
		report(r, k,
		       "unknown key '%s' (expected manifestVersion, author, name, run, hash or allowedDirectories)",
		       key);
		return;
	}
	val = scalar(r, v, key);
	if (!val)
		return;
	if (!strcmp(key, "manifestVersion")) {
		if (strcmp(val, "v1"))
			report(r, v, "manifestVersion '%s' (expected v1)", val);
	} else if (!strcmp(key, "author")) {
		m->author = strdup(val);
	} else if (!strcmp(key, "name")) {
		if (!*val)
			report(r, v, "%s", "name must not be empty");
		m->name = strdup(val);
	} else if (!strcmp(key, "run")) {
		m->run = manifest_normalise_path(r->dir, val);
	} else if (parse_hash(val, m->hash)) {
		report(r, v,
		       "hash '%s' (expected sha256:<64 hex digits> or 64 hex digits)",
		       val);
	} else {
		m->has_hash = 1;
	}
}

static void check_duplicate_keys(struct reader *r, yaml_node_t *root)
{
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(r->doc, p->key);

		for (yaml_node_pair_t *q = root->data.mapping.pairs.start; q < p;
		     q++) {
			yaml_node_t *o = yaml_document_get_node(r->doc, q->key);

			if (k->type == YAML_SCALAR_NODE &&
			    o->type == YAML_SCALAR_NODE &&
			    !strcmp((char *)k->data.scalar.value,
				    (char *)o->data.scalar.value))
				report(r, k, "duplicate key '%s'",
				       (char *)k->data.scalar.value);
		}
	}
}

static void read_root(struct reader *r, yaml_node_t *root, struct manifest *m)
{
	int has_version = 0;

	if (!root || root->type != YAML_MAPPING_NODE) {
		diag_file(r->diag, r->file, "a manifest must be a YAML mapping");
		r->errors++;
		return;
	}
	check_duplicate_keys(r, root);
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(r->doc, p->key);

		if (k->type == YAML_SCALAR_NODE &&
		    !strcmp((char *)k->data.scalar.value, "manifestVersion"))
			has_version = 1;
		read_top_key(r, k, yaml_document_get_node(r->doc, p->value), m);
	}
	if (!has_version)
		report(r, root, "%s", "missing 'manifestVersion' (expected v1)");
	if (!m->name)
		report(r, root, "%s", "missing 'name'");
	if (!m->run && !m->has_hash)
		report(r, root, "%s", "missing 'run' or 'hash': which program is this for?");
}

int manifest_parse_buffer(const char *file, const char *dir,
			  const unsigned char *buf, size_t len,
			  struct manifest *m, struct diag *d)
{
	struct reader r = { .file = file, .dir = dir, .diag = d };
	yaml_parser_t parser;
	yaml_document_t doc;

	memset(m, 0, sizeof(*m));
	m->file = strdup(file);
	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		diag_at(d, file, parser.problem_mark.line + 1,
			parser.problem_mark.column + 1, "YAML: %s",
			parser.problem ? parser.problem : "syntax error");
		yaml_parser_delete(&parser);
		return -1;
	}
	r.doc = &doc;
	read_root(&r, yaml_document_get_root_node(&doc), m);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return r.errors ? -1 : 0;
}

int manifest_parse_file(const char *file, struct manifest *m, struct diag *d)
{
	char *copy = strdup(file), *dir = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	f = fopen(file, "rb");
	if (!f || !copy) {
		diag_file(d, file, "cannot read: %s", strerror(errno));
		goto out;
	}
	buf = malloc(1 << 20);
	if (!buf)
		goto out;
	len = fread(buf, 1, 1 << 20, f);
	if (ferror(f) || !feof(f)) {
		diag_file(d, file, "cannot read, or larger than 1 MiB");
		goto out;
	}
	dir = realpath(dirname(copy), NULL);
	if (!dir) {
		diag_file(d, file, "cannot resolve its directory: %s",
			  strerror(errno));
		goto out;
	}
	ret = manifest_parse_buffer(file, dir, buf, len, m, d);
out:
	if (f)
		fclose(f);
	free(buf);
	free(copy);
	free(dir);
	return ret;
}

void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->dir_count; i++) {
		free(m->dirs[i].name);
		free(m->dirs[i].path);
	}
	free(m->dirs);
	free(m->file);
	free(m->author);
	free(m->name);
	free(m->run);
	memset(m, 0, sizeof(*m));
}
