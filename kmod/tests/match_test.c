// SPDX-License-Identifier: GPL-2.0
/* KUnit: pattern syntax and the path matcher (kmod/match.c). */

#include <kunit/test.h>

#include "../match.h"
#include "../policy.h"

/* A rule for @pattern, its prefix computed by the checker under test. */
static struct charter_path_rule rule(struct kunit *test, const char *pattern,
				     u8 access)
{
	struct charter_path_rule r = {
		.pattern = pattern,
		.len = strlen(pattern),
		.access = access,
	};

	KUNIT_ASSERT_EQ_MSG(test, charter_pattern_check(pattern, &r.prefix_len),
			    0, "pattern %s", pattern);
	return r;
}

static bool covers(struct kunit *test, const char *pattern, const char *path)
{
	struct charter_path_rule r = rule(test, pattern, CHARTER_ACCESS_READ);

	return charter_pattern_covers(&r, path);
}

#define COVERS(pat, path) KUNIT_EXPECT_TRUE_MSG(test, covers(test, pat, path), \
						"%s should cover %s", pat, path)
#define MISSES(pat, path) KUNIT_EXPECT_FALSE_MSG(test, covers(test, pat, path), \
						 "%s should not cover %s", pat, path)

static void charter_match_prefix_lengths(struct kunit *test)
{
	static const struct { const char *pattern; u16 prefix; } cases[] = {
		{ "/", 1 },
		{ "/srv", 4 },
		{ "/srv/app", 8 },
		{ "/srv/app/**", 8 },
		{ "/srv/*/data", 4 },
		{ "/srv/a?p/x", 4 },
		{ "/**", 0 },
		{ "/*.conf", 0 },
		{ "/srv/app/**/x/y", 8 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u16 prefix = 0xffff;

		KUNIT_EXPECT_EQ(test, charter_pattern_check(cases[i].pattern, &prefix), 0);
		KUNIT_EXPECT_EQ_MSG(test, prefix, cases[i].prefix, "%s", cases[i].pattern);
	}
}

static void charter_match_bad_patterns_refused(struct kunit *test)
{
	static const char *const bad[] = {
		"", "srv", "./srv", "/srv/", "//", "/srv//x", "/srv/./x",
		"/srv/../x", "/..", "/a**", "/**b", "/x/***", "/x/a**b/y",
	};
	size_t i;
	u16 prefix;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, charter_pattern_check(bad[i], &prefix),
				    -EINVAL, "%s", bad[i]);
}

static void charter_match_dir_covers_itself_and_below(struct kunit *test)
{
	COVERS("/srv/app", "/srv/app");
	COVERS("/srv/app", "/srv/app/x");
	COVERS("/srv/app", "/srv/app/a/b/c");
	COVERS("/srv/app/**", "/srv/app");
	COVERS("/srv/app/**", "/srv/app/a/b/c");
}

static void charter_match_component_boundary(struct kunit *test)
{
	MISSES("/srv/app", "/srv/apple");
	MISSES("/srv/app", "/srv/ap");
	MISSES("/srv/app", "/srv");
	MISSES("/srv/app", "/");
	MISSES("/srv/app", "/other/srv/app");
	MISSES("/srv/app/**", "/srv/apple/x");
	MISSES("/srv/*/data", "/srv/a/database");
}

static void charter_match_root_covers_every_absolute_path(struct kunit *test)
{
	COVERS("/", "/");
	COVERS("/", "/etc/passwd");
	COVERS("/**", "/etc/passwd");
	/* d_path() of an unreachable file is not absolute: never covered. */
	MISSES("/", "pipe:[123]");
	MISSES("/**", "anon_inode:[eventfd]");
	MISSES("/", "");
}

static void charter_match_star_is_one_component(struct kunit *test)
{
	COVERS("/home/*/public", "/home/alice/public");
	COVERS("/home/*/public", "/home/alice/public/index.html");
	MISSES("/home/*/public", "/home/alice/x/public");
	MISSES("/home/*/public", "/home/public");
	COVERS("/etc/*.conf", "/etc/resolv.conf");
	COVERS("/etc/*.conf", "/etc/.conf");
	MISSES("/etc/*.conf", "/etc/resolv.conf.bak");
	MISSES("/etc/*.conf", "/etc/conf");
	COVERS("/var/log/app-*-*.log", "/var/log/app-1-2.log");
	MISSES("/var/log/app-*-*.log", "/var/log/app-1.log");
}

