#!/bin/sh
# charter ps: which processes run confined, under which manifest stack and
# mode, as aa-status lists them; only CAP_MAC_ADMIN may ask.
. /tests/charter-test.sh
load_module

rm -rf /opt/ps && mkdir -p /opt/ps
cp /tests/bin/fileop /opt/ps/outer
cp /tests/bin/fileop /opt/ps/inner && printf 'i' >> /opt/ps/inner
for p in outer inner; do
	printf 'manifestVersion: v1\nname: ps-%s\nrun: ./%s\nbaseline: none\nallowedDirectories:\n  - {name: bin, path: /bin, permission: readExecute}\n  - {name: me, path: /opt/ps, permission: readExecute}\n' $p $p > /opt/ps/$p.yml
done
expect_ok "load" charter load --allow-unsigned /opt/ps/outer.yml /opt/ps/inner.yml
charter ps > /tmp/ps.out || fail "ps with nothing confined: $(cat /tmp/ps.out)"
[ "$(wc -l < /tmp/ps.out)" = 1 ] || fail "an unconfined process was listed: $(cat /tmp/ps.out)"
pass "nothing confined: only the header"

/opt/ps/outer exec /bin/sleep 60 & one=$!
/opt/ps/outer exec /opt/ps/inner exec /bin/sleep 60 & two=$!
sleep 1
charter ps > /tmp/ps.out || fail "ps: $(cat /tmp/ps.out)"
cat /tmp/ps.out
grep -q "^ *$one  sleep  *ps-outer$" /tmp/ps.out || fail "no line for $one under ps-outer"
grep -q "^ *$two  sleep  *ps-outer > ps-inner$" /tmp/ps.out || fail "no line for $two under ps-outer > ps-inner"
[ "$(wc -l < /tmp/ps.out)" = 3 ] || fail "other processes listed"
pass "each confined process, with its stack outermost first"

expect_ok "complain for the inner manifest" charter mode complain --manifest ps-inner
charter ps | grep -q "^ *$two  sleep  *ps-outer > ps-inner (complain)$" || fail "no mode: $(charter ps)"
pass "a layer not in enforce mode says its mode"
charter status | grep -qx "by manifest     ps-outer 2, ps-inner 1 (confined processes; a nested one counts for each layer)" ||
	fail "status by manifest: $(charter status)"
charter status --json | grep -q '"processes_by_manifest":{"ps-outer":2,"ps-inner":1}}$' ||
	fail "status --json by manifest: $(charter status --json)"
su -s /bin/sh nobody -c 'charter status --json' | grep -q '"processes_by_manifest":null}$' ||
	fail "status as nobody: $(su -s /bin/sh nobody -c 'charter status --json' 2>&1)"
pass "status counts the processes of each manifest (for CAP_MAC_ADMIN)"
charter ps --json > /tmp/ps.json || fail "ps --json"
grep -q "^{\"pid\":$two,\"comm\":\"sleep\",\"manifests\":\[{\"name\":\"ps-outer\",\"mode\":\"enforce\"},{\"name\":\"ps-inner\",\"mode\":\"complain\"}\]}$" /tmp/ps.json ||
	fail "json: $(cat /tmp/ps.json)"
pass "and as JSON"

# Many confined processes: the dump resumes where a message buffer filled.
i=0
while [ $i -lt 300 ]; do /opt/ps/outer exec /bin/sleep 60 & i=$((i + 1)); done
sleep 2
n=$(charter ps | grep -c ' ps-outer')
[ "$n" -ge 302 ] || fail "only $n of 302 confined processes listed"
pass "302 confined processes, each listed once ($n lines)"
[ "$(charter ps | awk 'NR > 1 {print $1}' | sort | uniq -d | wc -l)" = 0 ] || fail "a process listed twice"

su -s /bin/sh nobody -c 'charter ps' > /tmp/ps.nobody 2>&1 && fail "nobody listed processes"
grep -q "CAP_MAC_ADMIN is required" /tmp/ps.nobody || fail "no reason: $(cat /tmp/ps.nobody)"
pass "without CAP_MAC_ADMIN: refused, with the reason"
kill $one $two 2>/dev/null
pkill sleep 2>/dev/null
true
