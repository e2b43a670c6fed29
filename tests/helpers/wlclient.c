// SPDX-License-Identifier: GPL-2.0
/*
 * wlclient: the smallest Wayland client that proves a compositor draws.
 *
 *   wlclient [SECONDS]   (default 10)
 *
 * Connects to $WAYLAND_DISPLAY under $XDG_RUNTIME_DIR (libwayland-client's
 * own rules), makes an xdg_toplevel, waits for its first configure, fills
 * a wl_shm buffer of the configured size (320x240 when the compositor
 * leaves it to us) with one colour, attaches it, asks for a frame callback
 * and commits. When the compositor has drawn the surface it sends the
 * callback's done: wlclient prints "drawn WxH" and exits 0.
 *
 * Exit status: 0 drawn; 1 cannot connect (the message names the socket and
 * errno's text: a confined client refused the socket says EACCES here);
 * 2 anything else (a global missing, shm failure, a protocol error, the
 * connection lost, nothing drawn within SECONDS).
 *
 * Built dynamically against libwayland-client (tests/helpers/Makefile);
 * the xdg-shell glue is generated with wayland-scanner into build/wayland/.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <wayland-client.h>
#include "xdg-shell-client-protocol.h"

static struct wl_compositor *compositor;
static struct wl_shm *shm;
static struct xdg_wm_base *wm_base;
static int configured, drawn;
static int32_t conf_w, conf_h;

static void die(const char *msg)
{
	fprintf(stderr, "wlclient: %s\n", msg);
	exit(2);
}

static void wm_base_ping(void *data, struct xdg_wm_base *b, uint32_t serial)
{
	(void)data;
	xdg_wm_base_pong(b, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = wm_base_ping,
};

static void global(void *data, struct wl_registry *reg, uint32_t name,
		   const char *iface, uint32_t version)
{
	(void)data;
	if (!strcmp(iface, wl_compositor_interface.name))
		compositor = wl_registry_bind(reg, name, &wl_compositor_interface, 1);
	else if (!strcmp(iface, wl_shm_interface.name))
		shm = wl_registry_bind(reg, name, &wl_shm_interface, 1);
	else if (!strcmp(iface, xdg_wm_base_interface.name)) {
		wm_base = wl_registry_bind(reg, name, &xdg_wm_base_interface,
					   version < 2 ? version : 2);
		xdg_wm_base_add_listener(wm_base, &wm_base_listener, NULL);
	}
}

static void global_remove(void *data, struct wl_registry *reg, uint32_t name)
{
	(void)data; (void)reg; (void)name;
}

static const struct wl_registry_listener registry_listener = {
	.global = global,
	.global_remove = global_remove,
};

static void surface_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	(void)data;
	xdg_surface_ack_configure(s, serial);
	configured = 1;
}

static const struct xdg_surface_listener surface_listener = {
	.configure = surface_configure,
};

static void toplevel_configure(void *data, struct xdg_toplevel *t, int32_t w,
			       int32_t h, struct wl_array *states)
{
	(void)data; (void)t; (void)states;
	conf_w = w;
	conf_h = h;
}

static void toplevel_close(void *data, struct xdg_toplevel *t)
{
	(void)data; (void)t;
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
};

static void frame_done(void *data, struct wl_callback *cb, uint32_t time)
{
	(void)data; (void)time;
	wl_callback_destroy(cb);
	drawn = 1;
}

static const struct wl_callback_listener frame_listener = {
	.done = frame_done,
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Dispatch events until *flag is set or the deadline passes. */
static void wait_for(struct wl_display *d, int *flag, double deadline,
		     const char *what)
{
	struct pollfd pfd = { .fd = wl_display_get_fd(d), .events = POLLIN };
	char msg[160];

	while (!*flag) {
		double left = deadline - now();
		int r;

		while (wl_display_prepare_read(d) != 0)
			if (wl_display_dispatch_pending(d) < 0)
				goto lost;
		if (*flag) {
			wl_display_cancel_read(d);
			break;
		}
		if (wl_display_flush(d) < 0 && errno != EAGAIN) {
			wl_display_cancel_read(d);
			goto lost;
		}
		if (left <= 0) {
			wl_display_cancel_read(d);
			snprintf(msg, sizeof(msg), "timed out waiting for %s", what);
			die(msg);
		}
		r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno != EINTR) {
			wl_display_cancel_read(d);
			die("poll failed");
		}
		if (r > 0) {
			if (wl_display_read_events(d) < 0)
				goto lost;
		} else {
			wl_display_cancel_read(d);
		}
		if (wl_display_dispatch_pending(d) < 0)
			goto lost;
	}
	return;
