#!/bin/sh
# vm-modules: loop vfat nls_cp437 nls_iso8859-1 nls_ascii nls_utf8
# Attack (route: the policy cache, userspace/cache.c; red team of issue
# 17). design.rst: "A change to a file's content changes its ctime, which
# only the clock can set". Not on FAT: ctime and mtime share one on-disk
# field (fs/fat/misc.c: "all mtime updates will be applied to ctime"), so
# utimes() sets both, and the owner of a file on a FAT mount (uid=, a USB
# stick, an SD card, the ESP) may call it. A program rewritten in place
# (same size, same inode) and its mtime put back has the lstat() tuple the
# entry recorded. Also in this guest (6.1): a write through a shared
# mapping of a tmpfs page changes no time at all. And a directory: a
# manifest added to a listed FAT directory, its mtime put back (issue 17:
# the cache now hashes each listing).
# PASSES when each compile after the change gives the cold policy; FAILS
# (ESCAPE lines) when the cache hands back the old program hash.
. /tests/attack.sh
export CHARTER_CACHE_TRACE=1

modprobe loop || fail "modprobe loop"
for m in vfat nls_cp437 nls_iso8859-1 nls_ascii nls_utf8; do modprobe $m 2>/dev/null; done
W=/tmp/cv
rm -rf $W && mkdir -p $W/mnt

# cached_vs_cold NAME DIR: compile DIR/m through the cache and cold.
cached_vs_cold() {
	charter compile --allow-unsigned --cache-dir $W/cache-$1 -o $W/$1.cached $2/m > $W/$1.log 2>&1
	charter compile --allow-unsigned -o $W/$1.cold $2/m > /dev/null 2>&1
	if cmp -s $W/$1.cached $W/$1.cold; then
		pass "$1: the cached policy is the cold compile's"
	else
		escape "$1: the cache kept the old hash ($(tr '\n' ' ' < $W/$1.log)): $(charter dump $W/$1.cached | grep -m1 executable) vs cold $(charter dump $W/$1.cold | grep -m1 executable)"
	fi
}

# setup DIR: DIR/bin/prog and DIR/m/a.yml naming it.
setup() {
	mkdir -p $1/bin $1/m
	head -c 4096 /dev/urandom > $1/bin/prog
	head -c 4096 /dev/urandom > $1/bin/other
	chmod 755 $1/bin/prog $1/bin/other 2>/dev/null
	printf 'manifestVersion: v1\nname: a\nrun: %s/bin/prog\n' $1 > $1/m/a.yml
}

# store NAME DIR: the first compile stores the entry (files 2 s old).
store() {
	charter compile --allow-unsigned --cache-dir $W/cache-$1 -o $W/$1.first $2/m > $W/$1.log 2>&1
	grep -q 'cache: stored' $W/$1.log || fail "$1: setup: not stored: $(cat $W/$1.log)"
}

# 1. FAT: in-place rewrite, mtime (and so ctime) put back.
dd if=/dev/zero of=$W/fat.img bs=1M count=16 2>/dev/null
mkdosfs $W/fat.img > /dev/null 2>&1 || fail "mkdosfs"
mount -o loop,uid=1000 -t vfat $W/fat.img $W/mnt || fail "mount vfat"
F=$W/mnt
setup $F
setup $F/d
# 2. tmpfs: a shared mapping written after the compile.
mkdir -p $W/shm && mount -t tmpfs none $W/shm || fail "mount tmpfs"
setup $W/shm
sleep 3
store fat $F
store fatdir $F/d
store tmpfs $W/shm

touch -r $F/bin/prog $W/ref
before=$(stat -c '%d %i %s %f %u %g %y %z' $F/bin/prog)
# As the owner (uid 1000), not root: what a user of the stick can do.
head -c 4096 /dev/urandom > $W/new
chmod 644 $W/new $W/ref
/tests/bin/asuid 1000 dd if=$W/new of=$F/bin/prog conv=notrunc 2>/dev/null || fail "rewrite as uid 1000"
/tests/bin/asuid 1000 touch -r $W/ref $F/bin/prog || fail "touch as uid 1000"
after=$(stat -c '%d %i %s %f %u %g %y %z' $F/bin/prog)
echo "fat: tuple before '$before' after '$after'"
cached_vs_cold fat $F

# 1b. FAT: a manifest added to the listed directory, its mtime put back.
touch -r $F/d/m $W/refd
before=$(stat -c '%d %i %s %f %u %g %y %z' $F/d/m)
printf 'manifestVersion: v1\nname: b\nrun: %s/bin/other\n' $F/d > $W/b.yml
chmod 644 $W/b.yml $W/refd
/tests/bin/asuid 1000 cp $W/b.yml $F/d/m/b.yml || fail "add as uid 1000"
/tests/bin/asuid 1000 touch -r $W/refd $F/d/m || fail "touch dir as uid 1000"
after=$(stat -c '%d %i %s %f %u %g %y %z' $F/d/m)
echo "fatdir: tuple before '$before' after '$after'"
[ "$before" = "$after" ] || echo "fatdir: (the directory's tuple changed: the times alone catch it here)"
cached_vs_cold fatdir $F/d

before=$(stat -c '%d %i %s %f %u %g %y %z' $W/shm/bin/prog)
/tests/bin/mmapflip $W/shm/bin/prog || fail "mmapflip"
after=$(stat -c '%d %i %s %f %u %g %y %z' $W/shm/bin/prog)
echo "tmpfs: tuple before '$before' after '$after'"
cached_vs_cold tmpfs $W/shm

umount $W/mnt
umount $W/shm
finish
