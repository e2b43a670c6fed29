// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: the "charter" generic-netlink family, the control plane.
 *
 * Who may do what (Documentation/abi.rst):
 *  - change anything (load, mode, lock): CAP_MAC_ADMIN in the initial user
 *    namespace, not confined by Charter, and not after a lock;
 *  - list the loaded manifests, read the policy back, read what a
 *    learning manifest recorded: CAP_MAC_ADMIN (a list tells which
 *    programs are watched and which are not);
 *  - read the status: anyone (counts only, as /sys/kernel/security/lsm);
 *  - ask whether a manifest the caller names (name, executable, run path)
 *    is loaded: anyone (yes or no).
 * Errors carry an extended-ack message naming the problem.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "decide.h"
#include "domain.h"
#include "events.h"
#include "ident.h"
#include "learn.h"
#include "netlink.h"
#include "policy.h"
#include "uapi/charter.h"

#define CHARTER_VERSION_STRING "0.2.0"

static struct genl_family charter_genl_family;
static bool charter_locked;

static const struct nla_policy charter_load_policy[CHARTER_A_MAX + 1] = {
	[CHARTER_A_POLICY_CHUNK] = { .type = NLA_BINARY },
	[CHARTER_A_POLICY_GENERATION] = { .type = NLA_U64 },
};

static const struct nla_policy charter_learn_policy[CHARTER_A_MAX + 1] = {
	[CHARTER_A_MANIFEST_NAME] = { .type = NLA_NUL_STRING,
				      .len = CHARTER_NAME_MAX },
};

static const struct nla_policy charter_mode_policy[CHARTER_A_MAX + 1] = {
	[CHARTER_A_MODE] = NLA_POLICY_MAX(NLA_U8, CHARTER_MODE_MAX),
	[CHARTER_A_MANIFEST_NAME] = { .type = NLA_NUL_STRING,
				      .len = CHARTER_NAME_MAX },
};

static const struct nla_policy charter_query_policy[CHARTER_A_MAX + 1] = {
	[CHARTER_A_MANIFEST_NAME] = { .type = NLA_NUL_STRING,
				      .len = CHARTER_NAME_MAX },
	[CHARTER_A_MANIFEST_SHA256] = NLA_POLICY_EXACT_LEN(CHARTER_SHA256_LEN),
	[CHARTER_A_MANIFEST_EXE_SIZE] = { .type = NLA_U64 },
	[CHARTER_A_MANIFEST_RUN] = { .type = NLA_NUL_STRING,
				     .len = CHARTER_PATTERN_MAX },
};

static const struct nla_policy charter_empty_policy[CHARTER_A_MAX + 1] = {};

/*
 * A confined task never changes the policy, the modes or the lock: in
 * every mode (a mode cannot waive what sets modes: decide.c), reported.
 */
static int charter_refuse_control(const struct charter_domain *d,
				  const struct genl_info *info)
{
	static const char *const names[] = {
		[CHARTER_CMD_POLICY_LOAD] = "charter policy load",
		[CHARTER_CMD_SET_MODE] = "charter mode change",
		[CHARTER_CMD_LOCK] = "charter lock",
	};
	u8 cmd = info->genlhdr->cmd;
	struct charter_object obj = {
		.operation = cmd < ARRAY_SIZE(names) && names[cmd] ?
			     names[cmd] : "charter control",
		.err = -EPERM,
		.always = true,
	};

	return charter_domain_refuse(d, &obj) ?: -EPERM;
}

static int charter_may_change(struct sk_buff *skb, struct genl_info *info)
{
	const struct charter_domain *d;

	if (!netlink_capable(skb, CAP_MAC_ADMIN)) {
		GENL_SET_ERR_MSG(info, "CAP_MAC_ADMIN is required");
		return -EPERM;
	}
	d = charter_current_domain();
	if (d) {
		GENL_SET_ERR_MSG(info, "a confined task cannot change policy");
		return charter_refuse_control(d, info);
	}
	if (READ_ONCE(charter_locked)) {
		GENL_SET_ERR_MSG(info, "locked until reboot");
		return -EPERM;
	}
	return 0;
}

