#!/bin/sh
# Red team 16b: what MANIFEST_QUERY tells an unprivileged caller beyond
# "this program is held to a manifest of this name" (abi.rst's permissions
# table: "whether the manifest ... is loaded, nothing more"). FAILS while the
# reply carries the run path, author, rule counts, flags and mode. The
# caller names the run path it asks about (as charter run does): the
# answer is yes or no.
. /tests/charter-test.sh
load_module
N=/tests/bin/ctlop

rm -rf /opt/hidden-install-7f3a && mkdir -p /opt/hidden-install-7f3a /srv/d1 /srv/d2
chmod 711 /opt/hidden-install-7f3a
cp /tests/bin/fileop /opt/hidden-install-7f3a/prog
chmod 755 /opt/hidden-install-7f3a/prog
printf 'manifestVersion: v1\nname: q-prog\nauthor: alice@internal-team\nrun: ./prog\nbaseline: none\nallowedDirectories:\n  - {name: a, path: /srv/d1, permission: read}\n  - {name: b, path: /srv/d2, permission: readWrite}\nallowedNetwork:\n  - {name: lo, direction: outbound, ip: 10.1.2.3, protocol: tcp, port: 5432}\n' > /opt/hidden-install-7f3a/m.yml
expect_ok "load" charter load --allow-unsigned /opt/hidden-install-7f3a/m.yml
expect_ok "complain for it" charter mode complain --manifest q-prog
# nobody has its own copy of the same bytes (e.g. from the package).
cp /tests/bin/fileop /tmp/mycopy
sha=$(sha256sum /tmp/mycopy | cut -d' ' -f1)
size=$(stat -c %s /tmp/mycopy)
su -s /bin/sh nobody -c "env CTLOP_RUN=/opt/hidden-install-7f3a/prog $N query q-prog $sha $size" > /tmp/q.out 2>&1 ||
	fail "query: $(cat /tmp/q.out)"
cat /tmp/q.out
leak=
grep -q 'hidden-install-7f3a' /tmp/q.out && leak="$leak run-path"
grep -q 'alice@internal-team' /tmp/q.out && leak="$leak author"
grep -q "^attr 16 " /tmp/q.out && leak="$leak path-rule-count"
grep -q "^attr 17 " /tmp/q.out && leak="$leak net-rule-count"
grep -q "^attr 19 len 1: 2$" /tmp/q.out && leak="$leak mode(complain)"
grep -q "^attr " /tmp/q.out && leak="$leak attributes"
[ -z "$leak" ] || fail "DISCLOSURE: nobody's query reply carries:$leak"
pass "the query says only that the manifest is loaded"
