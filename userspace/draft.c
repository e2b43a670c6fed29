// SPDX-License-Identifier: GPL-2.0
/*
 * charter learn's draft (draft.h). The kernel hands over every distinct
 * access once; this file turns them into rules a reviewer can read:
 *
 *  1. Names that look generated (a pid, mkstemp's XXXXXX, a hash) become
 *     '*' in their component; the first component never does.
 *  2. What a block (or, with --append, the earlier draft) already grants
 *     is left out; a block that grants something learned is used.
 *  3. Files of one directory become that directory when two or more were
 *     used there or the directory itself was listed, repeatedly upwards,
 *     but never into a directory shared by unrelated programs ("/" and
 *     every top-level directory, /usr/X, /var/lib, /home/X...): those
 *     keep one rule per file. A listed shared directory gets no rule
 *     (one would grant everything beneath it) and a note says so.
 *  4. A rule covered by another with at least its rights goes.
 *  5. Network: each destination as used; a service (bind) with the peers
 *     that reached it, or localhost when it listened there, or any
 *     address when no peer came; a UDP datagram from an address the
 *     program sent to is a reply and needs no inbound rule.
 *  6. Operations no manifest grants become notes.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "draft.h"
#include "pattern.h"
#include "uapi/charter.h"

/* ---- patterns ------------------------------------------------------------ */

/* '*' and '?' within one component, as the kernel's matcher. */
static int component_match(const char *p, size_t pl, const char *s, size_t sl)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;

	while (si < sl) {
		if (pi < pl && (p[pi] == '?' || p[pi] == s[si])) {
			pi++;
			si++;
		} else if (pi < pl && p[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else {
			return 0;
		}
	}
	while (pi < pl && p[pi] == '*')
		pi++;
	return pi == pl;
}

static size_t component_len(const char *s)
{
	return strcspn(s, "/");
}

static const char *next_component(const char *s)
{
	s += component_len(s);
	return *s == '/' ? s + 1 : s;
}

static int covers_from(const char *p, const char *s)
{
	size_t pl = component_len(p);

	if (!*p)
		return 1;	/* a rule covers everything beneath a match */
	if (pl == 2 && p[0] == '*' && p[1] == '*') {
		const char *rest = next_component(p);

		for (;;) {
			if (covers_from(rest, s))
				return 1;
			if (!*s)
				return 0;
			s = next_component(s);
		}
	}
	if (!*s || !component_match(p, pl, s, component_len(s)))
		return 0;
	return covers_from(next_component(p), next_component(s));
}

int draft_pattern_covers(const char *pattern, const char *path)
{
	if (pattern[0] != '/' || path[0] != '/')
		return 0;
	return covers_from(pattern + 1, path + 1);
}

/* A run of letters and digits that changes between them often: random. */
static int segment_generated(const char *s, size_t len)
{
	size_t digits = 0, changes = 0;

	for (size_t i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]))
			return 0;
		digits += isdigit((unsigned char)s[i]) != 0;
		if (i && !isdigit((unsigned char)s[i]) != !isdigit((unsigned char)s[i - 1]))
			changes++;
	}
	return (digits == len && len >= 4) || (len >= 6 && changes >= 3);
}

char *draft_glob_component(const char *name)
{
	size_t len = strlen(name), o = 0;
	char *out = malloc(len + 2);

	if (!out)
		return NULL;
	if (len && strspn(name, "0123456789") == len) {
		strcpy(out, "*");	/* a pid, a number */
		return out;
	}
	for (size_t i = 0; i < len;) {
		size_t seg = strcspn(name + i, "._-+");

		if (seg && segment_generated(name + i, seg)) {
			if (!o || out[o - 1] != '*')
				out[o++] = '*';
		} else {
			memcpy(out + o, name + i, seg);
			o += seg;
		}
		i += seg;
		if (i < len)
			out[o++] = name[i++];
	}
	out[o] = '\0';
	return out;
}

/* @path with generated components globbed (never the first). */
static char *glob_path(const char *path)
{
	size_t len = strlen(path);
	char *out = malloc(len * 2 + 2), *o = out;
	const char *s = path + 1;

	if (!out)
		return NULL;
	for (int depth = 1; *s; depth++) {
		size_t n = component_len(s);
		char *name = strndup(s, n), *g = name && depth > 1 ?
			draft_glob_component(name) : NULL;

		*o++ = '/';
		strcpy(o, g ? g : name ? name : "");
		o += strlen(o);
		free(name);
		free(g);
		s = next_component(s);
	}
	if (o == out)
		*o++ = '/';
	*o = '\0';
	return out;
}

