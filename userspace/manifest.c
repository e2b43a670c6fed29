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
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "manifest.h"
#include "pattern.h"
#include "uapi/charter.h"

const char *const manifest_device_names[] = {
	[CHARTER_DEV_KEYBOARD] = "keyboard",
	[CHARTER_DEV_MOUSE] = "mouse",
	[CHARTER_DEV_JOYSTICK] = "joystick",
	[CHARTER_DEV_AUDIO_OUT] = "audioOut",
	[CHARTER_DEV_AUDIO_IN] = "audioIn",
	[CHARTER_DEV_DISPLAY] = "display",
	[CHARTER_DEV_GPU] = "gpu",
	[CHARTER_DEV_CAMERA] = "camera",
	[CHARTER_DEV_SERIAL] = "serial",
	[CHARTER_DEV_USB] = "usb",
	[CHARTER_DEV_STORAGE] = "storage",
};

struct reader {
	const struct manifest_source *src;
	yaml_document_t *doc;
	struct diag *diag;
	int errors;
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

static const char *scalar(struct reader *r, const yaml_node_t *n,
			  const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		report(r, n, "%s must be a single value, not a %s", what,
		       n->type == YAML_SEQUENCE_NODE ? "list" : "mapping");
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/*
 * Read mapping @n whose keys must be among @keys: vals[i] is the value of
 * keys[i], or NULL. Unknown and repeated keys are reported.
 */
static int read_mapping(struct reader *r, yaml_node_t *n, const char *what,
			const char *const *keys, size_t nkeys,
			yaml_node_t **vals)
{
	char expected[256] = "";

	for (size_t i = 0; i < nkeys; i++) {
		vals[i] = NULL;
		snprintf(expected + strlen(expected),
			 sizeof(expected) - strlen(expected), "%s%s",
			 i ? (i + 1 == nkeys ? " or " : ", ") : "", keys[i]);
	}
	if (n->type != YAML_MAPPING_NODE) {
		report(r, n, "%s must be a mapping with keys %s", what, expected);
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
			       what, expected);
		else if (vals[i])
			report(r, k, "duplicate key '%s'", key);
		else
			vals[i] = node(r, p->value);
	}
	return 0;
}

/* A name: one value of 1 to CHARTER_NAME_MAX bytes (0 bytes if @may_be_empty). */
static char *read_name(struct reader *r, yaml_node_t *v, const char *what,
		       int may_be_empty)
{
	const char *s = scalar(r, v, what);

	if (!s)
		return NULL;
	if (!*s && !may_be_empty)
		report(r, v, "%s must not be empty", what);
	else if (strlen(s) > CHARTER_NAME_MAX)
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

static char *read_path(struct reader *r, yaml_node_t *v)
{
	const char *raw = scalar(r, v, "path"), *why;
	char msg[512], *abs = NULL, *norm, *out;
	uint16_t prefix;

	if (!raw)
		return NULL;
	if (!*raw) {
		report(r, v, "path must not be empty");
		return NULL;
	}
	if (!strncmp(raw, "\\\\", 2)) {
		abs = pattern_from_unc(raw, r->src->mounts, msg, sizeof(msg));
		if (!abs) {
			report(r, v, "%s", msg);
			return NULL;
		}
	}
	norm = pattern_normalise(r->src->dir, abs ? abs : raw);
	free(abs);
	if (!norm)
		return NULL;
	if (pattern_check(norm, &prefix, &why)) {
		report(r, v, "path '%s': %s", raw, why);
		free(norm);
		return NULL;
	}
	out = pattern_resolve(norm);
	free(norm);
	return out;
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
		const char *s = (const char *)v->data.scalar.value;

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
		out->name = read_name(r, v[0], "name", 0);
	if (v[1])
		out->pattern = read_path(r, v[1]);
	if (v[2])
		out->access = read_permission(r, v[2]);
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

static void read_ip(struct reader *r, yaml_node_t *v, struct manifest_net *out)
{
	static const uint8_t v4_mapped[12] = { [10] = 0xff, [11] = 0xff };
	const char *s = scalar(r, v, "ip");
	char host[INET6_ADDRSTRLEN + 1], *slash, *end;
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
	snprintf(host, sizeof(host), "%s", s);
	slash = strchr(host, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, host, out->addr) == 1) {
		out->family = CHARTER_FAMILY_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, out->addr) == 1) {
		out->family = CHARTER_FAMILY_INET6;
		max = 128;
	} else {
		report(r, v, "ip '%s' (expected an IPv4 or IPv6 address, optionally /prefix, or any, or localhost)",
		       s);
		return;
	}
	prefix = max;
	if (slash) {
		errno = 0;
		prefix = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || prefix > max) {
			report(r, v, "ip '%s': prefix length must be 0 to %u", s, max);
			return;
		}
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

static int parse_port(const char *s, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return *end || errno || *out > 65535 ? -1 : 0;
}

static void read_port(struct reader *r, yaml_node_t *v, struct manifest_net *out)
{
	const char *s = scalar(r, v, "port");
	char buf[32], *dash;
	unsigned long lo, hi;

	if (!s)
		return;
	snprintf(buf, sizeof(buf), "%s", s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (strlen(s) >= sizeof(buf) || parse_port(buf, &lo) ||
	    (dash && parse_port(dash + 1, &hi))) {
		report(r, v, "port '%s' (expected a number 0-65535 or a range such as 8000-8099)",
		       s);
		return;
	}
	if (!dash)
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
		out->name = read_name(r, v[0], "name", 0);
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

static void read_devices(struct reader *r, yaml_node_t *n, struct manifest *m)
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
			report(r, e, "device class '%s' (expected keyboard, mouse, joystick, audioOut, audioIn, display, gpu, camera, serial, usb or storage)",
			       s);
		else if (m->devices & CHARTER_DEV_BIT(c))
			report(r, e, "device class '%s' given twice", s);
		else
			m->devices |= CHARTER_DEV_BIT(c);
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

/* ---- the manifest ------------------------------------------------------ */

enum {
	K_VERSION, K_AUTHOR, K_NAME, K_RUN, K_HASH, K_BASELINE, K_DIRS,
	K_NETWORK, K_DEVICES, K_COUNT,
};

static const char *const top_keys[K_COUNT] = {
	"manifestVersion", "author", "name", "run", "hash", "baseline",
	"allowedDirectories", "allowedNetwork", "allowedDevices",
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
		m->author = read_name(r, v[K_AUTHOR], "author", 1);
	if (!v[K_NAME])
		report(r, root, "missing 'name'");
	else
		m->name = read_name(r, v[K_NAME], "name", 0);
	if (v[K_RUN] && (s = scalar(r, v[K_RUN], "run"))) {
		if (!*s)
			report(r, v[K_RUN], "run must not be empty");
		m->run = pattern_normalise(r->src->dir, s);
	}
	if (v[K_HASH])
		read_hash(r, v[K_HASH], m);
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
		read_devices(r, v[K_DEVICES], m);
}

int manifest_parse(const struct manifest_source *src,
		   const unsigned char *buf, size_t len, struct manifest *m,
		   struct diag *d)
{
	struct reader r = { .src = src, .diag = d };
	yaml_parser_t parser;
	yaml_document_t doc;

	memset(m, 0, sizeof(*m));
	m->file = strdup(src->file);
	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		diag_at(d, src->file, parser.problem_mark.line + 1,
			parser.problem_mark.column + 1, "YAML: %s%s%s",
			parser.problem ? parser.problem : "syntax error",
			parser.context ? " " : "",
			parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return -1;
	}
	r.doc = &doc;
	read_root(&r, yaml_document_get_root_node(&doc), m);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
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
	free(m->paths);
	free(m->nets);
	free(m->file);
	free(m->author);
	free(m->name);
	free(m->run);
	memset(m, 0, sizeof(*m));
}
