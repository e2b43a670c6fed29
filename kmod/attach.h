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

#include <linux/bpf_lsm.h>
#include <linux/build_bug.h>
#include <linux/objtool.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/srcu.h>
#include <linux/types.h>
#include <asm/syscall.h>
#include <asm/unwind_hints.h>

extern struct srcu_struct charter_hook_srcu;

struct charter_hook {
	const char *bpf_name;		/* "bpf_lsm_file_open" */
	const char *sec_name;		/* "security_file_open" */
	void *bpf_wrapper;		/* replaces the BPF LSM stub */
	void *sec_wrapper;		/* replaces security_<hook> */
	void **sec_orig;		/* where sec_wrapper finds the original */
	void *bpf_tramp;		/* its own direct trampoline, or NULL */
	bool optional;			/* absent from some kernels: skip it */
	bool refuse_in_domain;		/* EPERM in a domain, else untouched */
	bool cred_blob_only;		/* stub called only for a cred blob */
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

/*
 * The build stops when a wrapper's type is not exactly that of the kernel
 * function it replaces: hooks are attached by name, so a hook whose
 * signature changed would otherwise be called with its arguments in the
 * wrong registers, silently. The kernel's types come from its own
 * declarations: bpf_lsm_<hook> (linux/bpf_lsm.h, from lsm_hook_defs.h),
 * security_<hook> (linux/security.h), and the header of each function.
 * Usable in an initializer: it is 0, or the build stops with "negative
 * width in bit-field '<ours>_differs_from_<kernels>'".
 */
#define CHARTER_SAME_TYPE(ours, kernels)				\
	(0 * (int)sizeof(struct {					\
		int ours##_differs_from_##kernels :			\
			1 - 2 * !__same_type(&(ours), &(kernels));	\
	}))

/*
 * A hook whose security_* function is not security_<hook> (hook cred_prepare,
 * function security_prepare_creds). The BPF stub is always bpf_lsm_<hook>.
 * TRAMP: its own direct trampoline, or NULL (CHARTER_HOOK_ENTRY_OWN).
 */
#define CHARTER_HOOK_ENTRY_TRAMP(hook, sec, TRAMP) {			\
		.bpf_name = "bpf_lsm_" #hook,				\
		.sec_name = #sec + CHARTER_SAME_TYPE(charter_sec_##hook, sec), \
		.bpf_wrapper = charter_bpf_##hook,			\
		.sec_wrapper = charter_sec_##hook,			\
		.sec_orig = (void **)&charter_orig_##hook,		\
		.bpf_tramp = (TRAMP),					\
	}
#define CHARTER_HOOK_ENTRY(hook, sec) CHARTER_HOOK_ENTRY_TRAMP(hook, sec, NULL)

/* The usual names: bpf_lsm_<hook> and security_<hook>. */
#define CHARTER_HOOK(hook) CHARTER_HOOK_ENTRY(hook, security_##hook)

/*
 * A hook every task calls often (an open, a connect, a datagram): when
 * its BPF stub is called directly, it is through a trampoline of its own
 * (charter_tramp_<hook>, which only the gated forms below define). The
 * shared trampoline (direct.S) costs 13 instructions on each call, this
 * one 2; each costs an ftrace_ops, whose removal waits for RCU-tasks
 * (attach.c, CHARTER_MAX_OWN).
 */
