// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: device classes, decided from the device itself.
 *
 * In a domain, a character or block device node opens only if its class
 * is granted by every layer's allowedDevices (path rules do not apply to
 * device nodes), or if it is one of the always-allowed devices: null,
 * zero, full, random, urandom, tty, ptmx and the pty slaves. The class
 * comes from the device, never from the node's name or place:
 *
 *   storage    any block device
 *   keyboard   input device reporting EV_KEY with every key KEY_ESC..KEY_S
 *   mouse      input device with EV_REL, REL_X, REL_Y and a mouse button;
 *              /dev/input/mouseN and /dev/input/mice
 *   joystick   input device with ABS_X, ABS_Y and a joystick or gamepad
 *              button; /dev/input/jsN
 *              (an input device that is several of these needs them all;
 *              one that is none of them opens for no manifest)
 *   audioOut   ALSA playback PCM; audioIn: ALSA capture PCM; the control,
 *              timer, sequencer, hwdep and MIDI nodes need either
 *   display    DRM primary and control nodes, framebuffers
 *   gpu        DRM render nodes
 *   camera     video4linux nodes
 *   serial     serial ports (ttyS, ttyUSB, ttyACM, low-density serial)
 *   usb        raw USB device nodes (/dev/bus/usb/BBB/DDD)
 *
 * Creating device nodes (mknod) is refused in a domain.
 */

#include <linux/device.h>
#include <linux/fb.h>
#include <linux/fs.h>
#include <linux/input.h>
#include <linux/kd.h>
#include <linux/kdev_t.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/string.h>
#include <linux/vt.h>

#include "attach.h"
#include "compat.h"
#include "dev.h"
#include "uapi/charter.h"

#define BIT_DEV(c) CHARTER_DEV_BIT(CHARTER_DEV_##c)
#define CHARTER_DEV_ANY_AUDIO (CHARTER_DEV_MATCH_ANY | BIT_DEV(AUDIO_OUT) | \
			       BIT_DEV(AUDIO_IN))
/* Majors the kernel does not name in major.h. */
#define CHARTER_DRM_MAJOR 226
#define CHARTER_USB_DEVICE_MAJOR 189
#define CHARTER_TTYUSB_MAJOR 188
#define CHARTER_TTYACM_MAJOR 166
#define CHARTER_LOW_DENSITY_SERIAL_MAJOR 204
#define CHARTER_V4L_MAJOR 81

bool charter_dev_always_allowed(dev_t dev)
{
	unsigned int major = MAJOR(dev), minor = MINOR(dev);

	if (major == MEM_MAJOR)
		return minor == 3 || minor == 5 || minor == 7 || minor == 8 ||
		       minor == 9;
	if (major == TTYAUX_MAJOR)
		return minor == 0 || minor == 2;
	return major >= UNIX98_PTY_SLAVE_MAJOR &&
	       major < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT;
}

/* evdev's nodes: /dev/input/eventN (joydev 0-31 and mousedev 32-63 below). */
static bool charter_dev_is_evdev(dev_t dev)
{
	return MAJOR(dev) == INPUT_MAJOR && MINOR(dev) >= 64;
}

/*
 * Virtual console ioctls that set what every console shares (the keymap,
 * function key strings, accents, the font and colour map, the screen
 * maps, the keyboard's repeat rate, keyboard requests), or switch, lock,
 * resize or free consoles (include/uapi/linux/kd.h, vt.h). vt_ioctl()
 * allows them on a task's own controlling console, reached through
 * /dev/tty by one started from a console login (red team: KDSKBSENT made
 * F1 type a command on every console). The readers stay allowed.
 */
static const struct {
	unsigned int cmd;
	const char *name;
} charter_console_ioctls[] = {
	{ KDSKBENT, "KDSKBENT" }, { KDSKBSENT, "KDSKBSENT" },
	{ KDSETKEYCODE, "KDSETKEYCODE" }, { KDSKBDIACR, "KDSKBDIACR" },
	{ KDSKBDIACRUC, "KDSKBDIACRUC" }, { KDSIGACCEPT, "KDSIGACCEPT" },
	{ KDKBDREP, "KDKBDREP" }, { KDFONTOP, "KDFONTOP" },
	{ PIO_FONT, "PIO_FONT" }, { PIO_FONTRESET, "PIO_FONTRESET" },
	{ PIO_CMAP, "PIO_CMAP" }, { PIO_SCRNMAP, "PIO_SCRNMAP" },
	{ PIO_UNISCRNMAP, "PIO_UNISCRNMAP" }, { PIO_UNIMAP, "PIO_UNIMAP" },
	{ PIO_UNIMAPCLR, "PIO_UNIMAPCLR" }, { VT_SETMODE, "VT_SETMODE" },
	{ VT_ACTIVATE, "VT_ACTIVATE" }, { VT_SETACTIVATE, "VT_SETACTIVATE" },
	{ VT_DISALLOCATE, "VT_DISALLOCATE" }, { VT_RESIZE, "VT_RESIZE" },
	{ VT_RESIZEX, "VT_RESIZEX" }, { VT_LOCKSWITCH, "VT_LOCKSWITCH" },
	{ VT_UNLOCKSWITCH, "VT_UNLOCKSWITCH" },
};

