// SPDX-License-Identifier: GPL-2.0
/*
 * charter: the command-line tool. Dispatch and output only; the work is
 * in input.c, manifest.c, compile.c, dump.c, sign.c and nl.c, which return
 * their errors here.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "dump.h"
#include "input.h"
#include "load.h"
#include "manifest.h"
#include "nl.h"
#include "sign.h"
#include "uapi/charter.h"

#define CHARTER_VERSION "0.2.0"
#define DEFAULT_MANIFEST_DIR "/etc/charter/manifests.d"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: charter COMMAND [OPTIONS] [ARGS]\n"
		"\n"
		"  check MANIFEST...            read manifests, report every problem\n"
		"  hash FILE...                 SHA-256 and size of executables\n"
		"  compile -o OUT [DIR|FILE]... verify and compile manifests into OUT\n"
		"  dump POLICY                  print a compiled policy\n"
		"  load [DIR|FILE]...           verify, compile and load into the kernel\n"
		"                               (default " DEFAULT_MANIFEST_DIR "),\n"
		"                               loading the charter module if needed\n"
		"  unload                       replace the policy with an empty one\n"
		"  status                       the module's state and counters\n"
		"  list [--json]                the loaded manifests\n"
		"  mode enforce|complain|disabled [--manifest NAME]\n"
		"                               set the mode, for all or one manifest\n"
		"  mode inherit --manifest NAME drop a manifest's own mode\n"
		"  monitor [--json]             print decision events as they happen\n"
		"  lock                         no policy or mode change, no unload,\n"
		"                               until reboot\n"
		"  keygen -o BASE               new Ed25519 key: BASE.key and BASE.pub\n"
		"  sign -k KEY FILE...          write FILE.sig for each FILE\n"
		"  verify FILE...               check FILE.sig against the trust store\n"
		"  version                      the tool's version and ABI\n"
		"\n"
		"options of compile, load and verify:\n"
		"  --trust DIR       trust store of public keys (default " SIGN_DEFAULT_TRUST_DIR ")\n"
		"  --allow-unsigned  accept manifests without a trusted signature\n"
		"  --mounts FILE     mount table for UNC paths (default /proc/self/mounts)\n"
		"  --module KO       (load) the module file to insert if it is not loaded\n");
}

static void print_diag(struct diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(stderr, "%s\n", d->msgs[i]);
	diag_free(d);
}

struct opts {
	struct input_options in;
	const char *out;
	const char *key;
	const char *module;
	const char *policy;
	const char *manifest;
	int json;
	char **args;
	int nargs;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "trust", required_argument, NULL, 't' },
		{ "allow-unsigned", no_argument, NULL, 'u' },
		{ "mounts", required_argument, NULL, 'M' },
		{ "module", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "key", required_argument, NULL, 'k' },
		{ "policy", required_argument, NULL, 'p' },
		{ "manifest", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->in.trust_dir = SIGN_DEFAULT_TRUST_DIR;
	o->in.mounts = "/proc/self/mounts";
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:k:", longopts, NULL)) != -1) {
		switch (c) {
		case 't': o->in.trust_dir = optarg; break;
		case 'u': o->in.allow_unsigned = 1; break;
		case 'M': o->in.mounts = optarg; break;
		case 'm': o->module = optarg; break;
		case 'o': o->out = optarg; break;
		case 'k': o->key = optarg; break;
		case 'p': o->policy = optarg; break;
		case 'n': o->manifest = optarg; break;
		case 'j': o->json = 1; break;
		default: return -1;
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	return 0;
}

static int build_policy(struct opts *o, uint8_t **blob, size_t *len)
{
	struct manifest *ms = NULL;
	struct diag d = { 0 };
	size_t count = 0;
	int ret;

	ret = input_read(o->args, (size_t)o->nargs, &o->in, &ms, &count, &d);
	if (!ret)
		ret = compile_blob(ms, count, &d, blob, len);
	print_diag(&d);
	input_free(ms, count);
	return ret;
}

static int cmd_check(struct opts *o)
{
	if (!o->nargs)
		return 2;
	o->in.allow_unsigned = 1;	/* checking is about content */
	return load_check(o->args, (size_t)o->nargs, &o->in);
}

