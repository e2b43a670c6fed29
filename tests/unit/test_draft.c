// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: charter learn's draft (userspace/draft.c): every folding
 * rule in the comment at the top of draft.c, the matcher against the
 * kernel's cases, and draft_write()'s text read back by the manifest
 * parser, which must accept it and find the same rules.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "blocks.h"
#include "draft.h"
#include "manifest.h"
#include "uapi/charter.h"

#define R CHARTER_ACCESS_READ
#define W CHARTER_ACCESS_WRITE
#define X CHARTER_ACCESS_EXECUTE
#define RW (R | W)

/* The shipped blocks (blocks/ of this tree), for use: in drafts. */
#define BLOCKS_DIR FIXTURES "/../../blocks"

/* ---- helpers ------------------------------------------------------------ */

/* The paths the test's "file system" has as directories (NULL-ended). */
static const char *const *test_dirs;

static int test_is_dir(const char *path)
{
	for (size_t i = 0; test_dirs && test_dirs[i]; i++)
		if (!strcmp(test_dirs[i], path))
			return 1;
	return 0;
}

static struct draft_options options(void)
{
	test_dirs = NULL;
	return (struct draft_options){ .name = "app", .run = "/opt/app/bin/app",
				       .command = "app --serve", .is_dir = test_is_dir };
}

static struct draft_access file(const char *path, uint32_t access)
{
	return (struct draft_access){ .kind = CHARTER_LEARN_FILE, .path = path,
				      .access = access };
}

static struct draft_access net4(uint8_t kind, uint8_t direction, uint8_t protocol,
				const char *addr, uint16_t port)
{
	struct draft_access a = { .kind = kind, .direction = direction, .protocol = protocol,
				  .port = port };

	a.addr_len = strchr(addr, ':') ? 16 : 4;
	assert_int_equal(inet_pton(a.addr_len == 4 ? AF_INET : AF_INET6, addr, a.addr), 1);
	return a;
}

