#!/bin/sh
# vm-modules: dummy
# Inbound rules read as firewall rules: a server may bind and listen on
# any local address (0.0.0.0, [::], dual-stack) with a granted protocol
# and port; the rule's address says which peers may reach it. A SYN or a
# datagram from a peer outside every inbound rule (here 10.9.0.2 and
# fd00::2, on a dummy interface) is dropped before the program sees it,
# counted and reported; a UDP reply from an endpoint an outbound rule
# grants is delivered; complain mode delivers with a would-deny event.
. /tests/charter-test.sh
load_module
EINPROGRESS=115
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null
modprobe dummy || fail "modprobe dummy"
ip link add d0 type dummy || fail "no dummy interface"
nc=; srv=; mon=
cleanup() {
	kill $nc $srv $mon 2>/dev/null
	ip link del d0 2>/dev/null
}
trap cleanup EXIT
echo 0 > /proc/sys/net/ipv6/conf/d0/accept_dad	# addresses usable at once
ip link set d0 up
ip addr add 10.9.0.1/24 dev d0
ip addr add 10.9.0.2/24 dev d0
ip -6 addr add fd00::1/64 dev d0
ip -6 addr add fd00::2/64 dev d0

rm -rf /opt/in && mkdir -p /opt/in
cp /tests/bin/netop /opt/in/netop
cp /bin/busybox /opt/in/nc && echo >> /opt/in/nc	# a busybox of its own
for p in netop nc; do
	cat > /opt/in/$p.yml <<YML
manifestVersion: v1
name: in-$p
run: ./$p
baseline: none
allowedNetwork:
  - {name: web, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: 8080}
  - {name: web6, direction: inbound, ip: '::1', protocol: tcp, port: 8080}
  - {name: udp, direction: inbound, ip: 127.0.0.1, protocol: udp, port: 8053}
  - {name: udp6, direction: inbound, ip: '::1', protocol: udp, port: 8053}
  - {name: dns, direction: outbound, ip: 10.9.0.1, protocol: udp, port: 53}
YML
done
expect_ok "load" charter load --allow-unsigned /opt/in/netop.yml /opt/in/nc.yml
N=/opt/in/netop
cp /tests/bin/netop /tmp/free && printf '\n\n\n' >> /tmp/free	# unconfined
F="/tmp/free on"

denied() { charter status --json | sed -n 's/.*"denied":\([0-9]*\).*/\1/p'; }
would() { charter status --json | sed -n 's/.*"would_deny":\([0-9]*\).*/\1/p'; }

# Services: the protocol and port are judged, not the local address.
expect_ok "bind 0.0.0.0:8080 (tcp) with a rule for 127.0.0.1" $N bind 0.0.0.0 8080 tcp
expect_ok "bind [::]:8080 (tcp, dual-stack)" $N bind :: 8080 tcp
expect_ok "bind 10.9.0.1:8080 (tcp)" $N bind 10.9.0.1 8080 tcp
expect_ok "bind 0.0.0.0:8053 (udp)" $N bind 0.0.0.0 8053 udp
expect_errno "a port no rule grants" $EACCES $N bind 0.0.0.0 8081 tcp
expect_errno "the tcp port over udp" $EACCES $N bind 0.0.0.0 8080 udp
expect_errno "an outbound rule's port is no service" $EACCES $N bind 0.0.0.0 53 udp

charter monitor --json > /tmp/in.json 2>&1 & mon=$!
sleep 1

# busybox nc -l -p 8080 listens on [::]:8080 (dual-stack): reached over
# 127.0.0.1, the outside peer's SYN dropped.
/opt/in/nc -l -p 8080 < /dev/null > /tmp/nc.out 2> /tmp/nc.err & nc=$!
sleep 1
before=$(denied)
expect_errno "outside peer 10.9.0.2 to nc: SYN dropped" $EINPROGRESS \
	$F tcp bind 10.9.0.2 0 timeout 2 connect 10.9.0.1 8080 send
[ "$(denied)" -gt "$before" ] || fail "the dropped SYN was not counted"
pass "the dropped SYN is counted"
expect_ok "127.0.0.1 reaches nc on [::]:8080" $F tcp timeout 5 connect 127.0.0.1 8080 send
sleep 1
kill $nc 2>/dev/null
wait $nc 2>/dev/null
[ "$(cat /tmp/nc.out)" = x ] || fail "nc received '$(cat /tmp/nc.out)' $(cat /tmp/nc.err)"
pass "nc accepted 127.0.0.1 only and got its byte"

# netop's own server on [::]:8080: IPv4 and IPv6 peers inside the rules
# get through, outside ones never reach accept.
$N recv tcp :: 8080 60 > /tmp/srv.out & srv=$!
sleep 1
expect_ok "127.0.0.1 to [::]:8080 (dual-stack, v4 peer)" $F tcp timeout 5 connect 127.0.0.1 8080 send
expect_ok "::1 to [::]:8080" $F tcp6 timeout 5 connect ::1 8080 send
expect_errno "fd00::2 to [::]:8080: dropped" $EINPROGRESS \
	$F tcp6 bind fd00::2 0 timeout 2 connect fd00::1 8080 send
expect_errno "10.9.0.2 to [::]:8080: dropped" $EINPROGRESS \
	$F tcp bind 10.9.0.2 0 timeout 2 connect 10.9.0.1 8080 send
