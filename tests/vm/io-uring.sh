#!/bin/sh
# Operations submitted through io_uring are checked like the system calls
# they stand for: openat by the file rules, connect by the network rules.
. /tests/charter-test.sh
load_module
ip link set lo up

rm -rf /opt/ur /srv/ur && mkdir -p /opt/ur /srv/ur
echo ok > /srv/ur/ok
echo secret > /srv/ur-secret
cp /tests/bin/uring /opt/ur/uring
cat > /opt/ur/manifest.yml <<'YML'
manifestVersion: v1
name: ur
run: ./uring
baseline: none
allowedDirectories:
  - {name: d, path: /srv/ur, permission: read}
allowedNetwork:
  - {name: api, direction: outbound, ip: 127.0.0.1, protocol: tcp, port: 9000}
YML
expect_ok "load" charter load --allow-unsigned /opt/ur/manifest.yml
U=/opt/ur/uring
expect_ok "io_uring openat of an allowed file" $U open /srv/ur/ok
expect_errno "io_uring openat of a secret" $EACCES $U open /srv/ur-secret
expect_ok "io_uring connect where allowed" $U connect 127.0.0.1 9000
expect_errno "io_uring connect elsewhere" $EACCES $U connect 127.0.0.1 9001