#define OUT(proto, addr, port) \
	net4(CHARTER_LEARN_NET, CHARTER_NET_OUTBOUND, CHARTER_PROTO_##proto, addr, port)
#define IN(proto, addr, port) \
	net4(CHARTER_LEARN_NET, CHARTER_NET_INBOUND, CHARTER_PROTO_##proto, addr, port)
#define BIND(proto, addr, port) \
	net4(CHARTER_LEARN_SERVICE, CHARTER_NET_INBOUND, CHARTER_PROTO_##proto, addr, port)

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void fold(const struct draft_access *a, size_t n, const struct draft_options *o,
		 struct draft *d)
{
	assert_int_equal(draft_fold(a, n, o, d), 0);
}

static const struct draft_rule *rule_of(const struct draft *d, const char *pattern)
{
	for (size_t i = 0; i < d->rule_count; i++)
		if (!strcmp(d->rules[i].pattern, pattern))
			return &d->rules[i];
	return NULL;
}

/* The draft's rules are exactly @want (NULL-ended), with these rights. */
static void expect_rules(const struct draft *d, const char *const *want, const uint32_t *access)
{
	size_t n = 0;

	for (; want[n]; n++) {
		const struct draft_rule *r = rule_of(d, want[n]);

		if (!r)
			fail_msg("no rule '%s'", want[n]);
		if (access)
			assert_int_equal(r->access, access[n]);
	}
	if (d->rule_count != n) {
		for (size_t i = 0; i < d->rule_count; i++)
			print_message("rule: %s\n", d->rules[i].pattern);
		fail_msg("%zu rules, expected %zu", d->rule_count, n);
	}
}

static int has_note(const struct draft *d, const char *needle)
{
	for (size_t i = 0; i < d->note_count; i++)
		if (strstr(d->notes[i], needle))
			return 1;
	return 0;
}

static char *written(const struct draft *d, const struct draft_options *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	draft_write(f, d, o);
	assert_int_equal(fclose(f), 0);
	return text;
}

static const char *const shipped_dirs[] = { BLOCKS_DIR };
static const struct block_search shipped = { .dirs = shipped_dirs, .dir_count = 1,
					     .no_defaults = 1 };

/* Parse @text as a manifest: it must parse, without one complaint. */
static void parse(const char *text, struct manifest *m)
{
	struct manifest_source src = { .file = "(draft)", .dir = "/",
				       .mounts = "/proc/self/mounts", .blocks = &shipped };
	struct diag dg = { 0 };
	int ret;

	memset(m, 0, sizeof(*m));
	ret = manifest_parse(&src, (const unsigned char *)text, strlen(text), m, &dg);
	for (size_t i = 0; i < dg.count; i++)
		print_message("%s\n", dg.msgs[i]);
	if (ret)
		print_message("the draft:\n%s", text);
	assert_int_equal(ret, 0);
	diag_free(&dg);
}

/*
 * draft_write()'s text parses, and holds the draft's path rules (the
 * blocks' rules come from use:), network rules and devices.
 */
static void expect_written(const struct draft *d, const struct draft_options *o)
{
	char *text = written(d, o);
	struct manifest m;
	size_t own = 0;

	parse(text, &m);
	assert_string_equal(m.name, o->name);
	for (size_t i = 0; i < m.path_count; i++) {
		const struct draft_rule *r;

		if (m.paths[i].block)
			continue;
		own++;
		r = rule_of(d, m.paths[i].pattern);
		if (!r)
			fail_msg("'%s' written, not in the draft", m.paths[i].pattern);
		assert_int_equal(m.paths[i].access, r->access);
	}
	assert_int_equal(own, d->rule_count);
	own = 0;
	for (size_t i = 0; i < m.net_count; i++)
		own += !m.nets[i].block;
	assert_int_equal(own, d->net_count);
	assert_int_equal(m.use_count, d->use_count);
	for (size_t i = 0; i < d->use_count; i++)
		assert_string_equal(m.uses[i].name, d->uses[i]);
	assert_int_equal(m.devices & d->devices, d->devices);
	manifest_free(&m);
	free(text);
}

/* ---- 1. generated names ------------------------------------------------- */

static void glob_component_table(void **state)
{
	static const struct { const char *name, *glob; } cases[] = {
		/* pids and numbers */
		{ "12345", "*" },
		{ "1", "*" },
		{ "app.4242.lock", "app.*.lock" },
		/* mkstemp's and mktemp's XXXXXX */
		{ "app-a8Fk2Q", "app-*" },
		{ "tmp.k3Jd9Q", "tmp.*" },
		{ "sess_9f8e7d", "sess_*" },
		/* hex hashes */
		{ "5d41402abc4b2a76b9719d911017c592", "*" },
		{ "cache-3f2a9c1b.bin", "cache-*.bin" },
		/* timestamps */
		{ "log-20240101.txt", "log-*.txt" },
		{ "1700000000.json", "*.json" },
		{ "backup-2024-01-31", "backup-*-01-31" },
		/* names that only look a little generated: kept */
		{ "python3.11", "python3.11" },
		{ "libc.so.6", "libc.so.6" },
		{ "x86_64-linux-gnu", "x86_64-linux-gnu" },
		{ "libstdc++.so.6.0.30", "libstdc++.so.6.0.30" },
		{ "ld-linux-x86-64.so.2", "ld-linux-x86-64.so.2" },
		{ "sha256sum", "sha256sum" },
		{ "en_US.UTF-8", "en_US.UTF-8" },
		{ "lib64", "lib64" },
		{ "i686", "i686" },
		{ "v1.2.3", "v1.2.3" },
		{ "index.html", "index.html" },
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		char *g = draft_glob_component(cases[i].name);

		assert_non_null(g);
		if (strcmp(g, cases[i].glob))
			fail_msg("'%s' -> '%s', expected '%s'", cases[i].name, g, cases[i].glob);
		free(g);
	}
}

static void glob_never_first_component(void **state)
{
	const struct draft_access a[] = {
		file("/12345/data", R),
		file("/proc/4242/status", R),
		file("/5d41402abc4b2a76b9719d911017c592", R),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/12345/data", "/proc/*/status",
					   "/5d41402abc4b2a76b9719d911017c592", NULL }, NULL);
	expect_written(&d, &o);
	draft_free(&d);
}

/* Two mkstemp names in /tmp (shared: no folding) are one glob rule. */
static void glob_names_join(void **state)
{
	const struct draft_access a[] = {
		file("/tmp/app-a8Fk2Q", RW),
		file("/tmp/app-Zq9x1B", R),
		file("/var/tmp/app.4242/sock", W),
	};
	struct draft_options o = options();
	struct draft d;
	const struct draft_rule *r;

	(void)state;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/tmp/app-*", "/var/tmp/app.*/sock", NULL },
		     (const uint32_t[]){ RW, W });
	r = rule_of(&d, "/tmp/app-*");
	assert_int_equal(r->uses, 2);
	expect_written(&d, &o);
	draft_free(&d);
}

/* ---- draft_pattern_covers(): the kernel's semantics ------------------------- */

struct cover_case {
	const char *pattern, *path;
	int covers;
};

static void pattern_covers_as_kernel(void **state)
{
	/* kmod/tests/match_test.c's cases, and manifest.rst "Path patterns". */
	static const struct cover_case cases[] = {
		{ "/srv/app", "/srv/app", 1 },
		{ "/srv/app", "/srv/app/x", 1 },
		{ "/srv/app", "/srv/app/a/b/c", 1 },
		{ "/srv/app/**", "/srv/app", 1 },
		{ "/srv/app/**", "/srv/app/a/b/c", 1 },
		{ "/srv/app", "/srv/apple", 0 },
		{ "/srv/app", "/srv/ap", 0 },
		{ "/srv/app", "/srv", 0 },
		{ "/srv/app", "/", 0 },
		{ "/srv/app", "/other/srv/app", 0 },
		{ "/srv/app/**", "/srv/apple/x", 0 },
		{ "/srv/*/data", "/srv/a/database", 0 },
		{ "/", "/", 1 },
		{ "/", "/etc/passwd", 1 },
		{ "/**", "/etc/passwd", 1 },
		{ "/", "pipe:[123]", 0 },
		{ "/**", "anon_inode:[eventfd]", 0 },
		{ "/", "", 0 },
		{ "srv", "/srv", 0 },
		{ "/home/*/public", "/home/alice/public", 1 },
		{ "/home/*/public", "/home/alice/public/index.html", 1 },
		{ "/home/*/public", "/home/alice/x/public", 0 },
		{ "/home/*/public", "/home/public", 0 },
		{ "/etc/*.conf", "/etc/resolv.conf", 1 },
		{ "/etc/*.conf", "/etc/.conf", 1 },
		{ "/etc/*.conf", "/etc/resolv.conf.bak", 0 },
		{ "/etc/*.conf", "/etc/conf", 0 },
		{ "/var/log/app-*-*.log", "/var/log/app-1-2.log", 1 },
		{ "/var/log/app-*-*.log", "/var/log/app-1.log", 0 },
		{ "/dev/tty?", "/dev/tty1", 1 },
		{ "/dev/tty?", "/dev/tty", 0 },
		{ "/dev/tty?", "/dev/tty10", 0 },
		{ "/a?b", "/a/b", 0 },
		{ "/srv/**/*.log", "/srv/a.log", 1 },
		{ "/srv/**/*.log", "/srv/x/y/z/a.log", 1 },
		{ "/srv/**/*.log", "/srv/x/y/a.txt", 0 },
		{ "/srv/**/*.log", "/srv", 0 },
		{ "/**/secret", "/a/b/secret/key", 1 },
		{ "/srv/**/x/**/y", "/srv/x/y", 1 },
		{ "/srv/**/x/**/y", "/srv/a/x/b/c/y/z", 1 },
		{ "/srv/**/x/**/y", "/srv/a/x/b/c/z", 0 },
		{ "/srv/**/x/y", "/srv/x/x/y", 1 },
		{ "/srv/**/x/y", "/srv/x/x/z/y", 0 },
		/* '*' never crosses '/', but a match covers what is beneath. */
		{ "/srv/a*c", "/srv/a/c", 0 },
		{ "/srv/*", "/srv/a/b", 1 },
		{ "/tmp/app-*", "/tmp/app-a8Fk2Q/sub", 1 },
		{ "/tmp/app-*", "/tmp/app", 0 },
		{ "/proc/*/status", "/proc/1/status", 1 },
		{ "/proc/*/status", "/proc/1/task/1/status", 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		if (draft_pattern_covers(cases[i].pattern, cases[i].path) != cases[i].covers)
			fail_msg("'%s' %s '%s'", cases[i].pattern,
				 cases[i].covers ? "should cover" : "should not cover",
				 cases[i].path);
}

/* ---- 3. folding files into directories ---------------------------------- */

static void two_files_fold(void **state)
{
	const struct draft_access a[] = {
		file("/srv/app/a.conf", R),
		file("/srv/app/b.log", W),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/srv/app", NULL }, (const uint32_t[]){ RW });
	assert_int_equal(d.rules[0].uses, 2);
	assert_true(d.rules[0].folded);
	expect_written(&d, &o);
	draft_free(&d);
}

static void one_file_stays(void **state)
{
	const struct draft_access a[] = { file("/srv/app/a.conf", R) };
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/srv/app/a.conf", NULL }, (const uint32_t[]){ R });
	expect_written(&d, &o);
	draft_free(&d);
}

/* The same path recorded twice (the kernel would not, --append may): one. */
static void same_file_twice_is_one(void **state)
{
	const struct draft_access a[] = { file("/srv/app/a", R), file("/srv/app/a", X) };
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/srv/app/a", NULL },
		     (const uint32_t[]){ R | X });
	draft_free(&d);
}

/* A listed directory takes what is beneath it, however deep. */
static void listed_directory_takes_beneath(void **state)
{
	static const char *const dirs[] = { "/srv/app/www", NULL };
	const struct draft_access a[] = {
		file("/srv/app/www", R),
		file("/srv/app/www/css/site/main.css", R),
		file("/srv/app/www/index.html", R),
		file("/srv/app/app.conf", R),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	test_dirs = dirs;
	fold(a, N(a), &o, &d);
	/* app.conf alone in /srv/app, with a directory: no fold into /srv/app. */
	expect_rules(&d, (const char *[]){ "/srv/app/www", "/srv/app/app.conf", NULL },
		     (const uint32_t[]){ R, R });
	assert_true(rule_of(&d, "/srv/app/www")->dir);
	expect_written(&d, &o);
	draft_free(&d);
}

/* A listed directory with one file beneath: still the directory. */
static void listed_directory_with_one_file(void **state)
{
	static const char *const dirs[] = { "/srv/app/data", NULL };
	const struct draft_access a[] = {
		file("/srv/app/data/db", RW),
		file("/srv/app/data", R),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	test_dirs = dirs;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/srv/app/data", NULL }, (const uint32_t[]){ RW });
	draft_free(&d);
}

/* Folded (and listed) directories are not files: the parent stays out. */
static void folded_dirs_do_not_fold_parent(void **state)
{
	static const char *const dirs[] = { "/srv/app/conf", NULL };
	const struct draft_access a[] = {
		file("/srv/app/www/a.html", R),
		file("/srv/app/www/b.html", R),
		file("/srv/app/data/x.db", RW),
		file("/srv/app/data/y.db", RW),
		file("/srv/app/conf", R),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	test_dirs = dirs;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/srv/app/www", "/srv/app/data", "/srv/app/conf",
					   NULL }, (const uint32_t[]){ R, RW, R });
	assert_null(rule_of(&d, "/srv/app"));
	expect_written(&d, &o);
	draft_free(&d);
}

/* Two files in a directory and two in the directory above: upwards. */
static void folding_goes_upwards(void **state)
{
	const struct draft_access a[] = {
		file("/srv/app/www/a.html", R),
		file("/srv/app/www/b.html", R),
		file("/srv/app/x", R),
		file("/srv/app/y", W),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/srv/app", NULL }, (const uint32_t[]){ RW });
	assert_int_equal(d.rules[0].uses, 4);
	draft_free(&d);
}

static void shared_directories_never_folded(void **state)
{
	const struct draft_access a[] = {
		file("/a", R), file("/b", R),
		file("/etc/a.conf", R), file("/etc/b.conf", R),
		file("/tmp/one", RW), file("/tmp/two", RW),
		file("/usr/share/a", R), file("/usr/share/b", R),
		file("/usr/lib/libx.so.1", R), file("/usr/lib/liby.so.2", R),
		file("/home/alice/.profile", R), file("/home/alice/.bashrc", R),
		file("/var/lib/a", R), file("/var/lib/b", R),
		file("/var/log/a", W), file("/var/log/b", W),
		file("/run/user/1000/bus", RW), file("/run/user/1000/pulse", RW),
		file("/dev/shm/a", RW), file("/dev/shm/b", RW),
		file("/etc/systemd/a", R), file("/etc/systemd/b", R),
	};
	const char *const want[] = {
		"/a", "/b", "/etc/a.conf", "/etc/b.conf", "/tmp/one", "/tmp/two",
		"/usr/share/a", "/usr/share/b", "/usr/lib/libx.so.1", "/usr/lib/liby.so.2",
		"/home/alice/.profile", "/home/alice/.bashrc", "/var/lib/a", "/var/lib/b",
		"/var/log/a", "/var/log/b", "/run/user/*/bus", "/run/user/*/pulse",
		"/dev/shm/a", "/dev/shm/b", "/etc/systemd/a", "/etc/systemd/b", NULL,
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	expect_rules(&d, want, NULL);
	expect_written(&d, &o);
	draft_free(&d);
}

/* One level below a shared directory is a program's own: it folds. */
static void below_shared_directories_fold(void **state)
{
	const struct draft_access a[] = {
		file("/usr/share/app/a", R), file("/usr/share/app/b", R),
		file("/home/alice/proj/a.c", R), file("/home/alice/proj/b.c", R),
		file("/var/lib/app/state", RW), file("/var/lib/app/lock", RW),
		file("/etc/app/a.conf", R), file("/etc/app/b.conf", R),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/usr/share/app", "/home/alice/proj",
					   "/var/lib/app", "/etc/app", NULL },
		     (const uint32_t[]){ R, R, RW, R });
	expect_written(&d, &o);
	draft_free(&d);
}

/* A listed shared directory: no rule, a note; what is inside is kept. */
static void listed_shared_directory_is_a_note(void **state)
{
	static const char *const dirs[] = { "/", "/etc", "/tmp", "/usr/lib", "/home/alice",
					    "/var/lib", NULL };
	const struct draft_access a[] = {
		file("/", R), file("/etc", R), file("/tmp", R), file("/usr/lib", R),
		file("/home/alice", R), file("/var/lib", R),
		file("/etc/hostname", R),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	test_dirs = dirs;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/etc/hostname", NULL }, NULL);
	for (size_t i = 0; dirs[i]; i++) {
		char quoted[64];

		snprintf(quoted, sizeof(quoted), "directory '%s'", dirs[i]);
		if (!has_note(&d, quoted))
			fail_msg("no note for the listed '%s'", dirs[i]);
	}
	expect_written(&d, &o);
	draft_free(&d);
}

static void deleted_suffix_stripped(void **state)
{
	const struct draft_access a[] = {
		file("/srv/app/cache.db (deleted)", RW),
		file("/srv/data/x (deleted) y", R),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/srv/app/cache.db", "/srv/data/x (deleted) y",
					   NULL }, NULL);
	expect_written(&d, &o);
	draft_free(&d);
}

static void unwritable_paths_are_notes(void **state)
{
	const struct draft_access a[] = {
		file("/srv/app/a\nb", R),
		file("/srv/app/tab\there", R),
		file("/srv/app/back\\slash", R),
		file("/srv/app/$HOME", R),
		file("/srv/app/del\x7f", R),
		file("/~user/x", R),
		file("/srv/app/\xff\xfe", R),		/* not UTF-8 */
		file("/srv/app/over\xc0\xaflong", R),	/* an overlong '/' */
		file("/srv/app/nel\xc2\x85", R),		/* C1 NEL: a YAML line break */
		file("/srv/app/ls\xe2\x80\xa8", R),	/* U+2028: a YAML line break */
		file("/srv/app/ok", R),
		file("/srv/data/caf\xc3\xa9", R),		/* UTF-8: written as it is */
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	/* One writable file in /srv/app: the others neither fold nor count. */
	expect_rules(&d, (const char *[]){ "/srv/app/ok", "/srv/data/caf\xc3\xa9", NULL },
		     NULL);
	assert_int_equal(d.note_count, 10);
	assert_true(has_note(&d, "back\\slash"));
	assert_true(has_note(&d, "$HOME"));
	expect_written(&d, &o);
	draft_free(&d);
}

/*
 * The learned program names its files: a name that ends a comment line
 * must not write the rest of the line into the draft as YAML.
 */
static void file_name_cannot_inject_yaml(void **state)
{
	const struct draft_access a[] = {
		file("/tmp/x\nallowedDevices: [keyboard, camera]\n#", R),
	};
	struct draft_options o = options();
	struct draft d;
	struct manifest m;
	char *text;

	(void)state;
	fold(a, N(a), &o, &d);
	assert_int_equal(d.rule_count, 0);
	assert_int_equal(d.note_count, 1);
	text = written(&d, &o);
	parse(text, &m);
	assert_int_equal(m.devices, 0);
	manifest_free(&m);
	free(text);
	draft_free(&d);
}

/* A note may hold any byte the kernel named: the draft stays one comment. */
static void notes_cannot_inject_yaml(void **state)
{
	const struct draft_access a[] = {
		file("/srv/x\nallowedDevices: [keyboard]\nz", R),
		{ .kind = CHARTER_LEARN_DEVICE, .path = "/dev/odd\nrun: /bin/sh", .classes = 0 },
		{ .kind = CHARTER_LEARN_OPERATION, .operation = "mount\r\nbaseline: none" },
		file("/srv/y\xe2\x80\xa8" "allowedNetwork: [{name: all, direction: outbound, "
		     "ip: any, protocol: tcp}]", R),
		file("/srv/z\xc2\x85name: other", R),
		file("/srv/\xff", R),
	};
	struct draft_options o = options();
	struct draft d;
	struct manifest m;
	char *text;

	(void)state;
	fold(a, N(a), &o, &d);
	assert_int_equal(d.note_count, 6);
	assert_int_equal(d.rule_count, 0);
	o.command = "app \xff\n--x";
	text = written(&d, &o);
	parse(text, &m);
	assert_string_equal(m.name, "app");
	assert_int_equal(m.net_count, 0);
	assert_int_equal(m.path_count, 0);
	assert_int_equal(m.devices, 0);
	assert_string_equal(m.run, "/opt/app/bin/app");
	assert_true(m.baseline);
	manifest_free(&m);
	free(text);
	draft_free(&d);
}

static void covered_rules_dropped(void **state)
{
	const struct draft_access a[] = {
		file("/tmp/app-a8Fk2Q", RW),
		file("/tmp/app-Zq9x1B/sub", R),		/* under /tmp/app-*, less */
		file("/tmp/app-Zq9x1B/exe", X),		/* more: kept */
		file("/tmp/app-7Hq2mZ/sub", R),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/tmp/app-*", "/tmp/app-*/exe", NULL },
		     (const uint32_t[]){ RW, X });
	expect_written(&d, &o);
	draft_free(&d);
}

/* Not quadratic: 200,000 files of one directory fold in well under 2 s. */
static void many_files_fold_fast(void **state)
{
	const size_t n = 200000;
	struct draft_access *a = calloc(n, sizeof(*a));
	char *names = malloc(n * 32);
	struct draft_options o = options();
	struct timespec t0, t1;
	struct draft d;
	double s;

	(void)state;
	assert_non_null(a);
	assert_non_null(names);
	for (size_t i = 0; i < n; i++) {
		/* "page" + digits changes once: a literal name, each its own. */
		snprintf(names + i * 32, 32, "/srv/many/page%zu.html", i);
		a[i] = file(names + i * 32, R);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fold(a, n, &o, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("folded %zu files in %.3f s\n", n, s);
	expect_rules(&d, (const char *[]){ "/srv/many", NULL }, NULL);
	assert_int_equal(d.rules[0].uses, n);
	assert_true(s < 2.0);
	draft_free(&d);
	free(names);
	free(a);
}

/* In a shared directory nothing folds: 100,000 rules, still fast. */
static void many_files_in_shared_directory_fast(void **state)
{
	const size_t n = 100000;
	struct draft_access *a = calloc(n, sizeof(*a));
	char *names = malloc(n * 32);
	struct draft_options o = options();
	struct timespec t0, t1;
	struct draft d;
	double s;

	(void)state;
	assert_non_null(a);
	assert_non_null(names);
	for (size_t i = 0; i < n; i++) {
		snprintf(names + i * 32, 32, "/tmp/page%zu.html", i);
		a[i] = file(names + i * 32, R);
	}
	/* A glob rule makes drop_covered() compare it with every rule. */
	a[0] = file("/tmp/app-a8Fk2Q", R);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fold(a, n, &o, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("folded %zu files in /tmp in %.3f s\n", n, s);
	assert_int_equal(d.rule_count, n);
	assert_true(s < 2.0);
	draft_free(&d);
	free(names);
	free(a);
}

/* ---- 2. blocks and --append ------------------------------------------- */

struct loaded_blocks {
	struct block b[2];
	struct draft_block v[2];
};

static void load_blocks(struct loaded_blocks *lb, struct draft_options *o)
{
	static const char *const names[] = { "private-tmp", "dns" };

	for (int i = 0; i < 2; i++) {
		struct diag dg = { 0 };

		assert_int_equal(block_load(&shipped, names[i], o->name, "/proc/self/mounts",
					    &lb->b[i], &dg), 0);
		diag_free(&dg);
		lb->v[i] = (struct draft_block){
			.name = lb->b[i].name, .paths = lb->b[i].paths,
			.path_count = lb->b[i].path_count, .nets = lb->b[i].nets,
			.net_count = lb->b[i].net_count,
		};
	}
	o->blocks = lb->v;
	o->block_count = 2;
}

static void free_blocks(struct loaded_blocks *lb)
{
	block_free(&lb->b[0]);
	block_free(&lb->b[1]);
}

static void block_grants_are_left_out(void **state)
{
	const struct draft_access a[] = {
		file("/tmp/app-a8Fk2Q", RW),		/* private-tmp: /tmp/app-* */
		file("/tmp/app/sock", RW),		/* private-tmp: /tmp/app */
		file("/tmp/other-a8Fk2Q", R),		/* no block */
		file("/tmp/app/prog", X),		/* the block grants no execute */
		OUT(UDP, "192.0.2.53", 53),		/* dns */
		OUT(TCP, "192.0.2.80", 80),
	};
	struct draft_options o = options();
	struct loaded_blocks lb;
	struct draft d;

	(void)state;
	load_blocks(&lb, &o);
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/tmp/other-*", "/tmp/app/prog", NULL },
		     (const uint32_t[]){ R, X });
	assert_int_equal(d.use_count, 2);
	assert_string_equal(d.uses[0], "private-tmp");
	assert_string_equal(d.uses[1], "dns");
	assert_int_equal(d.net_count, 1);
	assert_int_equal(d.nets[0].port_min, 80);
	expect_written(&d, &o);
	draft_free(&d);
	free_blocks(&lb);
}

/* No access a block grants: the block is not used. */
static void unused_block_not_written(void **state)
{
	const struct draft_access a[] = { file("/srv/app/x", R) };
	struct draft_options o = options();
	struct loaded_blocks lb;
	struct draft d;
	char *text;

	(void)state;
	load_blocks(&lb, &o);
	fold(a, N(a), &o, &d);
	assert_int_equal(d.use_count, 0);
	text = written(&d, &o);
	assert_null(strstr(text, "use:"));
	free(text);
	draft_free(&d);
	free_blocks(&lb);
}

static void append_keeps_base(void **state)
{
	static const char base_text[] =
		"manifestVersion: v1\nname: app\nrun: /opt/app/bin/app\nbaseline: none\n"
		"use:\n  - private-tmp\n"
		"allowedDirectories:\n"
		"  - {name: conf, path: /etc/app, permission: read}\n"
		"  - {name: data, path: /srv/app/data, permission: readWrite}\n"
		"allowedNetwork:\n"
		"  - {name: web, direction: outbound, ip: 192.0.2.0/24, protocol: tcp, port: 443}\n"
		"allowedDevices:\n  - audioOut\n";
	const struct draft_access a[] = {
		file("/etc/app/main.conf", R),		/* granted by the base */
		file("/srv/app/data/x.db", RW),		/* granted by the base */
		file("/tmp/app/cache", RW),		/* its block */
		file("/srv/app/bin/tool", X),		/* new */
		OUT(TCP, "192.0.2.7", 443),		/* granted */
		OUT(TCP, "198.51.100.7", 443),		/* new */
		{ .kind = CHARTER_LEARN_DEVICE, .path = "/dev/input/event3",
		  .classes = CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) },
	};
	struct draft_options o = options();
	struct manifest base, m;
	struct draft d;
	char *text;

	(void)state;
	parse(base_text, &base);
	o.base = &base;
	fold(a, N(a), &o, &d);
	expect_rules(&d, (const char *[]){ "/etc/app", "/srv/app/data", "/srv/app/bin/tool",
					   NULL }, (const uint32_t[]){ R, RW, X });
	assert_null(rule_of(&d, "/tmp/app"));	/* the block's, not written one by one */
	assert_null(rule_of(&d, "/tmp/app-*"));
	assert_int_equal(d.use_count, 1);
	assert_string_equal(d.uses[0], "private-tmp");
	assert_int_equal(d.net_count, 2);
	assert_int_equal(d.devices, CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_OUT) |
				    CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD));
	text = written(&d, &o);
	assert_non_null(strstr(text, "baseline: none\n"));
	assert_non_null(strstr(text, "use:\n  - private-tmp\n"));
	assert_non_null(strstr(text, "kept from the earlier draft"));
	free(text);
	expect_written(&d, &o);
	parse(text = written(&d, &o), &m);
	assert_false(m.baseline);
	manifest_free(&m);
	free(text);
	draft_free(&d);
	manifest_free(&base);
}

/* ---- 5. network ------------------------------------------------------------ */

static const struct draft_net *net_to(const struct draft *d, uint8_t direction,
				      const char *addr, uint16_t port)
{
	uint8_t bytes[16] = { 0 };
	int len = strchr(addr, ':') ? 16 : 4;

	assert_int_equal(inet_pton(len == 4 ? AF_INET : AF_INET6, addr, bytes), 1);
	for (size_t i = 0; i < d->net_count; i++) {
		const struct draft_net *n = &d->nets[i];

		if (n->direction == direction && !n->any && !n->localhost &&
		    n->addr_len == len && !memcmp(n->addr, bytes, (size_t)len) &&
		    n->port_min == port && n->port_max == port && n->prefix == len * 8)
			return n;
	}
	return NULL;
}

static const struct draft_net *net_scope(const struct draft *d, int any, uint16_t port)
{
	for (size_t i = 0; i < d->net_count; i++) {
		const struct draft_net *n = &d->nets[i];

		if (n->direction == CHARTER_NET_INBOUND && n->port_min == port &&
		    (any ? n->any : n->localhost))
			return n;
	}
	return NULL;
}

static void outbound_as_used(void **state)
{
	const struct draft_access a[] = {
		OUT(TCP, "93.184.216.34", 443),
		OUT(UDP, "2001:db8::1", 123),
		OUT(TCP, "93.184.216.34", 443),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	assert_int_equal(d.net_count, 2);
	assert_non_null(net_to(&d, CHARTER_NET_OUTBOUND, "93.184.216.34", 443));
	assert_non_null(net_to(&d, CHARTER_NET_OUTBOUND, "2001:db8::1", 123));
	assert_int_equal(net_to(&d, CHARTER_NET_OUTBOUND, "2001:db8::1", 123)->protocol,
			 CHARTER_PROTO_UDP);
	expect_written(&d, &o);
	draft_free(&d);
}

static void service_with_its_peers(void **state)
{
	const struct draft_access a[] = {
		BIND(TCP, "0.0.0.0", 8080),
		IN(TCP, "10.0.0.5", 8080),
		IN(TCP, "10.0.0.6", 8080),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	assert_int_equal(d.net_count, 2);
	assert_non_null(net_to(&d, CHARTER_NET_INBOUND, "10.0.0.5", 8080));
	assert_non_null(net_to(&d, CHARTER_NET_INBOUND, "10.0.0.6", 8080));
	assert_null(net_scope(&d, 1, 8080));
	expect_written(&d, &o);
	draft_free(&d);
}

static void service_on_loopback_is_localhost(void **state)
{
	const struct draft_access a[] = {
		BIND(TCP, "127.0.0.1", 8080),
		BIND(UDP, "::1", 5353),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	assert_int_equal(d.net_count, 2);
	assert_non_null(net_scope(&d, 0, 8080));
	assert_non_null(net_scope(&d, 0, 5353));
	assert_null(net_scope(&d, 1, 8080));
	expect_written(&d, &o);
	draft_free(&d);
}

static void service_without_peer_is_any(void **state)
{
	const struct draft_access a[] = { BIND(TCP, "0.0.0.0", 8080) };
	struct draft_options o = options();
	const struct draft_net *n;
	struct draft d;
	char *text;

	(void)state;
	fold(a, N(a), &o, &d);
	assert_int_equal(d.net_count, 1);
	n = net_scope(&d, 1, 8080);
	assert_non_null(n);
	assert_non_null(strstr(n->comment, "no peer connected"));
	text = written(&d, &o);
	assert_non_null(strstr(text, "# served tcp port 8080: no peer connected"));
	free(text);
	expect_written(&d, &o);
	draft_free(&d);
}

static void many_peers_are_any(void **state)
{
	struct draft_access a[10];
	char addr[10][16];
	struct draft_options o = options();
	struct draft d;

	(void)state;
	a[0] = BIND(TCP, "0.0.0.0", 22);
	for (int i = 1; i < 10; i++) {
		snprintf(addr[i], sizeof(addr[i]), "10.0.0.%d", i);
		a[i] = IN(TCP, addr[i], 22);
	}
	/* 8 peers: each its rule. */
	fold(a, 9, &o, &d);
	assert_int_equal(d.net_count, 8);
	assert_null(net_scope(&d, 1, 22));
	draft_free(&d);
	/* 9: any address, said in the comment. */
	fold(a, 10, &o, &d);
	assert_int_equal(d.net_count, 1);
	assert_non_null(net_scope(&d, 1, 22));
	assert_non_null(strstr(d.nets[0].comment, "more than 8 peers"));
	expect_written(&d, &o);
	draft_free(&d);
}

static void udp_replies_need_no_inbound(void **state)
{
	const struct draft_access a[] = {
		OUT(UDP, "192.0.2.1", 53),
		IN(UDP, "192.0.2.1", 40000),	/* the answer, to our ephemeral port */
		IN(UDP, "192.0.2.9", 40001),	/* from elsewhere: a service */
		IN(TCP, "192.0.2.1", 40002),	/* TCP is no reply */
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	assert_int_equal(d.net_count, 3);
	assert_non_null(net_to(&d, CHARTER_NET_OUTBOUND, "192.0.2.1", 53));
	assert_null(net_to(&d, CHARTER_NET_INBOUND, "192.0.2.1", 40000));
	assert_non_null(net_to(&d, CHARTER_NET_INBOUND, "192.0.2.9", 40001));
	assert_non_null(net_to(&d, CHARTER_NET_INBOUND, "192.0.2.1", 40002));
	expect_written(&d, &o);
	draft_free(&d);
}

static void port_zero_binds_ignored(void **state)
{
	const struct draft_access a[] = {
		BIND(UDP, "0.0.0.0", 0),
		BIND(TCP, "::", 0),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	assert_int_equal(d.net_count, 0);
	draft_free(&d);
}

/* ---- devices and operations --------------------------------------------- */

static void devices_ored_and_notes(void **state)
{
	const struct draft_access a[] = {
		{ .kind = CHARTER_LEARN_DEVICE, .path = "/dev/input/event0", .access = R,
		  .classes = CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) },
		{ .kind = CHARTER_LEARN_DEVICE, .path = "/dev/input/event1", .access = R,
		  .classes = CHARTER_DEV_BIT(CHARTER_DEV_MOUSE) |
			     CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) },
		{ .kind = CHARTER_LEARN_DEVICE, .path = "/dev/snd/pcmC0D0p", .access = W,
		  .classes = CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_OUT) },
		{ .kind = CHARTER_LEARN_DEVICE, .path = "/dev/mem", .access = R },
		{ .kind = CHARTER_LEARN_OPERATION, .operation = "mount" },
		{ .kind = CHARTER_LEARN_OPERATION, .operation = "ptrace of another program" },
	};
	struct draft_options o = options();
	struct draft d;
	char *text;

	(void)state;
	fold(a, N(a), &o, &d);
	assert_int_equal(d.devices, CHARTER_DEV_BIT(CHARTER_DEV_KEYBOARD) |
				    CHARTER_DEV_BIT(CHARTER_DEV_MOUSE) |
				    CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_OUT));
	assert_int_equal(d.rule_count, 0);	/* device paths are no path rules */
	assert_int_equal(d.note_count, 3);
	assert_true(has_note(&d, "'/dev/mem' is in no device class"));
	assert_true(has_note(&d, "mount: no manifest grants it"));
	assert_true(has_note(&d, "ptrace of another program: no manifest grants it"));
	text = written(&d, &o);
	assert_non_null(strstr(text, "\nallowedDevices:\n  - keyboard\n  - mouse\n  - audioOut\n"));
	assert_non_null(strstr(text, "\n# Not granted:\n"));
	free(text);
	expect_written(&d, &o);
	draft_free(&d);
}

/* ---- writing ----------------------------------------------------------------- */

static void written_header(void **state)
{
	const struct draft_access a[] = { file("/srv/app/it's", R) };
	struct draft_options o = options();
	struct draft d;
	char *text;

	(void)state;
	o.lost = 17;
	o.run = "/opt/it's/app";
	fold(a, N(a), &o, &d);
	text = written(&d, &o);
	assert_non_null(strstr(text, "# Drafted by 'charter learn' from: app --serve\n"));
	assert_non_null(strstr(text, "# INCOMPLETE: the kernel could not record 17 accesses.\n"));
	assert_non_null(strstr(text, "run: '/opt/it''s/app'\n"));
	assert_non_null(strstr(text, "path: '/srv/app/it''s'\n"));
	free(text);
	expect_written(&d, &o);
	draft_free(&d);
}

/* Many rules of alike names: each entry name once. */
static void written_names_unique(void **state)
{
	const struct draft_access a[] = {
		file("/etc/x/conf", R), file("/opt/x/conf", R), file("/srv/x/conf", R),
		file("/etc/y", R),
	};
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(a, N(a), &o, &d);
	assert_int_equal(d.rule_count, 4);
	expect_written(&d, &o);	/* the parser refuses a name given twice */
	draft_free(&d);
}

static void empty_draft_parses(void **state)
{
	struct draft_options o = options();
	struct draft d;

	(void)state;
	fold(NULL, 0, &o, &d);
	assert_int_equal(d.rule_count + d.net_count + d.note_count + d.use_count, 0);
	expect_written(&d, &o);
	draft_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(glob_component_table),
		cmocka_unit_test(glob_never_first_component),
		cmocka_unit_test(glob_names_join),
		cmocka_unit_test(pattern_covers_as_kernel),
		cmocka_unit_test(two_files_fold),
		cmocka_unit_test(one_file_stays),
		cmocka_unit_test(same_file_twice_is_one),
		cmocka_unit_test(listed_directory_takes_beneath),
		cmocka_unit_test(listed_directory_with_one_file),
		cmocka_unit_test(folded_dirs_do_not_fold_parent),
		cmocka_unit_test(folding_goes_upwards),
		cmocka_unit_test(shared_directories_never_folded),
		cmocka_unit_test(below_shared_directories_fold),
		cmocka_unit_test(listed_shared_directory_is_a_note),
		cmocka_unit_test(deleted_suffix_stripped),
		cmocka_unit_test(unwritable_paths_are_notes),
		cmocka_unit_test(file_name_cannot_inject_yaml),
		cmocka_unit_test(notes_cannot_inject_yaml),
		cmocka_unit_test(covered_rules_dropped),
		cmocka_unit_test(many_files_fold_fast),
		cmocka_unit_test(many_files_in_shared_directory_fast),
		cmocka_unit_test(block_grants_are_left_out),
		cmocka_unit_test(unused_block_not_written),
		cmocka_unit_test(append_keeps_base),
		cmocka_unit_test(outbound_as_used),
		cmocka_unit_test(service_with_its_peers),
		cmocka_unit_test(service_on_loopback_is_localhost),
		cmocka_unit_test(service_without_peer_is_any),
		cmocka_unit_test(many_peers_are_any),
		cmocka_unit_test(udp_replies_need_no_inbound),
		cmocka_unit_test(port_zero_binds_ignored),
		cmocka_unit_test(devices_ored_and_notes),
		cmocka_unit_test(written_header),
		cmocka_unit_test(written_names_unique),
		cmocka_unit_test(empty_draft_parses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
