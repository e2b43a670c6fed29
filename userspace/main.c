// SPDX-License-Identifier: GPL-2.0
/*
 * charter: the command-line tool. Dispatch and output only; the work is
 * in input.c, manifest.c, compile.c, dump.c, sign.c and nl.c, which return
 * their errors here, and the printing in show.c.
 *
 * Options are parsed per command (as wireguard-tools does): each command
 * takes only the options its table names, and has its own usage text.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blocks.h"
#include "cache.h"
#include "compile.h"
#include "dump.h"
#include "explain.h"
#include "input.h"
#include "learn.h"
#include "load.h"
#include "loaded.h"
#include "manifest.h"
#include "nl.h"
#include "run.h"
#include "show.h"
#include "sign.h"
#include "uapi/charter.h"

#define CHARTER_VERSION "0.2.0"
#define DEFAULT_MANIFEST_DIR "/etc/charter/manifests.d"

/* Messages may quote a manifest's text: one escaped line each. */
static void print_diag(struct diag *d)
{
	show_diag(stderr, d);
}

/* The same, the messages kept (for the policy cache). */
static void print_msgs(const struct diag *d)
{
	for (size_t i = 0; i < d->count; i++) {
		show_text(stderr, d->msgs[i]);
		fputc('\n', stderr);
	}
}

struct opts {
	struct input_options in;
	struct block_search blocks;	/* --blocks DIR..., then the defaults */
	const char *out;
	const char *key;
	const char *module;
	const char *policy;
	const char *manifest;
	const char *name;	/* learn --name */
	const char *append;	/* learn --append */
	int json;
	int input_opts;		/* --trust, --allow-unsigned, --mounts or --blocks given */
	const char *cache_dir;	/* --cache-dir */
	int no_cache;		/* --no-cache */
	int skip_read_cache;	/* --skip-read-cache */
	char **args;
	int nargs;
};

/*
 * Every option of the tool. A command takes those whose keys its opts
 * string lists; two entries may share a name (and what getopt returns)
 * when they mean different things to different commands.
 */
struct opt_desc {
	char key;
	const char *name;
	char short_name;	/* 0: long form only */
	int val;		/* what parse_opts() switches on */
	const char *arg;	/* NULL: takes no argument */
	const char *help;
};

static const struct opt_desc opt_descs[] = {
	{ 'o', "output", 'o', 'o', "OUT", "write the compiled policy to OUT" },
	{ 'O', "output", 'o', 'o', "BASE", "write BASE.key (secret) and BASE.pub" },
	{ 'k', "key", 'k', 'k', "KEY", "the secret key to sign with (BASE.key of keygen)" },
	{ 't', "trust", 0, 't', "DIR",
	  "trust store of public keys (default " SIGN_DEFAULT_TRUST_DIR ")" },
	{ 'u', "allow-unsigned", 0, 'u', NULL, "accept manifests without a trusted signature" },
	{ 'M', "mounts", 0, 'M', "FILE", "mount table for UNC paths (default /proc/self/mounts)" },
	{ 'B', "blocks", 0, 'B', "DIR",
	  "look for the building blocks of use: in DIR first (repeatable), then in "
	  BLOCKS_LOCAL_DIR " and " BLOCKS_SHIPPED_DIR },
	{ 'm', "module", 0, 'm', "KO", "the module file to insert if it is not loaded" },
	{ 'p', "policy", 0, 'p', "FILE", "load FILE, a policy compiled beforehand" },
	{ 'n', "manifest", 0, 'n', "NAME", "set the mode of the loaded manifest NAME only" },
	{ 'j', "json", 0, 'j', NULL, "one JSON object a line" },
	{ 'D', "output", 'o', 'o', "FILE", "write the draft to FILE (default: standard output)" },
	{ 'N', "name", 0, 'N', "NAME", "the manifest's name (default: the command's file name)" },
	{ 'A', "append", 0, 'A', "FILE",
	  "extend the earlier draft FILE: its rules are granted while learning, and kept" },
	{ 'C', "cache-dir", 0, 'C', "DIR",
	  "keep compiled policies in DIR, reused while no file they came from changed "
	  "(load: default $CHARTER_CACHE_DIR, else " CACHE_DEFAULT_DIR ")" },
	{ 'X', "no-cache", 0, 'X', NULL, "neither use nor write the policy cache" },
	{ 'R', "skip-read-cache", 0, 'R', NULL,
	  "compile even if the cache holds the policy, and write it there" },
	{ 'h', "help", 'h', 'h', NULL, "this help" },
};

#define N_OPT_DESCS (sizeof(opt_descs) / sizeof(opt_descs[0]))

