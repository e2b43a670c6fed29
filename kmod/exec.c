// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: exec, where a task enters the domain of a manifested program.
 *
 * bprm_check_security runs once the file to execute is open and before the
 * new credentials are committed: the domain is set on bprm->cred, so the
 * task is confined from its first instruction in the new program, and a
 * failed exec leaves nothing behind (the cred and its entry are freed).
 *
 * It runs once per file of an exec: for "#!/bin/sh" scripts, first with
 * the script (whose own hash selects its manifest), then with the
 * interpreter. Every file run in a domain (a confined task's program, or
 * the interpreter of a confined script) needs the execute right in it.
 *
 * A file's manifest is the one of its hash; a file of no manifest's hash
 * that lies at a manifest's run path was put there in place of its
 * program (a package upgrade): it is held to that manifest too, so an
 * upgrade never frees a program (charter_exec_changed()).
 */

#include <linux/binfmts.h>
#include <linux/dcache.h>
#include <linux/fs.h>

#include "attach.h"
#include "decide.h"
#include "domain.h"
#include "events.h"
#include "ident.h"
#include "learn.h"
#include "policy.h"
#include "uapi/charter.h"

/*
 * A file of a manifested size that can be written while it runs (an
 * unsealed memfd): its hash would not say what runs. ETXTBSY, as for a
 * file open for writing; no manifest is known, so the global mode
 * applies (complain: it runs, outside any new domain, reported).
 */
static int charter_refuse_unidentified(struct linux_binprm *bprm)
{
	struct charter_object obj = {
		.operation = "exec of an unsealed memfd of a manifested size",
		.path = bprm->filename,
		.err = -ETXTBSY,
	};

	return charter_decide_refusal(NULL, &obj);
}

/* The manifest whose executable @bprm's file is (by its hash), or NULL. */
static const struct charter_manifest *
charter_exec_by_digest(struct linux_binprm *bprm, struct charter_policy *policy,
		       int *err)
{
	u64 size = i_size_read(file_inode(bprm->file));
	u8 digest[CHARTER_SHA256_LEN];

	if (!charter_policy_has_size(policy, size))
		return NULL;
	/* Its hash would not say what is loaded: as for a file open for writing. */
	if (charter_ident_may_change(bprm->file)) {
		*err = charter_refuse_unidentified(bprm);
		return NULL;
	}
	*err = charter_ident_digest(bprm->file, size, digest);
	if (*err)
		return NULL;
	return charter_policy_find(policy, digest, size);
}

/*
 * A file at @m's run path that is not @m's executable. A pinned hash
 * verifies the program: another file there may not run (EACCES, through
 * @m's mode). Otherwise an upgrade replaced the build the manifest was
 * made for: it runs confined by @m, reported, until a load names its hash
 * (Documentation/confinement.rst, "Upgrades").
 */
static int charter_exec_changed(const struct charter_manifest *m)
{
	struct charter_object obj = {
		.operation = "exec of a binary that does not match the pinned hash",
		.path = m->run,
		.err = -EACCES,
	};

	if (m->flags & CHARTER_MANIFEST_PINNED)
		return charter_decide_refusal(m, &obj);
	charter_note_changed_binary(m);
	return 0;
}

/*
 * The manifest for the file being executed, or NULL: the one of its hash,
 * else the one whose run path it lies at (@name is its file name), else
 * the one whose run path (or alias) the exec named it by: bprm->interp,
 * the name this file was opened by (the script's, then its
 * interpreter's). That name holds what a service manager starts by a
 * run path even when a symlink there now leads elsewhere, or a rename
 * slid the file away between exec's open and this check (run.c).
 */
static const struct charter_manifest *
charter_exec_manifest(struct linux_binprm *bprm, struct charter_policy *policy,
		      const struct qstr *name, int *err)
{
	const struct charter_manifest *m;

	*err = 0;
	m = charter_exec_by_digest(bprm, policy, err);
	if (m || *err)
		return m;
	m = charter_run_find_file(policy, &bprm->file->f_path, name) ?:
	    charter_run_find_name(policy, bprm->interp);
	if (m)
		*err = charter_exec_changed(m);
	return *err ? NULL : m;
}

