#!/bin/sh
# Upgrades never free a program (issue 15): a file at a manifest's run
# path that is not its executable (a package upgrade replaced it) runs
# confined by that manifest, counted and reported; with a pinned hash it
# may not run at all. `charter load` re-hashes: the policy then names the
# new build. A byte-different copy elsewhere is another program.
. /tests/charter-test.sh
load_module

rm -rf /opt/up /opt/pin && mkdir -p /opt/up /opt/pin /srv/up
echo secret > /srv/up-secret
echo ok > /srv/up/ok
cp /tests/bin/fileop /opt/up/app
# The pinned program is another one (two bytes appended: it still runs).
cp /tests/bin/fileop /tmp/pinbuild
printf 'pp' >> /tmp/pinbuild
cp /tmp/pinbuild /opt/pin/app
# A second build of the same program: one byte of the ELF header's
# section header offset (byte 41) changed, which loading does not use;
# and a third of another size (a byte appended).
cp /tests/bin/fileop /tmp/build2
printf '\377' | dd of=/tmp/build2 bs=1 seek=41 conv=notrunc 2>/dev/null
cp /tests/bin/fileop /tmp/build3
printf 'x' >> /tmp/build3
cmp -s /tmp/build2 /tests/bin/fileop && fail "build2 is not another build"

# What dpkg does: unpack beside the file, then rename over it.
upgrade() { # BUILD RUN
	cp "$1" "$2.dpkg-new" && mv -f "$2.dpkg-new" "$2"
}
changed() { charter status --json | sed 's/.*"changed_binaries":\([0-9]*\).*/\1/'; }

hash=$(charter hash /tmp/pinbuild | awk '{print $1}')
printf 'manifestVersion: v1\nname: up\nrun: ./app\nbaseline: none\nallowedDirectories:\n  - {name: d, path: /srv/up, permission: read}\n' > /opt/up/up.yml
printf 'manifestVersion: v1\nname: pin\nrun: ./app\nhash: %s\nbaseline: none\nallowedDirectories:\n  - {name: d, path: /srv/up, permission: read}\n' "$hash" > /opt/pin/pin.yml
expect_ok "load" charter load --allow-unsigned /opt/up/up.yml /opt/pin/pin.yml
charter list > /tmp/up.list
grep -q '^up .* /opt/up/app$' /tmp/up.list || fail "list has no run path: $(cat /tmp/up.list)"
grep -q '^pin .* /opt/pin/app (pinned hash)$' /tmp/up.list || fail "list has no pinned run path: $(cat /tmp/up.list)"
pass "the policy names each manifest's run path, and which are pinned"
expect_errno "confined" $EACCES /opt/up/app read /srv/up-secret
[ "$(changed)" = 0 ] || fail "changed binaries before any change: $(changed)"

charter monitor --json > /tmp/up.json 2>&1 & mon=$!
sleep 1

# 1. Without hash: a new build at run runs confined, and is reported.
upgrade /tmp/build2 /opt/up/app
expect_errno "a new build (same size) at run is confined" $EACCES /opt/up/app read /srv/up-secret
expect_ok "with the manifest's rights" /opt/up/app read /srv/up/ok
[ "$(changed)" = 2 ] || fail "changed binaries: $(changed), expected 2"
pass "each exec of it is counted (2)"
upgrade /tmp/build3 /opt/up/app
expect_errno "a new build of another size at run is confined" $EACCES /opt/up/app read /srv/up-secret
cp /tmp/build2 /tmp/elsewhere
expect_ok "the same build elsewhere is another program" /tmp/elsewhere read /srv/up-secret
# Through a symlink and a relative name: the kernel knows where the file lies.
ln -sf /opt/up/app /tmp/up-link
expect_errno "run through a symlink: confined" $EACCES /tmp/up-link read /srv/up-secret
(cd /opt/up && expect_errno "run by a relative name: confined" $EACCES ./app read /srv/up-secret)

