// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: decision events.
 *
 * Every denial, and every would-be denial in complain mode, is reported
 * on the "events" multicast group (when anyone listens) and in a
 * rate-limited kernel log line, in words: rights and device classes as
 * manifests name them, network endpoints by address and port, operations
 * refused whole by name ("denied mount for app (pid 42, sh)"). Events are
 * rate-limited too (at most 100 in any half second: 200 a second); what
 * the limit drops is counted, and status shows the count. Reporting may
 * happen in atomic context (a unix socket hook holds a spinlock): nothing
 * here sleeps.
 */

#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <linux/kdev_t.h>
#include <linux/kernel.h>

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

/* The rights of @access as the manifest language names them. */
const char *charter_access_words(u32 access)
{
	static const char *const names[] = CHARTER_ACCESS_NAMES;

	return names[access & CHARTER_ACCESS_ALL];
}

/**
 * charter_device_words() - device classes as the manifest language names them
 * @classes: a CHARTER_DEV_BIT() mask (other bits are ignored)
 * @buf: where to write "keyboard,mouse" ("none" for no class)
 * @len: its size
 *
 * Return: the length written, as scnprintf().
 */
int charter_device_words(u32 classes, char *buf, size_t len)
{
	static const char *const names[] = CHARTER_DEV_NAMES;
	int n = 0;
	u32 c;

	BUILD_BUG_ON(ARRAY_SIZE(names) != __CHARTER_DEV_COUNT);
	if (len)
		buf[0] = '\0';
	for (c = 0; c < __CHARTER_DEV_COUNT; c++)
		if (classes & CHARTER_DEV_BIT(c))
			n += scnprintf(buf + n, len - n, "%s%s", n ? "," : "",
				       names[c]);
	return n ?: scnprintf(buf, len, "none");
}

/**
 * charter_event_put_endpoint() - a network endpoint as event attributes
 * @skb: the message
 * @direction: CHARTER_NET_INBOUND or _OUTBOUND
 * @ep: the endpoint
 *
 * CHARTER_A_EVENT_DIRECTION, _PROTOCOL, _ADDR (4 or 16 bytes) and _PORT:
 * an event's, and a learning record's entry's (learn.c).
 *
 * Return: 0, or -EMSGSIZE.
 */
int charter_event_put_endpoint(struct sk_buff *skb, u8 direction,
			       const struct charter_endpoint *ep)
{
	return nla_put_u8(skb, CHARTER_A_EVENT_DIRECTION, direction) ||
	       nla_put_u8(skb, CHARTER_A_EVENT_PROTOCOL, ep->protocol) ||
	       nla_put(skb, CHARTER_A_EVENT_ADDR,
		       ep->family == CHARTER_FAMILY_INET ? 4 : 16, ep->addr) ||
	       nla_put_u16(skb, CHARTER_A_EVENT_PORT, ep->port) ? -EMSGSIZE : 0;
}

/* An operation refused whole, and whom it was aimed at. */
static int charter_event_fill_operation(struct sk_buff *skb,
					const struct charter_object *obj)
{
	if (nla_put_string(skb, CHARTER_A_EVENT_OPERATION, obj->operation) ||
	    (obj->always && nla_put_u8(skb, CHARTER_A_EVENT_ALWAYS, 1)))
		return -EMSGSIZE;
	if (obj->target_pid &&
	    (nla_put_u32(skb, CHARTER_A_EVENT_TARGET_PID, obj->target_pid) ||
	     nla_put_string(skb, CHARTER_A_EVENT_TARGET_COMM, obj->target_comm)))
		return -EMSGSIZE;
	return obj->path && nla_put_string(skb, CHARTER_A_EVENT_PATH, obj->path) ?
	       -EMSGSIZE : 0;
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
	if (nla_put_u64_64bit(skb, CHARTER_A_EVENT_TIME, ktime_get_real_ns(),
			      CHARTER_A_PAD) ||
	    nla_put_u32(skb, CHARTER_A_EVENT_PID, charter_event_pid()) ||
	    nla_put_string(skb, CHARTER_A_EVENT_COMM, charter_event_comm()) ||
	    nla_put_u8(skb, CHARTER_A_EVENT_DECISION, decision))
		return -EMSGSIZE;
	/* No manifest: a refusal made before any was identified. */
	if (m && (nla_put_string(skb, CHARTER_A_MANIFEST_NAME, m->name) ||
		  nla_put(skb, CHARTER_A_MANIFEST_SHA256, CHARTER_SHA256_LEN,
			  m->digest)))
		return -EMSGSIZE;
	if (obj->operation)
		return charter_event_fill_operation(skb, obj);
	if (obj->ep)
		return charter_event_put_endpoint(skb, obj->direction, obj->ep);
	/* A server's socket: its classes, and no device number. */
	if (obj->is_device &&
	    (nla_put_u32(skb, CHARTER_A_EVENT_DEVICE, obj->dev_classes) ||
	     (!obj->is_server &&
	      nla_put_u32(skb, CHARTER_A_EVENT_DEVNUM,
			  MAJOR(obj->devt) << 20 | MINOR(obj->devt)))))
		return -EMSGSIZE;
	if (nla_put_u32(skb, CHARTER_A_EVENT_ACCESS, obj->access) ||
	    (obj->path && nla_put_string(skb, CHARTER_A_EVENT_PATH, obj->path)) ||
	    (obj->path2 && nla_put_string(skb, CHARTER_A_EVENT_PATH2, obj->path2)))
		return -EMSGSIZE;
	return 0;
}

