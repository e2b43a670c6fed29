// SPDX-License-Identifier: GPL-2.0
/*
 * charter's output: escaping, and the status, list and monitor lines.
 *
 * Names, authors, paths and comm come from signed manifests or from the
 * kernel, but signing a manifest says who wrote it, not that its text is
 * harmless: a name holding "\n" or "ESC [" could forge a line of `charter
 * list` or hide one of `charter monitor` on a terminal. So no such text is
 * printed as is.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "dump.h"
#include "manifest.h"
#include "diag.h"
#include "show.h"
#include "uapi/charter.h"

/*
 * Length of the valid UTF-8 sequence at @s (shortest form, no surrogate,
 * at most U+10FFFF) with its code point in @cp; 0 when it is not one.
 */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		*cp = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		*cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		*cp = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * Code points a terminal acts on rather than shows: C0 and C1 controls
 * (U+009B is a one-byte CSI), DEL, the line and paragraph separators, and
 * the bidirectional embeddings, overrides and isolates, which reorder what
 * follows them on screen.
 */
static int unsafe_cp(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	       cp == 0x200e || cp == 0x200f || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static size_t text_byte(FILE *f, unsigned char c)
{
	switch (c) {
	case '\n': fputs("\\n", f); return 2;
	case '\t': fputs("\\t", f); return 2;
	case '\r': fputs("\\r", f); return 2;
	case '\\': fputs("\\\\", f); return 2;
	}
	if (c < 0x20 || c >= 0x7f) {
		fprintf(f, "\\x%02x", c);
		return 4;
	}
	fputc(c, f);
	return 1;
}

size_t show_text(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t cols = 0;

	while (*s) {
		uint32_t cp;
		size_t n = utf8_seq(s, &cp);

		if (n > 1 && !unsafe_cp(cp)) {
			fwrite(s, 1, n, f);
			cols++;
		} else {
			/* Every byte of an unsafe or invalid sequence, escaped. */
			if (!n)
				n = 1;
			for (size_t i = 0; i < n; i++)
				cols += text_byte(f, s[i]);
		}
		s += n;
	}
	return cols;
}

void show_diag(FILE *f, struct diag *d)
{
	for (size_t i = 0; i < d->count; i++) {
		show_text(f, d->msgs[i]);
		fputc('\n', f);
	}
	diag_free(d);
}

void show_text_pad(FILE *f, const char *s, size_t width)
{
	for (size_t cols = show_text(f, s); cols < width; cols++)
		fputc(' ', f);
}

void show_json(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		uint32_t cp;
		size_t n = utf8_seq(s, &cp);

		if (!n) {
			fputs("\\ufffd", f);	/* JSON text is UTF-8 */
			n = 1;
		} else if (cp == '"' || cp == '\\') {
			fprintf(f, "\\%c", (char)cp);
		} else if (cp == '\n') {
			fputs("\\n", f);
		} else if (cp == '\t') {
			fputs("\\t", f);
		} else if (unsafe_cp(cp)) {
			fprintf(f, "\\u%04x", cp);
		} else {
			fwrite(s, 1, n, f);
		}
		s += n;
	}
	fputc('"', f);
}

static const char *const mode_names[] = {
	[CHARTER_MODE_INHERIT] = "inherit",
	[CHARTER_MODE_ENFORCE] = "enforce",
	[CHARTER_MODE_COMPLAIN] = "complain",
	[CHARTER_MODE_DISABLED] = "disabled",
};

const char *show_mode_name(uint8_t mode)
{
	return mode <= CHARTER_MODE_MAX ? mode_names[mode] : "unknown";
}

int show_mode_value(const char *name)
{
	for (int mode = 0; mode <= CHARTER_MODE_MAX; mode++)
		if (!strcmp(name, mode_names[mode]))
			return mode;
	return -1;
}

