#!/bin/sh
# Attack (route: charter_cred_exit() freeing every entry of the
# SLAB_TYPESAFE_BY_RCU table and destroying its cache while creds churn;
# red team 17i). rmmod charter while a confined process with hundreds of
# threads on creds of their own replaces them over and over, forks
# children whose execs fail late, and its UDP socket hears a granted and
# a refused peer (softirq lookups of f_cred). PASSES when every round
# unloads with the table's count shown before it, the kernel log stays
# clean (no oops, WARN, BUG, KASAN or slab complaint: a cache destroyed
# with objects left says "Objects remaining"), and after a fresh load the
# table is empty and a new confined program is confined.
. /tests/attack.sh
ip link set lo up

D=/opt/cu S=/srv/cu P=7041
rm -rf $D $S && mkdir -p $D $S/ok $S/secret
echo ok > $S/ok/f; echo secret > $S/secret/f
chmod 0644 $S/ok/f $S/secret/f
unique /tests/bin/credchurn $D/app
manifest $D app app "  - {name: ok, path: $S/ok, permission: read}
allowedNetwork:
  - {name: in, direction: inbound, ip: 127.0.0.1, protocol: udp, port: $P}"
printf '#!/nonexistent/interp\n' > $D/badscript
head -c 4096 /dev/urandom > $D/junk
chmod 0755 $D/app $D/badscript $D/junk

dmesg -c > /dev/null
# Three rounds must unload while the table holds the app's creds; a
# loaded host (CI runs two guests on two cores) may start the app's
# threads so late that a round sees none: that round is not counted.
counted=0 H=200
debug_kernel && H=40
for round in 1 2 3 4 5 6; do
	[ $counted -ge 3 ] && break
	load_module
	charter load --allow-unsigned $D/app.yml > /dev/null || fail "load, round $round"
	/tests/bin/credchurn send $P 12 > /dev/null 2>&1 & snd=$!
	$D/app 12 $H $S/ok/f $S/secret/f $P $D/junk $D/badscript > /tmp/cu.out 2>&1 & app=$!
	i=0
	while ! grep -qs ready /tmp/cu.out && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	st= i=0
	while kill -0 $app 2> /dev/null && [ $i -lt 60 ]; do
		st=$(charter status 2>&1 | grep '^confined tasks')
		case "$st" in
		*"(0 credentials)"*|"") st= ;;
		*) break ;;
		esac
		sleep 0.25; i=$((i + 1))
	done
	if [ -z "$st" ]; then
		kill -0 $app 2> /dev/null &&
			fail "round $round: the app runs but nothing is confined: $(charter status 2>&1 | grep confined)"
		pass "round $round: the app ended before the table could be read (a loaded host): not counted"
		rmmod charter || fail "rmmod, round $round"
		kill $snd 2> /dev/null; wait $app $snd 2> /dev/null
		continue
	fi
	sleep 1	# churn on
	rmmod charter || fail "rmmod under churn, round $round"
	sleep 1	# and on, with no module
	kill $app $snd 2> /dev/null; wait $app $snd 2> /dev/null
	if dmesg | grep -E "BUG|WARNING|Oops|general protection|RIP:|KASAN|lockdep|Objects remaining|scheduling while atomic|sleeping function" > /tmp/cu.klog; then
		escape "round $round: kernel log: $(head -20 /tmp/cu.klog)"
		break
	fi
	grep -q charter_cred /proc/slabinfo 2> /dev/null &&
		escape "round $round: the charter_cred cache outlived the module: $(grep charter_cred /proc/slabinfo)"
	pass "round $round: unloaded under churn (before it: $st), kernel log clean"
	counted=$((counted + 1))
done
[ $counted -ge 3 ] || fail "only $counted of 6 rounds unloaded with creds in the table"

# Loaded again: the table starts empty and confines anew.
load_module
charter load --allow-unsigned $D/app.yml > /dev/null || fail "load after the rounds"
charter status 2>&1 | grep -q '^confined tasks *0 (0 credentials)' ||
	escape "a fresh load's table is not empty: $(charter status 2>&1 | grep confined)"
$D/app 2 50 $S/ok/f $S/secret/f 0 > /tmp/cu.out 2>&1
case $? in
0) pass "after the reloads, confined: $(tail -1 /tmp/cu.out)" ;;
1) escape "after the reloads: $(tail -1 /tmp/cu.out)" ;;
*) fail "after the reloads, nothing ran: $(cat /tmp/cu.out)" ;;
esac
sleep 3
charter status 2>&1 | grep -q '^confined tasks *0 (0 credentials)' ||
	escape "credentials left in the table: $(charter status 2>&1 | grep confined)"
finish
