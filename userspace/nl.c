// SPDX-License-Identifier: GPL-2.0
/*
 * libmnl client of the charter family; libkmod to load the module.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libkmod.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"

#define NL_RECV_SIZE (1 << 17)
/* Largest chunk that fits an attribute, kept 4-byte aligned. */
#define NL_CHUNK ((size_t)(UINT16_MAX - NLA_HDRLEN) & ~(size_t)3)

struct nl_conn {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	char *rbuf;
};

static void set_error(struct nl_error *e, const char *what, int errnum)
{
	snprintf(e->msg, sizeof(e->msg), "%s: %s", what, strerror(errnum));
}

/* What one request's callbacks share: libmnl gives them one pointer. */
struct talk {
	struct nl_error *e;
	mnl_cb_t cb;
	void *data;
};

/*
 * Read the kernel's extended-ack message, if it sent one. The tool puts
 * its own "charter: " in front; a kernel that still prefixes its messages
 * would otherwise print it twice.
 */
static int extack_cb(const struct nlattr *attr, void *data)
{
	static const char prefix[] = "charter: ";
	struct nl_error *e = data;
	const char *msg;

	if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG ||
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	msg = mnl_attr_get_str(attr);
	if (!strncmp(msg, prefix, sizeof(prefix) - 1))
		msg += sizeof(prefix) - 1;
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
	return MNL_CB_OK;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct talk *t = data;
	unsigned int off = sizeof(*err);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
		return MNL_CB_ERROR;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&err->msg);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, off, extack_cb, t->e);
	if (err->error) {
		errno = -err->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/*
 * The end of a dump (libmnl's defaults do not apply once we give our own):
 * it carries the dump's error, if any, with its extended ack.
 */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (!err)
		return MNL_CB_STOP;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(err), extack_cb, t->e);
	errno = err < 0 ? -err : err;
	return MNL_CB_ERROR;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

/* Send @nlh and read replies until the ack or the end of a dump. */
static int nl_talk(struct nl_conn *c, struct nlmsghdr *nlh, mnl_cb_t cb,
		   void *data, struct nl_error *e)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
	};
	struct talk t = { .e = e, .cb = cb, .data = data };
	ssize_t n;
	int ret;

	e->msg[0] = '\0';
	if (mnl_socket_sendto(c->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(c->sock, c->rbuf, NL_RECV_SIZE);
		if (n < 0)
			return -errno;
		ret = mnl_cb_run2(c->rbuf, (size_t)n, nlh->nlmsg_seq, c->portid,
				  data_cb, &t, ctl, NLMSG_MIN_TYPE);
	} while (ret > 0);
	if (ret < 0)
		return -errno;
	e->msg[0] = '\0';	/* a warning with an ack is not a later error's reason */
	return 0;
}

static struct nlmsghdr *genl_msg(struct nl_conn *c, void *buf, uint16_t type,
				 uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++c->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : CHARTER_GENL_VERSION;
	return nlh;
}

static int family_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_cb, data);
}

static void nl_close(struct nl_conn *c)
{
	if (c->sock)
		mnl_socket_close(c->sock);
	free(c->rbuf);
}

