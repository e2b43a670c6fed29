#!/bin/sh
# sendmsg control messages from a domain (kmod/net.c,
# charter_check_cmsg_routes()): malformed ones (cmsg_len 0, 1, short of a
# header, past msg_controllen, SIZE_MAX) must fail at once with EINVAL,
# never hold the walk (a cmsg_len of 0 looped for ever before: a soft
# lockup; covered by the CMSG_OK test there), and a source route
# (IP_RETOPTS LSRR, IPV6_RTHDR type 2) must never carry a datagram to an
# address no rule grants (covered by charter_cmsg_source_route()) through
# any entry: plain sendmsg, many chained messages, MSG_ZEROCOPY, io_uring
# IORING_OP_SENDMSG, the ia32 ABI (int $0x80: the compat cmsg layout,
# converted before the hook), and sendmmsg, whose later messages to the
# address of an earlier one skip security_socket_sendmsg()
# (____sys_sendmsg()'s used_address). Unix sockets: SCM_RIGHTS and a
# cmsg_len 0 to a socket it may not write. Packet sockets outside the
# domain count what reached the via address; unconfined copies show the
# same calls do send there.
. /tests/attack.sh
load_module
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null
ip -6 addr del fd00::2/128 dev lo 2>/dev/null
ip -6 addr add fd00::2/128 dev lo || fail "add fd00::2"
sleep 1

EINVAL=22
T="timeout -s KILL 30"

rm -rf /opt/cm && mkdir -p /opt/cm /opt/cm-w /opt/cm-ro
cp /tests/bin/rt_cmsg /opt/cm/rt_cmsg
manifest /opt/cm cmsg rt_cmsg "  - {name: w, path: /opt/cm-w, permission: readWrite}
  - {name: ro, path: /opt/cm-ro, permission: read}
allowedNetwork:
  - {name: dns, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 5300}
  - {name: dns6, direction: outbound, ip: '::1', protocol: udp, port: 5300}
  - {name: api, direction: outbound, ip: 127.0.0.1, protocol: tcp, port: 9000}
  - {name: api6, direction: outbound, ip: '::1', protocol: tcp, port: 9000}"
expect_ok "load" charter load --allow-unsigned /opt/cm/cmsg.yml
S="$T /opt/cm/rt_cmsg"
unique /tests/bin/rt_cmsg /tmp/cm-free
F="$T /tmp/cm-free"

# TCP listeners outside the domain (the tcp cases need a connection).
/tmp/cm-free tcp-serve 4 127.0.0.1 9000 300 > /dev/null 2>&1 &
L4=$!
/tmp/cm-free tcp-serve 6 ::1 9000 300 > /dev/null 2>&1 &
L6=$!
sleep 1

# sniffed V VIA CMD...: run CMD while an unconfined packet socket counts
# packets to VIA with IP options (4) or a routing header (6); sets $count
# and $rc.
sniffed() {
	v=$1; via=$2; shift 2
	rm -f /tmp/sniff.out
	/tmp/cm-free sniff "$v" "$via" 30 > /tmp/sniff.out & s=$!
	i=0
	while ! grep -q ready /tmp/sniff.out 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	"$@" > /tmp/cm.out 2>&1
	rc=$?
	sleep 0.5
	kill -TERM $s
	wait $s
	count=$(tail -n 1 /tmp/sniff.out)
}

