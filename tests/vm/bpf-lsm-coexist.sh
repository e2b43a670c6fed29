#!/bin/sh
# Charter beside a BPF LSM program (what systemd's RestrictFileSystems=,
# bpftrace or an EDR attach). In hooks=bpf mode both sit on the same stub,
# bpf_lsm_file_open: Charter as an ftrace IPMODIFY redirection, the BPF
# program as a BPF trampoline (an ftrace direct call), which ftrace lets
# share the function since 6.0. Whatever the order of loading and of
# unloading, in both attach modes, each one keeps enforcing: a confined
# program is refused (EACCES) what its manifest does not grant and allowed
# what it grants, and the BPF program refuses (EPERM) its file name to
# unconfined and confined tasks alike. A second BPF program only watches
# cred_prepare, where Charter keeps its books (a domain follows its cred
# into exec): a confined program's exec'd child stays confined.
. /tests/charter-test.sh
grep -q bpf /sys/kernel/security/lsm || fail "bpf is not an active LSM: $(cat /sys/kernel/security/lsm)"

DENIED=bpf-denied	# the file name the BPF program refuses
BPF_PID=
trap '[ -z "$BPF_PID" ] || kill $BPF_PID 2>/dev/null' EXIT

# Tests share the guest: start from nothing.
rm -rf /opt/app /srv
mkdir -p /opt/app /srv/app /srv/secret
echo hello > /srv/app/data
echo secret > /srv/secret/data
echo blocked > /srv/app/$DENIED
cp /tests/bin/fileop /opt/app/fileop
# Another digest, so no manifest of its own: the unconfined task, and
# the program a confined one execs (it then runs in the parent's domain).
FREE=/srv/app/fileop-free
cp /tests/bin/fileop $FREE && echo >> $FREE
cat > /opt/app/manifest.yml <<'YML'
manifestVersion: v1
author: charter-tests
name: fileop
run: ./fileop
allowedDirectories:
  - name: appData
    path: /srv/app/**/
    permission: readExecute
YML

TRACING=/sys/kernel/tracing
[ -r $TRACING/enabled_functions ] || mount -t tracefs nodev $TRACING ||
	fail "cannot mount tracefs"

# ---- the two enforcers -------------------------------------------------------

bpf_attach() {
	rm -f /tmp/bpflsm.out	# else a past "ready" may be read before the job truncates it
	/tests/bin/bpflsm deny-open $DENIED > /tmp/bpflsm.out 2>&1 &
	BPF_PID=$!
	i=0
	until grep -qs '^ready$' /tmp/bpflsm.out; do
		kill -0 $BPF_PID 2>/dev/null || {
			wait $BPF_PID
			fail "bpflsm exited with $?: $(cat /tmp/bpflsm.out)"
		}
		i=$((i + 1))
		[ $i -lt 600 ] || fail "bpflsm not attached after 60 s: $(cat /tmp/bpflsm.out)"
		sleep 0.1
	done
	pass "BPF LSM program attached to file_open"
}

# Detach (bpflsm exits, closing its link); it must have refused something.
bpf_detach() {
	kill -TERM $BPF_PID
	wait $BPF_PID || fail "bpflsm exited with $?: $(cat /tmp/bpflsm.out)"
	BPF_PID=
	refused=$(sed -n 's/^refused //p' /tmp/bpflsm.out)
	prepared=$(sed -n 's/^cred_prepare //p' /tmp/bpflsm.out)
	[ "${refused:-0}" -gt 0 ] || fail "the BPF program refused nothing: $(cat /tmp/bpflsm.out)"
	[ "${prepared:-0}" -gt 0 ] || fail "the cred_prepare watcher saw nothing: $(cat /tmp/bpflsm.out)"
	pass "BPF LSM programs detached: $refused refusal(s), $prepared cred_prepare call(s)"
}

# ftrace's view of a function: "bpf_lsm_file_open (2) R I D ..." has an
# IPMODIFY user (I: Charter) and a direct call (D: a BPF trampoline).
ftrace_flags() { # FUNCTION
	grep "^$1 " $TRACING/enabled_functions | head -n 1
}

# Does the line show (+X) or not show (-X) each flag? Else say which.
flags_differ() { # LINE [+-]FLAG...
	l=$1; shift
	for f in "$@"; do
		case "$f" in
		+*) echo "$l " | grep -q " ${f#+} " || { echo "lacks ${f#+}"; return; } ;;
		-*) echo "$l " | grep -q " ${f#-} " && { echo "has ${f#-}"; return; } ;;
		esac
	done
}