/* Open a socket and resolve the family; -ENOENT when it is not there. */
static int nl_open(struct nl_conn *c, struct nl_error *e)
{
	char buf[256];
	struct nlmsghdr *nlh;
	int one = 1, ret;

	memset(c, 0, sizeof(*c));
	c->seq = (unsigned int)time(NULL);
	c->rbuf = malloc(NL_RECV_SIZE);
	c->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!c->rbuf || !c->sock || mnl_socket_bind(c->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		set_error(e, "netlink socket", errno);
		nl_close(c);
		return ret;
	}
	mnl_socket_setsockopt(c->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(c->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	c->portid = mnl_socket_get_portid(c->sock);

	nlh = genl_msg(c, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CHARTER_GENL_NAME);
	ret = nl_talk(c, nlh, family_msg_cb, &c->family, e);
	if (!ret && !c->family)
		ret = -ENOENT;
	if (ret) {
		set_error(e, "generic netlink family 'charter' (is the module loaded?)", -ret);
		nl_close(c);
	}
	return ret;
}

/*
 * After a failed request: the kernel's own message when it sent one (it
 * names the problem better than an errno), else "what: strerror".
 */
static int finish(struct nl_conn *c, int ret, const char *what, struct nl_error *e)
{
	if (ret && !e->msg[0])
		set_error(e, what, -ret);
	nl_close(c);
	return ret;
}

/* One command without attributes, or with the attributes @put adds. */
static int simple_request(uint8_t cmd, uint16_t flags,
			  void (*put)(struct nlmsghdr *, const void *), const void *arg,
			  mnl_cb_t cb, void *data, const char *what, struct nl_error *e)
{
	char buf[1024];
	struct nl_conn c;
	struct nlmsghdr *nlh;
	int ret = nl_open(&c, e);

	if (ret)
		return ret;
	nlh = genl_msg(&c, buf, c.family, cmd, flags);
	if (put)
		put(nlh, arg);
	ret = nl_talk(&c, nlh, cb, data, e);
	return finish(&c, ret, what, e);
}

/*
 * Is @blob the policy in force? Asked after ENOBUFS: the kernel could not
 * allocate its answer (the ack), which it sends after it did the work, so
 * the load may have happened; what the kernel holds tells.
 */
static int policy_in_force(const uint8_t *blob, size_t len)
{
	struct nl_error e = { { 0 } };
	uint8_t *cur = NULL;
	size_t cur_len = 0;
	uint64_t generation;
	int same;

	if (nl_policy_get(&cur, &cur_len, &generation, &e))
		return 0;
	same = cur_len == len && !memcmp(cur, blob, len);
	free(cur);
	return same;
}

int nl_policy_load(const uint8_t *blob, size_t len, struct nl_error *e)
{
	return nl_policy_load_if(blob, len, NULL, e);
}

int nl_policy_load_if(const uint8_t *blob, size_t len, const uint64_t *generation,
		      struct nl_error *e)
{
	size_t chunks = (len + NL_CHUNK - 1) / NL_CHUNK;
	size_t size = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)) +
		      chunks * (MNL_ATTR_HDRLEN + MNL_ALIGN(NL_CHUNK)) + 64 + 16;
	struct nl_conn c;
	struct nlmsghdr *nlh;
	char *buf;
	int sndbuf = (int)size + 65536, ret;

	if (!chunks)
		chunks = 1;
	ret = nl_open(&c, e);
	if (ret)
		return ret;
	buf = calloc(1, size + MNL_ATTR_HDRLEN);
	if (!buf)
		return finish(&c, -ENOMEM, "policy load", e);
	/* A big policy needs a big socket buffer: forced when we may. */
	if (setsockopt(mnl_socket_get_fd(c.sock), SOL_SOCKET, SO_SNDBUFFORCE,
		       &sndbuf, sizeof(sndbuf)))
		setsockopt(mnl_socket_get_fd(c.sock), SOL_SOCKET, SO_SNDBUF,
			   &sndbuf, sizeof(sndbuf));
	nlh = genl_msg(&c, buf, c.family, CHARTER_CMD_POLICY_LOAD, 0);
	if (generation)
		mnl_attr_put_u64(nlh, CHARTER_A_POLICY_GENERATION, *generation);
	for (size_t off = 0; off < len || off == 0; off += NL_CHUNK) {
		size_t n = len - off < NL_CHUNK ? len - off : NL_CHUNK;

		mnl_attr_put(nlh, CHARTER_A_POLICY_CHUNK, n, blob + off);
		if (!len)
			break;
	}
	ret = nl_talk(&c, nlh, NULL, NULL, e);
	free(buf);
	ret = finish(&c, ret, "policy load", e);
	if (ret == -ENOBUFS && policy_in_force(blob, len))
		ret = 0, e->msg[0] = '\0';
	return ret;
}

static int status_attr(const struct nlattr *a, void *data)
{
	struct nl_status *st = data;

	switch (mnl_attr_get_type(a)) {
	case CHARTER_A_VERSION:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(st->version, sizeof(st->version), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_ABI:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			st->abi = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_MODE:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			st->mode = mnl_attr_get_u8(a);
		break;
	case CHARTER_A_LOCKED:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			st->locked = mnl_attr_get_u8(a);
		break;
	case CHARTER_A_MANIFEST_COUNT:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			st->manifests = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_CONFINED_TASKS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			st->confined_tasks = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_EVENTS_DROPPED:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			st->events_dropped = mnl_attr_get_u64(a);
		break;
	case CHARTER_A_DOMAIN_CREDS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			st->domain_creds = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_ALLOWED:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			st->allowed = mnl_attr_get_u64(a);
		break;
	case CHARTER_A_DENIED:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			st->denied = mnl_attr_get_u64(a);
		break;
	case CHARTER_A_WOULD_DENY:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			st->would_deny = mnl_attr_get_u64(a);
		break;
	case CHARTER_A_CHANGED_BINARIES:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			st->changed_binaries = mnl_attr_get_u64(a);
		break;
	case CHARTER_A_POLICY_MEMORY:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			st->policy_memory = mnl_attr_get_u64(a);
		break;
	case CHARTER_A_FILES_HASHED:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			st->files_hashed = mnl_attr_get_u64(a);
		break;
	case CHARTER_A_DOMAINS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			st->domains = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_DIGEST_ENTRIES:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			st->digest_entries = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

static int status_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), status_attr, data);
}

