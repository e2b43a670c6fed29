/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Charter: the ABI shared by the kernel module and the charter tool.
 *
 * Two things live here and nowhere else:
 *  - the generic-netlink family "charter" (commands and attributes);
 *  - the binary policy format ("blob") carried by CHARTER_CMD_POLICY_LOAD.
 *
 * Every multi-byte integer of the blob is little-endian, whatever the host.
 * Documentation/abi.rst describes both precisely.
 */
#ifndef _UAPI_CHARTER_H
#define _UAPI_CHARTER_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <linux/types.h>
#include <stdint.h>
#endif

/* ---- generic netlink ---------------------------------------------------- */

#define CHARTER_GENL_NAME	"charter"
#define CHARTER_GENL_VERSION	1
#define CHARTER_GENL_MCGRP_EVENTS "events"	/* decision events */

enum charter_cmd {
	CHARTER_CMD_UNSPEC,
	/*
	 * Replace the whole policy with the blob carried, in order, by the
	 * CHARTER_A_POLICY_CHUNK attributes (an attribute holds < 64 KiB).
	 * CAP_MAC_ADMIN; refused when locked.
	 */
	CHARTER_CMD_POLICY_LOAD,
	/* Dump: one message per loaded manifest (CHARTER_A_MANIFEST_*). */
	CHARTER_CMD_POLICY_LIST,
	/*
	 * Reply: CHARTER_A_VERSION ... CHARTER_A_LOCKED,
	 * CHARTER_A_POLICY_MEMORY, CHARTER_A_FILES_HASHED.
	 */
	CHARTER_CMD_STATUS,
	/*
	 * CHARTER_A_MODE for everything, or, with CHARTER_A_MANIFEST_NAME,
	 * an override for one manifest (CHARTER_MODE_INHERIT removes it).
	 * CAP_MAC_ADMIN; refused when locked.
	 */
	CHARTER_CMD_SET_MODE,
	/* From now until reboot: no policy or mode change, no unload. */
	CHARTER_CMD_LOCK,
	/*
	 * Kernel to "events" group: one decision, with CHARTER_A_EVENT_*,
	 * CHARTER_A_MANIFEST_NAME and _SHA256 (of the layer that refused).
	 */
	CHARTER_CMD_EVENT,
	/*
	 * Dump: one message per confined process of the caller's pid
	 * namespace: CHARTER_A_TASK_PID, _TASK_COMM and one
	 * CHARTER_A_MANIFEST_NAME per layer, outermost first. CAP_MAC_ADMIN.
	 */
	CHARTER_CMD_TASK_LIST,
	/*
	 * Dump: the current policy's blob, as loaded, in order, in
	 * CHARTER_A_POLICY_CHUNK attributes (< 64 KiB each), every message
	 * with CHARTER_A_POLICY_GENERATION. No policy: one message, with
	 * CHARTER_NO_GENERATION and no chunk. An
	 * editor (charter learn, charter run) reads it, changes manifests
	 * and loads it back with that generation. CAP_MAC_ADMIN.
	 */
	CHARTER_CMD_POLICY_GET,
	/*
	 * Dump: what the programs of the current policy's learning manifest
	 * CHARTER_A_MANIFEST_NAME (CHARTER_MANIFEST_LEARN) did that it does
	 * not grant, each distinct access once: one message per entry
	 * (CHARTER_A_LEARN_KIND and the CHARTER_A_EVENT_* attributes of an
	 * event), then one with CHARTER_A_LEARN_ENTRIES and _LOST.
	 * CAP_MAC_ADMIN.
	 */
	CHARTER_CMD_LEARN_DUMP,
	/*
	 * Does the current policy hold the manifest CHARTER_A_MANIFEST_NAME
	 * for the executable CHARTER_A_MANIFEST_SHA256 and _EXE_SIZE, run at
	 * CHARTER_A_MANIFEST_RUN (its run path or alias)? An empty reply (the
	 * ack) if so, else ENOENT. Anyone: the caller names all four and
	 * learns yes or no (charter run without CAP_MAC_ADMIN).
	 */
	CHARTER_CMD_MANIFEST_QUERY,
	__CHARTER_CMD_MAX,
};
#define CHARTER_CMD_MAX (__CHARTER_CMD_MAX - 1)

