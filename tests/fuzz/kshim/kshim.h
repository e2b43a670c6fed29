/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's API to build the module's pure parts (blob
 * decoder, policy index, matcher) as ordinary userspace C for libFuzzer.
 * Single-threaded: RCU and mutexes are no-ops, call_rcu runs at once.
 */
#ifndef CHARTER_KSHIM_H
#define CHARTER_KSHIM_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;
typedef uint16_t __be16;
typedef uint32_t __be32;
typedef unsigned int gfp_t;

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the fuzz shim assumes a little-endian host"
#endif
#define le16_to_cpu(x) ((u16)(x))
#define le32_to_cpu(x) ((u32)(x))
#define le64_to_cpu(x) ((u64)(x))
#define cpu_to_le16(x) ((u16)(x))
#define cpu_to_le32(x) ((u32)(x))
#define cpu_to_le64(x) ((u64)(x))
#define be16_to_cpu(x) __builtin_bswap16(x)
#define be32_to_cpu(x) __builtin_bswap32(x)

#define U32_MAX UINT32_MAX
#define GFP_KERNEL 0
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a) - 1)) == 0)
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

#define MAX_ERRNO 4095
static inline void *ERR_PTR(long err) { return (void *)err; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p)
{
	return (unsigned long)p >= (unsigned long)-MAX_ERRNO;
}

static inline void *kzalloc(size_t n, gfp_t g) { (void)g; return calloc(1, n); }
static inline void *kmalloc(size_t n, gfp_t g) { (void)g; return malloc(n); }
static inline void *kvmalloc(size_t n, gfp_t g) { (void)g; return malloc(n ? n : 1); }
static inline void *kvcalloc(size_t n, size_t s, gfp_t g) { (void)g; return calloc(n, s); }
static inline void *kvmalloc_array(size_t n, size_t s, gfp_t g)
{
	(void)g;
	return s && n > SIZE_MAX / s ? NULL : malloc(n * s);
}
static inline void kfree(const void *p) { free((void *)p); }
static inline void kvfree(const void *p) { free((void *)p); }
/* policy.c's memory count: every allocation as kmalloc() would round it. */
#define PAGE_SIZE 4096UL
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
static inline bool is_vmalloc_addr(const void *p) { (void)p; return false; }
static inline size_t kmalloc_size_roundup(size_t n) { return n; }

struct kref { int refcount; };
/* atomic64_t: single-threaded, a plain counter. */
typedef struct { int64_t counter; } atomic64_t;
#define ATOMIC64_INIT(i) { (i) }
static inline int64_t atomic64_inc_return(atomic64_t *v) { return ++v->counter; }

static inline void kref_init(struct kref *k) { k->refcount = 1; }
static inline void kref_get(struct kref *k) { k->refcount++; }
static inline int kref_get_unless_zero(struct kref *k)
{
	return k->refcount ? ++k->refcount : 0;
}
static inline int kref_put(struct kref *k, void (*release)(struct kref *))
{
	if (--k->refcount)
		return 0;
	release(k);
	return 1;
}

struct rcu_head { int unused; };
/* The list and refcount types a header declares a structure with (lineage.h). */
struct list_head { struct list_head *next, *prev; };
struct hlist_node { struct hlist_node *next, **pprev; };
typedef struct { int refs; } refcount_t;
#define __rcu
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define rcu_dereference(p) (p)
#define rcu_dereference_protected(p, c) (p)
#define rcu_dereference_check(p, c) (p)
#define rcu_read_lock_any_held() 1
#define rcu_read_lock_sched() do { } while (0)
#define rcu_read_unlock_sched() do { } while (0)
#define rcu_barrier() do { } while (0)
#define lockdep_is_held(l) 1
#define rcu_replace_pointer(p, v, c) ({ typeof(p) __old = (p); (p) = (v); __old; })
static inline void call_rcu(struct rcu_head *h, void (*fn)(struct rcu_head *)) { fn(h); }

struct mutex { int unused; };
#define DEFINE_MUTEX(name) struct mutex name
#define mutex_lock(m) do { (void)(m); } while (0)
#define mutex_unlock(m) do { (void)(m); } while (0)

static inline u32 hash_64(u64 val, unsigned int bits)
{
	return (u32)((val * 0x61C8864680B583EBull) >> (64 - bits));
}
static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (u32)(val * 0x61C88647u) >> (32 - bits);
}
static inline unsigned int ilog2(u32 n)
{
	return 31 - __builtin_clz(n);
}
static inline u32 roundup_pow_of_two(u32 n)
{
	u32 p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

struct netlink_ext_ack { const char *_msg; };
#define NL_SET_ERR_MSG(e, m) do { if (e) (e)->_msg = (m); } while (0)

#endif
