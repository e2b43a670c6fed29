/* SPDX-License-Identifier: GPL-2.0 */
/*
 * genlmsg.h: hand-built generic-netlink requests for the test helpers
 * that talk to Charter's family without libmnl (nlop, learnop, ctlop:
 * static programs, and some send what libmnl would not, such as
 * malformed attributes).
 */
#ifndef CHARTER_TEST_GENLMSG_H
#define CHARTER_TEST_GENLMSG_H

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <string.h>

struct request {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char attrs[2048];
};

/* Append attribute @type of @len bytes to @r. */
static inline void put_attr(struct request *r, unsigned short type, const void *data,
			    unsigned short len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/* A request of command @cmd to @family, with NLM_F_REQUEST and @flags. */
static inline void start(struct request *r, unsigned short family, unsigned char cmd,
			 unsigned short flags)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh.nlmsg_type = family;
	r->nh.nlmsg_flags = NLM_F_REQUEST | flags;
	r->nh.nlmsg_seq = 1;
	r->gh.cmd = cmd;
	r->gh.version = 1;
}

/*
 * The payload of attribute @type among those from @a to the end of @nh,
 * its length in *@len when @len is not NULL; NULL when absent.
 */
static inline const void *find_attr(const struct nlmsghdr *nh, const struct nlattr *a,
				    unsigned short type, int *len)
{
	int rem = (int)nh->nlmsg_len - (int)((const char *)a - (const char *)nh);

	for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;
	     rem -= NLA_ALIGN(a->nla_len),
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == type) {
			if (len)
				*len = a->nla_len - NLA_HDRLEN;
			return (const char *)a + NLA_HDRLEN;
		}
	}
	return NULL;
}

#endif
