/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: the trampoline of the BPF LSM's stubs (attach.c).
 *
 * ftrace calls it directly from a stub's first instruction (its fentry
 * site): no register is saved, no ftrace_ops callback runs. The return
 * address on the stack names the stub; the slot it hashes to holds the
 * stub's wrapper. The trampoline drops that return address, so the stack
 * is as it was at the stub's entry, and jumps to the wrapper, which
 * returns to the stub's caller (the LSM framework's hook loop) with the
 * hook's result: the stub itself, which only returns the default, never
 * runs. Arguments stay in their registers; only the scratch registers
 * %rax, %r10 and %r11, which no LSM hook takes an argument in, are used.
 * A return address with no slot (never expected) lets the stub run.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

#include "direct.h"

	.text
SYM_FUNC_START(charter_direct_tramp)
	movq	(%rsp), %r11
	movq	%r11, %rax
	imulq	charter_direct_mult(%rip), %rax
	shrq	$(64 - CHARTER_DIRECT_BITS), %rax
	shlq	$4, %rax
	leaq	charter_direct_slots(%rip), %r10
	cmpq	(%r10, %rax), %r11
	jne	.Lcharter_not_ours
	movq	8(%r10, %rax), %rax
	addq	$8, %rsp
	UNWIND_HINT_FUNC
	JMP_NOSPEC rax
.Lcharter_not_ours:
	RET
SYM_FUNC_END(charter_direct_tramp)