/**
 * charter_dev_ioctl_refused() - a device ioctl a domain may not make
 * @dev: the device the descriptor is open on
 * @cmd: the ioctl
 * @arg: its argument (EVIOCGRAB's is a value)
 *
 * Opening a device is what its class grants; these ioctls reach past the
 * opener, and no class grants them (red team): a virtual console's
 * setters (charter_console_ioctls), the random pool's writers
 * (RNDADDTOENTCNT credits entropy to everyone's generator, always-allowed
 * /dev/random and /dev/urandom; include/uapi/linux/random.h), evdev's
 * grab (every other reader, the console's and the display server's,
 * loses the device), key map, autorepeat and axis settings (everyone's,
 * outliving the program; include/uapi/linux/input.h), and joydev's
 * calibration and maps (include/uapi/linux/joystick.h).
 *
 * Return: the ioctl's name, or NULL when it is not one of them.
 */
const char *charter_dev_ioctl_refused(dev_t dev, unsigned int cmd,
				      unsigned long arg)
{
	unsigned int i;

	/* The virtual consoles (4), /dev/tty and /dev/console (5). */
	if (MAJOR(dev) == TTY_MAJOR || MAJOR(dev) == TTYAUX_MAJOR) {
		for (i = 0; i < ARRAY_SIZE(charter_console_ioctls); i++)
			if (charter_console_ioctls[i].cmd == cmd)
				return charter_console_ioctls[i].name;
		return NULL;
	}
	if (MAJOR(dev) == MEM_MAJOR && (MINOR(dev) == 8 || MINOR(dev) == 9))
		return _IOC_TYPE(cmd) == 'R' && cmd != RNDGETENTCNT ?
		       "random pool" : NULL;
	if (MAJOR(dev) != INPUT_MAJOR)
		return NULL;
	if (MINOR(dev) < 32)
		return _IOC_TYPE(cmd) == 'j' &&
		       (_IOC_NR(cmd) == 0x21 || _IOC_NR(cmd) == 0x31 ||
			_IOC_NR(cmd) == 0x33) ? "joystick calibration or map" :
		       NULL;
	if (!charter_dev_is_evdev(dev) || _IOC_TYPE(cmd) != 'E')
		return NULL;
	if (cmd == EVIOCGRAB)
		return arg ? "EVIOCGRAB" : NULL;
	if (cmd == EVIOCSKEYCODE || cmd == EVIOCSKEYCODE_V2)
		return "EVIOCSKEYCODE";
	if (cmd == EVIOCSREP)
		return "EVIOCSREP";
	/* EVIOCSABS(abs): _IOW('E', 0xc0 + abs, struct input_absinfo) */
	if (_IOC_DIR(cmd) == _IOC_WRITE && _IOC_NR(cmd) >= 0xc0)
		return "EVIOCSABS";
	return NULL;
}

/**
 * charter_dev_write_refused() - may an open for writing not be granted?
 * @dev: the device
 * @classes: its classes (charter_dev_classes())
 *
 * A keyboard or mouse class grants reading the device's events: an event
 * written to /dev/input/eventN goes to every handler of the device, the
 * console's keyboard (which types it: TIOCSTI by another door) and the
 * display server's (red team). A joystick keeps writes (force feedback).
 *
 * Return: true when the device is an evdev node of a keyboard or mouse.
 */
bool charter_dev_write_refused(dev_t dev, u32 classes)
{
	return charter_dev_is_evdev(dev) &&
	       (classes & (BIT_DEV(KEYBOARD) | BIT_DEV(MOUSE)));
}

static bool charter_keys_all(const unsigned long *keybit, unsigned int from,
			     unsigned int to)
{
	unsigned int k;

	for (k = from; k <= to; k++)
		if (!test_bit(k, keybit))
			return false;
	return true;
}

static bool charter_keys_any(const unsigned long *keybit, unsigned int from,
			     unsigned int to)
{
	return find_next_bit(keybit, to, from) < to;
}

/* The classes of an input device, from its capabilities (as udev does). */
static u32 charter_input_classes(const struct input_dev *in)
{
	u32 classes = 0;

	if (test_bit(EV_KEY, in->evbit) &&
	    charter_keys_all(in->keybit, KEY_ESC, KEY_S))
		classes |= BIT_DEV(KEYBOARD);
	if (test_bit(EV_REL, in->evbit) && test_bit(REL_X, in->relbit) &&
	    test_bit(REL_Y, in->relbit) &&
	    charter_keys_any(in->keybit, BTN_MOUSE, BTN_JOYSTICK))
		classes |= BIT_DEV(MOUSE);
	if (test_bit(EV_ABS, in->evbit) && test_bit(ABS_X, in->absbit) &&
	    test_bit(ABS_Y, in->absbit) &&
	    (charter_keys_any(in->keybit, BTN_JOYSTICK, BTN_DIGI) ||
	     charter_keys_any(in->keybit, BTN_TRIGGER_HAPPY,
			      BTN_TRIGGER_HAPPY40 + 1)) &&
	    !test_bit(BTN_TOOL_PEN, in->keybit) &&
	    !test_bit(BTN_TOOL_FINGER, in->keybit))
		classes |= BIT_DEV(JOYSTICK);
	return classes;
}

