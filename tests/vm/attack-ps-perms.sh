#!/bin/sh
# Red team 16b: who may dump CHARTER_CMD_TASK_LIST (charter ps)? Not
# nobody, not a socket root opened and then handed to (or kept by) an
# unprivileged process for the rest of the dump, not a socket nobody
# opened, not root of a user namespace; a pid namespace lists only its own.
. /tests/charter-test.sh
load_module
N=/tests/bin/ctlop

rm -rf /opt/p && mkdir -p /opt/p
cp /tests/bin/fileop /opt/p/outer
printf 'manifestVersion: v1\nname: p-outer\nrun: ./outer\nbaseline: none\nallowedDirectories:\n  - {name: bin, path: /bin, permission: readExecute}\n  - {name: t, path: /tests/bin, permission: readExecute}\n  - {name: me, path: /opt/p, permission: readExecute}\n' > /opt/p/outer.yml
expect_ok "load" charter load --allow-unsigned /opt/p/outer.yml
i=0
while [ $i -lt 300 ]; do /opt/p/outer exec /bin/sleep 120 & i=$((i + 1)); done
sleep 3

$N ps > /tmp/p.root 2>&1 || fail "root ps: $(tail -3 /tmp/p.root)"
total=$(sed -n 's/^entries //p' /tmp/p.root)
[ "$total" -ge 300 ] || fail "root listed only $total"
pass "root lists $total"

su -s /bin/sh nobody -c "$N ps" > /tmp/p.out 2>&1; rc=$?
cat /tmp/p.out | tail -2
[ $rc = $EPERM ] || fail "nobody: exit $rc: $(tail -3 /tmp/p.out)"
grep -q '^entries 0$' /tmp/p.out || fail "nobody got entries: $(tail -2 /tmp/p.out)"
pass "nobody refused"

$N ps drop=65534 > /tmp/p.out 2>&1; rc=$?
got=$(sed -n 's/^entries //p' /tmp/p.out)
echo "drop: exit $rc, $got of $total entries"
[ "$got" -lt "$total" ] || fail "ESCAPE: the dump went on after the receiver dropped to nobody ($got of $total)"
[ $rc = $EPERM ] || fail "drop: exit $rc (want EPERM)"
pass "a dump started by root and read on by nobody stops at the first batch"

$N ps opener=65534 > /tmp/p.out 2>&1; rc=$?
grep -q '^entries 0$' /tmp/p.out || fail "ESCAPE: a socket nobody opened listed: $(tail -2 /tmp/p.out)"
[ $rc = $EPERM ] || fail "opener: exit $rc"
pass "a socket nobody opened: refused"

$N ps userns > /tmp/p.out 2>&1; rc=$?
grep -q '^entries 0$' /tmp/p.out || fail "root of a user namespace listed: $(tail -2 /tmp/p.out)"
[ $rc = $EPERM ] || fail "userns: exit $rc: $(cat /tmp/p.out)"
pass "root of a user namespace: refused"

$N ps pidns > /tmp/p.out 2>&1; rc=$?
[ $rc = 0 ] || fail "pidns: exit $rc: $(cat /tmp/p.out)"
grep -q '^entries 0$' /tmp/p.out || fail "a new pid namespace lists processes of its parent: $(tail -5 /tmp/p.out)"
pass "a new pid namespace lists none of its parent's"

# From inside a domain (confined root, CAP_MAC_ADMIN): informational.
/opt/p/outer exec $N ps > /tmp/p.out 2>&1; rc=$?
echo "INFO: confined root's ps: exit $rc, $(grep '^entries' /tmp/p.out) $(grep ctlop /tmp/p.out | head -1)"
/opt/p/outer exec $N ps pidns > /tmp/p.out 2>&1; rc=$?
echo "INFO: confined root's ps in a new pidns: exit $rc, $(tail -2 /tmp/p.out)"
kill $(jobs -p) 2>/dev/null
pass "ps permissions"
