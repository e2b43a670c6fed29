// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime baseline: what an ordinary dynamically linked program reads
 * before its own code runs, granted read-only (plus execute for shared
 * objects, which the loader maps executable). Documentation/manifest.rst
 * lists it; the compiler resolves symlinks (merged /usr: /lib is
 * /usr/lib) and merges what then coincides.
 */
#include "baseline.h"
#include "uapi/charter.h"

#define R CHARTER_ACCESS_READ
#define RX (CHARTER_ACCESS_READ | CHARTER_ACCESS_EXECUTE)

const struct baseline_entry baseline_entries[] = {
	/* The dynamic loader and shared libraries. */
	{ "/lib/**", R },
	{ "/lib/**/*.so*", RX },
	{ "/lib64/**", R },
	{ "/lib64/**/*.so*", RX },
	{ "/usr/lib/**", R },
	{ "/usr/lib/**/*.so*", RX },
	{ "/etc/ld.so.cache", R },
	{ "/etc/ld.so.preload", R },
	/* Locale and time zone data. */
	{ "/usr/share/locale/**", R },
	{ "/usr/share/zoneinfo/**", R },
	{ "/etc/localtime", R },
	/*
	 * /dev/null and friends are device nodes: the kernel always allows
	 * them (they are in no device class), whatever the manifest says.
	 */
};

const size_t baseline_count = sizeof(baseline_entries) / sizeof(baseline_entries[0]);