# --- 1. Malformed lengths: EINVAL at once, no hang (CMSG_OK). ----------
# The legitimate case: a well-formed IP_TOS / IPV6_TCLASS (cmsg_len 20).
for p in "4 udp 127.0.0.1" "6 udp ::1" "4 tcp 127.0.0.1" "6 tcp ::1"; do
	set -- $p
	port=5300; [ "$2" = tcp ] && port=9000
	expect_ok "well-formed cmsg, $1 $2 (granted)" $S len $1 $2 $3 $port 20
	for len in 0 1 15 16 25 4096 max; do
		for extra in 0 8 4096; do
			$S len $1 $2 $3 $port $len $extra > /tmp/cm.out 2>&1
			got=$?
			# shorter than a header or past msg_controllen
			# (CMSG_SPACE(4) = 24, plus extra): EINVAL; otherwise the
			# protocol decides (0 or EINVAL), but the call returns
			bad=0
			case $len in
			max) bad=1 ;;
			*) [ "$len" -lt 16 ] || [ "$len" -gt $((24 + extra)) ] && bad=1 ;;
			esac
			if [ $bad = 1 ]; then
				[ $got -eq $EINVAL ] ||
					escape "cmsg_len $len, $p, controllen +$extra: exit $got (want EINVAL): $(cat /tmp/cm.out)"
			else
				case $got in 0|22) ;;
				*) escape "cmsg_len $len, $p, controllen +$extra: exit $got: $(cat /tmp/cm.out)" ;;
				esac
			fi
		done
	done
	pass "malformed cmsg_len (0 1 15 25 4096 SIZE_MAX) $1 $2: EINVAL, no hang"
done
# Many chained well-formed messages: walked to the end.
expect_ok "500 chained IP_TOS (granted)" $S chain 4 127.0.0.1 5300 500
expect_ok "500 chained IPV6_TCLASS (granted)" $S chain 6 ::1 5300 500

# --- 2. Source routes through an address no rule grants. ---------------
# The unconfined baselines: the header does redirect.
sniffed 6 fd00::2 $F route 6 ::1 5300 fd00::2
[ "$rc" -eq 0 ] && [ "$count" -gt 0 ] || fail "unconfined IPV6_RTHDR baseline: exit $rc, $count packets"
pass "unconfined: IPV6_RTHDR sends to fd00::2 ($count packets)"
sniffed 4 127.0.0.2 $F route 4 127.0.0.1 5300 127.0.0.2
[ "$rc" -eq 0 ] && [ "$count" -gt 0 ] || fail "unconfined IP_RETOPTS baseline: exit $rc, $count packets"
pass "unconfined: IP_RETOPTS LSRR sends to 127.0.0.2 ($count packets)"
sniffed 6 fd00::2 $F mmsg 6 ::1 5300 fd00::2
[ "$rc" -eq 0 ] && [ "$count" -gt 0 ] || fail "unconfined sendmmsg baseline: exit $rc, $count packets"
pass "unconfined: sendmmsg with IPV6_RTHDR sends to fd00::2 ($count packets)"

# confined CASE V VIA ARGS...: the domain's call must send nothing to VIA
# (and be refused with EACCES).
confined() {
	desc=$1; v=$2; via=$3; shift 3
	sniffed "$v" "$via" $S "$@"
	if [ "$count" -gt 0 ]; then
		escape "$desc: exit $rc, $count packets reached $via: $(cat /tmp/cm.out)"
	elif [ "$rc" -ne 13 ]; then
		escape "$desc: nothing reached $via, but exit $rc (want EACCES): $(cat /tmp/cm.out)"
	else
		pass "$desc: refused, nothing reached $via"
	fi
}
# (The legitimate side: the same sends without the route were granted
# above, "well-formed cmsg".)
confined "sendmsg IPV6_RTHDR" 6 fd00::2 route 6 ::1 5300 fd00::2
confined "sendmsg IP_RETOPTS" 4 127.0.0.2 route 4 127.0.0.1 5300 127.0.0.2
confined "IP_RETOPTS on an IPv6 socket, mapped address" 4 127.0.0.2 \
	route 6 ::ffff:127.0.0.1 5300 127.0.0.2 