/**
 * charter_may_read() - may the reader of dump @cb read the policy?
 * @cb: a dump of the policy, its tasks or a learning record
 *
 * CAP_MAC_ADMIN (on the socket's opener and the reader, netlink_capable()),
 * and not confined: a program in a domain learns nothing of what confines
 * it or others, even on a socket an administrator opened and passed on.
 * Checked in each dump call, not at its start: only there can the refusal
 * carry a message (in NLMSG_DONE), and the reader may have changed.
 *
 * Return: 0, or -EPERM with the reason in the extended ack.
 */
int charter_may_read(struct netlink_callback *cb)
{
	if (!netlink_capable(cb->skb, CAP_MAC_ADMIN)) {
		NL_SET_ERR_MSG(cb->extack, "CAP_MAC_ADMIN is required");
		return -EPERM;
	}
	if (charter_current_domain()) {
		NL_SET_ERR_MSG(cb->extack, "a confined task cannot read the policy");
		return -EPERM;
	}
	return 0;
}

/* The blob, from its chunks in message order; a new buffer or an error. */
static void *charter_gather_blob(struct genl_info *info, size_t *len)
{
	const struct nlattr *a;
	size_t total = 0;
	int rem, chunks = 0;
	u8 *blob;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != CHARTER_A_POLICY_CHUNK)
			continue;
		total += nla_len(a);
		chunks++;
		if (total > CHARTER_BLOB_MAX_LEN) {
			GENL_SET_ERR_MSG(info, "blob: too large");
			return ERR_PTR(-E2BIG);
		}
	}
	if (!chunks) {
		GENL_SET_ERR_MSG(info, "no CHARTER_A_POLICY_CHUNK attribute");
		return ERR_PTR(-EINVAL);
	}
	blob = kvmalloc(total ?: 1, GFP_KERNEL);
	if (!blob)
		return ERR_PTR(-ENOMEM);
	*len = 0;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != CHARTER_A_POLICY_CHUNK)
			continue;
		memcpy(blob + *len, nla_data(a), nla_len(a));
		*len += nla_len(a);
	}
	return blob;
}

static int charter_nl_policy_load(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *gen_attr = info->attrs[CHARTER_A_POLICY_GENERATION];
	struct charter_policy *policy;
	u64 generation;
	size_t len = 0;
	void *blob;
	int err;

	err = charter_may_change(skb, info);
	if (err)
		return err;
	if (gen_attr)
		generation = nla_get_u64(gen_attr);
	blob = charter_gather_blob(info, &len);
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	policy = charter_blob_decode(blob, len, info->extack);
	kvfree(blob);
	if (IS_ERR(policy))
		return PTR_ERR(policy);
	err = charter_policy_replace(policy, gen_attr ? &generation : NULL);
	if (err == -ESTALE)
		NL_SET_ERR_MSG(info->extack,
			       "another policy was loaded since this one was read");
	else if (err)
		NL_SET_ERR_MSG(info->extack,
			       "no memory to move running programs to the new policy");
	return err;
}

static int charter_nl_set_mode(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = NULL;
	u8 mode;
	int err;

	err = charter_may_change(skb, info);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, CHARTER_A_MODE))
		return -EINVAL;
	mode = nla_get_u8(info->attrs[CHARTER_A_MODE]);
	if (info->attrs[CHARTER_A_MANIFEST_NAME])
		name = nla_data(info->attrs[CHARTER_A_MANIFEST_NAME]);
	return charter_mode_set(name, mode, info->extack);
}

static int charter_nl_lock(struct sk_buff *skb, struct genl_info *info)
{
	int err = charter_may_change(skb, info);

	if (err)
		return err;
	/* The reference is never dropped: the module stays until reboot. */
	__module_get(THIS_MODULE);
	WRITE_ONCE(charter_locked, true);
	pr_notice("charter: locked until reboot\n");
	return 0;
}

