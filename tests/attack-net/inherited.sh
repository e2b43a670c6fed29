#!/bin/sh
# vm-modules: dummy
# Attack: a socket the confined program binds itself, but whose file was
# made by a less confined process, is judged by that process's domain.
#  A. an outer domain (udp 8053 from any peer) makes an unbound UDP socket
#     and executes an inner manifested program (udp 8053 from 127.0.0.1
#     only), which binds it and reads: the inner layer's peer rule is
#     never applied (the owner is the outer domain).
#  B. an unconfined launcher hands an unbound socket in; the confined
#     program binds it to its granted port itself: no peer is judged
#     (the documented socket-activation limit covers sockets bound
#     outside; this one's bind and port were the program's).
# Both are the descriptor-inheritance limit of threat-model.rst; this
# script records what they reach. PASSES when 10.9.0.2 gets nothing in.
. /tests/attack-net.sh

rm -rf /opt/nest && mkdir -p /opt/nest
cp $A /opt/nest/outer
cp $A /opt/nest/inner && printf '\n' >> /opt/nest/inner
manifest /opt/nest outer outer "allowedNetwork:
  - {name: any, direction: inbound, ip: any, protocol: udp, port: 8053}"
manifest /opt/nest inner inner "allowedNetwork:
  - {name: lo, direction: inbound, ip: 127.0.0.1, protocol: udp, port: 8053}"
expect_ok "load" charter load --allow-unsigned /opt/nest/outer.yml /opt/nest/inner.yml

# run LAUNCHER...: the launcher execs inner, which binds fd 3 on 8053 and
# reads 4 s; 127.0.0.1 sends 1 byte, 10.9.0.2 sends 1 byte.
run() {
	"$@" sockexec udp 0.0.0.0 - /opt/nest/inner recvfd udp 4 0.0.0.0 8053 > /tmp/n.out 2>&1 & p=$!; BG="$BG $p"
	sleep 1
	$F on udp bind 10.9.0.2 0 sendto 10.9.0.1 8053
	$F on udp bind 10.9.0.2 0 sendto 10.9.0.1 8053
	$F on udp sendto 127.0.0.1 8053
	wait $p
	cat /tmp/n.out
}

out=$(run /opt/nest/inner)
[ "$out" = "bytes 1" ] || fail "inner alone: expected 127.0.0.1's byte only, got $out"
pass "inner program's own socket: 127.0.0.1 only"
out=$(run /opt/nest/outer)
[ "$out" = "bytes 1" ] || escape "A: outer-made socket bound by the inner program got $out (10.9.0.2 passed the inner layer)"
[ "$out" = "bytes 1" ] && pass "A: inner layer applied"
out=$(run $FREE)
[ "$out" = "bytes 1" ] || escape "B: unconfined-made socket bound by the confined program got $out (no peer judged)"
[ "$out" = "bytes 1" ] && pass "B: filtered"
finish
