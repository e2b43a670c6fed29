// SPDX-License-Identifier: GPL-2.0
/*
 * mmapflip FILE: flip the first byte of FILE through a shared writable
 * mapping (msync'ed), so that its content changes as a mapping writes it
 * (attack-cache-vfat.sh: on tmpfs no time changes). 0, or errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd = argc == 2 ? open(argv[1], O_RDWR) : -1;
	unsigned char *m;

	if (fd < 0)
		return errno ? errno : 22;
	m = mmap(NULL, 1, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return errno;
	m[0] ^= 0xff;
	msync(m, 1, MS_SYNC);
	munmap(m, 1);
	close(fd);
	return 0;
}