static int cmd_hash(struct opts *o)
{
	int ret = 0;

	if (!o->nargs)
		return 2;
	for (int i = 0; i < o->nargs; i++) {
		uint8_t digest[32];
		uint64_t size;
		int err = sha256_file(o->args[i], digest, &size);

		if (err) {
			fprintf(stderr, "charter: %s: %s\n", o->args[i], strerror(-err));
			ret = 1;
			continue;
		}
		printf("sha256:");
		for (int j = 0; j < 32; j++)
			printf("%02x", digest[j]);
		printf("  %llu  %s\n", (unsigned long long)size, o->args[i]);
	}
	return ret;
}

static int cmd_compile(struct opts *o)
{
	uint8_t *blob;
	size_t len;
	FILE *f;

	if (!o->out || !o->nargs)
		return 2;
	if (build_policy(o, &blob, &len))
		return 1;
	f = fopen(o->out, "wb");
	if (!f || fwrite(blob, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "charter: %s: %s\n", o->out, strerror(errno));
		free(blob);
		return 1;
	}
	free(blob);
	return 0;
}

/* A compiled policy file, whole; NULL (and a message) when unreadable. */
static uint8_t *read_policy(const char *path, size_t *len)
{
	uint8_t *blob = malloc(CHARTER_BLOB_MAX_LEN + 1);
	FILE *f = fopen(path, "rb");

	if (f && blob) {
		*len = fread(blob, 1, CHARTER_BLOB_MAX_LEN + 1, f);
		if (!ferror(f) && *len <= CHARTER_BLOB_MAX_LEN) {
			fclose(f);
			return blob;
		}
	}
	fprintf(stderr, "charter: %s: cannot read a policy of at most %u bytes\n",
		path, CHARTER_BLOB_MAX_LEN);
	if (f)
		fclose(f);
	free(blob);
	return NULL;
}

