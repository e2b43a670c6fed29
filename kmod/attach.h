/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: hooks with the LSM hook signatures, attached by ftrace.
 *
 * A module cannot register LSM hooks, so each hook function replaces, by
 * ftrace redirection, either the BPF LSM's stub bpf_lsm_<hook> (called from
 * the LSM framework's own loop; we need not call the stub) or, when the BPF
 * LSM is not active, security_<hook> (we call the original first and only
 * then decide). Each hook file declares its hooks with CHARTER_HOOK_*() and
 * owns a table of them; attach.c turns the tables into redirections.
 *
 * Every wrapper runs inside an SRCU read section so that module unload can
 * wait for hooks in flight, including ones sleeping while they hash. The
 * whole module is built with -fno-optimize-sibling-calls: a wrapper whose
 * call to the original became a tail call would be redirected forever.
 */
#ifndef _CHARTER_ATTACH_H
#define _CHARTER_ATTACH_H

#include <linux/sched.h>
#include <linux/srcu.h>
#include <linux/types.h>
#include <asm/syscall.h>

extern struct srcu_struct charter_hook_srcu;

struct charter_hook {
	const char *bpf_name;		/* "bpf_lsm_file_open" */
	const char *sec_name;		/* "security_file_open" */
	void *bpf_wrapper;		/* replaces the BPF LSM stub */
	void *sec_wrapper;		/* replaces security_<hook> */
	void **sec_orig;		/* where sec_wrapper finds the original */
	bool optional;			/* absent from some kernels: skip it */
	bool refuse_in_domain;		/* EPERM in a domain, else untouched */
};

struct charter_hook_table {
	const struct charter_hook *hooks;
	unsigned int count;
};

#define CHARTER_HOOK_TABLE(name, ...)					\
	static const struct charter_hook name##_hooks[] = { __VA_ARGS__ }; \
	const struct charter_hook_table name = {			\
		.hooks = name##_hooks,					\
		.count = ARRAY_SIZE(name##_hooks),			\
	}

#define CHARTER_HOOK_ENTRY(hook, bpf, sec) {				\
		.bpf_name = bpf, .sec_name = sec,			\
		.bpf_wrapper = charter_bpf_##hook,			\
		.sec_wrapper = charter_sec_##hook,			\
		.sec_orig = (void **)&charter_orig_##hook,		\
	}

/* The usual names: bpf_lsm_<hook> and security_<hook>. */
#define CHARTER_HOOK(hook) \
	CHARTER_HOOK_ENTRY(hook, "bpf_lsm_" #hook, "security_" #hook)

/* A hook some kernels of the series lack (skipped there). */
#define CHARTER_HOOK_OPTIONAL(hook) {					\
		.bpf_name = "bpf_lsm_" #hook,				\
		.sec_name = "security_" #hook,				\
		.bpf_wrapper = charter_bpf_##hook,			\
		.sec_wrapper = charter_sec_##hook,			\
		.sec_orig = (void **)&charter_orig_##hook,		\
		.optional = true,					\
	}

/*
 * Define both wrappers of an int hook whose body is charter_hook_<hook>.
 * PARAMS and ARGS come with their parentheses: (struct file *file), (file).
 */
