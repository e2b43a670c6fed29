#!/bin/sh
# Attack (route: the digest cache, kmod/ident.c): a task that finds
# another hashing the same inode waits for its digest instead of hashing
# itself. Priority inversion: anyone may execute a manifested program
# (it runs confined), and the first to do so after the module loads (or
# after the file changes) hashes it while everyone else waits. Here the
# first exec runs at SCHED_IDLE beside two CPU-bound tasks, so its hash
# crawls; a second exec of the same file, at normal priority, waits for it
# (wait_event_killable: only a fatal signal ends the wait). Measured
# against the same exec of a fresh copy under the same load, which
# hashes for itself. PASSES when the waiting exec takes no more than
# 4 times the baseline plus 3 s (a waiter is not held hostage by a slow
# hasher); FAILS with both times otherwise.
. /tests/charter-test.sh
load_module
rm -rf /opt/dw /srv/dw && mkdir -p /opt/dw /srv/dw
echo dw > /srv/dw/secret
cp /tests/bin/fileop /opt/dw/app
dd if=/dev/zero bs=1M count=24 >> /opt/dw/app 2>/dev/null
printf 'manifestVersion: v1\nname: dw\nrun: ./app\nbaseline: none\n' > /opt/dw/app.yml
expect_ok "load" charter load --allow-unsigned /opt/dw/app.yml
U=/tmp/r17op-free
cp /tests/bin/r17op $U && echo >> $U

hogs() { $U spin $1 & H1=$!; $U spin $1 & H2=$!; }

# Baseline: a fresh copy (a new inode: hashed by the exec itself) under load.
cp /opt/dw/app /opt/dw/copy1
hogs 20
sleep 0.5
base=$($U timed /opt/dw/copy1 read /srv/dw/secret)
kill $H1 $H2 2>/dev/null; wait $H1 $H2 2>/dev/null
pass "baseline under load: $base"

# The attack: an idle-priority exec hashes; a normal one waits for it.
cp /opt/dw/app /opt/dw/copy2
hogs 60
sleep 0.5
$U idle-exec /opt/dw/copy2 read /srv/dw/secret > /dev/null 2>&1 &
I=$!
sleep 0.5
victim=$($U timed /opt/dw/copy2 read /srv/dw/secret)
kill $H1 $H2 2>/dev/null; wait $H1 $H2 2>/dev/null
wait $I
b=$(echo "$base" | sed -n 's/^ms \([0-9]*\) .*/\1/p')
v=$(echo "$victim" | sed -n 's/^ms \([0-9]*\) .*/\1/p')
echo "baseline $b ms, waiting exec $v ms"
[ "$v" -le $((4 * b + 3000)) ] ||
	fail "DoS: a normal exec waited $v ms for an idle-priority task's hash (baseline $b ms)"
pass "the waiting exec took $v ms (baseline $b ms)"
rm -rf /opt/dw /srv/dw $U
