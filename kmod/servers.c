// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: the display and sound servers' sockets, granted by device
 * classes.
 *
 * A desktop program does not open /dev/input or /dev/snd: it draws and
 * receives its keyboard and mouse input through the display server's
 * socket, and plays sound through the sound server's. So a device class
 * also grants a stream connection to its servers' sockets, known by where
 * they are bound (the path, or an abstract socket's name) and, where the
 * convention says who binds them, by that owner (the socket's sk_uid):
 *
 *   wayland, display    $XDG_RUNTIME_DIR/wayland-NAME, that is
 *                       /run/user/UID/wayland-NAME, bound by UID
 *   x11, display        /tmp/.X11-unix/XN and its abstract twin
 *                       @/tmp/.X11-unix/XN, bound by root or by the
 *                       connecting task's real uid (the directory is
 *                       world-writable: anyone may bind there; the
 *                       fsuid a confined root may set at will: red team)
 *   audioOut, audioIn   /run/user/UID/pulse/native (PulseAudio, or
 *                       PipeWire's pipewire-pulse) and
 *                       /run/user/UID/pipewire-N, bound by UID; a
 *                       system-wide PulseAudio's /run/pulse/native
 *
 * A sound class also lets the program read the directory
 * /run/user/UID/pulse itself (its names: native, pid), which libpulse
 * opens to check it is the user's before it connects
 * (pa_make_secure_dir()); nothing beneath it.
 *
 * UID is any user's: the number the path names, which must be the
 * socket's owner; the runtime directory's mode (0700) keeps other users
 * out, as it does unconfined. PipeWire's pipewire-N-manager socket (for
 * privileged clients) is not granted. A sound server's socket carries
 * playback and capture alike, so either audio class grants it: the
 * server, not the kernel, would have to tell them apart (Flatpak's
 * pulseaudio socket has the same limit). keyboard and mouse grant no
 * socket: input arrives through the display server's. An X11 client can
 * read every other client's keystrokes and windows: x11 is the class to
 * leave out for a "Wayland only" manifest (Documentation/manifest.rst).
 *
 * net.c asks, for a pathname or abstract unix socket a task in a domain
 * connects to, and grants by class only a socket made outside every
 * domain (or in one granted the class: charter_server_maker_ok()); path
 * and file rules still grant what they grant.
 */

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "servers.h"
#include "uapi/charter.h"

#define BIT_DEV(c) CHARTER_DEV_BIT(CHARTER_DEV_##c)

/* A cursor over a name of known length: no NUL is assumed. */
struct charter_name {
	const char *p;
	size_t left;
};

static bool charter_take(struct charter_name *n, const char *prefix)
{
	size_t len = strlen(prefix);

	if (n->left < len || memcmp(n->p, prefix, len))
		return false;
	n->p += len;
	n->left -= len;
	return true;
}

/* A decimal number of 1 to 10 digits, no leading zero, that fits a u32. */
static bool charter_take_number(struct charter_name *n, u32 *value)
{
	u64 v = 0;
	size_t i;

	for (i = 0; i < n->left && i <= 10 && isdigit(n->p[i]); i++)
		v = v * 10 + (n->p[i] - '0');
	if (i == 0 || i > 10 || (i > 1 && n->p[0] == '0') || v > U32_MAX)
		return false;
	n->p += i;
	n->left -= i;
	*value = v;
	return true;
}

/* Digits to the end (a display or PipeWire instance number). */
static bool charter_only_number(struct charter_name *n)
{
	u32 v;

	return charter_take_number(n, &v) && !n->left;
}

/* "/run/user/UID/", with UID the socket's owner. */
static bool charter_take_runtime_dir(struct charter_name *n, kuid_t owner)
{
	u32 uid;

	return charter_take(n, "/run/user/") && charter_take_number(n, &uid) &&
	       charter_take(n, "/") &&
	       uid_eq(make_kuid(&init_user_ns, uid), owner);
}

static u32 charter_runtime_dir_classes(struct charter_name *n)
{
	if (charter_take(n, "wayland-"))
		return n->left && !memchr(n->p, '/', n->left) ?
		       BIT_DEV(WAYLAND) : 0;
	if (charter_take(n, "pipewire-"))
		return charter_only_number(n) ?
		       BIT_DEV(AUDIO_OUT) | BIT_DEV(AUDIO_IN) : 0;
	if (charter_take(n, "pulse/native") && !n->left)
		return BIT_DEV(AUDIO_OUT) | BIT_DEV(AUDIO_IN);
	return 0;
}

/**
 * charter_server_classes() - the device classes of a server's socket
 * @name: where the socket is bound: its path ("/run/user/1000/wayland-0"),
 *	or for an abstract socket "@" and its name after the leading NUL
 * @len: bytes of @name (no NUL needed)
 * @owner: who bound it (the listening socket's sk_uid)
 * @caller: the connecting task's real uid
 *
 * Return: the classes the socket serves (CHARTER_DEV_BIT() mask), any
 * one of which grants it through charter_server_grantors(); 0 when it is
 * no display or sound server's socket.
 */
u32 charter_server_classes(const char *name, size_t len, kuid_t owner,
			   kuid_t caller)
{
	struct charter_name n = { .p = name, .left = len };

	if (charter_take(&n, "/tmp/.X11-unix/X") ||
	    charter_take(&n, "@/tmp/.X11-unix/X"))
		return charter_only_number(&n) &&
		       (uid_eq(owner, GLOBAL_ROOT_UID) || uid_eq(owner, caller)) ?
		       BIT_DEV(X11) : 0;
	if (charter_take(&n, "/run/pulse/native"))
		return n.left ? 0 : BIT_DEV(AUDIO_OUT) | BIT_DEV(AUDIO_IN);
	if (charter_take_runtime_dir(&n, owner))
		return charter_runtime_dir_classes(&n);
	return 0;
}

/**
 * charter_server_dir_classes() - the device classes that grant reading a
 *	server's directory
 * @path: a file's path
 * @len: bytes of @path
 * @requested: the CHARTER_ACCESS_* wanted
 *
 * Return: the sound classes for reading /run/user/UID/pulse (any UID),
 * else 0.
 */
u32 charter_server_dir_classes(const char *path, size_t len, u32 requested)
{
	struct charter_name n = { .p = path, .left = len };
	u32 uid;

	if (requested & ~CHARTER_ACCESS_READ)
		return 0;
	if (charter_take(&n, "/run/user/") && charter_take_number(&n, &uid) &&
	    charter_take(&n, "/pulse") && !n.left)
		return BIT_DEV(AUDIO_OUT) | BIT_DEV(AUDIO_IN);
	return 0;
}

/**
 * charter_server_grantors() - the classes that grant a server's socket
 * @classes: what charter_server_classes() returned
 *
 * Return: @classes, and display for a Wayland or X11 socket (display is
 * both); a layer that grants any of them grants the socket.
 */
u32 charter_server_grantors(u32 classes)
{
	if (classes & (BIT_DEV(WAYLAND) | BIT_DEV(X11)))
		classes |= BIT_DEV(DISPLAY);
	return classes;
}