lost:
	snprintf(msg, sizeof(msg), "connection lost waiting for %s: %s", what,
		 strerror(wl_display_get_error(d) ? wl_display_get_error(d) : errno));
	die(msg);
}

int main(int argc, char **argv)
{
	double deadline = now() + (argc > 1 ? atof(argv[1]) : 10);
	const char *name = getenv("WAYLAND_DISPLAY");
	const char *dir = getenv("XDG_RUNTIME_DIR");
	struct wl_display *d;
	struct wl_registry *reg;
	struct wl_surface *surf;
	struct xdg_surface *xs;
	struct xdg_toplevel *top;
	struct wl_shm_pool *pool;
	struct wl_buffer *buf;
	int32_t w, h, stride;
	size_t size;
	uint32_t *px;
	int fd;
	size_t i;

	d = wl_display_connect(NULL);
	if (!d) {
		int e = errno;

		fprintf(stderr, "wlclient: cannot connect to %s/%s: %s\n",
			dir ? dir : "(no XDG_RUNTIME_DIR)",
			name ? name : "wayland-0", strerror(e));
		return 1;
	}
	reg = wl_display_get_registry(d);
	wl_registry_add_listener(reg, &registry_listener, NULL);
	if (wl_display_roundtrip(d) < 0)
		die("registry roundtrip failed");
	if (!compositor || !shm || !wm_base)
		die("compositor lacks wl_compositor, wl_shm or xdg_wm_base");

	surf = wl_compositor_create_surface(compositor);
	xs = xdg_wm_base_get_xdg_surface(wm_base, surf);
	xdg_surface_add_listener(xs, &surface_listener, NULL);
	top = xdg_surface_get_toplevel(xs);
	xdg_toplevel_add_listener(top, &toplevel_listener, NULL);
	xdg_toplevel_set_title(top, "wlclient");
	wl_surface_commit(surf);	/* no buffer: asks for the first configure */
	wait_for(d, &configured, deadline, "the first configure");

	w = conf_w > 0 ? conf_w : 320;
	h = conf_h > 0 ? conf_h : 240;
	stride = w * 4;
	size = (size_t)stride * h;
	fd = memfd_create("wlclient", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, size) < 0)
		die("cannot make the shared memory buffer");
	px = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (px == MAP_FAILED)
		die("cannot map the shared memory buffer");
	for (i = 0; i < size / 4; i++)
		px[i] = 0xff3070c0;	/* opaque blue-ish, XRGB8888 */
	pool = wl_shm_create_pool(shm, fd, size);
	buf = wl_shm_pool_create_buffer(pool, 0, w, h, stride, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);

	wl_callback_add_listener(wl_surface_frame(surf), &frame_listener, NULL);
	wl_surface_attach(surf, buf, 0, 0);
	wl_surface_damage(surf, 0, 0, w, h);
	wl_surface_commit(surf);
	wait_for(d, &drawn, deadline, "the first frame");

	printf("drawn %dx%d\n", w, h);
	fflush(stdout);
	xdg_toplevel_destroy(top);
	xdg_surface_destroy(xs);
	wl_surface_destroy(surf);
	wl_buffer_destroy(buf);
	wl_display_roundtrip(d);
	wl_display_disconnect(d);
	return 0;
}
