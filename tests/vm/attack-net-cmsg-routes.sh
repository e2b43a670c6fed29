#!/bin/sh
# Red team on source routes (kmod/net.c, ip_cmsg_send() and
# ip6_datagram_send_ctl()): a flow label created with an IPV6_RTHDR as its
# options (IPV6_FLOWLABEL_MGR: fl_create() parses them with
# ip6_datagram_send_ctl(), from a msghdr it leaves partly uninitialised),
# a race flipping the cmsg while sendmsg runs, setsockopt through io_uring
# (URING_CMD SETSOCKOPT, 6.7+), the ia32 socketcall() and setsockopt
# entries, UDP_CORK / MSG_MORE, IPV6_2292RTHDR, a socket made outside
# and inherited, the other protocols that parse cmsgs (UDP-Lite, raw,
# ping, L2TP, SCTP, packet: must not be creatable), and legitimate sticky
# options and cmsgs (must work). Unconfined copies show each route works.
. /tests/attack.sh
load_module
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null
ip -6 addr del fd00::2/128 dev lo 2>/dev/null
ip -6 addr add fd00::2/128 dev lo || fail "add fd00::2"
sleep 1
T="timeout -s KILL 30"

rm -rf /opt/r2n && mkdir -p /opt/r2n
cp /tests/bin/netroute /opt/r2n/netroute
manifest /opt/r2n r2n netroute "allowedNetwork:
  - {name: dns, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 5300}
  - {name: dns6, direction: outbound, ip: '::1', protocol: udp, port: 5300}"
expect_ok "load" charter load --allow-unsigned /opt/r2n/r2n.yml
S="$T /opt/r2n/netroute"
unique /tests/bin/netroute /tmp/r2n-free
F="$T /tmp/r2n-free"
unique /tests/bin/rt_cmsg /tmp/r2n-sniff

# sniffed V VIA CMD...: $count packets to VIA with options / a routing
# header while CMD ran; $rc its exit.
sniffed() {
	v=$1; via=$2; shift 2
	rm -f /tmp/r2n-sniff.out
	/tmp/r2n-sniff sniff "$v" "$via" 60 > /tmp/r2n-sniff.out & s=$!
	i=0
	while ! grep -q ready /tmp/r2n-sniff.out 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	"$@" > /tmp/r2n.out 2>&1
	rc=$?
	sleep 0.5
	kill -TERM $s
	wait $s
	count=$(tail -n 1 /tmp/r2n-sniff.out)
}

# both DESC V VIA WANT ARGS...: unconfined (baseline: packets to VIA, or
# "n/a" when the route does not exist on this kernel), then confined: no
# packet, exit in WANT (comma separated).
both() {
	desc=$1; v=$2; via=$3; want=$4; shift 4
	sniffed "$v" "$via" $F "$@"
	if [ "$rc" -eq 0 ] && [ "$count" -gt 0 ]; then
		pass "unconfined $desc: $count packets via $via"
	else
		echo "# unconfined $desc: exit $rc, $count packets (route n/a here): $(cat /tmp/r2n.out)"
	fi
	sniffed "$v" "$via" $S "$@"
	if [ "$count" -gt 0 ]; then
		escape "$desc: exit $rc, $count packets reached $via: $(cat /tmp/r2n.out)"
		return
	fi
	case ",$want," in
	*",$rc,"*) pass "$desc: nothing reached $via (exit $rc)" ;;
	*) escape "$desc: nothing reached $via, but exit $rc (want $want): $(cat /tmp/r2n.out)" ;;
	esac
}

