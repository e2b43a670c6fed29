#!/bin/sh
# Network configuration over netlink and socket ioctls (regressions):
# rtnetlink batches through sendmmsg, a message split over two sends, a
# socket of another protocol opened outside and inherited,
# RTM_NEWLINK through io_uring. And the one that
# works: an io_uring handed in by a process outside every domain, with that
# process's credentials registered as a personality: each operation
# submitted with it runs with those credentials, so Charter's hooks see no
# domain (IORING_REGISTER_PERSONALITY; the same for every other hook).
. /tests/attack.sh
load_module
ip link set lo up

rm -rf /opt/nl && mkdir -p /opt/nl
cp /tests/bin/privop /opt/nl/privop
unique /tests/bin/privop /tmp/privop-free
manifest /opt/nl nl privop
expect_ok "load" charter load --allow-unsigned /opt/nl/nl.yml
S=/opt/nl/privop
F=/tmp/privop-free

expect_ok "GETLINK then NEWLINK in one sendmmsg, outside" $F rtnl-sendmmsg
refused "GETLINK then NEWLINK in one sendmmsg, inside" 1,13 $S rtnl-sendmmsg
expect_ok "NEWLINK split over two sends, outside: dropped" $F rtnl-split
refused "NEWLINK split over two sends, inside" 0,1 $S rtnl-split
expect_ok "NETLINK_AUDIT AUDIT_GET, outside" $F nl-audit
refused "NETLINK_AUDIT socket inside" 13 $S nl-audit
expect_ok "NETLINK_AUDIT opened outside, used outside" $F nl-hold 9 $F nl-audit-fd
refused "NETLINK_AUDIT opened outside, inherited" 1,13 $F nl-hold 9 $S nl-audit-fd

q0=$(cat /sys/class/net/lo/tx_queue_len)
expect_ok "io_uring RTM_NEWLINK (txqueuelen) outside" $F uring-hold $F uring-txqlen 1001
[ "$(cat /sys/class/net/lo/tx_queue_len)" = 1001 ] || fail "txqueuelen not set from outside"
refused "io_uring RTM_NEWLINK inside (its own credentials)" 1,13 $F uring-hold $S uring-txqlen 1002
refused "io_uring RTM_NEWLINK inside, with the outside personality" 1,13 \
	$F uring-hold $S uring-txqlen 1003 personality
q=$(cat /sys/class/net/lo/tx_queue_len)
[ "$q" = 1001 ] || escape "lo's txqueuelen was changed from inside a domain to $q"
$F uring-hold $F uring-txqlen "$q0" > /dev/null 2>&1
finish
