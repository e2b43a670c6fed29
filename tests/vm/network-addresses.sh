#!/bin/sh
# The network hooks judge the address the protocol will use, whatever the
# sockaddr looks like: AF_UNSPEC (read as AF_INET by bind and by UDP's
# sendmsg, a disconnect for connect), short lengths, AF_INET and mapped
# addresses on IPv6 sockets, IPV6_ADDRFORM, explicit addresses on
# connected sockets, TCP Fast Open, NULL names, binding ::, 0.0.0.0 and
# :: as destinations, source routes. Receivers outside the domain prove
# that a refused datagram never arrived.
. /tests/charter-test.sh
load_module
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null

EINVAL=22
EDESTADDRREQ=89
EOPNOTSUPP=95
EAFNOSUPPORT=97

rm -rf /opt/na && mkdir -p /opt/na
cp /tests/bin/netop /opt/na/netop
cat > /opt/na/manifest.yml <<'YML'
manifestVersion: v1
name: addresses
run: ./netop
baseline: none
allowedNetwork:
  - {name: dns, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 5300}
  - {name: dns6, direction: outbound, ip: '::1', protocol: udp, port: 5300}
  - {name: api, direction: outbound, ip: 127.0.0.1, protocol: tcp, port: 9000}
  - {name: all6, direction: outbound, ip: '::/0', protocol: udp, port: 5302}
  - {name: zero, direction: outbound, ip: 0.0.0.0, protocol: udp, port: 5303}
  - {name: srv, direction: inbound, ip: 127.0.0.1, protocol: udp, port: 8080}
  - {name: v6only, direction: inbound, ip: '::', protocol: udp, port: 8053}
  - {name: both6, direction: inbound, ip: '::', protocol: udp, port: 8054}
  - {name: both4, direction: inbound, ip: 0.0.0.0, protocol: udp, port: 8054}
  - {name: any6, direction: inbound, ip: '::/0', protocol: tcp}
YML
expect_ok "load" charter load --allow-unsigned /opt/na/manifest.yml
N="/opt/na/netop on"
cp /tests/bin/netop /tmp/free && echo >> /tmp/free	# another program: unconfined

# Receivers outside the domain: udp 5300 is allowed, 5301 is not; tcp 9000.
# 5302 and 5303 only through rules for :: and 0.0.0.0 (see below).
/tmp/free recv udp 127.0.0.1 5301 120 > /tmp/got5301 & r1=$!
/tmp/free recv udp ::1 5301 120 > /tmp/got5301v6 & r2=$!
/tmp/free recv udp 127.0.0.1 5300 120 > /tmp/got5300 & r3=$!
/tmp/free recv udp ::1 5300 120 > /tmp/got5300v6 & r4=$!
/tmp/free recv tcp 127.0.0.1 9000 120 > /tmp/got9000 & r5=$!
/tmp/free recv udp 127.0.0.1 5302 120 > /tmp/got5302 & r6=$!
/tmp/free recv udp 127.0.0.1 5303 120 > /tmp/got5303 & r7=$!
sleep 1

# The reported escape: sin_family 0 on an IPv4 UDP socket; udp_sendmsg
# reads AF_UNSPEC as AF_INET.
expect_errno "AF_UNSPEC sendto 127.0.0.1:5301 (udp)" $EACCES $N udp sendto 127.0.0.1 5301 family=0
expect_ok "AF_UNSPEC sendto the rule's own port" $N udp sendto 127.0.0.1 5300 family=0
expect_errno "AF_INET sendto 127.0.0.1:5301" $EACCES $N udp sendto 127.0.0.1 5301

# IPv6 sockets: AF_INET and mapped addresses are IPv4. AF_UNSPEC means
# "no address" to udpv6_sendmsg, but IPV6_ADDRFORM can make the socket
# IPv4 between the hook and the protocol: its IPv4 reading is judged.
expect_errno "AF_INET sockaddr on a udp6 socket" $EACCES $N udp6 sendto 127.0.0.1 5301
expect_ok "AF_INET sockaddr on a udp6 socket, allowed port" $N udp6 sendto 127.0.0.1 5300
expect_errno "mapped sendto on udp6" $EACCES $N udp6 sendto ::ffff:127.0.0.1 5301
expect_ok "mapped sendto on udp6, allowed port" $N udp6 sendto ::ffff:127.0.0.1 5300
expect_errno "AF_UNSPEC sendto on udp6 (read as IPv4)" $EACCES \
	$N udp6 connect ::1 5300 sendto 127.0.0.1 5301 family=0
expect_ok "AF_UNSPEC, port 0, on connected udp6 (to its peer)" \
	$N udp6 connect ::1 5300 sendto 0.0.0.0 0 family=0
expect_ok "AF_UNSPEC, family only, on connected udp6" \
	$N udp6 connect ::1 5300 sendto 0.0.0.0 0 family=0 len=2