void show_status(FILE *f, const struct nl_status *st, int json)
{
	if (json) {
		fprintf(f, "{\"version\":");
		show_json(f, st->version);
		fprintf(f, ",\"abi\":%u,\"mode\":\"%s\",\"manifests\":%u,"
			"\"confined_tasks\":%u,\"domain_creds\":%u,\"allowed\":%llu,"
			"\"denied\":%llu,\"would_deny\":%llu,\"events_dropped\":%llu,"
			"\"changed_binaries\":%llu,\"policy_memory\":%llu,"
			"\"files_hashed\":%llu,\"domains\":%u,"
			"\"digest_entries\":%u,\"locked\":%s,"
			"\"processes_by_manifest\":",
			st->abi, show_mode_name(st->mode), st->manifests,
			st->confined_tasks, st->domain_creds,
			(unsigned long long)st->allowed, (unsigned long long)st->denied,
			(unsigned long long)st->would_deny,
			(unsigned long long)st->events_dropped,
			(unsigned long long)st->changed_binaries,
			(unsigned long long)st->policy_memory,
			(unsigned long long)st->files_hashed,
			st->domains, st->digest_entries,
			st->locked ? "true" : "false");
		if (!st->by_manifest_known) {
			fprintf(f, "null}\n");
			return;
		}
		fputc('{', f);
		for (size_t i = 0; i < st->by_manifest_count; i++) {
			fprintf(f, "%s", i ? "," : "");
			show_json(f, st->by_manifest[i].name);
			fprintf(f, ":%u", st->by_manifest[i].tasks);
		}
		fprintf(f, "}}\n");
		return;
	}
	fprintf(f, "module          ");
	show_text(f, st->version);
	fprintf(f, " (netlink ABI %u)\n", st->abi);
	fprintf(f, "mode            %s%s\n", show_mode_name(st->mode),
		st->locked ? ", locked until reboot" : "");
	fprintf(f, "manifests       %u\n", st->manifests);
	fprintf(f, "policy memory   %llu bytes (kernel memory the policy holds)\n",
		(unsigned long long)st->policy_memory);
	fprintf(f, "confined tasks  %u (%u credentials)\n", st->confined_tasks,
		st->domain_creds);
	fprintf(f, "domains         %u\n", st->domains);
	fprintf(f, "allowed         %llu\n", (unsigned long long)st->allowed);
	fprintf(f, "denied          %llu\n", (unsigned long long)st->denied);
	fprintf(f, "would deny      %llu\n", (unsigned long long)st->would_deny);
	fprintf(f, "events dropped  %llu\n", (unsigned long long)st->events_dropped);
	fprintf(f, "changed binaries %llu (run at a manifested path, confined)\n",
		(unsigned long long)st->changed_binaries);
	fprintf(f, "files hashed    %llu (read in full for a digest; the rest were cached)\n",
		(unsigned long long)st->files_hashed);
	fprintf(f, "digest cache    %u entries\n", st->digest_entries);
	if (!st->by_manifest_known)
		return;
	fprintf(f, "by manifest    ");
	if (!st->by_manifest_count)
		fprintf(f, " none");
	for (size_t i = 0; i < st->by_manifest_count; i++) {
		fprintf(f, "%s ", i ? "," : "");
		show_text(f, st->by_manifest[i].name);
		fprintf(f, " %u", st->by_manifest[i].tasks);
	}
	fprintf(f, " (confined processes; a nested one counts for each layer)\n");
}

static void hex_digest(char hex[2 * CHARTER_SHA256_LEN + 1], const uint8_t *sha256)
{
	for (int i = 0; i < CHARTER_SHA256_LEN; i++)
		sprintf(hex + 2 * i, "%02x", sha256[i]);
}

/* The device classes of @mask as a JSON array. */
/* "server socket (wayland) ": a display or sound server's, by its classes. */
static void text_server(FILE *f, uint32_t classes)
{
	fprintf(f, "server socket (");
	for (int c = 0, first = 1; c < __CHARTER_DEV_COUNT; c++)
		if (classes & CHARTER_DEV_BIT(c)) {
			fprintf(f, "%s%s", first ? "" : ",", manifest_device_names[c]);
			first = 0;
		}
	fprintf(f, ") ");
}

static void json_devices(FILE *f, uint32_t mask)
{
	fputc('[', f);
	for (int c = 0, first = 1; c < __CHARTER_DEV_COUNT; c++) {
		if (!(mask & CHARTER_DEV_BIT(c)))
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ",", manifest_device_names[c]);
		first = 0;
	}
	fputc(']', f);
}

