#!/bin/sh
# Attack (route: kmod/cred.c since entries are freed at once into a
# SLAB_TYPESAFE_BY_RCU cache; red team 17i). A confined root process with
# a thousand threads replacing their creds as fast as they can (about
# 20000 a second under TCG): every replaced cred waits a grace period for
# put_cred_rcu(), keeping its entry, so chains grow long, and each
# lookup (each refused open, each cred_free in the RCU callback) walks
# them and starts over whenever an entry freed and reused at once moved
# under it. Measured on 6.1 (TCG, 2 vCPUs), one run each: the kfree_rcu
# entries of a020598^ peaked at 28000 creds waiting (26 MB of slab); the
# current code once had 119000 waiting (70 MB at 6 s, climbing) and once
# peaked at 12000 (25 MB); with naps 2.5 times shorter and a UDP socket,
# one guest died of OOM (833 MB of unreclaimable slab). Noisy: a guard,
# not a proof.
# PASSES when unreclaimable slab stays under 200 MB all along.
. /tests/attack.sh
load_module
D=/opt/cb S=/srv/cb
rm -rf $D $S && mkdir -p $D $S/ok $S/secret
echo ok > $S/ok/f; echo secret > $S/secret/f
unique /tests/bin/credchurn $D/app
manifest $D app app "  - {name: ok, path: $S/ok, permission: read}"
charter load --allow-unsigned $D/app.yml > /dev/null || fail "load"
base=$(sed -n 's/^SUnreclaim: *\([0-9]*\).*/\1/p' /proc/meminfo)
$D/app 12 1000 $S/ok/f $S/secret/f 0 > /tmp/cb.out 2>&1 & app=$!
peak=0 t=0 over=
while kill -0 $app 2> /dev/null; do
	s=$(sed -n 's/^SUnreclaim: *\([0-9]*\).*/\1/p' /proc/meminfo)
	[ "$s" -gt "$peak" ] && peak=$s
	echo "t=$t SUnreclaim ${s} kB, $(grep -E '^(cred_jar|charter_cred) ' /proc/slabinfo | awk '{print $1, $2}' | tr '\n' ' ')"
	if [ "$s" -gt 204800 ]; then
		over="t=$t: $s kB of unreclaimable slab ($base kB before), $(grep -E '^(cred_jar|charter_cred) ' /proc/slabinfo | awk '{print $1, $2}' | tr '\n' ' ')"
		kill -9 $app
		break
	fi
	sleep 1; t=$((t + 1))
done
wait $app; rc=$?
[ -z "$over" ] || escape "CRASH: creds waiting to be freed pile up (the way to OOM): $over"
[ -n "$over" ] || case $rc in
	0) pass "peak $peak kB of unreclaimable slab ($base kB before): $(tail -1 /tmp/cb.out)" ;;
	1) escape "$(tail -1 /tmp/cb.out)" ;;
	*) fail "nothing ran (exit $rc): $(tail -1 /tmp/cb.out)" ;;
esac
sleep 3
charter status 2>&1 | grep -q '^confined tasks *0 (0 credentials)' ||
	escape "credentials left in the table: $(charter status 2>&1 | grep confined)"
finish
