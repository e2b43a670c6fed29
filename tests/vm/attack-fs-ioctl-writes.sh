#!/bin/sh
# vm-modules: ext4 loop crc32c_generic vfat nls_cp437 nls_iso8859-1 nls_ascii nls_utf8
# ioctls that change a file or directory the domain may only read, from a
# descriptor open for reading, reaching neither vfs_utimes() nor a path
# hook (kmod/fs.c, charter_check_fs_ioctl(): every ioctl of a regular file
# or directory but those that only read needs write on its path; a red-team
# run found these before): vfat's FAT_IOCTL_SET_ATTRIBUTES (a chmod:
# ATTR_RO takes the write bits), ext4's FS_IOC_SETVERSION /
# EXT4_IOC_SETVERSION (ctime, i_generation: NFS file handles),
# EXT4_IOC_MIGRATE (block map to extents, ctime),
# FS_IOC_SET_ENCRYPTION_POLICY on an empty directory (ctime; for good:
# nobody creates a name in it without the key), and EXT4_IOC_SETFSUUID
# (the filesystem's UUID: refused, as FS_IOC_SETFSLABEL is). Each is also
# run unconfined on another file to show it has an effect; the same on a
# readWrite file works, and the ioctls that only read work on read-only
# files.
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
# --- vfat attributes (ATTR_RO makes it r-x).
effect "FAT_IOCTL_SET_ATTRIBUTES RO" /mnt/r2f/ro/g "" $F fat-attr /mnt/r2f/ro/g 1
expect_ok "FAT_IOCTL_SET_ATTRIBUTES on rw/f (readWrite)" $S fat-attr /mnt/r2f/rw/f 1
kept "FAT_IOCTL_SET_ATTRIBUTES RO on ro/f (read only)" /mnt/r2f/ro/f \
	"/tmp/r2x-free fat-get /mnt/r2f/ro/f" $S fat-attr /mnt/r2f/ro/f 1
kept "FAT_IOCTL_SET_ATTRIBUTES HIDDEN|SYS on ro/f" /mnt/r2f/ro/f \
	"/tmp/r2x-free fat-get /mnt/r2f/ro/f" $S fat-attr /mnt/r2f/ro/f 6
kept "ia32 FAT_IOCTL_SET_ATTRIBUTES on ro/f" /mnt/r2f/ro/f \
	"/tmp/r2x-free fat-get /mnt/r2f/ro/f" $S c-fat-attr /mnt/r2f/ro/f 1
kept "FAT_IOCTL_SET_ATTRIBUTES on the directory ro" /mnt/r2f/ro \
	"/tmp/r2x-free fat-get /mnt/r2f/ro" $S fat-attr /mnt/r2f/ro 2

# --- ext4 inode generation.
effect "FS_IOC_SETVERSION" $E/ro/g "/tmp/r2x-free getver $E/ro/g" $F setver $E/ro/g 4242
expect_ok "FS_IOC_SETVERSION on rw/f (readWrite)" $S setver $E/rw/f 77
kept "FS_IOC_SETVERSION on ro/f" $E/ro/f "/tmp/r2x-free getver $E/ro/f" $S setver $E/ro/f 7
kept "EXT4_IOC_SETVERSION on ro/f" $E/ro/f "/tmp/r2x-free getver $E/ro/f" $S setver-f $E/ro/f 8
kept "FS_IOC_SETVERSION on the directory ro" $E/ro "/tmp/r2x-free getver $E/ro" $S setver $E/ro 9

# --- ext4 block map.
effect "EXT4_IOC_MIGRATE" $E/ro/g "/tmp/r2x-free getflags $E/ro/g" $F migrate $E/ro/g
kept "EXT4_IOC_MIGRATE on ro/f" $E/ro/f "/tmp/r2x-free getflags $E/ro/f" $S migrate $E/ro/f

# --- fscrypt policy on an empty directory it may only read.
effect "FS_IOC_SET_ENCRYPTION_POLICY" $E/ro/empty2 "/tmp/r2x-free getpol $E/ro/empty2" \
	$F encpol $E/ro/empty2
kept "FS_IOC_SET_ENCRYPTION_POLICY on ro/empty" $E/ro/empty \
	"/tmp/r2x-free getpol $E/ro/empty" $S encpol $E/ro/empty

# --- ioctls that only read, on files it may only read.
expect_ok "FS_IOC_GETFLAGS on ro/f" $S getflags $E/ro/f
expect_ok "FS_IOC_GETVERSION on ro/f" $S getver $E/ro/f
expect_ok "FS_IOC_GETVERSION on the directory ro" $S getver $E/ro
expect_ok "EXT4_IOC_GETFSUUID from ro/f" $S getuuid $E/ro/f
expect_ok "FAT_IOCTL_GET_ATTRIBUTES on ro/f" $S fat-get /mnt/r2f/ro/f

# --- the filesystem's UUID (last: the unconfined one changes it).
effect "EXT4_IOC_SETFSUUID" $E/ro/g "/tmp/r2x-free getuuid $E/ro/g" $F setuuid $E/ro/g 11
kept "EXT4_IOC_SETFSUUID from ro/f" $E/ro/f "/tmp/r2x-free getuuid $E/ro/f" $S setuuid $E/ro/f 5a


umount /mnt/r2e /mnt/r2f
finish