static int charter_put_status(struct sk_buff *msg)
{
	struct charter_policy *p = charter_policy_get_current();
	struct charter_counters c;
	u32 manifests = p ? p->manifest_count : 0;
	u64 memory = charter_policy_memory(p);

	charter_policy_put(p);
	charter_counters_read(&c);
	if (nla_put_string(msg, CHARTER_A_VERSION, CHARTER_VERSION_STRING) ||
	    nla_put_u32(msg, CHARTER_A_ABI, CHARTER_GENL_VERSION) ||
	    nla_put_u8(msg, CHARTER_A_MODE, charter_mode_global()) ||
	    nla_put_u32(msg, CHARTER_A_MANIFEST_COUNT, manifests) ||
	    nla_put_u32(msg, CHARTER_A_CONFINED_TASKS,
			charter_cred_confined_tasks()) ||
	    nla_put_u32(msg, CHARTER_A_DOMAIN_CREDS, charter_cred_count_now()) ||
	    nla_put_u64_64bit(msg, CHARTER_A_EVENTS_DROPPED,
			      charter_events_dropped(), CHARTER_A_PAD) ||
	    nla_put_u64_64bit(msg, CHARTER_A_ALLOWED, c.allowed, CHARTER_A_PAD) ||
	    nla_put_u64_64bit(msg, CHARTER_A_DENIED, c.denied, CHARTER_A_PAD) ||
	    nla_put_u64_64bit(msg, CHARTER_A_WOULD_DENY, c.would_deny,
			      CHARTER_A_PAD) ||
	    nla_put_u64_64bit(msg, CHARTER_A_CHANGED_BINARIES,
			      c.changed_binaries, CHARTER_A_PAD) ||
	    nla_put_u8(msg, CHARTER_A_LOCKED, READ_ONCE(charter_locked)) ||
	    nla_put_u64_64bit(msg, CHARTER_A_POLICY_MEMORY, memory,
			      CHARTER_A_PAD) ||
	    nla_put_u64_64bit(msg, CHARTER_A_FILES_HASHED,
			      charter_ident_files_hashed(), CHARTER_A_PAD) ||
	    nla_put_u32(msg, CHARTER_A_DOMAINS, charter_domain_count_now()) ||
	    nla_put_u32(msg, CHARTER_A_DIGEST_ENTRIES,
			charter_ident_digest_entries()))
		return -EMSGSIZE;
	return 0;
}

