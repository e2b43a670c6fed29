#!/bin/sh
# vm-modules: slip
# Terminals of other sessions. Every pty slave is "always allowed", so a
# confined root can open the pty of an administrator's session (an ssh
# login is one) and read what is typed there; and three tty ioctls need
# CAP_SYS_ADMIN and have no hook but file_ioctl, which lets them through:
# TIOCSCTTY(1) steals another session's controlling terminal, TIOCVHANGUP
# hangs it up (SIGHUP to that session: vhangup() is refused, this is the
# same thing), TIOCCONS takes /dev/console's output. And a line discipline
# makes network interfaces: TIOCSETD(N_SLIP) on a pty of its own creates
# sl0 (slip_open() asks CAP_NET_ADMIN; the module must be loaded).
. /tests/attack.sh
load_module

rm -rf /opt/tt && mkdir -p /opt/tt
cp /tests/bin/privop /opt/tt/privop
unique /tests/bin/privop /tmp/privop-free
manifest /opt/tt tt privop
expect_ok "load" charter load --allow-unsigned /opt/tt/tt.yml
S=/opt/tt/privop
F=/tmp/privop-free

# Sessions outside every domain, each with a pty and typed input waiting.
HOLDERS=
for s in a b c d e f; do
	$F pty-hold /tmp/tt.$s &
	HOLDERS="$HOLDERS $!"
done
sleep 2
for s in a b c d e f; do
	read -r slave child < /tmp/tt.$s || fail "pty-hold $s"
	eval "SL_$s=$slave CH_$s=$child"
done
ttynr() { awk '{print $7}' /proc/$1/stat; }
# alive PID: running or sleeping (the holder does not reap: a zombie is dead)
alive() { st=$(awk '{print $3}' /proc/$1/stat 2>/dev/null); [ -n "$st" ] && [ "$st" != Z ]; }

# Outside a domain, all of it works.
$F tty-read $SL_a | grep -q hunter2 || fail "reading the pty from outside"
pass "outside: read another session's typed input"
expect_ok "outside: TIOCSCTTY(1) steals a terminal" $F tty-steal $SL_b
[ "$(ttynr $CH_b)" = 0 ] || fail "the session still has its terminal"
expect_ok "outside: TIOCVHANGUP" $F tty-vhangup $SL_c
sleep 1
alive $CH_c && fail "the hung-up session leader lives"
expect_ok "outside: TIOCCONS" $F tty-cons
expect_ok "outside: TIOCCONS off" $F tty-cons-off

# Inside.
# Known gap (threat-model.rst): pty slaves are always allowed. Reported,
# not counted, so the rest of this script guards what is closed.
$S tty-read $SL_d 2>/dev/null | grep -q hunter2 &&
	echo "known gap (threat-model.rst): another session's pty is readable"
t=$(ttynr $CH_e)
refused "inside: TIOCSCTTY(1) on another session's terminal" 1,13 $S tty-steal $SL_e
[ "$(ttynr $CH_e)" = "$t" ] || escape "the session lost its terminal"
refused "inside: TIOCVHANGUP on another session's terminal" 1,13 $S tty-vhangup $SL_f
sleep 1
alive $CH_f || escape "the session leader was hung up (SIGHUP) from inside"
refused "inside: TIOCCONS" 1,13 $S tty-cons || $F tty-cons-off

# A network interface from a line discipline.
modprobe slip || fail "modprobe slip"
$F ldisc-slip & sleep 1
[ -e /sys/class/net/sl0 ] || fail "no sl0 from outside"
pass "outside: N_SLIP makes sl0"
wait $!
sleep 1
[ -e /sys/class/net/sl0 ] && fail "sl0 outlived its pty"
$S ldisc-slip > /tmp/tt.slip 2>&1 & sleep 1
[ -e /sys/class/net/sl0 ] && escape "a confined root created network interface sl0"
wait $!
echo "inside: N_SLIP answered $?: $(cat /tmp/tt.slip)"

kill $HOLDERS 2>/dev/null
for s in a b c d e f; do eval "kill \$CH_$s" 2>/dev/null; done
finish
