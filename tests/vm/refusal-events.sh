#!/bin/sh
# Every kind of refusal made in (or for) a domain goes through the one
# decision path: in enforce mode it is refused, counted as denied, sent to
# `charter monitor` naming the manifest and the operation, and logged in
# words; in complain mode it is allowed, counted as would-deny and
# reported; disabled lets it through silently. The layer limit and a
# confined task changing Charter's policy are refused in every mode, and
# reported so ("always").
. /tests/attack.sh
load_module
ip link set lo up

status_field() { charter status --json | sed -n "s/.*\"$1\":\"*\([^,\"}]*\).*/\1/p"; }

D=/opt/rf
rm -rf $D /srv/rf && mkdir -p $D/layers /srv/rf/a /srv/rf/b
echo ok > /srv/rf/a/ok
for p in fileop sysop netop procop nlop; do
	cp /tests/bin/$p $D/$p
	manifest $D rf-$p $p
done
cp /tests/bin/fileop-dyn $D/app
manifest $D rf-app app
cp /tests/bin/nlop /tmp/nlop-free && echo >> /tmp/nlop-free
cp /tests/bin/netop /tmp/netop-free && echo >> /tmp/netop-free
# Seventeen programs, each its own manifest: a domain holds sixteen.
i=1
while [ $i -le 17 ]; do
	cp /tests/bin/fileop $D/layers/l$i
	head -c $i /dev/zero >> $D/layers/l$i
	manifest $D/layers l$i l$i
	i=$((i + 1))