#define CHARTER_HOOK_ENTRY_OWN(hook, sec)				\
	CHARTER_HOOK_ENTRY_TRAMP(hook, sec, charter_tramp_##hook)
#define CHARTER_HOOK_OWN(hook) CHARTER_HOOK_ENTRY_OWN(hook, security_##hook)

/*
 * A hook with the usual names and one of struct charter_hook's flags,
 * FLAG, set.
 */
#define CHARTER_HOOK_FLAGGED(hook, FLAG) {				\
		.bpf_name = "bpf_lsm_" #hook,				\
		.sec_name = "security_" #hook +				\
			CHARTER_SAME_TYPE(charter_sec_##hook, security_##hook), \
		.bpf_wrapper = charter_bpf_##hook,			\
		.sec_wrapper = charter_sec_##hook,			\
		.sec_orig = (void **)&charter_orig_##hook,		\
		.FLAG = true,						\
	}

/* A hook some kernels of the series lack (skipped there). */
#define CHARTER_HOOK_OPTIONAL(hook) CHARTER_HOOK_FLAGGED(hook, optional)

/*
 * A hook whose BPF stub the LSM framework calls only for a cred that has
 * an LSM blob: security_cred_free() returns first when cred->security is
 * NULL, and every cred's is when no active LSM keeps a cred blob (a boot
 * with lsm=lockdown,yama,bpf). There, security_<hook> is hooked instead
 * (attach.c, charter_resolve_one()).
 */
#define CHARTER_HOOK_CRED_BLOB_ONLY(hook)				\
	CHARTER_HOOK_FLAGGED(hook, cred_blob_only)

/*
 * A hook whose signature changed in a way stable kernels backport, so that
 * the version number does not tell which one a kernel has: both forms are
 * built (CHARTER_HOOK_INT_FORM) and the table takes the one whose type is
 * the kernel's; the build stops if neither is.
 */
#define CHARTER_FORM(hook, a, b, what)					\
	__builtin_choose_expr(						\
		__same_type(&charter_bpf_##hook##_##a, &bpf_lsm_##hook), \
		(void *)what##_##hook##_##a, (void *)what##_##hook##_##b)

#define CHARTER_HOOK_EITHER(hook, a, b) {				\
		.bpf_name = "bpf_lsm_" #hook + (0 * (int)sizeof(struct { \
			int neither_form_of_##hook##_is_the_kernels :	\
			    1 - 2 * (!__same_type(&charter_bpf_##hook##_##a, \
						  &bpf_lsm_##hook) &&	\
				     !__same_type(&charter_bpf_##hook##_##b, \
						  &bpf_lsm_##hook));	\
			})),						\
		.sec_name = "security_" #hook,				\
		.bpf_wrapper = CHARTER_FORM(hook, a, b, charter_bpf),	\
		.sec_wrapper = CHARTER_FORM(hook, a, b, charter_sec),	\
		.sec_orig = (void **)CHARTER_FORM(hook, a, b, &charter_orig), \
	}

/*
 * Define both wrappers of an int hook whose body is charter_hook_<hook>.
 * PARAMS and ARGS come with their parentheses: (struct file *file), (file).
 */
#define CHARTER_HOOK_INT(hook, PARAMS, ARGS)				\
	static int charter_bpf_##hook PARAMS;				\
	CHARTER_ASSERT_HOOK_TYPE(hook);					\
	CHARTER_HOOK_INT_WRAPPERS(hook, PARAMS, ARGS)

/* At file scope, after a declaration of charter_bpf_<hook>. */
#define CHARTER_ASSERT_HOOK_TYPE(hook)					\
	static_assert(__same_type(&charter_bpf_##hook, &bpf_lsm_##hook), \
		      "charter_bpf_" #hook ": type differs from bpf_lsm_" #hook)

/* The form @form of a hook: see CHARTER_HOOK_EITHER. */
#define CHARTER_HOOK_INT_FORM(hook, form, PARAMS, ARGS)			\
	CHARTER_HOOK_INT_WRAPPERS(hook##_##form, PARAMS, ARGS)

/* Wrappers that always call the hook, in an SRCU read section. */
#define CHARTER_HOOK_INT_WRAPPERS(hook, PARAMS, ARGS)			\
	static int (*charter_orig_##hook) PARAMS;			\
	static int charter_bpf_##hook PARAMS				\
	{								\
		int idx = srcu_read_lock(&charter_hook_srcu);		\
		int ret = charter_hook_##hook ARGS;			\
									\
		srcu_read_unlock(&charter_hook_srcu, idx);		\
		return ret;						\
	}								\
	CHARTER_HOOK_INT_SEC_WRAPPER(hook, true, PARAMS, ARGS, NULL, ARGS)

/*
 * An int hook with nothing to do unless GATE, an expression of its
 * arguments that never sleeps (charter_current_domain(), a static key),
 * is true: the hook's body returns 0 without a side effect whenever GATE
 * is false. The BPF stub's wrapper tests GATE first and returns 0 at once,
 * before the SRCU read section: a task that does not sleep in our code is
 * waited for by RCU-tasks when unloading (attach.c), so an unconfined task
 * pays a test and a return, no barrier. The security_* wrapper calls the
 * original, which may sleep, and keeps the section.
 */
#define CHARTER_HOOK_INT_GATED(hook, GATE, PARAMS, ARGS)		\
	static int charter_bpf_##hook PARAMS;				\
	CHARTER_ASSERT_HOOK_TYPE(hook);					\
	CHARTER_HOOK_INT_GATED_WRAPPERS(hook, GATE, PARAMS, ARGS)

#define CHARTER_HOOK_INT_GATED_WRAPPERS(hook, GATE, PARAMS, ARGS)	\
	CHARTER_HOOK_INT_BODY_WRAPPERS(hook, GATE, PARAMS, ARGS,		\
				       NULL, ARGS, true)

/*
 * CHARTER_HOOK_INT_GATED for a hook whose body never sleeps (it runs in
 * softirq, or takes no sleeping lock and allocates GFP_ATOMIC or less):
 * the BPF stub's wrapper has no SRCU read section at all. Unloading
 * waits for it as for the instructions around a section: RCU-tasks for
 * tasks (preempted ones included), RCU for softirq and other code that
 * runs with preemption off (on an idle CPU's stack, which RCU-tasks does
 * not wait for); attach.c, charter_detach_all().
 */
#define CHARTER_HOOK_INT_GATED_NOSLEEP(hook, GATE, PARAMS, ARGS)	\
	static int charter_bpf_##hook PARAMS;				\
	CHARTER_ASSERT_HOOK_TYPE(hook);					\
	CHARTER_HOOK_INT_BODY_WRAPPERS(hook, GATE, PARAMS, ARGS,		\
				       NULL, ARGS, false)

/*
 * CHARTER_HOOK_INT_GATED for a hook that judges the running task: the
 * wrapper looks its domain up once, for GATE (which may read it as d)
 * and for the body, charter_hook_<hook>(d, args...), d NULL outside
 * every domain.
 */
#define CHARTER_UNPAREN(...) __VA_ARGS__
#define CHARTER_HOOK_INT_DOMAIN(hook, GATE, PARAMS, ARGS)		\
	static int charter_bpf_##hook PARAMS;				\
	CHARTER_ASSERT_HOOK_TYPE(hook);					\
	CHARTER_HOOK_INT_BODY_WRAPPERS(hook, GATE, PARAMS, ARGS,		\
				       charter_current_domain(),	\
				       (d, CHARTER_UNPAREN ARGS), true)

/* The same, for a body that never sleeps (CHARTER_HOOK_INT_GATED_NOSLEEP). */
#define CHARTER_HOOK_INT_DOMAIN_NOSLEEP(hook, GATE, PARAMS, ARGS)	\
	static int charter_bpf_##hook PARAMS;				\
	CHARTER_ASSERT_HOOK_TYPE(hook);					\
	CHARTER_HOOK_INT_BODY_WRAPPERS(hook, GATE, PARAMS, ARGS,		\
				       charter_current_domain(),	\
				       (d, CHARTER_UNPAREN ARGS), false)

/*
 * The pair of int wrappers every gated form above expands to: d, the
 * domain DOMAIN gives (NULL when the hook has no use for it, and then
 * compiled away), then GATE, then charter_hook_<hook> BODY_ARGS, in an
 * SRCU read section if it SLEEPS; the security_* wrapper calls the
 * original (which may sleep) first, always in the section, and the body
 * only if the original allowed.
 *
 * Every task pays for the BPF stub's wrapper on every call, so it is the
 * gate alone while no task is confined, where d can only be NULL; the
 * rest (looking the domain up, the gate with it, the body) is
 * charter_gate_<hook>(), never inlined. The wrapper then needs no
 * register saved: a closed gate costs a test and a return, where with
 * the body inlined the compiler saved and restored three registers
 * around it (8 instructions more on every call of every task). While a
 * task is confined, every call pays one call more.
 */
#define CHARTER_HOOK_INT_BODY_WRAPPERS(hook, GATE, PARAMS, ARGS, DOMAIN, \
				       BODY_ARGS, SLEEPS)		\
	CHARTER_DIRECT_TRAMP(hook);					\
	static int (*charter_orig_##hook) PARAMS;			\
	static noinline int charter_gate_##hook PARAMS			\
	{								\
		struct charter_domain *d __maybe_unused = (DOMAIN);	\
		int idx, ret;						\
									\
		if (!(GATE))						\
			return 0;					\
		if (!(SLEEPS))						\
			return charter_hook_##hook BODY_ARGS;		\
		idx = srcu_read_lock(&charter_hook_srcu);		\
		ret = charter_hook_##hook BODY_ARGS;			\
		srcu_read_unlock(&charter_hook_srcu, idx);		\
		return ret;						\
	}								\
	static int charter_bpf_##hook PARAMS				\
	{								\
		if (!static_branch_unlikely(&charter_confining)) {	\
			struct charter_domain *d __maybe_unused = NULL;	\
									\
			if (!(GATE))					\
				return 0;				\
		}							\
		return charter_gate_##hook ARGS;			\
	}								\
	CHARTER_HOOK_INT_SEC_WRAPPER(hook, GATE, PARAMS, ARGS, DOMAIN, BODY_ARGS)

/*
 * charter_tramp_<hook>: @hook's own direct trampoline (CHARTER_HOOK_OWN).
 * ftrace's call from the BPF stub's fentry site lands here; dropping its
 * return address leaves the stack as at the stub's entry, and the wrapper
 * returns to the stub's caller with the hook's result (direct.S does the
 * same after finding the wrapper). Arguments stay in their registers.
 * Only ftrace calls it, by a direct call: no ENDBR (a kernel built with
 * IBT needs one where a call through a pointer lands).
 */
#define CHARTER_DIRECT_TRAMP(hook)					\
	void charter_tramp_##hook(void);				\
	asm(".pushsection .text, \"ax\", @progbits\n"			\
	    ".type charter_tramp_" #hook ", @function\n"		\
	    "charter_tramp_" #hook ":\n\t"				\
	    ANNOTATE_NOENDBR						\
	    "addq $8, %rsp\n\t"					\
	    UNWIND_HINT_FUNC "\n\t"					\
	    "jmp charter_bpf_" #hook "\n"				\
	    ".size charter_tramp_" #hook ", . - charter_tramp_" #hook "\n" \
	    ".popsection\n")

/* The security_* wrapper: the original first, then GATE and the body. */
#define CHARTER_HOOK_INT_SEC_WRAPPER(hook, GATE, PARAMS, ARGS, DOMAIN,	\
				     BODY_ARGS)				\
	static int charter_sec_##hook PARAMS				\
	{								\
		struct charter_domain *d __maybe_unused = (DOMAIN);	\
		int idx = srcu_read_lock(&charter_hook_srcu);		\
		int ret = charter_orig_##hook ARGS;			\
									\
		if (!ret && (GATE))					\
			ret = charter_hook_##hook BODY_ARGS;		\
		srcu_read_unlock(&charter_hook_srcu, idx);		\
		return ret;						\
	}

/*
 * A gate: while some task is confined. (For "in a domain", use the
 * _DOMAIN forms with the gate d: the wrapper then knows d is NULL while
 * nobody is confined, and needs no register saved for a lookup.)
 */
#define CHARTER_GATE_CONFINING static_branch_unlikely(&charter_confining)

/*
 * A void hook with nothing to do unless GATE (as CHARTER_HOOK_INT_GATED)
 * and a body that never sleeps (as CHARTER_HOOK_INT_GATED_NOSLEEP): the
 * BPF stub's wrapper is the gate and a call of charter_gate_<hook>(),
 * never inlined (so the closed gate saves no register), with no SRCU
 * read section.
 */
#define CHARTER_HOOK_VOID_GATED_NOSLEEP(hook, GATE, PARAMS, ARGS)	\
	static void charter_bpf_##hook PARAMS;				\
	CHARTER_ASSERT_HOOK_TYPE(hook);					\
	static void (*charter_orig_##hook) PARAMS;			\
	static noinline void charter_gate_##hook PARAMS			\
	{								\
		charter_hook_##hook ARGS;				\
	}								\
	static void charter_bpf_##hook PARAMS				\
	{								\
		if (GATE)						\
			charter_gate_##hook ARGS;			\
	}								\
	CHARTER_HOOK_VOID_SEC_WRAPPER(hook, GATE, PARAMS, ARGS)

#define CHARTER_HOOK_VOID(hook, PARAMS, ARGS)				\
	static void charter_bpf_##hook PARAMS;				\
	CHARTER_ASSERT_HOOK_TYPE(hook);					\
	CHARTER_HOOK_VOID_WRAPPERS(hook, PARAMS, ARGS)

#define CHARTER_HOOK_VOID_WRAPPERS(hook, PARAMS, ARGS)			\
	static void (*charter_orig_##hook) PARAMS;			\
	static void charter_bpf_##hook PARAMS				\
	{								\
		int idx = srcu_read_lock(&charter_hook_srcu);		\
									\
		charter_hook_##hook ARGS;				\
		srcu_read_unlock(&charter_hook_srcu, idx);		\
	}								\
	CHARTER_HOOK_VOID_SEC_WRAPPER(hook, true, PARAMS, ARGS)

/* The security_* wrapper of a void hook: the original, then GATE and ours. */
#define CHARTER_HOOK_VOID_SEC_WRAPPER(hook, GATE, PARAMS, ARGS)		\
	static void charter_sec_##hook PARAMS				\
	{								\
		int idx = srcu_read_lock(&charter_hook_srcu);		\
									\
		charter_orig_##hook ARGS;				\
		if (GATE)						\
			charter_hook_##hook ARGS;			\
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
		.bpf_name = #fn + CHARTER_SAME_TYPE(charter_call_##fn, fn), \
		.sec_name = #fn,					\
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
void charter_leave_direct(void);
void charter_selftest_note(void);
extern struct task_struct *charter_selftest_task;

/* Is the attach self-test running (a gate of cred_prepare)? */
static inline bool charter_selftest_running(void)
{
	return unlikely(READ_ONCE(charter_selftest_task));
}
void charter_detach(void);

#endif /* _CHARTER_ATTACH_H */
