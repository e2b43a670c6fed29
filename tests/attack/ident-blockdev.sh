#!/bin/sh
# vm-modules: loop ext4 crc32c_generic
# A cached digest must be that of the content now. A file on a disk
# filesystem can change under the filesystem: a write to its block device
# (here: to the loop device's backing file) opens no file of the mounted
# filesystem, takes no write access to its inode, and leaves its size,
# times and i_version alone. Once the old pages are out of the page cache
# (posix_fadvise DONTNEED: anyone who can read the file), the file reads as
# the new bytes. Here a copy one byte apart from a manifested program is
# executed (hashed: not manifested; cached), then turned into the program's
# exact bytes under the filesystem and executed again: it must be confined.
. /tests/charter-test.sh
load_module
modprobe loop || fail "modprobe loop"
modprobe crc32c_generic; modprobe ext4 || fail "modprobe ext4"

rm -rf /opt/bd /srv/bd /tmp/bd && mkdir -p /opt/bd /srv/bd /tmp/bd/mnt
echo secret > /srv/bd/secret
cp /tests/bin/fileop /opt/bd/app
printf 'manifestVersion: v1\nname: bd-app\nrun: ./app\nbaseline: none\n' > /opt/bd/app.yml
APP=/opt/bd/app
SECRET=/srv/bd/secret
expect_ok "load" charter load --allow-unsigned /opt/bd/app.yml
expect_errno "the manifested program is confined" $EACCES $APP read $SECRET

dd if=/dev/zero of=/tmp/bd/img bs=1M count=16 2>/dev/null
mke2fs -q -F /tmp/bd/img > /dev/null 2>&1 || mke2fs -F /tmp/bd/img > /dev/null || fail "mke2fs"
LOOP=$(losetup -f) || fail "no free loop device"
losetup "$LOOP" /tmp/bd/img || fail "losetup"
mount -t ext2 "$LOOP" /tmp/bd/mnt || mount -t ext4 "$LOOP" /tmp/bd/mnt || fail "mount"

# The copy: byte 41 (section header offset, unused by loading) inverted.
cp $APP /tmp/bd/mnt/app
printf '\377' | dd of=/tmp/bd/mnt/app bs=1 seek=41 conv=notrunc 2>/dev/null
sync
cmp -s /tmp/bd/mnt/app $APP && fail "the copy is the program"
expect_ok "the changed copy is another program (hashed, cached)" /tmp/bd/mnt/app read $SECRET
stat -c '%s %Y %Z %i' /tmp/bd/mnt/app > /tmp/bd/before

identop patch /tmp/bd/img /tmp/bd/mnt/app $APP 41 || fail "patch the image"
identop evict /tmp/bd/mnt/app || fail "evict"
cmp -s /tmp/bd/mnt/app $APP || fail "the file did not become the program"
stat -c '%s %Y %Z %i' /tmp/bd/mnt/app > /tmp/bd/after
cmp -s /tmp/bd/before /tmp/bd/after || fail "size, times or inode changed (not the route)"
pass "the file now holds the manifested program's bytes; size, times, inode unchanged"
expect_errno "written under the filesystem (block device): confined" $EACCES /tmp/bd/mnt/app read $SECRET

umount /tmp/bd/mnt
losetup -d "$LOOP"
rm -rf /tmp/bd /opt/bd /srv/bd