#define CHARTER_HOOK_INT(hook, PARAMS, ARGS)				\
	static int (*charter_orig_##hook) PARAMS;			\
	static int charter_bpf_##hook PARAMS				\
	{								\
		int idx = srcu_read_lock(&charter_hook_srcu);		\
		int ret = charter_hook_##hook ARGS;			\
									\
		srcu_read_unlock(&charter_hook_srcu, idx);		\
		return ret;						\
	}								\
	static int charter_sec_##hook PARAMS				\
	{								\
		int idx = srcu_read_lock(&charter_hook_srcu);		\
		int ret = charter_orig_##hook ARGS;			\
									\
		if (!ret)						\
			ret = charter_hook_##hook ARGS;			\
		srcu_read_unlock(&charter_hook_srcu, idx);		\
		return ret;						\
	}

#define CHARTER_HOOK_VOID(hook, PARAMS, ARGS)				\
	static void (*charter_orig_##hook) PARAMS;			\
	static void charter_bpf_##hook PARAMS				\
	{								\
		int idx = srcu_read_lock(&charter_hook_srcu);		\
									\
		charter_hook_##hook ARGS;				\
		srcu_read_unlock(&charter_hook_srcu, idx);		\
	}								\
	static void charter_sec_##hook PARAMS				\
	{								\
		int idx = srcu_read_lock(&charter_hook_srcu);		\
									\
		charter_orig_##hook ARGS;				\
		charter_hook_##hook ARGS;				\
		srcu_read_unlock(&charter_hook_srcu, idx);		\
	}

/*
 * System calls with no LSM hook on their way (unshare() of namespaces,
 * setns(), the new mount API): the wrapper replaces the system call's
 * entry itself, in both modes, decides first with
 * charter_hook_sys_<name>(regs) and calls the original only when that
 * allowed it. CHARTER_SYSCALL(name) defines the wrappers of the x86-64
 * entry and of the ia32 one; the table lists CHARTER_SYSCALL_ENTRY(name)
 * and CHARTER_SYSCALL_COMPAT_ENTRY(name), the latter skipped on a kernel
 * without 32-bit emulation. Arguments are read with charter_syscall_arg().
 */
#define CHARTER_SYSCALL_ABI(abi, name)					\
	static long (*charter_orig_##abi##_##name)(const struct pt_regs *regs); \
	static long charter_call_##abi##_##name(const struct pt_regs *regs) \
	{								\
		int idx = srcu_read_lock(&charter_hook_srcu);		\
		long ret = charter_hook_sys_##name(regs);		\
									\
		if (!ret)						\
			ret = charter_orig_##abi##_##name(regs);	\
		srcu_read_unlock(&charter_hook_srcu, idx);		\
		return ret;						\
	}

#define CHARTER_SYSCALL(name)						\
	static long charter_hook_sys_##name(const struct pt_regs *regs); \
	CHARTER_SYSCALL_ABI(x64, name)					\
	CHARTER_SYSCALL_ABI(ia32, name)

#define CHARTER_SYSCALL_ENTRY(name) {					\
		.bpf_name = "__x64_sys_" #name,				\
		.sec_name = "__x64_sys_" #name,				\
		.bpf_wrapper = charter_call_x64_##name,			\
		.sec_wrapper = charter_call_x64_##name,			\
		.sec_orig = (void **)&charter_orig_x64_##name,		\
	}

#define CHARTER_SYSCALL_COMPAT_ENTRY(name) {				\
		.bpf_name = "__ia32_sys_" #name,			\
		.sec_name = "__ia32_sys_" #name,			\
		.bpf_wrapper = charter_call_ia32_##name,		\
		.sec_wrapper = charter_call_ia32_##name,		\
		.sec_orig = (void **)&charter_orig_ia32_##name,		\
		.optional = true,					\
	}

/*
 * System calls refused outright in a domain (a table lists both entries,
 * x86-64 and ia32): no wrapper runs; the ftrace callback itself sends a
 * confined task to a stub returning -EPERM and lets every other task
 * through the original untouched. The
 * original is never called from the module, so delete_module() can
 * unload Charter itself (a wrapper would wait on its own SRCU read
 * section and return into freed code).
 */
#define CHARTER_SYSCALL_REFUSED(name) {					\
		.bpf_name = "__x64_sys_" #name,				\
		.sec_name = "__x64_sys_" #name,				\
		.refuse_in_domain = true,				\
	}

#define CHARTER_SYSCALL_COMPAT_REFUSED(name) {				\
		.bpf_name = "__ia32_sys_" #name,			\
		.sec_name = "__ia32_sys_" #name,			\
		.refuse_in_domain = true,				\
		.optional = true,					\
	}

/*
 * A kernel function that is neither an LSM hook nor a system call entry
 * but the one place every path of a system call goes through (do_adjtimex
 * for adjtimex and clock_adjtime in every ABI): replaced in both modes by
 * charter_call_<fn>, which decides first and calls charter_orig_<fn>.
 */
#define CHARTER_FUNCTION_ENTRY(fn) {					\
		.bpf_name = #fn, .sec_name = #fn,			\
		.bpf_wrapper = charter_call_##fn,			\
		.sec_wrapper = charter_call_##fn,			\
		.sec_orig = (void **)&charter_orig_##fn,		\
	}

/* Argument @n (0 to 5) of the system call being entered, either ABI. */
static inline unsigned long charter_syscall_arg(const struct pt_regs *regs,
						unsigned int n)
{
	unsigned long args[6];

	syscall_get_arguments(current, (struct pt_regs *)regs, args);
	return args[n];
}

/* The hook tables, one per concern. */
extern const struct charter_hook_table charter_cred_hooks;
extern const struct charter_hook_table charter_exec_hooks;
extern const struct charter_hook_table charter_fs_hooks;
extern const struct charter_hook_table charter_mount_hooks;
extern const struct charter_hook_table charter_net_hooks;
extern const struct charter_hook_table charter_netpeer_hooks;
extern const struct charter_hook_table charter_ptrace_hooks;
extern const struct charter_hook_table charter_kernel_hooks;

int charter_symbols_init(void);
int charter_fs_init(void);
void charter_fs_exit(void);
unsigned long charter_symbol(const char *name);
int charter_attach(void);
void charter_detach(void);

#endif /* _CHARTER_ATTACH_H */