expect_errno "AF_UNSPEC sendto after IPV6_ADDRFORM" $EACCES \
	$N udp6 connect ::ffff:127.0.0.1 5300 addrform sendto 127.0.0.1 5301 family=0
expect_errno "AF_INET connect on udp6" $EACCES $N udp6 connect 127.0.0.1 5301
expect_ok "AF_INET connect on udp6, allowed port" $N udp6 connect 127.0.0.1 5300 send

# An explicit address on a connected UDP socket is the one used.
expect_errno "sendto another port on connected udp" $EACCES \
	$N udp connect 127.0.0.1 5300 sendto 127.0.0.1 5301
expect_errno "sendmsg another port on connected udp6" $EACCES \
	$N udp6 connect ::1 5300 sendmsg ::1 5301

# AF_UNSPEC connect is a disconnect, for UDP and TCP: allowed.
expect_ok "disconnect udp" $N udp connect 127.0.0.1 5300 connect 127.0.0.1 5301 family=0
expect_ok "disconnect udp6" $N udp6 connect ::1 5300 connect ::1 5301 family=0
expect_ok "disconnect tcp" $N tcp connect 127.0.0.1 9000 connect 127.0.0.1 9001 family=0
expect_ok "disconnect, family only" $N udp connect 127.0.0.1 5300 connect 0.0.0.0 0 family=0 len=2
expect_errno "a disconnected socket has no peer" $EDESTADDRREQ \
	$N udp connect 127.0.0.1 5300 connect 0.0.0.0 0 family=0 send

# AF_UNSPEC bind is AF_INET for INADDR_ANY only (__inet_bind). Binding is
# judged on the protocol and port (the rule's address names the peers).
expect_errno "AF_UNSPEC bind 0.0.0.0:8081" $EACCES $N udp bind 0.0.0.0 8081 family=0
expect_ok "AF_UNSPEC bind 0.0.0.0:8080, a granted port" $N udp bind 0.0.0.0 8080 family=0
expect_ok "AF_UNSPEC bind port 0" $N udp bind 0.0.0.0 0 family=0
expect_errno "AF_UNSPEC bind of another address" $EAFNOSUPPORT $N udp bind 127.0.0.1 8081 family=0
expect_ok "bind the rule's own address and port" $N udp bind 127.0.0.1 8080
expect_errno "AF_UNSPEC bind, a port only an outbound rule names" $EACCES $N udp bind 0.0.0.0 9000 family=0

# Binding :: (IPv4 too, without IPV6_V6ONLY) needs the port only.
expect_ok "bind :: with a rule for :: only" $N udp6 bind :: 8053
expect_ok "bind :: with rules for :: and 0.0.0.0" $N udp6 bind :: 8054
expect_errno "bind :: on a port no rule grants" $EACCES $N udp6 bind :: 8055
expect_ok "bind ::, port 0" $N udp6 bind :: 0
expect_ok "listen on [::1]:0 with a rule for ::/0" $N tcp6 bind ::1 0 listen
expect_ok "listen on [::]:0 with a rule for ::/0, every port" $N tcp6 bind :: 0 listen
expect_errno "udp on the tcp rule's ports" $EACCES $N udp6 bind :: 9000

# 0.0.0.0 and :: as destinations are the host itself: judged as its
# loopback addresses (:: as both: a socket bound to a mapped address
# sends :: to 127.0.0.1), not as written.
expect_ok "sendto 0.0.0.0 is 127.0.0.1" $N udp sendto 0.0.0.0 5300
expect_ok "connect 0.0.0.0 is 127.0.0.1" $N tcp connect 0.0.0.0 9000
expect_ok "sendto :: is ::1 (and 127.0.0.1)" $N udp6 sendto :: 5300
expect_errno "a rule for 0.0.0.0 does not reach 127.0.0.1" $EACCES $N udp sendto 0.0.0.0 5303
expect_ok "a rule for ::/0 reaches ::1" $N udp6 sendto ::1 5302
expect_errno "a rule for ::/0 does not reach 127.0.0.1 through ::" $EACCES \
	$N udp6 bind ::ffff:127.0.0.1 0 sendto :: 5302

# Short lengths: nothing the protocol accepts slips through.
expect_errno "sockaddr_in of 8 bytes" $EINVAL $N udp sendto 127.0.0.1 5301 len=8
expect_errno "AF_UNSPEC of 8 bytes" $EINVAL $N udp sendto 127.0.0.1 5301 family=0 len=8
expect_errno "a 1-byte address" $EINVAL $N udp sendto 127.0.0.1 5301 len=1
expect_errno "sendto: an address of length 0" $EINVAL $N udp sendto 127.0.0.1 5301 len=0
expect_errno "sockaddr_in6 of RFC 2133's 24 bytes" $EACCES $N udp6 sendto ::1 5301 len=24
expect_ok "sockaddr_in6 of 24 bytes, allowed port" $N udp6 sendto ::1 5300 len=24
expect_errno "sockaddr_in6 of 20 bytes" $EINVAL $N udp6 sendto ::1 5301 len=20
expect_errno "connect with 8 bytes" $EINVAL $N udp connect 127.0.0.1 5301 len=8
expect_errno "bind with 15 bytes" $EINVAL $N udp bind 127.0.0.1 8080 len=15

