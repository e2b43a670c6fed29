// SPDX-License-Identifier: GPL-2.0
/* asuid UID CMD ARGS...: run CMD as UID (gid UID, no groups). */
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned int id = argc > 2 ? (unsigned int)atoi(argv[1]) : 0;

	if (argc < 3 || setgroups(0, NULL) || setgid(id) || setuid(id))
		return errno ? errno : 22;
	execvp(argv[2], argv + 2);
	return errno;
}
