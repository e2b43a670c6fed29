#!/bin/sh
# Decision events: every denial, and every would-be denial in complain
# mode, reaches `charter monitor` (text and JSON) and the kernel log;
# events are rate-limited and what is dropped is counted.
. /tests/charter-test.sh
load_module
ip link set lo up

rm -rf /opt/ev && mkdir -p /opt/ev /srv/ev
echo secret > /srv/ev-secret
echo ok > /srv/ev/ok
cp /tests/bin/fileop /opt/ev/fileop
cp /tests/bin/netop /opt/ev/netop
for p in fileop netop; do
	printf 'manifestVersion: v1\nname: ev-%s\nrun: ./%s\nbaseline: none\nallowedDirectories:\n  - {name: d, path: /srv/ev, permission: read}\n' $p $p > /opt/ev/$p.yml
done
expect_ok "load" charter load --allow-unsigned /opt/ev/fileop.yml /opt/ev/netop.yml

charter monitor --json > /tmp/ev.json 2>&1 & mj=$!
charter monitor > /tmp/ev.txt 2>&1 & mt=$!
sleep 1
expect_errno "a denied read" $EACCES /opt/ev/fileop read /srv/ev-secret
expect_errno "a denied connect" $EACCES /opt/ev/netop connect 10.9.8.7 443 tcp
expect_ok "an allowed read (no event)" /opt/ev/fileop read /srv/ev/ok
expect_ok "complain" charter mode complain --manifest ev-fileop
expect_ok "a would-be denial" /opt/ev/fileop read /srv/ev-secret
expect_ok "enforce" charter mode inherit --manifest ev-fileop
sleep 1
kill $mj $mt

grep -q '"manifest":"ev-fileop","sha256":"[0-9a-f]\{64\}","decision":"denied","operation":"read","path":"/srv/ev-secret"}' /tmp/ev.json ||
	fail "no denied-read event: $(cat /tmp/ev.json)"
grep -q '"pid":[0-9]*,"comm":"fileop"' /tmp/ev.json || fail "no pid/comm: $(cat /tmp/ev.json)"
grep -q '"manifest":"ev-netop".*"decision":"denied","operation":"outbound","protocol":"tcp","address":"10.9.8.7","port":443' /tmp/ev.json ||
	fail "no connect event: $(cat /tmp/ev.json)"
grep -q '"decision":"would-deny","operation":"read","path":"/srv/ev-secret"' /tmp/ev.json ||
	fail "no would-deny event: $(cat /tmp/ev.json)"
[ "$(grep -c '/srv/ev/ok' /tmp/ev.json)" = 0 ] || fail "an allowed access was reported"
grep -q 'ev-fileop: denied read /srv/ev-secret' /tmp/ev.txt || fail "text: $(cat /tmp/ev.txt)"
pass "monitor reports denials and would-be denials, as text and JSON"
dmesg | grep -q 'charter: denied read /srv/ev-secret for ev-fileop' || fail "no kernel log line"
dmesg | grep -q 'charter: denied outbound tcp 10.9.8.7 port 443 for ev-netop' || fail "no network log line"
pass "and the kernel log has them, in words"

# Only CAP_NET_ADMIN may listen (events name processes and files).
su -s /bin/sh nobody -c 'charter monitor' > /tmp/ev.nobody 2>&1 && fail "nobody listened"
pass "an unprivileged user cannot listen"

# A flood: rate-limited, the rest counted.
charter monitor --json > /tmp/flood.json 2>&1 & mj=$!
sleep 1
expect_errno "2000 denials" $EACCES /opt/ev/fileop opens 2000 /srv/ev-secret
sleep 1
kill $mj
n=$(grep -c '"decision":"denied"' /tmp/flood.json)
dropped=$(charter status --json | sed -n 's/.*"events_dropped":\([0-9]*\).*/\1/p')
[ "$n" -lt 2000 ] && [ "$dropped" -gt 0 ] || fail "$n events sent, $dropped dropped"
pass "a flood is rate-limited ($n sent, $dropped dropped)"
