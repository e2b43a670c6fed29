#!/bin/sh
# IPv6 type 2 routing headers (Mobile IPv6; Debian's kernels have
# CONFIG_IPV6_MIP6=y): ip6_datagram_send_ctl() takes one, with no
# capability, from a sendmsg's IPV6_RTHDR control message and from
# setsockopt(IPV6_2292PKTOPTIONS) (sticky, so TCP's connect uses it too).
# fl6_update_dst() routes the packet to the header's address and
# ipv6_push_rthdr0() makes it the packet's destination: the address the
# call names, which the rule judged, only rides in the header. A source
# route, as IP_OPTIONS, IP_RETOPTS and setsockopt IPV6_RTHDR (all refused
# in a domain). Passes when no packet of a confined program reaches an
# address its manifest does not grant; an unconfined copy shows that the
# same call does send there.
. /tests/charter-test.sh
load_module
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null
ip -6 addr add fd00::2/128 dev lo || fail "add fd00::2"
sleep 1

rm -rf /opt/rh && mkdir -p /opt/rh
cp /tests/bin/rthdr /opt/rh/rthdr
cat > /opt/rh/manifest.yml <<'YML'
manifestVersion: v1
name: rthdr
run: ./rthdr
baseline: none
allowedNetwork:
  - {name: dns6, direction: outbound, ip: '::1', protocol: udp, port: 5300}
  - {name: api6, direction: outbound, ip: '::1', protocol: tcp, port: 9000}
YML
expect_ok "load" charter load --allow-unsigned /opt/rh/manifest.yml
cp /tests/bin/rthdr /tmp/free && echo >> /tmp/free	# another program: unconfined

# sniffed DESC CMD...: run CMD while an unconfined packet socket counts
# packets to fd00::2 with a routing header; prints the count, sets $rc.
sniffed() {
	/tmp/free sniff fd00::2 30 > /tmp/sniff.out & s=$!
	i=0
	while ! grep -q ready /tmp/sniff.out 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	"$@" > /tmp/rh.out 2>&1
	rc=$?
	sleep 0.5
	kill -TERM $s
	wait $s
	count=$(tail -n 1 /tmp/sniff.out)
}

# Without Charter's domain the header does redirect: the attack is real.
sniffed /tmp/free udp ::1 5300 fd00::2 cmsg
[ "$rc" -eq 0 ] && [ "$count" -gt 0 ] ||
	fail "unconfined baseline: exit $rc, $count packets to fd00::2 (is CONFIG_IPV6_MIP6 on?)"
pass "unconfined: a cmsg IPV6_RTHDR sends to fd00::2 ($count packets)"
sniffed /tmp/free tcp ::1 9000 fd00::2
[ "$count" -gt 0 ] || fail "unconfined tcp baseline: exit $rc, $count packets"
pass "unconfined: IPV6_2292PKTOPTIONS sends the SYN to fd00::2 ($count packets)"

# The domain: fd00::2 is granted nothing.
expect_errno "confined plain sendto fd00::2" $EACCES /opt/rh/rthdr plain fd00::2 5300
expect_ok "confined plain sendto ::1 5300 (granted)" /opt/rh/rthdr plain ::1 5300

bad=""
for how in "udp ::1 5300 fd00::2 cmsg" "udpc ::1 5300 fd00::2 cmsg" \
	   "udp ::1 5300 fd00::2 sticky" "tcp ::1 9000 fd00::2"; do
	sniffed /opt/rh/rthdr $how
	if [ "$count" -gt 0 ]; then
		echo "ESCAPE: rthdr $how: exit $rc, $count packets reached fd00::2: $(cat /tmp/rh.out)"
		bad="$bad [$how]"
	else
		pass "confined rthdr $how: exit $rc, nothing reached fd00::2"
	fi
done
[ -z "$bad" ] || fail "type 2 routing headers carried packets to an address no rule grants:$bad"
