#!/bin/sh
# An IPv6 flow label made outside every domain with shared scope IPV6_FL_S_ANY and an IPV6_RTHDR
# (type 2, through fd00::2) as its options can be attached by number from
# inside a domain (IPV6_FLOWLABEL_MGR, IPV6_FL_A_GET without CREATE: only
# fl_create() parses options, and an attach brings none), and every
# datagram the domain then sends with that label (IPV6_FLOWINFO_SEND,
# sin6_flowinfo) to a granted address goes first to fd00::2, which no
# rule grants (udpv6_sendmsg(): fl6_merge_options(), fl6_update_dst()).
# The outsider need not act for the domain (the kernel asks no capability
# for a type 2 routing header nor for IPV6_FL_S_ANY): flow labels are
# one namespace per netns (found by a red-team run). So a domain may not
# use the flow label manager at all (kmod/net.c,
# charter_sets_source_route(): EACCES); making a label is refused too
# (attack-net-cmsg-routes.sh).
. /tests/attack.sh
load_module
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null
ip -6 addr del fd00::2/128 dev lo 2>/dev/null
ip -6 addr add fd00::2/128 dev lo || fail "add fd00::2"
sleep 1
rm -rf /opt/r2l && mkdir -p /opt/r2l
cp /tests/bin/netroute /opt/r2l/netroute
manifest /opt/r2l r2l netroute "allowedNetwork:
  - {name: dns6, direction: outbound, ip: '::1', protocol: udp, port: 5300}"
expect_ok "load" charter load --allow-unsigned /opt/r2l/r2l.yml
unique /tests/bin/netroute /tmp/r2l-free
unique /tests/bin/rt_cmsg /tmp/r2l-sniff

# A process outside every domain makes the label.
/tmp/r2l-free flow-hold fd00::2 2345 30 > /tmp/r2l-hold.out 2>&1 & H=$!
i=0; while ! grep -q ready /tmp/r2l-hold.out && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q ready /tmp/r2l-hold.out || fail "flow-hold: $(cat /tmp/r2l-hold.out)"
# use WHO: WHO's flow-use of the label while packets to fd00::2 are
# counted; sets $rc and $count.
use() {
	/tmp/r2l-sniff sniff 6 fd00::2 20 > /tmp/r2l-sniff.out & s=$!
	i=0; while ! grep -q ready /tmp/r2l-sniff.out && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	timeout -s KILL 20 $1 flow-use ::1 5300 2345 > /tmp/r2l.out 2>&1; rc=$?
	sleep 0.5; kill -TERM $s; wait $s
	count=$(tail -n 1 /tmp/r2l-sniff.out)
}
use /tmp/r2l-free
[ "$rc" = 0 ] && [ "$count" -gt 0 ] ||
	fail "unconfined baseline: exit $rc, $count packets reached fd00::2: $(cat /tmp/r2l.out)"
pass "unconfined: the shared label sends through fd00::2 ($count packets)"
use /opt/r2l/netroute
if [ "$count" -gt 0 ]; then
	escape "a shared flow label's routing header: exit $rc, $count packets reached fd00::2"
elif [ "$rc" != 13 ]; then
	escape "shared flow label: nothing reached fd00::2, but exit $rc (want EACCES): $(cat /tmp/r2l.out)"
else
	pass "shared flow label: refused, nothing reached fd00::2"
fi
kill $H 2>/dev/null; wait $H 2>/dev/null
ip -6 addr del fd00::2/128 dev lo
finish
