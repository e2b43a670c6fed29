#!/bin/sh
# The runtime baseline: a dynamically linked program runs confined with
# the default baseline, and cannot even start with "baseline: none".
. /tests/charter-test.sh
load_module

rm -rf /opt/dyn /srv/dyn
mkdir -p /opt/dyn/with /opt/dyn/without /srv/dyn
echo data > /srv/dyn/file
echo secret > /srv/dyn-secret
cp /tests/bin/fileop-dyn /opt/dyn/with/app
# Another program (one byte more), so it can have a manifest of its own.
cp /tests/bin/fileop-dyn /opt/dyn/without/app && echo >> /opt/dyn/without/app
for m in with without; do
	cat > /opt/dyn/$m/manifest.yml <<YML
manifestVersion: v1
name: dyn-$m
run: ./app
baseline: $( [ $m = with ] && echo default || echo none )
allowedDirectories:
  - name: data
    path: /srv/dyn
    permission: read
YML
done
expect_ok "load both" charter load --allow-unsigned /opt/dyn/with/manifest.yml /opt/dyn/without/manifest.yml

out=$(/opt/dyn/with/app read /srv/dyn/file) || fail "dynamic program with the baseline: exit $?"
[ "$out" = data ] || fail "read returned '$out'"
pass "a dynamically linked program runs with the baseline"
expect_errno "and is still confined" $EACCES /opt/dyn/with/app read /srv/dyn-secret

# The kernel cannot even map the dynamic loader (it needs the execute
# right): the program dies before its first instruction.
/opt/dyn/without/app read /srv/dyn/file > /tmp/without.out 2>&1 && fail "ran without its libraries"
grep -q data /tmp/without.out && fail "read the file without its libraries"
pass "without the baseline a dynamically linked program cannot start"
