// SPDX-License-Identifier: GPL-2.0
/*
 * 'charter explain'. Each grant of a manifest becomes a sentence and a
 * cost; the exposure score is the sum of the costs, at most 10. The
 * weights, as systemd-analyze security's, are a documented judgement
 * (Documentation/manifest.rst, "charter explain"), not a measurement:
 * what matters is that a grant of more costs more, and that the whole
 * filesystem, every address or every device class costs what it should.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "pattern.h"
#include "show.h"
#include "uapi/charter.h"

#define R CHARTER_ACCESS_READ
#define W CHARTER_ACCESS_WRITE
#define X CHARTER_ACCESS_EXECUTE

/* Trees whose files are the system's: writing there changes every program. */
static const char *const system_trees[] = {
	"/etc", "/usr", "/boot", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
};

/* ---- paths ------------------------------------------------------------- */

/*
 * Length of @pattern's glob-free leading components, as the kernel's
 * prefix_len (pattern_check()), except that "/" counts as 1 for a pattern
 * whose first component has a glob: both reach the whole filesystem.
 */
static size_t glob_free_len(const char *pattern)
{
	const char *why;
	uint16_t len = 0;

	if (pattern_check(pattern, &len, &why))
		len = 0;	/* not a manifest's pattern: the widest reach */
	return len ? len : 1;
}

/* Components in the glob-free prefix: 0 for "/" (the whole filesystem). */
static int prefix_depth(const char *pattern)
{
	size_t len = glob_free_len(pattern);
	int depth = 0;

	for (size_t i = 0; i < len; i++)
		depth += pattern[i] == '/' && i + 1 < len;
	return depth;
}

/* Is the rule's reach within, or above, a system tree? */
static int reaches_system_tree(const char *pattern)
{
	size_t len = glob_free_len(pattern);

	for (size_t i = 0; i < sizeof(system_trees) / sizeof(system_trees[0]); i++) {
		size_t n = strlen(system_trees[i]);

		/* Within: /etc, /etc/x. Above: "/" reaches every tree. */
		if (len <= 1 || (len >= n && !strncmp(pattern, system_trees[i], n) &&
				 (pattern[n] == '/' || pattern[n] == '\0')))
			return 1;
	}
	return 0;
}

/*
 * A path rule costs its rights' weight (read 0.5, write 1, run 0.75, and
 * 0.75 more for write with run) times its scope's, by the depth of its
 * glob-free prefix: the whole filesystem 4, one level (/srv) 1.5, two
 * levels (/srv/app) 0.5, deeper 0.25. Write that reaches a system tree
 * (/etc, /usr, /boot...) adds 1.
 */
double explain_path_cost(const char *pattern, uint32_t access)
{
	static const double scope[] = { 4, 1.5, 0.5 };
	int depth = prefix_depth(pattern);
	double rights = 0, cost;

	rights += access & R ? 0.5 : 0;
	rights += access & W ? 1 : 0;
	rights += access & X ? 0.75 : 0;
	rights += (access & W) && (access & X) ? 0.75 : 0;
	cost = rights * (depth < 3 ? scope[depth] : 0.25);
	if ((access & W) && reaches_system_tree(pattern))
		cost += 1;
	return cost;
}

static const char *rights_words(uint32_t access)
{
	static const char *const words[] = {
		"(nothing)", "read", "write", "read and write", "run",
		"read and run", "write and run", "read, write and run",
	};

	return words[access & CHARTER_ACCESS_ALL];
}

static char *path_text(const char *pattern, uint32_t access)
{
	size_t len = strlen(pattern), free_len = glob_free_len(pattern);
	char *s = NULL;
	int n;

	if (!strcmp(pattern, "/") || (free_len <= 1 && !strcmp(pattern, "/**")))
		n = asprintf(&s, "%s the whole filesystem", rights_words(access));
	else if (len > 3 && !strcmp(pattern + len - 3, "/**") && free_len == len - 3)
		n = asprintf(&s, "%s everything under %.*s", rights_words(access),
			     (int)(len - 3), pattern);
	else if (free_len == len)
		n = asprintf(&s, "%s %s and everything beneath it", rights_words(access),
			     pattern);
	else
		n = asprintf(&s, "%s whatever matches %s, and everything beneath",
			     rights_words(access), pattern);
	return n < 0 ? NULL : s;
}

/* ---- network ----------------------------------------------------------- */