static int depth_of(const char *path)
{
	int d = 0;

	for (const char *s = path; *s; s++)
		d += *s == '/' && s[1];
	return d;
}

/*
 * Directories many unrelated programs share: a rule there would grant
 * far more than one program's files. Rules stay per file inside them.
 */
static int shared_directory(const char *dir)
{
	static const char *const shared[] = {
		"/usr/*", "/home/*", "/media/*", "/run/user", "/run/user/*",
		"/var/lib", "/var/cache", "/var/log", "/var/tmp", "/var/spool",
		"/var/mail", "/proc/*", "/sys/*", "/dev/*", "/etc/systemd",
	};

	if (depth_of(dir) <= 1 || strpbrk(dir, "*?"))
		return 1;
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		const char *p = shared[i];
		size_t pl = strlen(p);

		if (p[pl - 1] == '*' ? depth_of(dir) == depth_of(p) &&
		    !strncmp(dir, p, pl - 1) : !strcmp(dir, p))
			return 1;
	}
	return 0;
}

/*
 * The length of the character at @s when YAML takes it as it is, in a
 * quoted scalar or a comment, and it is no line break: UTF-8 of a
 * printable character. 0 for the rest: a control character (C0, DEL,
 * C1 with NEL), invalid UTF-8 (the parser refuses the whole draft), and
 * U+2028 and U+2029, which YAML reads as line breaks (a file name could
 * end a comment and write a rule).
 */
static size_t yaml_char_len(const unsigned char *s)
{
	uint32_t c = s[0], min;
	size_t len;

	if (c < 0x80)
		return c >= 0x20 && c != 0x7f;
	if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else {
		return 0;	/* a continuation byte, or no UTF-8 lead */
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
	    c < 0xa0 || c == 0x2028 || c == 0x2029 || c == 0xfffe || c == 0xffff)
		return 0;
	return len;
}

/* A path a manifest can hold, written as it is. */
static int writable_path(const char *path)
{
	if (path[0] != '/' || path[1] == '~' || strchr(path, '\\') || strchr(path, '$'))
		return 0;
	for (const unsigned char *s = (const void *)path; *s;) {
		size_t len = yaml_char_len(s);

		if (!len)
			return 0;
		s += len;
	}
	return 1;
}

/*
 * @text in a comment: what YAML would not take as it is (see
 * yaml_char_len()) as \xNN, so that a name the kernel recorded, which
 * the learned program chose, stays in its comment line.
 */
static void put_comment_text(FILE *out, const char *text)
{
	for (const unsigned char *s = (const void *)text; *s;) {
		size_t len = yaml_char_len(s);

		if (len)
			fwrite(s, 1, len, out);
		else
			fprintf(out, "\\x%02x", *s);
		s += len ? len : 1;
	}
}

/* ---- the draft's parts ------------------------------------------------------ */

static int add_note(struct draft *d, const char *fmt, const char *arg)
{
	char **more = realloc(d->notes, (d->note_count + 1) * sizeof(*more));

	if (!more)
		return -1;
	d->notes = more;
	if (asprintf(&d->notes[d->note_count], fmt, arg) < 0)
		return -1;
	d->note_count++;
	return 0;
}

/* Append a rule for @pattern (taken); merge_rules() joins duplicates. */
static int add_rule(struct draft *d, char *pattern, uint32_t access, size_t uses,
		    const char *example, int dir)
{
	struct draft_rule *r, *more;

	if (d->rule_count == d->rule_cap) {
		size_t cap = d->rule_cap ? d->rule_cap * 2 : 64;

		more = realloc(d->rules, cap * sizeof(*more));
		if (!more) {
			free(pattern);
			return -1;
		}
		d->rules = more;
		d->rule_cap = cap;
	}
	r = &d->rules[d->rule_count++];
	*r = (struct draft_rule){ .pattern = pattern, .access = access, .uses = uses,
				  .example = example ? strdup(example) : NULL,
				  .dir = dir };
	return 0;
}

static void drop_rule(struct draft *d, size_t i)
{
	free(d->rules[i].pattern);
	free(d->rules[i].example);
	d->rules[i] = d->rules[--d->rule_count];
}

