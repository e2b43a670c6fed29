// SPDX-License-Identifier: GPL-2.0
/*
 * charter: the command-line tool. Dispatch and output only; the work is
 * in manifest.c, compile.c and nl.c, which return their errors here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "manifest.h"
#include "nl.h"
#include "uapi/charter.h"

#define CHARTER_VERSION "0.1.0"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: charter COMMAND [ARGS]\n"
		"\n"
		"  check MANIFEST...              read manifests, report every problem\n"
		"  hash FILE...                   print SHA-256 and size of executables\n"
		"  compile -o OUT MANIFEST...     write the binary policy to OUT\n"
		"  load [--module KO] MANIFEST... compile and load into the kernel,\n"
		"                                 loading the charter module if needed\n"
		"  unload                         replace the policy with an empty one\n"
		"  version                        print the tool's version\n");
}

static void print_diag(struct diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(stderr, "%s\n", d->msgs[i]);
	diag_free(d);
}

/* Read every manifest; print all problems of all files before failing. */
static struct manifest *read_manifests(char **files, int count)
{
	struct manifest *ms = calloc((size_t)(count ? count : 1), sizeof(*ms));
	struct diag d = { 0 };
	int bad = 0;

	if (!ms)
		return NULL;
	for (int i = 0; i < count; i++)
		bad |= manifest_parse_file(files[i], &ms[i], &d) != 0;
	print_diag(&d);
	if (!bad)
		return ms;
	for (int i = 0; i < count; i++)
		manifest_free(&ms[i]);
	free(ms);
	return NULL;
}

static void free_manifests(struct manifest *ms, int count)
{
	for (int i = 0; i < count; i++)
		manifest_free(&ms[i]);
	free(ms);
}

static int build_policy(char **files, int count, uint8_t **blob, size_t *len)
{
	struct manifest *ms = read_manifests(files, count);
	struct diag d = { 0 };
	int ret;

	if (!ms)
		return -1;
	ret = compile_blob(ms, (size_t)count, &d, blob, len);
	print_diag(&d);
	free_manifests(ms, count);
	return ret;
}

static int cmd_check(int argc, char **argv)
{
	struct manifest *ms;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	ms = read_manifests(argv + 1, argc - 1);
	if (!ms)
		return 1;
	for (int i = 0; i < argc - 1; i++)
		printf("%s: ok: %s, %zu director%s\n", argv[i + 1], ms[i].name,
		       ms[i].dir_count, ms[i].dir_count == 1 ? "y" : "ies");
	free_manifests(ms, argc - 1);
	return 0;
}

static int cmd_hash(int argc, char **argv)
{
	int ret = 0;

	for (int i = 1; i < argc; i++) {
		uint8_t digest[32];
		uint64_t size;
		int err = sha256_file(argv[i], digest, &size);

		if (err) {
			fprintf(stderr, "charter: %s: %s\n", argv[i], strerror(-err));
			ret = 1;
			continue;
		}
		printf("sha256:");
		for (int j = 0; j < 32; j++)
			printf("%02x", digest[j]);
		printf("  %llu  %s\n", (unsigned long long)size, argv[i]);
	}
	return argc < 2 ? 2 : ret;
}

static int cmd_compile(int argc, char **argv)
{
	const char *out = NULL;
	uint8_t *blob;
	size_t len;
	FILE *f;
	int c;

	while ((c = getopt(argc, argv, "o:")) != -1) {
		if (c != 'o') {
			usage(stderr);
			return 2;
		}
		out = optarg;
	}
	if (!out || optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (build_policy(argv + optind, argc - optind, &blob, &len))
		return 1;
	f = fopen(out, "wb");
	if (!f || fwrite(blob, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "charter: %s: %s\n", out, strerror(errno));
		free(blob);
		return 1;
	}
	free(blob);
	return 0;
}

static int push(const uint8_t *blob, size_t len, const char *module)
{
	struct nl_error e = { { 0 } };

	if (nl_ensure_module(module, &e) || nl_policy_load(blob, len, &e)) {
		fprintf(stderr, "charter: %s\n", e.msg);
		return 1;
	}
	return 0;
}

static int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "module", required_argument, NULL, 'm' },
		{ 0 },
	};
	const char *module = NULL;
	uint8_t *blob;
	size_t len;
	int c, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'm') {
			usage(stderr);
			return 2;
		}
		module = optarg;
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (build_policy(argv + optind, argc - optind, &blob, &len))
		return 1;
	ret = push(blob, len, module);
	if (!ret)
		printf("charter: loaded %d manifest%s\n", argc - optind,
		       argc - optind == 1 ? "" : "s");
	free(blob);
	return ret;
}

static int cmd_unload(void)
{
	uint8_t *blob;
	size_t len;
	struct diag d = { 0 };
	int ret;

	if (compile_blob(NULL, 0, &d, &blob, &len)) {
		print_diag(&d);
		return 1;
	}
	ret = push(blob, len, NULL);
	free(blob);
	return ret;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(cmd, "hash"))
		return cmd_hash(argc - 1, argv + 1);
	if (!strcmp(cmd, "compile"))
		return cmd_compile(argc - 1, argv + 1);
	if (!strcmp(cmd, "load"))
		return cmd_load(argc - 1, argv + 1);
	if (!strcmp(cmd, "unload"))
		return cmd_unload();
	if (!strcmp(cmd, "version")) {
		printf("charter %s (netlink ABI %d, blob v%d)\n", CHARTER_VERSION,
		       CHARTER_GENL_VERSION, CHARTER_BLOB_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
