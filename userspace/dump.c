// SPDX-License-Identifier: GPL-2.0
/*
 * charter dump: a blob, bounds-checked like the kernel does, printed as
 * text. Every line is "KIND fields..." so that the output diffs well, and
 * every string is escaped (show.h) so that none can add or hide a line.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <string.h>

#include "dump.h"
#include "manifest.h"
#include "show.h"
#include "uapi/charter.h"

struct view {
	const uint8_t *blob;
	size_t len;
	const char *strings;
	uint32_t strings_len;
	struct diag *d;
};

static int section_ok(const struct view *v, const struct charter_blob_section *s,
		      size_t entry)
{
	uint64_t off = le32toh(s->off), bytes = (uint64_t)le32toh(s->count) * entry;

	return !bytes || (off % CHARTER_BLOB_ALIGN == 0 &&
			  off >= sizeof(struct charter_blob_header) &&
			  off + bytes <= v->len);
}

static const char *string_at(const struct view *v, uint32_t le_off)
{
	uint32_t off = le32toh(le_off);

	if (off >= v->strings_len || !memchr(v->strings + off, 0, v->strings_len - off))
		return NULL;
	return v->strings + off;
}

const char *dump_access_name(uint32_t a)
{
	static const char *const names[] = CHARTER_ACCESS_NAMES;

	return names[a & CHARTER_ACCESS_ALL];
}

static void print_net(FILE *out, const struct charter_blob_net_rule *r,
		      const char *name)
{
	char addr[INET6_ADDRSTRLEN] = "any";

	if (r->family == CHARTER_FAMILY_INET)
		inet_ntop(AF_INET, r->addr, addr, sizeof(addr));
	else if (r->family == CHARTER_FAMILY_INET6)
		inet_ntop(AF_INET6, r->addr, addr, sizeof(addr));
	fprintf(out, "  network ");
	show_text(out, name);
	fputc(':', out);
	if (r->direction & CHARTER_NET_INBOUND)
		fprintf(out, " inbound");
	if (r->direction & CHARTER_NET_OUTBOUND)
		fprintf(out, " outbound");
	if (r->protocol & CHARTER_PROTO_TCP)
		fprintf(out, " tcp");
	if (r->protocol & CHARTER_PROTO_UDP)
		fprintf(out, " udp");
	if (r->family == CHARTER_FAMILY_ANY)
		fprintf(out, " ip any");
	else
		fprintf(out, " ip %s/%u", addr, r->prefix);
	if (ntohs(r->port_min) == 0 && ntohs(r->port_max) == 65535)
		fprintf(out, " port any\n");
	else if (r->port_min == r->port_max)
		fprintf(out, " port %u\n", ntohs(r->port_min));
	else
		fprintf(out, " port %u-%u\n", ntohs(r->port_min), ntohs(r->port_max));
}

static int dump_manifest(const struct view *v, const struct charter_blob_header *h,
			 const struct charter_blob_manifest *m, FILE *out)
{
	const struct charter_blob_path_rule *paths =
		(const void *)(v->blob + le32toh(h->path_rules.off));
	const struct charter_blob_net_rule *nets =
		(const void *)(v->blob + le32toh(h->net_rules.off));
	uint64_t pf = le32toh(m->path_first), pc = le32toh(m->path_count);
	uint64_t nf = le32toh(m->net_first), nc = le32toh(m->net_count);
	const char *name = string_at(v, m->name), *author = string_at(v, m->author);
	const char *run = string_at(v, m->run), *alias = string_at(v, m->run_alias);
	uint32_t devices = le32toh(m->devices);

	if (!name || !author || !run || !alias || pf + pc > le32toh(h->path_rules.count) ||
	    nf + nc > le32toh(h->net_rules.count)) {
		diag_file(v->d, "blob", "manifest record out of range");
		return -1;
	}
	/* Names and patterns are the manifest author's text: escaped. */
	fprintf(out, "manifest ");
	show_text(out, name);
	if (*author) {
		fprintf(out, "\n  author ");
		show_text(out, author);
	}
	fputc('\n', out);
	fprintf(out, "  executable sha256:");
	for (int i = 0; i < CHARTER_SHA256_LEN; i++)
		fprintf(out, "%02x", m->sha256[i]);
	fprintf(out, " size %llu\n", (unsigned long long)le64toh(m->exe_size));
	if (*run) {
		fprintf(out, "  run ");
		show_text(out, run);
		if (*alias) {
			fprintf(out, " (as ");
			show_text(out, alias);
			fputc(')', out);
		}
		fprintf(out, "%s\n", le32toh(m->flags) & CHARTER_MANIFEST_PINNED ?
			" (pinned hash: another file there may not run)" : "");
	}
	for (uint64_t i = pf; i < pf + pc; i++) {
		const char *pat = string_at(v, paths[i].pattern);
		const char *pname = string_at(v, paths[i].name);

		if (!pat || !pname) {
			diag_file(v->d, "blob", "path rule string out of range");
			return -1;
		}
		fprintf(out, "  path ");
		show_text(out, pname);
		fprintf(out, ": %s ", dump_access_name(paths[i].access));
		show_text(out, pat);
		fprintf(out, " (prefix %u)%s\n", le16toh(paths[i].prefix_len),
			paths[i].flags & CHARTER_PATH_BASELINE ? " baseline" : "");
	}
	for (uint64_t i = nf; i < nf + nc; i++) {
		const char *nname = string_at(v, nets[i].name);

		if (!nname) {
			diag_file(v->d, "blob", "network rule string out of range");
			return -1;
		}
		print_net(out, &nets[i], nname);
	}
	fprintf(out, "  devices");
	for (int c = 0; c < __CHARTER_DEV_COUNT; c++)
		if (devices & CHARTER_DEV_BIT(c))
			fprintf(out, " %s", manifest_device_names[c]);
	fprintf(out, "%s\n", devices ? "" : " none");
	return 0;
}

