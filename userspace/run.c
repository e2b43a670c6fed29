// SPDX-License-Identifier: GPL-2.0
/*
 * 'charter run MANIFEST [-- ARGS...]': a manifest says how its program is
 * run; this runs it so. The manifest is read and verified as 'charter
 * load' reads it, its program identified (a pinned hash must match), and
 * the kernel made to hold this very manifest: left alone when it holds it
 * already, else added to the loaded policy with policy_edit(), every
 * other manifest kept as it is. Then the program is executed, from the
 * manifest's directory, by the path the policy names it by.
 *
 * The tool decides nothing about confinement: the kernel identifies the
 * program again at exec, by hash and by run path. The program is executed
 * by its run path, so whatever lies there by then (a new build, a file
 * slid under the name after the hash was taken) is held to this manifest
 * by the kernel, or refused when the hash is pinned. What the tool checks
 * is only so that it refuses to start the program when the kernel would
 * not hold it to its manifest, and says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blobview.h"
#include "compile.h"
#include "edit.h"
#include "run.h"
#include "show.h"

/* "charter: run: " and the message, escaped; returns 1 (a refusal). */
__attribute__((format(printf, 1, 2)))
static int say(const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "charter: run: ");
	show_text(stderr, n < 0 ? "out of memory" : msg);
	fputc('\n', stderr);
	free(msg);
	return 1;
}

/*
 * Read, verify and identify @file as load does. Its manifest in *@m, or
 * 1 after the messages: nothing is loaded, nothing run.
 */
static int read_manifest(const char *file, const struct input_options *in,
			 struct manifest *m)
{
	struct input_file *files = NULL;
	char *args[] = { (char *)file };
	struct diag d = { 0 };
	struct stat st;
	size_t n = 0;
	int ret = 1;

	if (!stat(file, &st) && S_ISDIR(st.st_mode))
		return say("%s is a directory: run takes one manifest file", file);
	if (!input_read_each(args, 1, in, 1, &files, &n, &d) && n == 1 && files[0].ok) {
		*m = files[0].m;
		memset(&files[0].m, 0, sizeof(files[0].m));
		ret = 0;
	}
	show_diag(stderr, &d);
	if (ret && n == 1 && files[0].m.stale)
		say("'%s' is not the program manifest '%s' pins (its hash: see above): nothing loaded, nothing run",
		    files[0].m.run, files[0].m.name);
	else if (ret)
		say("%s refused: nothing loaded, nothing run", file);
	input_free_each(files, n);
	return ret;
}

/* What was loaded, and what it replaced (@old: the loaded one of its name). */
static void say_loaded(const struct manifest *m, const struct blob_view *cur, long old)
{
	char sha[65];

	sha256_hex(m->exe_sha256, sha);
	say("loaded manifest '%s' for %s (sha256:%s, %llu bytes%s)%s", m->name,
	    m->exe_path, sha, (unsigned long long)m->exe_size,
	    m->has_hash ? ", pinned" : ": no pinned hash, so this build is its identity",
	    old < 0 ? "" : ", replacing the version that was loaded");
	if (old >= 0 && memcmp(cur->manifests[old].sha256, m->exe_sha256, 32)) {
		sha256_hex(cur->manifests[old].sha256, sha);
		say("the version replaced was for another executable (sha256:%s)", sha);
	}
}

/* The manifest is not known to be loaded: never run the program unconfined. */
static int refuse_unloaded(const struct manifest *m, const char *why,
			   const struct nl_error *e)
{
	return say("manifest '%s' %s (%s): not running %s unconfined", m->name, why,
		   e->msg, m->exe_path);
}

/*
 * A caller who may not read the policy (nor load it) asks the kernel
 * whether it holds a manifest of @m's name for @m's executable at the
 * very path run will execute: then whatever lies there at exec is held to
 * it (by hash, or as a changed binary at its run path), so the program
 * cannot run unconfined (its rules may be another version's: the caller
 * cannot compare them, and says so). Else it is refused.
 */