/* The last component of the name @bprm's file was opened by. */
static struct qstr charter_exec_interp_name(const struct linux_binprm *bprm)
{
	const char *slash = strrchr(bprm->interp, '/');
	const char *name = slash ? slash + 1 : bprm->interp;

	return (struct qstr)QSTR_INIT(name, strlen(name));
}

/*
 * Most executions stop here: no manifest names a file of this size, nor
 * has a run path that ends in its name or in the name it was executed
 * by. RCU only.
 */
static bool charter_exec_may_be_manifested(struct linux_binprm *bprm,
					   const struct qstr *name)
{
	struct qstr interp = charter_exec_interp_name(bprm);

	return charter_policy_current_may_name(i_size_read(file_inode(bprm->file)),
					       name, &interp);
}

static bool charter_domain_full(const struct charter_domain *d)
{
	return d && d->depth >= CHARTER_MAX_LAYERS;
}

/*
 * A domain holds at most CHARTER_MAX_LAYERS manifests: the exec of a
 * program whose manifest would be one more is refused (EPERM: E2BIG
 * would read "Argument list too long"). In every mode: no domain could
 * hold the program (decide.c), so complain mode cannot let it run.
 */
static int charter_refuse_layer(const struct charter_manifest *m)
{
	struct charter_object obj = {
		.operation = "exec: a domain holds at most 16 manifests",
		.err = -EPERM,
		.always = true,
	};

	BUILD_BUG_ON(CHARTER_MAX_LAYERS != 16);
	return charter_decide_refusal(m, &obj);
}

/* @old (NULL: none) with @m on top, on the new credentials of @bprm. */
static int charter_enter(struct linux_binprm *bprm, struct charter_domain *old,
			 struct charter_policy *policy,
			 const struct charter_manifest *m)
{
	struct charter_domain *d;
	int err;

	if (charter_domain_full(old))
		return charter_refuse_layer(m);
	d = charter_domain_stack(old, policy, m);
	if (IS_ERR(d))
		return PTR_ERR(d);
	err = charter_cred_set(bprm->cred, d);
	charter_domain_put(d);
	return err;
}

static int charter_hook_bprm_check_security(struct linux_binprm *bprm)
{
	struct charter_domain *old = NULL;
	const struct charter_manifest *m = NULL;
	struct charter_policy *policy;
	struct name_snapshot name;
	int err = 0;

	if (static_branch_unlikely(&charter_confining))
		old = charter_cred_domain(bprm->cred);
	/*
	 * Every file an exec runs was opened for it by this task (file_open
	 * judged EXECUTE in its domain), so it is judged again only in
	 * another one: the interpreter of a script whose manifest gave
	 * bprm->cred a domain of its own.
	 */
	if (old && old != charter_current_domain()) {
		err = charter_check_path(old, &bprm->file->f_path,
					 CHARTER_ACCESS_EXECUTE);
		if (err)
			return err;
	}
	/* A rename may change the dentry's name: look at a copy. */
	take_dentry_name_snapshot(&name, bprm->file->f_path.dentry);
	if (!charter_exec_may_be_manifested(bprm, &name.name))
		goto out;
	policy = charter_policy_get_current();
	if (policy)
		m = charter_exec_manifest(bprm, policy, &name.name, &err);
	/* Outside its charter learn session, a learning manifest is none. */
	if (m && m->learning && !charter_learn_may_enter(m->learning))
		m = NULL;
	/* Re-running a program already in the stack adds nothing. */
	if (m && !charter_domain_has(old, m))
		err = charter_enter(bprm, old, policy, m);
	charter_policy_put(policy);
out:
	release_dentry_name_snapshot(&name);
	return err;
}

CHARTER_HOOK_INT(bprm_check_security, (struct linux_binprm *bprm), (bprm))

CHARTER_HOOK_TABLE(charter_exec_hooks,
	CHARTER_HOOK_ENTRY(bprm_check_security, security_bprm_check),
);
