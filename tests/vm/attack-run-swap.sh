#!/bin/sh
# Red team 16b: 'charter run' for a caller without CAP_MAC_ADMIN hashes the
# file at the manifest's run path, asks the kernel (MANIFEST_QUERY), then
# execs that path. A relative run path in a copy of the manifest names a
# file in the copy's directory, which the kernel knows nothing of: a file
# swapped in after the hash runs unconfined, though run says it is held.
# The swap is made deterministic: run's stderr is a full pipe, so run
# blocks in its first write (the "is loaded" message) until we drain it.
. /tests/charter-test.sh
load_module
N=/tests/bin/ctlop

rm -rf /opt/w /tmp/u && mkdir -p /opt/w /tmp/u
echo secret > /srv/w-secret && chmod 644 /srv/w-secret
cp /tests/bin/fileop /opt/w/prog
printf 'manifestVersion: v1\nname: w-prog\nrun: ./prog\nbaseline: none\nallowedDirectories:\n  - {name: t, path: /tests/bin, permission: readExecute}\n' > /opt/w/m.yml
expect_ok "load" charter load --allow-unsigned /opt/w/m.yml
# Held when run the ordinary way.
su -s /bin/sh nobody -c "charter run --allow-unsigned /opt/w/m.yml -- read /srv/w-secret" > /tmp/w.out 2>&1; rc=$?
[ $rc = $EACCES ] || fail "the plain run is not confined: exit $rc: $(cat /tmp/w.out)"
pass "the plain run is confined"
# nobody's copy of manifest and program; another program to swap in.
cp /opt/w/m.yml /opt/w/prog /tmp/u/
cp /tests/bin/fileop /tmp/u/evil && printf 'e' >> /tmp/u/evil
chown -R nobody /tmp/u
su -s /bin/sh nobody -c "$N stallrun 60 /tmp/u/prog /tmp/u/evil $(command -v charter) run --allow-unsigned /tmp/u/m.yml -- read /srv/w-secret" > /tmp/w.out 2>&1; rc=$?
cat /tmp/w.out
if [ $rc = 0 ] && grep -q '^secret$' /tmp/w.out; then
	fail "ESCAPE: charter run said the manifest is loaded, then ran a swapped file unconfined"
fi
pass "charter run never runs a swapped file unconfined (exit $rc)"
