// SPDX-License-Identifier: GPL-2.0
/*
 * fswide: XFS and btrfs ioctls that reach past the file they are made on
 * (the whole filesystem, or files and subvolumes named by handle or
 * number), for tests/vm/attack-fs-xfs-btrfs.sh; kmod/fs.c refuses them
 * in a domain (charter_fs_wide_ioctls). PATH is opened O_RDONLY (a
 * directory is fine). Exit status 0 or the errno of the step that failed
 * (254: usage; ENOENT from btrfs-search: the needle is not there).
 *
 *   fswide btrfs-subvol DIR NAME      BTRFS_IOC_SUBVOL_CREATE DIR/NAME
 *   fswide btrfs-id PATH              print PATH's subvolume id
 *                                     (BTRFS_IOC_INO_LOOKUP)
 *   fswide btrfs-search PATH NEEDLE   BTRFS_IOC_TREE_SEARCH over the top
 *       subvolume's tree (5): exit 0 when an item holds NEEDLE (a small
 *       file's data is stored inline, in the item)
 *   fswide btrfs-resize PATH SPEC     BTRFS_IOC_RESIZE ("1:max", "1:-8m")
 *   fswide btrfs-default PATH ID      BTRFS_IOC_DEFAULT_SUBVOL
 *   fswide btrfs-destroy-id PATH ID   BTRFS_IOC_SNAP_DESTROY_V2 by id
 *   fswide btrfs-snap3 DIR NAME       BTRFS_IOC_SNAP_CREATE_V2 of the
 *       subvolume of fd 3 as DIR/NAME
 *   fswide btrfs-quota PATH 1|0       BTRFS_IOC_QUOTA_CTL enable, disable
 *   fswide btrfs-features PATH        BTRFS_IOC_GET_FEATURES (a reader)
 *   fswide xfs-handle PATH FILE OUT   XFS_IOC_PATH_TO_HANDLE of FILE,
 *       through PATH's descriptor, written to OUT
 *   fswide xfs-setattr PATH HANDLE NAME VALUE
 *       XFS_IOC_ATTRMULTI_BY_HANDLE: set user.NAME on HANDLE's inode
 *   fswide xfs-open PATH HANDLE       XFS_IOC_OPEN_BY_HANDLE, print the
 *       file's first 4 KiB
 *   fswide xfs-grow PATH BLOCKS       XFS_IOC_FSGROWFSDATA by BLOCKS more
 *       data blocks (XFS_IOC_FSGEOMETRY_V1 for the current count)
 *   fswide getxattr PATH NAME         print PATH's user.NAME (fgetxattr)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/xattr.h>
#include <unistd.h>

/* fs/xfs/libxfs/xfs_fs.h (6.1); xfslibs-dev is not a build dependency. */
struct xfs_fsop_handlereq {
	uint32_t fd;
	void *path;
	uint32_t oflags;
	void *ihandle;
	uint32_t ihandlen;
	void *ohandle;
	uint32_t *ohandlen;
};

struct xfs_attr_multiop {
	uint32_t am_opcode;
	int32_t am_error;
	void *am_attrname;
	void *am_attrvalue;
	uint32_t am_length;
	uint32_t am_flags;
};

struct xfs_fsop_attrmulti_handlereq {
	struct xfs_fsop_handlereq hreq;
	uint32_t opcount;
	struct xfs_attr_multiop *ops;
};

struct xfs_fsop_geom_v1 {
	uint32_t blocksize, rtextsize, agblocks, agcount, logblocks;
	uint32_t sectsize, inodesize, imaxpct;
	uint64_t datablocks, rtblocks, rtextents, logstart;
	unsigned char uuid[16];
	uint32_t sunit, swidth;
	int32_t version;
	uint32_t flags, logsectsize, rtsectsize, dirblocksize;
};

struct xfs_growfs_data {
	uint64_t newblocks;
	uint32_t imaxpct;
};

#define XFS_IOC_FSGEOMETRY_V1 _IOR('X', 100, struct xfs_fsop_geom_v1)
#define XFS_IOC_PATH_TO_HANDLE _IOWR('X', 105, struct xfs_fsop_handlereq)
#define XFS_IOC_OPEN_BY_HANDLE _IOWR('X', 107, struct xfs_fsop_handlereq)
#define XFS_IOC_FSGROWFSDATA _IOW('X', 110, struct xfs_growfs_data)
#define XFS_IOC_ATTRMULTI_BY_HANDLE \
	_IOW('X', 123, struct xfs_fsop_attrmulti_handlereq)