static void charter_match_question_mark_is_one_char(struct kunit *test)
{
	COVERS("/dev/tty?", "/dev/tty1");
	MISSES("/dev/tty?", "/dev/tty");
	MISSES("/dev/tty?", "/dev/tty10");
	MISSES("/a?b", "/a/b");
}

static void charter_match_double_star_any_depth(struct kunit *test)
{
	COVERS("/srv/**/*.log", "/srv/a.log");
	COVERS("/srv/**/*.log", "/srv/x/y/z/a.log");
	MISSES("/srv/**/*.log", "/srv/x/y/a.txt");
	MISSES("/srv/**/*.log", "/srv");
	COVERS("/**/secret", "/a/b/secret/key");
	COVERS("/srv/**/x/**/y", "/srv/x/y");
	COVERS("/srv/**/x/**/y", "/srv/a/x/b/c/y/z");
	MISSES("/srv/**/x/**/y", "/srv/a/x/b/c/z");
	/* Backtracking: the first "x" is not the one that matches. */
	COVERS("/srv/**/x/y", "/srv/x/x/y");
	MISSES("/srv/**/x/y", "/srv/x/x/z/y");
}

static void charter_match_access_is_union_of_covering_rules(struct kunit *test)
{
	struct charter_path_rule rules[] = {
		rule(test, "/srv", CHARTER_ACCESS_READ),
		rule(test, "/srv/app/data", CHARTER_ACCESS_WRITE),
		rule(test, "/srv/**/*.sh", CHARTER_ACCESS_EXECUTE),
		rule(test, "/tmp", CHARTER_ACCESS_ALL),
	};

	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 4, "/srv/x"),
			CHARTER_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 4, "/srv/app/data/f"),
			CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 4, "/srv/bin/run.sh"),
			CHARTER_ACCESS_READ | CHARTER_ACCESS_EXECUTE);
	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 4, "/tmp"),
			CHARTER_ACCESS_ALL);
	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 4, "/etc/passwd"), 0);
	KUNIT_EXPECT_EQ(test, charter_rules_access(rules, 0, "/srv/x"), 0);
}

static bool reaches(struct kunit *test, const char *pattern, const char *dir)
{
	struct charter_path_rule r = rule(test, pattern, CHARTER_ACCESS_READ);

	return charter_pattern_reaches(&r, dir);
}

#define REACHES(pat, dir) KUNIT_EXPECT_TRUE_MSG(test, reaches(test, pat, dir), \
						"%s should reach into %s", pat, dir)
#define NEVER_REACHES(pat, dir) \
	KUNIT_EXPECT_FALSE_MSG(test, reaches(test, pat, dir), \
			       "%s should not reach into %s", pat, dir)

static void charter_match_reach_plain(struct kunit *test)
{
	/* Covering the directory, or an ancestor of it. */
	REACHES("/srv/app", "/srv/app");
	REACHES("/srv/app", "/srv/app/x/y");
	REACHES("/", "/");
	REACHES("/", "/srv/app");
	/* A rule for something beneath the directory. */
	REACHES("/srv/app", "/srv");
	REACHES("/srv/app", "/");
	REACHES("/srv/app/data/keys", "/srv/app");
	/* Elsewhere, and on component boundaries. */
	NEVER_REACHES("/srv/app", "/srv/apple");
	NEVER_REACHES("/srv/app", "/srv/ap");
	NEVER_REACHES("/srv/app", "/etc");
	NEVER_REACHES("/srv/app/data", "/srv/app/dat");
	NEVER_REACHES("/srv/app/data/keys", "/srv/app/other");
	/* A directory that cannot be named has nothing to reach. */
	NEVER_REACHES("/", "pipe:[1]");
	NEVER_REACHES("/**", "");
}

