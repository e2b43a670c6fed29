// SPDX-License-Identifier: GPL-2.0
/*
 * A QEMU TCG plugin for scripts/profile.sh: how many guest instructions
 * ran from each translation block's start address, written at exit as
 * "vaddr instructions executions" lines (hex, decimal, decimal) to the
 * file given as out=FILE (default /tmp/tbprof.out). Under -icount one
 * instruction is one guest nanosecond, so this splits make bench's
 * figures by function, exactly and without sampling.
 *
 * Debian's QEMU 7.2 loads plugins but ships neither qemu-plugin.h nor the
 * contrib plugins (hotblocks and the like): the few declarations of the
 * plugin API version 1 (QEMU 7.2's include/qemu/qemu-plugin.h) used here
 * are repeated below. A translation block ends at every branch, so its
 * start address names the function it runs in; each translation of a
 * block counts on its own, and they are summed by address at exit.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*udata_cb_t)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op, void *ptr,
					      uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, udata_cb_t cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* One translation: its address, its instruction count, how often it ran. */
struct tbc { uint64_t vaddr, n, count; };
static struct tbc **all;
static size_t nall, cap;
static const char *out = "/tmp/tbprof.out";

static void trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct tbc *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	c->vaddr = qemu_plugin_tb_vaddr(tb);
	c->n = qemu_plugin_tb_n_insns(tb);
	if (nall == cap) {
		cap = cap ? cap * 2 : 65536;
		all = realloc(all, cap * sizeof(*all));
		if (!all)
			abort();
	}
	all[nall++] = c;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &c->count, 1);
}

static int by_vaddr(const void *a, const void *b)
{
	const struct tbc *x = *(struct tbc *const *)a, *y = *(struct tbc *const *)b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static void at_exit(qemu_plugin_id_t id, void *u)
{
	FILE *f = fopen(out, "w");
	size_t i = 0;

	qsort(all, nall, sizeof(*all), by_vaddr);
	while (f && i < nall) {
		uint64_t v = all[i]->vaddr, insns = 0, execs = 0;

		for (; i < nall && all[i]->vaddr == v; i++) {
			insns += all[i]->count * all[i]->n;
			execs += all[i]->count;
		}
		if (insns)
			fprintf(f, "%" PRIx64 " %" PRIu64 " %" PRIu64 "\n", v, insns, execs);
	}
	if (f)
		fclose(f);
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out = argv[i] + 4;
	qemu_plugin_register_vcpu_tb_trans_cb(id, trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