static void use_block(struct draft *d, const char *name)
{
	const char **more;

	for (size_t i = 0; i < d->use_count; i++)
		if (!strcmp(d->uses[i], name))
			return;
	more = realloc(d->uses, (d->use_count + 1) * sizeof(*more));
	if (more) {
		d->uses = more;
		d->uses[d->use_count++] = name;
	}
}

static int paths_grant(const struct manifest_path *p, size_t n, const char *path,
		       uint32_t access)
{
	uint32_t granted = 0;

	for (size_t i = 0; i < n; i++)
		if (draft_pattern_covers(p[i].pattern, path))
			granted |= p[i].access;
	return (granted & access) == access;
}

/* Already granted: by the earlier draft, or by a block (then used). */
static int granted_elsewhere(struct draft *d, const struct draft_options *o,
			     const char *path, uint32_t access)
{
	if (o->base && paths_grant(o->base->paths, o->base->path_count, path, access))
		return 1;
	for (size_t i = 0; i < o->block_count; i++) {
		const struct draft_block *b = &o->blocks[i];

		if (paths_grant(b->paths, b->path_count, path, access)) {
			use_block(d, b->name);
			return 1;
		}
	}
	return 0;
}

/* ---- files -------------------------------------------------------------- */

static char *parent_of(const char *pattern)
{
	const char *slash = strrchr(pattern, '/');

	return slash == pattern ? strdup("/") : strndup(pattern, (size_t)(slash - pattern));
}

static int cmp_rules(const void *a, const void *b)
{
	return strcmp(((const struct draft_rule *)a)->pattern,
		      ((const struct draft_rule *)b)->pattern);
}

/* Sort the rules by pattern and join those of one pattern. */
static void merge_rules(struct draft *d)
{
	size_t o = 0;

	qsort(d->rules, d->rule_count, sizeof(*d->rules), cmp_rules);
	for (size_t i = 0; i < d->rule_count; i++) {
		struct draft_rule *r = &d->rules[i];

		if (o && !strcmp(d->rules[o - 1].pattern, r->pattern)) {
			struct draft_rule *keep = &d->rules[o - 1];

			keep->access |= r->access;
			keep->uses += r->uses;
			keep->dir |= r->dir;
			keep->folded |= r->folded;
			if (!keep->example) {
				keep->example = r->example;
				r->example = NULL;
			}
			free(r->pattern);
			free(r->example);
			continue;
		}
		d->rules[o++] = *r;
	}
	d->rule_count = o;
}

/* The rule of @pattern in the sorted rules, or NULL. */
static struct draft_rule *find_rule(struct draft *d, const char *pattern)
{
	struct draft_rule key = { .pattern = (char *)pattern };

	return bsearch(&key, d->rules, d->rule_count, sizeof(*d->rules), cmp_rules);
}

struct by_parent {
	char *parent;
	size_t rule;
};

static int cmp_parents(const void *a, const void *b)
{
	const struct by_parent *x = a, *y = b;
	int c = strcmp(x->parent, y->parent);

	return c ? c : (x->rule > y->rule) - (x->rule < y->rule);
}

/*
 * One pass of folding, in a directory that may hold a rule (not shared):
 * two or more files used there become the directory's rule; when the
 * directory has its own rule (it was listed), everything beneath it
 * joins it. A directory (listed, or made by folding) is not a file: it
 * does not count towards its parent's two (/srv/app/www and
 * /srv/app/conf stay apart, and /srv/app/secret out). Sorted, so O(n log n) a pass. Returns how many
 * directories were folded, or -1.
 */