static void charter_event_log_net(const char *what, const char *name,
				  const struct charter_object *obj)
{
	const struct charter_endpoint *ep = obj->ep;
	const char *dir = obj->direction == CHARTER_NET_INBOUND ? "inbound"
								 : "outbound";
	const char *proto = ep->protocol == CHARTER_PROTO_UDP ? "udp" :
			    ep->protocol == CHARTER_PROTO_TCP ? "tcp" : "other";

	if (ep->family == CHARTER_FAMILY_INET)
		pr_notice_ratelimited("charter: %s %s %s %pI4 port %u for %s (pid %d, %s)\n",
				      what, dir, proto, ep->addr, ep->port, name,
				      charter_event_pid(), charter_event_comm());
	else
		pr_notice_ratelimited("charter: %s %s %s %pI6c port %u for %s (pid %d, %s)\n",
				      what, dir, proto, ep->addr, ep->port, name,
				      charter_event_pid(), charter_event_comm());
}

static void charter_event_log_operation(const char *what, const char *name,
					const struct charter_object *obj)
{
	if (obj->target_pid)
		pr_notice_ratelimited("charter: %s%s %s of pid %d (%s) for %s (pid %d, %s)\n",
				      what, obj->always ? " (always)" : "",
				      obj->operation, obj->target_pid,
				      obj->target_comm, name,
				      charter_event_pid(), charter_event_comm());
	else
		pr_notice_ratelimited("charter: %s%s %s%s%s for %s (pid %d, %s)\n",
				      what, obj->always ? " (always)" : "",
				      obj->operation, obj->path ? " " : "",
				      obj->path ?: "", name,
				      charter_event_pid(), charter_event_comm());
}

static void charter_event_log(const struct charter_manifest *m,
			      const struct charter_object *obj, u8 decision)
{
	const char *what = decision == CHARTER_DECISION_DENIED ? "denied"
							       : "would deny";
	const char *name = m ? m->name : "(no manifest)";
	char classes[128];

	if (decision == CHARTER_DECISION_CHANGED_BINARY) {
		pr_notice_ratelimited("charter: binary changed at a manifested path: %s runs confined by %s (pid %d, %s)\n",
				      obj->path, name, charter_event_pid(),
				      charter_event_comm());
	} else if (obj->operation) {
		charter_event_log_operation(what, name, obj);
	} else if (obj->ep) {
		charter_event_log_net(what, name, obj);
	} else if (obj->is_server) {
		charter_device_words(obj->dev_classes, classes, sizeof(classes));
		pr_notice_ratelimited("charter: %s connect to %s's socket %s for %s (pid %d, %s)\n",
				      what, classes, obj->path, name,
				      charter_event_pid(), charter_event_comm());
	} else if (obj->is_device) {
		charter_device_words(obj->dev_classes, classes, sizeof(classes));
		pr_notice_ratelimited("charter: %s %s device %u:%u (%s) %s for %s (pid %d, %s)\n",
				      what, charter_access_words(obj->access),
				      MAJOR(obj->devt), MINOR(obj->devt), classes,
				      obj->path ?: "(unnamed)", name,
				      charter_event_pid(), charter_event_comm());
	} else {
		pr_notice_ratelimited("charter: %s %s %s%s%s for %s (pid %d, %s)\n",
				      what, charter_access_words(obj->access),
				      obj->path ?: "(unnamed)", obj->path2 ? " -> " : "",
				      obj->path2 ?: "", name, charter_event_pid(),
				      charter_event_comm());
	}
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
