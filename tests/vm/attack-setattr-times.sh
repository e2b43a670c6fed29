#!/bin/sh
# vm-modules: ext4 loop crc32c_generic overlay
# Setting a file's times needs write on it (kmod/fs.c,
# charter_check_utimes(), at vfs_utimes(); trinity moved the times of
# files outside its manifest through a symlink before). Every route to
# notify_change() with ATTR_ATIME/ATTR_MTIME is tried on a file the domain
# may only read and on one it may not touch, on the root filesystem
# (rootfs), a tmpfs, an ext4 and an overlay (its copy-up runs with the
# mounter's credentials): utime, utimes, futimesat, utimensat (also
# AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH on O_PATH and O_RDONLY descriptors,
# a directory descriptor, UTIME_OMIT/UTIME_NOW mixes), futimens (O_RDONLY;
# O_PATH is EBADF), /proc/self/fd/N, the ia32 entries (int $0x80: utime,
# utimes, futimesat, utimensat, utimensat_time64), symlinks either way, a
# hard link, a descriptor received from an unconfined process, an
# administrator's bind mount, directories, a device node, /proc and /sys;
# and chown(-1, -1), chmod and truncate to the same values, which move the
# ctime (path_chown, path_chmod, path_truncate). A refusal must leave the
# atime, mtime and ctime as they were; next to each, the same route on a
# readWrite file sets the times, and a write still moves the mtime.
# (io_uring has no operation that sets times on 6.1.)
. /tests/attack.sh
load_module

modprobe loop && modprobe crc32c_generic && modprobe ext4 || fail "modprobe ext4"
modprobe overlay || fail "modprobe overlay"

T="timeout -s KILL 30"
rm -rf /opt/tt /opt/ttp /opt/ttl /srv/tt /mnt/tte /mnt/tto /tmp/ttu
mkdir -p /opt/ttp /opt/tt /srv/tt /mnt/tte /mnt/tto /opt/ttl /tmp/ttu/upper /tmp/ttu/work
mount -t tmpfs tmpfs /srv/tt || fail "mount tmpfs"
dd if=/dev/zero of=/tmp/tte.img bs=1M count=8 2>/dev/null
mke2fs -F /tmp/tte.img > /dev/null 2>&1 || fail "mke2fs"
mount -t ext4 -o loop /tmp/tte.img /mnt/tte || fail "mount ext4"
for b in /opt/tt /srv/tt /mnt/tte /opt/ttl; do
	mkdir -p $b/rw/sub $b/ro/sub $b/none
	for f in rw/f ro/f none/f; do echo data > $b/$f; done
done
ln -s ../ro/f /opt/tt/rw/to-ro		# a link it may change, to a file it may not
ln -s ../rw/f /opt/tt/ro/to-rw		# a link it may not change, to one it may
mount -t overlay overlay -o lowerdir=/opt/ttl,upperdir=/tmp/ttu/upper,workdir=/tmp/ttu/work \
	/mnt/tto || fail "mount overlay"
BASES="/opt/tt /srv/tt /mnt/tte /mnt/tto"

cp /tests/bin/rt_times /opt/ttp/rt_times
rules=""
for b in $BASES; do
	n=$(echo $b | tr -c 'a-z\n' '_')
	rules="$rules
  - {name: rw$n, path: $b/rw, permission: readWrite}
  - {name: ro$n, path: $b/ro, permission: read}"
done
manifest /opt/ttp times rt_times "$rules
  - {name: tmp, path: /tmp/ttsock, permission: readWrite}
  - {name: proc, path: /proc, permission: read}
  - {name: sys, path: /sys, permission: read}"
expect_ok "load" charter load --allow-unsigned /opt/ttp/times.yml
S="$T /opt/ttp/rt_times"
unique /tests/bin/rt_times /tmp/tt-free
F="$T /tmp/tt-free"

# stamp FILE: its three times, seen from outside.
stamp() { /tmp/tt-free stat "$1" 2>&1; }

# kept DESC FILE CMD...: CMD (confined) must fail (EACCES or EPERM; EBADF
# where the route itself refuses) and FILE's times must not move.
kept() {
	desc=$1; file=$2; shift 2
	before=$(stamp "$file")
	sleep 0.01
	"$@" > /tmp/tt.out 2>&1
	got=$?
	after=$(stamp "$file")
	if [ "$before" != "$after" ]; then
		escape "$desc: the times of $file moved (exit $got): $before -> $after"
		return 1
	fi
	case $got in
	1|9|13) pass "$desc: refused (errno $got), times kept" ;;
	0) if [ "${NOOP:-0}" = 1 ]; then
		pass "$desc: a no-op (exit 0), times kept"
	   else
		escape "$desc: exit 0 (times kept): $(cat /tmp/tt.out)"
	   fi ;;
	*) escape "$desc: exit $got (times kept): $(cat /tmp/tt.out)" ;;
	esac
}

# moved DESC FILE CMD...: CMD (confined) must succeed and move FILE's
# times (the legitimate side).
moved() {
	desc=$1; file=$2; shift 2
	/tmp/tt-free old "$file" || fail "reset $file"	# 1990: any set moves them
	before=$(stamp "$file")
	out=$("$@" 2>&1)
	got=$?
	[ $got -eq 0 ] || fail "$desc: expected success, got exit $got: $out"
	after=$(stamp "$file")
	[ "$before" != "$after" ] || fail "$desc: succeeded but the times did not move"
	pass "$desc"
}

OPS="utime utimes futimesat utimensat lutimens now omit-a omit-m emptypath
	emptypath-ro futimens procfd procfd-ro dirfd c-utime c-utimes
	c-futimesat c-utimensat c-utimensat64 c-futimens"