enum charter_attr {
	CHARTER_A_UNSPEC,
	CHARTER_A_PAD,			/* alignment of u64 attributes */
	CHARTER_A_POLICY_CHUNK,		/* binary, repeated: a piece of the blob */
	CHARTER_A_VERSION,		/* string: the module's version */
	CHARTER_A_ABI,			/* u32: CHARTER_GENL_VERSION */
	CHARTER_A_MODE,			/* u8: CHARTER_MODE_* */
	CHARTER_A_MANIFEST_COUNT,	/* u32: manifests loaded */
	CHARTER_A_CONFINED_TASKS,	/* u32: tasks in a domain now */
	CHARTER_A_ALLOWED,		/* u64: accesses allowed to confined tasks */
	CHARTER_A_DENIED,		/* u64: accesses denied */
	CHARTER_A_WOULD_DENY,		/* u64: denials waived in complain mode */
	CHARTER_A_LOCKED,		/* u8: 1 once locked */
	CHARTER_A_MANIFEST_NAME,	/* string */
	CHARTER_A_MANIFEST_AUTHOR,	/* string */
	CHARTER_A_MANIFEST_SHA256,	/* binary, CHARTER_SHA256_LEN */
	CHARTER_A_MANIFEST_EXE_SIZE,	/* u64 */
	CHARTER_A_MANIFEST_PATH_RULES,	/* u32: count */
	CHARTER_A_MANIFEST_NET_RULES,	/* u32: count */
	CHARTER_A_MANIFEST_DEVICES,	/* u32: CHARTER_DEV_BIT() mask */
	CHARTER_A_MANIFEST_MODE,	/* u8: its override, or CHARTER_MODE_INHERIT */
	CHARTER_A_DOMAIN_CREDS,		/* u32: credentials carrying a domain */
	CHARTER_A_EVENTS_DROPPED,	/* u64: events lost to the rate limit */
	/* Decision events (CHARTER_CMD_EVENT on the "events" group). */
	CHARTER_A_EVENT_TIME,		/* u64: CLOCK_REALTIME, nanoseconds */
	CHARTER_A_EVENT_PID,		/* u32: thread group id */
	CHARTER_A_EVENT_COMM,		/* string */
	CHARTER_A_EVENT_DECISION,	/* u8: CHARTER_DECISION_* */
	CHARTER_A_EVENT_ACCESS,		/* u32: CHARTER_ACCESS_* asked (files) */
	CHARTER_A_EVENT_PATH,		/* string: the file (files) */
	CHARTER_A_EVENT_PATH2,		/* string: the new name (link, rename) */
	CHARTER_A_EVENT_DIRECTION,	/* u8: CHARTER_NET_* (network) */
	CHARTER_A_EVENT_PROTOCOL,	/* u8: CHARTER_PROTO_* or 0 (network) */
	CHARTER_A_EVENT_ADDR,		/* binary: 4 or 16 bytes (network) */
	CHARTER_A_EVENT_PORT,		/* u16 (network) */
	/* u32: its CHARTER_DEV_BIT() classes (devices; without _DEVNUM: a
	 * display or sound server's socket)
	 */
	CHARTER_A_EVENT_DEVICE,
	CHARTER_A_EVENT_DEVNUM,		/* u32: major << 20 | minor (devices) */
	/*
	 * An operation refused whole (no manifest can grant it: a mount, a
	 * ptrace, a system call...), for events that are neither a file
	 * access nor a network endpoint.
	 */
	CHARTER_A_EVENT_OPERATION,	/* string: "mount", "syscall reboot"... */
	CHARTER_A_EVENT_TARGET_PID,	/* u32: the other process acted on */
	CHARTER_A_EVENT_TARGET_COMM,	/* string: its name */
	CHARTER_A_EVENT_ALWAYS,		/* u8: 1: refused whatever the mode */
	CHARTER_A_MANIFEST_RUN,		/* string: its executable's path, or none */
	CHARTER_A_MANIFEST_FLAGS,	/* u32: CHARTER_MANIFEST_* */
	/* u64: execs of a changed binary at a manifested path, confined */
	CHARTER_A_CHANGED_BINARIES,
	CHARTER_A_MANIFEST_RUN_ALIAS,	/* string: run as written, if a symlink */
	CHARTER_A_TASK_PID,		/* u32: a confined process (TASK_LIST) */
	CHARTER_A_TASK_COMM,		/* string: its name */
	/*
	 * u64: the current policy's generation, one more with every load
	 * (it starts at random when the module is loaded),
	 * CHARTER_NO_GENERATION when no policy is. In
	 * CHARTER_CMD_POLICY_LOAD: load only if the current policy is still
	 * this one, else -ESTALE (someone loaded since).
	 */
	CHARTER_A_POLICY_GENERATION,
	CHARTER_A_LEARN_KIND,		/* u8: CHARTER_LEARN_* */
	CHARTER_A_LEARN_ENTRIES,	/* u64: distinct accesses recorded */
	CHARTER_A_LEARN_LOST,		/* u64: accesses that found no room */
	/*
	 * u64: bytes of kernel memory the current policy holds (its
	 * allocations, as the allocator rounds them), 0 without a policy.
	 */
	CHARTER_A_POLICY_MEMORY,
	/*
	 * u64: files read in full to compute their digest since the module
	 * was loaded (the other executions found it in the digest cache).
	 */
	CHARTER_A_FILES_HASHED,
	/*
	 * u32: domains alive now (each held by the credentials of the tasks
	 * in it and by nothing else: 0 once no confined task is left).
	 */
	CHARTER_A_DOMAINS,
	/* u32: entries of the digest cache (at most 4,096), pending included */
	CHARTER_A_DIGEST_ENTRIES,
	__CHARTER_A_MAX,
};
#define CHARTER_A_MAX (__CHARTER_A_MAX - 1)

