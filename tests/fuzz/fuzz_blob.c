// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the kernel's blob decoder (kmod/blob.c, policy.c,
 * match.c, built against tests/fuzz/kshim). Any input must be refused
 * with a message or decoded into a policy whose every manifest can be
 * found again by its identity and whose rules can be matched, through
 * the rule indexes (ruleindex.c) with the answers of the scans (match.c).
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/dcache.h>

#include "kmod/learn.h"
#include "kmod/lineage.h"
#include "kmod/match.h"
#include "kmod/netrule.h"
#include "kmod/policy.h"
#include "kmod/ruleindex.h"

/* policy.c's replace moves running programs (lineage.c): never called here. */
int charter_lineages_prepare(struct charter_policy *policy)
{
	(void)policy;
	return 0;
}

void charter_lineages_commit(void)
{
}

/*
 * learn.c's records: a decoded policy here never becomes current, so it
 * never gets one, and its release has none to drop.
 */
int charter_learn_prepare(struct charter_policy *policy,
			  const struct charter_policy *old)
{
	(void)policy;
	(void)old;
	return 0;
}

void charter_learn_release(struct charter_policy *policy)
{
	(void)policy;
}

/* fs.c's d_absolute_path() comparison: here, the file lies at @file_path. */
static const char *file_path;

bool charter_path_is(const struct path *path, const char *want, size_t len)
{
	(void)path;
	return strlen(file_path) == len && !memcmp(file_path, want, len);
}

/*
 * A manifest's run path finds that manifest, where the file lies and by
 * name; its alias by name only; nothing else finds it.
 */
static void check_run(const struct charter_policy *p,
		      const struct charter_manifest *m)
{
	const char *base = strrchr(m->run, '/') + 1;
	struct qstr name = QSTR_INIT(base, strlen(base));

	assert(m->run[0] == '/');
	file_path = m->run;
	assert(charter_run_find_file(p, NULL, &name) == m);
	assert(charter_run_find_name(p, m->run) == m);
	assert(charter_run_find_same(p, m) == m);
	assert(charter_run_has_name(p, name.name, name.len));
	file_path = "";		/* never a run path */
	assert(!charter_run_find_file(p, NULL, &name));
	if (m->run_alias) {
		assert(charter_run_find_name(p, m->run_alias) == m);
		base = strrchr(m->run_alias, '/') + 1;
		name = (struct qstr)QSTR_INIT(base, strlen(base));
		file_path = m->run_alias;
		/* No file lies at an alias: a symlink does. */
		assert(charter_run_find_file(p, NULL, &name) != m);
	}
}

static const char *const paths[] = {
	"/", "/srv/app", "/srv/app/x/y.log", "/tmp/a/b", "relative", "",
	"/usr/lib/x86_64-linux-gnu/libc.so.6", "/srv//app", "/srv/app/",
};

/* The rule index (ruleindex.c) and the scan (match.c) agree on @path. */
static void check_path(const struct charter_manifest *m, const char *path)
{
	assert(charter_path_index_access(&m->path_index, path) ==
	       charter_rules_access(m->path_rules, m->path_count, path));
}

/*
 * Paths near rule @r: its pattern, its prefix, beneath it, beside it
 * ("/srv/app" and "/srv/apple"), its parent; and @tail (from the input)
 * beneath each.
 */
static void check_paths_near(const struct charter_manifest *m,
			     const struct charter_path_rule *r,
			     const char *tail)
{
	char buf[2 * CHARTER_PATTERN_MAX + 16];
	char *slash;

	check_path(m, r->pattern);
	memcpy(buf, r->pattern, r->prefix_len);
	buf[r->prefix_len] = '\0';
	check_path(m, buf);
	strcat(buf, "le");
	check_path(m, buf);
	buf[r->prefix_len] = '\0';
	strcat(buf, "/x");
	check_path(m, buf);
	buf[r->prefix_len] = '\0';
	strcat(buf, tail);
	check_path(m, buf);
	snprintf(buf, sizeof(buf), "%s%s", r->pattern, tail);
	check_path(m, buf);
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	check_path(m, buf);
}

/* The network index and the scan agree on endpoints near rule @r. */
static void check_endpoints_near(const struct charter_manifest *m,
				 const struct charter_net_rule *r,
				 const struct charter_endpoint *from_input)
{
	static const u8 families[] = { CHARTER_FAMILY_INET, CHARTER_FAMILY_INET6 };
	const u16 ports[] = { r->port_min, r->port_max, r->port_min - 1,
			      r->port_max + 1, from_input->port };
	struct charter_endpoint ep;

	for (size_t f = 0; f < ARRAY_SIZE(families); f++)
	for (size_t i = 0; i < ARRAY_SIZE(ports); i++)
	for (u8 proto = 0; proto <= CHARTER_PROTOCOLS; proto++)
	for (u8 dir = 1; dir <= CHARTER_NET_DIRECTIONS; dir++) {
		ep = (struct charter_endpoint){ .family = families[f],
			.protocol = proto, .port = ports[i] };
		memcpy(ep.addr, i == 4 ? from_input->addr : r->addr,
		       sizeof(ep.addr));
		assert(charter_net_index_allows(&m->net_index, dir, &ep) ==
		       charter_net_allows(m->net_rules, m->net_count, dir, &ep));
		assert(charter_net_index_allows_port(&m->net_index, proto, ep.port) ==
		       charter_net_allows_port(m->net_rules, m->net_count,
					       proto, ep.port));
	}
}

/* Index and scan agree on paths and endpoints near @m's rules. */
static void check_index(const struct charter_manifest *m, const char *tail,
			const struct charter_endpoint *from_input)
{
	for (size_t j = 0; j < ARRAY_SIZE(paths); j++)
		check_path(m, paths[j]);
	check_path(m, tail);
	for (u32 j = 0; j < m->path_count; j++)
		check_paths_near(m, &m->path_rules[j], tail);
	for (u32 j = 0; j < m->net_count; j++)
		check_endpoints_near(m, &m->net_rules[j], from_input);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netlink_ext_ack extack = { 0 };
	struct charter_policy *p = charter_blob_decode(data, size, &extack);
	struct charter_endpoint from_input = { 0 };
	char tail[64];
	size_t n;

	if (IS_ERR(p)) {
		assert(extack._msg);
		return 0;
	}
	/* The input's last bytes: a path's tail, an endpoint. */
	n = size < sizeof(tail) - 1 ? size : sizeof(tail) - 1;
	memcpy(tail, data + size - n, n);
	tail[n] = '\0';
	n = size < sizeof(from_input.addr) ? size : sizeof(from_input.addr);
	memcpy(from_input.addr, data + size - n, n);
	from_input.port = from_input.addr[0] << 8 | from_input.addr[1];
	for (u32 i = 0; i < p->manifest_count; i++) {
		const struct charter_manifest *m = &p->manifests[i];

		assert(charter_policy_find(p, m->digest, m->exe_size) == m);
		assert(charter_policy_has_size(p, m->exe_size));
		assert(m->name[0]);
		if (m->run)
			check_run(p, m);
		check_index(m, tail, &from_input);
		for (u32 j = 0; j < m->path_count; j++)
			/* A rule covers the path it was written for. */
			assert(charter_pattern_covers(&m->path_rules[j],
						      m->path_rules[j].pattern) ||
			       strpbrk(m->path_rules[j].pattern, "*?"));
	}
	charter_policy_release_now(p);
	return 0;
}