# 2. With a pinned hash: the hash verifies the program; another may not run.
upgrade /tmp/build2 /opt/pin/app
expect_errno "a new build at a pinned run may not run" $EACCES /tmp/elsewhere exec /opt/pin/app read /srv/up/ok
/opt/pin/app read /srv/up/ok > /tmp/up.out 2>&1 && fail "the shell ran the refused build: $(cat /tmp/up.out)"
pass "nor from a shell"
cp /tmp/pinbuild /tmp/pinned-build
expect_errno "the pinned build itself, elsewhere, is still confined" $EACCES /tmp/pinned-build read /srv/up-secret
expect_ok "complain" charter mode complain --manifest pin
expect_ok "complain mode lets it run" /opt/pin/app read /srv/up-secret
expect_ok "enforce" charter mode inherit --manifest pin
sleep 1
kill $mon

grep -q '"manifest":"up","sha256":"[0-9a-f]\{64\}","decision":"changed-binary","always":false,"operation":"exec of a changed binary at a manifested path","path":"/opt/up/app"' /tmp/up.json ||
	fail "no changed-binary event: $(cat /tmp/up.json)"
grep -q '"manifest":"pin",.*"decision":"denied",.*"operation":"exec of a binary that does not match the pinned hash","path":"/opt/pin/app"' /tmp/up.json ||
	fail "no pinned-hash refusal event: $(cat /tmp/up.json)"
grep -q '"manifest":"pin",.*"decision":"would-deny",.*"operation":"exec of a binary that does not match the pinned hash"' /tmp/up.json ||
	fail "no would-deny event in complain mode: $(cat /tmp/up.json)"
pass "monitor reports the changed binary and the pinned refusal"
dmesg | grep -q 'charter: binary changed at a manifested path: /opt/up/app runs confined by up (pid [0-9]*, [^)]*)' ||
	fail "no kernel log line: $(dmesg | grep charter: | tail -5)"
pass "and the kernel log says it in words"

# 3. charter load re-hashes: without hash the manifest follows the new
# build; with a stale pinned hash it is refused but kept in force.
old=$(changed)
charter load --allow-unsigned /opt/up/up.yml /opt/pin/pin.yml > /tmp/up.load 2>&1 &&
	fail "a stale pinned hash loaded quietly: $(cat /tmp/up.load)"
grep -q "pin.yml:4:7: '/opt/pin/app' does not match the pinned hash" /tmp/up.load ||
	fail "no file:line:column for the stale pinned hash: $(cat /tmp/up.load)"
grep -q 'loaded 2 manifests, refused 1 (kept with their pinned hash' /tmp/up.load ||
	fail "the stale manifest was not kept: $(cat /tmp/up.load)"
pass "load refuses the stale pinned manifest with its position, and keeps it"
new=$(charter hash /opt/up/app | awk '{print $1}')
charter list --json > /tmp/up.list
grep -q "\"name\":\"up\",.*\"sha256\":\"${new#sha256:}\".*\"run\":\"/opt/up/app\",\"run_alias\":null,\"pinned\":false" /tmp/up.list ||
	fail "the policy does not name the new build ($new): $(cat /tmp/up.list)"
grep -q "\"name\":\"pin\",.*\"sha256\":\"${hash#sha256:}\".*\"run\":\"/opt/pin/app\",\"run_alias\":null,\"pinned\":true" /tmp/up.list ||
	fail "the pinned manifest changed: $(cat /tmp/up.list)"
pass "the policy names the new build's hash, and the pinned one's"
expect_errno "the new build, now by its hash: confined" $EACCES /opt/up/app read /srv/up-secret
expect_errno "the pinned run still may not run" $EACCES /tmp/elsewhere exec /opt/pin/app read /srv/up/ok
[ "$(changed)" = "$old" ] || fail "an exec identified by hash counted as changed: $(changed) (was $old)"
pass "an exec identified by its hash is not a changed binary"

# 4. Two manifests for one file: refused (which would hold a new build?).
printf 'manifestVersion: v1\nname: up2\nrun: /opt/up/app\nhash: %s\nbaseline: none\n' "$hash" > /tmp/up2.yml
charter load --allow-unsigned /opt/up/up.yml /tmp/up2.yml > /tmp/up.load 2>&1 && fail "two manifests for one file loaded"
grep -q "is the same file as '/opt/up/app' of /opt/up/up.yml: one file, one manifest" /tmp/up.load ||
	fail "no message for two manifests of one file: $(cat /tmp/up.load)"
pass "two manifests for one file: the second is refused"
