#!/bin/sh
# vm-modules: loop
# Attack (routes: the open, fs.c charter_hook_file_open() /
# charter_open_access() / charter_check_device(); and the ioctl, kernel.c
# charter_hook_file_ioctl(), which judges a device's ioctls never: a
# device was judged by its class when it was opened). A confined root
# with no device class tries:
#   1. an ioctl-only descriptor (O_ACCMODE 3) of a loop device by the other
#      openers (attack-ioctl-mode3.sh tries open(2)): O_PATH then
#      /proc/self/fd/N reopened with mode 3, openat2 (RESOLVE_BENEATH |
#      RESOLVE_NO_MAGICLINKS), open_by_handle_at(mode 3), io_uring
#      IORING_OP_OPENAT(mode 3); each then BLKROSET (makes the device
#      read-only for everyone);
#   2. a virtual console as its controlling terminal, reached through
#      /dev/tty (always allowed, as /dev/ptmx and pty slaves are): the
#      console's keyboard ioctls change the keymap of every console:
#      KDSKBSENT rewrites a function key's string (F1 then types a command
#      into whatever console an administrator presses it on: TIOCSTI by
#      another door), KDSKBENT rewrites a key; KDENABIO (ioperm of the VGA
#      ports) must stay refused (ksys_ioperm() asks locked_down).
#      charter_tty_ioctl_refused() knows TIOCSTI and TIOCLINUX only.
# ESCAPE when the confined call works. Each is made outside a domain
# first, where it must work (n/a when the guest lacks the route). The
# openers were refused when first run (red team); KDSKBSENT and KDSKBENT
# worked: dev.c charter_console_ioctls now refuses the console setters
# on a console's node in a domain.
. /tests/attack.sh
load_module
modprobe loop || fail "modprobe loop"
F=/tmp/oi-free

rm -rf /opt/oi && mkdir -p /opt/oi /srv/oi
cp /tests/bin/openatk /opt/oi/openatk
unique /tests/bin/openatk $F
S=/opt/oi/openatk
manifest /opt/oi oi openatk "  - {name: rw, path: /srv/oi, permission: readWrite}"
expect_ok "load" charter load --allow-unsigned /opt/oi/oi.yml

# 1. Mode 3 by the other openers.
dd if=/dev/zero of=/tmp/oi.img bs=1M count=4 2>/dev/null
dev=$(losetup -f) || fail "no free loop device"
losetup "$dev" /tmp/oi.img || fail "losetup $dev"
echo "# $dev holds /tmp/oi.img"
roget() { $F blkro proc "$dev"; }
[ "$(roget)" = 0 ] || fail "$dev is read-only already"
for how in proc openat2 handle uring; do
	if ! $F blkro $how "$dev" 1 > /tmp/oi.out 2>&1; then
		echo "n/a: $how outside: $(cat /tmp/oi.out)"
		continue
	fi
	[ "$(roget)" = 1 ] || fail "BLKROSET outside by $how changed nothing"
	$F blkro proc "$dev" 0
	pass "outside: $how, mode 3, BLKROSET 1"
	refused "inside: $how, $dev with mode 3, BLKROSET 1" $EPERM,$EACCES \
		$S blkro $how "$dev" 1
	if [ "$(roget)" != 0 ]; then
		escape "BLKROSET inside ($how) made $dev read-only for everyone"
		$F blkro proc "$dev" 0
	fi
done
losetup -d "$dev"
rm -f /tmp/oi.img

# 2. A virtual console through /dev/tty.
if ! $F kdsent /dev/tty1 0 > /tmp/oi.f1 2>&1 || ! [ -c /dev/tty2 ]; then
	echo "n/a: no virtual console: $(cat /tmp/oi.f1)"
	finish
	exit 0
fi
f1=$(cat /tmp/oi.f1)
echo "# F1 types '$f1' on every console"
refused "inside: open /dev/tty2 (no device class)" $EPERM,$EACCES \
	$S kdsent /dev/tty2 0
# Someone outside holds tty2 open (a getty would), or the ctty helper's
# close would be its last and end the session's hold on it.
sleep 600 < /dev/tty2 &
HOLDER=$!

# Outside: the same program, its controlling terminal tty2.
expect_ok "outside: KDSKBSENT F1 through /dev/tty (ctty tty2)" \
	$F ctty /dev/tty2 $F kdsent /dev/tty 0 'echo PWNED\r'
got=$($F kdsent /dev/tty1 0)
[ "$got" = 'echo PWNED\r' ] || fail "KDSKBSENT outside: tty1's F1 is '$got'"
pass "outside: tty1's F1 now types '$got'"
$F kdsent /dev/tty1 0 "$f1" || fail "restoring F1"

refused "inside: KDSKBSENT F1 through /dev/tty (ctty tty2)" $EPERM,$EACCES \
	$F ctty /dev/tty2 $S kdsent /dev/tty 0 'echo PWNED\r'
got=$($F kdsent /dev/tty1 0)
if [ "$got" != "$f1" ]; then
	escape "inside: F1 of every console (tty1's) now types '$got'"
	$F kdsent /dev/tty1 0 "$f1"
fi

a=$($F kdent /dev/tty1 0 30) || fail "KDGKBENT"
echo "# keycode 30 (a) in the plain table: $a"
expect_ok "outside: KDSKBENT a -> z" $F ctty /dev/tty2 $F kdent /dev/tty 0 30 0xf07a
[ "$($F kdent /dev/tty1 0 30)" = 0xf07a ] || fail "KDSKBENT outside changed nothing"
$F kdent /dev/tty1 0 30 "$a"
pass "outside: KDSKBENT changed tty1's keymap"
refused "inside: KDSKBENT a -> z through /dev/tty" $EPERM,$EACCES \
	$F ctty /dev/tty2 $S kdent /dev/tty 0 30 0xf07a
got=$($F kdent /dev/tty1 0 30)
if [ "$got" != "$a" ]; then
	escape "inside: the key a of every console (tty1's) is now $got"
	$F kdent /dev/tty1 0 30 "$a"
fi

if $F ctty /dev/tty2 $F kdenabio /dev/tty > /tmp/oi.out 2>&1; then
	pass "outside: KDENABIO"
	refused "inside: KDENABIO through /dev/tty" $EPERM,$EACCES,6 \
		$F ctty /dev/tty2 $S kdenabio /dev/tty
else
	echo "n/a: KDENABIO outside: $(cat /tmp/oi.out)"
fi
kill $HOLDER
finish