# NULL names and zero lengths: the connected peer, or nothing.
expect_errno "sendto NULL, 16 bytes, unconnected" $EDESTADDRREQ $N udp sendto 127.0.0.1 5301 null
expect_ok "sendto NULL, 16 bytes, connected" $N udp connect 127.0.0.1 5300 sendto 127.0.0.1 5301 null
expect_ok "sendmsg NULL, 16 bytes, connected" $N udp connect 127.0.0.1 5300 sendmsg 127.0.0.1 5301 null
expect_ok "sendmsg with a name of length 0, connected" \
	$N udp connect 127.0.0.1 5300 sendmsg 127.0.0.1 5301 len=0
expect_errno "sendto with a name of length 0, connected" $EINVAL \
	$N udp connect 127.0.0.1 5300 sendto 127.0.0.1 5301 len=0

# TCP: MSG_FASTOPEN connects to the address; otherwise TCP ignores it.
expect_errno "fast open to another port" $EACCES $N tcp fastopen 127.0.0.1 9001
expect_errno "fast open, mapped, on tcp6" $EACCES $N tcp6 fastopen ::ffff:127.0.0.1 9001
expect_errno "fast open with AF_UNSPEC" $EOPNOTSUPP $N tcp fastopen 127.0.0.1 9001 family=0
expect_ok "fast open to the allowed port" $N tcp fastopen 127.0.0.1 9000
expect_ok "connected tcp: sendto's address is ignored" \
	$N tcp connect 127.0.0.1 9000 sendto 127.0.0.1 9001

# A source route sends a packet first to an address no rule judged.
expect_errno "IP_OPTIONS with a source route" $EACCES $N udp srr
expect_errno "IP_OPTIONS on a connected tcp socket" $EACCES $N tcp connect 127.0.0.1 9000 srr
expect_errno "IPV6_RTHDR with a segment routing header" $EACCES $N udp6 srh
expect_errno "an IP_RETOPTS control message" $EACCES $N udp sendmsg 127.0.0.1 5300 retopts
expect_errno "IP_RETOPTS on udp6 to a mapped address" $EACCES \
	$N udp6 sendmsg ::ffff:127.0.0.1 5300 retopts
expect_ok "the unconfined may (the kernel takes them)" /tmp/free on udp srr
expect_ok "the unconfined may (IPv6)" /tmp/free on udp6 srh
expect_ok "the unconfined may (IP_RETOPTS)" /tmp/free on udp sendmsg 127.0.0.1 5300 retopts
expect_ok "sendmsg without control messages" $N udp sendmsg 127.0.0.1 5300
# Control messages whose cmsg_len lies (trinity found the first: a walk
# that steps by it stays on a header of length 0 for ever, a soft lockup).
for l in 0 1 15 4096; do
	expect_errno "a control message of length $l" $EINVAL $N udp sendmsg 127.0.0.1 5300 cmsglen=$l
	expect_errno "the same on udp6" $EINVAL $N udp6 sendmsg ::1 5300 cmsglen=$l
	expect_errno "the same on tcp" $EINVAL $N tcp connect 127.0.0.1 9000 sendmsg 127.0.0.1 9000 cmsglen=$l
	expect_errno "unconfined, the kernel says so too" $EINVAL /tmp/free on udp sendmsg 127.0.0.1 5300 cmsglen=$l
done
expect_ok "a control message of the right length" $N udp sendmsg 127.0.0.1 5300 cmsglen=20

# Controls: the receivers do see an AF_UNSPEC datagram from the unconfined.
expect_ok "unconfined AF_UNSPEC sendto" /tmp/free on udp sendto 127.0.0.1 5301 family=0
sleep 1
kill $r1 $r2 $r3 $r4 $r5 $r6 $r7
wait
# received FILE COUNT WHAT
received() {
	got=$(cat "$1")
	[ "$got" = "$2" ] || fail "$3: $got bytes arrived, expected $2"
	pass "$3: $2"
}
received /tmp/got5301 1 "127.0.0.1:5301 got the unconfined datagram only"
received /tmp/got5301v6 0 "[::1]:5301 got nothing"
received /tmp/got5300 10 "127.0.0.1:5300 got the allowed datagrams (one with a well-formed control message)"
received /tmp/got5300v6 4 "[::1]:5300 got the allowed datagrams"
received /tmp/got5302 0 "127.0.0.1:5302 got nothing"
received /tmp/got5303 0 "127.0.0.1:5303 got nothing"
received /tmp/got9000 2 "tcp 9000 got the fast open and the connected send"
