#!/bin/sh
# Issue 13: one bad manifest does not leave the others unconfined (load
# refuses it alone, says "loaded N, refused M" and exits 1); a stale
# pinned one is refused but kept in force (issue 15), and the
# README's flow works: a manifest written beside its program, signed,
# copied into /etc/charter/manifests.d, loaded by 'charter load'.
. /tests/charter-test.sh
load_module

rm -rf /opt/pl /srv/pl && mkdir -p /opt/pl/a /opt/pl/b /opt/pl/dir /srv/pl
echo secret > /srv/pl/secret
cp /tests/bin/fileop /opt/pl/a/app
# Another program: bytes after an ELF's end change its hash, not its code.
cp /tests/bin/fileop /opt/pl/b/app && printf 'b' >> /opt/pl/b/app
printf 'manifestVersion: v1\nname: pl-a\nrun: ./app\nbaseline: none\n' > /opt/pl/a/m.yml
h=$(charter hash /opt/pl/b/app | cut -d' ' -f1)
printf 'manifestVersion: v1\nname: pl-b\nrun: ./app\nhash: %s\nbaseline: none\n' "$h" > /opt/pl/b/m.yml
printf 'x' >> /opt/pl/b/app		# updated: the pinned hash is stale
ln -s /opt/pl/a/m.yml /opt/pl/dir/a.yml
ln -s /opt/pl/b/m.yml /opt/pl/dir/b.yml

# And one that is broken outright: refused, and not loaded.
printf 'manifestVersion: v1\nname: pl-c\nrun: /opt/pl/a/app\npermission: sometimes\n' > /opt/pl/dir/c.yml

charter load --allow-unsigned /opt/pl/dir > /tmp/pl.out 2>&1 && fail "load with a refused manifest exited 0"
cat /tmp/pl.out
grep -q 'loaded 2 manifests, refused 2 (kept with their pinned hash' /tmp/pl.out ||
	fail "no 'loaded 2 manifests, refused 2 (kept ...)'"
grep -q "b.yml:4:7: '/opt/pl/b/app' does not match the pinned hash: expected $h, actual sha256:" /tmp/pl.out ||
	fail "the stale manifest's message lacks its position or hashes"
grep -q "c.yml:4:1: " /tmp/pl.out || fail "the broken manifest's message lacks its position"
expect_errno "the good manifest confines its program" $EACCES /opt/pl/a/app read /srv/pl/secret
# The stale one is refused but kept: its pinned hash verifies the program,
# and the file at its run path no longer matches it (upgrades.sh).
expect_errno "the stale manifest's program may not run" $EACCES /opt/pl/a/app exec /opt/pl/b/app read /srv/pl/secret
charter list | grep -q 'pl-a' || fail "pl-a not listed"
charter list | grep -q 'pl-b .* /opt/pl/b/app (pinned hash)' || fail "pl-b not kept"
charter list | grep -q 'pl-c' && fail "pl-c listed"
charter unload || fail "unload"

# The README's flow, in the default directory.
rm -rf /opt/viewer /srv/photos /etc/charter && mkdir -p /opt/viewer /srv/photos /etc/charter/trusted.d /etc/charter/manifests.d
echo photo > /srv/photos/cat.jpg
cp /tests/bin/fileop /opt/viewer/viewer && printf 'v' >> /opt/viewer/viewer
cd /opt/viewer || fail "cd"
cat > manifest.yml <<'YAML'
manifestVersion: v1
author: demo
name: photoViewer
run: /opt/viewer/viewer       # absolute: the manifest is installed elsewhere
allowedDirectories:
  - name: photos
    path: /srv/photos/**/     # the directory and everything beneath it
    permission: read          # read, write, execute, readWrite, readExecute...
YAML
expect_ok "check" charter check manifest.yml
expect_ok "keygen" charter keygen -o vendor
cp vendor.pub /etc/charter/trusted.d/ || fail "trust"
expect_ok "sign" charter sign -k vendor.key manifest.yml
cp manifest.yml manifest.yml.sig /etc/charter/manifests.d/ || fail "install"
expect_ok "load the default directory" charter load
expect_ok "the viewer reads photos" /opt/viewer/viewer read /srv/photos/cat.jpg
expect_errno "and nothing else" $EACCES /opt/viewer/viewer read /srv/pl/secret

# A relative run copied into the directory would name a file there: refused.
sed 's|^run: .*|run: ./viewer|; s|^name: .*|name: relativeViewer|' manifest.yml > rel.yml
charter sign -k vendor.key rel.yml || fail "sign rel.yml"
cp rel.yml rel.yml.sig /etc/charter/manifests.d/
charter load > /tmp/rel.out 2>&1 && fail "a relative run in manifests.d was accepted"
cat /tmp/rel.out
grep -q "rel.yml:4:6: run './viewer' is relative, but this manifest lies in /etc/charter/manifests.d" /tmp/rel.out ||
	fail "no message naming the fix"
grep -q 'loaded 1 manifest, refused 1' /tmp/rel.out || fail "the good manifest was not loaded"
expect_errno "the installed manifest still confines" $EACCES /opt/viewer/viewer read /srv/pl/secret
charter unload
rm -rf /etc/charter
pass "partial load and the README flow"
