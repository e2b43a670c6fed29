// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: which processes run confined, and by what (charter ps), as
 * aa-status lists the processes of each AppArmor profile.
 *
 * A dump walks the caller's pid namespace in pid order, one process (its
 * thread group leader's credentials) per message, resuming at the next pid
 * when the message buffer fills, as /proc's readdir does: processes that
 * start or end during the dump may or may not be listed, none twice.
 */

#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <net/genetlink.h>

#include "domain.h"
#include "lineage.h"
#include "netlink.h"
#include "policy.h"
#include "uapi/charter.h"

/* One process: its pid, name and layers, outermost first. Under RCU. */
static int charter_put_task(struct sk_buff *skb, struct task_struct *task,
			    pid_t nr, const struct charter_domain *d)
{
	char comm[TASK_COMM_LEN];
	u32 i;

	get_task_comm(comm, task);
	if (nla_put_u32(skb, CHARTER_A_TASK_PID, nr) ||
	    nla_put_string(skb, CHARTER_A_TASK_COMM, comm))
		return -EMSGSIZE;
	for (i = 0; i < d->depth; i++) {
		const struct charter_manifest *m =
			charter_lineage_manifest(d->layers[i].lineage);

		if (nla_put_string(skb, CHARTER_A_MANIFEST_NAME, m->name))
			return -EMSGSIZE;
	}
	return 0;
}

/**
 * charter_tasks_dump() - one message per confined process, from pid
 *	cb->args[0] on (the dump's position)
 * @skb: the dump's buffer
 * @cb: the dump; messages are CHARTER_CMD_TASK_LIST
 *
 * Return: the bytes written (0 when done), as a dumpit callback.
 */
int charter_tasks_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	pid_t nr = cb->args[0];
	struct pid *pid;
	void *hdr;

	rcu_read_lock();
	for (; (pid = find_ge_pid(nr, ns)); nr++) {
		struct task_struct *task = pid_task(pid, PIDTYPE_TGID);
		const struct charter_domain *d;

		nr = pid_nr_ns(pid, ns);
		d = task ? charter_cred_domain(__task_cred(task)) : NULL;
		if (!d)
			continue;
		hdr = charter_dump_put(skb, cb, CHARTER_CMD_TASK_LIST);
		if (!hdr)
			break;
		if (charter_put_task(skb, task, nr, d)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = nr;
	return skb->len;
}