static int net_is_any(const struct manifest_net *n)
{
	return n->scope == NET_ANY || (n->scope == NET_ADDR && n->prefix == 0);
}

/*
 * A network rule costs its direction's weight (inbound 1, outbound 0.75,
 * both 1.75), times 1.25 for both protocols, times its addresses' (any 2,
 * localhost 0.25, one address 0.5, a network of at least /24 or /64 0.75,
 * of at least /8 or /32 1, wider 1.5), times its ports' (all 2, a range
 * 1.25, one 1).
 */
double explain_net_cost(const struct manifest_net *n)
{
	int v4 = n->family == CHARTER_FAMILY_INET;
	double dir = 0, addr, port;

	dir += n->direction & CHARTER_NET_INBOUND ? 1 : 0;
	dir += n->direction & CHARTER_NET_OUTBOUND ? 0.75 : 0;
	if ((n->protocol & CHARTER_PROTOCOLS) == CHARTER_PROTOCOLS)
		dir *= 1.25;
	if (net_is_any(n))
		addr = 2;
	else if (n->scope == NET_LOCALHOST)
		addr = 0.25;
	else if (n->prefix == (v4 ? 32 : 128))
		addr = 0.5;
	else if (n->prefix >= (v4 ? 24 : 64))
		addr = 0.75;
	else if (n->prefix >= (v4 ? 8 : 32))
		addr = 1;
	else
		addr = 1.5;
	if (n->port_min == 0 && n->port_max == 65535)
		port = 2;
	else if (n->port_min != n->port_max)
		port = 1.25;
	else
		port = 1;
	return dir * addr * port;
}

static void addr_words(const struct manifest_net *n, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";
	int v4 = n->family == CHARTER_FAMILY_INET;

	if (net_is_any(n)) {
		snprintf(buf, len, "any address");
		return;
	}
	if (n->scope == NET_LOCALHOST) {
		snprintf(buf, len, "this machine (localhost)");
		return;
	}
	inet_ntop(v4 ? AF_INET : AF_INET6, n->addr, a, sizeof(a));
	if (n->prefix == (v4 ? 32 : 128))
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "the network %s/%u", a, n->prefix);
}

static void port_words(const struct manifest_net *n, char *buf, size_t len)
{
	if (n->port_min == 0 && n->port_max == 65535)
		snprintf(buf, len, "any port");
	else if (n->port_min == n->port_max)
		snprintf(buf, len, "port %u", n->port_min);
	else
		snprintf(buf, len, "ports %u-%u", n->port_min, n->port_max);
}

static char *net_text(const struct manifest_net *n)
{
	int tcp = n->protocol & CHARTER_PROTO_TCP, udp = n->protocol & CHARTER_PROTO_UDP;
	const char *what = tcp && udp ? "TCP connections and UDP datagrams" :
			   tcp ? "TCP connections" : "UDP datagrams";
	const char *proto = tcp && udp ? "TCP and UDP" : tcp ? "TCP" : "UDP";
	char addr[80], port[32], *in = NULL, *out = NULL, *s = NULL;
	int n_in = 0, n_out = 0;

	addr_words(n, addr, sizeof(addr));
	port_words(n, port, sizeof(port));
	if (n->direction & CHARTER_NET_INBOUND)
		n_in = asprintf(&in, "accept %s on %s from %s", what, port, addr);
	if (n->direction & CHARTER_NET_OUTBOUND)
		n_out = asprintf(&out, "reach %s on %s over %s", addr, port, proto);
	if (n_in >= 0 && n_out >= 0 &&
	    asprintf(&s, "%s%s%s", in ? in : "", in && out ? "; " : "", out ? out : "") < 0)
		s = NULL;
	free(in);
	free(out);
	return s;
}

/* ---- devices ----------------------------------------------------------- */

/* Per class: keystrokes, cameras and microphones cost the most. */
static const double device_weights[__CHARTER_DEV_COUNT] = {
	[CHARTER_DEV_KEYBOARD] = 1, [CHARTER_DEV_MOUSE] = 0.5,
	[CHARTER_DEV_JOYSTICK] = 0.25, [CHARTER_DEV_AUDIO_OUT] = 0.25,
	[CHARTER_DEV_AUDIO_IN] = 1.5, [CHARTER_DEV_DISPLAY] = 1,
	[CHARTER_DEV_GPU] = 0.5, [CHARTER_DEV_CAMERA] = 1.5,
	[CHARTER_DEV_SERIAL] = 0.5, [CHARTER_DEV_USB] = 1.5,
	[CHARTER_DEV_STORAGE] = 2, [CHARTER_DEV_WAYLAND] = 0.5,
	[CHARTER_DEV_X11] = 1,
};

