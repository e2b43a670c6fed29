#!/bin/sh
# vm-modules: dummy
# Attack: a socket the confined program binds itself, but whose file was
# made by a less confined process, would be judged by that process's
# domain (netpeer.c judges peers by the socket's maker).
#  A. an outer domain (udp 8053 from any peer) makes an unbound UDP socket
#     and executes an inner manifested program (udp 8053 from 127.0.0.1
#     only), which binds it and reads: the inner layer's peer rule would
#     never apply.
#  B. an unconfined launcher hands an unbound socket in; the confined
#     program binds it to its granted port itself: no peer would be judged.
# Found by a red team; binding (or listening on) a socket made outside
# the caller's domain is now refused (EACCES). PASSES when 10.9.0.2 gets
# nothing in and both binds are refused.
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
# refused_bind DESC OUT: the program's bind was refused, nothing read.
refused_bind() {
	case $2 in
	*"bind: Permission denied"*) pass "$1: bind refused" ;;
	*bytes*) escape "$1: bound and read: $2" ;;
	*) fail "$1: unexpected: $2" ;;
	esac
}
refused_bind "A: outer-made socket, inner program" "$(run /opt/nest/outer)"
refused_bind "B: unconfined-made socket, confined program" "$(run $FREE)"
finish
