#!/bin/bash
# Attack (route: the policy cache, userspace/cache.c and deps.c; red team
# of issue 17). The cache reuses a compile while every file it read has
# the same lstat() tuple (dev, ino, mode, owner, size, mtime, ctime), on
# the premise that "a change to a file's content changes its ctime".
# A write through a shared writable mapping does not: on tmpfs it never
# updates the times (no page_mkwrite: design.rst's digest cache says so),
# and on a disk file system only the first write fault after writeback
# does, so a page dirtied before the compile and written again after it
# changes the program's bytes with its tuple unchanged.
# PASSES when the next compile gives the cold compile's policy (the
# program's new hash); FAILS when the cached policy keeps the old hash.
. "$(dirname "$0")/lib.sh"
export CHARTER_CACHE_TRACE=1

CC=${CC:-cc}
cat > "$T/flip.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
/* flip FILE READY GO DONE: map FILE shared, change byte 0 (the write
 * fault that updates the times), create READY; when GO exists, change
 * byte 1 (no fault: the page is dirty and writable), create DONE. */
static void touch_file(const char *p) { close(open(p, O_CREAT | O_WRONLY, 0600)); }
int main(int argc, char **argv)
{
	int fd = open(argv[1], O_RDWR);
	unsigned char *m = fd < 0 ? MAP_FAILED :
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct stat st;

	if (m == MAP_FAILED || argc != 5)
		return 1;
	m[0] ^= 0xff;
	touch_file(argv[2]);
	while (stat(argv[3], &st))
		usleep(20000);
	m[1] ^= 0xff;
	touch_file(argv[4]);
	return 0;
}
C
$CC -O2 -o "$T/flip" "$T/flip.c" || { echo "# no C compiler: skipped"; cli_done; }

# attempt NAME DIR: program and manifest in DIR; the mapping dirtied
# 2.3 s before the compile (out of its racy window), written after it.
attempt() {
	local name=$1 S=$2 tuple1 tuple2
	mkdir -p "$S/bin" "$S/m"
	head -c 4096 /dev/urandom > "$S/bin/prog"
	chmod 755 "$S/bin/prog"
	printf 'manifestVersion: v1\nname: a\nrun: %s/bin/prog\n' "$S" > "$S/m/a.yml"
	sleep 2.2
	"$T/flip" "$S/bin/prog" "$S/ready" "$S/go" "$S/done" &
	while [ ! -e "$S/ready" ]; do sleep 0.05; done
	sleep 2.3
	run "$CHARTER" compile --allow-unsigned --cache-dir "$S/cache" -o "$S/first.bin" "$S/m"
	grep -q '^charter: cache: stored' "$T/out" || not_ok "$name: setup: the entry was not stored: $(cat "$T/out")"
	tuple1=$(stat -c '%d %i %s %f %u %g %y %z' "$S/bin/prog")
	sum1=$(sha256sum < "$S/bin/prog")
	touch "$S/go"
	wait
	tuple2=$(stat -c '%d %i %s %f %u %g %y %z' "$S/bin/prog")
	sum2=$(sha256sum < "$S/bin/prog")
	[ "$sum1" != "$sum2" ] || not_ok "$name: setup: the program did not change"
	echo "# $name: tuple before '$tuple1' after '$tuple2'"
	run "$CHARTER" compile --allow-unsigned --cache-dir "$S/cache" -o "$S/cached.bin" "$S/m"
	cp "$T/out" "$S/log"
	"$CHARTER" compile --allow-unsigned -o "$S/cold.bin" "$S/m" > /dev/null 2>&1
	if cmp -s "$S/cached.bin" "$S/cold.bin"; then
		ok "$name: a program changed through a shared mapping is compiled again"
	else
		not_ok "$name: ESCAPE: the cached policy keeps the program's old hash ($(cat "$S/log" | tr '\n' ' ')): $("$CHARTER" dump "$S/cached.bin" | grep -m1 executable) vs cold $("$CHARTER" dump "$S/cold.bin" | grep -m1 executable)"
	fi
}

# 1. The working directory's file system (ext4 on most hosts).
attempt "disk ($(stat -f -c %T "$T"))" "$T/disk"
# 2. tmpfs.
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
	SHM=$(mktemp -d -p /dev/shm)
	trap 'rm -rf "$T" "$SHM"' EXIT
	attempt tmpfs "$SHM"
else
	echo "# no tmpfs at /dev/shm: skipped"
fi
cli_done