confined "IPV6_RTHDR after 500 harmless cmsgs" 6 fd00::2 chain 6 ::1 5300 500 fd00::2
confined "IP_RETOPTS after 500 harmless cmsgs" 4 127.0.0.2 chain 4 127.0.0.1 5300 500 127.0.0.2
confined "MSG_ZEROCOPY IPV6_RTHDR" 6 fd00::2 zc 6 ::1 5300 fd00::2
confined "MSG_ZEROCOPY IP_RETOPTS" 4 127.0.0.2 zc 4 127.0.0.1 5300 127.0.0.2
confined "io_uring SENDMSG IPV6_RTHDR" 6 fd00::2 uring 6 ::1 5300 fd00::2
confined "io_uring SENDMSG IP_RETOPTS" 4 127.0.0.2 uring 4 127.0.0.1 5300 127.0.0.2
confined "ia32 sendmsg IPV6_RTHDR" 6 fd00::2 compat 6 ::1 5300 fd00::2
confined "ia32 sendmsg IP_RETOPTS" 4 127.0.0.2 compat 4 127.0.0.1 5300 127.0.0.2
confined "sendmmsg, the route in the first" 6 fd00::2 mmsg-first 6 ::1 5300 fd00::2
# sendmmsg: the second message goes to the first one's address, so
# ____sys_sendmsg() calls sock_sendmsg_nosec(): no socket_sendmsg hook.
confined "sendmmsg, IPV6_RTHDR in the second" 6 fd00::2 mmsg 6 ::1 5300 fd00::2
confined "sendmmsg, IP_RETOPTS in the second" 4 127.0.0.2 mmsg 4 127.0.0.1 5300 127.0.0.2
confined "ia32 sendmmsg, IPV6_RTHDR in the second" 6 fd00::2 compat 6 ::1 5300 mmsg fd00::2
expect_ok "sendmmsg of two plain datagrams (granted)" $S mmsg 6 ::1 5300 none
expect_ok "sendmmsg of two plain datagrams, v4 (granted)" $S mmsg 4 127.0.0.1 5300 none

# Malformed in other entries: EINVAL, bounded.
expect_errno "io_uring SENDMSG cmsg_len 0" $EINVAL $S uring 6 ::1 5300 len0
expect_errno "io_uring SENDMSG cmsg_len 0 (v4)" $EINVAL $S uring 4 127.0.0.1 5300 len0
expect_errno "ia32 sendmsg cmsg_len 0" $EINVAL $S compat 6 ::1 5300 len0
expect_errno "ia32 sendmsg cmsg_len 0 (v4)" $EINVAL $S compat 4 127.0.0.1 5300 len0
$S mmsg 6 ::1 5300 fd00::2 bad > /tmp/cm.out 2>&1; got=$?
case $got in 22) pass "sendmmsg, cmsg_len 0 in the second: one sent, then EINVAL" ;;
*) escape "sendmmsg with cmsg_len 0 in the second: exit $got: $(cat /tmp/cm.out)" ;; esac

# --- 3. Unix sockets. ---------------------------------------------------
/tmp/cm-free unix-serve /opt/cm-ro/sock 60 > /tmp/unix-ro.out 2>&1 & U1=$!
/tmp/cm-free unix-serve /opt/cm-w/sock 60 > /tmp/unix-w.out 2>&1 & U2=$!
sleep 1
expect_ok "SCM_RIGHTS to a socket it may write" $S unix /opt/cm-w/sock rights
refused "SCM_RIGHTS to a socket it may only read" 13 $S unix /opt/cm-ro/sock rights
expect_errno "cmsg_len 0 on a unix socket" $EINVAL $S unix /opt/cm-w/sock len0
expect_errno "cmsg_len 0 on a unix socket it may only read" $EINVAL $S unix /opt/cm-ro/sock len0
sleep 0.5
grep -q got /tmp/unix-ro.out && escape "a datagram reached /opt/cm-ro/sock"
kill $U1 $U2 $L4 $L6 2>/dev/null
wait $U1 $U2 2>/dev/null
ip -6 addr del fd00::2/128 dev lo	# attack-net-rthdr adds it again
finish