EACCES=13
both "flow label with an IPV6_RTHDR (share EXCL)" 6 fd00::2 $EACCES flow ::1 5300 fd00::2 1234 1
both "flow label with an IPV6_RTHDR (share ANY)" 6 fd00::2 $EACCES flow ::1 5300 fd00::2 1235 255
both "flow label with an IPV6_RTHDR (share PROCESS)" 6 fd00::2 $EACCES flow ::1 5300 fd00::2 1236 2
both "IPV6_2292RTHDR cmsg" 6 fd00::2 $EACCES r2292 ::1 5300 fd00::2
both "ia32 socketcall setsockopt IP_OPTIONS" 4 127.0.0.2 $EACCES c-sso 4 127.0.0.1 5300 127.0.0.2
both "ia32 socketcall setsockopt IPV6_RTHDR" 6 fd00::2 $EACCES c-sso 6 ::1 5300 fd00::2
both "ia32 setsockopt IP_OPTIONS" 4 127.0.0.2 $EACCES c-sso2 4 127.0.0.1 5300 127.0.0.2
both "ia32 setsockopt IPV6_RTHDR" 6 fd00::2 $EACCES c-sso2 6 ::1 5300 fd00::2
# 6.1 has no socket URING_CMD: EOPNOTSUPP (95) or EINVAL there.
both "io_uring URING_CMD setsockopt IP_OPTIONS" 4 127.0.0.2 $EACCES,95,22 uring-sso 4 127.0.0.1 5300 127.0.0.2
both "io_uring URING_CMD setsockopt IPV6_RTHDR" 6 fd00::2 $EACCES,95,22 uring-sso 6 ::1 5300 fd00::2
both "io_uring SENDMSG_ZC IP_RETOPTS" 4 127.0.0.2 $EACCES uring-zc 4 127.0.0.1 5300 127.0.0.2
both "io_uring SENDMSG_ZC IPV6_RTHDR" 6 fd00::2 $EACCES uring-zc 6 ::1 5300 fd00::2
both "UDP_CORK, IP_RETOPTS then plain" 4 127.0.0.2 $EACCES cork 4 127.0.0.1 5300 127.0.0.2
both "UDP_CORK, IPV6_RTHDR then plain" 6 fd00::2 $EACCES cork 6 ::1 5300 fd00::2
both "MSG_MORE, IP_RETOPTS then plain" 4 127.0.0.2 $EACCES more 4 127.0.0.1 5300 127.0.0.2
both "MSG_MORE, IPV6_RTHDR then plain" 6 fd00::2 $EACCES more 6 ::1 5300 fd00::2
# A socket made outside the domain, inherited across the exec into it.
for p in "6 fd00::2 ::1" "4 127.0.0.2 127.0.0.1"; do
	set -- $p
	sniffed $1 $2 $F hold $1 /tmp/r2n-free fd3 $1 $3 5300 $2
	[ "$rc" -eq 0 ] && [ "$count" -gt 0 ] || fail "unconfined inherited v$1: exit $rc, $count"
	pass "unconfined inherited v$1 socket: $count packets via $2"
	sniffed $1 $2 $F hold $1 /opt/r2n/netroute fd3 $1 $3 5300 $2
	if [ "$count" -gt 0 ] || [ "$rc" -ne 13 ]; then
		escape "inherited v$1 socket with a route: exit $rc, $count packets via $2: $(cat /tmp/r2n.out)"
	else
		pass "inherited v$1 socket with a route: refused, nothing via $2"
	fi
done

# A thread flipping the cmsg's level while sendmsg copies it.
sniffed 6 fd00::2 $S race ::1 5300 fd00::2 3000
if [ "$count" -gt 0 ]; then
	escape "race: $count packets reached fd00::2: $(cat /tmp/r2n.out)"
else
	pass "race: nothing reached fd00::2 ($(cat /tmp/r2n.out))"
fi
grep -q "refused 0 " /tmp/r2n.out && echo "# race: no send saw the route"

# A label made outside the domain, used from inside: attack-net-flowlabel.sh.

# Other protocols (all parse cmsgs): not creatable in the domain.
for p in "2 2 136 UDP-Lite" "10 2 136 UDP-Lite6" "2 3 255 raw" "10 3 255 raw6" \
	 "2 2 1 ping" "10 2 58 ping6" "2 2 115 l2tp_ip" "10 2 115 l2tp_ip6" \
	 "2 5 132 sctp" "10 1 262 mptcp" "17 2 768 packet"; do
	set -- $p
	refused "socket $4" 13,93,94,97 $S sock $1 $2 $3
done

# The legitimate side: harmless sticky options and cmsgs still send.
expect_ok "IPv6 sticky HOPOPTS/DSTOPTS/PKTINFO, cmsgs" $S sticky 6 ::1 5300
expect_ok "IPv4 IP_TTL, IP_PKTINFO spec_dst, IP_TOS" $S sticky 4 127.0.0.1 5300

ip -6 addr del fd00::2/128 dev lo
finish
