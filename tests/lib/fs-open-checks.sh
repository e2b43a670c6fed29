# The walking skeleton's end-to-end slice, shared by the tests that run it
# with each way of attaching the hooks. Expects charter-test.sh sourced and
# the module loaded.

# Tests share the guest: start from nothing.
rm -rf /opt/app /srv /etc/charter
mkdir -p /opt/app /srv/app/sub /srv/out /srv/secret
echo hello > /srv/app/sub/data
echo secret > /srv/secret/data
cp /tests/bin/fileop /opt/app/fileop
cat > /opt/app/manifest.yml <<'YML'
manifestVersion: v1
author: charter-tests
name: fileop
run: ./fileop
allowedDirectories:
  - name: appData
    path: /srv/app/**/
    permission: read
  - name: output
    path: /srv/out
    permission: readWrite
YML

expect_ok "unconfined before any policy" fileop read /srv/secret/data

# Only signed manifests load: a vendor key, its public half trusted.
mkdir -p /etc/charter/trusted.d
keys=$(mktemp -d)
expect_ok "keygen" charter keygen -o $keys/vendor
cp $keys/vendor.pub /etc/charter/trusted.d/
charter load /opt/app/manifest.yml > /tmp/unsigned.out 2>&1 && fail "an unsigned manifest was loaded"
grep -q 'unsigned' /tmp/unsigned.out || fail "no reason given: $(cat /tmp/unsigned.out)"
expect_ok "sign" charter sign -k $keys/vendor.key /opt/app/manifest.yml
expect_ok "charter load" charter load /opt/app/manifest.yml

out=$(/opt/app/fileop read /srv/app/sub/data) || fail "read inside allowed dir: exit $?"
[ "$out" = hello ] || fail "read inside allowed dir returned '$out'"
pass "confined program reads inside its directory"
expect_errno "confined program reads outside" $EACCES /opt/app/fileop read /srv/secret/data
expect_errno "read-only directory refuses write" $EACCES /opt/app/fileop write /srv/app/sub/data x
expect_ok "readWrite directory allows write" /opt/app/fileop write /srv/out/result x
[ "$(cat /srv/out/result)" = x ] || fail "write did not land"
expect_errno "child inherits the domain" $EACCES /opt/app/fileop fork-read /srv/secret/data
expect_ok "child reads inside" /opt/app/fileop fork-read /srv/app/sub/data

# Names do not matter, where the file is does.
ln -sf /srv/secret/data /srv/app/link
expect_errno "symlink out of the allowed dir" $EACCES /opt/app/fileop read /srv/app/link
expect_errno "../ traversal" $EACCES sh -c 'cd /srv/app && exec /opt/app/fileop read ../secret/data'
expect_errno "no prefix confusion (/srv/app vs /srv/apple)" $EACCES \
	sh -c 'mkdir -p /srv/apple && echo x > /srv/apple/f && exec /opt/app/fileop read /srv/apple/f'

# Identity is the content: a copy is the same program, a changed one is not.
expect_errno "a copy elsewhere is confined too" $EACCES /tests/bin/fileop read /srv/secret/data
cp /opt/app/fileop /tmp/changed && echo >> /tmp/changed
expect_ok "a modified copy is not" /tmp/changed read /srv/secret/data
expect_ok "another binary is unaffected" cat /srv/secret/data

# Only CAP_MAC_ADMIN changes policy; the kernel says why it refused.
su -s /bin/sh nobody -c 'charter unload' > /tmp/nobody.out 2>&1 &&
	fail "an unprivileged user emptied the policy"
grep -q 'CAP_MAC_ADMIN' /tmp/nobody.out || fail "no extended ack: $(cat /tmp/nobody.out)"
expect_errno "policy still in force after refused unload" $EACCES /opt/app/fileop read /srv/secret/data

# A task confined before the policy is emptied stays confined.
/opt/app/fileop read /srv/app/sub/data > /dev/null
expect_ok "charter unload" charter unload
expect_ok "new executions after unload are free" /opt/app/fileop read /srv/secret/data

expect_ok "charter load again (manifest directory)" charter load /opt/app
expect_errno "confined again" $EACCES /opt/app/fileop read /srv/secret/data
expect_ok "rmmod charter" rmmod charter
expect_ok "after rmmod all is allowed again" /opt/app/fileop read /srv/secret/data
