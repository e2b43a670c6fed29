// SPDX-License-Identifier: GPL-2.0
/*
 * bpflsm: attach a BPF LSM program beside Charter, as systemd, bpftrace
 * or an EDR would, for the coexistence tests.
 *
 *   bpflsm deny-open NAME [OBJECT]
 *
 * loads OBJECT (default: deny_open.bpf.o beside this program), tells it
 * NAME, attaches its programs: lsm/file_open (from then on opening a file
 * named NAME fails with EPERM, for every task) and lsm/cred_prepare (an
 * observer that counts and allows); prints "ready" and waits. On SIGTERM
 * or SIGINT it prints "refused N" (opens refused) and "cred_prepare N"
 * (calls seen), and exits 0; exiting closes the links, which detaches the
 * programs. A failure exits with its errno (EBUSY: a hook could not be
 * shared).
 *
 * Linked statically against libbpf, libelf and zlib like every helper:
 * the guest has no shared libraries but the tool's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#define NAME_MAX_LEN 64		/* deny_open.bpf.c holds the same */
#define MAX_LINKS 4

enum { COUNT_REFUSED, COUNT_CRED_PREPARE, COUNT_MAX };	/* as deny_open.bpf.c */

struct deny_name {
	char name[NAME_MAX_LEN];
};

static int usage(void)
{
	fprintf(stderr, "usage: bpflsm deny-open NAME [OBJECT]\n");
	return 2;
}

/* Report a libbpf failure (negative errno) and turn it into an exit status. */
static int fail(const char *what, long err)
{
	int e = err < 0 ? (int)-err : (errno ? errno : 255);

	fprintf(stderr, "bpflsm: %s: %s\n", what, strerror(e));
	return e;
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* deny_open.bpf.o in the directory of /proc/self/exe. */
static int default_object(char *path, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n < 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	if ((size_t)snprintf(path, size, "%s/deny_open.bpf.o", exe) >= size)
		return -1;
	return 0;
}

static int set_name(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "deny_name");
	struct deny_name value;
	__u32 key = 0;

	if (!map)
		return -ENOENT;
	memset(&value, 0, sizeof(value));
	memcpy(value.name, name, strlen(name));
	return bpf_map__update_elem(map, &key, sizeof(key), &value,
				    sizeof(value), 0);
}

static unsigned long long read_count(struct bpf_object *obj, __u32 which)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "counts");
	unsigned long long n = 0;

	if (map)
		bpf_map__lookup_elem(map, &which, sizeof(which), &n,
				     sizeof(n), 0);
	return n;
}

/* Attach every program of @obj; returns how many, or a negative errno. */
static int attach_all(struct bpf_object *obj, struct bpf_link **links)
{
	struct bpf_program *prog;
	int n = 0;
	long err;

	bpf_object__for_each_program(prog, obj) {
		if (n == MAX_LINKS)
			return -E2BIG;
		links[n] = bpf_program__attach(prog);
		err = libbpf_get_error(links[n]);
		if (err) {
			fprintf(stderr, "bpflsm: attach %s: %s\n",
				bpf_program__section_name(prog),
				strerror((int)-err));
			return (int)err;
		}
		n++;
	}
	return n;
}

/* Block SIGTERM and SIGINT, print "ready", return once one arrives. */
static void wait_for_signal(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
}

int main(int argc, char **argv)
{
	struct bpf_link *links[MAX_LINKS];
	struct bpf_object *obj;
	char object[PATH_MAX];
	long err;
	int n;

	if (argc < 3 || argc > 4 || strcmp(argv[1], "deny-open"))
		return usage();
	if (!argv[2][0] || strlen(argv[2]) >= NAME_MAX_LEN) {
		fprintf(stderr, "bpflsm: NAME must be 1 to %d bytes\n",
			NAME_MAX_LEN - 1);
		return 2;
	}
	if (argc == 4)
		snprintf(object, sizeof(object), "%s", argv[3]);
	else if (default_object(object, sizeof(object)))
		return fail("cannot find deny_open.bpf.o", -ENOENT);
	libbpf_set_print(print_libbpf);

	obj = bpf_object__open_file(object, NULL);
	err = libbpf_get_error(obj);
	if (err)
		return fail(object, err);
	err = bpf_object__load(obj);
	if (err)
		return fail("load", err);
	err = set_name(obj, argv[2]);
	if (err)
		return fail("set the name", err);
	n = attach_all(obj, links);
	if (n < 0)
		return fail("attach", n);

	wait_for_signal();
	printf("refused %llu\ncred_prepare %llu\n",
	       read_count(obj, COUNT_REFUSED),
	       read_count(obj, COUNT_CRED_PREPARE));
	while (n--)
		bpf_link__destroy(links[n]);
	bpf_object__close(obj);
	return 0;
}