enum charter_mode {
	CHARTER_MODE_INHERIT,	/* per manifest: no override, the global mode */
	CHARTER_MODE_ENFORCE,	/* deny what the manifest does not allow */
	CHARTER_MODE_COMPLAIN,	/* allow, but count (and report) would-be denials */
	CHARTER_MODE_DISABLED,	/* allow everything; domains are still tracked */
	__CHARTER_MODE_MAX,
};
#define CHARTER_MODE_MAX (__CHARTER_MODE_MAX - 1)

enum charter_decision {
	CHARTER_DECISION_DENIED = 1,		/* enforce: refused */
	CHARTER_DECISION_WOULD_DENY = 2,	/* complain: allowed, reported */
	/*
	 * Not a refusal: a file at a manifest's run path that is not its
	 * executable (an upgrade replaced it) was executed, and runs confined
	 * by that manifest. CHARTER_A_EVENT_PATH names the file.
	 */
	CHARTER_DECISION_CHANGED_BINARY = 3,
};

/*
 * What a learning manifest recorded (CHARTER_CMD_LEARN_DUMP). The rights
 * of a file or device entry are every right used on it, OR'd.
 */
enum charter_learn_kind {
	CHARTER_LEARN_FILE = 1,	/* _EVENT_PATH, _EVENT_ACCESS */
	CHARTER_LEARN_DEVICE,	/* _EVENT_PATH, _ACCESS, _DEVICE (classes) */
	/* A connection, datagram or peer: _DIRECTION, _PROTOCOL, _ADDR, _PORT */
	CHARTER_LEARN_NET,
	/* A bind or listen on a local port: the same attributes */
	CHARTER_LEARN_SERVICE,
	/* An operation no manifest grants: _EVENT_OPERATION (and _PATH) */
	CHARTER_LEARN_OPERATION,
};

/* CHARTER_A_POLICY_GENERATION when no policy is loaded. */
#define CHARTER_NO_GENERATION	(~(__u64)0)

/* Longest manifest name the control plane accepts, NUL excluded. */
#define CHARTER_NAME_MAX	255

/* ---- binary policy ------------------------------------------------------ */

#define CHARTER_BLOB_MAGIC	0x52484343u	/* "CCHR" read little-endian */
/*
 * 2: a manifest carries its executable's path (run) and flags. The kernel
 * accepts only its own version: the tool and the module ship together.
 */
#define CHARTER_BLOB_VERSION	2
#define CHARTER_BLOB_ALIGN	8
/* Upper bound the kernel accepts for one blob, header included. */
#define CHARTER_BLOB_MAX_LEN	(16u << 20)
/* Longest path pattern, NUL excluded. */
#define CHARTER_PATTERN_MAX	4095

#define CHARTER_SHA256_LEN	32

/* Access rights of a path rule, as a bit mask. */
#define CHARTER_ACCESS_READ	(1u << 0)
#define CHARTER_ACCESS_WRITE	(1u << 1)
#define CHARTER_ACCESS_EXECUTE	(1u << 2)
#define CHARTER_ACCESS_ALL	(CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE | \
				 CHARTER_ACCESS_EXECUTE)

