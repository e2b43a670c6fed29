#!/bin/sh
# Unload under load (issue 18; make check-debug): CHARTER_UNLOAD_ROUNDS
# (default 200) rounds of modprobe, policy load and rmmod while confined
# programs keep every hook busy on both vCPUs: stress-ng (directories,
# renames, times, fork, TCP, UDP) confined at the start, and two loops
# that exec a manifested program over and over (a new domain each time
# the module is in). Run on the debug kernel, whose lockdep, KASAN, debug
# objects and kmemleak report what a round did wrong, with
# softlockup_panic=1 and hung_task_panic=1 (scripts/vm.sh): a soft lockup
# during an unload panics the guest and fails the test. PASSES when every
# round loads and unloads, and after the last a fresh load confines again.
# vm-programs: /usr/bin/stress-ng
# vm-guest: own
. /tests/charter-test.sh
. /tests/stress.sh
ip link set lo up

ROUNDS=${CHARTER_UNLOAD_ROUNDS:-200}
D=/opt/ur W=/srv/ur S=/srv/ur-secret
mkdir -p $D $W $S
echo ok > $W/f
echo secret > $S/f
cp /usr/bin/stress-ng $D/stress-ng && echo >> $D/stress-ng
cp /tests/bin/fileop $D/prog && echo >> $D/prog
stress_manifest $D $W > $D/stress.yml
cat > $D/prog.yml <<EOF
manifestVersion: v1
name: prog
run: ./prog
allowedDirectories:
  - {name: work, path: $W, permission: read}
EOF

load_module
charter compile -o $D/p.pol --allow-unsigned $D/stress.yml $D/prog.yml > /dev/null ||
	fail "compile"
charter load --policy $D/p.pol > /dev/null || fail "first load"
expect_errno "confined before the rounds" $EACCES $D/prog read $S/f

stress_start $D $W 7200 /tmp/ur.out
# Busybox's renice: it has no nice.
execs() {
	renice -n 19 -p $(sh -c 'echo $PPID') > /dev/null
	while [ ! -e /tmp/ur.stop ]; do
		$D/prog read $W/f > /dev/null 2>&1
		$D/prog read $S/f > /dev/null 2>&1
	done
}
rm -f /tmp/ur.stop
execs & e1=$!
execs & e2=$!
sleep 2
up() { awk '{ print int($1 * 1000) }' /proc/uptime; }
t_mod=0 t_load=0 t_rm=0

tries=0
start=$(cut -d. -f1 /proc/uptime)
for r in $(seq "$ROUNDS"); do
	t0=$(up)
	modprobe charter || fail "round $r: modprobe"
	t1=$(up)
	charter load --policy $D/p.pol > /dev/null || fail "round $r: load"
	t2=$(up)
	sleep 0.2
	n=0
	t3=$(up)
	until rmmod charter 2> /tmp/ur.rmmod; do
		n=$((n + 1))
		[ $n -lt 50 ] || fail "round $r: rmmod refused 50 times: $(cat /tmp/ur.rmmod)"
		sleep 0.1
	done
	t4=$(up)
	t_mod=$((t_mod + t1 - t0)) t_load=$((t_load + t2 - t1)) t_rm=$((t_rm + t4 - t3))
	tries=$((tries + n + 1))
	[ $((r % 50)) = 0 ] && echo "# $r rounds"
done
secs=$(( $(cut -d. -f1 /proc/uptime) - start ))
touch /tmp/ur.stop
kill $stress
wait $e1 $e2 $stress 2> /dev/null
pass "$ROUNDS rounds of load and unload under load in $secs s ($tries rmmod calls; modprobe $((t_mod / ROUNDS)) ms, policy load $((t_load / ROUNDS)) ms, rmmod $((t_rm / ROUNDS)) ms a round)"

load_module
charter load --policy $D/p.pol > /dev/null || fail "load after the rounds"
expect_errno "confined after the rounds" $EACCES $D/prog read $S/f
expect_ok "its grant after the rounds" $D/prog read $W/f
rmmod charter || fail "the last unload"
pass "nothing left: the module unloads"
