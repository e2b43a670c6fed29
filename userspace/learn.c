// SPDX-License-Identifier: GPL-2.0
/*
 * charter learn (learn.h). The learning manifest is an ordinary manifest
 * of the command's executable with CHARTER_MANIFEST_LEARN: added to the
 * loaded policy and removed from it afterwards with policy_edit(), so
 * everything else loaded stays in force throughout. The kernel keeps
 * every distinct access the command (and every process it starts) made
 * that the learning manifest does not grant (the runtime baseline, and
 * with --append the earlier draft, are granted, so they are not
 * recorded), and hands the whole record over at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compile.h"
#include "edit.h"
#include "input.h"
#include "learn.h"
#include "nl.h"
#include "show.h"

char *learn_find_executable(const char *command)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save = NULL, *found = NULL;

	if (strchr(command, '/'))
		return realpath(command, NULL);
	dirs = strdup(path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	for (dir = dirs ? strtok_r(dirs, ":", &save) : NULL; dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *candidate;
		struct stat st;

		if (asprintf(&candidate, "%s/%s", *dir ? dir : ".", command) < 0)
			break;
		if (!stat(candidate, &st) && S_ISREG(st.st_mode) && !access(candidate, X_OK))
			found = realpath(candidate, NULL);
		free(candidate);
	}
	free(dirs);
	return found;
}

/* The command's file name, as a manifest name (NULL: none fits). */
static char *default_name(const char *command)
{
	char *copy = strdup(command), *base, *name;

	if (!copy)
		return NULL;
	base = basename(copy);
	name = manifest_name_valid(base) ? strdup(base) : NULL;
	free(copy);
	return name;
}

static void learn_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "charter learn: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

static int kernel_failed(const char *what, const struct nl_error *e)
{
	fprintf(stderr, "charter learn: %s: ", what);
	show_text(stderr, e->msg);
	fputc('\n', stderr);
	return 1;
}

/* ---- what is loaded ------------------------------------------------------ */

struct loaded_check {
	const struct manifest *m;
	int stale_learner;	/* a learning manifest of our name: a learn cut short */
	char clash[CHARTER_NAME_MAX + 128];
};

static int check_loaded(const struct nl_manifest *l, void *data)
{
	struct loaded_check *c = data;
	int same_exe = l->exe_size == c->m->exe_size &&
		       !memcmp(l->sha256, c->m->exe_sha256, CHARTER_SHA256_LEN);

	if (!strcmp(l->name, c->m->name) && (l->flags & CHARTER_MANIFEST_LEARN) && same_exe)
		c->stale_learner = 1;
	else if (!strcmp(l->name, c->m->name))
		snprintf(c->clash, sizeof(c->clash),
			 "a manifest named '%s' is loaded: learning would replace it (choose --name)",
			 l->name);
	else if (same_exe)
		snprintf(c->clash, sizeof(c->clash),
			 "the executable already has the loaded manifest '%s': learn on a copy, or unload it first",
			 l->name);
	return 0;
}

/* Add the learning manifest @m to the loaded policy. */
static int start_learning(struct manifest *m, const struct learn_request *r)
{
	struct loaded_check c = { .m = m };
	const struct merge_drop mine = { .name = m->name, .sha256 = m->exe_sha256,
					 .exe_size = m->exe_size,
					 .flags = CHARTER_MANIFEST_LEARN };
	const char *name = m->name;
	struct diag d = { 0 };
	struct nl_error e;
	uint8_t *blob = NULL;
	size_t len = 0;
	int ret;

	if (nl_ensure_module(r->module, &e))
		return kernel_failed("module", &e);
	if (nl_list(check_loaded, &c, &e))
		return kernel_failed("list", &e);
	if (c.clash[0]) {
		learn_error("%s", c.clash);
		return 1;
	}
	if (c.stale_learner) {
		learn_error("removing the learning manifest '%s' an earlier learn left", name);
		if (policy_edit(NULL, 0, &mine, 1, 0, &d, &e)) {
			show_diag(stderr, &d);
			diag_free(&d);
			return kernel_failed("remove", &e);
		}
	}
	ret = compile_blob(m, 1, &d, &blob, &len);
	/* Not replacing: a manifest of this name loaded since the check stays. */
	if (!ret)
		ret = policy_edit(blob, len, NULL, 0, 0, &d, &e);
	show_diag(stderr, &d);
	diag_free(&d);
	free(blob);
	if (ret < 0)
		return kernel_failed("load", &e);
	return ret ? 1 : 0;
}

