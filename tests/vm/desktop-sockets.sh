#!/bin/sh
# Attack (route: net.c's unix socket hooks, a display or sound server's
# socket granted by a device class: servers.c). Mock servers (netop
# listeners, bound by root or by uid 1000) at every place the classes
# name and at look-alikes; manifested copies of netop, each with other
# classes, connect. PASSES when each class reaches its servers' sockets
# and nothing else: wayland not X11 ("Wayland only"), display both,
# either audio class the sound servers, keyboard and mouse none; a socket
# bound by the wrong owner, PipeWire's manager socket, a look-alike path
# and a datagram get nothing from a class; stacked layers each need it;
# and a refusal is reported as the server's.
. /tests/attack.sh
load_module

D=/opt/ds
rm -rf $D && mkdir -p $D
mkdir -p -m 0700 /run/user/0 /run/user/0/pulse /run/pulse /tmp/.X11-unix /run/user/0/x
mkdir -p -m 0700 /run/user/1000 && chown 1000:1000 /run/user/1000
chmod 1777 /tmp/.X11-unix
cp /tests/bin/netop /tmp/dsserver

# name CLASSES: a copy of netop whose manifest grants CLASSES.
prog() {
	cp /tests/bin/netop $D/$1 && echo "$1" >> $D/$1	# a digest of its own
	manifest $D $1 $1 "allowedDevices: [$2]"
}
prog none ""
prog wayland wayland
prog display display
prog audioout audioOut
prog audioin audioIn
prog input "keyboard, mouse"
prog proposal "mouse, keyboard, audioOut, display"
prog gpu gpu
# Stacked: a display program that runs the audioOut one (its exec needs
# the directory: readExecute, from manifest()).
unique /tests/bin/fileop $D/outer
manifest $D outer outer "allowedDevices: [display]"
ALL="none wayland display audioout audioin input proposal gpu outer"
charter load --allow-unsigned $(for p in $ALL; do echo $D/$p.yml; done) > /tmp/ds.load ||
	fail "load: $(cat /tmp/ds.load)"

WL=/run/user/0/wayland-0 WL1=/run/user/0/wayland-1
X0=/tmp/.X11-unix/X0 AX0=@/tmp/.X11-unix/X0
PA=/run/user/0/pulse/native PW=/run/user/0/pipewire-0 SPA=/run/pulse/native
pids=
listen() { "$@" 60 & pids="$pids $!"; }
for s in $WL $WL1 $X0 $AX0 $PA $PW $SPA /run/user/0/pipewire-0-manager \
	 /tmp/wayland-0 /run/user/0/x/wayland-0 /run/user/0/pulse/native.x \
	 /tmp/.X11-unix/X0x; do
	listen /tmp/dsserver unix-listen $s
done
# Bound by uid 1000: its own runtime directory's server is one; an
# X server of another user than the caller (root) is not.
listen /tests/bin/asuid 1000 /tmp/dsserver unix-listen /run/user/1000/wayland-0
listen /tests/bin/asuid 1000 /tmp/dsserver unix-listen /tmp/.X11-unix/X5
listen /tests/bin/asuid 1000 /tmp/dsserver unix-listen @/tmp/.X11-unix/X6
# Bound by root in uid 1000's directory: not that user's compositor.
listen /tmp/dsserver unix-listen /run/user/1000/wayland-9
listen /tmp/dsserver unix-dgram /run/user/0/wayland-dg
i=0
while [ ! -S /run/user/1000/wayland-9 ] || [ ! -S /run/user/0/wayland-dg ]; do
	[ $i -lt 50 ] || fail "the mock servers did not start"
	sleep 0.1; i=$((i + 1))
done
sleep 0.5

charter monitor > /tmp/ds.events 2>&1 & mon=$!
charter monitor --json > /tmp/ds.json 2>&1 & monj=$!
sleep 1

# The sanity check: unconfined, every socket is reachable.
for s in $WL $X0 $AX0 $PA /run/user/1000/wayland-0 /tmp/.X11-unix/X5; do
	/tmp/dsserver unix-connect $s || fail "unconfined: $s unreachable"
done
pass "unconfined, every mock server is reachable"

# reach PROG SOCKET: must connect.  deny PROG SOCKET: must be refused.
reach() { expect_ok "$1 reaches $2" $D/$1 unix-connect $2; }
deny() { refused "$1 to $2" $EACCES $D/$1 unix-connect $2; }

for s in $WL $WL1 $X0 $AX0 $PA $PW $SPA; do deny none $s; done
refused "no class, the X server's abstract socket" $EACCES,$EPERM $D/none unix-connect $AX0

reach wayland $WL
reach wayland $WL1
reach wayland /run/user/1000/wayland-0
for s in $X0 $AX0 $PA $PW $SPA; do deny wayland $s; done

for s in $WL $X0 $AX0; do reach display $s; done
for s in $PA $PW $SPA; do deny display $s; done

for p in audioout audioin; do
	for s in $PA $PW $SPA; do reach $p $s; done
	for s in $WL $X0 $AX0; do deny $p $s; done
done

for s in $WL $X0 $AX0 $PA $PW; do deny input $s; done
for s in $WL $X0 $PA $PW; do deny gpu $s; done
for s in $WL $X0 $AX0 $PA $PW $SPA; do reach proposal $s; done

# What no class grants.
deny proposal /run/user/0/pipewire-0-manager
deny proposal /tmp/wayland-0
deny proposal /run/user/0/x/wayland-0
deny proposal /run/user/0/pulse/native.x
deny proposal /tmp/.X11-unix/X0x
deny proposal /run/user/1000/wayland-9
deny proposal /tmp/.X11-unix/X5
refused "proposal to another user's abstract X server" $EACCES,$EPERM \
	$D/proposal unix-connect @/tmp/.X11-unix/X6
refused "a datagram to a server's place" $EACCES $D/proposal unix-sendto /run/user/0/wayland-dg

# Stacked: display, then audioOut; each layer must grant.
expect_ok "outer (display) reaches wayland" $D/outer exec $D/display unix-connect $WL
refused "outer (display) then audioOut: wayland" $EACCES $D/outer exec $D/audioout unix-connect $WL
refused "outer (display) then audioOut: pulse" $EACCES $D/outer exec $D/audioout unix-connect $PA
expect_ok "outer (display) then the proposal: X11" $D/outer exec $D/proposal unix-connect $X0

# The refusal names the server's classes and its socket.
sleep 1
kill $mon $monj 2> /dev/null
grep -q ") wayland: denied write server socket (x11) $X0\$" /tmp/ds.events ||
	escape "wayland's refused X11 connect was not reported as the server's: $(grep 'server socket' /tmp/ds.events | head -3)"
grep -q ") display: denied write server socket (audioOut,audioIn) $PA\$" /tmp/ds.events ||
	escape "display's refused sound connect was not reported: $(grep 'server socket' /tmp/ds.events | head -3)"
grep -q '"server":true,"classes":\["x11"\]' /tmp/ds.json ||
	escape "no JSON server event: $(grep -m1 server /tmp/ds.json)"
dmesg | grep -q "denied connect to .*'s socket " ||
	escape "the kernel log has no server socket refusal"
pass "refusals reported as the server's"

kill $pids 2> /dev/null
wait 2> /dev/null
finish