static int fold_pass(struct draft *d)
{
	struct by_parent *bp = calloc(d->rule_count + 1, sizeof(*bp));
	size_t n = d->rule_count;
	int folded = 0, err = 0;

	if (!bp)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bp[i] = (struct by_parent){ parent_of(d->rules[i].pattern), i };
		err |= !bp[i].parent;
	}
	if (!err)
		qsort(bp, n, sizeof(*bp), cmp_parents);
	for (size_t i = 0; !err && i < n;) {
		size_t j = i;
		struct draft_rule *own;

		size_t files = 0;

		for (; j < n && !strcmp(bp[j].parent, bp[i].parent); j++)
			files += !d->rules[bp[j].rule].folded && !d->rules[bp[j].rule].dir;
		own = find_rule(d, bp[i].parent);
		if ((files >= 2 || own) && !shared_directory(bp[i].parent)) {
			struct draft_rule *first = &d->rules[bp[i].rule];
			uint32_t access = 0;
			size_t uses = 0;

			for (size_t k = i; k < j; k++) {
				struct draft_rule *r = &d->rules[bp[k].rule];

				access |= r->access;
				uses += r->uses;
				r->access = 0;	/* folded: dropped below */
			}
			err = add_rule(d, strdup(bp[i].parent), access, uses,
				       first->example, 0);
			if (!err)
				d->rules[d->rule_count - 1].folded = 1;
			folded++;
		}
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		free(bp[i].parent);
	free(bp);
	/* Drop the folded rules; the new ones are at the end. */
	for (size_t i = n; i-- > 0;)
		if (!d->rules[i].access)
			drop_rule(d, i);
	merge_rules(d);
	return err ? -1 : folded;
}

/*
 * Rules another rule covers with at least their rights: for a rule
 * without globs, its ancestors' rules (looked up); rules with globs are
 * few, compared with every rule. They are listed first: testing each
 * pair for a glob is quadratic (100,000 files of /tmp took minutes).
 * Without memory for the list, rules with globs drop nothing: the draft
 * keeps a rule it did not need, which is no wider.
 */
static void drop_covered(struct draft *d)
{
	size_t *globs = malloc((d->rule_count + 1) * sizeof(*globs)), nglobs = 0;

	for (size_t j = 0; globs && j < d->rule_count; j++)
		if (strpbrk(d->rules[j].pattern, "*?"))
			globs[nglobs++] = j;
	for (size_t i = d->rule_count; i-- > 0;) {
		struct draft_rule *r = &d->rules[i];
		char *up = strdup(r->pattern);
		int covered = 0;

		while (up && !covered && strcmp(up, "/")) {
			char *parent = parent_of(up);
			struct draft_rule *p = parent ? find_rule(d, parent) : NULL;

			covered = p && !(r->access & ~p->access);
			free(up);
			up = parent;
		}
		free(up);
		for (size_t k = 0; k < nglobs && !covered; k++) {
			const struct draft_rule *g = &d->rules[globs[k]];

			covered = globs[k] != i && !(r->access & ~g->access) &&
				  draft_pattern_covers(g->pattern, r->pattern);
		}
		if (covered)
			r->access = 0;
	}
	free(globs);
	for (size_t i = d->rule_count; i-- > 0;)
		if (!d->rules[i].access)
			drop_rule(d, i);
	merge_rules(d);
}

static int learn_file(struct draft *d, const struct draft_options *o,
		      const struct draft_access *a)
{
	char *path = strdup(a->path), *deleted;
	int dir, ret = 0;

	if (!path)
		return -1;
	/* d_path() of an unlinked file. */
	deleted = strstr(path, " (deleted)");
	if (deleted && !deleted[10])
		*deleted = '\0';
	dir = o->is_dir && o->is_dir(path);
	if (!writable_path(path)) {
		ret = add_note(d, "'%s': cannot be written in a manifest (control character, not UTF-8, '\\', '$' or '~')", path);
	} else if (!a->access || granted_elsewhere(d, o, path, a->access)) {
		ret = 0;
	} else if (dir && shared_directory(path)) {
		ret = add_note(d, "listed the directory '%s': not granted, a rule there would grant everything beneath it", path);
	} else {
		char *pattern = glob_path(path);

		ret = pattern ? add_rule(d, pattern, a->access, 1, path, dir) : -1;
	}
	free(path);
	return ret;
}

/* ---- network ---------------------------------------------------------- */

static int same_addr(const struct draft_access *a, const struct draft_access *b)
{
	return a->addr_len == b->addr_len && !memcmp(a->addr, b->addr, (size_t)a->addr_len);
}

static int loopback(const struct draft_access *a)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };

	return (a->addr_len == 4 && a->addr[0] == 127) ||
	       (a->addr_len == 16 && !memcmp(a->addr, v6_loopback, 16));
}

static void addr_text(const struct draft_access *a, char *buf, size_t len)
{
	inet_ntop(a->addr_len == 4 ? AF_INET : AF_INET6, a->addr, buf, (socklen_t)len);
}

static const char *proto_name(uint8_t p)
{
	return p == CHARTER_PROTO_UDP ? "udp" : "tcp";
}

