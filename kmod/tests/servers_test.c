// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the display and sound servers' sockets a device class grants
 * (kmod/servers.c), by name and owner.
 */

#include <kunit/test.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "../servers.h"
#include "../uapi/charter.h"

#define WAYLAND CHARTER_DEV_BIT(CHARTER_DEV_WAYLAND)
#define X11 CHARTER_DEV_BIT(CHARTER_DEV_X11)
#define DISPLAY CHARTER_DEV_BIT(CHARTER_DEV_DISPLAY)
#define AUDIO (CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_OUT) | \
	       CHARTER_DEV_BIT(CHARTER_DEV_AUDIO_IN))

static kuid_t uid(u32 n)
{
	return make_kuid(&init_user_ns, n);
}

/* @name as a NUL-terminated string, bound by @owner, reached by @caller. */
static u32 classes(const char *name, u32 owner, u32 caller)
{
	return charter_server_classes(name, strlen(name), uid(owner), uid(caller));
}

static void servers_wayland(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/wayland-0", 1000, 1000), WAYLAND);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/wayland-1", 1000, 1000), WAYLAND);
	KUNIT_EXPECT_EQ(test, classes("/run/user/0/wayland-0", 0, 0), WAYLAND);
	KUNIT_EXPECT_EQ(test, classes("/run/user/4294967295/wayland-x", 4294967295u, 5),
			WAYLAND);
	/* Any user's, but only as bound by the directory's user. */
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/wayland-0", 0, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/wayland-0", 1001, 1001), 0);
	/* Not a user number the kernel would name, nor a name of its own. */
	KUNIT_EXPECT_EQ(test, classes("/run/user/01000/wayland-0", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/4294967296/wayland-0", 0, 0), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/12345678901/wayland-0", 0, 0), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user//wayland-0", 0, 0), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/wayland-", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/sub/wayland-0", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/wayland-0/x", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000wayland-0", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/tmp/run/user/1000/wayland-0", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("@/run/user/1000/wayland-0", 1000, 1000), 0);
}

static void servers_x11(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, classes("/tmp/.X11-unix/X0", 0, 1000), X11);
	KUNIT_EXPECT_EQ(test, classes("/tmp/.X11-unix/X12", 1000, 1000), X11);
	KUNIT_EXPECT_EQ(test, classes("@/tmp/.X11-unix/X0", 0, 1000), X11);
	KUNIT_EXPECT_EQ(test, classes("@/tmp/.X11-unix/X1", 1000, 1000), X11);
	/* The directory is world-writable: another user's is not the server. */
	KUNIT_EXPECT_EQ(test, classes("/tmp/.X11-unix/X0", 1001, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("@/tmp/.X11-unix/X0", 1001, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/tmp/.X11-unix/X", 0, 0), 0);
	KUNIT_EXPECT_EQ(test, classes("/tmp/.X11-unix/X0x", 0, 0), 0);
	KUNIT_EXPECT_EQ(test, classes("/tmp/.X11-unix/X00", 0, 0), 0);
	KUNIT_EXPECT_EQ(test, classes("/tmp/.X11-unix/Y0", 0, 0), 0);
	KUNIT_EXPECT_EQ(test, classes("/tmp/.X11-unix/X0/", 0, 0), 0);
}

static void servers_sound(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/pulse/native", 1000, 1000), AUDIO);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/pipewire-0", 1000, 1000), AUDIO);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/pipewire-3", 1000, 1000), AUDIO);
	KUNIT_EXPECT_EQ(test, classes("/run/pulse/native", 117, 1000), AUDIO);
	/* PipeWire's socket for privileged clients is not a sound grant. */
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/pipewire-0-manager", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/pipewire-", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/pulse/native2", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/pulse/", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/pulse/native", 0, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/pulse/native.lock", 0, 0), 0);
	KUNIT_EXPECT_EQ(test, classes("/run/user/1000/bus", 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, classes("/var/run/dbus/system_bus_socket", 0, 0), 0);
}

/* The name's length, not a NUL, ends it: an abstract name holds NULs. */
static void servers_length(struct kunit *test)
{
	static const char name[] = "/tmp/.X11-unix/X0\0/x";

	KUNIT_EXPECT_EQ(test, charter_server_classes(name, sizeof(name) - 1,
						     uid(0), uid(0)), 0);
	KUNIT_EXPECT_EQ(test, charter_server_classes(name, 17, uid(0), uid(0)), X11);
	KUNIT_EXPECT_EQ(test, charter_server_classes(name, 16, uid(0), uid(0)), 0);
	KUNIT_EXPECT_EQ(test, charter_server_classes("", 0, uid(0), uid(0)), 0);
}

static u32 dir(const char *path, u32 requested)
{
	return charter_server_dir_classes(path, strlen(path), requested);
}

/* libpulse opens its runtime directory before it connects. */
static void servers_sound_dir(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dir("/run/user/1000/pulse", CHARTER_ACCESS_READ), AUDIO);
	KUNIT_EXPECT_EQ(test, dir("/run/user/0/pulse", CHARTER_ACCESS_READ), AUDIO);
	/* Only reading it; nothing beneath, nothing beside. */
	KUNIT_EXPECT_EQ(test, dir("/run/user/1000/pulse", CHARTER_ACCESS_WRITE), 0);
	KUNIT_EXPECT_EQ(test, dir("/run/user/1000/pulse",
				  CHARTER_ACCESS_READ | CHARTER_ACCESS_EXECUTE), 0);
	KUNIT_EXPECT_EQ(test, dir("/run/user/1000/pulse/pid", CHARTER_ACCESS_READ), 0);
	KUNIT_EXPECT_EQ(test, dir("/run/user/1000/pulse/", CHARTER_ACCESS_READ), 0);
	KUNIT_EXPECT_EQ(test, dir("/run/user/1000/pulsex", CHARTER_ACCESS_READ), 0);
	KUNIT_EXPECT_EQ(test, dir("/run/user/1000", CHARTER_ACCESS_READ), 0);
	KUNIT_EXPECT_EQ(test, dir("/run/user/x/pulse", CHARTER_ACCESS_READ), 0);
	KUNIT_EXPECT_EQ(test, dir("/home/u/run/user/1/pulse", CHARTER_ACCESS_READ), 0);
}

static void servers_grantors(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, charter_server_grantors(WAYLAND), WAYLAND | DISPLAY);
	KUNIT_EXPECT_EQ(test, charter_server_grantors(X11), X11 | DISPLAY);
	KUNIT_EXPECT_EQ(test, charter_server_grantors(AUDIO), AUDIO);
	KUNIT_EXPECT_EQ(test, charter_server_grantors(0), 0);
}

static struct kunit_case servers_cases[] = {
	KUNIT_CASE(servers_wayland),
	KUNIT_CASE(servers_x11),
	KUNIT_CASE(servers_sound),
	KUNIT_CASE(servers_length),
	KUNIT_CASE(servers_sound_dir),
	KUNIT_CASE(servers_grantors),
	{}
};

static struct kunit_suite servers_suite = {
	.name = "charter_servers",
	.test_cases = servers_cases,
};

kunit_test_suite(servers_suite);
