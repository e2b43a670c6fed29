#!/bin/sh
# Priorities of processes outside the domain (regressions): PRIO_USER,
# PRIO_PGRP on a group whose members are partly inside, ioprio_set by user
# and group. And the autogroup: writing one's own /proc/self/autogroup
# (always allowed, "own /proc") sets the nice value of the whole session's
# autogroup, which processes outside the domain share.
. /tests/attack.sh
load_module

rm -rf /opt/sd && mkdir -p /opt/sd
cp /tests/bin/privop /opt/sd/privop
unique /bin/busybox /opt/sd/sh
unique /tests/bin/privop /tmp/privop-free
manifest /opt/sd sd privop
manifest /opt/sd sdsh sh
expect_ok "load" charter load --allow-unsigned /opt/sd/sd.yml /opt/sd/sdsh.yml
S=/opt/sd/privop
F=/tmp/privop-free

$F group-hold /tmp/sd.grp & holder=$!
sleep 1
read -r pgid child < /tmp/sd.grp || fail "group-hold"
$S join-pgrp $pgid & member=$!
sleep 1
[ "$(awk '{print $5}' /proc/$member/stat)" = "$pgid" ] || fail "the confined member did not join"
n0=$($F nice $pgid); c0=$($F nice $child); i0=$($F ioprio $pgid)

$S prio-pgrp $pgid 7 > /dev/null 2>&1
pass "inside: setpriority(PRIO_PGRP) of a mixed group answered $?"
[ "$($F nice $pgid)" = "$n0" ] && [ "$($F nice $child)" = "$c0" ] ||
	escape "PRIO_PGRP changed the nice value of processes outside"
$S prio-user 0 9 > /dev/null 2>&1
pass "inside: setpriority(PRIO_USER, root) answered $?"
[ "$($F nice $pgid)" = "$n0" ] || escape "PRIO_USER changed the nice value of a process outside"
$S ioprio-pgrp $pgid > /dev/null 2>&1
$S ioprio-user 0 > /dev/null 2>&1
[ "$($F ioprio $pgid)" = "$i0" ] || escape "ioprio_set changed the I/O priority of a process outside"
expect_ok "outside: PRIO_PGRP works" $F prio-pgrp $pgid 3
[ "$($F nice $child)" = 3 ] || fail "PRIO_PGRP outside did nothing"
kill $member $child $holder

# The autogroup of a session shared with a process outside the domain.
setsid sh -c '
	sleep 30 & echo $! > /tmp/sd.out
	sleep 1
	/opt/sd/sh -c "echo 19 > /proc/self/autogroup" 2> /tmp/sd.err
	echo $? > /tmp/sd.rc
	wait' &
sleep 3
out=$(cat /tmp/sd.out)
ag=$(cat /proc/$out/autogroup)
echo "the outside process's autogroup: $ag (confined write exit $(cat /tmp/sd.rc): $(cat /tmp/sd.err))"
case "$ag" in
*"nice 19"*) escape "a confined write to /proc/self/autogroup reniced a process outside: $ag" ;;
*) pass "autogroup unchanged" ;;
esac
kill $out 2>/dev/null
finish