int nl_status(struct nl_status *st, struct nl_error *e)
{
	memset(st, 0, sizeof(*st));
	return simple_request(CHARTER_CMD_STATUS, 0, NULL, NULL, status_cb, st,
			      "status", e);
}

static int manifest_attr(const struct nlattr *a, void *data)
{
	struct nl_manifest *m = data;

	switch (mnl_attr_get_type(a)) {
	case CHARTER_A_MANIFEST_NAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(m->name, sizeof(m->name), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_MANIFEST_AUTHOR:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(m->author, sizeof(m->author), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_MANIFEST_SHA256:
		if (mnl_attr_get_payload_len(a) == CHARTER_SHA256_LEN)
			memcpy(m->sha256, mnl_attr_get_payload(a), CHARTER_SHA256_LEN);
		break;
	case CHARTER_A_MANIFEST_EXE_SIZE:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			m->exe_size = mnl_attr_get_u64(a);
		break;
	case CHARTER_A_MANIFEST_PATH_RULES:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			m->path_rules = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_MANIFEST_NET_RULES:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			m->net_rules = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_MANIFEST_DEVICES:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			m->devices = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_MANIFEST_MODE:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			m->mode = mnl_attr_get_u8(a);
		break;
	case CHARTER_A_MANIFEST_FLAGS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			m->flags = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_MANIFEST_RUN:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(m->run, sizeof(m->run), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_MANIFEST_RUN_ALIAS:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(m->run_alias, sizeof(m->run_alias), "%s", mnl_attr_get_str(a));
		break;
	}
	return MNL_CB_OK;
}

struct list_ctx {
	int (*each)(const struct nl_manifest *m, void *data);
	void *data;
};

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_ctx *l = data;
	struct nl_manifest m;

	memset(&m, 0, sizeof(m));
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), manifest_attr, &m) < 0)
		return MNL_CB_ERROR;
	return l->each(&m, l->data) ? MNL_CB_ERROR : MNL_CB_OK;
}

int nl_list(int (*each)(const struct nl_manifest *m, void *data), void *data,
	    struct nl_error *e)
{
	struct list_ctx l = { .each = each, .data = data };

	return simple_request(CHARTER_CMD_POLICY_LIST, NLM_F_DUMP, NULL, NULL,
			      list_cb, &l, "list", e);
}

static int task_attr(const struct nlattr *a, void *data)
{
	struct nl_task *t = data;

	switch (mnl_attr_get_type(a)) {
	case CHARTER_A_TASK_PID:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			t->pid = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_TASK_COMM:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(t->comm, sizeof(t->comm), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_MANIFEST_NAME:
		/* One per layer, outermost first. */
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0 && t->depth < NL_MAX_LAYERS)
			snprintf(t->layers[t->depth++], sizeof(t->layers[0]), "%s",
				 mnl_attr_get_str(a));
		break;
	}
	return MNL_CB_OK;
}

struct ps_ctx {
	int (*each)(const struct nl_task *t, void *data);
	void *data;
};

static int ps_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ps_ctx *p = data;
	struct nl_task *t = calloc(1, sizeof(*t));
	int ret;

	if (!t)
		return MNL_CB_ERROR;
	ret = mnl_attr_parse(nlh, sizeof(struct genlmsghdr), task_attr, t) < 0 ||
	      p->each(t, p->data) ? MNL_CB_ERROR : MNL_CB_OK;
	free(t);
	return ret;
}

int nl_ps(int (*each)(const struct nl_task *t, void *data), void *data,
	  struct nl_error *e)
{
	struct ps_ctx p = { .each = each, .data = data };