static void charter_match_reach_globs(struct kunit *test)
{
	/* The case: a read glob under a write-only tree. */
	REACHES("/t/shared/**/*.txt", "/t/shared/d");
	REACHES("/t/shared/**/*.txt", "/t/shared/d/e/f");
	REACHES("/t/shared/**/*.txt", "/t/shared");
	REACHES("/t/shared/**/*.txt", "/t");
	NEVER_REACHES("/t/shared/**/*.txt", "/t/drop/d");
	NEVER_REACHES("/t/shared/**/*.txt", "/t/shared2");
	/* "*" and "?" take exactly one component, which must match. */
	REACHES("/home/*/public", "/home");
	REACHES("/home/*/public", "/home/alice");
	REACHES("/home/*/public", "/home/alice/public");
	REACHES("/home/*/public", "/home/alice/public/www");
	NEVER_REACHES("/home/*/public", "/home/alice/private");
	NEVER_REACHES("/home/*/public", "/home/alice/x/public");
	NEVER_REACHES("/home/*/public", "/srv/alice");
	REACHES("/etc/*.conf", "/etc");
	REACHES("/etc/*.conf", "/etc/a.conf");
	NEVER_REACHES("/etc/*.conf", "/etc/conf.d");
	REACHES("/dev/tty?", "/dev/tty1");
	NEVER_REACHES("/dev/tty?", "/dev/tty");
	NEVER_REACHES("/dev/tty?", "/dev/tty10");
	/* "**" takes whatever is left of the directory, then more. */
	REACHES("/**", "/a/b/c");
	REACHES("/**/secret", "/a/b/c");
	REACHES("/srv/**/x/**/y", "/srv/q/r/s");
	REACHES("/srv/*/**/k", "/srv/a/b/c");
	NEVER_REACHES("/srv/*/**/k", "/opt/a/b/c");
	NEVER_REACHES("/srv/a?/**", "/srv/abc/d");
	/* The pattern's end before the directory's: an ancestor covered. */
	REACHES("/srv/*", "/srv/a/b/c");
	NEVER_REACHES("/srv/*.d", "/srv/a/b/c");
}

/*
 * Soundness, checked by brute force: whenever a rule covers some path
 * beneath a directory (made of names likely to match), the rule reaches
 * the directory. The move check relies on exactly this.
 */
static void charter_match_reach_bounds_every_descendant(struct kunit *test)
{
	static const char *const patterns[] = {
		"/", "/srv", "/srv/app", "/srv/app/**", "/srv/**/*.txt",
		"/srv/*/x", "/srv/*/x/**/y", "/**/secret", "/srv/a?", "/*",
		"/srv/app/*.conf", "/srv/**/x/y", "/**", "/x/*/*/y",
	};
	static const char *const dirs[] = {
		"/", "/srv", "/srv/app", "/srv/ab", "/srv/x", "/srv/app/x",
		"/etc", "/srv/abc", "/x/y", "/srv/app/x/y", "/x",
	};
	static const char *const names[] = {
		"app", "x", "y", "a.txt", "secret", "ab", "b.conf", "srv", "z",
	};
	char *path = kunit_kzalloc(test, PATH_MAX, GFP_KERNEL);
	size_t p, d, i, j, k;

	KUNIT_ASSERT_NOT_NULL(test, path);
	for (p = 0; p < ARRAY_SIZE(patterns); p++) {
		struct charter_path_rule r = rule(test, patterns[p],
						  CHARTER_ACCESS_READ);

		for (d = 0; d < ARRAY_SIZE(dirs); d++) {
			const char *dir = strcmp(dirs[d], "/") ? dirs[d] : "";
			bool covered = charter_pattern_covers(&r, dirs[d]);

			for (i = 0; i < ARRAY_SIZE(names); i++)
				for (j = 0; j < ARRAY_SIZE(names); j++)
					for (k = 0; k < ARRAY_SIZE(names); k++) {
						snprintf(path, PATH_MAX, "%s/%s/%s/%s",
							 dir, names[i], names[j], names[k]);
						covered |= charter_pattern_covers(&r, path);
						snprintf(path, PATH_MAX, "%s/%s", dir, names[i]);
						covered |= charter_pattern_covers(&r, path);
					}
			if (covered)
				KUNIT_EXPECT_TRUE_MSG(test, charter_pattern_reaches(&r, dirs[d]),
						      "%s covers a path beneath %s",
						      patterns[p], dirs[d]);
		}
	}
}

static bool alike(struct kunit *test, const char *pattern, const char *from,
		  const char *to)
{
	struct charter_path_rule r = rule(test, pattern, CHARTER_ACCESS_READ);

	return charter_pattern_alike_beneath(&r, from, to);
}

#define ALIKE(pat, a, b) KUNIT_EXPECT_TRUE_MSG(test, alike(test, pat, a, b), \
					       "%s alike beneath %s and %s", pat, a, b)
#define UNLIKE(pat, a, b) KUNIT_EXPECT_FALSE_MSG(test, alike(test, pat, a, b), \
						 "%s not alike beneath %s and %s", pat, a, b)

