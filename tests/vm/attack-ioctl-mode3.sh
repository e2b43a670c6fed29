#!/bin/sh
# vm-modules: loop
# Attack (route: the ioctl hook, kernel.c charter_hook_file_ioctl(), and
# the open that hands it a descriptor, fs.c charter_hook_file_open()). A
# device is judged by its class when it is opened; its ioctls are not
# judged again (charter_check_fs_ioctl() returns 0 for what is neither a
# regular file nor a directory). open(2) with O_ACCMODE 3 ("ioctl only":
# neither FMODE_READ nor FMODE_WRITE, the mode fdisk and LILO use) asks
# file_open for nothing, which Charter lets through as it does O_PATH,
# before the device check. A confined root with no device class then
# opens a block device that way and makes its ioctls: BLKROSET
# (CAP_SYS_ADMIN, no FMODE_WRITE needed) turns the loop device of another
# program's image read-only for everyone. BLKPG (partitions), BLKRRPART,
# loop's LOOP_SET_STATUS64 and LOOP_CLR_FD, evdev's EVIOCSKEYCODE and
# more need no FMODE_WRITE either. A regular file outside the manifest
# opened with mode 3 is what attack-ioctl-crossfile.sh's FIDEDUPERANGE
# and reader ioctls use (printed here as a note).
# ESCAPE when the confined call works; the same call is made outside the
# domain first, where it must work. BLKROSET worked when first run (red
# team); fs.c charter_open_access() now judges open(path, 3) as read and
# write, as the kernel's own permission check (ACC_MODE()) does.
. /tests/attack.sh
load_module
modprobe loop || fail "modprobe loop"
F=/tmp/m3-free

mkdir -p /opt/m3 /srv/m3
cp /tests/bin/ioctlatk /opt/m3/ioctlatk
unique /tests/bin/ioctlatk $F
S=/opt/m3/ioctlatk
manifest /opt/m3 m3 ioctlatk "  - {name: rw, path: /srv/m3, permission: readWrite}"
expect_ok "load" charter load --allow-unsigned /opt/m3/m3.yml

dd if=/dev/zero of=/tmp/m3.img bs=1M count=4 2>/dev/null
dev=$(losetup -f) || fail "no free loop device"
losetup "$dev" /tmp/m3.img || fail "losetup $dev"
echo "# $dev holds /tmp/m3.img"
roget() { $F blkro "$dev"; }

refused "open $dev O_RDONLY inside (no device class)" $EPERM,$EACCES $S cat "$dev"
[ "$(roget)" = 0 ] || fail "$dev is read-only already"
expect_ok "BLKROSET 1 outside, mode 3" $F blkro "$dev" 1
[ "$(roget)" = 1 ] || fail "BLKROSET outside changed nothing"
expect_ok "BLKROSET 0 outside" $F blkro "$dev" 0
refused "BLKROSET 1 inside, $dev opened with mode 3" $EPERM,$EACCES $S blkro "$dev" 1
if [ "$(roget)" != 0 ]; then
	escape "BLKROSET inside made $dev read-only for everyone"
	$F blkro "$dev" 0
fi

echo SECRET-M3 > /tmp/m3-secret
$S open3 /tmp/m3-secret > /tmp/m3.out 2>&1
echo "# note: open(/tmp/m3-secret, 3) inside, outside the manifest: exit $? $(cat /tmp/m3.out)"
expect_errno "open(/tmp/m3-secret, O_RDONLY) inside" $EACCES $S cat /tmp/m3-secret

losetup -d "$dev"
rm -f /tmp/m3.img /tmp/m3-secret
finish