	return simple_request(CHARTER_CMD_TASK_LIST, NLM_F_DUMP, NULL, NULL,
			      ps_cb, &p, "ps", e);
}

static int event_attr(const struct nlattr *a, void *data);

/* The blob as it arrives, and its generation. */
struct get_ctx {
	uint8_t *blob;
	size_t len, cap;
	uint64_t generation;
	int seen;
};

static int get_attr(const struct nlattr *a, void *data)
{
	struct get_ctx *g = data;
	size_t n = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case CHARTER_A_POLICY_GENERATION:
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return MNL_CB_ERROR;
		g->generation = mnl_attr_get_u64(a);
		g->seen = 1;
		break;
	case CHARTER_A_POLICY_CHUNK:
		if (g->len + n > CHARTER_BLOB_MAX_LEN)
			return MNL_CB_ERROR;
		if (g->len + n > g->cap) {
			size_t cap = (g->len + n) * 2;
			uint8_t *more = realloc(g->blob, cap);

			if (!more)
				return MNL_CB_ERROR;
			g->blob = more;
			g->cap = cap;
		}
		memcpy(g->blob + g->len, mnl_attr_get_payload(a), n);
		g->len += n;
		break;
	}
	return MNL_CB_OK;
}

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), get_attr, data);
}

int nl_policy_get(uint8_t **blob, size_t *len, uint64_t *generation,
		  struct nl_error *e)
{
	struct get_ctx g = { 0 };
	int ret = simple_request(CHARTER_CMD_POLICY_GET, NLM_F_DUMP, NULL, NULL,
				 get_cb, &g, "policy get", e);

	if (!ret && !g.seen) {
		snprintf(e->msg, sizeof(e->msg), "policy get: no generation in the reply");
		ret = -EPROTO;
	}
	if (ret) {
		free(g.blob);
		return ret;
	}
	*blob = g.blob;
	*len = g.len;
	*generation = g.generation;
	return 0;
}

struct learn_ctx {
	int (*each)(const struct nl_learned *l, void *data);
	void *data;
	struct nl_learn_summary *sum;
	struct nl_learned *cur;
};

static int learn_attr(const struct nlattr *a, void *data)
{
	struct learn_ctx *c = data;

	switch (mnl_attr_get_type(a)) {
	case CHARTER_A_LEARN_KIND:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			c->cur->kind = mnl_attr_get_u8(a);
		return MNL_CB_OK;
	case CHARTER_A_LEARN_ENTRIES:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0) {
			c->sum->entries = mnl_attr_get_u64(a);
			c->sum->complete = 1;
		}
		return MNL_CB_OK;
	case CHARTER_A_LEARN_LOST:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			c->sum->lost = mnl_attr_get_u64(a);
		return MNL_CB_OK;
	}
	return event_attr(a, &c->cur->ev);
}

static int learn_cb(const struct nlmsghdr *nlh, void *data)
{
	struct learn_ctx *c = data;
	int ret;

	c->cur = calloc(1, sizeof(*c->cur));
	if (!c->cur)
		return MNL_CB_ERROR;
	ret = mnl_attr_parse(nlh, sizeof(struct genlmsghdr), learn_attr, c) < 0 ||
	      (c->cur->kind && c->each(c->cur, c->data)) ? MNL_CB_ERROR : MNL_CB_OK;
	free(c->cur);
	c->cur = NULL;
	return ret;
}

static void put_name(struct nlmsghdr *nlh, const void *arg)
{
	mnl_attr_put_strz(nlh, CHARTER_A_MANIFEST_NAME, arg);
}

int nl_learn_dump(const char *manifest,
		  int (*each)(const struct nl_learned *l, void *data), void *data,
		  struct nl_learn_summary *sum, struct nl_error *e)
{
	struct learn_ctx c = { .each = each, .data = data, .sum = sum };

	memset(sum, 0, sizeof(*sum));
	if (strlen(manifest) > CHARTER_NAME_MAX) {
		snprintf(e->msg, sizeof(e->msg), "manifest name longer than %d bytes",
			 CHARTER_NAME_MAX);
		return -ENAMETOOLONG;
	}
	return simple_request(CHARTER_CMD_LEARN_DUMP, NLM_F_DUMP, put_name, manifest,
			      learn_cb, &c, "learn dump", e);
}

struct query_args {
	const char *name;
	const uint8_t *sha256;
	uint64_t exe_size;
	const char *run;
};