/* Manifest flags. */
/*
 * The manifest pins its executable's hash (a "hash:" key): the hash
 * verifies the program at run, so a different file there may not run.
 * Without it the hash only identifies the build the tool found at run,
 * and a new build at run runs confined by the manifest all the same.
 */
#define CHARTER_MANIFEST_PINNED	(1u << 0)
/*
 * A learning manifest (charter learn): what its programs do that it does
 * not grant is allowed and recorded, each distinct access once, for
 * CHARTER_CMD_LEARN_DUMP; refusals no mode may waive stay refused. Not
 * with CHARTER_MANIFEST_PINNED.
 */
#define CHARTER_MANIFEST_LEARN	(1u << 1)
#define CHARTER_MANIFEST_FLAGS	(CHARTER_MANIFEST_PINNED | CHARTER_MANIFEST_LEARN)

/* Path rule flags. */
#define CHARTER_PATH_BASELINE	(1u << 0)	/* from the default runtime baseline */
#define CHARTER_PATH_FLAGS	CHARTER_PATH_BASELINE

/* Device classes; a manifest grants a set of them as a bit mask. */
enum charter_device_class {
	CHARTER_DEV_KEYBOARD,
	CHARTER_DEV_MOUSE,
	CHARTER_DEV_JOYSTICK,
	CHARTER_DEV_AUDIO_OUT,
	CHARTER_DEV_AUDIO_IN,
	CHARTER_DEV_DISPLAY,
	CHARTER_DEV_GPU,
	CHARTER_DEV_CAMERA,
	CHARTER_DEV_SERIAL,
	CHARTER_DEV_USB,
	CHARTER_DEV_STORAGE,
	CHARTER_DEV_WAYLAND,	/* a Wayland compositor's socket (display: both) */
	CHARTER_DEV_X11,	/* an X server's socket */
	__CHARTER_DEV_COUNT,
};
#define CHARTER_DEV_BIT(c)	(1u << (c))
#define CHARTER_DEV_ALL		(CHARTER_DEV_BIT(__CHARTER_DEV_COUNT) - 1)

/*
 * The manifest language's names of the classes and of the access masks,
 * as array initialisers, so that the tool and the kernel's log say the
 * same words: names[CHARTER_DEV_*], names[access & CHARTER_ACCESS_ALL].
 */
#define CHARTER_DEV_NAMES {						\
	[CHARTER_DEV_KEYBOARD] = "keyboard",				\
	[CHARTER_DEV_MOUSE] = "mouse",					\
	[CHARTER_DEV_JOYSTICK] = "joystick",				\
	[CHARTER_DEV_AUDIO_OUT] = "audioOut",				\
	[CHARTER_DEV_AUDIO_IN] = "audioIn",				\
	[CHARTER_DEV_DISPLAY] = "display",				\
	[CHARTER_DEV_GPU] = "gpu",					\
	[CHARTER_DEV_CAMERA] = "camera",				\
	[CHARTER_DEV_SERIAL] = "serial",				\
	[CHARTER_DEV_USB] = "usb",					\
	[CHARTER_DEV_STORAGE] = "storage",				\
	[CHARTER_DEV_WAYLAND] = "wayland",				\
	[CHARTER_DEV_X11] = "x11",					\
}
#define CHARTER_ACCESS_NAMES {						\
	"none", "read", "write", "readWrite", "execute", "readExecute",	\
	"writeExecute", "readWriteExecute",				\
}

/* Network rule directions and protocols, as bit masks. */
#define CHARTER_NET_INBOUND	(1u << 0)	/* bind, listen, accept */
#define CHARTER_NET_OUTBOUND	(1u << 1)	/* connect, sendmsg to an address */
#define CHARTER_NET_DIRECTIONS	(CHARTER_NET_INBOUND | CHARTER_NET_OUTBOUND)
#define CHARTER_PROTO_TCP	(1u << 0)
#define CHARTER_PROTO_UDP	(1u << 1)
#define CHARTER_PROTOCOLS	(CHARTER_PROTO_TCP | CHARTER_PROTO_UDP)

/* Address families of a network rule (values of AF_INET and AF_INET6). */
#define CHARTER_FAMILY_ANY	0
#define CHARTER_FAMILY_INET	2
#define CHARTER_FAMILY_INET6	10