static int cmd_check(struct opts *o);
static int cmd_explain(struct opts *o);
static int cmd_hash(struct opts *o);
static int cmd_learn(struct opts *o);
static int cmd_compile(struct opts *o);
static int cmd_dump(struct opts *o);
static int cmd_load(struct opts *o);
static int cmd_run(struct opts *o);
static int cmd_unload(struct opts *o);
static int cmd_status(struct opts *o);
static int cmd_list(struct opts *o);
static int cmd_mode(struct opts *o);
static int cmd_ps(struct opts *o);
static int cmd_monitor(struct opts *o);
static int cmd_lock(struct opts *o);
static int cmd_keygen(struct opts *o);
static int cmd_sign(struct opts *o);
static int cmd_verify(struct opts *o);
static int cmd_version(struct opts *o);
static int cmd_help(struct opts *o);

struct command {
	const char *name;
	/*
	 * Keys of opt_descs; --help is implied. A leading '+': options end
	 * at the first argument (what follows it is not the tool's).
	 */
	const char *opts;
	const char *const synopsis[3];	/* after "charter NAME "; NULL ends */
	const char *summary;
	int (*run)(struct opts *o);
};

static const struct command commands[] = {
	{ "check", "MB", { "[--mounts FILE] [--blocks DIR]... MANIFEST..." },
	  "read manifests, report every problem", cmd_check },
	{ "explain", "jMB", { "[--json] [--mounts FILE] [--blocks DIR]... MANIFEST|NAME..." },
	  "what a manifest lets its program do, in words, with an exposure score; NAME: the loaded manifest of that name, unless a file has it (needs CAP_MAC_ADMIN)",
	  cmd_explain },
	{ "learn", "+DNAMmB", { "[-o FILE] [--name NAME] [--append FILE] [--] COMMAND [ARGS...]" },
	  "run COMMAND under a learning manifest and write a draft manifest of what it used "
	  "(needs CAP_MAC_ADMIN)", cmd_learn },
	{ "hash", "", { "FILE..." }, "SHA-256 and size of executables", cmd_hash },
	{ "compile", "otuMBCR", { "-o OUT [OPTIONS] DIR|FILE..." },
	  "verify and compile manifests into OUT", cmd_compile },
	{ "dump", "", { "POLICY" }, "print a compiled policy", cmd_dump },
	{ "load", "tuMBmpCXR",
	  { "[OPTIONS] [DIR|FILE]...",
	    "--policy FILE [--module KO]" },
	  "verify, compile and load into the kernel (default " DEFAULT_MANIFEST_DIR
	  "), loading the charter module if needed", cmd_load },
	{ "run", "+tuMBm", { "[OPTIONS] MANIFEST [--] [ARGS...]" },
	  "run the manifest's program with ARGS from the manifest's directory, its manifest loaded first if the kernel does not hold it (loading needs CAP_MAC_ADMIN)",
	  cmd_run },
	{ "unload", "m", { "[--module KO]" }, "replace the policy with an empty one", cmd_unload },
	{ "status", "j", { "[--json]" }, "the module's state and counters", cmd_status },
	{ "list", "j", { "[--json]" }, "the loaded manifests (needs CAP_MAC_ADMIN)", cmd_list },
	{ "ps", "j", { "[--json]" },
	  "the confined processes and their manifests, with modes (needs CAP_MAC_ADMIN)",
	  cmd_ps },
	{ "mode", "n", { "enforce|complain|disabled [--manifest NAME]", "inherit --manifest NAME" },
	  "set the mode, for all or one manifest; inherit drops a manifest's own mode",
	  cmd_mode },
	{ "monitor", "j", { "[--json]" },
	  "print decision events as they happen (needs CAP_NET_ADMIN)", cmd_monitor },
	{ "lock", "", { "" }, "no policy or mode change, no unload, until reboot", cmd_lock },
	{ "keygen", "O", { "-o BASE" }, "new Ed25519 key: BASE.key and BASE.pub", cmd_keygen },
	{ "sign", "k", { "-k KEY FILE..." }, "write FILE.sig for each FILE", cmd_sign },
	{ "verify", "t", { "[--trust DIR] FILE..." }, "check FILE.sig against the trust store",
	  cmd_verify },
	{ "version", "", { "" }, "the tool's version and ABI", cmd_version },
	{ "help", "", { "[COMMAND]" }, "this overview, or a command's usage", cmd_help },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static int takes(const struct command *cmd, const struct opt_desc *d)
{
	return d->key == 'h' || strchr(cmd->opts, d->key);
}

/* Print @text from column @col, wrapped at 79 columns, indented by @col. */
static void print_wrapped(FILE *f, const char *text, int col)
{
	int at = col;

	while (*text) {
		int word = (int)strcspn(text, " ");

		if (at > col && at + 1 + word > 79) {
			fprintf(f, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", word, text);
		at += word;
		text += word;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

static void command_usage(FILE *f, const struct command *cmd)
{
	for (int i = 0; i < 3 && cmd->synopsis[i]; i++)
		fprintf(f, "%s charter %s%s%s\n", i ? "      " : "usage:", cmd->name,
			*cmd->synopsis[i] ? " " : "", cmd->synopsis[i]);
	fputc('\n', f);
	print_wrapped(f, cmd->summary, 0);
	fprintf(f, "\noptions:\n");
	for (size_t i = 0; i < N_OPT_DESCS; i++) {
		const struct opt_desc *d = &opt_descs[i];
		char left[64];

		if (!takes(cmd, d))
			continue;
		snprintf(left, sizeof(left), "%c%c%s--%s%s%s",
			 d->short_name ? '-' : ' ', d->short_name ? d->short_name : ' ',
			 d->short_name ? ", " : "  ", d->name, d->arg ? " " : "",
			 d->arg ? d->arg : "");
		fprintf(f, "  %-22s", left);
		print_wrapped(f, d->help, 24);
	}
}

static void overview(FILE *f)
{
	fprintf(f, "usage: charter COMMAND [OPTIONS] [ARGS]\n\n");
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const struct command *cmd = &commands[i];

		for (int j = 0; j < 3 && cmd->synopsis[j]; j++) {
			int n = fprintf(f, "  %s %s", cmd->name, cmd->synopsis[j]);

			if (j + 1 < 3 && cmd->synopsis[j + 1])
				fputc('\n', f);
			else if (n <= 30)
				fprintf(f, "%*s", 32 - n, "");
			else
				fprintf(f, "\n%32s", "");
		}
		print_wrapped(f, cmd->summary, 32);
	}
	fprintf(f, "\n'charter COMMAND --help' prints the usage and options of COMMAND.\n");
}

/* The long options @cmd takes, for getopt_long(); "h" and the like in @shorts. */
static void build_options(const struct command *cmd, struct option *longopts, char *shorts)
{
	size_t n = 0;
	char *s = shorts;

	if (cmd->opts[0] == '+')
		*s++ = '+';	/* what follows the first argument is not ours */
	*s++ = ':';	/* a missing argument returns ':', not '?' */
	for (size_t i = 0; i < N_OPT_DESCS; i++) {
		const struct opt_desc *d = &opt_descs[i];

		if (!takes(cmd, d))
			continue;
		longopts[n++] = (struct option){ d->name, d->arg ? required_argument : no_argument,
						 NULL, d->val };
		if (d->short_name) {
			*s++ = d->short_name;
			if (d->arg)
				*s++ = ':';
		}
	}
	longopts[n] = (struct option){ 0 };
	*s = '\0';
}

static void bad_option(const struct command *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	fprintf(stderr, "charter %s: ", cmd->name);
	if (c == ':')
		fprintf(stderr, "option '%s' needs an argument\n", arg);
	else if (optopt && strncmp(arg, "--", 2))
		fprintf(stderr, "unknown option '-%c'\n", optopt);
	else if (optopt)	/* --json=x */
		fprintf(stderr, "option '%s' takes no argument\n", arg);
	else
		fprintf(stderr, "unknown option '%s'\n", arg);
}

/* --blocks DIR: searched before the default directories, in order. */
static int add_blocks_dir(const struct command *cmd, struct opts *o, const char *dir)
{
	static const char *dirs[BLOCKS_MAX_DIRS - 2];
	struct stat st;

	memset(&st, 0, sizeof(st));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "charter %s: --blocks %s: %s\n", cmd->name, dir,
			S_ISDIR(st.st_mode) || !st.st_mode ? strerror(errno) : "not a directory");
		return -1;
	}
	if (o->blocks.dir_count == BLOCKS_MAX_DIRS - 2) {
		fprintf(stderr, "charter %s: --blocks given more than %d times\n", cmd->name,
			BLOCKS_MAX_DIRS - 2);
		return -1;
	}
	dirs[o->blocks.dir_count++] = dir;
	o->blocks.dirs = dirs;
	return 0;
}

/* 0, 1 for --help, or -1 after a message for a wrong option. */
static int parse_opts(const struct command *cmd, int argc, char **argv, struct opts *o)
{
	struct option longopts[N_OPT_DESCS + 1];
	char shorts[2 * N_OPT_DESCS + 3];
	int c;

	build_options(cmd, longopts, shorts);
	memset(o, 0, sizeof(*o));
	o->in.trust_dir = SIGN_DEFAULT_TRUST_DIR;
	o->in.mounts = "/proc/self/mounts";
	o->in.blocks = &o->blocks;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
		switch (c) {
		case 't': o->in.trust_dir = optarg; o->input_opts = 1; break;
		case 'u': o->in.allow_unsigned = 1; o->input_opts = 1; break;
		case 'M': o->in.mounts = optarg; o->input_opts = 1; break;
		case 'B':
			if (add_blocks_dir(cmd, o, optarg))
				return -1;
			o->input_opts = 1;
			break;
		case 'C': o->cache_dir = optarg; break;
		case 'X': o->no_cache = 1; break;
		case 'R': o->skip_read_cache = 1; break;
		case 'm': o->module = optarg; break;
		case 'o': o->out = optarg; break;
		case 'k': o->key = optarg; break;
		case 'p': o->policy = optarg; break;
		case 'n': o->manifest = optarg; break;
		case 'N': o->name = optarg; break;
		case 'A': o->append = optarg; break;
		case 'j': o->json = 1; break;
		case 'h': return 1;
		default:
			bad_option(cmd, c, argv);
			return -1;
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	return 0;
}

/* The kernel's (or nl.c's) reason, on one line. */
static int kernel_error(const struct nl_error *e)
{
	fprintf(stderr, "charter: ");
	show_text(stderr, e->msg);
	fputc('\n', stderr);
	return 1;
}

/* ---- the policy cache (cache.h) ---------------------------------------- */

/* One command's use of the cache. */
struct cache_run {
	const char *dir;	/* NULL: no cache */
	uint8_t key[CACHE_KEY_LEN];
	struct deps *deps;	/* what the cold compile looked at */
	int hit;
};

/* The cache directory: none with --no-cache; load's by default. */
static const char *cache_dir_of(const struct opts *o, int by_default)
{
	const char *env = getenv("CHARTER_CACHE_DIR");

	if (o->no_cache)
		return NULL;
	if (o->cache_dir)
		return o->cache_dir;
	if (!by_default)
		return NULL;
	return env && *env ? env : CACHE_DEFAULT_DIR;
}

/* With CHARTER_CACHE_TRACE set, what the cache did (stderr). */
static void cache_trace(const char *what, const char *why)
{
	if (!getenv("CHARTER_CACHE_TRACE"))
		return;
	fprintf(stderr, "charter: cache: %s%s%s%s\n", what, why ? " (" : "",
		why ? why : "", why ? ")" : "");
}

/*
 * So are the libraries it runs with (libyaml parses the manifests,
 * libsodium hashes and verifies): each executable file mapping of
 * /proc/self/maps, by its path and lstat() tuple only (a package update
 * replaces the file; hashing libcrypto and libc on each load would cost
 * more than the rest of a cached load).
 */
static void record_libraries(struct deps *deps)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[PATH_MAX + 128], *path;

	if (!maps) {
		deps_uncacheable(deps, "the tool's libraries cannot be named");
		return;
	}
	while (fgets(line, sizeof(line), maps)) {
		line[strcspn(line, "\n")] = '\0';
		path = strchr(line, '/');
		if (path && strstr(line, " r-xp "))
			deps_path(deps, path, DEPS_FOLLOW);
	}
	fclose(maps);
}

/*
 * The tool itself is a dependency: a rebuilt charter compiles anew. With
 * a build ID (cache_tool_id(), @has_id), the key already names the code
 * that runs, read from memory: its file is recorded by its lstat() tuple,
 * as the libraries are (a package update replaces it), and not hashed
 * again on every load. Without one, its bytes are hashed.
 */
static void record_self(struct deps *deps, int has_id)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0) {
		deps_uncacheable(deps, "the tool's own file cannot be named");
		return;
	}
	self[n] = '\0';
	deps_path(deps, self, DEPS_FOLLOW | (has_id ? 0 : DEPS_CONTENT));
	record_libraries(deps);
}