static u32 charter_input_node_classes(dev_t dev)
{
	unsigned int minor = MINOR(dev);
	struct device *d;
	u32 classes = 0;

	/* joydev: 0-31, mousedev: 32-63 (63 is /dev/input/mice). */
	if (minor < 32)
		return BIT_DEV(JOYSTICK);
	if (minor < 64)
		return BIT_DEV(MOUSE);
	d = class_find_device_by_devt(&input_class, dev);
	if (!d)
		return 0;
	if (d->parent)
		classes = charter_input_classes(to_input_dev(d->parent));
	put_device(d);
	return classes;
}

/*
 * ALSA's devices are in sound_class, which soundcore exports without GPL
 * (symbol_get() refuses it): find it by name, once, and check at each use
 * that the address is still soundcore's, holding the module meanwhile.
 */
static struct module *(*charter_module_address)(unsigned long addr);

/* The class at sound_class's address: the struct, or a pointer to it. */
static struct class *charter_sound_class_at(unsigned long addr)
{
#if CHARTER_SOUND_CLASS_IS_STRUCT
	return (struct class *)addr;
#else
	return *(struct class **)addr;
#endif
}
static unsigned long charter_sound_class_addr;

static struct class *charter_sound_class_get(struct module **owner)
{
	unsigned long addr = READ_ONCE(charter_sound_class_addr);
	struct class *cls = NULL;
	struct module *mod;
	int tries;

	for (tries = 0; tries < 2 && !cls; tries++) {
		if (!addr) {
			addr = charter_symbol("sound_class");
			WRITE_ONCE(charter_sound_class_addr, addr);
			if (!addr)
				return NULL;
		}
		preempt_disable();
		mod = charter_module_address(addr);
		if (mod && !strcmp(mod->name, "soundcore") && try_module_get(mod)) {
			cls = charter_sound_class_at(addr);
			*owner = mod;
			if (!cls)
				module_put(mod);
		}
		preempt_enable();
		addr = 0;	/* stale: look it up again */
	}
	return cls;
}

int charter_dev_init(void)
{
	charter_module_address = (void *)charter_symbol("__module_address");
	return charter_module_address ? 0 : -ENOENT;
}

/* ALSA names its nodes after their kind: pcmC0D0p, pcmC0D0c, controlC0... */
static u32 charter_sound_classes(dev_t dev)
{
	struct module *owner = NULL;
	struct class *cls = charter_sound_class_get(&owner);
	struct device *d;
	u32 classes = 0;
	const char *name;
	size_t len;

	if (!cls)
		return 0;
	d = class_find_device_by_devt(cls, dev);
	if (d) {
		name = dev_name(d);
		len = strlen(name);
		if (!strncmp(name, "pcm", 3) && len && name[len - 1] == 'p')
			classes = BIT_DEV(AUDIO_OUT);
		else if (!strncmp(name, "pcm", 3) && len && name[len - 1] == 'c')
			classes = BIT_DEV(AUDIO_IN);
		else
			classes = CHARTER_DEV_ANY_AUDIO;
		put_device(d);
	}
	module_put(owner);
	return classes;
}

static u32 charter_char_classes(dev_t dev)
{
	unsigned int major = MAJOR(dev), minor = MINOR(dev);

	switch (major) {
	case INPUT_MAJOR:
		return charter_input_node_classes(dev);
	case SOUND_MAJOR:
	case 116:	/* ALSA */
		return charter_sound_classes(dev);
	case CHARTER_DRM_MAJOR:
		return minor >= 128 && minor < 192 ? BIT_DEV(GPU) : BIT_DEV(DISPLAY);
	case FB_MAJOR:
		return BIT_DEV(DISPLAY);
	case CHARTER_V4L_MAJOR:
		return BIT_DEV(CAMERA);
	case CHARTER_USB_DEVICE_MAJOR:
		return BIT_DEV(USB);
	case TTY_MAJOR:
		return minor >= 64 ? BIT_DEV(SERIAL) : 0;
	case CHARTER_TTYUSB_MAJOR:
	case CHARTER_TTYACM_MAJOR:
	case CHARTER_LOW_DENSITY_SERIAL_MAJOR:
		return BIT_DEV(SERIAL);
	}
	return 0;
}

/* The classes of the device node @inode, 0 when it is in none. */
u32 charter_dev_classes(const struct inode *inode)
{
	if (S_ISBLK(inode->i_mode))
		return BIT_DEV(STORAGE);
	return charter_char_classes(inode->i_rdev);
}
