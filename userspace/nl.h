/* SPDX-License-Identifier: GPL-2.0 */
/* Client of the "charter" generic-netlink family, and module loading. */
#ifndef CHARTER_NL_H
#define CHARTER_NL_H

#include <stddef.h>
#include <stdint.h>

/* Error text of the last failure: the kernel's extended ack when it sent one. */
struct nl_error {
	char msg[256];
};

/* Push a policy blob; 0 or -errno with @err filled in. */
int nl_policy_load(const uint8_t *blob, size_t len, struct nl_error *err);

/* Load charter.ko unless the family is already there: from @path when not
 * NULL, else by name through modules.dep. 0 or -errno with @err filled. */
int nl_ensure_module(const char *path, struct nl_error *err);

#endif
