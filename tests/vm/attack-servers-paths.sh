#!/bin/sh
# Attack (route: wayland's server sockets, /run/user/UID/wayland-NAME
# bound by UID: net.c charter_check_unix_peer(), fs.c
# charter_check_unix_path(), servers.c). Which path is judged, and how
# the name is read. A socket is judged at the place it is bound (its
# dentry's path now), whatever name the caller connects by: a symlink or
# a hard link named wayland-* to another socket gets nothing from the
# class, and a compositor's socket moved away is no longer one. The UID
# is read as a number of the runtime directory: a leading zero, or
# 4294967295 (no uid), is no user's. These held when written (coverage,
# 6.1 and 6.12); a connect through '..' reaches the real one.
. /tests/attack.sh
load_module

D=/opt/rtw
rm -rf $D /run/user/0 /run/user/00 /run/user/4294967295 && mkdir -p $D
mkdir -p -m 0700 /run/user/0 /run/user/0/x /run/user/00 /run/user/4294967295
cp /tests/bin/srvatk /tmp/rtw-free
cp /tests/bin/srvatk $D/w && echo w >> $D/w
manifest $D w w "allowedDevices: [wayland]"
expect_ok "load" charter load --allow-unsigned $D/w.yml
W=$D/w

pids=
bg() { /tmp/rtw-free listen stream "$@" 40 & pids="$pids $!"; }
bg /run/user/0/wayland-0
bg /run/user/0/x/other
bg /run/user/00/wayland-0
bg /run/user/4294967295/wayland-0
i=0
while [ ! -S /run/user/4294967295/wayland-0 ] || [ ! -S /run/user/0/x/other ]; do
	[ $i -lt 50 ] || fail "the listeners did not start"
	sleep 0.1; i=$((i + 1))
done
sleep 0.5
ln -s /run/user/0/x/other /run/user/0/wayland-ln
ln /run/user/0/x/other /run/user/0/wayland-hl || fail "hard link of a socket"
# The compositor's socket moved out of its place (by root, outside).
bg /run/user/0/wayland-gone
i=0
while [ ! -S /run/user/0/wayland-gone ]; do
	[ $i -lt 50 ] || fail "the listener did not start"
	sleep 0.1; i=$((i + 1))
done
mv /run/user/0/wayland-gone /run/user/0/x/gone

expect_ok "sanity: wayland reaches the compositor" $W connect stream /run/user/0/wayland-0
expect_ok "through '..' and '//' to the compositor" $W connect stream /run/user/0/x/..//wayland-0
expect_ok "unconfined: the symlink leads to a socket" /tmp/rtw-free connect stream /run/user/0/wayland-ln
expect_ok "unconfined: the hard link too" /tmp/rtw-free connect stream /run/user/0/wayland-hl
refused "a symlink wayland-ln to another socket" $EACCES $W connect stream /run/user/0/wayland-ln
refused "a hard link wayland-hl of another socket" $EACCES $W connect stream /run/user/0/wayland-hl
refused "the compositor's socket renamed out of the runtime directory" $EACCES \
	$W connect stream /run/user/0/x/gone
refused "/run/user/00 (a leading zero)" $EACCES $W connect stream /run/user/00/wayland-0
refused "/run/user/4294967295 (no uid)" $EACCES $W connect stream /run/user/4294967295/wayland-0

kill $pids 2> /dev/null
wait 2> /dev/null
rm -rf /run/user/0 /run/user/00 /run/user/4294967295
finish
