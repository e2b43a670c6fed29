#!/bin/sh
# Issue 16, parts 3 and 4: 'charter run MANIFEST -- ARGS' loads its
# manifest beside the others (never over them), runs the program confined,
# with its arguments, from the manifest's directory; a second run loads
# nothing; a caller who may not load it is refused and nothing runs; a
# pinned hash that does not match refuses; another executable's manifest
# of the same name is replaced, and one executable keeps one manifest.
# 'charter explain NAME' explains the loaded manifest as the file.
. /tests/charter-test.sh
load_module
G=/tests/bin/policygen

rm -rf /opt/rt /opt/rt2 /opt/rt3 /opt/rto /srv/rt /srv/rtn /tmp/rt-link.yml
mkdir -p /opt/rt /opt/rt2 /opt/rt3 /opt/rto /srv/rt /srv/rtn
chmod 777 /srv/rtn
echo secret > /srv/rt-secret
echo "in the manifest's directory" > /opt/rt/here
cp /tests/bin/fileop /opt/rt/fileop
cat > /opt/rt/m.yml <<'YML'
manifestVersion: v1
author: tests
name: rt
run: ./fileop
baseline: none
allowedDirectories:
  - {name: data, path: /srv/rt, permission: readWrite}
  - {name: here, path: /opt/rt/here, permission: read}
  - {name: nobody, path: /srv/rtn, permission: readWrite}
allowedNetwork:
  - {name: lo, direction: inbound, ip: localhost, protocol: tcp, port: 8080}
allowedDevices: [keyboard]
YML
# Another program (bytes after an ELF's end change its hash, not its code).
cp /tests/bin/fileop /opt/rto/app && printf 'o' >> /opt/rto/app
printf 'manifestVersion: v1\nname: other\nrun: ./app\nbaseline: none\n' > /opt/rto/m.yml
expect_ok "load another manifest first" charter load --allow-unsigned /opt/rto/m.yml
g0=$($G) || fail "policygen: $g0"

# As root: loads rt beside 'other', runs it with its arguments.
charter run --allow-unsigned /opt/rt/m.yml -- write /srv/rt/out "two words" > /tmp/rt.out 2>&1 ||
	fail "charter run: exit $?: $(cat /tmp/rt.out)"
[ "$(cat /srv/rt/out)" = "two words" ] || fail "arguments did not arrive: $(cat /srv/rt/out)"
grep -q "^charter: run: loaded manifest 'rt' for /opt/rt/fileop (sha256:[0-9a-f]\{64\}, [0-9]* bytes: no pinned hash, so this build is its identity)$" /tmp/rt.out ||
	fail "run does not say what it loaded: $(cat /tmp/rt.out)"
pass "run loads the manifest and the program gets its arguments"
charter list --json > /tmp/rt.list
grep -q '"name":"rt"' /tmp/rt.list || fail "rt not listed: $(cat /tmp/rt.list)"
grep -q '"name":"other"' /tmp/rt.list || fail "run dropped the other manifest: $(cat /tmp/rt.list)"
g1=$($G)
[ "$g1" != "$g0" ] || fail "the policy generation did not move ($g0) though rt was loaded"
pass "the other manifest stays loaded"

# Confined: a read its manifest does not grant is refused.
expect_errno "the program runs confined" $EACCES \
	charter run --allow-unsigned /opt/rt/m.yml -- read /srv/rt-secret
# Its working directory is the manifest's, symlinks resolved.
ln -s /opt/rt/m.yml /tmp/rt-link.yml
out=$(cd / && charter run --allow-unsigned /tmp/rt-link.yml read here 2>/tmp/rt.err) ||
	fail "reading ./here from the manifest's directory: $out $(cat /tmp/rt.err)"
[ "$out" = "in the manifest's directory" ] || fail "cwd not the manifest's directory: $out"
pass "the program runs from the manifest's directory"
g2=$($G)
[ "$g2" = "$g1" ] || fail "a run of a loaded manifest loaded a policy ($g1 -> $g2)"
pass "a second run loads nothing (generation $g2)"

# explain NAME: the loaded manifest in the words and score of its file.
charter explain /opt/rt/m.yml > /tmp/rt.file || fail "explain file"
charter explain rt > /tmp/rt.name 2>&1 || fail "explain rt: $(cat /tmp/rt.name)"
grep -q '^Exposure: ' /tmp/rt.name || fail "no exposure: $(cat /tmp/rt.name)"
cmp /tmp/rt.file /tmp/rt.name || fail "explain rt differs from its file: $(diff /tmp/rt.file /tmp/rt.name)"
charter explain --json rt | grep -q '^{"file":"loaded:rt","name":"rt",' || fail "explain --json rt"
su -s /bin/sh nobody -c "charter explain rt" > /tmp/rt.nobody 2>&1 && fail "nobody could explain rt"
grep -q 'CAP_MAC_ADMIN is required' /tmp/rt.nobody || fail "explain rt as nobody: $(cat /tmp/rt.nobody)"
charter explain nosuch > /tmp/rt.out 2>&1 && fail "explain of an unknown name exited 0"
grep -q "nosuch: no such file, and no loaded manifest has this name" /tmp/rt.out ||
	fail "explain nosuch: $(cat /tmp/rt.out)"
