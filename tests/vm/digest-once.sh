#!/bin/sh
# A new binary is hashed once (ident.c): tasks that execute it while
# another is hashing it wait for that digest instead of reading the file
# again; later executions find it cached; a write open makes the next one
# hash it anew. Counted by charter status (files_hashed).
. /tests/charter-test.sh

rm -rf /opt/do /srv/do
mkdir -p /opt/do /srv/do
echo x > /srv/do/f
# 24 MiB: the hash takes long enough (seconds under TCG) for the others
# to start while it runs.
cp /tests/bin/fileop /opt/do/big
head -c $((24 * 1048576 - $(wc -c < /tests/bin/fileop))) /dev/zero >> /opt/do/big
chmod 755 /opt/do/big
cat > /opt/do/do.yml <<'YML'
manifestVersion: v1
name: do
run: ./big
allowedDirectories:
  - {name: f, path: /srv/do, permission: read}
YML
hashed() { charter status --json | sed -n 's/.*"files_hashed":\([0-9]*\).*/\1/p'; }

load_module
charter load --allow-unsigned /opt/do/do.yml > /tmp/do.out 2>&1 || fail "load: $(cat /tmp/do.out)"
h0=$(hashed)
[ -n "$h0" ] || fail "no files_hashed in charter status --json"
pids=
for i in 1 2 3 4; do
	/opt/do/big read /srv/do/f > /tmp/do.$i 2>&1 &
	pids="$pids $!"
done
fails=0
for p in $pids; do wait $p || fails=$((fails + 1)); done
[ $fails = 0 ] || fail "$fails of the 4 executions failed: $(cat /tmp/do.*)"
h1=$(hashed)
[ $((h1 - h0)) = 1 ] || fail "4 executions at once hashed it $((h1 - h0)) times"
pass "4 executions at once: hashed once"
expect_errno "each was confined" $EACCES /opt/do/big read /etc/passwd
/opt/do/big read /srv/do/f > /dev/null || fail "a cached execution"
[ "$(hashed)" = $h1 ] || fail "cached executions hashed it again: $(hashed)"
pass "later executions: from the cache"
: >> /opt/do/big	# opened for writing (nothing written): forgotten
/opt/do/big read /srv/do/f > /dev/null || fail "after a write open"
[ "$(hashed)" = $((h1 + 1)) ] || fail "after a write open: $(hashed) (was $h1)"
pass "after a write open: hashed anew"
charter unload > /dev/null
rmmod charter || fail "rmmod charter"
rm -rf /opt/do /srv/do
