#!/bin/sh
# Attack (route: UDP peers, red17e): a sendto's IPv4 address read at once
# (kmod/sockaddr.c's fast path), the owner's domain read under read_lock()
# of sk_callback_lock in one RCU section (kmod/netpeer.c). Outbound: a
# datagram to an address or port no rule grants, by every door (sendto
# with AF_INET, AF_UNSPEC, 0.0.0.0, short and long lengths, sockaddr_in
# on an IPv6 socket, v4-mapped, sendmmsg with the second address denied,
# io_uring SENDMSG / SEND with an address / io-wq). Inbound: datagrams
# from peers no rule grants to a socket made in the domain, and a flood
# while the domain's socket is closed and made again (orphaned
# mid-packet). PASSES when every denied send is refused and no denied
# datagram reaches its unconfined receiver, the inbound socket gets the
# granted peer only, and the kernel logs nothing bad.
. /tests/attack.sh
load_module
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null

A=/opt/un
rm -rf $A && mkdir -p $A
unique /tests/bin/netop $A/netop
unique /tests/bin/udpatk $A/udpatk
cat > $A/un.yml <<YML
manifestVersion: v1
name: un
run: ./netop
baseline: none
allowedNetwork:
  - {name: dns, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 5300}
  - {name: dns6, direction: outbound, ip: '::1', protocol: udp, port: 5300}
  - {name: svc, direction: inbound, ip: 127.0.0.1, protocol: udp, port: 6000}
YML
sed -e 's/^name: un$/name: un2/' -e 's|^run: ./netop$|run: ./udpatk|' $A/un.yml > $A/un2.yml
charter load --allow-unsigned $A/un.yml $A/un2.yml > /dev/null || fail "load"
N=$A/netop U=$A/udpatk

# Unconfined receivers on every denied destination, counting bytes.
/tests/bin/netop recv udp 127.0.0.2 5300 60 > /tmp/r1.out & r1=$!
/tests/bin/netop recv udp 127.0.0.1 5301 60 > /tmp/r2.out & r2=$!
/tests/bin/netop recv udp 127.0.0.1 5300 60 > /tmp/r0.out & r0=$!
sleep 0.5

expect_ok "sanity: sendto 127.0.0.1:5300" $N on udp sendto 127.0.0.1 5300
expect_ok "sanity: 0.0.0.0:5300 is 127.0.0.1:5300" $N on udp sendto 0.0.0.0 5300
expect_ok "sanity: sendmmsg, both granted" $U mmsg 4 127.0.0.1 5300 127.0.0.1 5300
refused "sendto 127.0.0.2:5300 (AF_INET, fast path)" 13 $N on udp sendto 127.0.0.2 5300
refused "sendto 127.0.0.1:5301" 13 $N on udp sendto 127.0.0.1 5301
refused "sendto 0.0.0.0:5301 (loopback)" 13 $N on udp sendto 0.0.0.0 5301
refused "AF_UNSPEC 127.0.0.2:5300 (udp_sendmsg reads it as AF_INET)" 13 $N on udp sendto 127.0.0.2 5300 family=0
refused "AF_UNSPEC 0.0.0.0:5301" 13 $N on udp sendto 0.0.0.0 5301 family=0
refused "AF_INET, length 15" 22 $N on udp sendto 127.0.0.2 5300 len=15
refused "AF_INET, length 2" 22 $N on udp sendto 127.0.0.2 5300 len=2
refused "AF_INET, length 28" 13 $N on udp sendto 127.0.0.2 5300 len=28
refused "AF_INET, length 128" 13 $N on udp sendto 127.0.0.2 5300 len=128
refused "AF_INET, length 129 (the kernel's own EINVAL)" 22 $N on udp sendto 127.0.0.2 5300 len=129
refused "family AF_INET6 written on a sockaddr_in, v4 socket" 13,22,97 $N on udp sendto 127.0.0.2 5300 family=10
refused "sockaddr_in on an IPv6 socket" 13 $N on udp6 sendto 127.0.0.2 5300
refused "v4-mapped ::ffff:127.0.0.2" 13 $N on udp6 sendto ::ffff:127.0.0.2 5300
refused "v4-mapped ::ffff:0.0.0.0:5301" 13 $N on udp6 sendto ::ffff:0.0.0.0 5301
refused ":: port 5301 (loopback, both families)" 13 $N on udp6 sendto :: 5301
refused "sendmsg 127.0.0.2" 13 $N on udp sendmsg 127.0.0.2 5300
refused "connect, then send" 13 $N on udp connect 127.0.0.2 5300 send
refused "sendmmsg, second denied" 13 $U mmsg 4 127.0.0.1 5300 127.0.0.2 5300
refused "sendmmsg, second AF_UNSPEC denied" 13 $U mmsg 4 127.0.0.1 5300 127.0.0.2 5300 unspec
refused "sendmmsg on v6, second v4-mapped denied" 13 $U mmsg 6 ::1 5300 ::ffff:127.0.0.2 5300
refused "io_uring SENDMSG" 13 $U uring-sendmsg 4 127.0.0.2 5300
refused "io_uring SENDMSG from io-wq" 13 $U uring-async 4 127.0.0.2 5300
refused "io_uring SEND with an address" 13,22,106,89 $U uring-send 4 127.0.0.2 5300
refused "io_uring SENDMSG, v6 socket, v4 address" 13 $U uring-sendmsg 6 127.0.0.2 5300
sleep 0.5
kill -TERM $r1 $r2 $r0; wait $r1 $r2 $r0
[ "$(cat /tmp/r1.out)" = 0 ] || escape "127.0.0.2:5300 received $(cat /tmp/r1.out) bytes"
[ "$(cat /tmp/r2.out)" = 0 ] || escape "127.0.0.1:5301 received $(cat /tmp/r2.out) bytes"
[ "$(cat /tmp/r0.out)" -ge 4 ] || fail "the granted receiver got $(cat /tmp/r0.out) bytes, not >= 4"
pass "no denied datagram arrived; the granted receiver got $(cat /tmp/r0.out) bytes"