#define ATTR_OP_SET 2

static int fail(const char *what)
{
	int e = errno ? errno : EIO;

	fprintf(stderr, "fswide: %s: %s\n", what, strerror(e));
	return e;
}

static int open_ro(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC);
}

static int btrfs_search(int fd, const char *needle)
{
	static struct btrfs_ioctl_search_args args;
	struct btrfs_ioctl_search_key *k = &args.key;
	size_t n = strlen(needle);
	int rounds = 0;

	memset(&args, 0, sizeof(args));
	k->tree_id = BTRFS_FS_TREE_OBJECTID;
	k->max_objectid = UINT64_MAX;
	k->max_type = UINT32_MAX;
	k->max_offset = UINT64_MAX;
	k->max_transid = UINT64_MAX;
	for (;;) {
		struct btrfs_ioctl_search_header h;
		size_t off = 0;
		uint32_t i;

		k->nr_items = 4096;
		if (ioctl(fd, BTRFS_IOC_TREE_SEARCH, &args) < 0)
			return fail("BTRFS_IOC_TREE_SEARCH");
		if (k->nr_items == 0 || ++rounds > 1000)
			break;
		for (i = 0; i < k->nr_items; i++) {
			memcpy(&h, args.buf + off, sizeof(h));
			off += sizeof(h);
			if (h.len >= n && memmem(args.buf + off, h.len, needle, n)) {
				printf("found in item (%llu %u %llu)\n",
				       (unsigned long long)h.objectid, h.type,
				       (unsigned long long)h.offset);
				return 0;
			}
			off += h.len;
			k->min_objectid = h.objectid;
			k->min_type = h.type;
			k->min_offset = h.offset + 1;
		}
	}
	return ENOENT;
}

static int btrfs_op(const char *op, int fd, char **argv)
{
	static struct btrfs_ioctl_vol_args va;
	static struct btrfs_ioctl_vol_args_v2 va2;

	memset(&va, 0, sizeof(va));
	memset(&va2, 0, sizeof(va2));
	if (!strcmp(op, "btrfs-subvol")) {
		snprintf(va.name, sizeof(va.name), "%s", argv[0]);
		return ioctl(fd, BTRFS_IOC_SUBVOL_CREATE, &va) ? fail(op) : 0;
	}
	if (!strcmp(op, "btrfs-id")) {
		struct btrfs_ioctl_ino_lookup_args la = {
			.objectid = BTRFS_FIRST_FREE_OBJECTID,
		};

		if (ioctl(fd, BTRFS_IOC_INO_LOOKUP, &la))
			return fail(op);
		printf("%llu\n", (unsigned long long)la.treeid);
		return 0;
	}
	if (!strcmp(op, "btrfs-search"))
		return btrfs_search(fd, argv[0]);
	if (!strcmp(op, "btrfs-resize")) {
		snprintf(va.name, sizeof(va.name), "%s", argv[0]);
		return ioctl(fd, BTRFS_IOC_RESIZE, &va) ? fail(op) : 0;
	}
	if (!strcmp(op, "btrfs-default")) {
		uint64_t id = strtoull(argv[0], NULL, 0);

		return ioctl(fd, BTRFS_IOC_DEFAULT_SUBVOL, &id) ? fail(op) : 0;
	}
	if (!strcmp(op, "btrfs-destroy-id")) {
		va2.flags = BTRFS_SUBVOL_SPEC_BY_ID;
		va2.subvolid = strtoull(argv[0], NULL, 0);
		return ioctl(fd, BTRFS_IOC_SNAP_DESTROY_V2, &va2) ? fail(op) : 0;
	}
	if (!strcmp(op, "btrfs-snap3")) {
		va2.fd = 3;
		snprintf(va2.name, sizeof(va2.name), "%s", argv[0]);
		return ioctl(fd, BTRFS_IOC_SNAP_CREATE_V2, &va2) ? fail(op) : 0;
	}
	if (!strcmp(op, "btrfs-quota")) {
		struct btrfs_ioctl_quota_ctl_args qa = {
			.cmd = atoi(argv[0]) ? BTRFS_QUOTA_CTL_ENABLE :
					       BTRFS_QUOTA_CTL_DISABLE,
		};

		return ioctl(fd, BTRFS_IOC_QUOTA_CTL, &qa) ? fail(op) : 0;
	}
	if (!strcmp(op, "btrfs-features")) {
		struct btrfs_ioctl_feature_flags ff;

		if (ioctl(fd, BTRFS_IOC_GET_FEATURES, &ff))
			return fail(op);
		printf("incompat %#llx\n", (unsigned long long)ff.incompat_flags);
		return 0;
	}
	return 254;
}

