#!/bin/sh
# Attack (route: how hooks are reached, kmod/direct.S, kmod/attach.c):
# charter_leave_direct() moves the BPF LSM's stubs from the direct
# trampolines (the shared one, and bpf_lsm_file_open's own, on which the
# opens below arrive) to an IPMODIFY ftrace_ops when a BPF program that may take a
# stub is loaded or attached, said to leave no window where hooks are not
# called. Confined programs open a refused file without pause while the
# move happens: (1) an unconfined root loads BPF LSM programs (bpflsm);
# (2) the confined program's own root triggers it (a BPF_LINK_CREATE of
# no program: the hook moves the stubs before the kernel looks at the
# descriptor); each in a freshly loaded module, so each run moves. No open
# may succeed. Then kernel.ftrace_enabled=0 must stay refused after the
# move, and rmmod while confined programs run their hooks must not oops
# (the harness fails the test on one).
. /tests/charter-test.sh
grep -q bpf /sys/kernel/security/lsm || fail "bpf is not an active LSM"
TRACING=/sys/kernel/tracing
[ -r $TRACING/enabled_functions ] || mount -t tracefs nodev $TRACING || fail "tracefs"
BPF_PID=
trap '[ -z "$BPF_PID" ] || kill $BPF_PID 2>/dev/null; echo 1 > /proc/sys/kernel/ftrace_enabled' EXIT

rm -rf /opt/hm /srv/hm && mkdir -p /opt/hm /srv/hm/ok /srv/hm/no
echo ok > /srv/hm/ok/f
echo no > /srv/hm/no/f
cp /tests/bin/r17op /opt/hm/r17op
printf 'manifestVersion: v1\nname: hm\nrun: ./r17op\nbaseline: none\nallowedDirectories:\n  - {name: ok, path: /srv/hm/ok, permission: read}\n' > /opt/hm/hm.yml
R=/opt/hm/r17op

start() {
	load_module
	charter load --allow-unsigned /opt/hm/hm.yml > /tmp/hm.load 2>&1 || fail "load: $(cat /tmp/hm.load)"
	grep -q charter_direct_tramp $TRACING/enabled_functions ||
		fail "the stubs are not on the direct trampoline to begin with"
	grep -A1 '^bpf_lsm_file_open ' $TRACING/enabled_functions | grep -q charter_tramp_file_open ||
		fail "bpf_lsm_file_open is not on its own trampoline to begin with"
	expect_errno "confined: refused" $EACCES $R opath-read /srv/hm/no/f
	expect_ok "confined: allowed" $R opath-read /srv/hm/ok/f
}

loops() { # SECS
	for i in 1 2 3; do
		$R openloop $1 /srv/hm/no/f > /tmp/hm.loop$i 2>&1 &
		eval L$i=\$!
	done
}

check_loops() { # WHAT
	for i in 1 2 3; do
		eval wait \$L$i || fail "ESCAPE: $1: a refused open succeeded: $(cat /tmp/hm.loop$i)"
	done
	pass "$1: $(cat /tmp/hm.loop1) (and two more loops): none opened"
}

moved() {
	grep -q 'charter_direct_tramp\|charter_tramp_' $TRACING/enabled_functions &&
		fail "stubs are still on a direct trampoline: $(grep -B1 'charter_direct_tramp\|charter_tramp_' $TRACING/enabled_functions)"
	grep '^bpf_lsm_file_open ' $TRACING/enabled_functions | grep -q ' I ' ||
		fail "bpf_lsm_file_open has no IPMODIFY user: $(grep '^bpf_lsm_file_open ' $TRACING/enabled_functions)"
}

# (1) An unconfined root loads BPF LSM programs while confined ones open.
for round in 1 2 3; do
	start
	loops 6
	sleep 1
	# Gone first: the job truncates it only once forked, and the last
	# round's "ready" must not be read as this round's.
	rm -f /tmp/hm.bpf
	/tests/bin/bpflsm deny-open bpf-hm-denied > /tmp/hm.bpf 2>&1 &
	BPF_PID=$!
	i=0
	until grep -qs '^ready$' /tmp/hm.bpf; do
		kill -0 $BPF_PID 2>/dev/null || fail "bpflsm: $(cat /tmp/hm.bpf)"
		i=$((i + 1)); [ $i -lt 600 ] || fail "bpflsm not ready"
		sleep 0.1
	done
	moved
	check_loops "round $round, BPF LSM programs loaded by an unconfined root"
	kill -TERM $BPF_PID; wait $BPF_PID; BPF_PID=
	if echo 0 > /proc/sys/kernel/ftrace_enabled 2>/dev/null; then
		echo 1 > /proc/sys/kernel/ftrace_enabled
		fail "ESCAPE: kernel.ftrace_enabled=0 accepted after the move"
	fi
	pass "round $round: ftrace_enabled=0 still refused after the move"
	expect_errno "round $round: still refused after" $EACCES $R opath-read /srv/hm/no/f
	rmmod charter || fail "rmmod"
done

# (2) The confined program's root triggers the move itself.
for round in 1 2 3; do
	start
	loops 4
	sleep 1
	$R bpf-move
	rc=$?
	[ $rc -ne 0 ] || fail "a BPF_LINK_CREATE of no program succeeded"
	moved
	check_loops "round $round, move triggered from inside the domain (bpf exit $rc)"
	rmmod charter || fail "rmmod"
done

# (3) rmmod while confined programs run their hooks, direct and moved.
for how in direct moved; do
	start
	[ $how = direct ] || $R bpf-move
	loops 3
	sleep 1
	rmmod charter || fail "rmmod with confined programs running"
	for i in 1 2 3; do eval wait \$L$i; done
	pass "rmmod ($how) while confined programs opened: no oops"
done
rm -rf /opt/hm /srv/hm
