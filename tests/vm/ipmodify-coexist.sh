#!/bin/sh
# Charter beside another ftrace IPMODIFY user of a hooked function (a
# livepatch, another redirecting module): ftrace allows one per function,
# so whichever comes second is refused (EBUSY) and says which function.
# Charter second: it refuses to load, names the function, leaves nothing
# attached, and loads and enforces once the other is gone. Charter first:
# the other module is refused and Charter keeps enforcing. Both modes:
# bpf_lsm_file_open with hooks=bpf, security_file_open with hooks=security.
. /tests/charter-test.sh
IPMOD=/tests/bin/ipmodtest-$(uname -r).ko
[ -r "$IPMOD" ] || fail "no $IPMOD"
EBUSY=16

rm -rf /opt/app /srv
mkdir -p /opt/app /srv/app /srv/secret
echo hello > /srv/app/data
echo secret > /srv/secret/data
cp /tests/bin/fileop /opt/app/fileop
cat > /opt/app/manifest.yml <<'YML'
manifestVersion: v1
author: charter-tests
name: fileop
run: ./fileop
allowedDirectories:
  - name: appData
    path: /srv/app/**/
    permission: read
YML

TRACING=/sys/kernel/tracing
[ -r $TRACING/enabled_functions ] || mount -t tracefs nodev $TRACING ||
	fail "cannot mount tracefs"

# The last kernel message of MODULE ("charter", "ipmodtest").
last_msg() { dmesg | grep "$1: " | tail -n 1; }

charter_enforces() {
	charter load --allow-unsigned /opt/app/manifest.yml > /tmp/load.out 2>&1 ||
		fail "charter load: $(cat /tmp/load.out)"
	expect_ok "$ROUND: confined reads what its manifest grants" /opt/app/fileop read /srv/app/data
	expect_errno "$ROUND: confined is refused the rest" $EACCES /opt/app/fileop read /srv/secret/data
}

for mode in bpf security; do
	fn=${mode}_file_open
	[ $mode = security ] || fn=bpf_lsm_file_open

	ROUND="$mode, other IPMODIFY user first"
	insmod $IPMOD func=$fn || fail "$ROUND: insmod ipmodtest func=$fn"
	last_msg ipmodtest | grep -q "$fn claimed" || fail "$ROUND: $(last_msg ipmodtest)"
	modprobe charter hooks=$mode > /tmp/modprobe.out 2>&1 &&
		fail "$ROUND: Charter loaded although $fn is redirected already"
	grep -q '^charter ' /proc/modules && fail "$ROUND: charter is in /proc/modules"
	dmesg | grep "charter: " | tail -n 2 | grep -q "cannot redirect the hooks: -$EBUSY" ||
		fail "$ROUND: no EBUSY in the log: $(dmesg | grep charter: | tail -n 3)"
	last_msg charter | grep -q "charter: $fn is redirected by another ftrace user" ||
		fail "$ROUND: no message naming $fn: $(last_msg charter)"
	pass "$ROUND: Charter refused to load: $(last_msg charter)"
	grep -q charter $TRACING/enabled_functions &&
		fail "$ROUND: charter left redirections: $(grep charter $TRACING/enabled_functions | head -n 3)"
	pass "$ROUND: no redirection left behind"
	rmmod ipmodtest || fail "$ROUND: rmmod ipmodtest"
	load_module hooks=$mode
	charter_enforces
	rmmod charter || fail "rmmod charter"

	ROUND="$mode, Charter first"
	load_module hooks=$mode
	insmod $IPMOD func=$fn > /tmp/insmod.out 2>&1 &&
		fail "$ROUND: ipmodtest claimed $fn beside Charter"
	grep -q '^ipmodtest ' /proc/modules && fail "$ROUND: ipmodtest is in /proc/modules"
	last_msg ipmodtest | grep -q "cannot redirect $fn: -$EBUSY" ||
		fail "$ROUND: ipmodtest not refused with EBUSY: $(last_msg ipmodtest)"
	pass "$ROUND: the other user refused: $(last_msg ipmodtest)"
	charter_enforces
	rmmod charter || fail "rmmod charter"
done
