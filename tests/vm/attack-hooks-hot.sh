#!/bin/sh
# Attack (red team 17h: the hottest BPF LSM stubs on their own direct
# trampolines, kmod/attach.c CHARTER_HOOK_OWN, and the gated wrappers):
# confined programs loop refused TCP connects and UDP sendtos (socket_
# connect, socket_sendmsg) while (1) an unconfined root loads BPF LSM
# programs (the stubs move to an IPMODIFY ops), (2) a confined root
# triggers the move (BPF_LINK_CREATE), (3) tracefs knobs are turned on the
# hot stubs (function tracer filtered on them, notrace, function_graph, a
# kprobe), (4) rmmod with the loops running. No connect or sendto may get
# past EACCES. (5) Another IPMODIFY user (ipmodtest) on a hot socket stub
# (ipmodify-coexist.sh: file_open), before Charter, beside its own
# trampoline, and after the move:
# always refused, never a silent replacement. One round of each, one
# stub for (5): every load and unload of the module waits for RCU-tasks
# once per ftrace_ops, and the whole must stay far inside the guest's
# time limit on a loaded host. A guest of its own: a tracer left on by a
# run cut short would slow every test after it.
# vm-guest: own
. /tests/charter-test.sh
grep -q bpf /sys/kernel/security/lsm || fail "bpf is not an active LSM"
TRACING=/sys/kernel/tracing
[ -r $TRACING/enabled_functions ] || mount -t tracefs nodev $TRACING || fail "tracefs"
IPMOD=/tests/bin/ipmodtest-$(uname -r).ko
BPF_PID=
cleanup() {
	[ -z "$BPF_PID" ] || kill $BPF_PID 2>/dev/null
	echo nop > $TRACING/current_tracer 2>/dev/null
	echo > $TRACING/set_ftrace_filter 2>/dev/null
	echo > $TRACING/set_ftrace_notrace 2>/dev/null
	[ ! -d $TRACING/events/kprobes ] || echo 0 > $TRACING/events/kprobes/enable
	echo > $TRACING/kprobe_events 2>/dev/null
}
trap cleanup EXIT
ip link set lo up

rm -rf /opt/hh && mkdir -p /opt/hh
cp /tests/bin/gateop /opt/hh/gateop
cp /tests/bin/r17op /opt/hh/r17op
printf 'manifestVersion: v1\nname: hh\nrun: ./gateop\nbaseline: none\nallowedNetwork:\n  - {name: out, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 7040}\n' > /opt/hh/hh.yml
printf 'manifestVersion: v1\nname: hhmove\nrun: ./r17op\nbaseline: none\n' > /opt/hh/mv.yml
G=/opt/hh/gateop

start() {
	load_module
	charter load --allow-unsigned /opt/hh/hh.yml /opt/hh/mv.yml > /tmp/hh.load 2>&1 || fail "load: $(cat /tmp/hh.load)"
	for h in socket_connect socket_sendmsg; do
		grep -A1 "^bpf_lsm_$h " $TRACING/enabled_functions | grep -q "charter_tramp_$h" ||
			fail "bpf_lsm_$h is not on its own trampoline to begin with: $(grep -A1 "^bpf_lsm_$h " $TRACING/enabled_functions)"
	done
	expect_ok "confined connects refused" $G connloop 0 7041
	expect_ok "confined sendtos refused" $G sendloop 0 7041
	$G sendloop 0 7040 > /dev/null && fail "a granted sendto was refused"
}
# The loops exit 0 when every call was refused (EACCES), 1 on any other
# result ("ESCAPE: ...").
loops() { # SECS
	$G connloop $1 7041 > /tmp/hh.l1 2>&1 & L1=$!
	$G connloop $1 7042 > /tmp/hh.l2 2>&1 & L2=$!
	$G sendloop $1 7041 > /tmp/hh.l3 2>&1 & L3=$!
	$G sendloop $1 7043 > /tmp/hh.l4 2>&1 & L4=$!
}
check_loops() { # WHAT
	for i in 1 2 3 4; do
		eval wait \$L$i || fail "ESCAPE: $1: $(cat /tmp/hh.l$i)"
	done
	pass "$1: connects $(cat /tmp/hh.l1), sendtos $(cat /tmp/hh.l3) (and 2 more loops)"
}
moved() {
	grep -q 'charter_direct_tramp\|charter_tramp_' $TRACING/enabled_functions &&
		fail "stubs still on a direct trampoline"
	grep '^bpf_lsm_socket_connect ' $TRACING/enabled_functions | grep -q ' I ' ||
		fail "bpf_lsm_socket_connect has no IPMODIFY user"
}
bpf_on() {
	rm -f /tmp/hh.bpf
	/tests/bin/bpflsm deny-open bpf-hh-denied > /tmp/hh.bpf 2>&1 & BPF_PID=$!
	i=0
	until grep -qs '^ready$' /tmp/hh.bpf; do
		kill -0 $BPF_PID 2>/dev/null || fail "bpflsm: $(cat /tmp/hh.bpf)"
		i=$((i + 1)); [ $i -lt 600 ] || fail "bpflsm not ready"
		sleep 0.1
	done
}
bpf_off() { kill -TERM $BPF_PID; wait $BPF_PID; BPF_PID=; }

