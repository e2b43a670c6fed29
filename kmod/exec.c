// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: exec, where a task enters the domain of a manifested program.
 *
 * bprm_check_security runs once the file to execute is open and before the
 * new credentials are committed: the domain is set on bprm->cred, so the
 * task is confined from its first instruction in the new program, and a
 * failed exec leaves nothing behind (the cred and its entry are freed).
 */

#include <linux/binfmts.h>
#include <linux/fs.h>

#include "attach.h"
#include "domain.h"
#include "ident.h"
#include "policy.h"

static int charter_exec_enter(struct linux_binprm *bprm,
			      struct charter_policy *policy)
{
	u64 size = i_size_read(file_inode(bprm->file));
	const struct charter_manifest *m;
	struct charter_domain *d;
	u8 digest[CHARTER_SHA256_LEN];
	int err;

	if (!charter_policy_has_size(policy, size))
		return 0;
	err = charter_ident_hash(bprm->file, size, digest);
	if (err)
		return err;
	m = charter_policy_find(policy, digest, size);
	if (!m)
		return 0;
	d = charter_domain_create(policy, m);
	if (!d)
		return -ENOMEM;
	err = charter_cred_enter(bprm->cred, d);
	charter_domain_put(d);
	return err;
}

static int charter_hook_bprm_check(struct linux_binprm *bprm)
{
	struct charter_policy *policy = charter_policy_get_current();
	int err;

	if (!policy)
		return 0;
	err = charter_exec_enter(bprm, policy);
	charter_policy_put(policy);
	return err;
}

CHARTER_HOOK_INT(bprm_check, (struct linux_binprm *bprm), (bprm))

CHARTER_HOOK_TABLE(charter_exec_hooks,
	CHARTER_HOOK_ENTRY(bprm_check, "bpf_lsm_bprm_check_security",
			   "security_bprm_check"),
);
