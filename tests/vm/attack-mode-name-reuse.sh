#!/bin/sh
# Attack (route: no policy change ever gives a running task more than it
# had). A running task keeps the last version of its manifest when a
# policy drops it. Per-manifest modes are kept by manifest *name*, while
# a task's manifest is its executable's: when a later policy gives that
# name to another program's manifest (a new build, a new program), a mode
# change aimed at the current manifest of that name (complain, to try it
# out; disabled) also reaches the old task, which is then held to nothing.
# Found by a red team; overrides are now bound to the manifest's name and
# executable, and one policy cannot hold two manifests of one name.
# PASSES when the running task's read stays refused; FAILS when it reads.
. /tests/charter-test.sh
load_module

rm -rf /opt/mn /opt/mn-new /srv/mn && mkdir -p /opt/mn /opt/mn-new /srv/mn/kept
echo kept > /srv/mn/kept/f
echo secret > /srv/mn/secret
cp /tests/bin/fileop /opt/mn/app
# The new build: another executable, whose manifest has the same name.
cp /tests/bin/fileop /opt/mn-new/app && echo >> /opt/mn-new/app
for d in /opt/mn /opt/mn-new; do
	cat > $d/app.yml <<'YML'
manifestVersion: v1
name: app
run: ./app
baseline: none
allowedDirectories:
  - {name: kept, path: /srv/mn/kept, permission: read}
YML
done

try_mode() { # MODE
	expect_ok "load the old build's manifest" charter load --allow-unsigned /opt/mn/app.yml
	expect_errno "the old build cannot read the secret" $EACCES /opt/mn/app read /srv/mn/secret
	/opt/mn/app later 5 /srv/mn/secret > /tmp/mn.out 2>&1 &
	pid=$!
	sleep 1
	expect_ok "load the new build's manifest (the old one dropped)" \
		charter load --allow-unsigned /opt/mn-new/app.yml
	expect_ok "a fresh run of the old build is not confined (documented)" \
		/opt/mn/app read /srv/mn/secret
	expect_ok "mode $1 for the new build's manifest" charter mode $1 --manifest app
	wait $pid
	rc=$?
	expect_ok "back to inherit" charter mode inherit --manifest app
	expect_ok "unload" charter unload
	if [ $rc -eq 0 ]; then
		echo "ESCAPE: mode $1 for another program's manifest freed the running old build: it read $(cat /tmp/mn.out)"
		escapes=$((escapes + 1))
	else
		pass "mode $1 for the new build did not free the running old build (exit $rc)"
	fi
}
escapes=0
try_mode complain
try_mode disabled

# The same within one policy: two manifests of one name for two
# executables are refused (the second, naming the first); the kernel
# refuses such a policy too (EEXIST, KUnit).
mkdir -p /opt/mn-both && cp /opt/mn/app.yml /opt/mn-both/old.yml
sed 's|run: ./app|run: /opt/mn-new/app|' /opt/mn-new/app.yml > /opt/mn-both/new.yml
sed -i 's|run: ./app|run: /opt/mn/app|' /opt/mn-both/old.yml
charter load --allow-unsigned /opt/mn-both > /tmp/mn.load 2>&1 &&
	fail "two manifests of one name loaded: $(cat /tmp/mn.load)"
grep -q "is already the name of" /tmp/mn.load || fail "no reason: $(cat /tmp/mn.load)"
grep -q "loaded 1 manifest, refused 1" /tmp/mn.load || fail "not one of each: $(cat /tmp/mn.load)"
pass "one name for two programs in one policy: the second refused, naming the first"
charter unload > /dev/null
[ $escapes -eq 0 ] || fail "$escapes running task(s) freed by a mode change aimed at another program"