static int charter_nl_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &charter_genl_family, 0,
				CHARTER_CMD_STATUS);
	if (!hdr || charter_put_status(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Is @run @m's run path or alias? */
static bool charter_runs_at(const struct charter_manifest *m, const char *run)
{
	return (m->run && !strcmp(m->run, run)) ||
	       (m->run_alias && !strcmp(m->run_alias, run));
}

/*
 * Yes or no: does the current policy hold the manifest a caller names by
 * name, executable and run path? Unlike a list, open to anyone, and it
 * says nothing the caller did not name: no rule, author, mode or path.
 */
static int charter_nl_query(struct sk_buff *skb, struct genl_info *info)
{
	const struct charter_manifest *m;
	struct charter_policy *p;
	bool held;

	if (GENL_REQ_ATTR_CHECK(info, CHARTER_A_MANIFEST_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, CHARTER_A_MANIFEST_SHA256) ||
	    GENL_REQ_ATTR_CHECK(info, CHARTER_A_MANIFEST_EXE_SIZE) ||
	    GENL_REQ_ATTR_CHECK(info, CHARTER_A_MANIFEST_RUN))
		return -EINVAL;
	p = charter_policy_get_current();
	m = p ? charter_policy_find(p,
			nla_data(info->attrs[CHARTER_A_MANIFEST_SHA256]),
			nla_get_u64(info->attrs[CHARTER_A_MANIFEST_EXE_SIZE])) : NULL;
	held = m && !strcmp(m->name,
			    nla_data(info->attrs[CHARTER_A_MANIFEST_NAME])) &&
	       charter_runs_at(m, nla_data(info->attrs[CHARTER_A_MANIFEST_RUN]));
	charter_policy_put(p);
	if (held)
		return 0;
	GENL_SET_ERR_MSG(info,
			 "no manifest of that name for that executable and run path is loaded");
	return -ENOENT;
}

/* A dump lists the policy current when it started, whatever loads follow. */
static int charter_nl_list_start(struct netlink_callback *cb)
{
	cb->args[0] = (long)charter_policy_get_current();
	cb->args[1] = 0;
	return 0;
}

static int charter_nl_list_done(struct netlink_callback *cb)
{
	charter_policy_put((struct charter_policy *)cb->args[0]);
	return 0;
}

static int charter_put_manifest(struct sk_buff *msg,
				const struct charter_manifest *m)
{
	if (nla_put_string(msg, CHARTER_A_MANIFEST_NAME, m->name) ||
	    nla_put_string(msg, CHARTER_A_MANIFEST_AUTHOR, m->author) ||
	    nla_put(msg, CHARTER_A_MANIFEST_SHA256, CHARTER_SHA256_LEN, m->digest) ||
	    nla_put_u64_64bit(msg, CHARTER_A_MANIFEST_EXE_SIZE, m->exe_size,
			      CHARTER_A_PAD) ||
	    nla_put_u32(msg, CHARTER_A_MANIFEST_PATH_RULES, m->path_count) ||
	    nla_put_u32(msg, CHARTER_A_MANIFEST_NET_RULES, m->net_count) ||
	    nla_put_u32(msg, CHARTER_A_MANIFEST_DEVICES, m->devices) ||
	    nla_put_u8(msg, CHARTER_A_MANIFEST_MODE,
		       charter_mode_override(m)) ||
	    nla_put_u32(msg, CHARTER_A_MANIFEST_FLAGS, m->flags) ||
	    (m->run && nla_put_string(msg, CHARTER_A_MANIFEST_RUN, m->run)) ||
	    (m->run_alias &&
	     nla_put_string(msg, CHARTER_A_MANIFEST_RUN_ALIAS, m->run_alias)))
		return -EMSGSIZE;
	return 0;
}

static int charter_nl_list_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct charter_policy *p = (const void *)cb->args[0];
	u32 i = cb->args[1];
	void *hdr;
	int err;

	/*
	 * Checked here, not in start: only a dump callback can give the
	 * refusal a message (it travels in NLMSG_DONE).
	 */
	err = charter_may_read(cb);
	if (err)
		return err;

	for (; p && i < p->manifest_count; i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &charter_genl_family,
				  NLM_F_MULTI, CHARTER_CMD_POLICY_LIST);
		if (!hdr)
			break;
		if (charter_put_manifest(skb, &p->manifests[i])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[1] = i;
	return skb->len;
}

/*
 * The policy's blob, in chunks that fill each message: cb->args[0] is the
 * policy (held by charter_nl_list_start()), cb->args[1] the bytes sent.
 */
static int charter_nl_get_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct charter_policy *p = (const void *)cb->args[0];
	size_t sent = cb->args[1], room, chunk;
	void *hdr;
	int err;

	err = charter_may_read(cb);
	if (err)
		return err;
	if (!p && !sent) {
		/* No policy: its generation alone, so an editor may load one. */
		hdr = charter_dump_put(skb, cb, CHARTER_CMD_POLICY_GET);
		if (!hdr || nla_put_u64_64bit(skb, CHARTER_A_POLICY_GENERATION,
					      CHARTER_NO_GENERATION,
					      CHARTER_A_PAD))
			return -EMSGSIZE;
		genlmsg_end(skb, hdr);
		cb->args[1] = 1;
		return skb->len;
	}
	while (p && sent < p->blob_len) {
		hdr = charter_dump_put(skb, cb, CHARTER_CMD_POLICY_GET);
		if (!hdr)
			break;
		room = skb_tailroom(skb);
		room = room > 128 ? room - 128 : 0;	/* the other attributes */
		chunk = min3(p->blob_len - sent, room, (size_t)U16_MAX / 2);
		if (!chunk ||
		    nla_put_u64_64bit(skb, CHARTER_A_POLICY_GENERATION,
				      p->generation, CHARTER_A_PAD) ||
		    nla_put(skb, CHARTER_A_POLICY_CHUNK, chunk,
			    (const u8 *)p->blob + sent)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		sent += chunk;
	}
	cb->args[1] = sent;
	return skb->len;
}

/* The header of a message of dump @cb, command @cmd (NULL: no room). */
void *charter_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &charter_genl_family, NLM_F_MULTI, cmd);
}