static int add_net(struct draft *d, const struct draft_net *n)
{
	struct draft_net *more;

	for (size_t i = 0; i < d->net_count; i++) {
		struct draft_net *x = &d->nets[i];

		if (x->direction == n->direction && x->protocol == n->protocol &&
		    x->any == n->any && x->localhost == n->localhost &&
		    x->port_min == n->port_min && x->port_max == n->port_max &&
		    x->prefix == n->prefix && x->addr_len == n->addr_len &&
		    !memcmp(x->addr, n->addr, sizeof(x->addr))) {
			free(n->comment);
			return 0;
		}
	}
	more = realloc(d->nets, (d->net_count + 1) * sizeof(*more));
	if (!more) {
		free(n->comment);
		return -1;
	}
	d->nets = more;
	d->nets[d->net_count++] = *n;
	return 0;
}

static int net_granted(const struct manifest_net *rules, size_t n, uint8_t direction,
		       const struct draft_access *a)
{
	for (size_t i = 0; i < n; i++) {
		const struct manifest_net *r = &rules[i];
		int bits = r->prefix, match = 1;

		if (!(r->direction & direction) || !(r->protocol & a->protocol) ||
		    a->port < r->port_min || a->port > r->port_max)
			continue;
		if (r->scope == NET_ANY)
			return 1;
		if (r->scope == NET_LOCALHOST) {
			if (loopback(a))
				return 1;
			continue;
		}
		if ((r->family == CHARTER_FAMILY_INET) != (a->addr_len == 4))
			continue;
		for (int b = 0; b < bits && match; b++)
			match = ((r->addr[b / 8] ^ a->addr[b / 8]) & (0x80 >> (b % 8))) == 0;
		if (match)
			return 1;
	}
	return 0;
}

static int net_elsewhere(struct draft *d, const struct draft_options *o, uint8_t direction,
			 const struct draft_access *a)
{
	if (o->base && net_granted(o->base->nets, o->base->net_count, direction, a))
		return 1;
	for (size_t i = 0; i < o->block_count; i++) {
		if (net_granted(o->blocks[i].nets, o->blocks[i].net_count, direction, a)) {
			use_block(d, o->blocks[i].name);
			return 1;
		}
	}
	return 0;
}

static int learn_outbound(struct draft *d, const struct draft_options *o,
			  const struct draft_access *a)
{
	struct draft_net n = { .direction = CHARTER_NET_OUTBOUND, .protocol = a->protocol,
			       .addr_len = a->addr_len, .prefix = (uint8_t)(a->addr_len * 8),
			       .port_min = a->port, .port_max = a->port };
	char addr[INET6_ADDRSTRLEN];

	if (net_elsewhere(d, o, CHARTER_NET_OUTBOUND, a))
		return 0;
	memcpy(n.addr, a->addr, sizeof(n.addr));
	addr_text(a, addr, sizeof(addr));
	if (asprintf(&n.comment, "sent to %s port %u (%s)", addr, a->port,
		     proto_name(a->protocol)) < 0)
		return -1;
	return add_net(d, &n);
}

/* Is @a (an inbound datagram) from an address the program sent UDP to? */
static int udp_reply(const struct draft_access *all, size_t n, const struct draft_access *a)
{
	if (a->protocol != CHARTER_PROTO_UDP)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (all[i].kind == CHARTER_LEARN_NET && all[i].direction == CHARTER_NET_OUTBOUND &&
		    all[i].protocol == CHARTER_PROTO_UDP && same_addr(&all[i], a))
			return 1;
	return 0;
}

/* More peers than this: any address, said in the comment. */
#define DRAFT_MAX_PEERS 8

