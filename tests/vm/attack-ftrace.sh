#!/bin/sh
# Stopping Charter without unloading it. Charter's hooks are ftrace
# callbacks; kernel.ftrace_enabled=0 stops every ftrace callback in the
# system (only FTRACE_OPS_FL_PERMANENT ops refuse it, and Charter's are
# not permanent). A manifest that grants write on /proc/sys/kernel (a
# program that tunes a sysctl) thus lets its program turn Charter off for
# every domain (zz-ftrace-unload.sh: and unload it), and a process forked
# while it is off got its cred without
# cred_prepare, so it stays outside every domain when ftrace is back on.
# Also (regressions): debugfs and tracefs writes (kprobes, tracing) are
# refused by the locked_down hook even where the manifest grants them.
. /tests/attack.sh
load_module
trap 'echo 1 > /proc/sys/kernel/ftrace_enabled' EXIT

rm -rf /opt/ft && mkdir -p /opt/ft
unique /bin/busybox /opt/ft/sh
cp /tests/bin/fileop /opt/ft/fileop
manifest /opt/ft ft sh "  - {name: sysctl, path: /proc/sys/kernel, permission: readWrite}
  - {name: debug, path: /sys/kernel/debug, permission: readWrite}
  - {name: tracing, path: /sys/kernel/tracing, permission: readWrite}
  - {name: tmp, path: /tmp/ft, permission: readWrite}"
manifest /opt/ft ftvictim fileop
echo secret > /srv-ft-secret
rm -rf /tmp/ft && mkdir -p /tmp/ft
expect_ok "load" charter load --allow-unsigned /opt/ft/ft.yml /opt/ft/ftvictim.yml
V=/opt/ft/fileop

expect_errno "a confined program cannot read the secret" $EACCES $V read /srv-ft-secret
# Charter's redirections are permanent: the switch fails even outside.
if echo 0 > /proc/sys/kernel/ftrace_enabled 2>/dev/null; then
	escape "ftrace_enabled=0 outside a domain switched every hook off"
	echo 1 > /proc/sys/kernel/ftrace_enabled
else
	pass "ftrace_enabled=0 refused while Charter is loaded"
fi
expect_errno "still refused" $EACCES $V read /srv-ft-secret

# Inside: a sysctl-tuning program.
/opt/ft/sh -c '
	echo 0 > /proc/sys/kernel/ftrace_enabled || exit 1
	( sleep 2; read -r s < /srv-ft-secret; echo "$s" > /tmp/ft/leak ) &
	echo 1 > /proc/sys/kernel/ftrace_enabled
	wait' > /tmp/ft.out 2>&1
echo "inside: ftrace_enabled=0 answered $?: $(cat /tmp/ft.out)"
if [ "$(cat /proc/sys/kernel/ftrace_enabled)" = 0 ]; then
	escape "Charter is off"
	echo 1 > /proc/sys/kernel/ftrace_enabled
fi
grep -q secret /tmp/ft/leak 2>/dev/null &&
	escape "a child forked by a confined program while ftrace was off read the secret after it was back on"

# debugfs and tracefs: locked down in a domain.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
if [ -e /sys/kernel/debug/kprobes/enabled ]; then
	refused "inside: /sys/kernel/debug/kprobes/enabled" 1,2 \
		/opt/ft/sh -c 'echo 0 > /sys/kernel/debug/kprobes/enabled'
fi
refused "inside: /sys/kernel/tracing/tracing_on" 1,2 \
	/opt/ft/sh -c 'echo 0 > /sys/kernel/tracing/tracing_on'
refused "inside: /sys/kernel/tracing/kprobe_events" 1,2 \
	/opt/ft/sh -c 'echo "p:charterx do_adjtimex" >> /sys/kernel/tracing/kprobe_events'

finish