void show_list_header(FILE *f)
{
	fprintf(f, "%-24s %-16s %-19s %10s %5s %5s  %-8s %s\n", "NAME", "AUTHOR",
		"SHA256", "SIZE", "PATHS", "NETS", "MODE", "RUN");
}

void show_manifest(FILE *f, const struct nl_manifest *m, int json)
{
	char hex[2 * CHARTER_SHA256_LEN + 1];

	hex_digest(hex, m->sha256);
	if (json) {
		fprintf(f, "{\"name\":");
		show_json(f, m->name);
		fprintf(f, ",\"author\":");
		show_json(f, m->author);
		fprintf(f, ",\"sha256\":\"%s\",\"size\":%llu,\"path_rules\":%u,"
			"\"network_rules\":%u,\"devices\":",
			hex, (unsigned long long)m->exe_size, m->path_rules, m->net_rules);
		json_devices(f, m->devices);
		fprintf(f, ",\"mode\":\"%s\",\"run\":", show_mode_name(m->mode));
		if (*m->run)
			show_json(f, m->run);
		else
			fprintf(f, "null");
		fprintf(f, ",\"run_alias\":");
		if (*m->run_alias)
			show_json(f, m->run_alias);
		else
			fprintf(f, "null");
		fprintf(f, ",\"pinned\":%s,\"learning\":%s}\n",
			m->flags & CHARTER_MANIFEST_PINNED ? "true" : "false",
			m->flags & CHARTER_MANIFEST_LEARN ? "true" : "false");
		return;
	}
	show_text_pad(f, m->name, 24);
	fputc(' ', f);
	show_text_pad(f, *m->author ? m->author : "-", 16);
	fprintf(f, " %.16s... %10llu %5u %5u  %-8s ", hex,
		(unsigned long long)m->exe_size, m->path_rules, m->net_rules,
		show_mode_name(m->mode));
	show_text(f, *m->run ? m->run : "-");
	if (*m->run_alias) {
		fprintf(f, " (as ");
		show_text(f, m->run_alias);
		fputc(')', f);
	}
	fprintf(f, "%s%s\n", m->flags & CHARTER_MANIFEST_PINNED ? " (pinned hash)" : "",
		m->flags & CHARTER_MANIFEST_LEARN ? " (learning: charter learn)" : "");
}

static void json_event(FILE *f, const struct nl_event *ev, const char *decision,
		       const char *hex, const char *addr)
{
	fprintf(f, "{\"time_ns\":%llu,\"pid\":%u,\"comm\":",
		(unsigned long long)ev->time_ns, ev->pid);
	show_json(f, ev->comm);
	fprintf(f, ",\"manifest\":");
	show_json(f, ev->manifest);
	fprintf(f, ",\"sha256\":\"%s\",\"decision\":\"%s\",", hex, decision);
	if (ev->is_net) {
		fprintf(f, "\"operation\":\"%s\",\"protocol\":\"%s\",\"address\":\"%s\",\"port\":%u}\n",
			ev->direction == CHARTER_NET_INBOUND ? "inbound" : "outbound",
			ev->protocol == CHARTER_PROTO_TCP ? "tcp" :
			ev->protocol == CHARTER_PROTO_UDP ? "udp" : "other",
			addr, ev->port);
		return;
	}
	fprintf(f, "\"operation\":\"%s\",\"path\":", dump_access_name(ev->access));
	show_json(f, ev->path);
	if (ev->is_device && !ev->has_devnum) {
		fprintf(f, ",\"server\":true,\"classes\":");
		json_devices(f, ev->dev_classes);
	} else if (ev->is_device) {
		fprintf(f, ",\"device\":\"%u:%u\",\"classes\":",
			ev->devnum >> 20, ev->devnum & 0xfffff);
		json_devices(f, ev->dev_classes);
	}
	if (*ev->path2) {
		fprintf(f, ",\"path2\":");
		show_json(f, ev->path2);
	}
	fprintf(f, "}\n");
}

