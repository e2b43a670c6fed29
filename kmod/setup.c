// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: module init and exit.
 *
 * Init brings the parts up in dependency order and attaches the hooks
 * last, once everything they use exists; the netlink family comes after,
 * so no policy can be loaded before the hooks are there to enforce it.
 * Exit undoes this in reverse and waits for every hook in flight.
 */

#include <linux/module.h>

#include "attach.h"
#include "cache.h"
#include "decide.h"
#include "dev.h"
#include "domain.h"
#include "ident.h"
#include "learn.h"
#include "lineage.h"
#include "netlink.h"
#include "policy.h"

static int __init charter_init(void)
{
	int err;

	err = charter_symbols_init();
	if (!err)
		err = charter_dev_init();
	if (!err)
		err = charter_fs_init();
	if (err) {
		pr_err("charter: cannot find the kernel symbols it needs: %d\n", err);
		return err;
	}
	err = charter_cache_init();
	if (err)
		goto out_fs;
	err = charter_cred_init();
	if (err)
		goto out_cache;
	err = charter_ident_init();
	if (err)
		goto out_cred;
	err = charter_attach();
	if (err)
		goto out_ident;
	err = charter_netlink_init();
	if (err)
		goto out_detach;
	pr_info("charter: ready (ABI %d)\n", CHARTER_GENL_VERSION);
	return 0;

out_detach:
	charter_detach();
out_ident:
	charter_ident_exit();
out_cred:
	charter_cred_exit();
out_cache:
	charter_cache_exit();
out_fs:
	charter_fs_exit();
	return err;
}

static void __exit charter_exit(void)
{
	charter_netlink_exit();
	charter_detach();
	charter_cred_exit();
	charter_lineage_exit();
	charter_policy_exit();
	charter_learn_exit();
	charter_decide_exit();
	charter_ident_exit();
	charter_cache_exit();
	charter_fs_exit();
	pr_info("charter: unloaded\n");
}

module_init(charter_init);
module_exit(charter_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Charter: execution manifests, enforced");
MODULE_VERSION("0.2.0");
/* The fastest sha256 drivers on x86 (ident.c): before us, if present. */
MODULE_SOFTDEP("pre: sha256_ssse3");