/* Confined processes name programs and their manifests: as for list. */
static int charter_nl_tasks_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return charter_may_read(cb) ?: charter_tasks_dump(skb, cb);
}

static const struct genl_ops charter_genl_ops[] = {
	{
		.cmd = CHARTER_CMD_POLICY_LOAD,
		.doit = charter_nl_policy_load,
		.policy = charter_load_policy,
		.maxattr = CHARTER_A_MAX,
	},
	{
		.cmd = CHARTER_CMD_TASK_LIST,
		.dumpit = charter_nl_tasks_dump,
		.policy = charter_empty_policy,
		.maxattr = CHARTER_A_MAX,
	},
	{
		.cmd = CHARTER_CMD_POLICY_LIST,
		.start = charter_nl_list_start,
		.dumpit = charter_nl_list_dump,
		.done = charter_nl_list_done,
		.policy = charter_empty_policy,
		.maxattr = CHARTER_A_MAX,
	},
	{
		.cmd = CHARTER_CMD_POLICY_GET,
		.start = charter_nl_list_start,
		.dumpit = charter_nl_get_dump,
		.done = charter_nl_list_done,
		.policy = charter_empty_policy,
		.maxattr = CHARTER_A_MAX,
	},
	{
		.cmd = CHARTER_CMD_LEARN_DUMP,
		.start = charter_learn_dump_start,
		.dumpit = charter_learn_dump,
		.done = charter_learn_dump_done,
		.policy = charter_learn_policy,
		.maxattr = CHARTER_A_MAX,
	},
	{
		.cmd = CHARTER_CMD_MANIFEST_QUERY,
		.doit = charter_nl_query,
		.policy = charter_query_policy,
		.maxattr = CHARTER_A_MAX,
	},
	{
		.cmd = CHARTER_CMD_STATUS,
		.doit = charter_nl_status,
		.policy = charter_empty_policy,
		.maxattr = CHARTER_A_MAX,
	},
	{
		.cmd = CHARTER_CMD_SET_MODE,
		.doit = charter_nl_set_mode,
		.policy = charter_mode_policy,
		.maxattr = CHARTER_A_MAX,
	},
	{
		.cmd = CHARTER_CMD_LOCK,
		.doit = charter_nl_lock,
		.policy = charter_empty_policy,
		.maxattr = CHARTER_A_MAX,
	},
};

static const struct genl_multicast_group charter_genl_mcgrps[] = {
	/* Decision events name processes and files: CAP_NET_ADMIN to listen. */
	{ .name = CHARTER_GENL_MCGRP_EVENTS, .flags = GENL_ADMIN_PERM },
};

static struct genl_family charter_genl_family __ro_after_init = {
	.name = CHARTER_GENL_NAME,
	.version = CHARTER_GENL_VERSION,
	.maxattr = CHARTER_A_MAX,
	.module = THIS_MODULE,
	.ops = charter_genl_ops,
	.n_ops = ARRAY_SIZE(charter_genl_ops),
	.mcgrps = charter_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(charter_genl_mcgrps),
	.resv_start_op = CHARTER_CMD_POLICY_LOAD,
};

/* The group's only member: index 0 of charter_genl_mcgrps. */
bool charter_event_listeners(void)
{
	return genl_has_listeners(&charter_genl_family, &init_net, 0);
}

void *charter_event_put_header(struct sk_buff *skb)
{
	return genlmsg_put(skb, 0, 0, &charter_genl_family, 0, CHARTER_CMD_EVENT);
}

void charter_event_send(struct sk_buff *skb)
{
	genlmsg_multicast(&charter_genl_family, skb, 0, 0, GFP_ATOMIC);
}

/* Our family's id, so net.c can let a confined task reach our own check. */
u16 charter_netlink_family_id(void)
{
	return charter_genl_family.id;
}

int __init charter_netlink_init(void)
{
	return genl_register_family(&charter_genl_family);
}

void charter_netlink_exit(void)
{
	genl_unregister_family(&charter_genl_family);
}