pass "explain NAME gives the loaded manifest's text and score"

# Loaded, and the caller may not read the policy: the kernel says whether
# it holds this manifest for this executable; then the program runs, confined.
su -s /bin/sh nobody -c "charter run --allow-unsigned /opt/rt/m.yml -- write /srv/rtn/nobody-ran x" \
	> /tmp/rt.out 2>&1 || fail "nobody could not run the loaded rt: $(cat /tmp/rt.out)"
[ "$(cat /srv/rtn/nobody-ran)" = x ] || fail "nobody's run did not write"
grep -q "^charter: run: manifest 'rt' is loaded for this executable at /opt/rt/fileop (you may not read the policy" /tmp/rt.out ||
	fail "nobody's run does not say what it found: $(cat /tmp/rt.out)"
su -s /bin/sh nobody -c "charter run --allow-unsigned /opt/rt/m.yml -- read /srv/rt-secret" > /tmp/rt.out 2>&1
rc=$?
[ $rc = $EACCES ] || fail "nobody's run of rt is not confined: exit $rc: $(cat /tmp/rt.out)"
pass "a caller who may not read the policy runs a loaded manifest's program, confined"

# Not loaded, and the caller may not load it: refused, nothing runs.
expect_ok "only 'other' loaded again" charter load --allow-unsigned /opt/rto/m.yml
su -s /bin/sh nobody -c "charter run --allow-unsigned /opt/rt/m.yml -- write /srv/rtn/ran x" \
	> /tmp/rt.out 2>&1 && fail "nobody ran rt: $(cat /tmp/rt.out)"
cat /tmp/rt.out
[ -e /srv/rtn/ran ] && fail "the program ran, unconfined, for nobody"
grep -q "^charter: run: manifest 'rt' is not loaded for this program at this path, and you may not load it (no manifest of that name for that executable and run path is loaded): not running /opt/rt/fileop unconfined$" /tmp/rt.out ||
	fail "nobody's refusal: $(cat /tmp/rt.out)"
charter list --json | grep -q '"name":"rt"' && fail "nobody's run loaded rt"
pass "a caller who may not load the manifest is refused, and nothing runs"

# A pinned hash that does not match: nothing loaded, nothing run.
g3=$($G)
zero=0000000000000000000000000000000000000000000000000000000000000000
{ echo "hash: sha256:$zero"; cat /opt/rt/m.yml; } > /opt/rt/pinned.yml
charter run --allow-unsigned /opt/rt/pinned.yml -- write /srv/rt/pinned x > /tmp/rt.out 2>&1 &&
	fail "a mismatching pinned hash ran"
grep -q "expected sha256:$zero, actual sha256:[0-9a-f]\{64\}" /tmp/rt.out || fail "mismatch message: $(cat /tmp/rt.out)"
grep -q "nothing loaded, nothing run" /tmp/rt.out || fail "mismatch message: $(cat /tmp/rt.out)"
[ -e /srv/rt/pinned ] && fail "the mismatching program ran"
[ "$($G)" = "$g3" ] || fail "a mismatching pinned hash loaded a policy"
pass "a pinned hash that does not match refuses"

# The same name for another executable: the new version replaces it.
expect_ok "rt loaded" charter run --allow-unsigned /opt/rt/m.yml -- read here
cp /tests/bin/fileop /opt/rt2/fileop && printf '2' >> /opt/rt2/fileop
sed 's|/opt/rt/here|/opt/rt2/here|' /opt/rt/m.yml > /opt/rt2/m.yml
echo two > /opt/rt2/here
out=$(charter run --allow-unsigned /opt/rt2/m.yml -- read here 2>&1) || fail "new version of rt: $out"
echo "$out" | grep -q "replacing the version that was loaded" || fail "replacement not said: $out"
echo "$out" | grep -q "the version replaced was for another executable (sha256:" || fail "old hash not said: $out"
charter list --json | grep '"name":"rt"' | grep -q '"run":"/opt/rt2/fileop"' || fail "rt not replaced: $(charter list --json)"
charter list --json | grep -q '"name":"other"' || fail "replacing rt dropped other"
pass "a manifest of the same name for another executable is replaced"

# One executable, one manifest: another name for rt2's program is refused.
sed 's/^name: rt$/name: rt3/; s|run: ./fileop|run: /opt/rt2/fileop|' /opt/rt2/m.yml > /opt/rt3/m.yml
g4=$($G)
charter run --allow-unsigned /opt/rt3/m.yml -- write /srv/rt/rt3 x > /tmp/rt.out 2>&1 &&
	fail "a second manifest for one executable ran"
cat /tmp/rt.out
grep -q "same executable" /tmp/rt.out || fail "no reason given: $(cat /tmp/rt.out)"
grep -q "nothing loaded, nothing run" /tmp/rt.out || fail "rt3: $(cat /tmp/rt.out)"
[ -e /srv/rt/rt3 ] && fail "rt3's program ran"
[ "$($G)" = "$g4" ] || fail "rt3 loaded a policy"
pass "an executable that has a manifest of another name is refused"

charter unload
pass "charter run"
