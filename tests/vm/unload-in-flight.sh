#!/bin/sh
# rmmod while confined tasks open files and manifested programs are being
# executed (and hashed) on both CPUs, and a confined program sends itself
# UDP datagrams (sendmsg and sock_rcv_skb, whose wrappers have no SRCU
# section: the latter runs in softirq, which RCU-tasks does not wait for
# on an idle CPU): unloading waits for the hooks in flight, the kernel
# log stays clean, nothing allowed is refused meanwhile (the hooks that
# judge go before the ones that keep track of which cred is in which
# domain: a freed cred's entry left behind made an unconfined shell's
# new cred at its address look confined), and afterwards everything is
# allowed.
. /tests/charter-test.sh

mkdir -p /opt/app /srv/app /srv/secret
echo hi > /srv/app/f
echo s > /srv/secret/f
cp /tests/bin/fileop /opt/app/fileop
cat > /opt/app/manifest.yml <<'YML'
manifestVersion: v1
name: fileop
run: ./fileop
allowedDirectories:
  - name: data
    path: /srv/app
    permission: read
YML
cp /tests/bin/bench /opt/app/udp
cat > /opt/app/udp.yml <<'YML'
manifestVersion: v1
name: udp
run: ./udp
allowedNetwork:
  - {name: in, direction: inbound, ip: 127.0.0.1, protocol: udp, port: 7010}
  - {name: out, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 7010}
YML

datagrams() {
	while :; do
		/opt/app/udp sendto 20000 7010 > /dev/null || echo "udp: $?" >> /tmp/uif.err
	done
}

# Its errors (stderr) are all wrong answers: the shell (outside every
# domain) refused to execute fileop, or fileop refused its own file.
worker() {
	while :; do
		/opt/app/fileop read /srv/app/f > /dev/null
		/opt/app/fileop fork-read /srv/secret/f > /dev/null 2>&1
	done 2>> /tmp/uif.werr
}

round=1
while [ $round -le 4 ]; do
	load_module
	charter load --allow-unsigned /opt/app/manifest.yml /opt/app/udp.yml > /dev/null ||
		fail "load, round $round"
	expect_errno "confined in round $round" $EACCES /opt/app/fileop read /srv/secret/f
	! /opt/app/udp sendto 10 7011 > /tmp/uif.out 2>&1 && grep -q "Permission denied" /tmp/uif.out ||
		fail "udp confined in round $round: port 7011: $(cat /tmp/uif.out)"
	: > /tmp/uif.err
	: > /tmp/uif.werr
	worker & w1=$!
	worker & w2=$!
	datagrams & w3=$!
	sleep 2
	rmmod charter || fail "rmmod while busy, round $round"
	kill $w1 $w2 $w3
	wait
	[ ! -s /tmp/uif.err ] || fail "a datagram was refused while the policy allowed it: $(cat /tmp/uif.err)"
	[ ! -s /tmp/uif.werr ] ||
		fail "refused while unloading what was allowed: $(sort /tmp/uif.werr | uniq -c)"
	expect_ok "free after rmmod, round $round" /opt/app/fileop read /srv/secret/f
	round=$((round + 1))
done
