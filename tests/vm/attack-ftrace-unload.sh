#!/bin/sh
# vm-guest: own
# Unloading Charter from inside a domain: delete_module() is refused by an
# ftrace callback, so with kernel.ftrace_enabled=0 (a manifest granting
# write on /proc/sys/kernel, see ftrace.sh) a confined root's rmmod goes
# through. Unloading while ftrace is off also leaves ftrace's accounting
# broken: the next modprobe charter WARNs in ftrace_shutdown() and fails,
# and the guest degrades (segfaults, hangs): run last, in a guest of its own.
. /tests/attack.sh
load_module
trap 'echo 1 > /proc/sys/kernel/ftrace_enabled' EXIT

rm -rf /opt/fu && mkdir -p /opt/fu
unique /bin/busybox /opt/fu/sh
manifest /opt/fu fu sh "  - {name: sysctl, path: /proc/sys/kernel, permission: readWrite}"
expect_ok "load" charter load --allow-unsigned /opt/fu/fu.yml

refused "inside: rmmod charter (ftrace on)" 1 /opt/fu/sh -c 'rmmod charter'
/opt/fu/sh -c 'echo 0 > /proc/sys/kernel/ftrace_enabled && rmmod charter; echo 1 > /proc/sys/kernel/ftrace_enabled' > /tmp/fu.out 2>&1
echo 1 > /proc/sys/kernel/ftrace_enabled
if grep -q '^charter ' /proc/modules; then
	pass "charter still loaded: $(cat /tmp/fu.out)"
else
	escape "a confined root unloaded Charter (ftrace_enabled=0, then rmmod)"
	modprobe charter 2>&1 || echo "and Charter cannot be loaded again"
fi
finish