static void put_query(struct nlmsghdr *nlh, const void *arg)
{
	const struct query_args *q = arg;

	mnl_attr_put_strz(nlh, CHARTER_A_MANIFEST_NAME, q->name);
	mnl_attr_put(nlh, CHARTER_A_MANIFEST_SHA256, CHARTER_SHA256_LEN, q->sha256);
	mnl_attr_put_u64(nlh, CHARTER_A_MANIFEST_EXE_SIZE, q->exe_size);
	mnl_attr_put_strz(nlh, CHARTER_A_MANIFEST_RUN, q->run);
}

int nl_query(const char *name, const uint8_t sha256[CHARTER_SHA256_LEN],
	     uint64_t exe_size, const char *run, struct nl_error *e)
{
	struct query_args q = { .name = name, .sha256 = sha256, .exe_size = exe_size,
				.run = run };

	if (strlen(name) > CHARTER_NAME_MAX || strlen(run) > CHARTER_PATTERN_MAX) {
		snprintf(e->msg, sizeof(e->msg), "manifest name or run path too long");
		return -ENAMETOOLONG;
	}
	return simple_request(CHARTER_CMD_MANIFEST_QUERY, 0, put_query, &q, NULL, NULL,
			      "query", e);
}

struct mode_args {
	uint8_t mode;
	const char *manifest;
};

static void put_mode(struct nlmsghdr *nlh, const void *arg)
{
	const struct mode_args *a = arg;

	mnl_attr_put_u8(nlh, CHARTER_A_MODE, a->mode);
	if (a->manifest)
		mnl_attr_put_strz(nlh, CHARTER_A_MANIFEST_NAME, a->manifest);
}

int nl_set_mode(uint8_t mode, const char *manifest, struct nl_error *e)
{
	struct mode_args a = { .mode = mode, .manifest = manifest };

	if (manifest && strlen(manifest) > CHARTER_NAME_MAX) {
		snprintf(e->msg, sizeof(e->msg), "manifest name longer than %d bytes",
			 CHARTER_NAME_MAX);
		return -ENAMETOOLONG;
	}
	return simple_request(CHARTER_CMD_SET_MODE, 0, put_mode, &a, NULL, NULL,
			      "set mode", e);
}

int nl_lock(struct nl_error *e)
{
	return simple_request(CHARTER_CMD_LOCK, 0, NULL, NULL, NULL, NULL, "lock", e);
}

/* The id of the "events" multicast group, from the family's description. */
static int mcgrp_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *grp, *a;
	uint32_t *id = data;

	if (mnl_attr_get_type(attr) != CTRL_ATTR_MCAST_GROUPS)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, attr) {
		const char *name = NULL;
		uint32_t gid = 0;

		mnl_attr_for_each_nested(a, grp) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
				 mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				gid = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, CHARTER_GENL_MCGRP_EVENTS))
			*id = gid;
	}
	return MNL_CB_OK;
}

static int mcgrp_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), mcgrp_cb, data);
}