# FUNCTION must show (+X) or not show (-X) each ftrace flag. The kernel
# may finish a BPF trampoline's (un)registration after the attach or
# detach returned (seen once under load: no D just after "ready"), so
# look for up to 5 s before failing.
expect_flags() { # FUNCTION [+-]FLAG...
	fn=$1; shift
	i=0
	while :; do
		line=$(ftrace_flags $fn | tr '\t' ' ')
		differ=$(flags_differ "$line" "$@")
		[ -n "$differ" ] || break
		i=$((i + 1))
		[ $i -lt 50 ] || fail "$ROUND: $fn $differ: '$line'"
		sleep 0.1
	done
	pass "$ROUND: ftrace: $line"
}

# Both attached: in bpf mode they share bpf_lsm_file_open and
# bpf_lsm_cred_prepare; in security mode Charter is on security_*.
both_attached() { # MODE
	if [ "$1" = bpf ]; then
		expect_flags bpf_lsm_file_open +I +D
		expect_flags bpf_lsm_cred_prepare +I +D
	else
		expect_flags security_file_open +I -D
		expect_flags bpf_lsm_file_open -I +D
	fi
}

charter_load() { # MODE
	load_module hooks=$1
	dmesg | grep 'charter: attached to' | tail -n 1 | grep -q "to $1_\* hooks\|to $1_lsm_\* hooks" ||
		fail "hooks=$1 not honoured: $(dmesg | grep 'charter: attached' | tail -n 1)"
	charter load --allow-unsigned /opt/app/manifest.yml > /tmp/load.out 2>&1 ||
		fail "charter load: $(cat /tmp/load.out)"
	pass "Charter loaded (hooks=$1), manifest pushed"
}

charter_unload() {
	rmmod charter || fail "rmmod charter"
	pass "Charter unloaded"
}

# ---- what each one must (and must no longer) do ------------------------------

charter_enforces() {
	expect_ok "$ROUND: confined reads what its manifest grants" /opt/app/fileop read /srv/app/data
	expect_errno "$ROUND: confined is refused the rest" $EACCES /opt/app/fileop read /srv/secret/data
	expect_errno "$ROUND: what it execs stays confined" $EACCES /opt/app/fileop exec $FREE read /srv/secret/data
}

charter_gone() {
	expect_ok "$ROUND: Charter gone: the program reads anything" /opt/app/fileop read /srv/secret/data
}

bpf_enforces() {
	expect_errno "$ROUND: BPF refuses $DENIED to an unconfined task" $EPERM $FREE read /srv/app/$DENIED
	expect_errno "$ROUND: BPF refuses $DENIED to a confined task" $EPERM /opt/app/fileop read /srv/app/$DENIED
}

bpf_gone() {
	expect_ok "$ROUND: BPF gone: $DENIED opens" $FREE read /srv/app/$DENIED
}

# ---- every order -------------------------------------------------------------

for mode in bpf security; do
	ROUND="$mode, BPF then Charter, rmmod first"
	bpf_attach
	charter_load $mode
	both_attached $mode
	charter_enforces
	bpf_enforces
	charter_unload
	charter_gone
	bpf_enforces
	bpf_detach
	bpf_gone

	ROUND="$mode, BPF then Charter, BPF detached first"
	bpf_attach
	charter_load $mode
	both_attached $mode
	charter_enforces
	bpf_enforces
	bpf_detach
	bpf_gone
	charter_enforces
	expect_ok "$ROUND: confined reads $DENIED (granted)" /opt/app/fileop read /srv/app/$DENIED
	charter_unload
	charter_gone

	ROUND="$mode, Charter then BPF, BPF detached first"
	charter_load $mode
	bpf_attach
	both_attached $mode
	charter_enforces
	bpf_enforces
	bpf_detach
	bpf_gone
	charter_enforces
	charter_unload
	charter_gone

	ROUND="$mode, Charter then BPF, rmmod first"
	charter_load $mode
	bpf_attach
	both_attached $mode
	charter_enforces
	bpf_enforces
	charter_unload
	charter_gone
	bpf_enforces
	bpf_detach
	bpf_gone
done