static int read_handle(const char *file, unsigned char *h, uint32_t *len)
{
	FILE *f = fopen(file, "rb");
	size_t n;

	if (!f)
		return fail(file);
	n = fread(h, 1, 256, f);
	fclose(f);
	*len = n;
	return 0;
}

static int xfs_op(const char *op, int fd, char **argv)
{
	static unsigned char handle[256];
	struct xfs_fsop_handlereq hr = { .fd = 0 };
	uint32_t hlen = sizeof(handle);
	int ret;

	if (!strcmp(op, "xfs-handle")) {
		FILE *out;

		hr.path = argv[0];
		hr.ohandle = handle;
		hr.ohandlen = &hlen;
		if (ioctl(fd, XFS_IOC_PATH_TO_HANDLE, &hr))
			return fail(op);
		out = fopen(argv[1], "wb");
		if (!out || fwrite(handle, 1, hlen, out) != hlen || fclose(out))
			return fail(argv[1]);
		return 0;
	}
	if (!strcmp(op, "xfs-grow")) {
		struct xfs_fsop_geom_v1 g;
		struct xfs_growfs_data gd;

		if (ioctl(fd, XFS_IOC_FSGEOMETRY_V1, &g))
			return fail("XFS_IOC_FSGEOMETRY_V1");
		gd.newblocks = g.datablocks + strtoull(argv[0], NULL, 0);
		gd.imaxpct = g.imaxpct;
		return ioctl(fd, XFS_IOC_FSGROWFSDATA, &gd) ? fail(op) : 0;
	}
	ret = read_handle(argv[0], handle, &hr.ihandlen);
	if (ret)
		return ret;
	hr.ihandle = handle;
	if (!strcmp(op, "xfs-setattr")) {
		struct xfs_attr_multiop mo = {
			.am_opcode = ATTR_OP_SET,
			.am_attrname = argv[1],
			.am_attrvalue = argv[2],
			.am_length = strlen(argv[2]),
		};
		struct xfs_fsop_attrmulti_handlereq am = {
			.hreq = hr, .opcount = 1, .ops = &mo,
		};

		if (ioctl(fd, XFS_IOC_ATTRMULTI_BY_HANDLE, &am))
			return fail(op);
		errno = -mo.am_error;
		return mo.am_error ? fail("ATTR_OP_SET") : 0;
	}
	if (!strcmp(op, "xfs-open")) {
		char buf[4096];
		ssize_t n;
		int f;

		hr.oflags = O_RDONLY;
		f = ioctl(fd, XFS_IOC_OPEN_BY_HANDLE, &hr);
		if (f < 0)
			return fail(op);
		n = read(f, buf, sizeof(buf));
		if (n < 0)
			return fail("read");
		fwrite(buf, 1, n, stdout);
		return 0;
	}
	return 254;
}

int main(int argc, char **argv)
{
	static const struct { const char *op; int args; } ops[] = {
		{ "btrfs-subvol", 1 }, { "btrfs-id", 0 }, { "btrfs-search", 1 },
		{ "btrfs-resize", 1 }, { "btrfs-default", 1 },
		{ "btrfs-destroy-id", 1 }, { "btrfs-snap3", 1 },
		{ "btrfs-quota", 1 }, { "btrfs-features", 0 },
		{ "xfs-handle", 2 }, { "xfs-setattr", 3 }, { "xfs-open", 1 },
		{ "xfs-grow", 1 }, { "getxattr", 1 },
	};
	unsigned int i;
	int fd;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (argc == 3 + ops[i].args && !strcmp(argv[1], ops[i].op))
			break;
	if (i == sizeof(ops) / sizeof(ops[0])) {
		fprintf(stderr, "usage: see tests/helpers/fswide.c\n");
		return 254;
	}
	fd = open_ro(argv[2]);
	if (fd < 0)
		return fail(argv[2]);
	if (!strcmp(argv[1], "getxattr")) {
		char name[256], value[256];
		ssize_t n;

		snprintf(name, sizeof(name), "user.%s", argv[3]);
		n = fgetxattr(fd, name, value, sizeof(value) - 1);
		if (n < 0)
			return fail(name);
		printf("%.*s\n", (int)n, value);
		return 0;
	}
	if (!strncmp(argv[1], "btrfs-", 6))
		return btrfs_op(argv[1], fd, argv + 3);
	return xfs_op(argv[1], fd, argv + 3);
}
