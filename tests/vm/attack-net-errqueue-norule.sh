#!/bin/sh
# vm-modules: dummy
# Attack: the error-queue route of errqueue-icmp.sh needs no inbound rule
# at all. A program whose manifest grants only outbound DNS (udp to
# 10.9.0.1:53) has a UDP socket on an ephemeral port (bind port 0, as any
# client); a host no rule names (10.9.0.2) sends it an ICMP error quoting
# a datagram from that port, and the program reads the host's bytes with
# recvmsg(MSG_ERRQUEUE). PASSES when the bytes never reach the program.
. /tests/attack-net.sh

rm -rf /opt/eq2 && mkdir -p /opt/eq2
cp $A /opt/eq2/netatk
manifest /opt/eq2 eq2 netatk "allowedNetwork:
  - {name: dns, direction: outbound, ip: 10.9.0.1, protocol: udp, port: 53}"
expect_ok "load" charter load --allow-unsigned /opt/eq2/eq2.yml
C=/opt/eq2/netatk

$FREE errq udp 0.0.0.0 0 4 > /tmp/eq.out 2>&1 & pid=$!; BG="$BG $pid"
sleep 1
port=$(sed -n 's/^port //p' /tmp/eq.out)
[ -n "$port" ] || fail "no port: $(cat /tmp/eq.out)"
$FREE icmp4 10.9.0.2 10.9.0.1 $port "SECRET-TO-$port" || fail "icmp4 send"
wait $pid
grep -q "errq SECRET-TO-$port" /tmp/eq.out || fail "baseline failed: $(cat /tmp/eq.out)"
pass "baseline: an unconfined ephemeral socket gets the bytes"
# Confined, the error queue cannot be asked for at all.
$C errq udp 0.0.0.0 0 4 > /tmp/eq.out 2>&1
rc=$?
grep -q "errq SECRET" /tmp/eq.out && escape "a program with no inbound rule read 10.9.0.2's bytes"
[ $rc -eq $EACCES ] || escape "IP_RECVERR not refused (exit $rc): $(cat /tmp/eq.out)"
[ $rc -eq $EACCES ] && pass "confined: IP_RECVERR refused (EACCES)"
finish
