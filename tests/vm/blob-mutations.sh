#!/bin/sh
# Thousands of randomly mutated valid policies pushed over netlink: each is
# refused with a reason or is valid; the guest logs no oops or warning
# (the harness checks); the module then still works. CHARTER_BLOB_MUTATIONS
# sets how many (default 3000; make check-debug sends 100,000).
. /tests/charter-test.sh
load_module

rm -rf /opt/bm && mkdir -p /opt/bm /srv/bm
echo x > /srv/bm/secret
cp /tests/bin/fileop /opt/bm/fileop
cat > /opt/bm/manifest.yml <<'YML'
manifestVersion: v1
name: bm
run: ./fileop
allowedDirectories:
  - {name: a, path: /srv/app/**/*.log, permission: readWrite}
  - {name: b, path: /home/*/public, permission: read}
allowedNetwork:
  - {name: web, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: 8080}
  - {name: lo, direction: outbound, ip: localhost, protocol: udp, port: 5000-5999}
allowedDevices: [keyboard, audioOut]
YML
expect_ok "compile" charter compile --allow-unsigned -o /tmp/bm.bin /opt/bm/manifest.yml
N=${CHARTER_BLOB_MUTATIONS:-3000}
out=$(blobfuzz /tmp/bm.bin $N ${CHARTER_SEED:-20261122}) || fail "blobfuzz: $out"
echo "$out"
refused=$(echo "$out" | sed -n 's/.*: \([0-9]*\) refused.*/\1/p')
[ "${refused:-0}" -gt $((N / 3)) ] || fail "too few mutations reached the decoder's checks"
pass "$N mutated policies: each refused with a reason or valid"
expect_ok "the good policy loads" charter load --policy /tmp/bm.bin
expect_errno "and is enforced" $EACCES /opt/bm/fileop read /srv/bm/secret
