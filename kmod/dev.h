/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CHARTER_DEV_H
#define _CHARTER_DEV_H

#include <linux/types.h>

struct inode;

/*
 * In what charter_dev_classes() returns: any one of the classes is enough
 * (the device serves them all, as an ALSA card's control node); without
 * it, a device in several classes needs every one.
 */
#define CHARTER_DEV_MATCH_ANY (1u << 31)

int charter_dev_init(void);
bool charter_dev_always_allowed(dev_t dev);
u32 charter_dev_classes(const struct inode *inode);
const char *charter_dev_ioctl_refused(dev_t dev, unsigned int cmd,
				      unsigned long arg);
bool charter_dev_write_refused(dev_t dev, u32 classes);

#endif /* _CHARTER_DEV_H */
