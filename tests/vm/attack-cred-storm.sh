#!/bin/sh
# Attack (route: the credential map's entries released with their domain
# reference dropped at once and their memory by kfree_rcu(), red17e,
# kmod/cred.c). A storm of confined creds made and freed (fork, exec,
# exit, threads with their own creds, KEYCTL_SESSION_TO_PARENT through
# credrace) while unconfined tasks look them up from outside (charter ps
# and status: the task dump walks __task_cred() under RCU; kill -0,
# /proc/PID/status, renice: the task hooks), and policy reloads swap the
# manifests under the domains. PASSES when no confined task ever opens the
# secret (credrace's own check, every round), every confined program that
# runs stays confined (a fresh one and a long-lived one), the table ends
# empty (nothing leaked, nothing freed twice), and the kernel logs no
# Oops, WARNING or BUG (vm.sh fails the test on those).
. /tests/attack.sh
load_module

D=/opt/cs S=/srv/cs
rm -rf $D $S && mkdir -p $D $S/ok $S/secret
echo ok > $S/ok/f; echo secret > $S/secret/f
chmod 0644 $S/ok/f $S/secret/f
unique /tests/bin/credrace $D/app
manifest $D app app "  - {name: ok, path: $S/ok, permission: read}"
unique /tests/bin/execatk $D/ex
manifest $D ex ex "  - {name: ok, path: $S/ok, permission: readExecute}"
cp /tests/bin/execatk $S/ok/payload
unique /tests/bin/fileop $D/fo
manifest $D fo fo "  - {name: ok, path: $S/ok, permission: read}"
unique /tests/bin/netop $D/nr
manifest $D nr nr "allowedNetwork:
  - {name: svc, direction: inbound, ip: 127.0.0.1, protocol: udp, port: 7000}"
Y="$D/app.yml $D/ex.yml $D/fo.yml $D/nr.yml"
charter load --allow-unsigned $Y > /dev/null || fail "load"

# A long-lived confined task, asked about from outside all along.
$D/nr recv udp 127.0.0.1 7000 120 > /tmp/cs.nr 2>&1 & nr=$!
STOP=/tmp/cs.stop
rm -f $STOP

# Lookers: from outside, over and over.
(
	while [ ! -e $STOP ]; do
		charter ps > /dev/null 2>&1
		charter status > /dev/null 2>&1
		charter ps --json > /dev/null 2>&1
	done
) & l1=$!
(
	while [ ! -e $STOP ]; do
		for p in /proc/[0-9]*; do
			pid=${p#/proc/}
			kill -0 "$pid" 2> /dev/null
			cat "$p/status" > /dev/null 2>&1
			renice -n 0 -p "$pid" > /dev/null 2>&1
		done
	done
) & l2=$!
# Reloads: the manifests swapped under live domains.
(
	while [ ! -e $STOP ]; do
		charter load --allow-unsigned $Y > /dev/null 2>&1
		sleep 0.2
	done
) & l3=$!
# Fork/exec/exit: confined programs starting, execing and dying.
(
	while [ ! -e $STOP ]; do
		$D/ex threads 4 $S/ok/payload > /dev/null 2>&1 &
		$D/ex path $S/ok/payload > /dev/null 2>&1
		$D/fo fork-read $S/ok/f > /dev/null 2>&1
		wait
	done
) & l4=$!

for round in 1 2 3; do
	$D/app 5 $S/ok/f $S/secret/f > /tmp/cs.out 2>&1
	rc=$?
	case $rc in
	0) pass "round $round: $(cat /tmp/cs.out)" ;;
	1) escape "round $round: the secret opened: $(cat /tmp/cs.out)" ;;
	*) fail "round $round: nothing ran (exit $rc): $(cat /tmp/cs.out)" ;;
	esac
	refused "round $round: a fresh confined program" 13 $D/fo read $S/secret/f
done
touch $STOP
wait $l1 $l2 $l3 $l4

# The long-lived one is still listed, in its manifest.
charter ps > /tmp/cs.ps 2>&1
grep -q "^ *$nr .*nr" /tmp/cs.ps ||
	escape "the long-lived confined task left its domain: $(cat /tmp/cs.ps)"
pass "the long-lived task is still confined: $(grep "^ *$nr " /tmp/cs.ps)"
/tests/bin/netop on udp bind 127.0.0.2 0 sendto 127.0.0.1 7000 > /dev/null
/tests/bin/netop on udp sendto 127.0.0.1 7000 > /dev/null
sleep 0.5
kill -TERM $nr; wait $nr
[ "$(cat /tmp/cs.nr)" = 1 ] || escape "the long-lived task's socket got $(cat /tmp/cs.nr) bytes, not 1 (its peer rule)"
pass "its socket still hears the granted peer only"
sleep 3
charter status > /tmp/cs.status 2>&1
grep -q '^confined tasks *0 (0 credentials)' /tmp/cs.status ||
	escape "credentials left in the table: $(grep confined /tmp/cs.status)"
pass "the table is empty again"
finish
