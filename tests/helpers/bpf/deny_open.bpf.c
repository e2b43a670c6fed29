// SPDX-License-Identifier: GPL-2.0
/*
 * deny_open: BPF LSM programs for the coexistence tests.
 *
 * deny_open (lsm/file_open) refuses (-EPERM) to every task the opening of
 * a file whose dentry is named as the loader wrote into deny_name[0]; it
 * counts its refusals in counts[COUNT_REFUSED].
 *
 * watch_cred_prepare (lsm/cred_prepare) only counts, in
 * counts[COUNT_CRED_PREPARE], and allows: an observer on a hook where
 * Charter keeps books (a domain follows its cred into exec through it).
 *
 * No vmlinux.h: the few kernel structures read are declared here with
 * preserve_access_index, so libbpf relocates each field against the
 * running kernel's BTF (/sys/kernel/btf/vmlinux) at load time and one
 * object serves every kernel of the series.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1
#define NAME_MAX_LEN 64		/* bpflsm.c holds the same */

struct qstr {
	const unsigned char *name;
} __attribute__((preserve_access_index));

struct dentry {
	struct qstr d_name;
} __attribute__((preserve_access_index));

struct path {
	struct dentry *dentry;
} __attribute__((preserve_access_index));

struct file {
	struct path f_path;
} __attribute__((preserve_access_index));

struct deny_name {
	char name[NAME_MAX_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct deny_name);
} deny_name SEC(".maps");

enum { COUNT_REFUSED, COUNT_CRED_PREPARE, COUNT_MAX };	/* as bpflsm.c */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, COUNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct cred;

static __always_inline void count(__u32 which)
{
	__u64 *n = bpf_map_lookup_elem(&counts, &which);

	if (n)
		__sync_fetch_and_add(n, 1);
}

/* Is the dentry's name exactly @want (NUL-terminated, non-empty)? */
static __always_inline int name_is(const unsigned char *name,
				   const struct deny_name *want)
{
	char got[NAME_MAX_LEN];
	int i;

	if (bpf_probe_read_kernel_str(got, sizeof(got), name) <= 0)
		return 0;
	for (i = 0; i < NAME_MAX_LEN; i++) {
		if (got[i] != want->name[i])
			return 0;
		if (!got[i])
			return i > 0;
	}
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(deny_open, struct file *file, int ret)
{
	__u32 zero = 0;
	struct deny_name *want;

	/*
	 * @ret (what an earlier program on this hook returned) is not
	 * passed on: the trampoline stops at the first refusal, so it is 0
	 * here, and newer verifiers refuse a return value of unknown range.
	 */
	want = bpf_map_lookup_elem(&deny_name, &zero);
	if (!want || !name_is(file->f_path.dentry->d_name.name, want))
		return 0;
	count(COUNT_REFUSED);
	return -EPERM;
}

SEC("lsm/cred_prepare")
int BPF_PROG(watch_cred_prepare, struct cred *new, const struct cred *old,
	     unsigned int gfp)
{
	count(COUNT_CRED_PREPARE);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
