#!/bin/sh
# Red team 3: an outsider's IPv6 flow label (share ANY, an IPV6_RTHDR
# type 2 through fd00::2 as its options) reached from a domain that may
# send only to [::1]:5300 over UDP, without IPV6_FLOWLABEL_MGR through
# setsockopt(): IPV6_FLOWINFO_SEND with the label in sin6_flowinfo but
# never attached (sendto, connect), TCP connect with it, the attach
# through io_uring URING_CMD SETSOCKOPT (6.12), the ia32 socketcall() and
# setsockopt entries. Then (by the threat model, an inherited
# descriptor keeps what it was opened for) a socket the outsider attached
# and handed in: shown, not counted. PASSES when no packet reaches fd00::2
# from the domain.
. /tests/attack.sh
load_module
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null
ip -6 addr del fd00::2/128 dev lo 2>/dev/null
ip -6 addr add fd00::2/128 dev lo || fail "add fd00::2"
sleep 1
rm -rf /opt/rt3n && mkdir -p /opt/rt3n
cp /tests/bin/flowop /opt/rt3n/flowop
manifest /opt/rt3n rt3n flowop "allowedNetwork:
  - {name: dns6, direction: outbound, ip: '::1', protocol: udp, port: 5300}
  - {name: tcp6, direction: outbound, ip: '::1', protocol: tcp, port: 5301}"
expect_ok "load" charter load --allow-unsigned /opt/rt3n/rt3n.yml
unique /tests/bin/netroute /tmp/rt3n-hold
unique /tests/bin/flowop /tmp/rt3n-free
unique /tests/bin/rt_cmsg /tmp/rt3n-sniff

/tmp/rt3n-hold flow-hold fd00::2 2345 120 > /tmp/rt3n-hold.out 2>&1 & H=$!
i=0; while ! grep -q ready /tmp/rt3n-hold.out && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q ready /tmp/rt3n-hold.out || fail "flow-hold: $(cat /tmp/rt3n-hold.out)"
# A TCP listener on [::1]:5301 (busybox nc), so the TCP case completes.
( timeout 100 nc -l -p 5301 -s ::1 > /dev/null 2>&1 ) & L=$!

# sniffed CMD...: run CMD while packets to fd00::2 are counted: $rc, $count.
sniffed() {
	/tmp/rt3n-sniff sniff 6 fd00::2 20 > /tmp/rt3n-sniff.out & s=$!
	i=0; while ! grep -q ready /tmp/rt3n-sniff.out && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	timeout -s KILL 20 "$@" > /tmp/rt3n.out 2>&1; rc=$?
	sleep 0.5; kill -TERM $s; wait $s
	count=$(tail -n 1 /tmp/rt3n-sniff.out)
}
# try DESC ARGS...: unconfined, then confined.
try() {
	desc=$1; shift
	sniffed /tmp/rt3n-free "$@"
	echo "# unconfined $desc: exit $rc, $count packets via fd00::2: $(cat /tmp/rt3n.out)"
	sniffed /opt/rt3n/flowop "$@"
	if [ "$count" -gt 0 ]; then
		escape "$desc: exit $rc, $count packets reached fd00::2: $(cat /tmp/rt3n.out)"
	else
		pass "$desc: nothing via fd00::2 (exit $rc: $(cat /tmp/rt3n.out))"
	fi
}
try "sendto sin6_flowinfo, label not attached" send ::1 5300 2345
try "connect sin6_flowinfo, label not attached" connect ::1 5300 2345
try "TCP connect sin6_flowinfo" tcp ::1 5301 2345
try "io_uring URING_CMD SETSOCKOPT IPV6_FLOWLABEL_MGR" uring-mgr ::1 5300 2345
try "ia32 socketcall IPV6_FLOWLABEL_MGR" c-mgr ::1 5300 2345
try "ia32 setsockopt IPV6_FLOWLABEL_MGR" c-mgr2 ::1 5300 2345

# Inherited: attached outside, used inside (not counted: threat model).
sniffed /tmp/rt3n-free attach-exec 2345 /tmp/rt3n-free fd3 ::1 5300 2345
echo "# unconfined inherited attached socket: exit $rc, $count via fd00::2"
sniffed /tmp/rt3n-free attach-exec 2345 /opt/rt3n/flowop fd3 ::1 5300 2345
echo "# NOTE confined program on an inherited socket the outsider attached: exit $rc, $count via fd00::2: $(cat /tmp/rt3n.out)"

kill $H $L 2>/dev/null; wait $H 2>/dev/null
ip -6 addr del fd00::2/128 dev lo
finish
