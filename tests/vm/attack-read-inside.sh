#!/bin/sh
# A confined program never reads the policy: not the list of manifests,
# not the confined processes, not the policy read back, even as root with
# CAP_MAC_ADMIN on a netlink socket an administrator opened outside and
# passed on (a confined program cannot open one itself: socket() is
# refused). The same reads on that socket work outside any domain.
. /tests/attack.sh
load_module

rm -rf /opt/ri && mkdir -p /opt/ri
unique /tests/bin/nlop /opt/ri/nlop
unique /tests/bin/fileop /opt/ri/prog
printf 'manifestVersion: v1\nname: ri-prog\nrun: ./prog\nbaseline: none\nallowedDirectories:\n  - {name: bin, path: /opt/ri, permission: readExecute}\n' > /opt/ri/m.yml
expect_ok "load" charter load --allow-unsigned /opt/ri/m.yml
/opt/ri/prog later 30 /opt/ri/m.yml > /dev/null 2>&1 & bg=$!	# a confined process for ps
/opt/ri/prog exec /opt/ri/nlop list > /tmp/ri.out 2>&1
rc=$?
[ $rc != 0 ] || fail "a confined program opened a socket and listed: $(cat /tmp/ri.out)"
for what in list ps get; do
	/opt/ri/nlop hold /opt/ri/nlop $what > /tmp/ri.out 2>&1 || fail "unconfined $what: $(cat /tmp/ri.out)"
	grep -q "^messages [1-9]" /tmp/ri.out || fail "unconfined $what read nothing: $(cat /tmp/ri.out)"
	/opt/ri/nlop hold /opt/ri/prog exec /opt/ri/nlop $what > /tmp/ri.out 2>&1
	rc=$?
	[ $rc = 1 ] || fail "a confined program read the policy ($what) on an inherited socket: exit $rc: $(cat /tmp/ri.out)"
	grep -q "a confined task cannot read the policy" /tmp/ri.out || fail "$what: no reason: $(cat /tmp/ri.out)"
	grep -q "^messages 0$" /tmp/ri.out || fail "$what: something was read: $(cat /tmp/ri.out)"
done
kill $bg 2>/dev/null
pass "a confined program reads neither the list, the processes nor the policy (EPERM)"
finish