static void charter_match_alike_beneath(struct kunit *test)
{
	/* A "**" then one component: only the last name counts. */
	ALIKE("/s/**/*.sh", "/s/a", "/s/b");
	ALIKE("/s/**/*.sh", "/s/a", "/s/b/c/d");
	ALIKE("/s/**/*.sh", "/s", "/s/b");
	ALIKE("/h/*/**/key", "/h/alice/x", "/h/bob/y/z");
	/* Ended at the same component: the rest meets the same names. */
	ALIKE("/s/*/public", "/s/a", "/s/b");
	ALIKE("/s/*/p/**/q/r", "/s/a", "/s/b");
	ALIKE("/s/x/y", "/s/x", "/s/x");
	/* Ended at different components. */
	UNLIKE("/s/*/public", "/s", "/s/b");
	UNLIKE("/s/x/y", "/s", "/s/x");
	/* Reached by one only. */
	UNLIKE("/t/shared/**/*.txt", "/t/drop/d", "/t/shared/d");
	UNLIKE("/s/*.d/x", "/s/a", "/s/b.d");
	/* More than one component after "**": names above y count. */
	UNLIKE("/s/**/logs/*.log", "/s/a", "/s/logs");
	UNLIKE("/s/**/logs/**", "/s/a", "/s/b");
	/* Covering both is no case of this (the caller counts it). */
	UNLIKE("/s", "/s/a", "/s/b");
	UNLIKE("/s/**", "/s/a", "/s/b");
	UNLIKE("/s/**/*.sh", "pipe:[1]", "/s/b");
	UNLIKE("/s/**/*.sh", "/s/a", "");
}

/*
 * What makes it safe, by brute force: whenever the rule matches to/y it
 * matches from/y, for paths y made of names likely to match.
 */
static void charter_match_alike_is_exact(struct kunit *test)
{
	static const char *const patterns[] = {
		"/s/**/*.sh", "/s/*/public", "/s/*/p/**/q/r", "/s/x/y",
		"/h/*/**/key", "/s/a?/**/x", "/s/**/x/y", "/s/*",
	};
	static const char *const dirs[] = {
		"/s", "/s/a", "/s/b", "/s/a/p", "/s/b/p", "/s/x", "/h/al/x",
		"/h/bo", "/s/ab", "/s/ac/x",
	};
	static const char *const names[] = {
		"a.sh", "public", "p", "q", "r", "key", "x", "y", "z",
	};
	char *a = kunit_kzalloc(test, PATH_MAX, GFP_KERNEL);
	char *b = kunit_kzalloc(test, PATH_MAX, GFP_KERNEL);
	size_t p, f, t, i, j, checked = 0;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (p = 0; p < ARRAY_SIZE(patterns); p++) {
		struct charter_path_rule r = rule(test, patterns[p],
						  CHARTER_ACCESS_READ);

		for (f = 0; f < ARRAY_SIZE(dirs); f++)
			for (t = 0; t < ARRAY_SIZE(dirs); t++) {
				/* What covers the new place is counted apart. */
				if (!charter_pattern_alike_beneath(&r, dirs[f], dirs[t]) ||
				    charter_pattern_covers(&r, dirs[t]))
					continue;
				checked++;
				for (i = 0; i < ARRAY_SIZE(names); i++)
					for (j = 0; j < ARRAY_SIZE(names); j++) {
						snprintf(a, PATH_MAX, "%s/%s/%s", dirs[f],
							 names[i], names[j]);
						snprintf(b, PATH_MAX, "%s/%s/%s", dirs[t],
							 names[i], names[j]);
						KUNIT_EXPECT_EQ_MSG(test,
								    charter_pattern_covers(&r, a),
								    charter_pattern_covers(&r, b) ||
								    charter_pattern_covers(&r, a),
								    "%s: %s vs %s", patterns[p], a, b);
						snprintf(a, PATH_MAX, "%s/%s", dirs[f], names[i]);
						snprintf(b, PATH_MAX, "%s/%s", dirs[t], names[i]);
						KUNIT_EXPECT_EQ_MSG(test,
								    charter_pattern_covers(&r, a),
								    charter_pattern_covers(&r, b) ||
								    charter_pattern_covers(&r, a),
								    "%s: %s vs %s", patterns[p], a, b);
					}
			}
	}
	KUNIT_EXPECT_GT(test, checked, (size_t)20);
}