/* The service @svc (protocol, port): the peers that reached it. */
static int learn_service(struct draft *d, const struct draft_options *o,
			 const struct draft_access *all, size_t n, const struct draft_access *svc)
{
	size_t peers = 0;
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		const struct draft_access *a = &all[i];

		peers += a->kind == CHARTER_LEARN_NET && a->direction == CHARTER_NET_INBOUND &&
			 a->protocol == svc->protocol && a->port == svc->port &&
			 !udp_reply(all, n, a);
	}
	for (size_t i = 0; i < n && !ret && peers && peers <= DRAFT_MAX_PEERS; i++) {
		const struct draft_access *a = &all[i];
		struct draft_net r = { .direction = CHARTER_NET_INBOUND, .protocol = a->protocol,
				       .addr_len = a->addr_len,
				       .prefix = (uint8_t)(a->addr_len * 8),
				       .port_min = a->port, .port_max = a->port };
		char addr[INET6_ADDRSTRLEN];

		if (a->kind != CHARTER_LEARN_NET || a->direction != CHARTER_NET_INBOUND ||
		    a->protocol != svc->protocol || a->port != svc->port ||
		    udp_reply(all, n, a) || net_elsewhere(d, o, CHARTER_NET_INBOUND, a))
			continue;
		memcpy(r.addr, a->addr, sizeof(r.addr));
		addr_text(a, addr, sizeof(addr));
		if (asprintf(&r.comment, "served %s port %u to %s", proto_name(a->protocol),
			     a->port, addr) < 0)
			return -1;
		ret = add_net(d, &r);
	}
	if (!peers || peers > DRAFT_MAX_PEERS) {
		struct draft_net r = { .direction = CHARTER_NET_INBOUND,
				       .protocol = svc->protocol, .port_min = svc->port,
				       .port_max = svc->port };
		const char *why = peers ? "more than 8 peers reached it" : loopback(svc) ?
			"listened on the loopback address only" :
			"no peer connected while learning: name the peers you expect in ip";

		if (net_elsewhere(d, o, CHARTER_NET_INBOUND, svc))
			return 0;
		r.localhost = !peers && loopback(svc);
		r.any = !r.localhost;
		if (asprintf(&r.comment, "served %s port %u: %s", proto_name(svc->protocol),
			     svc->port, why) < 0)
			return -1;
		ret = add_net(d, &r);
	}
	return ret;
}

/* Is @a a service: a port bound, or a peer reaching one (not a reply)? */
static int service_entry(const struct draft_access *all, size_t n,
			 const struct draft_access *a)
{
	return (a->kind == CHARTER_LEARN_SERVICE && a->port) ||
	       (a->kind == CHARTER_LEARN_NET && a->direction == CHARTER_NET_INBOUND &&
		!udp_reply(all, n, a));
}

static int learn_network(struct draft *d, const struct draft_options *o,
			 const struct draft_access *all, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct draft_access *a = &all[i];
		struct draft_access svc = *a;
		int seen = 0;

		if (a->kind == CHARTER_LEARN_NET && a->direction == CHARTER_NET_OUTBOUND) {
			if (learn_outbound(d, o, a))
				return -1;
			continue;
		}
		if (!service_entry(all, n, a))
			continue;
		/* Each service (protocol, port) once, at its first entry. */
		for (size_t j = 0; j < i && !seen; j++)
			seen = service_entry(all, n, &all[j]) &&
			       all[j].protocol == a->protocol && all[j].port == a->port;
		if (seen)
			continue;
		/* Where it was bound, if the bind was seen; else unknown. */
		if (a->kind == CHARTER_LEARN_NET) {
			svc.addr_len = 4;
			memset(svc.addr, 0, sizeof(svc.addr));
		}
		for (size_t j = 0; j < n; j++)
			if (all[j].kind == CHARTER_LEARN_SERVICE &&
			    all[j].protocol == a->protocol && all[j].port == a->port)
				svc = all[j];
		if (learn_service(d, o, all, n, &svc))
			return -1;
	}
	return 0;
}

/* ---- all together --------------------------------------------------------- */

/* --append: the earlier draft's rules, as they are. */
static int keep_base(struct draft *d, const struct manifest *m)
{
	/* A block's rules are written as use:, not one by one. */
	for (size_t i = 0; i < m->use_count; i++)
		use_block(d, m->uses[i].name);
	for (size_t i = 0; i < m->path_count; i++) {
		char *p;

		if (m->paths[i].block)
			continue;
		p = strdup(m->paths[i].pattern);

		if (!p || add_rule(d, p, m->paths[i].access, 0, NULL, 0))
			return -1;
	}
	for (size_t i = 0; i < m->net_count; i++) {
		const struct manifest_net *x = &m->nets[i];
		uint8_t proto = x->protocol;

		if (x->block)
			continue;
		/* One rule per protocol, as the manifest language writes it. */
		for (uint8_t bit = CHARTER_PROTO_TCP; bit <= CHARTER_PROTO_UDP; bit <<= 1) {
			struct draft_net r = {
				.direction = x->direction, .protocol = bit,
				.any = x->scope == NET_ANY, .localhost = x->scope == NET_LOCALHOST,
				.addr_len = x->family == CHARTER_FAMILY_INET ? 4 : 16,
				.prefix = x->prefix,
				.port_min = x->port_min, .port_max = x->port_max,
			};

			memcpy(r.addr, x->addr, sizeof(r.addr));
			if ((proto & bit) && add_net(d, &r))
				return -1;
		}
	}
	d->devices |= m->devices;
	return 0;
}