static const char *const device_words[__CHARTER_DEV_COUNT] = {
	[CHARTER_DEV_KEYBOARD] = "the keyboard", [CHARTER_DEV_MOUSE] = "the mouse",
	[CHARTER_DEV_JOYSTICK] = "joysticks",
	[CHARTER_DEV_AUDIO_OUT] = "audio output (speakers)",
	[CHARTER_DEV_AUDIO_IN] = "audio input (microphones)",
	[CHARTER_DEV_DISPLAY] = "the display (its device nodes, Wayland and X11)",
	[CHARTER_DEV_GPU] = "the GPU",
	[CHARTER_DEV_CAMERA] = "cameras", [CHARTER_DEV_SERIAL] = "serial ports",
	[CHARTER_DEV_USB] = "raw USB devices",
	[CHARTER_DEV_STORAGE] = "storage devices (raw disks)",
	[CHARTER_DEV_WAYLAND] = "a Wayland compositor (windows, keyboard and mouse through it)",
	[CHARTER_DEV_X11] = "an X server",
};

double explain_devices_cost(uint32_t devices)
{
	double cost = 0;

	for (int c = 0; c < __CHARTER_DEV_COUNT; c++)
		if (devices & CHARTER_DEV_BIT(c))
			cost += device_weights[c];
	return cost;
}

static char *devices_text(uint32_t devices)
{
	int total = __builtin_popcount(devices & CHARTER_DEV_ALL), seen = 0;
	char *s = strdup("use"), *next;

	for (int c = 0; s && c < __CHARTER_DEV_COUNT; c++) {
		if (!(devices & CHARTER_DEV_BIT(c)))
			continue;
		seen++;
		if (asprintf(&next, "%s%s %s", s,
			     seen == 1 ? "" : seen == total ? " and" : ",",
			     device_words[c]) < 0)
			next = NULL;
		free(s);
		s = next;
	}
	return s;
}

/* ---- the explanation --------------------------------------------------- */

static int add_grant(struct explanation *e, enum explain_kind kind,
		     const char *entry, const char *block, char *text, double cost)
{
	struct explain_grant *g = realloc(e->grants, (e->count + 1) * sizeof(*g));

	if (!g || !text) {
		free(text);
		if (g)
			e->grants = g;
		return -1;
	}
	e->grants = g;
	g[e->count++] = (struct explain_grant){ kind, entry, block, text, cost };
	return 0;
}

