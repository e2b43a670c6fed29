#!/bin/sh
# The control plane, command by command: status, list, modes (global and
# per manifest), and who may use them.
. /tests/charter-test.sh
load_module

rm -rf /opt/cp /srv/cp && mkdir -p /opt/cp /srv/cp
echo ok > /srv/cp/allowed
echo no > /srv/cp-secret
cp /tests/bin/fileop /opt/cp/fileop
cat > /opt/cp/manifest.yml <<'YML'
manifestVersion: v1
author: tests
name: cp
run: ./fileop
baseline: none
allowedDirectories:
  - name: data
    path: /srv/cp
    permission: read
allowedDevices: [keyboard, display]
YML
F=/opt/cp/fileop

status_field() { charter status --json | sed -n "s/.*\"$1\":\"*\([^,\"}]*\).*/\1/p"; }

[ "$(status_field manifests)" = 0 ] || fail "manifests before load: $(charter status)"
[ "$(status_field mode)" = enforce ] || fail "default mode: $(charter status)"
[ "$(status_field locked)" = false ] || fail "locked at start"
expect_ok "load" charter load --allow-unsigned /opt/cp/manifest.yml
[ "$(status_field manifests)" = 1 ] || fail "manifests after load: $(charter status)"
charter status | grep -q '^manifests *1$' || fail "status text: $(charter status)"
pass "status counts the manifests"

# list: a table and JSON lines, with what the manifest says.
charter list | grep -q '^cp  *tests  *[0-9a-f]\{16\}\.\.\. ' || fail "list table: $(charter list)"
charter list --json | grep -q '"name":"cp","author":"tests","sha256":"[0-9a-f]\{64\}","size":[0-9]*,"path_rules":1,"network_rules":0,"devices":\["keyboard","display"\],"mode":"inherit"' ||
	fail "list json: $(charter list --json)"
pass "list shows name, author, hash, rules, devices and mode"

# Counters and confined tasks.
d0=$(status_field denied)
a0=$(status_field allowed)
expect_errno "enforce denies" $EACCES $F read /srv/cp-secret
expect_ok "enforce allows" $F read /srv/cp/allowed
[ "$(status_field denied)" -gt "$d0" ] || fail "denied counter did not move"
[ "$(status_field allowed)" -gt "$a0" ] || fail "allowed counter did not move"
pass "allowed and denied counters count"
mkfifo /srv/cp/fifo
$F read /srv/cp/fifo > /dev/null 2>&1 &
pid=$!
sleep 1
[ "$(status_field confined_tasks)" -ge 1 ] || fail "confined task not counted: $(charter status)"
kill $pid; wait $pid 2>/dev/null
pass "status counts confined tasks"

# Complain: allowed, but counted as would-deny.
w0=$(status_field would_deny)
expect_ok "mode complain" charter mode complain
[ "$(status_field mode)" = complain ] || fail "mode not complain"
expect_ok "complain allows" $F read /srv/cp-secret
[ "$(status_field would_deny)" -gt "$w0" ] || fail "would-deny counter did not move"
expect_ok "mode disabled" charter mode disabled
expect_ok "disabled allows" $F read /srv/cp-secret
expect_ok "mode enforce" charter mode enforce
expect_errno "enforce again" $EACCES $F read /srv/cp-secret

# Per manifest: an override beats the global mode; inherit drops it.
expect_ok "override complain" charter mode complain --manifest cp
charter list --json | grep -q '"mode":"complain"' || fail "override not listed"
expect_ok "override applies" $F read /srv/cp-secret
expect_ok "override kept across loads" charter load --allow-unsigned /opt/cp/manifest.yml
expect_ok "still complain after reload" $F read /srv/cp-secret
expect_ok "override inherit" charter mode inherit --manifest cp
# A mode for a name no loaded manifest has is a typo, not a mode in wait.
for name in CP nosuch; do
	charter mode complain --manifest $name > /tmp/m.out 2>&1 && fail "mode for unknown name $name accepted"
	grep -q "no loaded manifest has this name" /tmp/m.out || fail "unknown name $name: wrong reason: $(cat /tmp/m.out)"
	grep -q "charter: charter:" /tmp/m.out && fail "doubled prefix: $(cat /tmp/m.out)"
	charter list --json | grep -q '"mode":"complain"' && fail "unknown name $name changed a mode"
