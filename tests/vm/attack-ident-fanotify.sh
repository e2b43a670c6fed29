#!/bin/sh
# vm-modules: loop ext4 crc32c_generic
# Mapping a manifested program PROT_EXEC without exec is refused: the mmap
# hook hashes the file. If the hash fails, the mapping must still be
# refused. A root outside every domain makes it fail with fanotify: a
# FAN_ACCESS_PERM mark on the program, denying the reads of the mapping
# process (the hash's). (ext2 on loop like ident-odirect.sh; any fs works.)
. /tests/charter-test.sh
load_module
modprobe loop || fail "modprobe loop"
modprobe crc32c_generic; modprobe ext4 || fail "modprobe ext4"

rm -rf /opt/fa /srv/fa /tmp/fa && mkdir -p /opt/fa /srv/fa /tmp/fa/mnt
echo secret > /srv/fa/secret
dd if=/dev/zero of=/tmp/fa/img bs=1M count=16 2>/dev/null
mke2fs -q -F /tmp/fa/img > /dev/null 2>&1 || mke2fs -F /tmp/fa/img > /dev/null || fail "mke2fs"
mount -o loop -t ext2 /tmp/fa/img /tmp/fa/mnt || mount -o loop -t ext4 /tmp/fa/img /tmp/fa/mnt || fail "mount"
APP=/tmp/fa/mnt/app
# One byte longer than /tests/bin/fileop: the helpers stay unmanifested.
cp /tests/bin/fileop $APP && printf '\0' >> $APP
cp $APP /tmp/fa/mnt/twin && printf X | dd of=/tmp/fa/mnt/twin bs=1 seek=200 conv=notrunc 2>/dev/null
printf 'manifestVersion: v1\nname: fa-app\nrun: ./app\nbaseline: none\n' > /tmp/fa/mnt/app.yml
expect_ok "load" charter load --allow-unsigned /tmp/fa/mnt/app.yml
expect_errno "the manifested program is confined" $EACCES $APP read /srv/fa/secret
# A write open (no write) forgets the digest the exec cached.
# The same fail-open through fanotify: an outside root denies the reads
# the hash makes (FAN_ACCESS_PERM on the file, for the mapping process).
# A file of the program's size that cannot be read cannot be told from it:
# refused too (fail closed); one of another size maps as usual.
expect_errno "fanotify-denied reads: same size, not manifested: refused" $EACCES identop fan-deny /tmp/fa/mnt/twin fileop mmap-exec /tmp/fa/mnt/twin
echo >> /tmp/fa/mnt/twin
expect_ok "fanotify-denied reads: another size maps PROT_EXEC" identop fan-deny /tmp/fa/mnt/twin fileop mmap-exec /tmp/fa/mnt/twin
: >> $APP
expect_errno "fanotify denies the hash's reads: mapping the program PROT_EXEC" $EACCES identop fan-deny $APP fileop mmap-exec $APP
umount /tmp/fa/mnt
rm -rf /tmp/fa /opt/fa /srv/fa
