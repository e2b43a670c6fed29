// SPDX-License-Identifier: GPL-2.0
/*
 * charter dump: a blob, bounds-checked like the kernel does, printed as
 * text. Every line is "KIND fields..." so that the output diffs well, and
 * every string is escaped (show.h) so that none can add or hide a line.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <string.h>

#include "blobview.h"
#include "dump.h"
#include "manifest.h"
#include "show.h"
#include "uapi/charter.h"

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

/* @m and its rules: blob_view_open() checked every range and string. */
static void dump_manifest(const struct blob_view *v,
			  const struct charter_blob_manifest *m, FILE *out)
{
	uint64_t pf = le32toh(m->path_first), pc = le32toh(m->path_count);
	uint64_t nf = le32toh(m->net_first), nc = le32toh(m->net_count);
	const char *name = blob_string(v, m->name), *author = blob_string(v, m->author);
	const char *run = blob_string(v, m->run), *alias = blob_string(v, m->run_alias);
	uint32_t devices = le32toh(m->devices);

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
	if (le32toh(m->flags) & CHARTER_MANIFEST_LEARN)
		fprintf(out, "  learning: records what it does not grant, and allows it\n");
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
		fprintf(out, "  path ");
		show_text(out, blob_string(v, v->paths[i].name));
		fprintf(out, ": %s ", dump_access_name(v->paths[i].access));
		show_text(out, blob_string(v, v->paths[i].pattern));
		fprintf(out, " (prefix %u)%s\n", le16toh(v->paths[i].prefix_len),
			v->paths[i].flags & CHARTER_PATH_BASELINE ? " baseline" : "");
	}
	for (uint64_t i = nf; i < nf + nc; i++)
		print_net(out, &v->nets[i], blob_string(v, v->nets[i].name));
	fprintf(out, "  devices");
	for (int c = 0; c < __CHARTER_DEV_COUNT; c++)
		if (devices & CHARTER_DEV_BIT(c))
			fprintf(out, " %s", manifest_device_names[c]);
	fprintf(out, "%s\n", devices ? "" : " none");
}

int dump_blob(const uint8_t *blob, size_t len, FILE *out, struct diag *d)
{
	struct blob_view v;

	if (blob_view_open(&v, blob, len, d))
		return -1;
	fprintf(out, "policy v%u: %zu bytes, %u manifests, %u path rules, %u network rules\n",
		le16toh(v.header->version), len, v.manifest_count, v.path_count,
		v.net_count);
	for (uint32_t i = 0; i < v.manifest_count; i++)
		dump_manifest(&v, &v.manifests[i], out);
	return 0;
}