done
pass "a mode for an unknown name (or another case) is refused, nothing changes"
expect_ok "inherit for an unknown name (clearing a stale override)" charter mode inherit --manifest nosuch
expect_errno "back to the global mode" $EACCES $F read /srv/cp-secret
charter mode inherit > /tmp/m.out 2>&1 && fail "global inherit accepted"
pass "the global mode cannot be inherit"

# Who may: without CAP_MAC_ADMIN, only status.
for cmd in "mode complain" "unload" "lock" "list"; do
	su -s /bin/sh nobody -c "charter $cmd" > /tmp/nobody.out 2>&1 &&
		fail "nobody could run charter $cmd"
	grep -q 'CAP_MAC_ADMIN is required' /tmp/nobody.out || fail "charter $cmd: $(cat /tmp/nobody.out)"
done
su -s /bin/sh nobody -c "charter status" > /dev/null || fail "nobody cannot read status"
pass "without CAP_MAC_ADMIN: status only"

# Root, but confined: cannot change the policy that confines it.
# (A byte more than the installed tool: the manifest names this copy only.)
mkdir -p /opt/cc && cp /usr/sbin/charter /opt/cc/charter && echo >> /opt/cc/charter
printf 'manifestVersion: v1\nname: confined-charter\nrun: ./charter\n' > /opt/cc/manifest.yml
expect_ok "load a manifest for a copy of the tool" \
	charter load --allow-unsigned /opt/cp/manifest.yml /opt/cc/manifest.yml
/opt/cc/charter mode complain > /tmp/cc.out 2>&1 && fail "a confined root changed the mode"
# It cannot even open a generic netlink socket (only NETLINK_ROUTE is
# allowed in a domain); the kernel would refuse it anyway.
grep -qE 'a confined task cannot change policy|netlink socket: Permission denied' /tmp/cc.out ||
	fail "confined: $(cat /tmp/cc.out)"
expect_errno "still enforcing" $EACCES $F read /srv/cp-secret

# A generic netlink socket opened outside and inherited across exec into
# a domain: the kernel itself refuses the confined sender.
mkdir -p /opt/nl && cp /tests/bin/nlop /opt/nl/nlop
cp /tests/bin/nlop /tmp/nlop-free && echo >> /tmp/nlop-free	# unconfined twin
printf 'manifestVersion: v1\nname: nlop\nrun: ./nlop\nbaseline: none\n' > /opt/nl/manifest.yml
expect_ok "load a manifest for nlop" \
	charter load --allow-unsigned /opt/cp/manifest.yml /opt/nl/manifest.yml
expect_ok "an unconfined root sets the mode on a socket it holds" \
	/tmp/nlop-free hold /tmp/nlop-free mode 2
[ "$(status_field mode)" = complain ] || fail "mode through nlop: $(charter status)"
expect_ok "and back" /tmp/nlop-free hold /tmp/nlop-free mode 1
/tmp/nlop-free hold /opt/nl/nlop mode 2 2> /tmp/nl.out; rc=$?
[ $rc = $EPERM ] || fail "confined, inherited socket: exit $rc: $(cat /tmp/nl.out)"
grep -q 'a confined task cannot change policy' /tmp/nl.out || fail "extack: $(cat /tmp/nl.out)"
[ "$(status_field mode)" = enforce ] || fail "a confined root changed the mode: $(charter status)"
expect_errno "nor lock it" $EPERM /tmp/nlop-free hold /opt/nl/nlop lock
[ "$(status_field locked)" = false ] || fail "a confined root locked the module"
pass "an inherited generic netlink socket: a confined root still cannot change policy"
