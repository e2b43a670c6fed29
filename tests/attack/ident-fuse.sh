#!/bin/sh
# vm-modules: fuse
# A cached digest must be that of the content now. On FUSE the content is
# whatever the server answers: it can change with no writer, and with the
# size, times (and no i_version) the server reports left as they were; an
# open without FOPEN_KEEP_CACHE drops the page cache. A file whose first
# open reads a copy one byte apart from a manifested program and whose
# later opens read the program's exact bytes is executed twice: the second
# run must be confined.
. /tests/charter-test.sh
load_module
modprobe fuse || fail "modprobe fuse"
[ -c /dev/fuse ] || mknod /dev/fuse c 10 229 || fail "no /dev/fuse"

rm -rf /opt/fu /srv/fu /tmp/fu && mkdir -p /opt/fu /srv/fu /tmp/fu/mnt
echo secret > /srv/fu/secret
cp /tests/bin/fileop /opt/fu/app
printf 'manifestVersion: v1\nname: fu-app\nrun: ./app\nbaseline: none\n' > /opt/fu/app.yml
APP=/opt/fu/app
SECRET=/srv/fu/secret
expect_ok "load" charter load --allow-unsigned /opt/fu/app.yml
expect_errno "the manifested program is confined" $EACCES $APP read $SECRET

cp $APP /tmp/fu/changed
printf '\377' | dd of=/tmp/fu/changed bs=1 seek=41 conv=notrunc 2>/dev/null
fuseflip /tmp/fu/mnt /tmp/fu/changed $APP || fail "fuseflip"
expect_ok "first open: the changed copy, another program (hashed, cached)" /tmp/fu/mnt/app read $SECRET
cmp -s /tmp/fu/mnt/app $APP || fail "later opens do not read the program"
pass "the file now reads as the manifested program; attributes unchanged"
expect_errno "the program's bytes from a FUSE server: confined" $EACCES /tmp/fu/mnt/app read $SECRET
umount /tmp/fu/mnt
rm -rf /tmp/fu /opt/fu /srv/fu
