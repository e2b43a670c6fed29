// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: decision events.
 *
 * Every denial, and every would-be denial in complain mode, is reported
 * on the "events" multicast group (when anyone listens) and in a
 * rate-limited kernel log line. Events are rate-limited too (a token
 * bucket: 200 a second, bursts of 400); what the limit drops is counted,
 * and status shows the count. Reporting may happen in atomic context (a
 * unix socket hook holds a spinlock): nothing here sleeps.
 */

#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <linux/kdev_t.h>

#include "events.h"
#include "match.h"
#include "policy.h"
#include "uapi/charter.h"

static DEFINE_RATELIMIT_STATE(charter_event_limit, HZ / 2, 100);
static atomic64_t charter_dropped = ATOMIC64_INIT(0);

u64 charter_events_dropped(void)
{
	return atomic64_read(&charter_dropped);
}

/*
 * The process the event is about. A peer's packet is judged in softirq,
 * where current is whichever task was interrupted: none is named then.
 */
static pid_t charter_event_pid(void)
{
	return in_task() ? task_tgid_nr(current) : 0;
}

static const char *charter_event_comm(void)
{
	return in_task() ? current->comm : "(network)";
}

static int charter_event_fill(struct sk_buff *skb,
			      const struct charter_manifest *m,
			      const struct charter_object *obj, u8 decision)
{
	const struct charter_endpoint *ep = obj->ep;

	if (nla_put_u64_64bit(skb, CHARTER_A_EVENT_TIME, ktime_get_real_ns(),
			      CHARTER_A_PAD) ||
	    nla_put_u32(skb, CHARTER_A_EVENT_PID, charter_event_pid()) ||
	    nla_put_string(skb, CHARTER_A_EVENT_COMM, charter_event_comm()) ||
	    nla_put_u8(skb, CHARTER_A_EVENT_DECISION, decision) ||
	    nla_put_string(skb, CHARTER_A_MANIFEST_NAME, m->name) ||
	    nla_put(skb, CHARTER_A_MANIFEST_SHA256, CHARTER_SHA256_LEN, m->digest))
		return -EMSGSIZE;
	if (ep)
		return nla_put_u8(skb, CHARTER_A_EVENT_DIRECTION, obj->direction) ||
		       nla_put_u8(skb, CHARTER_A_EVENT_PROTOCOL, ep->protocol) ||
		       nla_put(skb, CHARTER_A_EVENT_ADDR,
			       ep->family == CHARTER_FAMILY_INET ? 4 : 16, ep->addr) ||
		       nla_put_u16(skb, CHARTER_A_EVENT_PORT, ep->port) ? -EMSGSIZE : 0;
	if (obj->is_device &&
	    (nla_put_u32(skb, CHARTER_A_EVENT_DEVICE, obj->dev_classes) ||
	     nla_put_u32(skb, CHARTER_A_EVENT_DEVNUM,
			  MAJOR(obj->devt) << 20 | MINOR(obj->devt))))
		return -EMSGSIZE;
	if (nla_put_u32(skb, CHARTER_A_EVENT_ACCESS, obj->access) ||
	    (obj->path && nla_put_string(skb, CHARTER_A_EVENT_PATH, obj->path)) ||
	    (obj->path2 && nla_put_string(skb, CHARTER_A_EVENT_PATH2, obj->path2)))
		return -EMSGSIZE;
	return 0;
}

static void charter_event_log(const struct charter_manifest *m,
			      const struct charter_object *obj, u8 decision)
{
	const char *what = decision == CHARTER_DECISION_DENIED ? "denied"
							       : "would deny";

	if (obj->ep)
		pr_notice_ratelimited("charter: %s %s %s port %u to %s (pid %d, %s)\n",
				      what, obj->direction == CHARTER_NET_INBOUND ?
				      "inbound" : "outbound",
				      obj->ep->protocol == CHARTER_PROTO_UDP ? "udp" : "tcp",
				      obj->ep->port, m->name, charter_event_pid(),
				      charter_event_comm());
	else if (obj->is_device)
		pr_notice_ratelimited("charter: %s device %u:%u (classes %#x) %s for %s (pid %d, %s)\n",
				      what, MAJOR(obj->devt), MINOR(obj->devt),
				      obj->dev_classes, obj->path ?: "(unnamed)",
				      m->name, charter_event_pid(), charter_event_comm());
	else
		pr_notice_ratelimited("charter: %s access %#x to %s for %s (pid %d, %s)\n",
				      what, obj->access, obj->path ?: "(unnamed)",
				      m->name, charter_event_pid(), charter_event_comm());
}

void charter_event(const struct charter_manifest *m,
		   const struct charter_object *obj, u8 decision)
{
	struct sk_buff *skb;
	void *hdr;

	charter_event_log(m, obj, decision);
	if (!charter_event_listeners())
		return;
	if (!__ratelimit(&charter_event_limit)) {
		atomic64_inc(&charter_dropped);
		return;
	}
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb) {
		atomic64_inc(&charter_dropped);
		return;
	}
	hdr = charter_event_put_header(skb);
	if (!hdr || charter_event_fill(skb, m, obj, decision)) {
		nlmsg_free(skb);
		atomic64_inc(&charter_dropped);
		return;
	}
	genlmsg_end(skb, hdr);
	charter_event_send(skb);
}
