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

enum charter_cmd {
	CHARTER_CMD_UNSPEC,
	/* Replace the whole policy with the blob in CHARTER_A_POLICY. */
	CHARTER_CMD_POLICY_LOAD,
	__CHARTER_CMD_MAX,
};
#define CHARTER_CMD_MAX (__CHARTER_CMD_MAX - 1)

enum charter_attr {
	CHARTER_A_UNSPEC,
	CHARTER_A_POLICY,	/* binary: one whole blob (header first) */
	__CHARTER_A_MAX,
};
#define CHARTER_A_MAX (__CHARTER_A_MAX - 1)

/* ---- binary policy ------------------------------------------------------ */

#define CHARTER_BLOB_MAGIC	0x52484343u	/* "CCHR" read little-endian */
#define CHARTER_BLOB_VERSION	1
#define CHARTER_BLOB_ALIGN	8
/* Upper bound the kernel accepts for one blob, header included. */
#define CHARTER_BLOB_MAX_LEN	(16u << 20)

#define CHARTER_SHA256_LEN	32

/* Access rights of a directory rule, as a bit mask. */
#define CHARTER_ACCESS_READ	(1u << 0)
#define CHARTER_ACCESS_WRITE	(1u << 1)
#define CHARTER_ACCESS_ALL	(CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE)

/*
 * Layout: header, then three sections at the offsets the header gives,
 * each CHARTER_BLOB_ALIGN-aligned, inside total_len and not overlapping:
 *   manifests: manifest_count x struct charter_blob_manifest
 *   rules:     rule_count     x struct charter_blob_dir_rule
 *   strings:   strings_len bytes of NUL-terminated strings
 * A "string" field is an offset into the strings section; the string it
 * names must end with a NUL inside that section.
 */
struct charter_blob_header {
	__le32 magic;		/* CHARTER_BLOB_MAGIC */
	__le16 version;		/* CHARTER_BLOB_VERSION */
	__le16 header_len;	/* sizeof(struct charter_blob_header) */
	__le32 total_len;	/* whole blob, header included */
	__le32 manifest_count;
	__le32 manifests_off;
	__le32 rule_count;
	__le32 rules_off;
	__le32 strings_off;
	__le32 strings_len;
	__le32 reserved;	/* must be zero */
};

/* One manifest: which executable it is for and which rules it grants. */
struct charter_blob_manifest {
	__u8 sha256[CHARTER_SHA256_LEN];	/* digest of the executable */
	__le64 exe_size;	/* its size in bytes: files of other sizes are never hashed */
	__le32 name;		/* string */
	__le32 rule_first;	/* index of its first rule */
	__le32 rule_count;	/* rules [rule_first, rule_first + rule_count) */
	__le32 reserved;	/* must be zero */
};

/*
 * A directory rule: the absolute, normalised path of a directory (no
 * trailing slash, except for "/" itself) and the rights granted on every
 * file beneath it, at any depth.
 */
struct charter_blob_dir_rule {
	__le32 path;		/* string */
	__le32 access;		/* CHARTER_ACCESS_* */
};

#endif /* _UAPI_CHARTER_H */
