/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_SERVERS_H
#define _CHARTER_SERVERS_H

#include <linux/types.h>
#include <linux/uidgid.h>

u32 charter_server_classes(const char *name, size_t len, kuid_t owner,
			   kuid_t caller);
u32 charter_server_grantors(u32 classes);
u32 charter_server_dir_classes(const char *path, size_t len, u32 requested);

#endif /* _CHARTER_SERVERS_H */