/*
 * Look the policy of @o up in the cache: 1 with @res filled on a hit.
 * On a miss, the compile to come records its paths in c->deps.
 */
static int cache_begin(struct opts *o, const char *command, struct cache_run *c,
		       struct cache_result *res)
{
	struct cache_key_input k = {
		.tool_version = CHARTER_VERSION, .command = command,
		.args = o->args, .nargs = (size_t)o->nargs, .in = &o->in,
	};
	struct diag warn = { 0 };
	const char *why = NULL;

	memset(res, 0, sizeof(*res));
	if (!c->dir)
		return 0;
	k.tool_id_len = cache_tool_id(&k.tool_id);
	if (cache_key(&k, c->key)) {
		cache_trace("not used", "the working directory cannot be named");
		c->dir = NULL;
		return 0;
	}
	if (!o->skip_read_cache) {
		c->hit = !cache_lookup(c->dir, c->key, res, &why, &warn);
		print_diag(&warn);
		diag_free(&warn);
		cache_trace(c->hit ? "hit" : "miss", c->hit ? NULL : why);
		if (c->hit)
			return 1;
	}
	c->deps = deps_new();
	if (c->deps)
		record_self(c->deps, k.tool_id_len != 0);
	o->in.deps = c->deps;
	return 0;
}

