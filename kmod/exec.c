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
 */

#include <linux/binfmts.h>
#include <linux/fs.h>

#include "attach.h"
#include "decide.h"
#include "domain.h"
#include "events.h"
#include "ident.h"
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

/* The manifest for the file being executed, or NULL. */
static const struct charter_manifest *
charter_exec_manifest(struct linux_binprm *bprm, struct charter_policy *policy,
		      int *err)
{
	u64 size = i_size_read(file_inode(bprm->file));
	u8 digest[CHARTER_SHA256_LEN];

	*err = 0;
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
	int err = 0;

	if (static_branch_unlikely(&charter_confining))
		old = charter_cred_domain(bprm->cred);
	if (old) {
		err = charter_check_path(old, &bprm->file->f_path,
					 CHARTER_ACCESS_EXECUTE);
		if (err)
			return err;
	}
	/* Most executions stop here: no manifest names a file of this size. */
	if (!charter_policy_current_has_size(i_size_read(file_inode(bprm->file))))
		return 0;
	policy = charter_policy_get_current();
	if (policy)
		m = charter_exec_manifest(bprm, policy, &err);
	/* Re-running a program already in the stack adds nothing. */
	if (m && !charter_domain_has(old, m))
		err = charter_enter(bprm, old, policy, m);
	charter_policy_put(policy);
	return err;
}

CHARTER_HOOK_INT(bprm_check_security, (struct linux_binprm *bprm), (bprm))

CHARTER_HOOK_TABLE(charter_exec_hooks,
	CHARTER_HOOK_ENTRY(bprm_check_security, security_bprm_check),
);
