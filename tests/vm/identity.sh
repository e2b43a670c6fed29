#!/bin/sh
# Identity: a copy keeps the manifest, a changed byte loses it, whether
# the change alters the size or not (the digest cache must see it).
. /tests/charter-test.sh
load_module

rm -rf /opt/id && mkdir -p /opt/id /srv/id
echo secret > /srv/id-secret
cp /tests/bin/fileop /opt/id/app
printf 'manifestVersion: v1\nname: id\nrun: ./app\nbaseline: none\n' > /opt/id/manifest.yml
expect_ok "load" charter load --allow-unsigned /opt/id/manifest.yml
expect_errno "confined" $EACCES /opt/id/app read /srv/id-secret
expect_errno "confined again (digest from the cache)" $EACCES /opt/id/app read /srv/id-secret
cp /opt/id/app /tmp/copy
expect_errno "a copy is the same program" $EACCES /tmp/copy read /srv/id-secret

# Same size, one byte changed in place: in the ELF header's section
# header offset (byte 41), which loading a program does not use. On the
# copy: at the manifest's run path a changed file is held to the manifest
# by its path (upgrades.sh), which would hide what the cache says.
printf '\377' | dd of=/tmp/copy bs=1 seek=41 conv=notrunc 2>/dev/null
cmp -s /opt/id/app /tmp/copy && fail "the byte did not change"
expect_ok "changed in place: another program" /tmp/copy read /srv/id-secret
cp /opt/id/app /tmp/copy
expect_errno "restored: the manifest applies again" $EACCES /tmp/copy read /srv/id-secret
# At run, the changed file is known as changed, not by a cached digest.
printf '\377' | dd of=/opt/id/app bs=1 seek=41 conv=notrunc 2>/dev/null
before=$(charter status --json | sed 's/.*"changed_binaries":\([0-9]*\).*/\1/')
expect_errno "changed in place at run: held by its path" $EACCES /opt/id/app read /srv/id-secret
after=$(charter status --json | sed 's/.*"changed_binaries":\([0-9]*\).*/\1/')
[ "$after" = $((before + 1)) ] || fail "not counted as a changed binary: $before -> $after"
pass "and counted as a changed binary"