# Inbound: the domain's socket on 6000 hears 127.0.0.1 only.
$N recv udp 0.0.0.0 6000 60 > /tmp/in.out & srv=$!
sleep 0.5
F=/tests/bin/netop
expect_ok "from 127.0.0.1" $F on udp sendto 127.0.0.1 6000
expect_ok "from 127.0.0.2 (dropped)" $F on udp bind 127.0.0.2 0 sendto 127.0.0.1 6000
expect_ok "from 127.0.0.3 to 0.0.0.0 (dropped)" $F on udp bind 127.0.0.3 0 sendto 0.0.0.0 6000
expect_ok "v4-mapped from 127.0.0.2 (dropped)" $F on udp6 bind ::ffff:127.0.0.2 0 sendto ::ffff:127.0.0.1 6000
sleep 0.5
kill -TERM $srv; wait $srv
[ "$(cat /tmp/in.out)" = 1 ] || escape "the domain's socket received $(cat /tmp/in.out) bytes, not 1"
pass "inbound: the granted peer only"
$N recv udp :: 6000 60 > /tmp/in6.out & srv=$!
sleep 0.5
expect_ok "dual-stack: from 127.0.0.1" $F on udp sendto 127.0.0.1 6000
expect_ok "dual-stack: from 127.0.0.2 (dropped)" $F on udp bind 127.0.0.2 0 sendto 127.0.0.1 6000
expect_ok "dual-stack: from ::1 (dropped)" $F on udp6 sendto ::1 6000
sleep 0.5
kill -TERM $srv; wait $srv
[ "$(cat /tmp/in6.out)" = 1 ] || escape "the dual-stack socket received $(cat /tmp/in6.out) bytes, not 1"
pass "inbound dual-stack: the granted peer only"

# A flood from denied peers while the domain's socket closes and reopens:
# each datagram's hook reads an owner that is going away.
/tests/bin/udpatk flood 127.0.0.1 6000 8 > /tmp/flood.out & fl=$!
/tests/bin/udpatk flood 127.0.0.1 6000 8 > /tmp/flood2.out & fl2=$!
$U churn 127.0.0.1 6000 6 > /tmp/churn.out 2>&1 || fail "churn: $(cat /tmp/churn.out)"
wait $fl $fl2
got=$(sed -n 's/.* got //p' /tmp/churn.out)
[ "$got" = 0 ] || escape "the churning socket got $got datagrams from denied peers: $(cat /tmp/churn.out)"
pass "flood while the socket churns: $(cat /tmp/churn.out), $(cat /tmp/flood.out)"
charter status > /dev/null 2>&1 || fail "charter status after the flood"
finish
