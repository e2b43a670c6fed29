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
. /tests/fsmeta-setup.sh
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