# --- Every route, every filesystem, from the file's own filesystem as
# working directory and from / (a file on another filesystem than the
# working directory's was refused when times were judged on a dentry
# named through the root's or the cwd's mount).
for b in $BASES; do
	for wd in $b /; do
		cd $wd
		for op in $OPS; do
			moved "$op on $b/rw/f (readWrite, cwd $wd)" $b/rw/f $S $op $b/rw/f
			kept "$op on $b/ro/f (read only, cwd $wd)" $b/ro/f $S $op $b/ro/f
			kept "$op on $b/none/f (no rule, cwd $wd)" $b/none/f $S $op $b/none/f
		done
		# both UTIME_OMIT: vfs_utimes() returns 0 before notify_change()
		NOOP=1 kept "omit-both on $b/ro/f (no time, ctime only)" $b/ro/f $S omit-both $b/ro/f
		kept "futimens on an O_PATH descriptor of $b/rw/f" $b/rw/f $S futimens-path $b/rw/f
		# directories: their own times
		moved "utimensat on the directory $b/rw/sub" $b/rw/sub $S utimensat $b/rw/sub
		kept "utimensat on the directory $b/ro/sub" $b/ro/sub $S utimensat $b/ro/sub
		kept "utimensat on the directory $b/ro" $b/ro $S utimensat $b/ro
		kept "lutimens on the directory $b/none" $b/none $S lutimens $b/none
		# chown/chmod/truncate to the same values: the ctime
		expect_ok "chown -1 -1 on $b/rw/f" $S chown-nop $b/rw/f
		kept "chown -1 -1 on $b/ro/f" $b/ro/f $S chown-nop $b/ro/f
		expect_ok "chmod to the same mode on $b/rw/f" $S chmod-same $b/rw/f
		kept "chmod to the same mode on $b/ro/f" $b/ro/f $S chmod-same $b/ro/f
		expect_ok "truncate to the same size on $b/rw/f" $S truncate-same $b/rw/f
		kept "truncate to the same size on $b/ro/f" $b/ro/f $S truncate-same $b/ro/f
		# a hard link made in the domain moves the source's ctime
		rm -f $b/rw/hl
		kept "link $b/ro/f into $b/rw" $b/ro/f $S link $b/ro/f $b/rw/hl
		# writes move the mtime implicitly (file_update_time())
		moved "write to $b/rw/f moves its mtime" $b/rw/f $S write $b/rw/f
	done
done
cd /tmp

# --- Symlinks (rootfs).
kept "utimensat through rw/to-ro (a link to a read-only file)" /opt/tt/ro/f \
	$S utimensat /opt/tt/rw/to-ro
kept "utimes through rw/to-ro" /opt/tt/ro/f $S utimes /opt/tt/rw/to-ro
kept "ia32 utime through rw/to-ro" /opt/tt/ro/f $S c-utime /opt/tt/rw/to-ro
moved "lutimens on rw/to-ro itself (the link is in rw)" /opt/tt/rw/to-ro \
	$S lutimens /opt/tt/rw/to-ro
kept "lutimens on ro/to-rw itself (the link is in ro)" /opt/tt/ro/to-rw \
	$S lutimens /opt/tt/ro/to-rw
moved "utimensat through ro/to-rw (to a readWrite file)" /opt/tt/rw/f \
	$S utimensat /opt/tt/ro/to-rw

# --- A descriptor received from an unconfined process.
for mode in ro rw; do
	rm -f /tmp/ttsock /tmp/ttsend.out
	/tmp/tt-free send-fd /tmp/ttsock /opt/tt/ro/f $mode > /tmp/ttsend.out 2>&1 & p=$!
	i=0; while ! grep -q ready /tmp/ttsend.out 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kept "futimens on a received O_$mode descriptor of ro/f" /opt/tt/ro/f $S recv-fd /tmp/ttsock
	wait $p
done
rm -f /tmp/ttsock /tmp/ttsend.out
/tmp/tt-free send-fd /tmp/ttsock /opt/tt/rw/f rw > /tmp/ttsend.out 2>&1 & p=$!
i=0; while ! grep -q ready /tmp/ttsend.out 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
moved "futimens on a received descriptor of rw/f" /opt/tt/rw/f $S recv-fd /tmp/ttsock
wait $p

# --- An administrator's bind mounts: a file is judged by the path it is
# reached by, as an open for writing is (threat-model.rst).
mkdir -p /opt/tt/rw/bind /opt/tt/ro/bind
mount --bind /opt/tt/ro /opt/tt/rw/bind || fail "bind ro"
mount --bind /opt/tt/rw /opt/tt/ro/bind || fail "bind rw"
moved "utimensat on ro/f through a bind mount under rw" /opt/tt/ro/f \
	$S utimensat /opt/tt/rw/bind/f
kept "utimensat on rw/f through a bind mount under ro" /opt/tt/rw/f \
	$S utimensat /opt/tt/ro/bind/f
umount /opt/tt/rw/bind /opt/tt/ro/bind

# --- Overlay: the lower file stays as it was after a refused copy-up.
kept "utimensat on the overlay's ro/f: the lower file" /opt/ttl/ro/f $S utimensat /mnt/tto/ro/f
[ -e /tmp/ttu/upper/ro/f ] && escape "a refused utimensat copied ro/f up"

# --- Device nodes, /proc, /sys.
for f in /dev/null /dev/zero /proc/cmdline /proc/sys/kernel/hostname \
	 /sys/kernel/mm /sys/kernel/profiling; do
	for op in utimensat futimens c-utimes emptypath; do
		kept "$op on $f" $f $S $op $f
	done
done

umount /mnt/tto /srv/tt /mnt/tte
finish
