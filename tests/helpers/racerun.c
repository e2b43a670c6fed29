// SPDX-License-Identifier: GPL-2.0
/*
 * racerun A B N ARGS...: a second process renames A to B and back without
 * end while this one runs "A ARGS..." N times (fork, execv); prints how
 * many runs exited 0, 13 (EACCES), 2 (ENOENT: the file was at B) or
 * otherwise. Exit status: 1 if any run exited 0, else 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n, i, zero = 0, acc = 0, noent = 0, other = 0;
	pid_t mover;

	if (argc < 4)
		return 2;
	n = atol(argv[3]);
	mover = strcmp(argv[2], "-") ? fork() : -1;
	if (mover == 0) {
		for (;;) {
			rename(argv[1], argv[2]);
			rename(argv[2], argv[1]);
		}
	}
	for (i = 0; i < n; i++) {
		int st;
		pid_t p = fork();

		if (p == 0) {
			argv[3] = argv[1];
			execv(argv[1], &argv[3]);
			_exit(100);	/* exec failed: ENOENT mostly */
		}
		waitpid(p, &st, 0);
		if (!WIFEXITED(st))
			other++;
		else if (WEXITSTATUS(st) == 0)
			zero++;
		else if (WEXITSTATUS(st) == 13)
			acc++;
		else if (WEXITSTATUS(st) == 100)
			noent++;
		else
			other++;
	}
	if (mover > 0) {
		kill(mover, SIGKILL);
		waitpid(mover, NULL, 0);
		rename(argv[2], argv[1]);
	}
	printf("runs %ld: exit0 %ld eacces %ld exec-failed %ld other %ld\n",
	       n, zero, acc, noent, other);
	return zero ? 1 : 0;
}
