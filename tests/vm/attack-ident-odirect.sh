#!/bin/sh
# vm-modules: loop ext4 crc32c_generic
# Mapping a manifested program PROT_EXEC without exec is refused: the mmap
# hook hashes the file through the descriptor being mapped. A descriptor
# opened O_DIRECT cannot be read into a kernel buffer (direct I/O of a
# kvec fails), so the hash fails; the mapping must still be refused, not
# allowed because no digest could be taken. ext2 on a loop device
# (tmpfs has no O_DIRECT).
. /tests/charter-test.sh
load_module
modprobe loop || fail "modprobe loop"
modprobe crc32c_generic; modprobe ext4 || fail "modprobe ext4"

rm -rf /opt/od /srv/od /tmp/od && mkdir -p /opt/od /srv/od /tmp/od/mnt
echo secret > /srv/od/secret
dd if=/dev/zero of=/tmp/od/img bs=1M count=16 2>/dev/null
mke2fs -q -F /tmp/od/img > /dev/null 2>&1 || mke2fs -F /tmp/od/img > /dev/null || fail "mke2fs"
mount -o loop -t ext2 /tmp/od/img /tmp/od/mnt || mount -o loop -t ext4 /tmp/od/img /tmp/od/mnt || fail "mount"
APP=/tmp/od/mnt/app
# One byte longer than /tests/bin/fileop: the helpers stay unmanifested.
cp /tests/bin/fileop $APP && printf '\0' >> $APP
cp $APP /tmp/od/mnt/twin && printf X | dd of=/tmp/od/mnt/twin bs=1 seek=200 conv=notrunc 2>/dev/null
printf 'manifestVersion: v1\nname: od-app\nrun: ./app\nbaseline: none\n' > /tmp/od/mnt/app.yml
expect_ok "load" charter load --allow-unsigned /tmp/od/mnt/app.yml
expect_errno "the manifested program is confined" $EACCES $APP read /srv/od/secret
# A file of the program's size that cannot be hashed cannot be told from
# it: refused too (fail closed); one of another size maps as usual.
expect_errno "O_DIRECT mapping of a same-size file without a manifest: refused" $EACCES identop map-direct /tmp/od/mnt/twin
echo >> /tmp/od/mnt/twin
expect_ok "O_DIRECT mapping PROT_EXEC of a file of another size" identop map-direct /tmp/od/mnt/twin
expect_errno "mapping it PROT_EXEC (ordinary descriptor)" $EACCES fileop mmap-exec $APP
# Executing it cached its digest: a write open (no write) forgets it, so
# the mmap hook must hash again.
: >> $APP
expect_errno "mprotect PROT_EXEC through an O_DIRECT descriptor (no cached digest)" $EACCES identop map-direct $APP mprotect
: >> $APP
expect_errno "mapping it PROT_EXEC through an O_DIRECT descriptor (no cached digest)" $EACCES identop map-direct $APP
umount /tmp/od/mnt
rm -rf /tmp/od /opt/od /srv/od
