#!/bin/sh
# Network rules: inbound (bind, listen) and outbound (connect, sendto),
# IPv4 and IPv6, mapped addresses, ports and ranges, tcp told from udp;
# raw and packet sockets refused; pathname unix sockets are files.
. /tests/charter-test.sh
load_module
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null

rm -rf /opt/net /srv/net && mkdir -p /opt/net /srv/net/ok /srv/net/no
cp /tests/bin/netop /opt/net/netop
cat > /opt/net/manifest.yml <<'YML'
manifestVersion: v1
name: net
run: ./netop
baseline: none
allowedDirectories:
  - {name: sock, path: /srv/net/ok, permission: readWrite}
allowedNetwork:
  - {name: web, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: 8080}
  - {name: web6, direction: inbound, ip: '::1', protocol: tcp, port: 8443}
  - {name: api, direction: outbound, ip: 127.0.0.0/8, protocol: tcp, port: 9000-9099}
  - {name: dns, direction: outbound, ip: localhost, protocol: udp, port: 5353}
  - {name: v6, direction: outbound, ip: '::1', protocol: tcp, port: 7000}
YML
expect_ok "load" charter load --allow-unsigned /opt/net/manifest.yml
N=/opt/net/netop

expect_ok "tcp server on 127.0.0.1:8080" $N bind 127.0.0.1 8080 tcp
expect_errno "not on 8081" $EACCES $N bind 127.0.0.1 8081 tcp
expect_ok "on every address: the rule's address names peers" $N bind 0.0.0.0 8080 tcp
expect_ok "on [::]:8080 (dual-stack)" $N bind :: 8080 tcp
expect_errno "udp on the tcp rule's port" $EACCES $N bind 127.0.0.1 8080 udp
expect_ok "v6 server on [::1]:8443" $N bind ::1 8443 tcp
expect_errno "v6 not on 8444" $EACCES $N bind ::1 8444 tcp
expect_ok "port 0 (kernel's choice) is no service" $N bind 127.0.0.1 0 udp

expect_ok "connect in the range (low end)" $N connect 127.0.0.1 9000 tcp
expect_ok "connect in the range (high end)" $N connect 127.0.0.5 9099 tcp
expect_errno "connect past the range" $EACCES $N connect 127.0.0.1 9100 tcp
expect_errno "connect to another network" $EACCES $N connect 10.0.0.1 9000 tcp
expect_errno "udp where only tcp is allowed" $EACCES $N connect 127.0.0.1 9000 udp
expect_ok "v4-mapped v6 is v4" $N connect ::ffff:127.0.0.1 9050 tcp
expect_ok "v6 connect" $N connect ::1 7000 tcp
expect_errno "v6 other port" $EACCES $N connect ::1 7001 tcp
expect_ok "udp sendto allowed" $N sendto 127.0.0.1 5353
expect_ok "udp sendto ::1 (localhost is both)" $N sendto ::1 5353
expect_errno "udp sendto elsewhere" $EACCES $N sendto 127.0.0.1 5354

expect_errno "raw socket" $EACCES $N raw
expect_errno "packet socket" $EACCES $N packet
# socket FAMILY TYPE PROTOCOL: what the language cannot grant is refused.
expect_ok "tcp socket" $N socket 2 1 6
expect_ok "udp socket (v6)" $N socket 10 2 17
expect_ok "unix socket" $N socket 1 1 0
expect_ok "NETLINK_ROUTE (getaddrinfo)" $N socket 16 3 0
expect_errno "MPTCP" $EACCES $N socket 2 1 262
expect_errno "SCTP" $EACCES $N socket 2 1 132
expect_errno "ICMP ping socket" $EACCES $N socket 2 2 1
expect_errno "NETLINK_GENERIC" $EACCES $N socket 16 3 16
expect_errno "another family (AF_VSOCK)" $EACCES $N socket 40 1 0

# Unix sockets with a path are files: write on the path.
cp /tests/bin/netop /tmp/server && echo >> /tmp/server
/tmp/server unix-listen /srv/net/ok/s 20 & a=$!
/tmp/server unix-listen /srv/net/no/s 20 & b=$!
sleep 1
expect_ok "unix socket where writing is allowed" $N unix-connect /srv/net/ok/s
expect_errno "unix socket elsewhere" $EACCES $N unix-connect /srv/net/no/s
kill $a $b 2>/dev/null
wait 2>/dev/null

# Abstract unix sockets: only towards owners in the same (or a nested) domain.
/tmp/server unix-listen @charter-free 20 & a=$!
$N unix-listen @charter-own 20 & b=$!
sleep 1
expect_errno "abstract socket of an unconfined owner" $EPERM $N unix-connect @charter-free
expect_ok "abstract socket of its own domain" $N unix-connect @charter-own
expect_ok "the unconfined reach any" /tmp/server unix-connect @charter-own
kill $a $b 2>/dev/null
wait 2>/dev/null

# The unconfined are unaffected.
cp /tests/bin/netop /tmp/free && printf '\n\n' >> /tmp/free
expect_ok "an unconfined program binds anywhere" /tmp/free bind 0.0.0.0 8081 tcp
