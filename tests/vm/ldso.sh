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
dmesg | grep -q "charter: denied map a manifested program without exec /opt/ld/app for ld" || fail "no log line"
cp /tests/bin/fileop-dyn /tmp/plain && echo >> /tmp/plain
[ "$($LDSO /tmp/plain read /srv/ld/secret)" = secret ] || fail "ld.so broke for an ordinary program"
pass "ld.so runs programs without a manifest"

# A hand-made loader: map it readable, then mprotect() PROT_EXEC. Under
# mmap_lock there is no hashing: only a cached digest can clear a file of
# a manifested size.
expect_errno "mprotect PROT_EXEC of a manifested program, unconfined" $EACCES /tmp/plain mprotect-exec /opt/ld/app
dmesg | grep -q "charter: denied mprotect PROT_EXEC of a .*/opt/ld/app" || fail "no log line for mprotect"
cp /opt/ld/app /tmp/twin && printf X | dd of=/tmp/twin bs=1 seek=200 conv=notrunc 2>/dev/null
cp /tmp/twin /tmp/twin2
expect_errno "same size, not manifested, digest not known yet" $EACCES /tmp/plain mprotect-exec /tmp/twin
expect_ok "mapped PROT_EXEC once (hashed: not manifested)" /tmp/plain mmap-exec /tmp/twin
expect_ok "then mprotect PROT_EXEC is allowed" /tmp/plain mprotect-exec /tmp/twin
expect_ok "a file of another size: mprotect PROT_EXEC as usual" /tmp/plain mprotect-exec /tmp/ld.out