expect_errno "mapped 10.9.0.2 over IPv6 to [::]:8080: dropped" $EINPROGRESS \
	$F tcp6 bind ::ffff:10.9.0.2 0 timeout 2 connect ::ffff:10.9.0.1 8080 send
sleep 1
kill $srv
wait $srv
[ "$(cat /tmp/srv.out)" = 2 ] || fail "the server received $(cat /tmp/srv.out) bytes, not 2"
pass "the server saw the two inside peers only"

# UDP on 0.0.0.0:8053: inside peers and replies delivered, others dropped.
$N recv udp 0.0.0.0 8053 60 > /tmp/udp.out & srv=$!
sleep 1
before=$(denied)
expect_ok "from 127.0.0.1 (inside)" $F udp sendto 127.0.0.1 8053
expect_ok "from 10.9.0.2 (outside: sent, dropped)" $F udp bind 10.9.0.2 0 sendto 10.9.0.1 8053
expect_ok "from 10.9.0.2:53 (an outbound rule names 10.9.0.1 only)" \
	$F udp bind 10.9.0.2 53 sendto 10.9.0.1 8053
expect_ok "from 10.9.0.1:54 (not the outbound rule's port)" \
	$F udp bind 10.9.0.1 54 sendto 10.9.0.1 8053
expect_ok "from 10.9.0.1:53 (a reply: the outbound rule)" \
	$F udp bind 10.9.0.1 53 sendto 10.9.0.1 8053
expect_ok "from 10.9.0.1:53 to 127.0.0.1 (a reply)" \
	$F udp bind 10.9.0.1 53 sendto 127.0.0.1 8053
sleep 1
kill $srv
wait $srv
[ "$(cat /tmp/udp.out)" = 3 ] || fail "udp server received $(cat /tmp/udp.out) datagrams, not 3"
pass "the udp server got the inside peer and the replies only"
[ "$(denied)" -ge $((before + 3)) ] || fail "dropped datagrams not counted: $before -> $(denied)"
pass "dropped datagrams are counted"

$N recv udp :: 8053 60 > /tmp/udp6.out & srv=$!
sleep 1
expect_ok "udp6 from ::1" $F udp6 sendto ::1 8053
expect_ok "udp6 from 127.0.0.1 (dual-stack)" $F udp sendto 127.0.0.1 8053
expect_ok "udp6 from fd00::2 (dropped)" $F udp6 bind fd00::2 0 sendto fd00::1 8053
expect_ok "udp6 from 10.9.0.2 (dropped)" $F udp bind 10.9.0.2 0 sendto 10.9.0.1 8053
sleep 1
kill $srv
wait $srv
[ "$(cat /tmp/udp6.out)" = 2 ] || fail "udp6 server received $(cat /tmp/udp6.out), not 2"
pass "the dual-stack udp server got the inside peers only"

# The unconfined are unaffected.
/tmp/free recv tcp 0.0.0.0 8090 60 > /tmp/free.out & srv=$!
sleep 1
expect_ok "an unconfined server is reached from 10.9.0.2" \
	$F tcp bind 10.9.0.2 0 timeout 5 connect 10.9.0.1 8090 send
kill $srv
wait $srv
[ "$(cat /tmp/free.out)" = 1 ] || fail "unconfined server got $(cat /tmp/free.out)"
pass "an unconfined server sees every peer"

# Complain mode: delivered, reported as would-deny.
expect_ok "complain" charter mode complain --manifest in-netop
$N recv tcp 0.0.0.0 8080 60 > /tmp/srv.out & srv=$!
sleep 1
before=$(would)
expect_ok "complain: 10.9.0.2 gets through" \
	$F tcp bind 10.9.0.2 0 timeout 5 connect 10.9.0.1 8080 send
sleep 1
kill $srv
wait $srv
[ "$(cat /tmp/srv.out)" = 1 ] || fail "complain: the server got $(cat /tmp/srv.out)"
[ "$(would)" -gt "$before" ] || fail "complain: no would-deny counted"
pass "complain mode delivers and counts a would-deny"
expect_ok "enforce" charter mode inherit --manifest in-netop
sleep 1
kill $mon
wait $mon 2>/dev/null

grep -q '"pid":0,"comm":"(network)","manifest":"in-nc",.*"decision":"denied","operation":"inbound","protocol":"tcp","address":"10.9.0.2","port":8080}' /tmp/in.json ||
	fail "no event for nc's dropped SYN: $(cat /tmp/in.json)"
grep -q '"manifest":"in-netop",.*"decision":"denied","operation":"inbound","protocol":"tcp","address":"fd00::2","port":8080}' /tmp/in.json ||
	fail "no event for the v6 SYN: $(cat /tmp/in.json)"
grep -q '"manifest":"in-netop",.*"decision":"denied","operation":"inbound","protocol":"udp","address":"10.9.0.2","port":8053}' /tmp/in.json ||
	fail "no event for the dropped datagram: $(cat /tmp/in.json)"
grep -q '"manifest":"in-netop",.*"decision":"would-deny","operation":"inbound","protocol":"tcp","address":"10.9.0.2","port":8080}' /tmp/in.json ||
	fail "no would-deny event: $(cat /tmp/in.json)"
pass "monitor reports dropped peers (pid 0: no process)"
