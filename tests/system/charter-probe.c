// SPDX-License-Identifier: GPL-2.0
/*
 * charter-probe FILE...: the program of the system test's test package.
 * Prints "probe: version N" (PROBE_VERSION: 2 is the upgrade, another
 * binary), then for each FILE "probe: FILE: read ok" or "probe: FILE: open:
 * ERROR (errno N)"; the test reads these lines from the journal. Exits 0
 * either way: the verdict is the test's, not the probe's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef PROBE_VERSION
#define PROBE_VERSION 1
#endif

int main(int argc, char **argv)
{
	char buf[256];

	printf("probe: version %d\n", PROBE_VERSION);
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		int err = errno;

		if (fd < 0) {
			printf("probe: %s: open: %s (errno %d)\n", argv[i],
			       strerror(err), err);
			continue;
		}
		if (read(fd, buf, sizeof(buf)) < 0)
			printf("probe: %s: read: %s\n", argv[i], strerror(errno));
		else
			printf("probe: %s: read ok\n", argv[i]);
		close(fd);
	}
	return 0;
}
