#!/bin/sh
# vm-modules: ext4 loop crc32c_generic vfat nls_cp437 nls_iso8859-1 nls_ascii nls_utf8
# vm-programs: /usr/bin/lsattr /usr/sbin/filefrag /usr/sbin/e2freefrag /usr/bin/cp /usr/bin/tar /usr/bin/ls /usr/bin/stat
# The ioctl rule of kmod/fs.c (charter_check_fs_ioctl(), red team):
# ioctls that only read, native and through the ia32 entry, and the
# tools that make them (busybox, e2fsprogs' lsattr / filefrag /
# e2freefrag, GNU cp / tar / ls / stat), on files and directories a
# domain may only read, ext4 and vfat: each must give what it gives
# unconfined (a "FALSE-REFUSAL" line otherwise: a refused ioctl fails
# the test; a tool's is counted and reported).
# (The busybox copy must differ from /bin/busybox: programs are known by
# digest, and the harness runs /bin/busybox.)
. /tests/attack.sh
load_module
modprobe loop && modprobe crc32c_generic && modprobe ext4 || fail "modprobe ext4"
for m in vfat nls_cp437 nls_iso8859-1 nls_ascii nls_utf8; do modprobe $m 2>/dev/null; done
T="timeout -s KILL 30"

rm -rf /opt/rt3 /mnt/rt3e /mnt/rt3f /tmp/rt3img
mkdir -p /opt/rt3 /mnt/rt3e /mnt/rt3f /tmp/rt3img
dd if=/dev/zero of=/tmp/rt3img/e.img bs=1M count=16 2>/dev/null
mke2fs -F -b 4096 /tmp/rt3img/e.img > /dev/null 2>&1 || fail "mke2fs"
mount -t ext4 -o loop /tmp/rt3img/e.img /mnt/rt3e || fail "mount ext4"
mkdir -p /mnt/rt3e/rw /mnt/rt3e/ro/sub
for f in rw/f ro/f ro/sub/g; do dd if=/dev/urandom of=/mnt/rt3e/$f bs=4k count=4 2>/dev/null; done
dd if=/dev/zero of=/tmp/rt3img/f.img bs=1M count=16 2>/dev/null
mkdosfs /tmp/rt3img/f.img > /dev/null 2>&1 || fail "mkdosfs"
mount -t vfat -o loop /tmp/rt3img/f.img /mnt/rt3f || fail "mount vfat"
mkdir -p /mnt/rt3f/rw /mnt/rt3f/ro
for f in rw/f ro/f ro/LongFileName.txt; do echo data > /mnt/rt3f/$f; done
sync

cp /tests/bin/fsioc /opt/rt3/fsioc
unique /bin/busybox /opt/rt3/busybox
DIRS="  - {name: erw, path: /mnt/rt3e/rw, permission: readWrite}
  - {name: ero, path: /mnt/rt3e/ro, permission: read}
  - {name: frw, path: /mnt/rt3f/rw, permission: readWrite}
  - {name: fro, path: /mnt/rt3f/ro, permission: read}
  - {name: img, path: /tmp/rt3img, permission: read}
  - {name: proc, path: /proc, permission: read}
  - {name: etc, path: /etc, permission: read}
  - {name: usr, path: /usr, permission: readExecute}
  - {name: lib, path: /lib, permission: readExecute}
  - {name: lib64, path: /lib64, permission: readExecute}
  - {name: bin, path: /bin, permission: readExecute}"
manifest /opt/rt3 rt3i fsioc "$DIRS"
manifest /opt/rt3 rt3b busybox "$DIRS"
expect_ok "load" charter load --allow-unsigned /opt/rt3/rt3i.yml /opt/rt3/rt3b.yml
unique /tests/bin/fsioc /tmp/rt3-free
FR=0

# same DESC FREE-CMD CONFINED-CMD: the same exit status and output.
same() {
	desc=$1
	$T sh -c "$2" > /tmp/rt3-u.out 2>&1; u=$?
	$T sh -c "$3" > /tmp/rt3-c.out 2>&1; c=$?
	if [ "$u" = "$c" ] && cmp -s /tmp/rt3-u.out /tmp/rt3-c.out; then
		pass "$desc: same (exit $c)"
	elif [ "$c" != "$u" ] && { [ "$c" = 13 ] || grep -q "ermission denied" /tmp/rt3-c.out; }; then
		FR=$((FR + 1))
		echo "FALSE-REFUSAL: $desc: unconfined exit $u [$(head -c 300 /tmp/rt3-u.out)], confined exit $c [$(head -c 300 /tmp/rt3-c.out)]"
	else
		echo "# DIFFERS: $desc: unconfined exit $u [$(head -c 300 /tmp/rt3-u.out)], confined exit $c [$(head -c 300 /tmp/rt3-c.out)]"
	fi
}