__attribute__((format(printf, 2, 3)))
static int add_warning(struct explanation *e, const char *fmt, ...)
{
	char **w = realloc(e->warnings, (e->warning_count + 1) * sizeof(*w));
	va_list ap;
	int n;

	if (!w)
		return -1;
	e->warnings = w;
	va_start(ap, fmt);
	n = vasprintf(&w[e->warning_count], fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	e->warning_count++;
	return 0;
}

/* Does the reach of @a's glob-free prefix contain @b's, or the reverse? */
static int reaches_overlap(const char *a, const char *b)
{
	size_t la = glob_free_len(a), lb = glob_free_len(b), n = la < lb ? la : lb;

	if (strncmp(a, b, n))
		return 0;
	if (n <= 1 || la == lb)
		return 1;
	return (la > lb ? a : b)[n] == '/';
}

static int path_warnings(const struct manifest *m, struct explanation *e)
{
	int bad = 0;

	for (size_t i = 0; i < m->path_count; i++) {
		const struct manifest_path *p = &m->paths[i];

		if ((p->access & W) && reaches_system_tree(p->pattern))
			bad |= add_warning(e, "write to system files: %s (entry '%s'): the program can change what every program runs or reads",
					   p->pattern, p->name);
		if (prefix_depth(p->pattern) == 0 && (p->access & R))
			bad |= add_warning(e, "read on the whole filesystem: %s (entry '%s'): the program may read every file",
					   p->pattern, p->name);
		for (size_t j = 0; j < m->path_count; j++) {
			const struct manifest_path *q = &m->paths[j];

			if (!(p->access & W) || !(q->access & X) ||
			    !reaches_overlap(p->pattern, q->pattern) || (j < i && (q->access & W) && (p->access & X)))
				continue;
			if (i == j)
				bad |= add_warning(e, "write and run on the same path: %s (entry '%s'): a program that can write what it runs can become any program",
						   p->pattern, p->name);
			else
				bad |= add_warning(e, "write (%s, entry '%s') and run (%s, entry '%s') reach the same files: a program that can write what it runs can become any program",
						   p->pattern, p->name, q->pattern, q->name);
		}
	}
	return bad;
}

static int other_warnings(const struct manifest *m, struct explanation *e)
{
	int bad = 0;

	for (size_t i = 0; i < m->net_count; i++)
		if (net_is_any(&m->nets[i]))
			bad |= add_warning(e, "any address: network entry '%s' reaches or is reached by every host",
					   m->nets[i].name);
	uint32_t devices = m->devices;

	/* display reaches both display servers. */
	if (devices & CHARTER_DEV_BIT(CHARTER_DEV_DISPLAY))
		devices |= CHARTER_DEV_BIT(CHARTER_DEV_WAYLAND) | CHARTER_DEV_BIT(CHARTER_DEV_X11);
	if ((devices & CHARTER_DEV_ALL) == CHARTER_DEV_ALL)
		bad |= add_warning(e, "every device class: keyboard, microphones, cameras and raw disks included");
	/* Flatpak calls its x11 socket unsafe for the same reason. */
	if (m->devices & (CHARTER_DEV_BIT(CHARTER_DEV_X11) | CHARTER_DEV_BIT(CHARTER_DEV_DISPLAY)))
		bad |= add_warning(e, "X11: %s reaches an X server, whose clients can read every other client's keystrokes and windows; %s",
				   m->devices & CHARTER_DEV_BIT(CHARTER_DEV_X11) ? "x11" : "display",
				   "grant wayland (and no x11 or display) for a Wayland-only program");
	return bad;
}

int explain_manifest(const struct manifest *m, struct explanation *e)
{
	int bad = 0;
	double sum = 0;

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < m->path_count; i++)
		bad |= add_grant(e, EXPLAIN_PATH, m->paths[i].name, m->paths[i].block,
				 path_text(m->paths[i].pattern, m->paths[i].access),
				 explain_path_cost(m->paths[i].pattern, m->paths[i].access));
	for (size_t i = 0; i < m->net_count; i++)
		bad |= add_grant(e, EXPLAIN_NET, m->nets[i].name, m->nets[i].block,
				 net_text(&m->nets[i]),
				 explain_net_cost(&m->nets[i]));
	if (m->devices)
		bad |= add_grant(e, EXPLAIN_DEVICES, NULL, NULL, devices_text(m->devices),
				 explain_devices_cost(m->devices));
	/* Read and run of libraries every program loads: reviewed once. */
	if (m->baseline)
		bad |= add_grant(e, EXPLAIN_BASELINE, NULL, NULL,
				 strdup("read the shared libraries, the dynamic loader, locale and time zone data (the runtime baseline), and run the libraries"),
				 0.25);
	bad |= path_warnings(m, e);
	bad |= other_warnings(m, e);
	for (size_t i = 0; i < e->count; i++)
		sum += e->grants[i].cost;
	e->score = sum > 10 ? 10 : (double)(long)(sum * 10 + 0.5) / 10;
	if (bad) {
		explanation_free(e);
		return -1;
	}
	return 0;
}

void explanation_free(struct explanation *e)
{
	for (size_t i = 0; i < e->count; i++)
		free(e->grants[i].text);
	for (size_t i = 0; i < e->warning_count; i++)
		free(e->warnings[i]);
	free(e->grants);
	free(e->warnings);
	memset(e, 0, sizeof(*e));
}

/* ---- output ------------------------------------------------------------ */

static const char *const kind_names[] = {
	[EXPLAIN_PATH] = "path", [EXPLAIN_NET] = "network",
	[EXPLAIN_DEVICES] = "devices", [EXPLAIN_BASELINE] = "baseline",
};

static int by_cost(const void *a, const void *b)
{
	const struct explain_grant *x = *(const struct explain_grant * const *)a;
	const struct explain_grant *y = *(const struct explain_grant * const *)b;

	return (x->cost < y->cost) - (x->cost > y->cost);
}

