// SPDX-License-Identifier: GPL-2.0
/*
 * libmnl client of the charter family; libkmod to load the module.
 */
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
#include "uapi/charter.h"

#define NL_BUF_SIZE (1 << 17)

struct nl_conn {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	char *buf;
};

static void set_error(struct nl_error *e, const char *fmt, const char *a,
		      int errnum)
{
	char text[200];

	snprintf(text, sizeof(text), fmt, a);
	snprintf(e->msg, sizeof(e->msg), "%s: %s", text, strerror(errnum));
}

/* What one request's callbacks share: libmnl gives them one pointer. */
struct talk {
	struct nl_error *e;
	mnl_cb_t cb;
	void *data;
};

/* Read the kernel's extended-ack message, if it sent one. */
static int extack_cb(const struct nlattr *attr, void *data)
{
	struct nl_error *e = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(e->msg, sizeof(e->msg), "%s",
			 mnl_attr_get_str(attr));
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

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
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

/* Send @nlh and read replies until the ack; 0 or -errno. */
static int nl_talk(struct nl_conn *c, struct nlmsghdr *nlh, mnl_cb_t cb,
		   void *data, struct nl_error *e)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = error_cb };
	struct talk t = { .e = e, .cb = cb, .data = data };
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(c->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	e->msg[0] = '\0';
	do {
		n = mnl_socket_recvfrom(c->sock, c->buf, NL_BUF_SIZE);
		if (n < 0)
			return -errno;
		ret = mnl_cb_run2(c->buf, (size_t)n, nlh->nlmsg_seq, c->portid,
				  data_cb, &t, ctl, NLMSG_MIN_TYPE);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

static struct nlmsghdr *genl_msg(struct nl_conn *c, uint16_t type,
				 uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(c->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++c->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static void nl_close(struct nl_conn *c)
{
	if (c->sock)
		mnl_socket_close(c->sock);
	free(c->buf);
}

/* Open a socket and resolve the family; -ENOENT when it is not there. */
static int nl_open(struct nl_conn *c, struct nl_error *e)
{
	struct nlmsghdr *nlh;
	int one = 1, ret;

	memset(c, 0, sizeof(*c));
	c->seq = (unsigned int)time(NULL);
	c->buf = malloc(NL_BUF_SIZE);
	c->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!c->buf || !c->sock || mnl_socket_bind(c->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		set_error(e, "%s", "netlink socket", errno);
		nl_close(c);
		return ret;
	}
	mnl_socket_setsockopt(c->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(c->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	c->portid = mnl_socket_get_portid(c->sock);

	nlh = genl_msg(c, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CHARTER_GENL_NAME);
	ret = nl_talk(c, nlh, family_msg_cb, &c->family, e);
	if (!ret && !c->family)
		ret = -ENOENT;
	if (ret) {
		set_error(e, "%s", "generic netlink family 'charter' (is the module loaded?)",
			  -ret);
		nl_close(c);
	}
	return ret;
}

int nl_policy_load(const uint8_t *blob, size_t len, struct nl_error *e)
{
	struct nl_conn c;
	struct nlmsghdr *nlh;
	int ret = nl_open(&c, e);

	if (ret)
		return ret;
	if (len > UINT16_MAX - NLA_HDRLEN ||
	    mnl_nlmsg_size(sizeof(struct genlmsghdr) + NLA_HDRLEN + len) > NL_BUF_SIZE) {
		snprintf(e->msg, sizeof(e->msg),
			 "policy of %zu bytes is larger than one netlink attribute",
			 len);
		nl_close(&c);
		return -EMSGSIZE;
	}
	nlh = genl_msg(&c, c.family, CHARTER_CMD_POLICY_LOAD,
		       CHARTER_GENL_VERSION, 0);
	mnl_attr_put(nlh, CHARTER_A_POLICY, len, blob);
	ret = nl_talk(&c, nlh, NULL, NULL, e);
	if (ret && !e->msg[0])
		set_error(e, "%s", "policy load", -ret);
	else if (ret) {
		char kmsg[160];

		snprintf(kmsg, sizeof(kmsg), "%.150s", e->msg);
		snprintf(e->msg, sizeof(e->msg), "%s (%s)", kmsg, strerror(-ret));
	}
	nl_close(&c);
	return ret;
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
	if (ret)
		set_error(e, "loading module %s", path ? path : "charter",
			  ret < 0 ? -ret : ENOENT);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret < 0 ? ret : (ret ? -ENOENT : 0);
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
