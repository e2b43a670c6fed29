#!/bin/sh
# The BPF LSM's stubs reach Charter's hooks through a direct trampoline
# (kmod/direct.S, shared; the hottest stubs' own, charter_tramp_<hook>):
# ftrace calls it from each stub's fentry site, and it jumps to the stub's
# wrapper. This checks that a module loaded with no BPF program about
# holds the stubs that way (a direct call to the trampoline, no
# IPMODIFY), that hooks reached so enforce, that
# direct=0 uses an ftrace_ops instead. (ipmodify-coexist.sh: no other
# IPMODIFY user takes a stub from the trampoline; bpf-lsm-coexist.sh: BPF
# programs get the stubs, in either order.)
. /tests/charter-test.sh

TRACING=/sys/kernel/tracing
[ -r $TRACING/enabled_functions ] || mount -t tracefs nodev $TRACING ||
	fail "cannot mount tracefs"
grep -q bpf /sys/kernel/security/lsm || fail "bpf is not an active LSM"

rm -rf /opt/dt /srv/dt
mkdir -p /opt/dt /srv/dt/ok /srv/dt/no
echo ok > /srv/dt/ok/f
echo no > /srv/dt/no/f
cp /tests/bin/fileop /opt/dt/fileop
cat > /opt/dt/dt.yml <<'YML'
manifestVersion: v1
name: dt
run: ./fileop
allowedDirectories:
  - {name: ok, path: /srv/dt/ok, permission: read}
YML

# ftrace's entry for a function, on one line: "bpf_lsm_file_open (1) R D
# ... direct-->charter_direct_tramp+0x0/0x40 [charter]" (6.1 prints the
# direct call's target on a line of its own).
line() {
	awk -v fn="$1" '$1 == fn { show = 1; printf "%s", $0; next }
		show && /^[ \t]/ { printf " %s", $0; next } { show = 0 }' \
		$TRACING/enabled_functions | tr '\t' ' '
}

enforces() { # WHAT
	charter load --allow-unsigned /opt/dt/dt.yml > /tmp/dt.out 2>&1 ||
		fail "$1: load: $(cat /tmp/dt.out)"
	expect_ok "$1: confined reads what it is granted" /opt/dt/fileop read /srv/dt/ok/f
	expect_errno "$1: confined is refused the rest" $EACCES /opt/dt/fileop read /srv/dt/no/f
	expect_ok "$1: unconfined reads anything" cat /srv/dt/no/f
}

# The hottest stubs have a trampoline of their own (CHARTER_HOOK_OWN).
load_module hooks=bpf
for fn in bpf_lsm_cred_prepare bpf_lsm_file_open bpf_lsm_socket_create \
	bpf_lsm_socket_connect bpf_lsm_socket_accept bpf_lsm_socket_sendmsg \
	bpf_lsm_socket_setsockopt bpf_lsm_socket_sock_rcv_skb \
	bpf_lsm_inet_conn_request; do
	tramp=charter_tramp_${fn#bpf_lsm_}
	[ $fn = bpf_lsm_cred_prepare ] && tramp=charter_direct_tramp
	l=$(line $fn)
	echo "$l" | grep -q "direct.*$tramp+" ||
		fail "direct: $fn is not called through $tramp: '$l'"
	echo "$l " | grep -q " I " && fail "direct: $fn also has an IPMODIFY user: '$l'"
done
pass "direct: the stubs call their trampolines: $(line bpf_lsm_file_open); $(line bpf_lsm_cred_prepare)"
enforces direct

rmmod charter || fail "rmmod charter"
[ -z "$(line bpf_lsm_file_open)" ] || fail "unloaded, yet: $(line bpf_lsm_file_open)"
pass "unloaded: no ftrace user left on the stubs"

load_module hooks=bpf direct=0
l=$(line bpf_lsm_file_open)
echo "$l" | grep -q "charter_direct_tramp\|charter_tramp_" && fail "direct=0: trampoline used: '$l'"
echo "$l " | grep -q " I " || fail "direct=0: no IPMODIFY user on the stub: '$l'"
pass "direct=0: an ftrace_ops redirects the stubs: $l"
enforces "direct=0"
rmmod charter || fail "rmmod charter"
