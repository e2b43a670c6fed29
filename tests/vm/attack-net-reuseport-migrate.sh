#!/bin/sh
# vm-modules: dummy
# Attack: connections from peers no rule grants, handed to a confined
# listener by the kernel. With net.ipv4.tcp_migrate_req=1 (meant for
# seamless server restarts), a listener that closes in an SO_REUSEPORT
# group passes its accept queue to another listener of the group;
# inet_csk_listen_stop() -> reuseport_migrate_sock() moves the child
# without inet_conn_request, so the confined listener accepts peers it
# never judged. The confined program (udp/tcp 8080 for 127.0.0.1 only)
# joins the group of an unconfined server on 8080 (same uid, root); a
# client from 10.9.0.2 connects to the unconfined one and sends a byte;
# the unconfined server restarts (closes). Found by a red team; the peer
# is now judged when the connection migrates (netpeer.c). PASSES when the
# confined listener never accepts 10.9.0.2 and the refusal is counted.
. /tests/attack-net.sh

rm -rf /opt/rp && mkdir -p /opt/rp
cp $A /opt/rp/netatk
manifest /opt/rp rp netatk "allowedNetwork:
  - {name: web, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: 8080}"
expect_ok "load" charter load --allow-unsigned /opt/rp/rp.yml
C=/opt/rp/netatk
echo 1 > /proc/sys/net/ipv4/tcp_migrate_req || fail "no tcp_migrate_req"

# run WHO: an unconfined holder U on 8080, a 10.9.0.2 client queued on it,
# WHO joins the group, U closes; print what WHO accepted.
run() {
	$FREE rplisten 0.0.0.0 8080 30 hold > /tmp/u.out 2>&1 & u=$!; BG="$BG $u"
	sleep 1
	$F on tcp bind 10.9.0.2 0 timeout 3 connect 10.9.0.1 8080 send > /tmp/cl.out 2>&1 ||
		echo "client: $(cat /tmp/cl.out)"
	$1 rplisten 0.0.0.0 8080 4 accept > /tmp/w.out 2>&1 & w=$!; BG="$BG $w"
	sleep 1
	kill $u; wait $u
	wait $w
	cat /tmp/w.out
}

out=$(run $FREE)
echo "$out" | grep -q "accepted 10.9.0.2" && echo "$out" | grep -q "bytes 1" ||
	fail "baseline: the unconfined second listener did not get the migrated connection: $out"
pass "baseline: an unconfined second listener gets the migrated connection"

before=$(denied)
out=$(run $C)
echo "$out"
echo "$out" | grep -q "accepted 10.9.0.2" &&
	escape "the confined listener accepted 10.9.0.2 (no rule) by migration: $out"
after=$(denied)
[ "$after" -gt "$before" ] || escape "no refused migration counted (denied $before, then $after)"
[ "$after" -gt "$before" ] && pass "the migration to the confined listener was refused and counted"
finish
