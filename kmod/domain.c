// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: domains, stacks of manifest layers.
 *
 * A task that executes a manifested program enters a domain of one
 * layer; if it was already confined, the new domain is its old one with
 * the new manifest on top, and every access must be allowed by every
 * layer (as Landlock stacks rulesets). A domain is never left: children
 * inherit it, exec only adds layers.
 *
 * Each layer is the lineage of its manifest (lineage.c): decisions use
 * the newest version of that manifest (same executable) ever loaded while
 * it ran. A policy update reaches running tasks; a policy that drops the
 * manifest, or an unload, neither frees them nor gives them back what an
 * older version granted.
 */

#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cache.h"
#include "decide.h"
#include "dev.h"
#include "domain.h"
#include "events.h"
#include "lineage.h"
#include "match.h"
#include "netrule.h"
#include "policy.h"
#include "servers.h"

bool charter_domain_has(const struct charter_domain *d,
			const struct charter_manifest *m)
{
	u32 i;

	for (i = 0; d && i < d->depth; i++)
		if (charter_lineage_is(d->layers[i].lineage, m))
			return true;
	return false;
}

/*
 * Is @inner @outer or nested inside it (its first layers are @outer's)?
 * No domain (NULL) contains every domain; a domain never contains NULL.
 */
bool charter_domain_contains(const struct charter_domain *outer,
			     const struct charter_domain *inner)
{
	u32 i;

	if (!outer)
		return true;
	if (!inner || inner->depth < outer->depth)
		return false;
	/* One live lineage per executable: the same program, the same one. */
	for (i = 0; i < outer->depth; i++)
		if (outer->layers[i].lineage != inner->layers[i].lineage)
			return false;
	return true;
}

/* Domains allocated and not yet freed (charter_domain_count_now()). */
static atomic_t charter_domains_live = ATOMIC_INIT(0);

/*
 * @parent (may be NULL) with @m, found in @policy, on top; ERR_PTR(-E2BIG)
 * past the limit, ERR_PTR(-ENOMEM). Sleeps.
 */
