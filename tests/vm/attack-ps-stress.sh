#!/bin/sh
# Red team 16b: charter ps dumps, again and again, while a confined program
# forks 6,000 short-lived children (threads, zombie leaders, setresuid):
# no pid twice or out of order in a dump, every dump ends, no oops.
. /tests/charter-test.sh
load_module
N=/tests/bin/ctlop

rm -rf /opt/s && mkdir -p /opt/s
cp $N /opt/s/spawner && printf s >> /opt/s/spawner  # another program than ctlop
printf 'manifestVersion: v1\nname: s-spawn\nrun: ./spawner\nbaseline: none\n' > /opt/s/s.yml
expect_ok "load" charter load --allow-unsigned /opt/s/s.yml
dmesg -c > /dev/null
/opt/s/spawner spawn 3000 > /tmp/s.spawn 2>&1 & sp=$!
/opt/s/spawner spawn 3000 > /tmp/s.spawn2 2>&1 & sp2=$!
n=0
while kill -0 $sp 2>/dev/null || kill -0 $sp2 2>/dev/null; do
	$N psloop 20 > /tmp/s.loop 2>&1 || fail "psloop: exit $?: $(cat /tmp/s.loop)"
	n=$((n + 20))
done
wait $sp; wait $sp2
cat /tmp/s.spawn /tmp/s.spawn2
echo "dumps: $n"
$N ps > /tmp/s.ps 2>&1 || fail "final ps: $(cat /tmp/s.ps)"
grep -q '^entries 0$' /tmp/s.ps || fail "stale entries after the spawners ended: $(cat /tmp/s.ps)"
dmesg | grep -E 'BUG|WARNING|Oops|RCU|refcount|KASAN|general protection' && fail "kernel complained"
pass "$n dumps during 20,000 confined forks"
