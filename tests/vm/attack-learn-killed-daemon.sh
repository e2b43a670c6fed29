#!/bin/sh
# charter learn killed (SIGKILL) mid-way leaves its learning manifest
# loaded; a daemon forked by the learned command outlives learn. Checks:
# an outer layer still holds over the left-behind learning manifest; the
# next learn removes it; loading the draft (an enforcing manifest for the
# same executable) confines the daemon that outlived learn.
. /tests/attack.sh
load_module

rm -rf /opt/a16 /srv/a16 /opt/a16o && mkdir -p /opt/a16 /srv/a16 /opt/a16o
echo secret > /srv/a16/secret
cp /tests/bin/learnop /opt/a16/k
unique /tests/bin/fileop /opt/a16o/outer
manifest /opt/a16o outer outer '  - {name: k, path: /opt/a16, permission: readExecute}'
expect_ok "load outer" charter load --allow-unsigned /opt/a16o/outer.yml
rm -f /tmp/go /tmp/go9
charter learn -o /tmp/k-draft.yml -- /opt/a16/k wait-read /tmp/go9 /srv/a16/secret > /tmp/learn.out 2>&1 &
lp=$!
i=0
until charter list 2>/dev/null | grep -q '^k '; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "k never appeared"; sleep 0.1
done
kill -9 $lp; wait $lp
charter list > /tmp/list.out; cat /tmp/list.out
grep -q '^k ' /tmp/list.out && echo "NOTE: after SIGKILL the learning manifest 'k' stays loaded"
refused "outer executes k (left-behind learning manifest)" 13 /opt/a16o/outer exec /opt/a16/k read /srv/a16/secret
touch /tmp/go9

# The next learn cleans up.
charter learn -o /tmp/k-draft.yml -- /opt/a16/k read /opt/a16/k.none > /tmp/learn.out 2>&1
cat /tmp/learn.out
charter list | grep -q '^k ' && fail "k still loaded after a complete learn"
pass "the next learn removed the left-behind manifest"

# A daemon forked by the learned command outlives learn; loading the draft
# must confine it (its layer follows the manifest of its executable).
echo secret2 > /srv/a16/secret2
mkdir -p /opt/a16s && cp /bin/busybox /opt/a16s/sh && printf z >> /opt/a16s/sh
cat > /opt/a16/fork.sh <<'IN'
echo start > /tmp/a16-daemon.rc
( /opt/a16/k wait-read /tmp/go /srv/a16/secret2; echo $? > /tmp/a16-daemon.rc ) > /dev/null 2>&1 &
exit 0
IN
rm -f /tmp/go
charter learn -o /tmp/ksh-draft.yml --name ksh -- /opt/a16s/sh /opt/a16/fork.sh > /tmp/learn3.out 2>&1
cat /tmp/learn3.out /tmp/ksh-draft.yml
expect_ok "load the ksh draft" charter load --allow-unsigned /tmp/ksh-draft.yml /opt/a16o/outer.yml
touch /tmp/go
i=0
while [ "$(cat /tmp/a16-daemon.rc)" = start ]; do i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.1; done
rc=$(cat /tmp/a16-daemon.rc)
[ "$rc" = start ] && fail "inconclusive: the daemon's result never came (its write refused?)"
[ "$rc" = 13 ] || escape "the daemon that outlived learn, after its draft was loaded, read secret2 (result '$rc')"
finish