static void charter_match_move_bound(struct kunit *test)
{
	struct charter_path_rule rules[] = {
		rule(test, "/t/drop/**", CHARTER_ACCESS_WRITE),
		rule(test, "/t/shared/**", CHARTER_ACCESS_WRITE),
		rule(test, "/t/shared/**/*.txt", CHARTER_ACCESS_READ),
		rule(test, "/t/bin/*/run", CHARTER_ACCESS_EXECUTE),
	};
	u32 w = CHARTER_ACCESS_WRITE, r = CHARTER_ACCESS_READ;
	u32 x = CHARTER_ACCESS_EXECUTE;

	/* From elsewhere, or from nowhere: every rule reaching the tree. */
	KUNIT_EXPECT_EQ(test, charter_rules_move_bound(rules, 4, "/t/drop/d", "/t/shared/d"),
			w | r);
	KUNIT_EXPECT_EQ(test, charter_rules_move_bound(rules, 4, NULL, "/t/shared/d"), w | r);
	KUNIT_EXPECT_EQ(test, charter_rules_move_bound(rules, 4, NULL, "/t"), w | r | x);
	KUNIT_EXPECT_EQ(test, charter_rules_move_bound(rules, 4, NULL, "/t/other"), 0u);
	KUNIT_EXPECT_EQ(test, charter_rules_move_bound(rules, 4, "/t/shared/d", "/t/drop/d"), w);
	/* Within shared the glob matches alike: only what covers counts. */
	KUNIT_EXPECT_EQ(test, charter_rules_move_bound(rules, 4, "/t/shared/d", "/t/shared/e/f"),
			w);
	/* A directory whose own name the glob matches is covered by it. */
	KUNIT_EXPECT_EQ(test, charter_rules_move_bound(rules, 4, "/t/shared/d", "/t/shared/e.txt"),
			w | r);
	KUNIT_EXPECT_EQ(test, charter_rules_move_bound(rules, 4, "/t/bin/a", "/t/bin/b"), 0u);
	KUNIT_EXPECT_EQ(test, charter_rules_move_bound(rules, 4, "/t/drop/a", "/t/bin/b"), x);
	KUNIT_EXPECT_EQ(test, charter_rules_move_bound(rules, 0, NULL, "/t"), 0u);
}

static void charter_match_network(struct kunit *test)
{
	static const struct charter_net_rule rules[] = {
		{ .family = CHARTER_FAMILY_INET, .prefix = 8, .addr = { 127 },
		  .direction = CHARTER_NET_OUTBOUND, .protocol = CHARTER_PROTO_TCP,
		  .port_min = 9000, .port_max = 9099 },
		{ .family = CHARTER_FAMILY_INET6, .prefix = 128, .addr = { [15] = 1 },
		  .direction = CHARTER_NET_INBOUND, .protocol = CHARTER_PROTO_UDP,
		  .port_min = 53, .port_max = 53 },
		{ .family = CHARTER_FAMILY_INET, .prefix = 20,
		  .addr = { 10, 1, 0x10 }, .direction = CHARTER_NET_OUTBOUND,
		  .protocol = CHARTER_PROTO_UDP, .port_min = 0, .port_max = 65535 },
	};
	struct charter_endpoint ep = { .family = CHARTER_FAMILY_INET,
				       .protocol = CHARTER_PROTO_TCP,
				       .port = 9000, .addr = { 127, 0, 0, 1 } };
	u8 out = CHARTER_NET_OUTBOUND, in = CHARTER_NET_INBOUND;

	KUNIT_EXPECT_TRUE(test, charter_net_allows(rules, 3, out, &ep));
	KUNIT_EXPECT_FALSE(test, charter_net_allows(rules, 3, in, &ep));
	ep.port = 9099;
	KUNIT_EXPECT_TRUE(test, charter_net_allows(rules, 3, out, &ep));
	ep.port = 9100;
	KUNIT_EXPECT_FALSE(test, charter_net_allows(rules, 3, out, &ep));
	ep.port = 8999;
	KUNIT_EXPECT_FALSE(test, charter_net_allows(rules, 3, out, &ep));
	ep.port = 9000;
	ep.addr[0] = 128;
	KUNIT_EXPECT_FALSE(test, charter_net_allows(rules, 3, out, &ep));
	ep.protocol = CHARTER_PROTO_UDP;
	ep.addr[0] = 127;
	KUNIT_EXPECT_FALSE(test, charter_net_allows(rules, 3, out, &ep));
	/* A /20: the third byte's top four bits count, the rest not. */
	ep.addr[0] = 10;
	ep.addr[1] = 1;
	ep.addr[2] = 0x1f;
	KUNIT_EXPECT_TRUE(test, charter_net_allows(rules, 3, out, &ep));
	ep.addr[2] = 0x20;
	KUNIT_EXPECT_FALSE(test, charter_net_allows(rules, 3, out, &ep));
	/* IPv6: family must agree. */
	memset(ep.addr, 0, sizeof(ep.addr));
	ep.addr[15] = 1;
	ep.port = 53;
	KUNIT_EXPECT_FALSE(test, charter_net_allows(rules, 3, in, &ep));
	ep.family = CHARTER_FAMILY_INET6;
	KUNIT_EXPECT_TRUE(test, charter_net_allows(rules, 3, in, &ep));
	ep.protocol = 0;	/* neither tcp nor udp: no rule */
	KUNIT_EXPECT_FALSE(test, charter_net_allows(rules, 3, in, &ep));
}