static void print_json(FILE *f, const struct manifest *m, const struct explanation *e)
{
	fprintf(f, "{\"file\":");
	show_json(f, m->file);
	fprintf(f, ",\"name\":");
	show_json(f, m->name ? m->name : "");
	fprintf(f, ",\"run\":");
	show_json(f, m->run ? m->run : "");
	fprintf(f, ",\"exposure\":%.1f,\"grants\":[", e->score);
	for (size_t i = 0; i < e->count; i++) {
		const struct explain_grant *g = &e->grants[i];

		fprintf(f, "%s{\"kind\":\"%s\",\"entry\":", i ? "," : "", kind_names[g->kind]);
		if (g->entry)
			show_json(f, g->entry);
		else
			fprintf(f, "null");
		fprintf(f, ",\"block\":");
		if (g->block)
			show_json(f, g->block);
		else
			fprintf(f, "null");
		fprintf(f, ",\"text\":");
		show_json(f, g->text);
		fprintf(f, ",\"cost\":%.2f}", g->cost);
	}
	fprintf(f, "],\"blocks\":[");
	for (size_t i = 0; i < m->use_count; i++) {
		fprintf(f, "%s{\"name\":", i ? "," : "");
		show_json(f, m->uses[i].name);
		fprintf(f, ",\"file\":");
		show_json(f, m->uses[i].file);
		fprintf(f, ",\"description\":");
		show_json(f, m->uses[i].description ? m->uses[i].description : "");
		fprintf(f, "}");
	}
	fprintf(f, "],\"warnings\":[");
	for (size_t i = 0; i < e->warning_count; i++) {
		fprintf(f, "%s", i ? "," : "");
		show_json(f, e->warnings[i]);
	}
	fprintf(f, "]}\n");
}

/* The blocks the manifest uses: where each was read, what it is for. */
static void print_uses(FILE *f, const struct manifest *m)
{
	static const char *const device_names[] = CHARTER_DEV_NAMES;

	if (m->use_count)
		fprintf(f, "Building blocks (their rules are above, named BLOCK/ENTRY):\n");
	for (size_t i = 0; i < m->use_count; i++) {
		const struct manifest_use *u = &m->uses[i];

		fprintf(f, "  ");
		show_text(f, u->name);
		fprintf(f, " (");
		show_text(f, u->file);
		fprintf(f, "): ");
		show_text(f, u->description ? u->description : "");
		for (int c = 0, n = 0; c < __CHARTER_DEV_COUNT; c++)
			if (u->devices & CHARTER_DEV_BIT(c))
				fprintf(f, "%s%s", n++ ? ", " : "; devices: ", device_names[c]);
		fputc('\n', f);
	}
}

void explain_print(FILE *f, const struct manifest *m, const struct explanation *e,
		   int json)
{
	const struct explain_grant **sorted;

	if (json) {
		print_json(f, m, e);
		return;
	}
	show_text(f, m->name ? m->name : "(unnamed)");
	fprintf(f, " (");
	show_text(f, m->run ? m->run : "no run");
	fprintf(f, ")%s", m->author ? ", by " : "");
	if (m->author)
		show_text(f, m->author);
	fprintf(f, "\nIt may:\n");
	if (!e->count)
		fprintf(f, "  nothing (no file, network or device)\n");
	for (size_t i = 0; i < e->count; i++) {
		fprintf(f, "  ");
		show_text(f, e->grants[i].text);
		if (e->grants[i].entry) {
			fprintf(f, " ('");
			show_text(f, e->grants[i].entry);
			fprintf(f, "'");
			if (e->grants[i].block) {
				fprintf(f, ", from block '");
				show_text(f, e->grants[i].block);
				fprintf(f, "'");
			}
			fprintf(f, ")");
		}
		fputc('\n', f);
	}
	print_uses(f, m);
	fprintf(f, "Exposure: %.1f/10 (0: nothing, 10: everything)\n", e->score);
	sorted = calloc(e->count ? e->count : 1, sizeof(*sorted));
	for (size_t i = 0; sorted && i < e->count; i++)
		sorted[i] = &e->grants[i];
	if (sorted)
		qsort(sorted, e->count, sizeof(*sorted), by_cost);
	for (size_t i = 0; sorted && i < e->count && i < 5; i++) {
		fprintf(f, "  %5.2f  ", sorted[i]->cost);
		show_text(f, sorted[i]->text);
		fputc('\n', f);
	}
	free(sorted);
	if (e->warning_count)
		fprintf(f, "Question these:\n");
	for (size_t i = 0; i < e->warning_count; i++) {
		fprintf(f, "  ");
		show_text(f, e->warnings[i]);
		fputc('\n', f);
	}
}
