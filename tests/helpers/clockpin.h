/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pinned clock for the helpers that write a file in place and need its
 * mtime and ctime not to move (staleop, gateop): pin_clock() sets
 * CLOCK_REALTIME to PINNED_SEC (the first call remembers the real time),
 * unpin_clock() puts the real time back, advanced by the monotonic time
 * spent pinned. A clock tick between a write and the check moves the
 * times anyway: pinned_times_moved() says so, and the caller tries again.
 * Needs _GNU_SOURCE (program_invocation_short_name, <errno.h>).
 */
#ifndef CHARTER_TESTS_CLOCKPIN_H
#define CHARTER_TESTS_CLOCKPIN_H

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#define PINNED_SEC 1700000000

static struct timespec real_at_pin, mono_at_pin;
static int pinned;

static void pin_clock(void)
{
	struct timespec t = { .tv_sec = PINNED_SEC };

	if (!pinned) {
		clock_gettime(CLOCK_REALTIME, &real_at_pin);
		clock_gettime(CLOCK_MONOTONIC, &mono_at_pin);
		pinned = 1;
	}
	if (clock_settime(CLOCK_REALTIME, &t))
		fprintf(stderr, "%s: clock_settime: %m\n",
			program_invocation_short_name);
}

static void unpin_clock(void)
{
	struct timespec now, t = real_at_pin;

	if (!pinned)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	t.tv_sec += now.tv_sec - mono_at_pin.tv_sec;
	t.tv_nsec += now.tv_nsec - mono_at_pin.tv_nsec;
	if (t.tv_nsec < 0) {
		t.tv_nsec += 1000000000;
		t.tv_sec--;
	} else if (t.tv_nsec >= 1000000000) {
		t.tv_nsec -= 1000000000;
		t.tv_sec++;
	}
	clock_settime(CLOCK_REALTIME, &t);
	pinned = 0;
}

/* Did @st's mtime or ctime leave the pinned instant? */
static int pinned_times_moved(const struct stat *st)
{
	return st->st_mtim.tv_sec != PINNED_SEC || st->st_mtim.tv_nsec ||
	       st->st_ctim.tv_sec != PINNED_SEC || st->st_ctim.tv_nsec;
}

#endif /* CHARTER_TESTS_CLOCKPIN_H */
