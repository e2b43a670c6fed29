#!/bin/sh
# Red team 16b: a task-list dump left half-read holds the module: rmmod
# during it is refused (else the next recv calls into freed module text).
. /tests/charter-test.sh
load_module
N=/tests/bin/ctlop

rm -rf /opt/u && mkdir -p /opt/u
cp /tests/bin/fileop /opt/u/outer
printf 'manifestVersion: v1\nname: u-outer\nrun: ./outer\nbaseline: none\nallowedDirectories:\n  - {name: bin, path: /bin, permission: readExecute}\n' > /opt/u/outer.yml
expect_ok "load" charter load --allow-unsigned /opt/u/outer.yml
i=0
while [ $i -lt 200 ]; do /opt/u/outer exec /bin/sleep 6 & i=$((i + 1)); done
sleep 2
dmesg -c > /dev/null
$N ps hold=14 > /tmp/u.out 2>&1 & h=$!
sleep 2
charter unload > /dev/null 2>&1
# Every confined process gone: only the dump holds the module now.
sleep 7
rmmod charter > /tmp/u.rm 2>&1; rc=$?
echo "rmmod during the dump: exit $rc: $(cat /tmp/u.rm)"
wait $h; hrc=$?
echo "dump: exit $hrc, $(grep entries /tmp/u.out)"
dmesg | grep -E 'BUG|WARNING|Oops|general protection|unable to handle' && fail "kernel complained"
[ $rc != 0 ] || { lsmod | grep -q charter && fail "rmmod said ok but the module stays"; fail "ESCAPE: the module unloaded under a running dump (and the dump's recv survived?)"; }
rmmod charter 2>/dev/null
modprobe charter
pass "rmmod refused while a dump is open"