/* "SECONDS.NANOS pid PID (COMM) MANIFEST: DECISION ", common to every line. */
static void text_event_head(FILE *f, const struct nl_event *ev, const char *decision)
{
	fprintf(f, "%llu.%09llu pid %u (",
		(unsigned long long)(ev->time_ns / 1000000000ull),
		(unsigned long long)(ev->time_ns % 1000000000ull), ev->pid);
	show_text(f, ev->comm);
	fprintf(f, ") ");
	show_text(f, ev->manifest);
	fprintf(f, ": %s ", decision);
}

/*
 * An operation no manifest can grant (a mount, a ptrace, a raw socket...),
 * with the process acted on and the file, when there is one; the
 * manifest is absent when the refusal had none (a file that could not be
 * identified).
 */
static void show_operation_event(FILE *f, const struct nl_event *ev,
				 const char *decision, const char *hex, int json)
{
	if (json) {
		fprintf(f, "{\"time_ns\":%llu,\"pid\":%u,\"comm\":",
			(unsigned long long)ev->time_ns, ev->pid);
		show_json(f, ev->comm);
		fprintf(f, ",\"manifest\":");
		if (*ev->manifest) {
			show_json(f, ev->manifest);
			fprintf(f, ",\"sha256\":\"%s\"", hex);
		} else {
			fprintf(f, "null,\"sha256\":null");
		}
		fprintf(f, ",\"decision\":\"%s\",\"always\":%s,\"operation\":", decision,
			ev->always ? "true" : "false");
		show_json(f, ev->operation);
		if (ev->target_pid) {
			fprintf(f, ",\"target_pid\":%u,\"target_comm\":", ev->target_pid);
			show_json(f, ev->target_comm);
		}
		if (*ev->path) {
			fprintf(f, ",\"path\":");
			show_json(f, ev->path);
		}
		fprintf(f, "}\n");
		return;
	}
	fprintf(f, "%llu.%09llu pid %u (",
		(unsigned long long)(ev->time_ns / 1000000000ull),
		(unsigned long long)(ev->time_ns % 1000000000ull), ev->pid);
	show_text(f, ev->comm);
	fprintf(f, ") ");
	show_text(f, *ev->manifest ? ev->manifest : "(no manifest)");
	fprintf(f, ": %s%s ", decision, ev->always ? " (always)" : "");
	show_text(f, ev->operation);
	if (ev->target_pid) {
		fprintf(f, " of pid %u (", ev->target_pid);
		show_text(f, ev->target_comm);
		fputc(')', f);
	}
	if (*ev->path) {
		fputc(' ', f);
		show_text(f, ev->path);
	}
	fputc('\n', f);
}

void show_event(FILE *f, const struct nl_event *ev, int json)
{
	const char *decision = ev->decision == CHARTER_DECISION_DENIED ? "denied" :
			       ev->decision == CHARTER_DECISION_WOULD_DENY ? "would-deny" :
			       "changed-binary";
	char addr[INET6_ADDRSTRLEN] = "";
	char hex[2 * CHARTER_SHA256_LEN + 1];

	hex_digest(hex, ev->sha256);
	if (*ev->operation) {
		show_operation_event(f, ev, decision, hex, json);
		return;
	}
	if (ev->is_net)
		inet_ntop(ev->addr_len == 4 ? AF_INET : AF_INET6, ev->addr, addr, sizeof(addr));
	if (json) {
		json_event(f, ev, decision, hex, addr);
		return;
	}
	text_event_head(f, ev, decision);
	if (ev->is_net) {
		fprintf(f, "%s %s %s port %u\n",
			ev->direction == CHARTER_NET_INBOUND ? "inbound" : "outbound",
			ev->protocol == CHARTER_PROTO_UDP ? "udp" : "tcp", addr, ev->port);
		return;
	}
	fprintf(f, "%s ", dump_access_name(ev->access));
	if (ev->is_device && !ev->has_devnum)
		text_server(f, ev->dev_classes);
	else if (ev->is_device)
		fprintf(f, "device %u:%u ", ev->devnum >> 20, ev->devnum & 0xfffff);
	show_text(f, *ev->path ? ev->path : "(unnamed)");
	if (!ev->is_device && *ev->path2) {
		fprintf(f, " -> ");
		show_text(f, ev->path2);
	}
	fputc('\n', f);
}
