#!/bin/sh
# vm-modules: loop ext4 crc32c_generic
# Cached digests are keyed on (super_block pointer, inode number,
# generation) plus size, times and i_version, and are never dropped when the
# inode or the filesystem goes away. Unmount a disk filesystem, change a
# file's data in the image offline, mount it again: the new super_block may
# sit where the old one was, and ext2 keeps inode number, generation, times
# and size on disk. A copy one byte apart from a manifested program is
# executed (cached: not manifested), the image is changed to hold the
# program's exact bytes, remounted, and the file executed: confined.
. /tests/charter-test.sh
load_module
modprobe loop || fail "modprobe loop"
modprobe crc32c_generic; modprobe ext4 || fail "modprobe ext4"

rm -rf /opt/rm /srv/rm /tmp/rm && mkdir -p /opt/rm /srv/rm /tmp/rm/mnt
echo secret > /srv/rm/secret
cp /tests/bin/fileop /opt/rm/app
printf 'manifestVersion: v1\nname: rm-app\nrun: ./app\nbaseline: none\n' > /opt/rm/app.yml
APP=/opt/rm/app
SECRET=/srv/rm/secret
expect_ok "load" charter load --allow-unsigned /opt/rm/app.yml
expect_errno "the manifested program is confined" $EACCES $APP read $SECRET

dd if=/dev/zero of=/tmp/rm/img bs=1M count=16 2>/dev/null
mke2fs -q -F /tmp/rm/img > /dev/null 2>&1 || mke2fs -F /tmp/rm/img > /dev/null || fail "mke2fs"
LOOP=$(losetup -f) || fail "no free loop device"
losetup "$LOOP" /tmp/rm/img || fail "losetup"
mnt() { mount -o noatime -t ext2 "$LOOP" /tmp/rm/mnt || mount -o noatime -t ext4 "$LOOP" /tmp/rm/mnt || fail "mount"; }
mnt
cp $APP /tmp/rm/mnt/app
printf '\377' | dd of=/tmp/rm/mnt/app bs=1 seek=41 conv=notrunc 2>/dev/null
cp /tmp/rm/mnt/app /tmp/rm/changed
umount /tmp/rm/mnt

i=0
while [ $i -lt 6 ]; do
	i=$((i + 1))
	mnt
	cmp -s /tmp/rm/mnt/app /tmp/rm/changed || fail "round $i: not the changed copy"
	expect_ok "round $i: the changed copy is another program, not confined (a stale digest of the program would confine it)" /tmp/rm/mnt/app read $SECRET
	umount /tmp/rm/mnt
	identop patch /tmp/rm/img /tmp/rm/changed $APP 41 2>/dev/null || fail "patch to the program"
	mnt
	cmp -s /tmp/rm/mnt/app $APP || fail "round $i: not the program"
	expect_errno "round $i: the program's bytes after a remount: confined" $EACCES /tmp/rm/mnt/app read $SECRET
	umount /tmp/rm/mnt
	identop patch /tmp/rm/img $APP /tmp/rm/changed 41 2>/dev/null || fail "patch back"
done
losetup -d "$LOOP"
rm -rf /tmp/rm /opt/rm /srv/rm
