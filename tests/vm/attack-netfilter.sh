#!/bin/sh
# vm-modules: x_tables ip_tables iptable_filter
# The firewall through setsockopt on an ordinary UDP socket: ip_setsockopt()
# hands every option it does not know to nf_setsockopt(), so
# IPT_SO_SET_REPLACE (iptables-legacy's whole-table replace) works on any
# AF_INET socket, not only a raw one; it needs CAP_NET_ADMIN, which a
# confined root has, and Charter has no setsockopt hook. (ip6tables through
# IPv6 sockets, arptables and ebtables through AF_INET ones, IPVS: alike.)
. /tests/attack.sh
load_module
ip link set lo up
modprobe iptable_filter || fail "modprobe iptable_filter"

rm -rf /opt/nf && mkdir -p /opt/nf
cp /tests/bin/privop /opt/nf/privop
unique /tests/bin/privop /tmp/privop-free
manifest /opt/nf nf privop
expect_ok "load" charter load --allow-unsigned /opt/nf/nf.yml
S=/opt/nf/privop
F=/tmp/privop-free

expect_ok "IPT_SO_GET_INFO outside" $F ipt-info
expect_ok "a datagram to 127.0.0.1 leaves" $F udp-send 127.0.0.1 9
expect_ok "OUTPUT policy DROP, from outside a domain" $F ipt-policy output DROP
expect_errno "now a datagram is dropped" $EPERM $F udp-send 127.0.0.1 9
expect_ok "OUTPUT policy back to ACCEPT" $F ipt-policy output ACCEPT
expect_ok "a datagram leaves again" $F udp-send 127.0.0.1 9

refused "IPT_SO_SET_REPLACE (OUTPUT DROP) inside, on a UDP socket" 1,13 $S ipt-policy output DROP
if ! $F udp-send 127.0.0.1 9 2>/dev/null; then
	escape "the confined root's firewall rule drops the whole system's traffic"
	$F ipt-policy output ACCEPT
fi
finish
