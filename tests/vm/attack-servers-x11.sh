#!/bin/sh
# Attack (route: x11's server sockets, /tmp/.X11-unix/XN and the abstract
# @/tmp/.X11-unix/XN "bound by root or by the connecting task's uid":
# servers.c charter_server_classes(), net.c charter_check_abstract_peer(),
# charter_server_maker_ok()). Both attacks below worked when first run
# (red team); the kernel now compares the real uid and takes a class's
# grant only for a socket made outside every domain.
#
# 1. The owner test read the caller's fsuid, which a confined root sets
#    as it likes (setfsuid needs only CAP_SETUID). desktop-sockets.sh
#    holds that an X server of another user (uid 1000) is refused to a
#    root program with display; with setfsuid(1000) first, it connects
#    (abstract and pathname): ESCAPE.
# 2. Abstract sockets are scoped to the domain (EPERM) unless they look
#    like X11's, and binding an abstract name needs no grant at all: a
#    program of another domain with no class and no rule (same uid)
#    binds @/tmp/.X11-unix/X9 and the x11 program connects to it: a
#    channel between two domains neither manifest grants (the other
#    program is no X server and no X client): ESCAPE.
# Held (coverage): the scoping of an ordinary abstract name between the
# same two domains; an X11 name padded with a NUL; a datagram connect()
# to an X11 path. Printed as notes: a SOCK_SEQPACKET listener bound by
# root at an X11 path (a stream-like connect, granted as the class says)
# and an X11 path socket bound by a program of another domain that may
# write /tmp.
. /tests/attack.sh
load_module

D=/opt/rtx
rm -rf $D && mkdir -p $D
mkdir -p /tmp/.X11-unix && chmod 1777 /tmp/.X11-unix
rm -f /tmp/.X11-unix/X*
cp /tests/bin/srvatk /tmp/rtx-free
prog() {
	cp /tests/bin/srvatk $D/$1 && echo "$1" >> $D/$1	# a digest of its own
	manifest $D $1 $1 "$2"
}
prog a "allowedDevices: [x11]"
prog b ""
prog btmp "  - {name: tmp, path: /tmp, permission: readWrite}"
charter load --allow-unsigned $D/a.yml $D/b.yml $D/btmp.yml > /tmp/rtx.load ||
	fail "load: $(cat /tmp/rtx.load)"
A=$D/a

pids=
bg() { "$@" & pids="$pids $!"; }
bg /tmp/rtx-free listen stream @/tmp/.X11-unix/X0 40
bg /tmp/rtx-free listen stream /tmp/.X11-unix/X0 40
bg /tests/bin/asuid 1000 /tmp/rtx-free listen stream @/tmp/.X11-unix/X6 40
bg /tests/bin/asuid 1000 /tmp/rtx-free listen stream /tmp/.X11-unix/X5 40
bg /tmp/rtx-free listen stream @/tmp/.X11-unix/X7 40 1
bg /tmp/rtx-free listen dgram /tmp/.X11-unix/X4 40
bg /tmp/rtx-free listen seqpacket /tmp/.X11-unix/X3 40
# Domain b (no class, no rule but its own directory).
bg $D/b listen stream @/tmp/.X11-unix/X9 40
bg $D/b listen stream @rtx-plain 40
# Domain btmp (may write /tmp, so /tmp/.X11-unix).
bg $D/btmp listen stream /tmp/.X11-unix/X8 40
i=0
while [ ! -S /tmp/.X11-unix/X8 ] || [ ! -S /tmp/.X11-unix/X3 ] || [ ! -S /tmp/.X11-unix/X5 ]; do
	[ $i -lt 50 ] || fail "the listeners did not start"
	sleep 0.1; i=$((i + 1))
done
sleep 1

# Unconfined, every one is reachable.
for s in @/tmp/.X11-unix/X6 /tmp/.X11-unix/X5 @/tmp/.X11-unix/X9 @rtx-plain /tmp/.X11-unix/X8; do
	/tmp/rtx-free connect stream $s || fail "unconfined: $s unreachable"
done
expect_ok "unconfined: the padded name" /tmp/rtx-free connect stream @/tmp/.X11-unix/X7 - 1
pass "unconfined, every listener is reachable"

# The legitimate case: root's X server, both sockets.
expect_ok "x11 reaches root's abstract X server" $A connect stream @/tmp/.X11-unix/X0
expect_ok "x11 reaches root's X server socket" $A connect stream /tmp/.X11-unix/X0
# As documented: another user's X server is refused...
refused "x11 (root) to uid 1000's abstract X server" $EACCES,$EPERM $A connect stream @/tmp/.X11-unix/X6
refused "x11 (root) to uid 1000's X server socket" $EACCES $A connect stream /tmp/.X11-unix/X5
# 1. ...unless the confined root first sets its fsuid to that user's.
refused "x11 (root, setfsuid 1000) to uid 1000's abstract X server" $EACCES,$EPERM \
	$A connect stream @/tmp/.X11-unix/X6 1000
refused "x11 (root, setfsuid 1000) to uid 1000's X server socket" $EACCES \
	$A connect stream /tmp/.X11-unix/X5 1000

# 2. Another domain's abstract sockets.
refused "x11 to domain b's abstract socket @rtx-plain (scoped)" $EPERM $A connect stream @rtx-plain
refused "x11 to domain b's abstract @/tmp/.X11-unix/X9 (no X server: b has no grant)" \
	$EACCES,$EPERM $A connect stream @/tmp/.X11-unix/X9

# Held.
refused "x11 to root's @/tmp/.X11-unix/X7 padded with a NUL" $EACCES,$EPERM \
	$A connect stream @/tmp/.X11-unix/X7 - 1
refused "x11: datagram connect() to an X11 path" $EACCES $A connect dgram /tmp/.X11-unix/X4

# Notes.
$A connect seqpacket /tmp/.X11-unix/X3 > /tmp/rtx.out 2>&1
echo "# note: x11 to root's SOCK_SEQPACKET listener at /tmp/.X11-unix/X3: exit $? (0: granted by the class)"
$A connect stream /tmp/.X11-unix/X8 > /tmp/rtx.out 2>&1
echo "# note: x11 to /tmp/.X11-unix/X8 bound by domain btmp (may write /tmp): exit $? (0: reached another domain)"

kill $pids 2> /dev/null
wait 2> /dev/null
rm -f /tmp/.X11-unix/X*
finish
