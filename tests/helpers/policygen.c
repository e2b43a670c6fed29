// SPDX-License-Identifier: GPL-2.0
/*
 * policygen: print the generation of the loaded policy (how many policies
 * were loaded before it; "none" when none is), read with the tool's own
 * netlink client (CHARTER_CMD_POLICY_GET). A test compares two readings
 * to see whether anything was loaded in between. Exit 1 on an error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "nl.h"

int main(void)
{
	struct nl_error e = { { 0 } };
	uint64_t generation;
	uint8_t *blob = NULL;
	size_t len = 0;

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
