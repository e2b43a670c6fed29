// SPDX-License-Identifier: GPL-2.0
/*
 * policygen: print the generation of the loaded policy (how many policies
 * were loaded before it; "none" when none is), read with the tool's own
 * netlink client (CHARTER_CMD_POLICY_GET). A test compares two readings
 * to see whether anything was loaded in between. Exit 1 on an error.
 *
 * policygen load FILE N: load the compiled policy FILE (charter compile
 * -o) with the Nth fault-injectable allocation from the netlink socket's
 * creation on failed (/proc/thread-self/fail-nth; 0: none). Prints
 * "loaded" or the kernel's error, and "fired" when the Nth allocation
 * came (and failed) or "not fired" when the load made fewer. Exit 0
 * loaded, 1 refused, 2 on a usage or file error.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nl.h"

/*
 * The count is set and read back through one descriptor opened before:
 * opening the file again could itself be the Nth allocation.
 */
static int load(const char *path, const char *n)
{
	struct nl_error e = { { 0 } };
	static uint8_t blob[16 << 20];
	char left[32];
	size_t len;
	ssize_t got;
	FILE *f = fopen(path, "rb");
	int fd, ret;

	if (!f)
		return perror(path), 2;
	len = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0 || pwrite(fd, n, strlen(n), 0) < 0)
		return perror("fail-nth"), 2;
	ret = nl_policy_load(blob, len, &e);
	/* What is left of the count: 0 once the Nth came and failed. */
	got = pread(fd, left, sizeof(left) - 1, 0);
	if (got < 0 || pwrite(fd, "0", 1, 0) < 0)
		return perror("fail-nth"), 2;
	left[got] = '\0';
	close(fd);
	printf("%s\n", ret ? e.msg : "loaded");
	printf("%s\n", atoi(left) ? "not fired" : "fired");
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct nl_error e = { { 0 } };
	uint64_t generation;
	uint8_t *blob = NULL;
	size_t len = 0;

	if (argc == 4 && !strcmp(argv[1], "load"))
		return load(argv[2], argv[3]);
	if (argc != 1)
		return fprintf(stderr, "usage: policygen | policygen load FILE N\n"), 2;
	if (nl_policy_get(&blob, &len, &generation, &e)) {
		fprintf(stderr, "policygen: %s\n", e.msg);
		return 1;
	}
	free(blob);
	if (generation == CHARTER_NO_GENERATION)
		printf("none\n");
	else
		printf("%" PRIu64 "\n", generation);
	return 0;
}