/* After the command succeeded on a cold compile: keep its result. */
static void cache_end(struct opts *o, struct cache_run *c, const struct cache_result *res)
{
	struct diag warn = { 0 };
	const char *why = NULL;
	int r;

	o->in.deps = NULL;
	if (!c->dir || c->hit || !c->deps)
		return;
	r = cache_store(c->dir, c->key, c->deps, res, &why, &warn);
	print_diag(&warn);
	diag_free(&warn);
	cache_trace(r ? "not stored" : "stored", why);
}

static void cache_run_free(struct cache_run *c)
{
	deps_free(c->deps);
	c->deps = NULL;
}

/* charter compile's policy: every manifest must be good. */
static int build_policy(struct opts *o, struct cache_result *res)
{
	struct manifest *ms = NULL;
	size_t count = 0;
	int ret;

	ret = input_read(o->args, (size_t)o->nargs, &o->in, &ms, &count, &res->d);
	if (!ret)
		ret = compile_blob_in(ms, count, o->in.deps, &res->d, &res->blob, &res->len);
	input_free(ms, count);
	return ret;
}

static int cmd_check(struct opts *o)
{
	if (!o->nargs)
		return 2;
	o->in.allow_unsigned = 1;	/* checking is about content */
	return load_check(o->args, (size_t)o->nargs, &o->in);
}