int draft_fold(const struct draft_access *a, size_t n, const struct draft_options *o,
	       struct draft *d)
{
	int ret = 0;

	memset(d, 0, sizeof(*d));
	if (o->base && keep_base(d, o->base))
		return -1;
	for (size_t i = 0; i < n && !ret; i++) {
		switch (a[i].kind) {
		case CHARTER_LEARN_FILE:
			ret = learn_file(d, o, &a[i]);
			break;
		case CHARTER_LEARN_DEVICE:
			if (a[i].classes)
				d->devices |= a[i].classes;
			else
				ret = add_note(d, "device node '%s' is in no device class: no manifest opens it", a[i].path);
			break;
		case CHARTER_LEARN_OPERATION:
			ret = add_note(d, "%s: no manifest grants it; under this manifest it is refused",
				       a[i].operation);
			break;
		}
	}
	if (!ret)
		ret = learn_network(d, o, a, n);
	if (ret)
		return -1;
	merge_rules(d);
	while ((ret = fold_pass(d)) > 0)
		;
	if (ret < 0)
		return -1;
	drop_covered(d);
	return 0;
}

/* ---- writing ---------------------------------------------------------------- */

/* YAML single-quoted: nothing is an escape but '' for '. */
static void put_quoted(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', out);
		fputc(*s, out);
	}
	fputc('\'', out);
}

/* An entry name from @text: its characters that names may hold. */
static void make_name(char *buf, size_t len, const char *text, char **taken,
		      size_t ntaken)
{
	char base[48];
	size_t o = 0;

	for (const char *s = text; *s && o < sizeof(base) - 1; s++) {
		int ok = isalnum((unsigned char)*s) || strchr("._+-", *s);

		if (!o && !isalnum((unsigned char)*s))
			continue;
		if (ok || (o && base[o - 1] != '-'))
			base[o++] = ok ? *s : '-';
	}
	while (o && base[o - 1] == '-')
		o--;
	base[o] = '\0';
	if (!o)
		snprintf(base, sizeof(base), "rule");
	snprintf(buf, len, "%s", base);
	for (unsigned int k = 2;; k++) {
		int clash = 0;

		for (size_t i = 0; i < ntaken && !clash; i++)
			clash = !strcmp(taken[i], buf);
		if (!clash)
			return;
		snprintf(buf, len, "%s-%u", base, k);
	}
}

/* The last two components of @pattern, for a rule's name. */
static const char *name_source(const char *pattern)
{
	const char *last = strrchr(pattern, '/'), *p = last;

	while (p > pattern && p[-1] != '/')
		p--;
	return p > pattern ? p : last + 1;
}

static const char *access_word(uint32_t access)
{
	static const char *const names[] = CHARTER_ACCESS_NAMES;

	return names[access & CHARTER_ACCESS_ALL];
}

static void write_rule_comment(FILE *out, const struct draft_rule *r)
{
	fprintf(out, "  # ");
	if (!r->example) {
		fprintf(out, "kept from the earlier draft\n");
		return;
	}
	if (r->uses > 1)
		fprintf(out, "%s: %zu paths used, e.g. %s\n", access_word(r->access),
			r->uses, r->example);
	else
		fprintf(out, "%s %s%s\n", access_word(r->access), r->example,
			r->dir ? " (listed)" : "");
}

static void write_paths(FILE *out, const struct draft *d, char **names, size_t *nn)
{
	if (!d->rule_count)
		return;
	fprintf(out, "\nallowedDirectories:\n");
	for (size_t i = 0; i < d->rule_count; i++) {
		const struct draft_rule *r = &d->rules[i];
		char name[64];

		make_name(name, sizeof(name), name_source(r->pattern), names, *nn);
		names[(*nn)++] = strdup(name);
		write_rule_comment(out, r);
		fprintf(out, "  - name: %s\n    path: ", name);
		put_quoted(out, r->pattern);
		fprintf(out, "\n    permission: %s\n", access_word(r->access));
	}
}

