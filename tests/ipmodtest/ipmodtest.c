// SPDX-License-Identifier: GPL-2.0
/*
 * ipmodtest: another ftrace IPMODIFY user, as a livepatch is, for the
 * coexistence tests (tests/vm/ipmodify-coexist.sh).
 *
 *   insmod ipmodtest.ko func=bpf_lsm_file_open
 *
 * registers an ftrace_ops with IPMODIFY on FUNC. Its callback leaves the
 * instruction pointer alone (the function runs as before): the flag alone
 * claims the function, and ftrace allows one IPMODIFY user per function.
 * Loading fails with the error of register_ftrace_function() (EBUSY when
 * Charter, or anything else, redirects FUNC already) and says so.
 */
#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

static char *func = "bpf_lsm_file_open";
module_param(func, charp, 0444);
MODULE_PARM_DESC(func, "the kernel function to claim with IPMODIFY");

static void notrace ipmodtest_thunk(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *ops,
				    struct ftrace_regs *fregs)
{
}

static struct ftrace_ops ipmodtest_ops = {
	.func = ipmodtest_thunk,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION |
		 FTRACE_OPS_FL_IPMODIFY,
};

static int __init ipmodtest_init(void)
{
	int err = ftrace_set_filter(&ipmodtest_ops, func, strlen(func), 1);

	if (err) {
		pr_err("ipmodtest: cannot trace %s: %d\n", func, err);
		return err;
	}
	err = register_ftrace_function(&ipmodtest_ops);
	if (err) {
		pr_err("ipmodtest: cannot redirect %s: %d\n", func, err);
		ftrace_free_filter(&ipmodtest_ops);
		return err;
	}
	pr_info("ipmodtest: %s claimed (IPMODIFY)\n", func);
	return 0;
}

static void __exit ipmodtest_exit(void)
{
	unregister_ftrace_function(&ipmodtest_ops);
	ftrace_free_filter(&ipmodtest_ops);
}

module_init(ipmodtest_init);
module_exit(ipmodtest_exit);
MODULE_DESCRIPTION("Test: an ftrace IPMODIFY user beside Charter");
MODULE_LICENSE("GPL");
