// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit builds the module's pure parts without its netlink family: events
 * then have no listener (they are still logged).
 */

#include <linux/skbuff.h>
#include <linux/string.h>

#include "../events.h"
#include "../netlink.h"
#include "../policy.h"

/*
 * No file system here: a test names where "the" file lies, and
 * charter_path_is() compares with that.
 */
const char *charter_kunit_file_path;

bool charter_path_is(const struct path *path, const char *want, size_t len)
{
	return charter_kunit_file_path &&
	       strlen(charter_kunit_file_path) == len &&
	       !memcmp(charter_kunit_file_path, want, len);
}

bool charter_event_listeners(void)
{
	return false;
}

void *charter_event_put_header(struct sk_buff *skb)
{
	return NULL;
}

void charter_event_send(struct sk_buff *skb)
{
	kfree_skb(skb);
}

void *charter_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	return NULL;
}

int charter_may_read(struct netlink_callback *cb)
{
	return 0;
}
