// SPDX-License-Identifier: GPL-2.0
/*
 * cacheop: a long-lived program that opens files on command, so that a
 * test can make Charter remember an answer (access cache, mount root
 * names) and then change the policy, the mode or the mounts under it.
 * One command a line on stdin, one answer a line on stdout (0 or errno):
 *
 *   r PATH     open O_RDONLY (and close)
 *   w PATH     open O_WRONLY (and close)
 *   cpu N      pin to CPU N
 *   cd DIR     chdir
 *   x PROG ARGS...  execv PROG (stdin/stdout kept; answers nothing on success)
 *   q          exit
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void answer(int err)
{
	printf("%d\n", err);
	fflush(stdout);
}

int main(void)
{
	char line[8192];

	setvbuf(stdin, NULL, _IONBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		char *arg;
		int fd;

		line[strcspn(line, "\n")] = '\0';
		arg = line[0] && line[1] ? line + 2 : line + strlen(line);
		if (!strncmp(line, "cpu ", 4)) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(atoi(line + 4), &set);
			answer(sched_setaffinity(0, sizeof(set), &set) ? errno : 0);
			sched_yield();
		} else if (!strncmp(line, "cd ", 3)) {
			answer(chdir(line + 3) ? errno : 0);
		} else if (line[0] == 'r' || line[0] == 'w') {
			fd = open(arg, line[0] == 'r' ? O_RDONLY : O_WRONLY);
			if (fd < 0) {
				answer(errno);
			} else {
				close(fd);
				answer(0);
			}
		} else if (line[0] == 'x') {
			char *argv[16];
			int n = 0;

			for (char *t = strtok(arg, " "); t && n < 15; t = strtok(NULL, " "))
				argv[n++] = t;
			argv[n] = NULL;
			execv(argv[0], argv);
			answer(errno);
		} else if (line[0] == 'q') {
			return 0;
		} else {
			answer(EINVAL);
		}
	}
	return 0;
}