static int ensure_loaded_unprivileged(const struct manifest *m, struct nl_error *e)
{
	int ret = nl_query(m->name, m->exe_sha256, m->exe_size, m->exe_path, e);

	if (ret == -ENOENT)
		return refuse_unloaded(m, "is not loaded for this program at this path, and you may not load it", e);
	if (ret)
		return refuse_unloaded(m, "is not known to be loaded, and you may not load it", e);
	say("manifest '%s' is loaded for this executable at %s (you may not read the policy, so its rules were not compared with the file's)",
	    m->name, m->exe_path);
	return 0;
}

/*
 * Make the kernel hold @m (compiled: @mine): 0 when it holds this very
 * manifest already or now, else 1 after the reason.
 */
static int ensure_loaded(const struct manifest *m, const struct blob_view *mine,
			 const char *module)
{
	struct nl_error e = { { 0 } };
	struct diag d = { 0 };
	uint8_t *blob = NULL;
	struct blob_view cur;
	uint64_t generation;
	size_t len = 0;
	long old = -1;
	int ret, merge_refused;

	if (nl_ensure_module(module, &e))
		return refuse_unloaded(m, "cannot be loaded", &e);
	ret = nl_policy_get(&blob, &len, &generation, &e);
	if (ret == -EPERM)
		return ensure_loaded_unprivileged(m, &e);
	if (ret)
		return say("%s: nothing loaded, nothing run", e.msg);
	if (blob && blob_view_open(&cur, blob, len, &d)) {
		show_diag(stderr, &d);
		free(blob);
		return say("the loaded policy cannot be read back: nothing loaded, nothing run");
	}
	if (blob)
		old = blob_find_manifest(&cur, m->name);
	if (old >= 0 && blob_manifest_same(&cur, (uint32_t)old, mine, 0)) {
		free(blob);
		return 0;
	}
	ret = policy_edit(mine->blob, mine->len, NULL, 0, 1, &d, &e);
	merge_refused = ret == POLICY_EDIT_INVALID;
	show_diag(stderr, &d);
	if (merge_refused)
		ret = say("the policy with this manifest added is refused: nothing loaded, nothing run");
	else if (ret == -EPERM)
		ret = refuse_unloaded(m, "is not loaded and you may not load it", &e);
	else if (ret)
		ret = say("%s: nothing loaded, nothing run", e.msg);
	else
		say_loaded(m, &cur, old);
	free(blob);
	return ret;
}

/* chdir to the manifest's directory and execute run; returns on failure. */
static int exec_program(const struct manifest *m, const char *file,
			char *const *args, size_t nargs)
{
	char **argv = calloc(nargs + 2, sizeof(*argv));
	struct diag d = { 0 };
	char *dir = input_real_dir(file, &d);

	if (!argv || !dir) {
		show_diag(stderr, &d);
		free(argv);
		free(dir);
		return say("%s: cannot find its directory", file);
	}
	/* run as the manifest names it: a multi-call binary reads argv[0]. */
	argv[0] = m->run;
	memcpy(argv + 1, args, nargs * sizeof(*argv));
	if (chdir(dir)) {
		say("cannot enter %s: %s", dir, strerror(errno));
	} else {
		fflush(NULL);
		/* The run path of the policy: what lies there is held to @m. */
		execv(m->exe_path, argv);
		say("cannot execute %s: %s", m->exe_path, strerror(errno));
	}
	free(argv);
	free(dir);
	return 1;
}

int run_manifest(const char *file, char *const *args, size_t nargs,
		 const struct input_options *in, const char *module)
{
	struct manifest m;
	struct diag d = { 0 };
	struct blob_view mine;
	uint8_t *blob = NULL;
	size_t len = 0;
	int ret;

	if (read_manifest(file, in, &m))
		return 1;
	ret = compile_blob(&m, 1, &d, &blob, &len);
	if (!ret)
		ret = blob_view_open(&mine, blob, len, &d);
	show_diag(stderr, &d);
	if (ret)
		ret = say("%s cannot be compiled: nothing loaded, nothing run", file);
	if (!ret)
		ret = ensure_loaded(&m, &mine, module);
	if (!ret)
		ret = exec_program(&m, file, args, nargs);
	free(blob);
	manifest_free(&m);
	return ret;
}