int dump_blob(const uint8_t *blob, size_t len, FILE *out, struct diag *d)
{
	const struct charter_blob_header *h = (const void *)blob;
	const struct charter_blob_manifest *ms;
	struct view v = { .blob = blob, .len = len, .d = d };
	uint32_t count;

	if (len < sizeof(*h) || le32toh(h->magic) != CHARTER_BLOB_MAGIC ||
	    le16toh(h->version) != CHARTER_BLOB_VERSION ||
	    le16toh(h->header_len) != sizeof(*h) || le32toh(h->total_len) != len) {
		diag_file(d, "blob", "not a charter policy of version %d", CHARTER_BLOB_VERSION);
		return -1;
	}
	if (!section_ok(&v, &h->manifests, sizeof(struct charter_blob_manifest)) ||
	    !section_ok(&v, &h->path_rules, sizeof(struct charter_blob_path_rule)) ||
	    !section_ok(&v, &h->net_rules, sizeof(struct charter_blob_net_rule)) ||
	    !section_ok(&v, &h->strings, 1)) {
		diag_file(d, "blob", "section out of bounds or misaligned");
		return -1;
	}
	v.strings = (const char *)blob + le32toh(h->strings.off);
	v.strings_len = le32toh(h->strings.count);
	if (v.strings_len && v.strings[v.strings_len - 1]) {
		diag_file(d, "blob", "string section does not end with NUL");
		return -1;
	}
	count = le32toh(h->manifests.count);
	fprintf(out, "policy v%u: %zu bytes, %u manifests, %u path rules, %u network rules\n",
		le16toh(h->version), len, count, le32toh(h->path_rules.count),
		le32toh(h->net_rules.count));
	ms = (const void *)(blob + le32toh(h->manifests.off));
	for (uint32_t i = 0; i < count; i++)
		if (dump_manifest(&v, h, &ms[i], out))
			return -1;
	return 0;
}