# --- every read-only ioctl op on read-only files and directories.
OPS="getflags getversion ext4-getversion fsgetxattr fiemap fiemap-sync figetbsz fibmap getfslabel ext4-getfsuuid getfsuuid getfssysfspath getfsmap ext4-getstate ext4-es-cache blkgetsize64 blksszget tcgets tiocgwinsz fionread fioqsize fionbio fioasync fat-getattr fat-volid readdir-both readdir-short c-readdir-both c-readdir-short c-getflags c-getversion c-fiemap c-fat-getattr c-tcgets c-fsgetxattr c-getfslabel"
for p in /mnt/rt3e/ro/f /mnt/rt3e/ro /mnt/rt3f/ro/f /mnt/rt3f/ro; do
	for op in $OPS; do
		same "ioctl $op on $p" "/tmp/rt3-free $op $p" "/opt/rt3/fsioc $op $p"
	done
done
[ $FR = 0 ] || fail "$FR ioctls that only read were refused (FALSE-REFUSAL lines)"

# --- tools, confined through the manifested busybox (sh -c).
B=/opt/rt3/busybox
tool() { same "$1" "$2" "$B sh -c '$2'"; }
tool "busybox lsattr ext4 ro/f" "busybox lsattr /mnt/rt3e/ro/f"
tool "busybox lsattr -d ext4 ro" "busybox lsattr -d /mnt/rt3e/ro"
tool "busybox lsattr -R ext4 ro" "busybox lsattr -R /mnt/rt3e/ro"
tool "busybox lsattr vfat ro/f" "busybox lsattr /mnt/rt3f/ro/f"
tool "busybox stat ext4 ro/f" "busybox stat /mnt/rt3e/ro/f"
tool "busybox ls -l ext4 ro" "busybox ls -l /mnt/rt3e/ro"
tool "busybox ls -l vfat ro" "busybox ls -l /mnt/rt3f/ro"
tool "busybox cp ext4 ro/f to rw" "busybox cp /mnt/rt3e/ro/f /mnt/rt3e/rw/c1 && busybox md5sum < /mnt/rt3e/rw/c1"
tool "busybox cp -a ext4 ro to rw" "busybox rm -rf /mnt/rt3e/rw/c2; busybox cp -a /mnt/rt3e/ro /mnt/rt3e/rw/c2 && echo ok"
tool "busybox tar ext4 ro" "busybox tar cf - -C /mnt/rt3e ro | busybox md5sum"
tool "busybox tar vfat ro" "busybox tar cf - -C /mnt/rt3f ro | busybox wc -c"
tool "busybox find/du ext4 ro" "busybox find /mnt/rt3e/ro; busybox du -s /mnt/rt3e/ro"
tool "busybox cat / md5sum vfat ro" "busybox md5sum /mnt/rt3f/ro/f /mnt/rt3f/ro/LongFileName.txt"
tool "busybox dd ext4 ro/f" "busybox dd if=/mnt/rt3e/ro/f of=/dev/null bs=4k 2>&1"
tool "GNU lsattr ext4 ro/f" "/usr/bin/lsattr /mnt/rt3e/ro/f"
tool "GNU lsattr -v -p ext4 ro/f" "/usr/bin/lsattr -v -p /mnt/rt3e/ro/f"
tool "GNU lsattr -d -a ext4 ro" "/usr/bin/lsattr -d -a /mnt/rt3e/ro"
tool "GNU lsattr vfat ro/f" "/usr/bin/lsattr /mnt/rt3f/ro/f"
tool "GNU filefrag -v ext4 ro/f" "/usr/sbin/filefrag -v /mnt/rt3e/ro/f"
tool "GNU filefrag -B (FIBMAP) ext4 ro/f" "/usr/sbin/filefrag -B /mnt/rt3e/ro/f"
tool "GNU filefrag vfat ro/f" "/usr/sbin/filefrag /mnt/rt3f/ro/f"
tool "e2freefrag image" "/usr/sbin/e2freefrag /tmp/rt3img/e.img"
tool "GNU cp ext4 ro/f to rw" "/usr/bin/cp /mnt/rt3e/ro/f /mnt/rt3e/rw/c3 && echo ok"
tool "GNU cp --reflink=auto --sparse=always ext4" "/usr/bin/cp --reflink=auto --sparse=always /mnt/rt3e/ro/f /mnt/rt3e/rw/c4 && echo ok"
tool "GNU cp -a vfat ro to rw" "/usr/bin/rm -rf /mnt/rt3f/rw/c5 2>/dev/null; /usr/bin/cp -a /mnt/rt3f/ro /mnt/rt3f/rw/c5 2>&1; echo \$?"
tool "GNU tar ext4 ro" "/usr/bin/tar cf - -C /mnt/rt3e ro | busybox wc -c"
tool "GNU ls -l ext4 ro" "/usr/bin/ls -l /mnt/rt3e/ro"
tool "GNU stat ext4 ro/f" "/usr/bin/stat /mnt/rt3e/ro/f"

echo "# false refusals: $FR"
umount /mnt/rt3e /mnt/rt3f
finish
