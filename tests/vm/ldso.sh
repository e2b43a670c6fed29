#!/bin/sh
# A manifested program runs only through exec, which confines it: running
# it through the dynamic loader (ld.so ./app), which maps it without exec,
# is refused. Programs without a manifest run through ld.so as usual.
. /tests/charter-test.sh
load_module

LDSO=/lib64/ld-linux-x86-64.so.2
[ -e $LDSO ] || fail "no $LDSO"
rm -rf /opt/ld && mkdir -p /opt/ld /srv/ld
echo secret > /srv/ld/secret
cp /tests/bin/fileop-dyn /opt/ld/app
printf 'manifestVersion: v1\nname: ld\nrun: ./app\n' > /opt/ld/manifest.yml
expect_ok "load" charter load --allow-unsigned /opt/ld/manifest.yml

expect_errno "run by exec: confined" $EACCES /opt/ld/app read /srv/ld/secret
$LDSO /opt/ld/app read /srv/ld/secret > /tmp/ld.out 2>&1 && fail "ld.so ran it unconfined: $(cat /tmp/ld.out)"
grep -qx secret /tmp/ld.out && fail "read the secret through ld.so"
pass "ld.so cannot run a manifested program"
dmesg | grep -q "denied mapping ld's executable without exec" || fail "no log line"
cp /tests/bin/fileop-dyn /tmp/plain && echo >> /tmp/plain
[ "$($LDSO /tmp/plain read /srv/ld/secret)" = secret ] || fail "ld.so broke for an ordinary program"
pass "ld.so runs programs without a manifest"