/* Remove our learning manifest: only if it is still ours (a load may have replaced it). */
static int stop_learning(const struct manifest *m)
{
	const struct merge_drop mine = { .name = m->name, .sha256 = m->exe_sha256,
					 .exe_size = m->exe_size,
					 .flags = CHARTER_MANIFEST_LEARN };
	const char *name = m->name;
	struct diag d = { 0 };
	struct nl_error e = { 0 };
	int ret = policy_edit(NULL, 0, &mine, 1, 0, &d, &e);

	show_diag(stderr, &d);
	diag_free(&d);
	if (ret) {
		kernel_failed("removing the learning manifest", &e);
		fprintf(stderr, "charter learn: '%s' stays loaded, letting its program do anything: reload the policy ('charter load')\n",
			name);
	}
	return ret ? 1 : 0;
}

/* ---- running the command ---------------------------------------------- */

static volatile sig_atomic_t child_pid;

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* Run @argv from @exe; its wait status, or -1. */
static int run_command(const char *exe, char *const *argv)
{
	static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa = { .sa_handler = forward_signal }, old[4];
	int status = -1;
	pid_t pid;

	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 4; i++)
		sigaction(forwarded[i], &sa, &old[i]);
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 4; i++)
			sigaction(forwarded[i], &old[i], NULL);
		execv(exe, argv);
		fprintf(stderr, "charter learn: cannot run '%s': %s\n", exe, strerror(errno));
		_exit(127);
	}
	child_pid = pid;
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	child_pid = 0;
	for (int i = 0; i < 4; i++)
		sigaction(forwarded[i], &old[i], NULL);
	return pid > 0 ? status : -1;
}

/* ---- the record -------------------------------------------------------- */

struct record {
	struct draft_access *a;
	size_t n, cap;
};

static int keep_access(const struct nl_learned *l, void *data)
{
	struct record *r = data;
	struct draft_access *a;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct draft_access *more = realloc(r->a, cap * sizeof(*more));

		if (!more)
			return -1;
		r->a = more;
		r->cap = cap;
	}
	a = &r->a[r->n++];
	*a = (struct draft_access){
		.kind = l->kind, .access = l->ev.access, .classes = l->ev.dev_classes,
		.direction = l->ev.direction, .protocol = l->ev.protocol,
		.addr_len = l->ev.addr_len, .port = l->ev.port,
		.path = l->ev.path[0] ? strdup(l->ev.path) : NULL,
		.operation = l->ev.operation[0] ? strdup(l->ev.operation) : NULL,
	};
	memcpy(a->addr, l->ev.addr, sizeof(a->addr));
	if ((l->kind == CHARTER_LEARN_FILE || l->kind == CHARTER_LEARN_DEVICE) && !a->path)
		r->n--;		/* the kernel sends none without a path */
	return 0;
}

static void record_free(struct record *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free((char *)r->a[i].path);
		free((char *)r->a[i].operation);
	}
	free(r->a);
}

struct still_running {
	const char *name;
	unsigned int count;
};

static int count_learners(const struct nl_task *t, void *data)
{
	struct still_running *s = data;

	for (unsigned int i = 0; i < t->depth; i++)
		if (!strcmp(t->layers[i], s->name)) {
			s->count++;
			break;
		}
	return 0;
}

/* ---- the draft ------------------------------------------------------------ */

