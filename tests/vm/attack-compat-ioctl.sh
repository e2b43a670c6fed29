#!/bin/sh
# Every ioctl Charter checks, made through the 32-bit ABI (int $0x80, as
# any 64-bit program may): since Linux 6.1.75 compat_sys_ioctl() calls
# security_file_ioctl_compat(), a hook of its own, and Charter hooks only
# file_ioctl. So TIOCSTI, refused natively, types commands into any
# terminal (every pty slave is always allowed: an administrator's login
# too), and network setters, inode flags and file owners go unchecked.
. /tests/attack.sh
load_module
ip link set lo up

rm -rf /opt/ci /tmp/cif && mkdir -p /opt/ci /tmp/cif
cp /tests/bin/privop /opt/ci/privop
unique /tests/bin/privop /tmp/privop-free
manifest /opt/ci ci privop "  - {name: ro, path: /tmp/cif/ro, permission: read}
  - {name: rw, path: /tmp/cif/rw, permission: readWrite}"
expect_ok "load" charter load --allow-unsigned /opt/ci/ci.yml
S=/opt/ci/privop
F=/tmp/privop-free
rm -f /tmp/ci-*

# An administrator's shell on a pty, outside every domain.
$F pty-hold /tmp/ci.pty /bin/sh & holder=$!
sleep 2
read -r slave shell < /tmp/ci.pty || fail "pty-hold"
expect_ok "outside: TIOCSTI types a command into the shell" $F tiocsti $slave 'echo out > /tmp/ci-out|'
sleep 2
[ -e /tmp/ci-out ] || fail "the shell did not run the typed command"
refused "inside: TIOCSTI (native)" 1,13 $S tiocsti $slave 'echo native > /tmp/ci-native|'
refused "inside: TIOCSTI through the 32-bit ioctl" 1,13 $S tiocsti-32 $slave 'echo pwned > /tmp/ci-pwned|'
sleep 2
[ -e /tmp/ci-native ] && escape "native TIOCSTI ran a command outside the domain"
[ -e /tmp/ci-pwned ] && escape "32-bit TIOCSTI ran a command in an unconfined root shell"
kill $shell $holder 2>/dev/null

# Network configuration.
m0=$(cat /sys/class/net/lo/mtu)
expect_ok "outside: SIOCSIFMTU" $F siocsifmtu $((m0 - 1))
expect_ok "outside: SIOCSIFMTU (ia32)" $F siocsifmtu-32 $m0
refused "inside: SIOCSIFMTU (native)" 1,13 $S siocsifmtu 1280
refused "inside: SIOCSIFMTU through the 32-bit ioctl" 1,13 $S siocsifmtu-32 1280
m=$(cat /sys/class/net/lo/mtu)
[ "$m" = "$m0" ] || { escape "lo's MTU is now $m"; ip link set lo mtu $m0; }

# The immutable flag on a file the domain may only read.
echo data > /tmp/cif/ro; echo data > /tmp/cif/rw
expect_ok "outside: FS_IOC32_SETFLAGS (ia32)" $F setflags-32 /tmp/cif/ro
refused "inside: FS_IOC32_SETFLAGS +i (ia32) on a read-only file" 1,13 $S setflags-32 /tmp/cif/ro +i ||
	$F setflags-32 /tmp/cif/ro -i
expect_ok "inside: FS_IOC32_SETFLAGS (ia32) on a writable file" $S setflags-32 /tmp/cif/rw
finish
