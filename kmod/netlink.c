// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: the "charter" generic-netlink family, the control plane.
 *
 * Only a caller with CAP_MAC_ADMIN in the initial user namespace, and not
 * itself confined, may change the policy. Errors carry an extended-ack
 * message naming the problem.
 */

#include <net/genetlink.h>
#include <net/netlink.h>

#include "domain.h"
#include "netlink.h"
#include "policy.h"
#include "uapi/charter.h"

static const struct nla_policy charter_load_policy[CHARTER_A_MAX + 1] = {
	[CHARTER_A_POLICY] = { .type = NLA_BINARY },
};

static int charter_may_change(struct sk_buff *skb, struct genl_info *info)
{
	if (!netlink_capable(skb, CAP_MAC_ADMIN)) {
		GENL_SET_ERR_MSG(info, "charter: CAP_MAC_ADMIN is required");
		return -EPERM;
	}
	if (charter_current_domain()) {
		GENL_SET_ERR_MSG(info, "charter: a confined task cannot change policy");
		return -EPERM;
	}
	return 0;
}

static int charter_nl_policy_load(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[CHARTER_A_POLICY];
	struct charter_policy *policy;
	int err;

	err = charter_may_change(skb, info);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, CHARTER_A_POLICY))
		return -EINVAL;
	policy = charter_blob_decode(nla_data(attr), nla_len(attr),
				     info->extack);
	if (IS_ERR(policy))
		return PTR_ERR(policy);
	charter_policy_replace(policy);
	return 0;
}

static const struct genl_ops charter_genl_ops[] = {
	{
		.cmd = CHARTER_CMD_POLICY_LOAD,
		.doit = charter_nl_policy_load,
		.policy = charter_load_policy,
		.maxattr = CHARTER_A_MAX,
	},
};

static struct genl_family charter_genl_family __ro_after_init = {
	.name = CHARTER_GENL_NAME,
	.version = CHARTER_GENL_VERSION,
	.maxattr = CHARTER_A_MAX,
	.module = THIS_MODULE,
	.ops = charter_genl_ops,
	.n_ops = ARRAY_SIZE(charter_genl_ops),
	.resv_start_op = CHARTER_CMD_POLICY_LOAD + 1,
};

int __init charter_netlink_init(void)
{
	return genl_register_family(&charter_genl_family);
}

void charter_netlink_exit(void)
{
	genl_unregister_family(&charter_genl_family);
}