done
expect_ok "load" charter load --allow-unsigned $D/*.yml $D/layers/*.yml

sleep 600 & free=$!
/tmp/netop-free unix-listen @rf-free 600 & listener=$!
charter monitor --json > /tmp/rf.json 2>&1 & mj=$!
charter monitor > /tmp/rf.txt 2>&1 & mt=$!
sleep 1
: > /tmp/rf.cases

# refusal DESC MANIFEST ERRNO OPERATION CMD...: in enforce mode CMD fails
# with ERRNO (any failure for "fails") and a denial is counted; with
# MANIFEST in complain mode CMD succeeds and a would-deny is counted. The
# events are checked at the end (OPERATION: the start of their name).
refusal() {
	what=$1; m=$2; want=$3; op=$4; shift 4
	d0=$(status_field denied)
	if [ "$want" = fails ]; then
		"$@" > /tmp/rf.out 2>&1 && fail "enforce: $what: allowed: $(cat /tmp/rf.out)"
		pass "enforce: $what: refused"
	else
		expect_errno "enforce: $what" "$want" "$@"
	fi
	[ "$(status_field denied)" -gt "$d0" ] || fail "$what: no denial counted"
	charter mode complain --manifest "$m" > /dev/null || fail "complain $m"
	w0=$(status_field would_deny)
	expect_ok "complain: $what" "$@"
	[ "$(status_field would_deny)" -gt "$w0" ] || fail "$what: no would-deny counted"
	charter mode inherit --manifest "$m" > /dev/null || fail "inherit $m"
	echo "$m|$op" >> /tmp/rf.cases
	sleep 1	# the kernel log's rate limit: 10 lines in 5 s a call site
}

refusal "mount" rf-fileop $EPERM "mount" $D/fileop bindmount /srv/rf/a /srv/rf/b
umount /srv/rf/b || fail "the complain-mode bind mount is not there"
refusal "a system call refused whole" rf-sysop $EPERM "syscall delete_module" \
	$D/sysop delete-module rf-no-such-module
refusal "socket creation" rf-netop $EACCES "socket create family 2 type 3 protocol 1" \
	$D/netop raw
refusal "a netlink change" rf-sysop $EPERM "netlink send protocol 0 message type 16" \
	$D/sysop rtnl-set
refusal "a socket ioctl" rf-sysop $EPERM "ioctl 0x8914" $D/sysop siocsifflags
refusal "ptrace of a task outside" rf-procop $EPERM "ptrace attach" $D/procop ptrace $free
refusal "a signal to a task outside" rf-procop $EPERM "signal 0" $D/procop kill $free
refusal "an abstract unix socket outside" rf-netop $EPERM "reach an abstract unix socket" \
	$D/netop unix-connect @rf-free
LDSO=/lib64/ld-linux-x86-64.so.2
refusal "ld.so maps a manifested program (unconfined caller)" rf-app fails \
	"map a manifested program without exec" $LDSO $D/app read /srv/rf/a/ok

# Disabled: allowed, neither counted nor reported.
d0=$(status_field denied); w0=$(status_field would_deny)
expect_ok "disabled" charter mode disabled --manifest rf-netop
expect_ok "disabled: socket creation" $D/netop raw
expect_ok "enforce again" charter mode inherit --manifest rf-netop
[ "$(status_field denied)" = "$d0" ] && [ "$(status_field would_deny)" = "$w0" ] ||
	fail "disabled mode counted a refusal"
pass "disabled mode lets it through uncounted"

# The layer limit: sixteen stack, a seventeenth is refused, in any mode.
chain() {
	n=$1; shift
	cmd="$*"
	while [ $n -ge 2 ]; do
		cmd="exec $D/layers/l$n $cmd"
		n=$((n - 1))
	done
	# shellcheck disable=SC2086
	$D/layers/l1 $cmd
}
expect_ok "sixteen layers" chain 16 read $D/layers/l1.yml
d0=$(status_field denied)
expect_errno "a seventeenth layer" $EPERM chain 17 read $D/layers/l1.yml
expect_ok "complain, globally" charter mode complain
w0=$(status_field would_deny)
expect_errno "a seventeenth layer, complain mode" $EPERM chain 17 read $D/layers/l1.yml
[ "$(status_field would_deny)" = "$w0" ] || fail "the layer limit counted as would-deny"
expect_ok "enforce, globally" charter mode enforce
[ "$(status_field denied)" -ge $((d0 + 2)) ] || fail "the layer limit was not counted"
pass "the layer limit is refused in every mode, and counted"

# Charter's own control from a domain: refused in every mode.
expect_errno "a confined task sets the mode" $EPERM /tmp/nlop-free hold $D/nlop mode 3
expect_ok "complain" charter mode complain --manifest rf-nlop
expect_errno "a confined task in complain mode sets the mode" $EPERM \
	/tmp/nlop-free hold $D/nlop mode 3
[ "$(status_field mode)" = enforce ] || fail "a confined task changed the mode"
expect_ok "inherit" charter mode inherit --manifest rf-nlop

sleep 1
kill $mj $mt $free $listener

# Events: each refusal named, with its manifest, denied then would-deny.
while IFS='|' read -r m op; do
	grep -q "\"manifest\":\"$m\",\"sha256\":\"[0-9a-f]\{64\}\",\"decision\":\"denied\",\"always\":false,\"operation\":\"$op" /tmp/rf.json ||
		fail "no denied event for $m: $op: $(grep "$m" /tmp/rf.json)"
	grep -q "\"manifest\":\"$m\",.*\"decision\":\"would-deny\",\"always\":false,\"operation\":\"$op" /tmp/rf.json ||
		fail "no would-deny event for $m: $op"
	grep -q "$m: denied $op" /tmp/rf.txt || fail "no text event for $m: $op"
	dmesg | grep -q "charter: denied $op.* for $m (pid" || fail "no kernel log line for $m: $op"
	dmesg | grep -q "charter: would deny $op.* for $m (pid" || fail "no complain log line for $m: $op"
	pass "reported: $m: $op"
done < /tmp/rf.cases
grep -q "\"operation\":\"ptrace attach\",\"target_pid\":$free,\"target_comm\":\"sleep\"" /tmp/rf.json ||
	fail "ptrace event without its target: $(grep ptrace /tmp/rf.json)"
grep -q "\"operation\":\"map a manifested program without exec\",\"path\":\"$D/app\"" /tmp/rf.json ||
	fail "ld.so event without the file"
dmesg | grep -q "charter: denied ptrace attach of pid $free (sleep) for rf-procop" ||
	fail "ptrace log line without its target"
pass "the other process and the file are named"
grep -q '"manifest":"l17",.*"decision":"denied","always":true,"operation":"exec: a domain holds at most 16 manifests"' /tmp/rf.json ||
	fail "no layer-limit event: $(grep l17 /tmp/rf.json)"
[ "$(grep -c '"manifest":"l17",.*"always":true' /tmp/rf.json)" = 2 ] || fail "layer limit: not one event per refusal"
dmesg | grep -q "charter: denied (always) exec: a domain holds at most 16 manifests for l17" ||
	fail "no layer-limit log line"
grep -q '"manifest":"rf-nlop",.*"decision":"denied","always":true,"operation":"charter mode change"' /tmp/rf.json ||
	fail "no control event: $(grep rf-nlop /tmp/rf.json)"
grep -q 'rf-nlop: denied (always) charter mode change' /tmp/rf.txt || fail "text: no (always)"
grep -q 'would-deny.*"always":true' /tmp/rf.json && fail "an always-refusal was waived"
pass "the layer limit and policy changes are reported as refused always"