/* A NAME to explain is one that no file has: a file that exists wins. */
static int names_loaded(const char *arg)
{
	struct stat st;

	return lstat(arg, &st) && errno == ENOENT && manifest_name_valid(arg);
}

/* The manifests of one argument: a file, a directory or a loaded NAME. */
static int explain_read(char *arg, struct opts *o, struct manifest **ms, size_t *count)
{
	struct nl_error e = { { 0 } };
	struct diag d = { 0 };
	int ret;

	if (!names_loaded(arg)) {
		ret = input_read(&arg, 1, &o->in, ms, count, &d);
		print_diag(&d);
		return ret;
	}
	*ms = calloc(1, sizeof(**ms));
	*count = 0;
	ret = *ms ? loaded_manifest(arg, *ms, &d, &e) : -ENOMEM;
	print_diag(&d);
	if (!ret)
		*count = 1;
	else if (ret == -ENOENT && !e.msg[0])
		fprintf(stderr, "charter: explain: %s: no such file, and no loaded manifest has this name\n",
			arg);
	else
		fprintf(stderr, "charter: explain: %s: no such file, and the loaded manifests cannot be read: %s\n",
			arg, e.msg[0] ? e.msg : strerror(-ret));
	return ret ? -1 : 0;
}

static int cmd_explain(struct opts *o)
{
	int bad = 0, printed = 0;

	if (!o->nargs)
		return 2;
	o->in.allow_unsigned = 1;	/* explaining is about content */
	for (int a = 0; a < o->nargs; a++) {
		struct manifest *ms = NULL;
		size_t count = 0;

		bad |= explain_read(o->args[a], o, &ms, &count);
		for (size_t i = 0; i < count; i++) {
			struct explanation e;

			if (explain_manifest(&ms[i], &e)) {
				fprintf(stderr, "charter: explain: out of memory\n");
				bad = 1;
				break;
			}
			if (printed++ && !o->json)
				putchar('\n');
			explain_print(stdout, &ms[i], &e, o->json);
			explanation_free(&e);
		}
		input_free(ms, count);
	}
	return bad ? 1 : 0;
}

static int cmd_learn(struct opts *o)
{
	struct learn_request r = {
		.argv = o->args, .argc = o->nargs, .output = o->out, .name = o->name,
		.append = o->append, .module = o->module, .mounts = o->in.mounts,
		.blocks = &o->blocks,
	};

	if (!o->nargs) {
		fprintf(stderr, "charter learn: which command? (charter learn [OPTIONS] -- COMMAND [ARGS...])\n");
		return 2;
	}
	return learn_run(&r);
}

static int cmd_hash(struct opts *o)
{
	int ret = 0;

	if (!o->nargs)
		return 2;
	for (int i = 0; i < o->nargs; i++) {
		uint8_t digest[32];
		uint64_t size;
		int err = sha256_file(o->args[i], digest, &size);

		if (err) {
			fprintf(stderr, "charter: %s: %s\n", o->args[i], strerror(-err));
			ret = 1;
			continue;
		}
		printf("sha256:");
		for (int j = 0; j < 32; j++)
			printf("%02x", digest[j]);
		printf("  %llu  %s\n", (unsigned long long)size, o->args[i]);
	}
	return ret;
}

static int cmd_compile(struct opts *o)
{
	struct cache_run cache = { 0 };
	struct cache_result res;
	int ret = 1;
	FILE *f;

	if (!o->out || !o->nargs)
		return 2;
	cache.dir = cache_dir_of(o, 0);
	if (!cache_begin(o, "compile", &cache, &res) && build_policy(o, &res)) {
		print_msgs(&res.d);
		goto out;
	}
	print_msgs(&res.d);
	f = fopen(o->out, "wb");
	if (!f || fwrite(res.blob, 1, res.len, f) != res.len || fclose(f)) {
		fprintf(stderr, "charter: %s: %s\n", o->out, strerror(errno));
		goto out;
	}
	cache_end(o, &cache, &res);
	ret = 0;
out:
	cache_result_free(&res);
	cache_run_free(&cache);
	return ret;
}

