// SPDX-License-Identifier: GPL-2.0
/*
 * fuseflip: a FUSE server (raw /dev/fuse protocol, no libfuse) whose one
 * file changes content under constant attributes.
 *
 *   fuseflip MNT FIRST THEN
 *	Mount a FUSE filesystem on MNT holding one file, MNT/app (mode 0755,
 *	size, times and inode number fixed). Its first open reads FIRST's
 *	bytes; every later open reads THEN's (FIRST and THEN have the same
 *	size). Opens do not keep the page cache (no FOPEN_KEEP_CACHE), as
 *	any FUSE filesystem without it. The server runs in a child; the
 *	command returns once the mount is made. Unmount to stop it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char *content[2];
static size_t size;
static int opens;

static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		return NULL;
	buf = malloc(st.st_size + 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	*len = got;
	return buf;
}

static void reply(int fd, uint64_t unique, int error, const void *arg, size_t len)
{
	static unsigned char out[(1 << 20) + 64];
	struct fuse_out_header *h = (void *)out;

	h->len = sizeof(*h) + (error ? 0 : len);
	h->error = error;
	h->unique = unique;
	if (!error && len)
		memcpy(out + sizeof(*h), arg, len);
	if (write(fd, out, h->len) < 0 && errno != ENOENT)
		perror("fuseflip: reply");
}

static void fill_attr(struct fuse_attr *a, uint64_t nodeid)
{
	memset(a, 0, sizeof(*a));
	a->ino = nodeid;
	a->mtime = a->ctime = a->atime = 1700000000;
	a->nlink = 1;
	a->blksize = 4096;
	if (nodeid == FUSE_ROOT_ID) {
		a->mode = S_IFDIR | 0755;
		a->nlink = 2;
	} else {
		a->mode = S_IFREG | 0755;
		a->size = size;
		a->blocks = (size + 511) / 512;
	}
}

static void serve(int fd)
{
	static unsigned char in[(1 << 20) + 4096];

	for (;;) {
		ssize_t n = read(fd, in, sizeof(in));
		struct fuse_in_header *h = (void *)in;
		void *arg = in + sizeof(*h);

		if (n < 0) {
			if (errno == EINTR || errno == ENOENT || errno == EAGAIN)
				continue;
			exit(0);	/* unmounted: ENODEV */
		}
		switch (h->opcode) {
		case FUSE_INIT: {
			struct fuse_init_in *ii = arg;
			struct fuse_init_out o = { 0 };

			o.major = FUSE_KERNEL_VERSION;
			o.minor = ii->minor < FUSE_KERNEL_MINOR_VERSION ?
				  ii->minor : FUSE_KERNEL_MINOR_VERSION;
			o.max_readahead = ii->max_readahead;
			o.max_write = 65536;
			o.max_background = 16;
			o.congestion_threshold = 12;
			o.time_gran = 1;
			reply(fd, h->unique, 0, &o, sizeof(o));
			break;
		}
		case FUSE_LOOKUP: {
			struct fuse_entry_out e = { 0 };

			if (h->nodeid != FUSE_ROOT_ID || strcmp(arg, "app")) {
				reply(fd, h->unique, -ENOENT, NULL, 0);
				break;
			}
			e.nodeid = 2;
			e.entry_valid = e.attr_valid = 3600;
			fill_attr(&e.attr, 2);
			reply(fd, h->unique, 0, &e, sizeof(e));
			break;
		}
		case FUSE_GETATTR: {
			struct fuse_attr_out a = { 0 };

			a.attr_valid = 3600;
			fill_attr(&a.attr, h->nodeid);
			reply(fd, h->unique, 0, &a, sizeof(a));
			break;
		}
		case FUSE_OPEN: {
			struct fuse_open_out o = { 0 };

			o.fh = opens++ ? 1 : 0;
			reply(fd, h->unique, 0, &o, sizeof(o));
			break;
		}
		case FUSE_READ: {
			struct fuse_read_in *r = arg;
			size_t len = 0;

			if (r->offset < size)
				len = size - r->offset < r->size ? size - r->offset : r->size;
			if (len > (1 << 20))
				len = 1 << 20;
			reply(fd, h->unique, 0, content[r->fh] + r->offset, len);
			break;
		}
		case FUSE_OPENDIR:
		case FUSE_RELEASE:
		case FUSE_RELEASEDIR:
		case FUSE_FLUSH:
			if (h->opcode == FUSE_OPENDIR) {
				struct fuse_open_out o = { 0 };

				reply(fd, h->unique, 0, &o, sizeof(o));
			} else {
				reply(fd, h->unique, 0, NULL, 0);
			}
			break;
		case FUSE_FORGET:
		case FUSE_BATCH_FORGET:
		case FUSE_INTERRUPT:
			break;
		case FUSE_DESTROY:
			reply(fd, h->unique, 0, NULL, 0);
			exit(0);
		default:
			reply(fd, h->unique, -ENOSYS, NULL, 0);
		}
	}
}

int main(int argc, char **argv)
{
	size_t s2;
	char opts[128];
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: fuseflip MNT FIRST THEN\n");
		return 255;
	}
	content[0] = slurp(argv[2], &size);
	content[1] = slurp(argv[3], &s2);
	if (!content[0] || !content[1] || s2 != size) {
		fprintf(stderr, "fuseflip: FIRST and THEN must be readable, of one size\n");
		return 255;
	}
	fd = open("/dev/fuse", O_RDWR);
	if (fd < 0) {
		perror("fuseflip: /dev/fuse");
		return errno;
	}
	snprintf(opts, sizeof(opts),
		 "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", fd);
	if (mount("fuseflip", argv[1], "fuse", MS_NOSUID | MS_NODEV, opts)) {
		perror("fuseflip: mount");
		return errno;
	}
	if (fork() == 0) {
		setsid();
		serve(fd);
	}
	return 0;
}
