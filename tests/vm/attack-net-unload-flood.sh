#!/bin/sh
# Attack (issue 17: hooks without an SRCU section). rmmod while, on both
# vCPUs, confined senders send datagrams every way there is (sendto,
# sendmmsg, sendmsg with IP_PKTINFO, io_uring SENDMSG and SEND with an
# address, inline and from io-wq workers) and some to a port they are
# refused (a refusal, an event, in sendmsg's wrapper), an unconfined
# sender floods a confined receiver (sock_rcv_skb in softirq, refused
# peers among them: UDP from 127.0.0.2 is not granted) and SYNs flow to a
# confined listener (inet_conn_request), with `charter monitor` listening
# (events built in softirq). PASSES when every round unloads, the kernel
# log has no oops, WARN, BUG or lockdep splat, and nothing granted was
# refused.
. /tests/attack.sh
ip link set lo up

D=/opt/uf
rm -rf $D && mkdir -p $D
unique /tests/bin/dgflood $D/snd
unique /tests/bin/dgflood $D/rcv && echo >> $D/rcv
unique /tests/bin/dgflood /tmp/uf-free && echo >> /tmp/uf-free && echo >> /tmp/uf-free
manifest $D snd snd "allowedNetwork:
  - {name: out, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 7030}"
manifest $D rcv rcv "allowedNetwork:
  - {name: in, direction: inbound, ip: 127.0.0.1, protocol: udp, port: 7030}
  - {name: syn, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: 7030}"

dmesg -c > /dev/null
round=1
while [ $round -le 4 ]; do
	load_module
	charter load --allow-unsigned $D/snd.yml $D/rcv.yml > /dev/null || fail "load, round $round"
	charter monitor > /dev/null 2>&1 & ev=$!
	rm -f /tmp/uf.rcv	# else the last round's "ready" may be read
	$D/rcv recv 7030 > /tmp/uf.rcv 2>&1 & rc=$!
	i=0
	while ! grep -qs ready /tmp/uf.rcv && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	grep -q ready /tmp/uf.rcv || fail "receiver, round $round: $(cat /tmp/uf.rcv)"
	: > /tmp/uf.err
	$D/snd send 7030 7031 2>> /tmp/uf.err & s1=$!
	$D/snd send 7030 7032 2>> /tmp/uf.err & s2=$!
	/tmp/uf-free send 7030 7030 2>> /tmp/uf.err & s3=$!
	/tmp/uf-free syn 7030 2>> /tmp/uf.err & s4=$!
	/tmp/uf-free send 7030 7030 127.0.0.2 2> /dev/null & s5=$!
	sleep 3
	st=$(charter status --json)
	den=$(echo "$st" | sed -n 's/.*"denied":\([0-9]*\).*/\1/p')
	alw=$(echo "$st" | sed -n 's/.*"allowed":\([0-9]*\).*/\1/p')
	[ "${den:-0}" -gt 0 ] && [ "${alw:-0}" -gt 100 ] ||
		fail "round $round: no traffic judged (allowed $alw, denied $den)"
	rmmod charter || fail "rmmod under traffic, round $round"
	sleep 1
	kill $s1 $s2 $s3 $s4 $s5 $rc $ev 2>/dev/null
	wait 2>/dev/null
	grep REFUSED /tmp/uf.err && escape "round $round: a granted datagram was refused"
	if dmesg | grep -E "BUG|WARNING|Oops|general protection|RIP:|lockdep|scheduling while atomic|sleeping function" > /tmp/uf.klog; then
		escape "round $round: kernel log: $(head -20 /tmp/uf.klog)"
		break
	fi
	pass "round $round: unloaded under traffic ($alw allowed, $den denied), kernel log clean"
	round=$((round + 1))
done
finish