static int is_directory(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static char *command_line(char *const *argv, int argc)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	for (int i = 0; s && i < argc; i++) {
		strcat(s, argv[i]);
		if (i + 1 < argc)
			strcat(s, " ");
	}
	/* A comment is one line. */
	for (char *c = s; c && *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	return s;
}

/* The draft, checked by the manifest parser, written to r->output. */
static int write_draft(const struct draft *dr, const struct draft_options *o,
		       const struct learn_request *r)
{
	struct manifest check = { 0 };
	struct diag d = { 0 };
	char *text = NULL, *dir = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len), *out;
	int bad;

	if (!mem)
		return 1;
	draft_write(mem, dr, o);
	fclose(mem);
	dir = get_current_dir_name();
	bad = manifest_parse(&(struct manifest_source){ .file = r->output ? r->output : "(draft)",
							.dir = dir, .mounts = r->mounts },
			     (const unsigned char *)text, len, &check, &d);
	if (bad) {
		fprintf(stderr, "charter learn: internal error: the draft does not parse:\n");
		show_diag(stderr, &d);
	}
	manifest_free(&check);
	diag_free(&d);
	free(dir);
	out = r->output ? fopen(r->output, "w") : stdout;
	if (!out) {
		learn_error("cannot write '%s'", r->output);
		free(text);
		return 1;
	}
	fwrite(text, 1, len, out);
	if (r->output && fclose(out))
		bad = 1;
	free(text);
	return bad ? 1 : 0;
}

/* ---- all together ----------------------------------------------------------- */

/* The earlier draft (--append): its rules are granted while learning. */
static int read_base(const struct learn_request *r, struct manifest **base, size_t *n)
{
	struct input_options in = { .allow_unsigned = 1, .mounts = r->mounts,
				    .manifest_dir = INPUT_MANIFEST_DIR, .blocks = r->blocks };
	char *const args[] = { (char *)r->append };
	struct diag d = { 0 };
	int ret = input_read(args, 1, &in, base, n, &d);

	show_diag(stderr, &d);
	diag_free(&d);
	return ret;
}

static void report(const struct draft *dr, const struct nl_learn_summary *sum,
		   const struct learn_request *r, int status)
{
	fprintf(stderr, "charter learn: the command ");
	if (status >= 0 && WIFEXITED(status))
		fprintf(stderr, "exited with status %d", WEXITSTATUS(status));
	else if (status >= 0 && WIFSIGNALED(status))
		fprintf(stderr, "was killed by signal %d", WTERMSIG(status));
	else
		fprintf(stderr, "did not run");
	fprintf(stderr, "; %llu distinct accesses recorded, %llu lost\n",
		(unsigned long long)sum->entries, (unsigned long long)sum->lost);
	fprintf(stderr, "charter learn: draft %s: %zu path rules, %zu network rules, %d device classes, %zu blocks, %zu notes\n",
		r->output ? r->output : "(standard output)", dr->rule_count, dr->net_count,
		__builtin_popcount(dr->devices), dr->use_count, dr->note_count);
	if (sum->lost)
		fprintf(stderr, "charter learn: the draft is INCOMPLETE: the kernel could not record %llu accesses (memory, or the limit of 1048576 entries)\n",
			(unsigned long long)sum->lost);
}

/*
 * Every block of the search path, read for manifest @name: what a draft
 * may use instead of its own rules. A block that cannot be read is left
 * out, with its problem on stderr.
 */
static size_t read_blocks(const struct learn_request *r, const char *name,
			  struct block **blocks, struct draft_block **views)
{
	char **names = NULL;
	size_t count = 0, n = 0;

	*blocks = NULL;
	*views = NULL;
	if (blocks_list(r->blocks, &names, &count) || !count)
		return 0;
	*blocks = calloc(count, sizeof(**blocks));
	*views = calloc(count, sizeof(**views));
	for (size_t i = 0; *blocks && *views && i < count; i++) {
		struct block *b = &(*blocks)[n];
		struct diag d = { 0 };

		if (block_load(r->blocks, names[i], name, r->mounts, b, &d)) {
			show_diag(stderr, &d);
			block_free(b);
		} else {
			(*views)[n++] = (struct draft_block){
				.name = b->name, .paths = b->paths, .path_count = b->path_count,
				.nets = b->nets, .net_count = b->net_count,
			};
		}
		diag_free(&d);
	}
	blocks_list_free(names, count);
	return n;
}