struct charter_domain *charter_domain_stack(const struct charter_domain *parent,
					    struct charter_policy *policy,
					    const struct charter_manifest *m)
{
	u32 depth = parent ? parent->depth : 0, i;
	struct charter_lineage *top;
	struct charter_domain *d;

	if (depth >= CHARTER_MAX_LAYERS)
		return ERR_PTR(-E2BIG);
	d = kzalloc(struct_size(d, layers, depth + 1), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	top = charter_lineage_get(policy, m);
	if (IS_ERR(top)) {
		kfree(d);
		return ERR_CAST(top);
	}
	refcount_set(&d->usage, 1);
	for (i = 0; i < depth; i++)
		d->layers[i].lineage = charter_lineage_dup(parent->layers[i].lineage);
	d->layers[depth].lineage = top;
	d->depth = depth + 1;
	atomic_inc(&charter_domains_live);
	return d;
}

/* May run in atomic context (the last cred goes away in an RCU callback). */
void charter_domain_put(struct charter_domain *d)
{
	u32 i;

	if (!d || !refcount_dec_and_test(&d->usage))
		return;
	for (i = 0; i < d->depth; i++)
		charter_lineage_put(d->layers[i].lineage);
	kfree(d);
	atomic_dec(&charter_domains_live);
}

/**
 * charter_domain_count_now() - how many domains are alive
 *
 * Return: domains allocated by charter_domain_stack() and not yet freed
 * (status: 0 once no credential holds one, or a reference leaked).
 */
u32 charter_domain_count_now(void)
{
	return atomic_read(&charter_domains_live);
}

/* The version of the layer's manifest to use now; under rcu_read_lock(). */
static const struct charter_manifest *
charter_layer_manifest(const struct charter_layer *l)
{
	return charter_lineage_manifest(l->lineage);
}

/*
 * What @m grants on @path: its rules, through the manifest's index (the
 * cost does not grow with its rules), the answer remembered for the next
 * time (cache.c); and read on a sound server's directory when @m grants a
 * sound class (servers.c). Refusals and moves ask here, the fast look of
 * an allowed open does not: a move can no more gain that read than a
 * rule's (red team).
 */
static u32 charter_layer_access(const struct charter_manifest *m,
				const char *path)
{
	u32 g = charter_cache_path_access(&m->path_index, path);

	if (m->devices && !(g & CHARTER_ACCESS_READ) &&
	    (m->devices & charter_server_dir_classes(path, strlen(path),
						     CHARTER_ACCESS_READ)))
		g |= CHARTER_ACCESS_READ;
	return g;
}

/*
 * Ask every layer whether it grants @obj; a layer that does not is refused
 * through its manifest's mode (and reported). One decision, one count.
 */
static int charter_domain_ask(const struct charter_domain *d,
			      bool (*grants)(const struct charter_manifest *m,
					     struct charter_object *obj),
			      struct charter_object *obj)
{
	bool granted = true;
	int ret = 0;
	u32 i;

	rcu_read_lock();
	for (i = 0; i < d->depth && !ret; i++) {
		const struct charter_manifest *m = charter_layer_manifest(&d->layers[i]);

		if (!grants(m, obj)) {
			granted = false;
			ret = charter_decide_refusal(m, obj);
		}
	}
	rcu_read_unlock();
	if (granted)
		charter_count_allowed();
	return ret;
}

static bool charter_grants_nothing(const struct charter_manifest *m,
				   struct charter_object *obj)
{
	return false;
}

int charter_domain_refuse(const struct charter_domain *d,
			  struct charter_object *obj)
{
	return charter_domain_ask(d, charter_grants_nothing, obj);
}

static bool charter_grants_path(const struct charter_manifest *m,
				struct charter_object *obj)
{
	u32 g = obj->path ? charter_layer_access(m, obj->path) : 0;

	return (g & obj->access) == obj->access;
}

/* The decision when some layer did not grant: out of an open's way. */
static noinline int charter_domain_ask_path(const struct charter_domain *d,
					    const char *path, u32 requested)
{
	struct charter_object obj = { .path = path, .access = requested };

	return charter_domain_ask(d, charter_grants_path, &obj);
}

/* Does every layer grant @requested on @path, of @len bytes? */
static bool charter_layers_grant(const struct charter_domain *d,
				 const char *path, size_t len, u32 requested)
{
	bool granted = true;
	u32 i;

	rcu_read_lock();
	for (i = 0; i < d->depth && granted; i++) {
		const struct charter_manifest *m =
			charter_layer_manifest(&d->layers[i]);
		u32 g = charter_cache_path_access_len(&m->path_index, path, len);

		granted = (g & requested) == requested;
	}
	rcu_read_unlock();
	return granted;
}

/**
 * charter_domain_check_len() - may the domain have @requested on a path?
 * @d: the domain
 * @path: the path (NULL: it has none, and nothing is granted)
 * @len: strlen(@path)
 * @requested: CHARTER_ACCESS_* wanted
 *
 * Every layer must grant it. Asked first without building the decision's
 * object, as charter_domain_check_net() does; a refusal is decided (and
 * reported) by charter_domain_ask().
 *
 * Return: 0, or the decision's errno.
 */
int charter_domain_check_len(const struct charter_domain *d, const char *path,
			     size_t len, u32 requested)
{
	if (!path || !charter_layers_grant(d, path, len, requested))
		return charter_domain_ask_path(d, path, requested);
	charter_count_allowed();
	return 0;
}

/* Every layer must grant @requested on @path (NULL: nothing is granted). */
int charter_domain_check(const struct charter_domain *d, const char *path,
			 u32 requested)
{
	return charter_domain_check_len(d, path, path ? strlen(path) : 0,
					requested);
}

static bool charter_grants_device(const struct charter_manifest *m,
				  struct charter_object *obj)
{
	u32 wanted = obj->dev_classes & ~CHARTER_DEV_MATCH_ANY;

	if (!wanted)
		return false;
	if (obj->dev_classes & CHARTER_DEV_MATCH_ANY)
		return m->devices & wanted;
	return (m->devices & wanted) == wanted;
}

/*
 * A device node of @classes (0: in none, or being created) at @path: every
 * layer must grant all its classes (or one, with CHARTER_DEV_MATCH_ANY).
 */
int charter_domain_check_device(const struct charter_domain *d, u32 classes,
				dev_t devt, const char *path, u32 requested)
{
	struct charter_object obj = { .path = path, .access = requested,
				      .is_device = true, .dev_classes = classes,
				      .devt = devt };

	return charter_domain_ask(d, charter_grants_device, &obj);
}

static bool charter_grants_server(const struct charter_manifest *m,
				  struct charter_object *obj)
{
	return (m->devices & charter_server_grantors(obj->dev_classes)) ||
	       charter_grants_path(m, obj);
}

/**
 * charter_domain_grants_classes() - does every layer grant one of @classes?
 * @d: the domain
 * @classes: CHARTER_DEV_BIT() mask
 *
 * Return: true when each layer's allowedDevices holds at least one.
 */
bool charter_domain_grants_classes(const struct charter_domain *d, u32 classes)
{
	bool granted = true;
	u32 i;

	rcu_read_lock();
	for (i = 0; i < d->depth && granted; i++)
		granted = charter_layer_manifest(&d->layers[i])->devices & classes;
	rcu_read_unlock();
	return granted;
}

/**
 * charter_domain_check_server() - may the domain connect to a server?
 * @d: the domain
 * @classes: the device classes the socket serves (charter_server_classes())
 * @path: where it is bound (an abstract socket: "@" and its name)
 * @len: strlen(@path)
 *
 * Every layer must grant one of the classes or, for a pathname socket,
 * write on its path.
 *
 * Return: 0, or the decision's errno.
 */
int charter_domain_check_server(const struct charter_domain *d, u32 classes,
				const char *path, size_t len)
{
	struct charter_object obj = { .path = path, .access = CHARTER_ACCESS_WRITE,
				      .is_device = true, .is_server = true,
				      .dev_classes = classes | CHARTER_DEV_MATCH_ANY };

	if (path[0] != '@' &&
	    charter_layers_grant(d, path, len, CHARTER_ACCESS_WRITE)) {
		charter_count_allowed();
		return 0;
	}
	return charter_domain_ask(d, charter_grants_server, &obj);
}

/*
 * Do @m's network rules let @ep through in @direction, or, for a datagram
 * that may be a reply (@sender, else NULL), allow sending to @sender?
 */
static __always_inline bool
charter_manifest_allows(const struct charter_manifest *m, u8 direction,
			const struct charter_endpoint *ep,
			const struct charter_endpoint *sender)
{
	return charter_net_index_allows(&m->net_index, direction, ep) ||
	       (sender && charter_net_index_allows(&m->net_index,
						   CHARTER_NET_OUTBOUND, sender));
}

static bool charter_grants_net(const struct charter_manifest *m,
			       struct charter_object *obj)
{
	return charter_manifest_allows(m, obj->direction, obj->ep, NULL);
}

/*
 * Does every layer allow @ep in @direction (charter_manifest_allows())?
 * The answer of a datagram, most often yes: asked first without building
 * the decision's object (charter_domain_ask() asks again, through the
 * same test, for the refusal). In an RCU read-side section.
 */
static __always_inline bool
charter_layers_allow(const struct charter_domain *d, u8 direction,
		     const struct charter_endpoint *ep,
		     const struct charter_endpoint *sender)
{
	bool allowed = true;
	u32 i;

	for (i = 0; i < d->depth && allowed; i++)
		allowed = charter_manifest_allows(charter_layer_manifest(&d->layers[i]),
						  direction, ep, sender);
	return allowed;
}

/* The decision when some layer did not allow: out of the datagram's way. */
static noinline int charter_domain_ask_net(const struct charter_domain *d,
					   u8 direction,
					   const struct charter_endpoint *ep)
{
	struct charter_object obj = { .ep = ep, .direction = direction };

	return charter_domain_ask(d, charter_grants_net, &obj);
}

/* Every layer must have a rule allowing @ep in @direction. */
int charter_domain_check_net(const struct charter_domain *d, u8 direction,
			     const struct charter_endpoint *ep)
{
	bool allowed;

	/* Preemption off, not two calls: charter_cred_domain_walk(). */
	rcu_read_lock_sched();
	allowed = charter_layers_allow(d, direction, ep, NULL);
	rcu_read_unlock_sched();
	if (!allowed)
		return charter_domain_ask_net(d, direction, ep);
	charter_count_allowed();
	return 0;
}

static bool charter_grants_port(const struct charter_manifest *m,
				struct charter_object *obj)
{
	return charter_net_index_allows_port(&m->net_index, obj->ep->protocol,
					     obj->ep->port);
}

/*
 * Every layer must have an inbound rule for @ep's protocol and port, on
 * any address: a service bound at @ep (reported as such).
 */
int charter_domain_check_port(const struct charter_domain *d,
			      const struct charter_endpoint *ep)
{
	struct charter_object obj = { .ep = ep, .service = true,
				      .direction = CHARTER_NET_INBOUND };

	return charter_domain_ask(d, charter_grants_port, &obj);
}

/* A peer's packet: obj.ep is (peer address, local port), as reported. */
struct charter_peer_object {
	struct charter_object obj;
	const struct charter_endpoint *sender;	/* (peer address, its port) */
};

/*
 * An inbound rule for the peer's address on the local port; for UDP also
 * an outbound rule for the peer's address and port, since the program
 * may send there and this is its reply.
 */
static bool charter_grants_peer(const struct charter_manifest *m,
				struct charter_object *obj)
{
	const struct charter_peer_object *peer =
		container_of(obj, struct charter_peer_object, obj);

	return charter_manifest_allows(m, CHARTER_NET_INBOUND, obj->ep,
				       peer->sender);
}

static noinline int
charter_domain_ask_peer(const struct charter_domain *d,
			const struct charter_endpoint *local,
			const struct charter_endpoint *sender)
{
	struct charter_peer_object peer = {
		.obj = { .ep = local, .direction = CHARTER_NET_INBOUND },
		.sender = sender,
	};

	return charter_domain_ask(d, charter_grants_peer, &peer.obj);
}

/**
 * charter_domain_check_peer() - may a peer reach a socket of the domain?
 * @d: the domain owning the receiving socket
 * @local: the peer's address with the local port (its protocol set)
 * @sender: the peer's address and port for a datagram that may be a reply
 *	(UDP), NULL for a connection (TCP)
 *
 * May run in softirq: nothing on the way sleeps. The caller is in an RCU
 * read-side section (rcu_read_lock() or _sched()), for @d (its owner's
 * credentials) and for its layers' manifests.
 *
 * Return: 0 if every layer grants it, else the decision's errno.
 */
int charter_domain_check_peer(const struct charter_domain *d,
			      const struct charter_endpoint *local,
			      const struct charter_endpoint *sender)
{
	if (!charter_layers_allow(d, CHARTER_NET_INBOUND, local, sender))
		return charter_domain_ask_peer(d, local, sender);
	charter_count_allowed();
	return 0;
}

/*
 * What moving a file from obj->path to obj->path2 would gain: the rights
 * at the new path it lacks at the old one. In obj->access, for the report.
 */
static bool charter_grants_move(const struct charter_manifest *m,
				struct charter_object *obj)
{
	u32 g_from = obj->path ? charter_layer_access(m, obj->path) : 0;
	u32 g_to = obj->path2 ? charter_layer_access(m, obj->path2)
			      : CHARTER_ACCESS_ALL;

	obj->access = g_to & ~g_from;
	return !obj->access;
}

/*
 * The same for a directory, which takes its whole tree along. A file
 * beneath it, at old path + x, had at least the rights of the old path
 * (what covers a directory covers its content); at new path + x it gets
 * nothing new beyond what charter_rules_move_bound() says rules may give
 * there. That bound must lie within the old path's rights: then no file
 * of the tree, whatever its name, gains a right by the move.
 */
static bool charter_grants_tree_move(const struct charter_manifest *m,
				     struct charter_object *obj)
{
	u32 g_from = obj->path ? charter_layer_access(m, obj->path) : 0;
	/* The bound is the rules'; a class's read at the new path counts too. */
	u32 g_to = obj->path2 ? charter_rules_move_bound(m->path_rules,
							 m->path_count,
							 obj->path, obj->path2) |
				(charter_layer_access(m, obj->path2) &
				 CHARTER_ACCESS_READ)
			      : CHARTER_ACCESS_ALL;

	obj->access = g_to & ~g_from;
	return !obj->access;
}

/**
 * charter_domain_check_move() - may a link or rename take a name elsewhere?
 * @d: the domain of the task
 * @from: the entry's path now (NULL: it could not be named)
 * @to: its new path (NULL: it could not be named)
 * @tree: the entry is a directory, moved with everything beneath it
 *
 * A file linked or renamed must not gain rights it did not have: in every
 * layer, the rights at @to are a subset of those at @from. (Otherwise a
 * hard link into a readable directory would read what the manifest keeps
 * out.) A directory must not give any file beneath it more rights either:
 * with path rules that match beneath a directory (globs), comparing the
 * directory's own two paths is not enough.
 *
 * Return: 0 or -EACCES (or 0 for a manifest that only complains).
 */
int charter_domain_check_move(const struct charter_domain *d, const char *from,
			      const char *to, bool tree)
{
	struct charter_object obj = { .path = from, .path2 = to };

	return charter_domain_ask(d, tree ? charter_grants_tree_move
					  : charter_grants_move, &obj);
}
