#!/bin/sh
# vm-modules: dummy
# Attacks on the TCP peer check and on the service check, expected to
# hold: TCP Fast Open (data in the SYN, the child made by
# tcp_try_fastopen), syncookies forced (tcp_syncookies=2: the child made
# from the ACK by cookie_v4_check), both over IPv4 and IPv6; bind/listen on
# a port no rule grants through the 32-bit ABI (socketcall and the direct
# ia32 calls). The manifest grants tcp 8080 to 127.0.0.1 and ::1 only.
. /tests/attack-net.sh

rm -rf /opt/tp && mkdir -p /opt/tp
cp $F /opt/tp/netop
cp $A /opt/tp/netatk
for p in netop netatk; do
	manifest /opt/tp $p $p "allowedNetwork:
  - {name: web, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: 8080}
  - {name: web6, direction: inbound, ip: '::1', protocol: tcp, port: 8080}"
done
expect_ok "load" charter load --allow-unsigned /opt/tp/netop.yml /opt/tp/netatk.yml
cp $F /tmp/free-netop && printf '\n\n\n' >> /tmp/free-netop
FN=/tmp/free-netop

# serve WHO KIND ADDR CLIENT...: WHO serves tcp on ADDR:8080, CLIENT runs;
# print the bytes WHO received.
serve() {
	who=$1 addr=$2; shift 2
	$who recv tcp $addr 8080 5 > /tmp/s.out 2>&1 & s=$!; BG="$BG $s"
	sleep 1
	"$@" > /tmp/c.out 2>&1
	sleep 1
	kill $s; wait $s
	cat /tmp/s.out
}

echo 1543 > /proc/sys/net/ipv4/tcp_fastopen	# 0x607: client, server, no cookies, every listener
for who in $FN /opt/tp/netop; do
	case $who in /tmp/*) want=1 ;; *) want=0 ;; esac
	got=$(serve $who 0.0.0.0 $FN on tcp bind 10.9.0.2 0 timeout 2 fastopen 10.9.0.1 8080)
	[ "$got" = $want ] || { [ $want = 1 ] && fail "baseline TFO: $got"; escape "TFO data from 10.9.0.2 reached the confined server ($got)"; }
	got=$(serve $who :: $FN on tcp6 bind fd00::2 0 timeout 2 fastopen fd00::1 8080)
	[ "$got" = $want ] || { [ $want = 1 ] && fail "baseline TFO6: $got"; escape "TFO data from fd00::2 reached the confined server ($got)"; }
	pass "TFO from outside peers, server $who: $want"
done
got=$(serve /opt/tp/netop 0.0.0.0 $FN on tcp timeout 2 fastopen 127.0.0.1 8080)
[ "$got" = 1 ] || fail "TFO from 127.0.0.1 (granted) did not arrive: $got"
pass "TFO from 127.0.0.1 arrives"
echo 1 > /proc/sys/net/ipv4/tcp_fastopen

echo 2 > /proc/sys/net/ipv4/tcp_syncookies
for who in $FN /opt/tp/netop; do
	case $who in /tmp/*) want=1 ;; *) want=0 ;; esac
	got=$(serve $who 0.0.0.0 $FN on tcp bind 10.9.0.2 0 timeout 2 connect 10.9.0.1 8080 send)
	[ "$got" = $want ] || { [ $want = 1 ] && fail "baseline cookies: $got"; escape "syncookie connection from 10.9.0.2 reached the confined server ($got)"; }
	got=$(serve $who :: $FN on tcp6 bind fd00::2 0 timeout 2 connect fd00::1 8080 send)
	[ "$got" = $want ] || { [ $want = 1 ] && fail "baseline cookies6: $got"; escape "syncookie connection from fd00::2 reached the confined server ($got)"; }
	pass "syncookies from outside peers, server $who: $want"
done
got=$(serve /opt/tp/netop 0.0.0.0 $FN on tcp timeout 2 connect 127.0.0.1 8080 send)
[ "$got" = 1 ] || fail "syncookie connection from 127.0.0.1 (granted) did not arrive: $got"
pass "syncookie connection from 127.0.0.1 arrives"
echo 1 > /proc/sys/net/ipv4/tcp_syncookies

C=/opt/tp/netatk
expect_ok "baseline: unconfined int80 listen on 8081" $FREE int80 bind 8081
expect_ok "int80 socketcall listen on 8080 (granted)" $C int80 bind 8080
refused "int80 socketcall bind on 8081" $EACCES $C int80 bind 8081
refused "int80 direct bind on 8081" $EACCES $C int80d bind 8081
finish
