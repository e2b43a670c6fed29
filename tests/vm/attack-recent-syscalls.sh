#!/bin/sh
# Attacks (routes mainline added between 6.1 and 6.12): io_uring BIND and
# LISTEN (6.11), FTRUNCATE (6.9); fchmodat2 with AT_EMPTY_PATH on an O_PATH
# descriptor (6.6); PIDFD_GET_MNT_NAMESPACE on a pidfd (6.11). Each is
# first shown to work outside a domain; PASSES when each is refused inside.
. /tests/attack.sh
load_module

KV=$(uname -r)
case $KV in 6.1.*) OLD=1 ;; *) OLD=0 ;; esac
rm -rf /opt/ns /tmp/ns && mkdir -p /opt/ns /tmp/ns/rw
cp /tests/bin/recentop /opt/ns/recentop
unique /tests/bin/recentop /tmp/recentop-free
manifest /opt/ns ns recentop "  - {name: ro, path: /tmp/ns, permission: read}
  - {name: rw, path: /tmp/ns/rw/**, permission: write}
allowedNetwork:
  - {name: in, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: 8080}"
expect_ok "load" charter load --allow-unsigned /opt/ns/ns.yml
S=/opt/ns/recentop
F=/tmp/recentop-free
echo "read only" > /tmp/ns/ro
chmod 644 /tmp/ns/ro

if [ $OLD = 0 ]; then
	expect_ok "IORING_OP_BIND outside a domain" $F uring-bind 9091
	expect_ok "IORING_OP_LISTEN outside a domain" $F uring-listen 9092
	expect_ok "IORING_OP_BIND inside, a granted port" $S uring-bind 8080
	refused "IORING_OP_BIND inside, a port no rule grants" 1,13 $S uring-bind 9093
	refused "IORING_OP_LISTEN inside, a port no rule grants" 1,13 $S uring-listen 9094
	echo data > /tmp/ns/victim
	expect_ok "IORING_OP_FTRUNCATE outside" $F uring-ftruncate /tmp/ns/victim 1
	echo data > /tmp/ns/victim
	refused "IORING_OP_FTRUNCATE inside, a read-only file" 1,13 \
		$S uring-ftruncate /tmp/ns/victim 0
	[ -s /tmp/ns/victim ] || escape "read-only file truncated"
	cp /tmp/ns/ro /tmp/ns/ro2
	expect_ok "fchmodat2(AT_EMPTY_PATH) outside" $F fchmodat2-empty /tmp/ns/ro2 600
	refused "fchmodat2(O_PATH, AT_EMPTY_PATH) inside, a read-only file" 1,13 \
		$S fchmodat2-empty /tmp/ns/ro 666
	[ "$(stat -c %a /tmp/ns/ro)" = 644 ] || escape "mode changed: $(stat -c %a /tmp/ns/ro)"
	sleep 100 & P=$!
	expect_ok "PIDFD_GET_MNT_NAMESPACE outside" $F pidfd-ns $P
	refused "PIDFD_GET_MNT_NAMESPACE inside, on a process outside" 1,13 $S pidfd-ns $P
	kill $P
	# A thread pidfd (PIDFD_THREAD, 6.9) of a process outside the domain.
	sleep 100 & P=$!
	refused "pidfd_send_signal through PIDFD_THREAD inside, on a process outside" 1,13 \
		$S pidfd-thread-kill $P
	kill -0 $P 2>/dev/null || escape "the outside process was killed"
	expect_ok "pidfd_send_signal through PIDFD_THREAD outside" $F pidfd-thread-kill $P
else
	echo "# $KV: the 6.2+ routes are absent"
fi
# pidfd_getfd of the outside shell's descriptor 9 on a file it may not read.
echo secret > /tmp/secret && exec 9< /tmp/secret
expect_ok "pidfd_getfd outside" $F pidfd-getfd $$ 9
refused "pidfd_getfd inside, from a process outside" 1,13 $S pidfd-getfd $$ 9
exec 9<&-
finish
