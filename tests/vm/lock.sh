#!/bin/sh
# vm-guest: own
# Lock: from then until reboot no policy or mode change and no unload.
. /tests/charter-test.sh
load_module

rm -rf /opt/lk && mkdir -p /opt/lk
echo x > /srv-lk-secret
cp /tests/bin/fileop /opt/lk/fileop
printf 'manifestVersion: v1\nname: lk\nrun: ./fileop\nbaseline: none\n' > /opt/lk/manifest.yml
expect_ok "load" charter load --allow-unsigned /opt/lk/manifest.yml
expect_ok "lock" charter lock
charter status | grep -q 'locked until reboot' || fail "status: $(charter status)"
for cmd in "unload" "mode complain" "mode complain --manifest lk" "load --allow-unsigned /opt/lk/manifest.yml" "lock"; do
	charter $cmd > /tmp/lk.out 2>&1 && fail "charter $cmd worked after lock"
	grep -q 'locked until reboot' /tmp/lk.out || fail "charter $cmd: $(cat /tmp/lk.out)"
done
pass "load, unload, mode and lock refused"
rmmod charter 2>/dev/null && fail "rmmod worked after lock"
grep -q '^charter ' /proc/modules || fail "module gone"
pass "rmmod refused"
expect_errno "policy still enforced" $EACCES /opt/lk/fileop read /srv-lk-secret
expect_ok "status still readable" charter status