/*
 * Layout: the header, then four sections at the offsets the header gives,
 * each CHARTER_BLOB_ALIGN-aligned, after the header, inside total_len and
 * not overlapping:
 *   manifests:  count x struct charter_blob_manifest
 *   path_rules: count x struct charter_blob_path_rule
 *   net_rules:  count x struct charter_blob_net_rule
 *   strings:    count bytes of NUL-terminated strings, the last byte NUL
 * A "string" field is an offset into the strings section; the string it
 * names must end with a NUL inside that section.
 */
struct charter_blob_section {
	__le32 off;
	__le32 count;
};

struct charter_blob_header {
	__le32 magic;		/* CHARTER_BLOB_MAGIC */
	__le16 version;		/* CHARTER_BLOB_VERSION */
	__le16 header_len;	/* sizeof(struct charter_blob_header) */
	__le32 total_len;	/* whole blob, header included */
	__le32 reserved;	/* must be zero */
	struct charter_blob_section manifests;
	struct charter_blob_section path_rules;
	struct charter_blob_section net_rules;
	struct charter_blob_section strings;
};

/*
 * One manifest: which executable it is for and what it grants.
 *
 * @run is where the executable lies, as the kernel names an executed file
 * (absolute, symlinks resolved, normalised as a path rule's pattern; at
 * most CHARTER_PATTERN_MAX bytes; no globs: compared byte for byte), or
 * empty. @run_alias is the path as the manifest wrote it, when that went
 * through a symlink, else empty. An exec of a file of no manifest's hash
 * that lies at @run, or that the exec named by @run or @run_alias (an
 * upgrade replaced it, or a symlink now leads elsewhere), runs confined by
 * this manifest and is reported, or, with CHARTER_MANIFEST_PINNED, is
 * refused. No path may be two manifests' (run or alias).
 */
struct charter_blob_manifest {
	__u8 sha256[CHARTER_SHA256_LEN];	/* digest of the executable */
	__le64 exe_size;	/* its size: files of other sizes are never hashed */
	__le32 name;		/* string, not empty */
	__le32 author;		/* string, may be empty */
	__le32 path_first;	/* its path rules: [path_first, +path_count) */
	__le32 path_count;
	__le32 net_first;	/* its network rules: [net_first, +net_count) */
	__le32 net_count;
	__le32 devices;		/* CHARTER_DEV_BIT() mask */
	__le32 flags;		/* CHARTER_MANIFEST_* */
	__le32 run;		/* string: the executable's path, or empty */
	__le32 run_alias;	/* string: run as written, or empty */
};

/*
 * A path rule grants @access on every path that matches @pattern, and on
 * everything beneath such a path.
 *
 * @pattern is absolute and normalised: components separated by one '/',
 * none empty, "." or "..", no trailing '/' except for "/" itself. In a
 * component, '*' matches any run of characters and '?' any one character
 * (never '/'); a component that is exactly "**" matches any number of
 * components, none included; '*' is not otherwise allowed next to '*'.
 * @prefix_len is the length of its leading glob-free components, so the
 * kernel compares that much with one memcmp: 8 ("/srv/app") for the
 * pattern "/srv/app/", "*", "/x" written together; the whole length for a
 * pattern without globs; 1 for "/"; 0 for a pattern whose first component
 * has a glob.
 */
struct charter_blob_path_rule {
	__le32 pattern;		/* string */
	__le32 name;		/* string: the manifest entry's name */
	__le16 prefix_len;
	__u8 access;		/* CHARTER_ACCESS_*, not zero */
	__u8 flags;		/* CHARTER_PATH_* */
};

/*
 * A network rule: endpoints of @family whose address shares its first
 * @prefix bits with @addr, in ports [port_min, port_max], for the
 * @direction and @protocol bits it sets. Addresses and ports are in network
 * byte order; an IPv4 address is in addr[0..3], the rest zero. Bits of
 * @addr past @prefix are zero. CHARTER_FAMILY_ANY has prefix 0 and a zero
 * address: any address of either family.
 */
struct charter_blob_net_rule {
	__le32 name;		/* string */
	__u8 family;		/* CHARTER_FAMILY_* */
	__u8 prefix;		/* <= 32 (inet), <= 128 (inet6), 0 (any) */
	__u8 direction;		/* CHARTER_NET_*, not zero */
	__u8 protocol;		/* CHARTER_PROTO_*, not zero */
	__be16 port_min;
	__be16 port_max;	/* >= port_min */
	__u8 addr[16];
};

#endif /* _UAPI_CHARTER_H */
