/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charter: a domain is what a confined task is held to, and which
 * credentials carry which domain.
 */
#ifndef _CHARTER_DOMAIN_H
#define _CHARTER_DOMAIN_H

#include <linux/cred.h>
#include <linux/jump_label.h>
#include <linux/refcount.h>
#include <linux/types.h>

#include "decide.h"

struct charter_lineage;
struct charter_policy;
struct charter_manifest;
struct charter_endpoint;
struct charter_object;
struct file;
struct path;

/* As Landlock: at most this many manifests stacked in one domain. */
#define CHARTER_MAX_LAYERS 16

/* One manifest of a domain: the newest version loaded (lineage.c). */
struct charter_layer {
	struct charter_lineage *lineage;	/* holds a reference */
};

/*
 * Immutable once made; shared by every cred of the tasks confined by it.
 * An access is allowed only if every layer allows it. Each layer follows
 * its manifest into newer policies (by executable identity) and keeps the
 * last version when a newer policy drops it.
 */
struct charter_domain {
	refcount_t usage;
	u32 depth;
	struct charter_layer layers[];
};

/* domain.c */
struct charter_domain *charter_domain_stack(const struct charter_domain *parent,
					    struct charter_policy *policy,
					    const struct charter_manifest *m);
void charter_domain_put(struct charter_domain *domain);
u32 charter_domain_count_now(void);
int charter_domain_check(const struct charter_domain *domain, const char *path,
			 u32 requested);
int charter_domain_check_len(const struct charter_domain *d, const char *path,
			     size_t len, u32 requested);
int charter_domain_check_move(const struct charter_domain *domain,
			      const char *from, const char *to, bool tree);
bool charter_domain_has(const struct charter_domain *domain,
			const struct charter_manifest *m);
/* Is @inner @outer or nested in it? NULL (no domain) contains them all. */
bool charter_domain_contains(const struct charter_domain *outer,
			     const struct charter_domain *inner);
int charter_domain_check_net(const struct charter_domain *domain, u8 direction,
			     const struct charter_endpoint *ep);
int charter_domain_check_port(const struct charter_domain *domain,
			      const struct charter_endpoint *ep);
int charter_domain_check_peer(const struct charter_domain *domain,
			      const struct charter_endpoint *local,
			      const struct charter_endpoint *sender);
int charter_domain_check_device(const struct charter_domain *domain,
				u32 classes, dev_t devt, const char *path,
				u32 requested);
int charter_domain_check_server(const struct charter_domain *d, u32 classes,
				const char *path, size_t len);
bool charter_domain_grants_classes(const struct charter_domain *d, u32 classes);

static inline struct charter_domain *
charter_domain_get(struct charter_domain *domain)
{
	refcount_inc(&domain->usage);
	return domain;
}


/* fs.c: may @d do @requested on the file at @path? 0 or -EACCES. */
int charter_check_path(const struct charter_domain *d, const struct path *path,
		       u32 requested);

/* fs.c: a connect or datagram to the socket @other bound at @path (net.c). */
struct sock;
int charter_check_unix_path(const struct charter_domain *d,
			    const struct path *path, const struct sock *other,
			    bool stream);

/* net.c: may a class grant the server's socket @other? */
bool charter_server_maker_ok(const struct sock *other, u32 classes);

/*
 * The ioctl checks, for a task in domain @d (kernel.c's one hook looks it
 * up, and calls none of them outside every domain); 0 or a negative errno.
 */
/* fs.c: ioctls that change a file (write) or its filesystem (EPERM). */
int charter_check_fs_ioctl(const struct charter_domain *d, struct file *file,
			   unsigned int cmd);

/* net.c: socket ioctls that change the network's configuration. */
int charter_check_net_ioctl(const struct charter_domain *d, struct file *file,
			    unsigned int cmd);

/* ptrace.c: may current make the owner FIOSETOWN/SIOCSPGRP names? */
int charter_check_owner_ioctl(const struct charter_domain *d, unsigned int cmd,
			      unsigned long arg);

/* cred.c: on while at least one cred carries a domain. */
DECLARE_STATIC_KEY_FALSE(charter_confining);

struct charter_domain *charter_cred_domain(const struct cred *cred);
struct charter_domain *charter_cred_domain_rcu(const struct cred *cred);
int charter_cred_set(const struct cred *cred, struct charter_domain *domain);
u32 charter_cred_confined_tasks(void);
u32 charter_cred_count_now(void);
int charter_cred_init(void);
void charter_cred_exit(void);

/* The domain of the running task, or NULL; a near-free test when none. */
static inline struct charter_domain *charter_current_domain(void)
{
	if (!static_branch_unlikely(&charter_confining))
		return NULL;
	return charter_cred_domain(current_cred());
}

/* Every layer refuses @obj, each through its mode (decide.c). */
int charter_domain_refuse(const struct charter_domain *domain,
			  struct charter_object *obj);

/*
 * For what no manifest can grant (mounts, namespaces, kernel modules...):
 * EPERM in a domain, whatever the task's uid or capabilities, reported
 * and waived by the mode (charter_refuse()). @fmt names the operation.
 */
#define charter_refuse_in_domain(fmt, ...) ({				\
	struct charter_domain *__d = charter_current_domain();		\
									\
	__d ? charter_refuse(__d, -EPERM, fmt, ##__VA_ARGS__) : 0;	\
})

#endif /* _CHARTER_DOMAIN_H */