static int learn_with(struct manifest *m, const struct manifest *base,
		      const struct learn_request *r, const char *exe)
{
	struct draft_options o = { .name = m->name, .run = exe, .base = base,
				   .is_dir = is_directory };
	struct block *blocks;
	struct draft_block *views;
	size_t nblocks;
	struct still_running still = { .name = m->name };
	struct nl_learn_summary sum = { 0 };
	struct record rec = { 0 };
	struct draft dr = { 0 };
	struct nl_error e = { 0 };
	int status, ret;

	if (start_learning(m, r))
		return 1;
	nblocks = read_blocks(r, m->name, &blocks, &views);
	o.blocks = views;
	o.block_count = nblocks;
	status = run_command(exe, r->argv);
	ret = nl_learn_dump(m->name, keep_access, &rec, &sum, &e);
	if (ret == -ENOENT)
		fprintf(stderr, "charter learn: '%s' was unloaded while the command ran (a 'charter load' replaced the policy?): what it recorded is lost; learn again\n",
			m->name);
	else if (ret)
		kernel_failed("reading what was learned", &e);
	if (!nl_ps(count_learners, &still, &e) && still.count)
		fprintf(stderr, "charter learn: %u processes still run under '%s', free to do anything, until they exit\n",
			still.count, m->name);
	ret |= stop_learning(m);
	if (!ret && !sum.complete) {
		learn_error("%s", "the kernel's record ended early");
		ret = 1;
	}
	o.lost = sum.lost;
	o.command = command_line(r->argv, r->argc);
	if (!ret && draft_fold(rec.a, rec.n, &o, &dr))
		ret = 1;
	if (!ret) {
		ret = write_draft(&dr, &o, r);
		report(&dr, &sum, r, status);
	}
	ret |= sum.lost != 0;
	free((char *)o.command);
	draft_free(&dr);
	record_free(&rec);
	for (size_t i = 0; i < nblocks; i++)
		block_free(&blocks[i]);
	free(blocks);
	free(views);
	return ret;
}

/*
 * Is the earlier draft @base for the executable @exe_path (resolved)?
 * input_read() does not identify it: its run is resolved here.
 */
static int same_executable(const struct manifest *base, const char *exe_path)
{
	char *run = base->exe_path ? strdup(base->exe_path) : realpath(base->run, NULL);
	int same = run && !strcmp(run, exe_path);

	free(run);
	return same;
}

int learn_run(const struct learn_request *r)
{
	struct manifest *base = NULL, m = { 0 };
	struct diag d = { 0 };
	size_t nbase = 0;
	char *exe = learn_find_executable(r->argv[0]), *name = NULL;
	int ret = 1;

	if (!exe) {
		learn_error("'%s' is not an executable file here, nor in PATH", r->argv[0]);
		return 1;
	}
	if (r->append && read_base(r, &base, &nbase))
		goto out;
	name = strdup(r->name ? r->name : base ? base->name : "");
	if (name && !*name) {
		free(name);
		name = default_name(r->argv[0]);
	}
	if (!name || !manifest_name_valid(name)) {
		/* The name tried: --name's, the earlier draft's, or the command's. */
		learn_error("'%s' cannot be a manifest's name: choose one with --name",
			    name ? name : r->argv[0]);
		goto out;
	}
	if (base) {
		m = *base;	/* shallow: base keeps the rules */
		m.exe_path = NULL;
		m.identified = 0;
		m.has_hash = 0;	/* a learning manifest lets its program run */
		m.stale = 0;
	} else {
		m.baseline = 1;
	}
	m.file = "charter learn";
	m.name = name;
	m.run = exe;
	m.learning = 1;
	if (compile_identify(&m, 0, &d)) {
		show_diag(stderr, &d);
		goto out;
	}
	if (base && !same_executable(base, m.exe_path)) {
		learn_error("the earlier draft is for another executable ('%s')", base->run);
		goto out;
	}
	ret = learn_with(&m, base, r, exe);
out:
	diag_free(&d);
	free(m.exe_path);
	free(name);
	free(exe);
	input_free(base, nbase);
	return ret;
}