/* A compiled policy file, whole; NULL (and the reason) when unreadable. */
static uint8_t *read_policy(const char *path, size_t *len)
{
	const char *why = NULL;
	uint8_t *blob = NULL;
	struct stat st;
	FILE *f = fopen(path, "rb");

	if (!f || fstat(fileno(f), &st)) {
		why = strerror(errno);
	} else if (S_ISDIR(st.st_mode)) {
		why = strerror(EISDIR);
	} else if (S_ISREG(st.st_mode) && st.st_size > CHARTER_BLOB_MAX_LEN) {
		fprintf(stderr, "charter: %s: too large: %lld bytes > %u\n", path,
			(long long)st.st_size, CHARTER_BLOB_MAX_LEN);
	} else if (!(blob = malloc(CHARTER_BLOB_MAX_LEN + 1))) {
		why = strerror(ENOMEM);
	} else {
		*len = fread(blob, 1, CHARTER_BLOB_MAX_LEN + 1, f);
		if (ferror(f))
			why = strerror(errno);
		else if (*len > CHARTER_BLOB_MAX_LEN)	/* a pipe, a device */
			fprintf(stderr, "charter: %s: too large: more than %u bytes\n",
				path, CHARTER_BLOB_MAX_LEN);
		else {
			fclose(f);
			return blob;
		}
	}
	if (why)
		fprintf(stderr, "charter: %s: %s\n", path, why);
	if (f)
		fclose(f);
	free(blob);
	return NULL;
}

static int cmd_dump(struct opts *o)
{
	struct diag d = { 0 };
	uint8_t *blob;
	size_t len;
	int ret;

	if (o->nargs != 1)
		return 2;
	blob = read_policy(o->args[0], &len);
	if (!blob)
		return 1;
	ret = dump_blob(blob, len, stdout, &d);
	print_diag(&d);
	free(blob);
	return ret ? 1 : 0;
}

static int push(const uint8_t *blob, size_t len, const char *module)
{
	struct nl_error e = { { 0 } };

	if (nl_ensure_module(module, &e) || nl_policy_load(blob, len, &e)) {
		return kernel_error(&e);
	}
	return 0;
}

/*
 * load's policy, from the cache when it holds it (a cached run prints
 * what the cold one printed), else compiled. 0, or 1 when nothing can be
 * loaded.
 */
static int load_policy(struct opts *o, struct cache_run *cache, struct cache_result *res)
{
	static char *default_dir[] = { DEFAULT_MANIFEST_DIR };
	int ret = 0;

	if (!o->nargs) {
		o->args = default_dir;
		o->nargs = 1;
	}
	cache->dir = cache_dir_of(o, 1);
	if (!cache_begin(o, "load", cache, res))
		ret = load_build(o->args, (size_t)o->nargs, &o->in, &res->blob, &res->len,
				 &res->counts, &res->d);
	print_msgs(&res->d);
	if (ret)
		fprintf(stderr, "charter: nothing loaded, refused %zu manifest%s\n",
			res->counts.refused, res->counts.refused == 1 ? "" : "s");
	else
		/* Kept before it is sent: the same blob meets the same kernel. */
		cache_end(o, cache, res);
	return ret ? 1 : 0;
}

static int cmd_load(struct opts *o)
{
	struct cache_run cache = { 0 };
	const struct charter_blob_header *h;
	struct cache_result res = { 0 };
	int ret;

	if (o->policy) {
		/* Compiled (and its manifests verified) beforehand. */
		if (o->input_opts || o->cache_dir || o->no_cache || o->skip_read_cache) {
			fprintf(stderr, "charter: load: --trust, --allow-unsigned, --mounts, --blocks and the cache options apply when manifests are read, not to --policy\n");
			return 2;
		}
		if (o->nargs)
			return 2;
		res.blob = read_policy(o->policy, &res.len);
		if (!res.blob)
			return 1;
	} else if (load_policy(o, &cache, &res)) {
		ret = 1;
		goto out;
	}
	ret = push(res.blob, res.len, o->module);
	h = (const void *)res.blob;
	if (!ret) {
		printf("charter: loaded %u manifest%s, refused %zu%s\n",
		       le32toh(h->manifests.count),
		       le32toh(h->manifests.count) == 1 ? "" : "s", res.counts.refused,
		       res.counts.kept ? " (kept with their pinned hash, which no longer matches)" : "");
	}
	ret = ret || res.counts.refused;
out:
	cache_result_free(&res);
	cache_run_free(&cache);
	return ret;
}

/* MANIFEST [--] [ARGS...]: options stop at MANIFEST ('+'). */
static int cmd_run(struct opts *o)
{
	int skip;

	if (!o->nargs)
		return 2;
	skip = o->nargs > 1 && !strcmp(o->args[1], "--");
	return run_manifest(o->args[0], o->args + 1 + skip, (size_t)(o->nargs - 1 - skip),
			    &o->in, o->module);
}

