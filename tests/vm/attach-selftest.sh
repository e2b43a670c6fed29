#!/bin/sh
# vm-guest: own
# vm-append: lsm=lockdown,capability,yama
# Loading proves that the hooks are called, not only attached. In a kernel
# where the BPF LSM is not active its stubs are never called: hooks=bpf
# must refuse to load, saying why, and hooks=auto must enforce through
# security_* instead.
. /tests/charter-test.sh

grep -qw bpf /sys/kernel/security/lsm && fail "bpf is an active LSM: lsm= was not taken"
pass "bpf is not an active LSM ($(cat /sys/kernel/security/lsm))"

dmesg -c > /dev/null
modprobe charter hooks=bpf 2> /tmp/modprobe.err && fail "hooks=bpf loaded where its hooks are never called"
grep -q '^charter ' /proc/modules && fail "a refused load left the module loaded"
dmesg | grep -q 'charter: hooks=bpf: bpf_lsm_\* hooks attached but never called' ||
	fail "no reason in the kernel log: $(dmesg | grep charter)"
pass "hooks=bpf refused, saying why"

dmesg -c > /dev/null
load_module
dmesg | grep -q 'charter: bpf_lsm_\* hooks are not called here' ||
	fail "auto did not try the BPF stubs first: $(dmesg | grep charter)"
dmesg | grep -q 'charter: attached to security_\* hooks' || fail "auto did not fall back to security_*"
pass "hooks=auto tried bpf_lsm_*, fell back to security_*"
mkdir -p /opt/st /srv/st/ok /srv/st/no
echo ok > /srv/st/ok/f
echo no > /srv/st/no/f
cp /tests/bin/fileop /opt/st/fileop
printf 'manifestVersion: v1\nname: st\nrun: ./fileop\nallowedDirectories:\n  - {name: ok, path: /srv/st/ok, permission: read}\n' > /opt/st/manifest.yml
expect_ok "load a manifest" charter load --allow-unsigned /opt/st/manifest.yml
expect_ok "hooks=auto: what the manifest grants" /opt/st/fileop read /srv/st/ok/f
expect_errno "hooks=auto: what it does not" $EACCES /opt/st/fileop read /srv/st/no/f
