#!/bin/sh
# A daemon confined by an enforcing manifest keeps running after the
# administrator unloads that manifest (as `charter learn` itself advises:
# "learn on a copy, or unload it first"), then runs `charter learn` on the
# same executable. The load of the learning manifest moves the daemon's
# lineage (same digest) to the learning version: from then on every
# refusal becomes "record and allow", and once learn drops the manifest
# the lineage keeps that last version: the daemon is free until it exits.
# Variant: an upgrade (new build at the run path, same manifest name).
# Passes when the running daemon stays refused.
. /tests/attack.sh
load_module

rm -rf /opt/a16 /srv/a16 && mkdir -p /opt/a16 /srv/a16
echo secret > /srv/a16/secret
cp /tests/bin/learnop /opt/a16/d
manifest /opt/a16 d d
unique /tests/bin/learnop /tmp/a16free
expect_ok "outside any domain the secret reads" /tmp/a16free read /srv/a16/secret
expect_ok "load d" charter load --allow-unsigned /opt/a16/d.yml
refused "d reads the secret under its manifest" 13 /opt/a16/d read /srv/a16/secret

# Control: unloading alone does not free a running d.
rm -f /tmp/go0 /tmp/go1
/opt/a16/d wait-read /tmp/go0 /srv/a16/secret & p0=$!
/opt/a16/d wait-read /tmp/go1 /srv/a16/secret & p1=$!
sleep 1
expect_ok "unload" charter unload
touch /tmp/go0; wait $p0; rc=$?
[ $rc = 13 ] || escape "unload alone freed the running daemon (exit $rc)"
pass "after unload, the running daemon is still held (errno $rc)"

# Learn the same executable (a new run of it), as advised.
charter learn -o /tmp/d-draft.yml -- /opt/a16/d read /opt/a16/d.yml > /tmp/learn.out 2>&1 ||
	fail "learn: $(cat /tmp/learn.out)"
charter list 2>&1 | grep -q '^d ' && fail "the learning manifest stayed"
touch /tmp/go1; wait $p1; rc=$?
[ $rc = 13 ] || escape "after 'charter learn' on its executable, the daemon confined earlier reads the secret (exit $rc)"

# Upgrade variant: the old build keeps running; a new build at the run path is learned.
cp /tests/bin/learnop /opt/a16/u && echo >> /opt/a16/u
manifest /opt/a16 u u
expect_ok "load u" charter load --allow-unsigned /opt/a16/u.yml
rm -f /tmp/go2
/opt/a16/u wait-read /tmp/go2 /srv/a16/secret & p2=$!
sleep 1
expect_ok "unload" charter unload
cp /tests/bin/learnop /opt/a16/u.new && echo >> /opt/a16/u.new && echo >> /opt/a16/u.new
mv /opt/a16/u.new /opt/a16/u
charter learn -o /tmp/u-draft.yml -- /opt/a16/u read /opt/a16/u.yml > /tmp/learn.out 2>&1 ||
	fail "learn u: $(cat /tmp/learn.out)"
touch /tmp/go2; wait $p2; rc=$?
[ $rc = 13 ] || escape "after 'charter learn' on the new build at its run path, the old daemon reads the secret (exit $rc)"
finish
