// SPDX-License-Identifier: GPL-2.0
/*
 * uinputdev kbd|mouse|pad NAME SECS: create a virtual input device through
 * /dev/uinput (a full keyboard; a mouse with two axes and buttons; a
 * gamepad with two absolute axes) and keep it for SECS seconds.
 */
#include <fcntl.h>
#include <linux/uinput.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct uinput_setup us = { .id = { .bustype = BUS_VIRTUAL, .vendor = 1,
					   .product = 1 } };
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: uinputdev kbd|mouse|pad NAME SECS\n");
		return 2;
	}
	fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK);
	if (fd < 0)
		return perror("/dev/uinput"), 1;
	ioctl(fd, UI_SET_EVBIT, EV_KEY);
	if (!strcmp(argv[1], "kbd")) {
		for (int k = KEY_ESC; k <= KEY_KPDOT; k++)
			ioctl(fd, UI_SET_KEYBIT, k);
	} else if (!strcmp(argv[1], "mouse")) {
		ioctl(fd, UI_SET_EVBIT, EV_REL);
		ioctl(fd, UI_SET_RELBIT, REL_X);
		ioctl(fd, UI_SET_RELBIT, REL_Y);
		ioctl(fd, UI_SET_KEYBIT, BTN_LEFT);
		ioctl(fd, UI_SET_KEYBIT, BTN_RIGHT);
	} else {
		struct uinput_abs_setup abs = { .absinfo = { .minimum = -100,
							      .maximum = 100 } };

		ioctl(fd, UI_SET_EVBIT, EV_ABS);
		ioctl(fd, UI_SET_KEYBIT, BTN_SOUTH);
		ioctl(fd, UI_SET_KEYBIT, BTN_EAST);
		abs.code = ABS_X;
		ioctl(fd, UI_ABS_SETUP, &abs);
		abs.code = ABS_Y;
		ioctl(fd, UI_ABS_SETUP, &abs);
	}
	snprintf(us.name, sizeof(us.name), "%s", argv[2]);
	if (ioctl(fd, UI_DEV_SETUP, &us) || ioctl(fd, UI_DEV_CREATE))
		return perror("uinput"), 1;
	sleep((unsigned int)atoi(argv[3]));
	ioctl(fd, UI_DEV_DESTROY);
	return 0;
}
