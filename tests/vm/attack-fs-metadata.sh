#!/bin/sh
# vm-modules: ext4 loop crc32c_generic vfat nls_cp437 nls_iso8859-1 nls_ascii nls_utf8
# Red team on setting times (kmod/fs.c, vfs_utimes()): other
# ways a file's or directory's times move: a core dump into a directory
# the domain may only read (the kernel opens "core" with the task's
# creds), acct() on a file it may only read or not touch, exec of a file
# it may not read (the atime: relatime, 1990); legitimate O_TMPFILE then
# futimens in a readWrite directory, and on its own memfd and pipe (they
# live on the kernel's internal mounts: no path a rule could name; they
# were refused before).
# (attack-fs-ioctl-writes.sh: the ioctls that do change them.)
. /tests/attack.sh
load_module
modprobe loop && modprobe crc32c_generic && modprobe ext4 || fail "modprobe ext4"
for m in vfat nls_cp437 nls_iso8859-1 nls_ascii nls_utf8; do modprobe $m 2>/dev/null; done
T="timeout -s KILL 30"

rm -rf /opt/r2x /opt/r2c /mnt/r2e /mnt/r2f
mkdir -p /opt/r2x /opt/r2c/rw /opt/r2c/ro /opt/r2c/none /mnt/r2e /mnt/r2f
# ext4 without metadata_csum (SETVERSION) or gdt_csum (SETFSUUID); files
# made with indirect blocks, then extents and encrypt turned on.
dd if=/dev/zero of=/tmp/r2e.img bs=1M count=16 2>/dev/null
mke2fs -F -b 4096 /tmp/r2e.img > /dev/null 2>&1 || fail "mke2fs"
mount -t ext4 -o loop /tmp/r2e.img /mnt/r2e || fail "mount ext4"
mkdir -p /mnt/r2e/rw/empty /mnt/r2e/ro/empty /mnt/r2e/ro/empty2
for f in rw/f ro/f ro/g; do dd if=/dev/urandom of=/mnt/r2e/$f bs=4k count=4 2>/dev/null; done
umount /mnt/r2e
/tests/bin/privop ext4-feature /tmp/r2e.img 10040 0 || fail "ext4 features"
mount -t ext4 -o loop /tmp/r2e.img /mnt/r2e || fail "mount ext4 again"
dd if=/dev/zero of=/tmp/r2f.img bs=1M count=16 2>/dev/null
mkdosfs /tmp/r2f.img > /dev/null 2>&1 || fail "mkdosfs"
mount -t vfat -o loop /tmp/r2f.img /mnt/r2f || fail "mount vfat"
mkdir -p /mnt/r2f/rw /mnt/r2f/ro
for f in rw/f ro/f ro/g; do echo data > /mnt/r2f/$f; done
cp /tests/bin/rt_times /opt/r2c/none/exe
cp /tests/bin/rt_times /opt/r2c/ro/exe
echo acct > /opt/r2c/ro/acct
echo acct > /opt/r2c/none/acct

cp /tests/bin/fsmeta /opt/r2x/fsmeta
manifest /opt/r2x r2x fsmeta "  - {name: erw, path: /mnt/r2e/rw, permission: readWrite}
  - {name: ero, path: /mnt/r2e/ro, permission: read}
  - {name: frw, path: /mnt/r2f/rw, permission: readWrite}
  - {name: fro, path: /mnt/r2f/ro, permission: read}
  - {name: crw, path: /opt/r2c/rw, permission: readWrite}
  - {name: cro, path: /opt/r2c/ro, permission: read}"
expect_ok "load" charter load --allow-unsigned /opt/r2x/r2x.yml
S="$T /opt/r2x/fsmeta"
unique /tests/bin/fsmeta /tmp/r2x-free
F="$T /tmp/r2x-free"

# state FILE PROBE...: its mode, links, times, and what PROBE prints.
state() { f=$1; shift; /tmp/r2x-free stat "$f" 2>&1; [ $# -eq 0 ] || "$@" 2>&1; }

# kept DESC FILE 'PROBE' CMD...: CMD (confined) must fail and change
# nothing of FILE (nor PROBE's answer).
kept() {
	desc=$1; file=$2; probe=$3; shift 3
	before=$(state "$file" $probe)
	sleep 0.02
	"$@" > /tmp/r2x.out 2>&1
	got=$?
	after=$(state "$file" $probe)
	if [ "$before" != "$after" ]; then
		escape "$desc: changed (exit $got): [$before] -> [$after] $(cat /tmp/r2x.out)"
		return 1
	fi
	case $got in
	0) escape "$desc: exit 0, nothing seen to change: $(cat /tmp/r2x.out)" ;;
	1|13) pass "$desc: refused (exit $got), unchanged" ;;
	*) pass "$desc: failed (exit $got: $(cat /tmp/r2x.out)), unchanged" ;;
	esac
}

# effect DESC FILE 'PROBE' CMD...: CMD (unconfined) changes FILE or PROBE.
effect() {
	desc=$1; file=$2; probe=$3; shift 3
	before=$(state "$file" $probe)
	sleep 0.02
	"$@" > /tmp/r2x.out 2>&1
	got=$?
	after=$(state "$file" $probe)
	if [ "$before" != "$after" ]; then
		pass "unconfined $desc: exit $got, changed"
	else
		echo "# unconfined $desc: exit $got, no change (n/a here): $(cat /tmp/r2x.out)"
	fi
}

E=/mnt/r2e
# --- core dump into a directory it may only read.
old_pat=$(cat /proc/sys/kernel/core_pattern)
echo core > /proc/sys/kernel/core_pattern
$S core /opt/r2c/rw > /tmp/r2x.out 2>&1
echo "# confined core dump in rw (legitimate): $(cat /tmp/r2x.out); $(ls /opt/r2c/rw)"
rm -f /opt/r2c/rw/core*
$F core /opt/r2c/ro > /tmp/r2x.out 2>&1
echo "# unconfined core dump in ro: $(cat /tmp/r2x.out); $(ls /opt/r2c/ro)"
rm -f /opt/r2c/ro/core*
sleep 0.02
# (no readdir in the probe: it would move the directory's atime)
kept "core dump in ro (dir)" /opt/r2c/ro "ls -d /opt/r2c/ro/core" $S core /opt/r2c/ro
rm -f /opt/r2c/ro/core*
echo "$old_pat" > /proc/sys/kernel/core_pattern

# --- acct() on files it may only read / not touch.
kept "acct on ro/acct" /opt/r2c/ro/acct "" $S acct /opt/r2c/ro/acct
kept "acct on none/acct" /opt/r2c/none/acct "" $S acct /opt/r2c/none/acct
acct 2>/dev/null; true

# --- exec of a file it may not read: the atime (relatime: 1990 is old).
$F old /opt/r2c/none/exe
effect "exec none/exe (atime)" /opt/r2c/none/exe "" /opt/r2c/none/exe
$F old /opt/r2c/none/exe
kept "exec none/exe" /opt/r2c/none/exe "" $S exec /opt/r2c/none/exe
$F old /opt/r2c/ro/exe
$S exec /opt/r2c/ro/exe > /tmp/r2x.out 2>&1
echo "# exec ro/exe (read, no execute): exit $?; $(/tmp/r2x-free stat /opt/r2c/ro/exe)"

# --- legitimate: futimens on its own memfd, pipe, O_TMPFILE in rw.
for op in futimens-memfd futimens-pipe "tmpfile /opt/r2c/rw" "tmpfile $E/rw"; do
	expect_ok "legitimate $op" $S $op
done

umount /mnt/r2e /mnt/r2f
finish
