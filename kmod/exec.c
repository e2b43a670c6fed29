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
#include "domain.h"
#include "ident.h"
#include "policy.h"
#include "uapi/charter.h"

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
		pr_notice_ratelimited("charter: refused exec of %s: it can be written while it runs (an unsealed memfd) and has a manifested size (pid %d, %s)\n",
				      bprm->filename, task_tgid_nr(current),
				      current->comm);
		*err = -ETXTBSY;
		return NULL;
	}
	*err = charter_ident_digest(bprm->file, size, digest);
	if (*err)
		return NULL;
	return charter_policy_find(policy, digest, size);
}

static int charter_hook_bprm_check(struct linux_binprm *bprm)
{
	struct charter_domain *old = NULL, *d;
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
	if (m && !charter_domain_has(old, m)) {
		d = charter_domain_stack(old, policy, m);
		if (IS_ERR(d)) {
			err = PTR_ERR(d);
		} else {
			err = charter_cred_set(bprm->cred, d);
			charter_domain_put(d);
		}
	}
	charter_policy_put(policy);
	return err;
}

CHARTER_HOOK_INT(bprm_check, (struct linux_binprm *bprm), (bprm))

CHARTER_HOOK_TABLE(charter_exec_hooks,
	CHARTER_HOOK_ENTRY(bprm_check, "bpf_lsm_bprm_check_security",
			   "security_bprm_check"),
);