# (1) an unconfined root's BPF LSM programs move the stubs under the loops
for round in 1; do
	start
	loops 3
	sleep 1
	bpf_on
	moved
	check_loops "round $round, BPF LSM programs loaded by an unconfined root"
	bpf_off
	expect_ok "round $round: connect still refused" $G connloop 0 7041
	rmmod charter || fail "rmmod"
done

# (2) a confined root moves them (another domain), under the loops
for round in 1; do
	start
	loops 3
	sleep 1
	/opt/hh/r17op bpf-move && fail "a BPF_LINK_CREATE of no program succeeded"
	moved
	check_loops "round $round, move triggered from inside a domain"
	rmmod charter || fail "rmmod"
done

# (3) tracefs knobs on the hot stubs, on their own trampolines (moved, an
# IPMODIFY ops shares them as ftrace's other users do: (1), (2))
for how in direct; do
	start
	[ $how = direct ] || { /opt/hh/r17op bpf-move; moved; }
	for knob in filter notrace graph kprobe ftrace_enabled; do
		loops 2
		case $knob in
		filter)
			echo 'bpf_lsm_socket_*' > $TRACING/set_ftrace_filter || fail "set_ftrace_filter"
			echo function > $TRACING/current_tracer || fail "function tracer";;
		notrace)
			echo 'bpf_lsm_socket_*' > $TRACING/set_ftrace_notrace || fail "set_ftrace_notrace"
			echo function > $TRACING/current_tracer || fail "function tracer";;
		graph)
			echo 'bpf_lsm_socket_connect' > $TRACING/set_graph_function 2>/dev/null
			echo function_graph > $TRACING/current_tracer 2>/dev/null || echo "(no function_graph)";;
		kprobe)
			echo 'p:hhk bpf_lsm_socket_connect' > $TRACING/kprobe_events 2>/tmp/hh.kp &&
				echo 1 > $TRACING/events/kprobes/hhk/enable 2>>/tmp/hh.kp
			echo "kprobe on the stub: $(cat /tmp/hh.kp) $(grep -A1 '^bpf_lsm_socket_connect ' $TRACING/enabled_functions | tr '\n' ' ')";;
		ftrace_enabled)
			if echo 0 > /proc/sys/kernel/ftrace_enabled 2>/dev/null; then
				echo 1 > /proc/sys/kernel/ftrace_enabled
				fail "ESCAPE: ftrace_enabled=0 accepted ($how)"
			fi;;
		esac
		sleep 1
		for h in socket_connect socket_sendmsg socket_sock_rcv_skb; do
			grep -q "^bpf_lsm_$h " $TRACING/enabled_functions || fail "$how/$knob: bpf_lsm_$h not hooked any more"
		done
		check_loops "$how, tracefs $knob on the hot stubs"
		cleanup
	done
	rmmod charter || fail "rmmod"
done

# (4) rmmod with the loops running through the own trampolines and moved
for how in direct moved; do
	start
	[ $how = direct ] || /opt/hh/r17op bpf-move
	$G connloop 3 7041 > /dev/null 2>&1 & A=$!
	$G sendloop 3 7041 > /dev/null 2>&1 & B=$!
	$G connloop 3 7042 > /dev/null 2>&1 & C=$!
	sleep 1
	rmmod charter || fail "rmmod under the loops ($how)"
	wait $A $B $C
	pass "rmmod ($how) under connect/sendto loops: no oops"
done

# (5) another IPMODIFY user on the hot socket stubs
[ -r "$IPMOD" ] || fail "no $IPMOD"
for fn in bpf_lsm_socket_connect; do
	insmod $IPMOD func=$fn || fail "insmod ipmodtest func=$fn"
	modprobe charter > /dev/null 2>&1 && fail "Charter loaded beside ipmodtest on $fn"
	rmmod ipmodtest || fail "rmmod ipmodtest"
	for how in direct moved; do
		start
		[ $how = direct ] || { /opt/hh/r17op bpf-move; moved; }
		if insmod $IPMOD func=$fn 2>/dev/null; then
			rmmod ipmodtest
			fail "ESCAPE: ipmodtest claimed $fn beside Charter ($how)"
		fi
		expect_ok "$fn, $how, other IPMODIFY refused: connect still refused" $G connloop 0 7041
		rmmod charter || fail "rmmod"
	done
	pass "$fn: another IPMODIFY user refused before Charter, beside its own trampoline, and moved"
done
rm -rf /opt/hh