/* A service's port: inbound rules by protocol and port, any address. */
static void charter_match_service_port(struct kunit *test)
{
	static const struct charter_net_rule rules[] = {
		{ .family = CHARTER_FAMILY_INET, .prefix = 32,
		  .addr = { 127, 0, 0, 1 }, .direction = CHARTER_NET_INBOUND,
		  .protocol = CHARTER_PROTO_TCP, .port_min = 8080,
		  .port_max = 8080 },
		{ .family = CHARTER_FAMILY_INET6, .prefix = 128,
		  .addr = { [15] = 1 }, .direction = CHARTER_NET_OUTBOUND,
		  .protocol = CHARTER_PROTO_UDP, .port_min = 53,
		  .port_max = 53 },
		{ .family = CHARTER_FAMILY_ANY, .direction = CHARTER_NET_INBOUND,
		  .protocol = CHARTER_PROTO_UDP, .port_min = 5000,
		  .port_max = 5009 },
	};
	u8 tcp = CHARTER_PROTO_TCP, udp = CHARTER_PROTO_UDP;

	KUNIT_EXPECT_TRUE(test, charter_net_allows_port(rules, 3, tcp, 8080));
	KUNIT_EXPECT_FALSE(test, charter_net_allows_port(rules, 3, tcp, 8081));
	KUNIT_EXPECT_FALSE(test, charter_net_allows_port(rules, 3, udp, 8080));
	/* An outbound rule offers no service. */
	KUNIT_EXPECT_FALSE(test, charter_net_allows_port(rules, 3, udp, 53));
	KUNIT_EXPECT_TRUE(test, charter_net_allows_port(rules, 3, udp, 5000));
	KUNIT_EXPECT_TRUE(test, charter_net_allows_port(rules, 3, udp, 5009));
	KUNIT_EXPECT_FALSE(test, charter_net_allows_port(rules, 3, udp, 5010));
	KUNIT_EXPECT_FALSE(test, charter_net_allows_port(rules, 3, tcp, 5000));
	KUNIT_EXPECT_FALSE(test, charter_net_allows_port(rules, 3, 0, 8080));
}

static struct kunit_case charter_match_cases[] = {
	KUNIT_CASE(charter_match_network),
	KUNIT_CASE(charter_match_service_port),
	KUNIT_CASE(charter_match_prefix_lengths),
	KUNIT_CASE(charter_match_bad_patterns_refused),
	KUNIT_CASE(charter_match_dir_covers_itself_and_below),
	KUNIT_CASE(charter_match_component_boundary),
	KUNIT_CASE(charter_match_root_covers_every_absolute_path),
	KUNIT_CASE(charter_match_star_is_one_component),
	KUNIT_CASE(charter_match_question_mark_is_one_char),
	KUNIT_CASE(charter_match_double_star_any_depth),
	KUNIT_CASE(charter_match_access_is_union_of_covering_rules),
	KUNIT_CASE(charter_match_reach_plain),
	KUNIT_CASE(charter_match_reach_globs),
	KUNIT_CASE(charter_match_reach_bounds_every_descendant),
	KUNIT_CASE(charter_match_alike_beneath),
	KUNIT_CASE(charter_match_alike_is_exact),
	KUNIT_CASE(charter_match_move_bound),
	{}
};

static struct kunit_suite charter_match_suite = {
	.name = "charter_match",
	.test_cases = charter_match_cases,
};

kunit_test_suite(charter_match_suite);