static int cmd_unload(struct opts *o)
{
	struct diag d = { 0 };
	uint8_t *blob;
	size_t len;
	int ret;

	if (o->nargs)
		return 2;
	if (compile_blob(NULL, 0, &d, &blob, &len)) {
		print_diag(&d);
		return 1;
	}
	ret = push(blob, len, o->module);
	free(blob);
	return ret;
}

static int cmd_keygen(struct opts *o)
{
	char keyid[SIGN_KEYID_LEN + 1];
	struct diag d = { 0 };

	if (!o->out || o->nargs)
		return 2;
	if (sign_keygen(o->out, keyid, &d)) {
		print_diag(&d);
		return 1;
	}
	printf("key %s: secret %s.key (keep it private), public %s.pub (install it in %s)\n",
	       keyid, o->out, o->out, SIGN_DEFAULT_TRUST_DIR);
	return 0;
}

static int cmd_sign(struct opts *o)
{
	struct diag d = { 0 };
	int bad = 0;

	if (!o->key || !o->nargs)
		return 2;
	for (int i = 0; i < o->nargs; i++)
		bad |= sign_file(o->key, o->args[i], &d);
	print_diag(&d);
	return bad ? 1 : 0;
}

static int cmd_verify(struct opts *o)
{
	int bad = 0;

	if (!o->nargs)
		return 2;
	for (int i = 0; i < o->nargs; i++) {
		char keyid[SIGN_KEYID_LEN + 1];
		struct diag d = { 0 };
		size_t len = 0;
		unsigned char *buf = input_read_file(o->args[i], &len, &d);
		int r = buf ? sign_verify(o->args[i], buf, len, o->in.trust_dir,
					  keyid, &d) : -1;

		print_diag(&d);
		if (!r) {
			printf("%s: good signature by key ", o->args[i]);
			show_text(stdout, keyid);	/* read from FILE.sig */
			putchar('\n');
		}
		bad |= r;
		free(buf);
	}
	return bad ? 1 : 0;
}

/* Count @t for each manifest of its stack. */
static int count_task(const struct nl_task *t, void *data)
{
	struct nl_status *st = data;

	for (unsigned int i = 0; i < t->depth; i++) {
		size_t j = 0;

		while (j < st->by_manifest_count && strcmp(st->by_manifest[j].name, t->layers[i]))
			j++;
		if (j == st->by_manifest_count) {
			struct nl_manifest_tasks *m = realloc(st->by_manifest,
							     (j + 1) * sizeof(*m));

			if (!m)
				return -1;
			st->by_manifest = m;
			snprintf(m[j].name, sizeof(m[j].name), "%s", t->layers[i]);
			m[j].tasks = 0;
			st->by_manifest_count++;
		}
		st->by_manifest[j].tasks++;
	}
	return 0;
}

static int cmd_status(struct opts *o)
{
	struct nl_error e = { { 0 } };
	struct nl_status st;

	if (o->nargs)
		return 2;
	if (nl_status(&st, &e))
		return kernel_error(&e);
	/* By manifest when the caller may list processes (CAP_MAC_ADMIN). */
	memset(&e, 0, sizeof(e));
	st.by_manifest_known = !nl_ps(count_task, &st, &e);
	if (!st.by_manifest_known) {
		free(st.by_manifest);
		st.by_manifest = NULL;
		st.by_manifest_count = 0;
	}
	show_status(stdout, &st, o->json);
	free(st.by_manifest);
	return 0;
}

struct list_out {
	FILE *f;
	int json;
};

static int list_entry(const struct nl_manifest *m, void *data)
{
	const struct list_out *lo = data;

	show_manifest(lo->f, m, lo->json);
	return 0;
}

/* The list is gathered first: on an error, nothing at all on stdout. */
static int cmd_list(struct opts *o)
{
	struct nl_error e = { { 0 } };
	struct list_out lo = { .json = o->json };
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (o->nargs)
		return 2;
	lo.f = open_memstream(&text, &len);
	if (!lo.f) {
		perror("charter: list");
		return 1;
	}
	ret = nl_list(list_entry, &lo, &e);
	fclose(lo.f);
	if (!ret) {
		if (!o->json)
			show_list_header(stdout);
		fwrite(text, 1, len, stdout);
	}
	free(text);
	return ret ? kernel_error(&e) : 0;
}

/* Names and modes of the loaded manifests, and the global mode. */
struct ps_out {
	FILE *f;
	int json;
	uint8_t global;
	struct nl_manifest *ms;
	size_t count;
};

static int ps_manifest(const struct nl_manifest *m, void *data)
{
	struct ps_out *p = data;
	struct nl_manifest *ms = realloc(p->ms, (p->count + 1) * sizeof(*ms));

	if (!ms)
		return -1;
	p->ms = ms;
	ms[p->count++] = *m;
	return 0;
}

/*
 * The mode a layer of manifest @name is in: its override, else the global
 * mode. A version dropped from the policy (kept for the processes it
 * holds) is not listed: the global mode, as the kernel's is never freer.
 */
