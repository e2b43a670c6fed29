#!/bin/sh
# Red team 16b: CHARTER_CMD_MANIFEST_QUERY with malformed attributes, from
# nobody and from inside a domain: EINVAL, never an answer, never an oops;
# a wrong name, executable or run path are the same ENOENT.
. /tests/charter-test.sh
load_module
N="env CTLOP_RUN=/opt/q/prog /tests/bin/ctlop"

rm -rf /opt/q && mkdir -p /opt/q
cp /tests/bin/fileop /opt/q/prog
printf 'manifestVersion: v1\nname: q-prog\nauthor: secret-author\nrun: ./prog\nbaseline: none\nallowedDirectories:\n  - {name: bin, path: /tests/bin, permission: readExecute}\n' > /opt/q/m.yml
expect_ok "load" charter load --allow-unsigned /opt/q/m.yml
sha=$(sha256sum /opt/q/prog | cut -d' ' -f1)
size=$(stat -c %s /opt/q/prog)
dmesg -c > /dev/null
nobody() { su -s /bin/sh nobody -c "$*"; }

nobody $N query q-prog $sha $size > /tmp/q.ok 2>&1 || fail "nobody's good query: $(cat /tmp/q.ok)"
pass "the good query answers"
for v in shortsha longsha nosize nonul hugename u32size noname norun; do
	nobody $N query q-prog $sha $size $v > /tmp/q.out 2>&1; rc=$?
	echo "$v: exit $rc $(grep ctlop: /tmp/q.out)"
	[ $rc = 22 ] || [ $rc = 34 ] || fail "$v: exit $rc (want EINVAL or ERANGE): $(cat /tmp/q.out)"
done
pass "malformed queries: EINVAL"
nobody $N query q-pro $sha $size > /tmp/q.n 2>&1; a=$?
nobody $N query q-prog 00$(echo $sha | cut -c3-) $size > /tmp/q.s 2>&1; b=$?
nobody $N query q-prog $sha $((size + 1)) > /tmp/q.z 2>&1; c=$?
nobody $N query \'\' $sha $size > /tmp/q.e 2>&1; d=$?
nobody env CTLOP_RUN=/tmp/prog /tests/bin/ctlop query q-prog $sha $size > /tmp/q.r 2>&1; e=$?
echo "wrong name $a, wrong sha $b, wrong size $c, empty name $d, wrong run path $e"
[ $a = 2 ] && [ $b = 2 ] && [ $c = 2 ] && [ $d = 2 ] && [ $e = 2 ] || fail "not all ENOENT"
[ "$(cat /tmp/q.n)" = "$(cat /tmp/q.s)" ] && [ "$(cat /tmp/q.s)" = "$(cat /tmp/q.z)" ] ||
	fail "errors differ: $(cat /tmp/q.n /tmp/q.s /tmp/q.z)"
pass "wrong name, executable or size: the same ENOENT"
# From inside the domain itself (its netlink send is allowed for our family).
CTLOP_RUN=/opt/q/prog /opt/q/prog exec /tests/bin/ctlop query q-prog $sha $size > /tmp/q.in 2>&1; rc=$?
echo "INFO: confined query: exit $rc"
CTLOP_RUN=/opt/q/prog /opt/q/prog exec /tests/bin/ctlop query q-prog $sha $size hugename > /tmp/q.in 2>&1; rc=$?
[ $rc = 22 ] || [ $rc = 13 ] || [ $rc = 1 ] || fail "confined hugename: exit $rc"
dmesg | grep -E 'BUG|WARNING|Oops|general protection' && fail "kernel complained"
pass "manifest query input"