static void write_nets(FILE *out, const struct draft *d, char **names, size_t *nn)
{
	if (!d->net_count)
		return;
	fprintf(out, "\nallowedNetwork:\n");
	for (size_t i = 0; i < d->net_count; i++) {
		const struct draft_net *n = &d->nets[i];
		char addr[INET6_ADDRSTRLEN] = "any", text[96], name[64];
		const char *dir = n->direction == CHARTER_NET_INBOUND ? "inbound" : "outbound";

		char ip[INET6_ADDRSTRLEN + 4];

		if (n->localhost)
			snprintf(addr, sizeof(addr), "localhost");
		else if (!n->any)
			inet_ntop(n->addr_len == 4 ? AF_INET : AF_INET6, n->addr, addr,
				  sizeof(addr));
		if (!n->any && !n->localhost && n->prefix != n->addr_len * 8)
			snprintf(ip, sizeof(ip), "%s/%u", addr, n->prefix);
		else
			snprintf(ip, sizeof(ip), "%s", addr);
		snprintf(text, sizeof(text), "%s-%s-%s-%u", n->direction == CHARTER_NET_INBOUND ?
			 "in" : "out", proto_name(n->protocol), addr, n->port_min);
		make_name(name, sizeof(name), text, names, *nn);
		names[(*nn)++] = strdup(name);
		fprintf(out, "  # %s\n", n->comment ? n->comment : "kept from the earlier draft");
		fprintf(out, "  - name: %s\n    direction: %s\n    ip: %s\n    protocol: %s\n",
			name, dir, ip, proto_name(n->protocol));
		if (n->port_min == n->port_max)
			fprintf(out, "    port: %u\n", n->port_min);
		else if (n->port_min || n->port_max != 65535)
			fprintf(out, "    port: %u-%u\n", n->port_min, n->port_max);
	}
}

void draft_write(FILE *out, const struct draft *d, const struct draft_options *o)
{
	size_t nn = 0, cap = d->rule_count + d->net_count + 1;
	char **names = calloc(cap, sizeof(*names));

	fprintf(out, "# Drafted by 'charter learn'");
	if (o->command) {
		fprintf(out, " from: ");
		put_comment_text(out, o->command);
	}
	fprintf(out, "\n# Review every rule, then 'charter explain' and 'charter sign' it.\n");
	if (o->lost)
		fprintf(out, "# INCOMPLETE: the kernel could not record %llu accesses.\n",
			(unsigned long long)o->lost);
	fprintf(out, "manifestVersion: v1\n");
	if (o->base && o->base->author) {
		fprintf(out, "author: ");
		put_quoted(out, o->base->author);
		fputc('\n', out);
	}
	fprintf(out, "name: %s\nrun: ", o->name);
	put_quoted(out, o->run);
	fputc('\n', out);
	if (o->base && !o->base->baseline)
		fprintf(out, "baseline: none\n");
	if (d->use_count) {
		fprintf(out, "# Building blocks that grant some of what it used:\nuse:\n");
		for (size_t i = 0; i < d->use_count; i++)
			fprintf(out, "  - %s\n", d->uses[i]);
	}
	if (names) {
		write_paths(out, d, names, &nn);
		write_nets(out, d, names, &nn);
	}
	if (d->devices) {
		fprintf(out, "\nallowedDevices:\n");
		for (int c = 0; c < __CHARTER_DEV_COUNT; c++)
			if (d->devices & CHARTER_DEV_BIT(c))
				fprintf(out, "  - %s\n", manifest_device_names[c]);
	}
	if (d->note_count)
		fprintf(out, "\n# Not granted:\n");
	for (size_t i = 0; i < d->note_count; i++) {
		fprintf(out, "#   ");
		put_comment_text(out, d->notes[i]);
		fputc('\n', out);
	}
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
}

void draft_free(struct draft *d)
{
	for (size_t i = 0; i < d->rule_count; i++) {
		free(d->rules[i].pattern);
		free(d->rules[i].example);
	}
	for (size_t i = 0; i < d->net_count; i++)
		free(d->nets[i].comment);
	for (size_t i = 0; i < d->note_count; i++)
		free(d->notes[i]);
	free(d->rules);
	free(d->nets);
	free(d->notes);
	free(d->uses);
	memset(d, 0, sizeof(*d));
}