static int cmd_dump(struct opts *o)
{
	struct diag d = { 0 };
	uint8_t *blob;
	size_t len;
	int ret;

	if (o->nargs != 1)
		return 2;
	blob = read_policy(o->args[0], &len);
	if (!blob)
		return 1;
	ret = dump_blob(blob, len, stdout, &d);
	print_diag(&d);
	free(blob);
	return ret ? 1 : 0;
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

static int cmd_load(struct opts *o)
{
	static char *default_dir[] = { DEFAULT_MANIFEST_DIR };
	struct load_counts counts = { 0 };
	const struct charter_blob_header *h;
	uint8_t *blob;
	size_t len;
	int ret;

	if (o->policy) {
		/* Compiled (and its manifests verified) beforehand. */
		if (o->nargs)
			return 2;
		blob = read_policy(o->policy, &len);
		if (!blob)
			return 1;
	} else {
		if (!o->nargs) {
			o->args = default_dir;
			o->nargs = 1;
		}
		struct diag d = { 0 };

		ret = load_build(o->args, (size_t)o->nargs, &o->in, &blob, &len,
				 &counts, &d);
		print_diag(&d);
		if (ret) {
			fprintf(stderr, "charter: nothing loaded, refused %zu manifest%s\n",
				counts.refused, counts.refused == 1 ? "" : "s");
			return 1;
		}
	}
	ret = push(blob, len, o->module);
	h = (const void *)blob;
	if (!ret)
		printf("charter: loaded %u manifest%s, refused %zu\n",
		       le32toh(h->manifests.count),
		       le32toh(h->manifests.count) == 1 ? "" : "s", counts.refused);
	free(blob);
	return ret || counts.refused;
}

static int cmd_unload(struct opts *o)
{
	struct diag d = { 0 };
	uint8_t *blob;
	size_t len;
	int ret;

	if (compile_blob(NULL, 0, &d, &blob, &len)) {
		print_diag(&d);
		return 1;
	}
	ret = push(blob, len, o->module);
	free(blob);
	return ret;
}

static int cmd_keygen(struct opts *o)
{
	char keyid[SIGN_KEYID_LEN + 1];
	struct diag d = { 0 };

	if (!o->out || o->nargs)
		return 2;
	if (sign_keygen(o->out, keyid, &d)) {
		print_diag(&d);
		return 1;
	}
	printf("key %s: secret %s.key (keep it private), public %s.pub (install it in %s)\n",
	       keyid, o->out, o->out, SIGN_DEFAULT_TRUST_DIR);
	return 0;
}

static int cmd_sign(struct opts *o)
{
	struct diag d = { 0 };
	int bad = 0;

	if (!o->key || !o->nargs)
		return 2;
	for (int i = 0; i < o->nargs; i++)
		bad |= sign_file(o->key, o->args[i], &d);
	print_diag(&d);
	return bad ? 1 : 0;
}

static int cmd_verify(struct opts *o)
{
	int bad = 0;

	if (!o->nargs)
		return 2;
	for (int i = 0; i < o->nargs; i++) {
		char keyid[SIGN_KEYID_LEN + 1];
		struct diag d = { 0 };
		size_t len = 0;
		unsigned char *buf = input_read_file(o->args[i], &len, &d);
		int r = buf ? sign_verify(o->args[i], buf, len, o->in.trust_dir,
					  keyid, &d) : -1;

		print_diag(&d);
		if (!r)
			printf("%s: good signature by key %s\n", o->args[i], keyid);
		bad |= r;
		free(buf);
	}
	return bad ? 1 : 0;
}

static const char *const mode_names[] = {
	[CHARTER_MODE_INHERIT] = "inherit",
	[CHARTER_MODE_ENFORCE] = "enforce",
	[CHARTER_MODE_COMPLAIN] = "complain",
	[CHARTER_MODE_DISABLED] = "disabled",
};

static const char *mode_name(uint8_t mode)
{
	return mode <= CHARTER_MODE_MAX ? mode_names[mode] : "unknown";
}

static int kernel_error(const struct nl_error *e)
{
	fprintf(stderr, "charter: %s\n", e->msg);
	return 1;
}

static int cmd_status(struct opts *o)
{
	struct nl_error e = { { 0 } };
	struct nl_status st;

	if (o->nargs)
		return 2;
	if (nl_status(&st, &e))
		return kernel_error(&e);
	if (o->json) {
		printf("{\"version\":\"%s\",\"abi\":%u,\"mode\":\"%s\",\"manifests\":%u,"
		       "\"confined_tasks\":%u,\"domain_creds\":%u,\"allowed\":%llu,\"denied\":%llu,"
		       "\"would_deny\":%llu,\"events_dropped\":%llu,\"locked\":%s}\n",
		       st.version, st.abi, mode_name(st.mode), st.manifests,
		       st.confined_tasks, st.domain_creds, (unsigned long long)st.allowed,
		       (unsigned long long)st.denied, (unsigned long long)st.would_deny,
		       (unsigned long long)st.events_dropped, st.locked ? "true" : "false");
		return 0;
	}
	printf("module          %s (netlink ABI %u)\n", st.version, st.abi);
	printf("mode            %s%s\n", mode_name(st.mode), st.locked ? ", locked until reboot" : "");
	printf("manifests       %u\n", st.manifests);
	printf("confined tasks  %u (%u credentials)\n", st.confined_tasks, st.domain_creds);
	printf("allowed         %llu\n", (unsigned long long)st.allowed);
	printf("denied          %llu\n", (unsigned long long)st.denied);
	printf("would deny      %llu\n", (unsigned long long)st.would_deny);
	printf("events dropped  %llu\n", (unsigned long long)st.events_dropped);
	return 0;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int list_entry(const struct nl_manifest *m, void *data)
{
	const struct opts *o = data;
	char hex[2 * CHARTER_SHA256_LEN + 1];

	for (int i = 0; i < CHARTER_SHA256_LEN; i++)
		sprintf(hex + 2 * i, "%02x", m->sha256[i]);
	if (o->json) {
		printf("{\"name\":");
		json_string(m->name);
		printf(",\"author\":");
		json_string(m->author);
		printf(",\"sha256\":\"%s\",\"size\":%llu,\"path_rules\":%u,"
		       "\"network_rules\":%u,\"devices\":[",
		       hex, (unsigned long long)m->exe_size, m->path_rules, m->net_rules);
		for (int c = 0, first = 1; c < __CHARTER_DEV_COUNT; c++) {
			if (!(m->devices & CHARTER_DEV_BIT(c)))
				continue;
			printf("%s\"%s\"", first ? "" : ",", manifest_device_names[c]);
			first = 0;
		}
		printf("],\"mode\":\"%s\"}\n", mode_name(m->mode));
		return 0;
	}
	printf("%-24s %-16s %.16s... %10llu %5u %5u  %s\n", m->name,
	       *m->author ? m->author : "-", hex, (unsigned long long)m->exe_size,
	       m->path_rules, m->net_rules, mode_name(m->mode));
	return 0;
}

static int cmd_list(struct opts *o)
{
	struct nl_error e = { { 0 } };

	if (o->nargs)
		return 2;
	if (!o->json)
		printf("%-24s %-16s %-19s %10s %5s %5s  %s\n", "NAME", "AUTHOR",
		       "SHA256", "SIZE", "PATHS", "NETS", "MODE");
	if (nl_list(list_entry, o, &e))
		return kernel_error(&e);
	return 0;
}

static int cmd_mode(struct opts *o)
{
	struct nl_error e = { { 0 } };
	uint8_t mode;

	if (o->nargs != 1)
		return 2;
	for (mode = 0; mode <= CHARTER_MODE_MAX && strcmp(o->args[0], mode_names[mode]); mode++)
		;
	if (mode > CHARTER_MODE_MAX || (mode == CHARTER_MODE_INHERIT && !o->manifest)) {
		fprintf(stderr, "charter: mode '%s' (expected enforce, complain or disabled%s)\n",
			o->args[0], o->manifest ? ", or inherit" : "");
		return 2;
	}
	if (nl_set_mode(mode, o->manifest, &e))
		return kernel_error(&e);
	return 0;
}

/*
 * An operation refused whole (a mount, a ptrace...): its name, the other
 * process or the file when there is one; "always" when no mode waives it.
 * No manifest when none was identified (JSON null).
 */
static void print_operation_event(const struct nl_event *ev, const struct opts *o,
				  const char *decision, const char *hex)
{
	if (o->json) {
		printf("{\"time_ns\":%llu,\"pid\":%u,\"comm\":",
		       (unsigned long long)ev->time_ns, ev->pid);
		json_string(ev->comm);
		printf(",\"manifest\":");
		if (*ev->manifest) {
			json_string(ev->manifest);
			printf(",\"sha256\":\"%s\"", hex);
		} else {
			printf("null,\"sha256\":null");
		}
		printf(",\"decision\":\"%s\",\"always\":%s,\"operation\":", decision,
		       ev->always ? "true" : "false");
		json_string(ev->operation);
		if (ev->target_pid) {
			printf(",\"target_pid\":%u,\"target_comm\":", ev->target_pid);
			json_string(ev->target_comm);
		}
		if (*ev->path) {
			printf(",\"path\":");
			json_string(ev->path);
		}
		printf("}\n");
		return;
	}
	printf("%llu.%09llu pid %u (%s) %s: %s%s %s",
	       (unsigned long long)(ev->time_ns / 1000000000ull),
	       (unsigned long long)(ev->time_ns % 1000000000ull), ev->pid, ev->comm,
	       *ev->manifest ? ev->manifest : "(no manifest)", decision,
	       ev->always ? " (always)" : "", ev->operation);
	if (ev->target_pid)
		printf(" of pid %u (%s)", ev->target_pid, ev->target_comm);
	if (*ev->path)
		printf(" %s", ev->path);
	printf("\n");
}

static int print_event(const struct nl_event *ev, void *data)
{
	const struct opts *o = data;
	const char *decision = ev->decision == CHARTER_DECISION_DENIED ? "denied" : "would-deny";
	char addr[INET6_ADDRSTRLEN] = "";
	char hex[2 * CHARTER_SHA256_LEN + 1];

	for (int i = 0; i < CHARTER_SHA256_LEN; i++)
		sprintf(hex + 2 * i, "%02x", ev->sha256[i]);
	if (*ev->operation) {
		print_operation_event(ev, o, decision, hex);
		fflush(stdout);
		return 0;
	}
	if (ev->is_net)
		inet_ntop(ev->addr_len == 4 ? AF_INET : AF_INET6, ev->addr, addr, sizeof(addr));
	if (o->json) {
		printf("{\"time_ns\":%llu,\"pid\":%u,\"comm\":",
		       (unsigned long long)ev->time_ns, ev->pid);
		json_string(ev->comm);
		printf(",\"manifest\":");
		json_string(ev->manifest);
		printf(",\"sha256\":\"%s\",\"decision\":\"%s\",", hex, decision);
		if (ev->is_net) {
			printf("\"operation\":\"%s\",\"protocol\":\"%s\",\"address\":\"%s\",\"port\":%u}\n",
			       ev->direction == CHARTER_NET_INBOUND ? "inbound" : "outbound",
			       ev->protocol == CHARTER_PROTO_TCP ? "tcp" :
			       ev->protocol == CHARTER_PROTO_UDP ? "udp" : "other",
			       addr, ev->port);
		} else {
			printf("\"operation\":\"%s\",\"path\":", dump_access_name(ev->access));
			json_string(ev->path);
			if (ev->is_device) {
				printf(",\"device\":\"%u:%u\",\"classes\":[",
				       ev->devnum >> 20, ev->devnum & 0xfffff);
				for (int c = 0, first = 1; c < __CHARTER_DEV_COUNT; c++) {
					if (!(ev->dev_classes & CHARTER_DEV_BIT(c)))
						continue;
					printf("%s\"%s\"", first ? "" : ",", manifest_device_names[c]);
					first = 0;
				}
				printf("]");
			}
			if (*ev->path2) {
				printf(",\"path2\":");
				json_string(ev->path2);
			}
			printf("}\n");
		}
	} else if (ev->is_net) {
		printf("%llu.%09llu pid %u (%s) %s: %s %s %s %s port %u\n",
		       (unsigned long long)(ev->time_ns / 1000000000ull),
		       (unsigned long long)(ev->time_ns % 1000000000ull), ev->pid,
		       ev->comm, ev->manifest, decision,
		       ev->direction == CHARTER_NET_INBOUND ? "inbound" : "outbound",
		       ev->protocol == CHARTER_PROTO_UDP ? "udp" : "tcp", addr, ev->port);
	} else if (ev->is_device) {
		printf("%llu.%09llu pid %u (%s) %s: %s %s device %u:%u %s\n",
		       (unsigned long long)(ev->time_ns / 1000000000ull),
		       (unsigned long long)(ev->time_ns % 1000000000ull), ev->pid,
		       ev->comm, ev->manifest, decision, dump_access_name(ev->access),
		       ev->devnum >> 20, ev->devnum & 0xfffff,
		       *ev->path ? ev->path : "(unnamed)");
	} else {
		printf("%llu.%09llu pid %u (%s) %s: %s %s %s%s%s\n",
		       (unsigned long long)(ev->time_ns / 1000000000ull),
		       (unsigned long long)(ev->time_ns % 1000000000ull), ev->pid,
		       ev->comm, ev->manifest, decision, dump_access_name(ev->access),
		       *ev->path ? ev->path : "(unnamed)", *ev->path2 ? " -> " : "",
		       ev->path2);
	}
	fflush(stdout);
	return 0;
}

static int cmd_monitor(struct opts *o)
{
	struct nl_error e = { { 0 } };

	if (o->nargs)
		return 2;
	if (nl_monitor(print_event, o, &e))
		return kernel_error(&e);
	return 0;
}

static int cmd_lock(struct opts *o)
{
	struct nl_error e = { { 0 } };

	if (o->nargs)
		return 2;
	if (nl_lock(&e))
		return kernel_error(&e);
	printf("charter: locked until reboot\n");
	return 0;
}

static const struct {
	const char *name;
	int (*run)(struct opts *o);
} commands[] = {
	{ "status", cmd_status }, { "list", cmd_list },
	{ "mode", cmd_mode }, { "lock", cmd_lock }, { "monitor", cmd_monitor },
	{ "check", cmd_check }, { "hash", cmd_hash },
	{ "compile", cmd_compile }, { "dump", cmd_dump },
	{ "load", cmd_load }, { "unload", cmd_unload },
	{ "keygen", cmd_keygen }, { "sign", cmd_sign },
	{ "verify", cmd_verify },
};

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	struct opts o;

	if (!strcmp(cmd, "version")) {
		printf("charter %s (netlink ABI %d, blob v%d)\n", CHARTER_VERSION,
		       CHARTER_GENL_VERSION, CHARTER_BLOB_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		int ret;

		if (strcmp(cmd, commands[i].name))
			continue;
		if (parse_opts(argc - 1, argv + 1, &o)) {
			usage(stderr);
			return 2;
		}
		ret = commands[i].run(&o);
		if (ret == 2)
			usage(stderr);
		return ret;
	}
	usage(stderr);
	return 2;
}
