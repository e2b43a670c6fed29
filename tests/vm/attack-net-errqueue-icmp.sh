#!/bin/sh
# vm-modules: dummy
# Attack: data from a peer no rule grants, through a UDP socket's error
# queue. An ICMP error is not a datagram: it never passes sock_rcv_skb
# (sk_filter), but udp_err() (IP_RECVERR set) queues it with the quoted
# packet, whose bytes after the quoted UDP header are the sender's to
# choose, and recvmsg(MSG_ERRQUEUE) hands them over. The manifest grants
# udp 8053 to 127.0.0.1 (and ::1) only; the ICMP comes from 10.9.0.2
# (fd00::2). Found by a red team; IP_RECVERR and IPV6_RECVERR are now
# refused in a domain. PASSES when Charter keeps the bytes from the program.
. /tests/attack-net.sh

rm -rf /opt/eq && mkdir -p /opt/eq
cp $A /opt/eq/netatk
manifest /opt/eq eq netatk "allowedNetwork:
  - {name: udp, direction: inbound, ip: 127.0.0.1, protocol: udp, port: 8053}
  - {name: udp6, direction: inbound, ip: '::1', protocol: udp, port: 8053}"
expect_ok "load" charter load --allow-unsigned /opt/eq/eq.yml
C=/opt/eq/netatk

# try WHO FAMILY BIND SRC DST: WHO runs "errq" on BIND:8053, 10.9.0.2 sends
# an ICMP quoting a datagram from DST:8053, plus an ordinary datagram.
try() {
	who=$1 fam=$2 bind=$3 src=$4 dst=$5
	$who errq $fam $bind 8053 4 > /tmp/eq.out 2>&1 & pid=$!; BG="$BG $pid"
	sleep 1
	if [ $fam = udp ]; then
		$FREE icmp4 $src $dst 8053 "SECRET-FROM-$src" || fail "icmp4 send"
		$F on udp bind $src 0 sendto $dst 8053 || fail "udp send"
	else
		$FREE icmp6 $src $dst 8053 "SECRET-FROM-$src" || fail "icmp6 send"
		$F on udp6 bind $src 0 sendto $dst 8053 || fail "udp6 send"
	fi
	wait $pid
	cat /tmp/eq.out
}

# Without Charter the attack works: the error queue holds the bytes.
try $FREE udp 0.0.0.0 10.9.0.2 10.9.0.1 | grep -q "errq SECRET-FROM-10.9.0.2" ||
	fail "baseline: an unconfined socket did not get the ICMP's bytes ($(cat /tmp/eq.out))"
pass "baseline v4: unconfined socket reads the quoted bytes from its error queue"
try $FREE udp6 :: fd00::2 fd00::1 | grep -q "errq SECRET-FROM-fd00::2" ||
	fail "baseline: an unconfined v6 socket did not get the ICMPv6's bytes ($(cat /tmp/eq.out))"
pass "baseline v6: the same over ICMPv6"

# Inside the domain: the error queue cannot be asked for (v4, v6).
expect_errno "IP_RECVERR refused in a domain" $EACCES $C errq udp 0.0.0.0 0 1
expect_errno "IPV6_RECVERR refused in a domain" $EACCES $C errq udp6 :: 0 1
out=$(try $C udp 0.0.0.0 10.9.0.2 10.9.0.1)
echo "$out" | grep -q "^data" && escape "v4: the ordinary datagram from 10.9.0.2 arrived"
echo "$out" | grep -q "errq SECRET" &&
	escape "v4: bytes chosen by 10.9.0.2 (no rule) read from the error queue: $out"
out=$(try $C udp6 :: fd00::2 fd00::1)
echo "$out" | grep -q "^data" && escape "v6: the ordinary datagram from fd00::2 arrived"
echo "$out" | grep -q "errq SECRET" &&
	escape "v6: bytes chosen by fd00::2 (no rule) read from the error queue: $out"
# Dual-stack: a v4 ICMP to a [::] socket with IP_RECVERR.
out=$(try $C udp :: 10.9.0.2 10.9.0.1)
echo "$out" | grep -q "errq SECRET" &&
	escape "dual-stack: bytes chosen by 10.9.0.2 read from a [::] socket's error queue: $out"
finish