static int event_attr(const struct nlattr *a, void *data)
{
	struct nl_event *ev = data;

	switch (mnl_attr_get_type(a)) {
	case CHARTER_A_EVENT_TIME:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			ev->time_ns = mnl_attr_get_u64(a);
		break;
	case CHARTER_A_EVENT_PID:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			ev->pid = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_EVENT_COMM:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(ev->comm, sizeof(ev->comm), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_EVENT_DECISION:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			ev->decision = mnl_attr_get_u8(a);
		break;
	case CHARTER_A_MANIFEST_NAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(ev->manifest, sizeof(ev->manifest), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_MANIFEST_SHA256:
		if (mnl_attr_get_payload_len(a) == CHARTER_SHA256_LEN)
			memcpy(ev->sha256, mnl_attr_get_payload(a), CHARTER_SHA256_LEN);
		break;
	case CHARTER_A_EVENT_ACCESS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			ev->access = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_EVENT_PATH:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(ev->path, sizeof(ev->path), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_EVENT_PATH2:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(ev->path2, sizeof(ev->path2), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_EVENT_DIRECTION:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0) {
			ev->direction = mnl_attr_get_u8(a);
			ev->is_net = 1;
		}
		break;
	case CHARTER_A_EVENT_PROTOCOL:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			ev->protocol = mnl_attr_get_u8(a);
		break;
	case CHARTER_A_EVENT_ADDR:
		if (mnl_attr_get_payload_len(a) == 4 || mnl_attr_get_payload_len(a) == 16) {
			ev->addr_len = (int)mnl_attr_get_payload_len(a);
			memcpy(ev->addr, mnl_attr_get_payload(a), (size_t)ev->addr_len);
		}
		break;
	case CHARTER_A_EVENT_PORT:
		if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			ev->port = mnl_attr_get_u16(a);
		break;
	case CHARTER_A_EVENT_DEVICE:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
			ev->dev_classes = mnl_attr_get_u32(a);
			ev->is_device = 1;
		}
		break;
	case CHARTER_A_EVENT_DEVNUM:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
			ev->devnum = mnl_attr_get_u32(a);
			ev->has_devnum = 1;
		}
		break;
	case CHARTER_A_EVENT_OPERATION:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(ev->operation, sizeof(ev->operation), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_EVENT_TARGET_PID:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			ev->target_pid = mnl_attr_get_u32(a);
		break;
	case CHARTER_A_EVENT_TARGET_COMM:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(ev->target_comm, sizeof(ev->target_comm), "%s", mnl_attr_get_str(a));
		break;
	case CHARTER_A_EVENT_ALWAYS:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			ev->always = mnl_attr_get_u8(a) != 0;
		break;
	}
	return MNL_CB_OK;
}

int nl_monitor(int (*each)(const struct nl_event *ev, void *data), void *data,
	       struct nl_error *e)
{
	char buf[256];
	struct nl_conn c;
	struct nlmsghdr *nlh;
	uint32_t group = 0;
	int ret = nl_open(&c, e);

	if (ret)
		return ret;
	nlh = genl_msg(&c, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CHARTER_GENL_NAME);
	ret = nl_talk(&c, nlh, mcgrp_msg_cb, &group, e);
	if (!ret && !group)
		ret = -ENOENT;
	if (!ret && mnl_socket_setsockopt(c.sock, NETLINK_ADD_MEMBERSHIP, &group,
					  sizeof(group))) {
		ret = -errno;
		/* The events group is GENL_ADMIN_PERM (kmod/netlink.c). */
		if (ret == -EPERM)
			set_error(e, "listening to decision events needs CAP_NET_ADMIN", EPERM);
	}
	while (!ret) {
		ssize_t n = mnl_socket_recvfrom(c.sock, c.rbuf, NL_RECV_SIZE);
		struct nlmsghdr *m;
		int len;

		if (n < 0) {
			/* Events lost to a full socket buffer: keep going. */
			if (errno == ENOBUFS)
				continue;
			ret = -errno;
			break;
		}
		len = (int)n;
		for (m = (struct nlmsghdr *)c.rbuf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			struct nl_event *ev = calloc(1, sizeof(*ev));

			if (!ev)
				return finish(&c, -ENOMEM, "monitor", e);
			if (m->nlmsg_type == c.family &&
			    mnl_attr_parse(m, sizeof(struct genlmsghdr), event_attr, ev) >= 0 &&
			    each(ev, data))
				ret = 1;
			free(ev);
			if (ret)
				break;
		}
	}
	return finish(&c, ret < 0 ? ret : 0, "monitor", e);
}

static int kmod_insert(const char *path, struct nl_error *e)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);
	struct kmod_module *mod = NULL;
	int ret;

	if (!ctx) {
		snprintf(e->msg, sizeof(e->msg), "libkmod: cannot start");
		return -ENOMEM;
	}
	if (path)
		ret = kmod_module_new_from_path(ctx, path, &mod);
	else
		ret = kmod_module_new_from_name(ctx, "charter", &mod);
	if (!ret)
		ret = path ? kmod_module_insert_module(mod, 0, NULL)
			   : kmod_module_probe_insert_module(mod, 0, NULL, NULL,
							     NULL, NULL);
	if (ret == -EEXIST)
		ret = 0;
	if (ret) {
		snprintf(e->msg, sizeof(e->msg), "loading module %s: %s%s",
			 path ? path : "charter", strerror(ret < 0 ? -ret : ENOENT),
			 ret == -EPERM ? " (needs CAP_SYS_MODULE)" : "");
		ret = ret < 0 ? ret : -ENOENT;
	}
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret;
}

int nl_ensure_module(const char *path, struct nl_error *e)
{
	struct nl_conn c;

	if (!nl_open(&c, e)) {
		nl_close(&c);
		return 0;
	}
	return kmod_insert(path, e);
}