static uint8_t ps_mode_of(const struct ps_out *p, const char *name)
{
	for (size_t i = 0; i < p->count; i++)
		if (!strcmp(p->ms[i].name, name))
			return p->ms[i].mode == CHARTER_MODE_INHERIT ? p->global : p->ms[i].mode;
	return p->global;
}

static int ps_task(const struct nl_task *t, void *data)
{
	const struct ps_out *p = data;

	if (p->json) {
		fprintf(p->f, "{\"pid\":%u,\"comm\":", t->pid);
		show_json(p->f, t->comm);
		fprintf(p->f, ",\"manifests\":[");
		for (unsigned int i = 0; i < t->depth; i++) {
			fprintf(p->f, "%s{\"name\":", i ? "," : "");
			show_json(p->f, t->layers[i]);
			fprintf(p->f, ",\"mode\":\"%s\"}",
				show_mode_name(ps_mode_of(p, t->layers[i])));
		}
		fprintf(p->f, "]}\n");
		return 0;
	}
	fprintf(p->f, "%7u  ", t->pid);
	show_text_pad(p->f, t->comm, 16);
	for (unsigned int i = 0; i < t->depth; i++) {
		uint8_t mode = ps_mode_of(p, t->layers[i]);

		fprintf(p->f, "%s", i ? " > " : " ");
		show_text(p->f, t->layers[i]);
		if (mode != CHARTER_MODE_ENFORCE)
			fprintf(p->f, " (%s)", show_mode_name(mode));
	}
	fputc('\n', p->f);
	return 0;
}

/* Gathered first, as list: on an error, nothing at all on stdout. */
static int cmd_ps(struct opts *o)
{
	struct nl_error e = { { 0 } };
	struct ps_out p = { .json = o->json };
	struct nl_status st;
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (o->nargs)
		return 2;
	ret = nl_status(&st, &e) || nl_list(ps_manifest, &p, &e);
	p.global = st.mode;
	p.f = ret ? NULL : open_memstream(&text, &len);
	if (p.f) {
		ret = nl_ps(ps_task, &p, &e);
		fclose(p.f);
	}
	if (!ret) {
		if (!o->json)
			printf("%7s  %-16s MANIFESTS (outermost first; mode if not enforce)\n",
			       "PID", "COMMAND");
		fwrite(text, 1, len, stdout);
	}
	free(text);
	free(p.ms);
	return ret ? kernel_error(&e) : 0;
}

static int cmd_mode(struct opts *o)
{
	struct nl_error e = { { 0 } };
	int mode;

	if (o->nargs != 1)
		return 2;
	mode = show_mode_value(o->args[0]);
	if (mode < 0 || (mode == CHARTER_MODE_INHERIT && !o->manifest)) {
		fprintf(stderr, "charter: mode '%s' (expected enforce, complain or disabled%s)\n",
			o->args[0], o->manifest ? ", or inherit" : "");
		return 2;
	}
	if (nl_set_mode((uint8_t)mode, o->manifest, &e))
		return kernel_error(&e);
	return 0;
}

static int print_event(const struct nl_event *ev, void *data)
{
	const struct opts *o = data;

	show_event(stdout, ev, o->json);
	fflush(stdout);
	return 0;
}

static int cmd_monitor(struct opts *o)
{
	struct nl_error e = { { 0 } };

	if (o->nargs)
		return 2;
	if (nl_monitor(print_event, o, &e))
		return kernel_error(&e);
	return 0;
}

static int cmd_lock(struct opts *o)
{
	struct nl_error e = { { 0 } };

	if (o->nargs)
		return 2;
	if (nl_lock(&e))
		return kernel_error(&e);
	printf("charter: locked until reboot\n");
	return 0;
}

static int cmd_version(struct opts *o)
{
	if (o->nargs)
		return 2;
	printf("charter %s (netlink ABI %d, blob v%d)\n", CHARTER_VERSION,
	       CHARTER_GENL_VERSION, CHARTER_BLOB_VERSION);
	return 0;
}

static int cmd_help(struct opts *o)
{
	const struct command *cmd;

	if (!o->nargs) {
		overview(stdout);
		return 0;
	}
	cmd = o->nargs == 1 ? find_command(o->args[0]) : NULL;
	if (!cmd)
		return 2;
	command_usage(stdout, cmd);
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct opts o;
	int ret;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		overview(stdout);
		return 0;
	}
	cmd = argc > 1 ? find_command(argv[1]) : NULL;
	if (!cmd) {
		if (argc > 1)
			fprintf(stderr, "charter: unknown command '%s'\n", argv[1]);
		overview(stderr);
		return 2;
	}
	ret = parse_opts(cmd, argc - 1, argv + 1, &o);
	if (ret > 0) {
		command_usage(stdout, cmd);
		return 0;
	}
	if (!ret)
		ret = cmd->run(&o);
	else
		ret = 2;
	if (ret == 2)
		command_usage(stderr, cmd);
	return ret;
}
