#!/bin/sh
# A setuid-root program executed inside a domain stays inside it: root
# privileges do not lift the manifest.
. /tests/charter-test.sh
load_module

rm -rf /opt/su && mkdir -p /opt/su /srv/su
echo secret > /srv/su/secret
chmod 600 /srv/su/secret		# root only
cp /tests/bin/fileop /opt/su/app
cp /tests/bin/fileop /opt/su/suid && echo >> /opt/su/suid	# another program
chmod 4755 /opt/su/suid
chmod 755 /opt/su
printf 'manifestVersion: v1\nname: su\nrun: ./app\nbaseline: none\nallowedDirectories:\n  - {name: suid, path: /opt/su/suid, permission: execute}\n' > /opt/su/manifest.yml
expect_ok "load" charter load --allow-unsigned /opt/su/manifest.yml

su -s /bin/sh nobody -c '/opt/su/suid read /srv/su/secret' > /tmp/su.out 2>&1 ||
	fail "the setuid helper does not work unconfined: $(cat /tmp/su.out)"
grep -qx secret /tmp/su.out || fail "unconfined setuid read: $(cat /tmp/su.out)"
pass "unconfined, the setuid helper reads a root-only file"
su -s /bin/sh nobody -c '/opt/su/app exec /opt/su/suid read /srv/su/secret' > /tmp/su.out 2>&1
rc=$?
[ $rc -eq $EACCES ] || fail "setuid inside a domain: exit $rc: $(cat /tmp/su.out)"
pass "run from a domain, the setuid helper is still confined (errno 13)"
