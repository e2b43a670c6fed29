#!/bin/sh
# vm-modules: pktgen
# "A process may always read and write its own /proc/<pid>": but
# /proc/<pid>/net is the whole network namespace's /proc/net (/proc/net is
# a link to self/net), so a domain granted nothing under /proc writes its
# control files: pktgen's here (the NFS server's export cache,
# /proc/net/rpc/*/channel, is another). /proc/<pid>/loginuid (the audit
# identity, CAP_AUDIT_CONTROL once set) is writable too. And "own" is
# decided by the number: a domain started in a PID namespace with the
# host's /proc still mounted (unshare -p -f, no --mount-proc) is pid 1 and
# so "owns" /proc/1, the host's init.
. /tests/attack.sh
load_module
modprobe pktgen || fail "modprobe pktgen"

rm -rf /opt/pf && mkdir -p /opt/pf
unique /bin/busybox /opt/pf/sh
manifest /opt/pf pf sh
expect_ok "load" charter load --allow-unsigned /opt/pf/pf.yml
P=/opt/pf/sh

refused "inside: /proc/sys/kernel/hostname (the rest of /proc follows the manifest)" 1,2 \
	$P -c 'echo x > /proc/sys/kernel/hostname'

# pktgen: add lo to a generator thread.
[ -e /proc/net/pktgen/kpktgend_0 ] || fail "no pktgen"
$P -c 'echo "add_device lo" > /proc/net/pktgen/kpktgend_0' 2>&1
echo "inside: add_device answered $?"
if [ -e /proc/net/pktgen/lo ]; then
	escape "a domain granted nothing in /proc configured pktgen (/proc/net/pktgen/lo)"
	echo rem_device_all > /proc/net/pktgen/kpktgend_0
else
	pass "pktgen unchanged"
fi
no_leak "inside: /proc/net/unix (every socket of the system)" "leaked-unix:" \
	$P -c 'read -r l < /proc/net/unix && echo "leaked-unix: $l"'

# The audit login uid, set once outside.
sh -c 'echo 0 > /proc/self/loginuid; exec /opt/pf/sh -c "echo 4242 > /proc/self/loginuid; read -r l < /proc/self/loginuid; echo \"loginuid \$l\""' > /tmp/pf.out 2>&1
cat /tmp/pf.out
grep -q 'loginuid 4242' /tmp/pf.out && escape "a confined root changed its audit login uid (CAP_AUDIT_CONTROL)"

# "Own" /proc/<pid> by number, in a PID namespace made outside the domain.
echo 0 > /proc/1/oom_score_adj
unshare -p -f /opt/pf/sh -c 'echo 500 > /proc/1/oom_score_adj; echo "pid $$"' 2>&1
if [ "$(cat /proc/1/oom_score_adj)" = 500 ]; then
	escape "a confined pid 1 of a child PID namespace changed the host init's oom_score_adj"
	echo 0 > /proc/1/oom_score_adj
else
	pass "the host's init untouched"
fi
finish
