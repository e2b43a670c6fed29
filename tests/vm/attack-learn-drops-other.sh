#!/bin/sh
# `charter learn --name app` removes the learning manifest at the end by
# name (policy_edit drop "app"), whatever 'app' is by then. If the
# administrator loads the policy meanwhile (charter load: a whole policy)
# and it has its own manifest named 'app' (another program), learn's
# cleanup silently unloads the administrator's enforcing manifest.
# Passes when the administrator's 'app' is still loaded and enforcing.
. /tests/attack.sh
load_module

rm -rf /opt/a16 /srv/a16 && mkdir -p /opt/a16 /srv/a16 /opt/a16b
echo secret > /srv/a16/secret
cp /tests/bin/learnop /opt/a16/learned
unique /tests/bin/learnop /opt/a16b/app
manifest /opt/a16b app app
rm -f /tmp/go
charter learn -o /tmp/app-draft.yml --name app -- /opt/a16/learned wait-read /tmp/go /srv/a16/secret > /tmp/learn.out 2>&1 &
lp=$!
i=0
until charter list 2>/dev/null | grep -q '^app '; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "the learning manifest never appeared"; sleep 0.1
done
pass "learning"
# The administrator (re)loads the whole policy, which has its own 'app'.
expect_ok "load the administrator's policy" charter load --allow-unsigned /opt/a16b/app.yml
refused "the administrator's app is confined" 13 /opt/a16b/app read /srv/a16/secret
touch /tmp/go
wait $lp
cat /tmp/learn.out
charter list > /tmp/list.out 2>&1
grep -q '^app ' /tmp/list.out || escape "learn's cleanup unloaded the administrator's manifest 'app': $(cat /tmp/list.out)"
refused "the administrator's app is still confined after learn" 13 /opt/a16b/app read /srv/a16/secret
finish
