#!/bin/sh
# While a program is learned: (1) a confined program that executes it is
# still held by its own (outer) layer; (2) the learned program itself
# (root, in a learning domain) may not change Charter's policy or modes:
# those refusals are "always".
. /tests/attack.sh
load_module

rm -rf /opt/a16 /srv/a16 /opt/a16o && mkdir -p /opt/a16 /srv/a16 /opt/a16o
echo secret > /srv/a16/secret
cp /tests/bin/learnop /opt/a16/lrn
unique /tests/bin/fileop /opt/a16o/outer
# outer may execute the learned program's directory, nothing in /srv.
manifest /opt/a16o outer outer '  - {name: lrn, path: /opt/a16, permission: readExecute}'
expect_ok "load outer" charter load --allow-unsigned /opt/a16o/outer.yml
refused "outer reads the secret" 13 /opt/a16o/outer read /srv/a16/secret

cp /bin/busybox /opt/a16/sh && printf y >> /opt/a16/sh
rm -f /tmp/go /tmp/go2 /tmp/a16-mode.rc /tmp/a16-load.rc /tmp/a16-unload.rc /tmp/a16-nlop.rc
cat > /tmp/a16-inner.sh <<'IN'
charter mode complain > /tmp/a16-mode.out 2>&1; echo $? > /tmp/a16-mode.rc
charter mode disabled --manifest outer >> /tmp/a16-mode.out 2>&1; echo $? >> /tmp/a16-mode.rc
charter unload > /tmp/a16-unload.out 2>&1; echo $? > /tmp/a16-unload.rc
/tests/bin/nlop hold /tests/bin/nlop mode 1 > /tmp/a16-nlop.out 2>&1; echo $? > /tmp/a16-nlop.rc
while [ ! -e /tmp/go ]; do sleep 0.1; done
IN
charter learn -o /tmp/sh-draft.yml --name lsh -- /opt/a16/sh /tmp/a16-inner.sh > /tmp/learn.out 2>&1 &
lp=$!
i=0
until [ -e /tmp/a16-nlop.rc ]; do
	i=$((i + 1)); [ $i -lt 300 ] || fail "the learned command did not get there: $(cat /tmp/learn.out)"; sleep 0.1
done
# (1) the outer layer still holds: outer -> exec learned program (learning layer on top)
charter learn -o /tmp/lrn-draft.yml -- /opt/a16/lrn wait-read /tmp/go2 /srv/a16/secret > /tmp/learn2.out 2>&1 &
lp2=$!
i=0
until charter list 2>/dev/null | grep -q '^lrn '; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "lrn never appeared: $(cat /tmp/learn2.out)"; sleep 0.1
done
expect_ok "the learned program reads the secret outside any domain" /opt/a16/lrn read /srv/a16/secret
refused "outer executes the learned program, which reads the secret" 13 /opt/a16o/outer exec /opt/a16/lrn read /srv/a16/secret
touch /tmp/go /tmp/go2
wait $lp; wait $lp2
cat /tmp/a16-mode.out /tmp/a16-unload.out /tmp/a16-nlop.out
grep -qx 0 /tmp/a16-mode.rc && escape "a learning program changed a mode: $(cat /tmp/a16-mode.out)"
[ "$(cat /tmp/a16-unload.rc)" = 0 ] && escape "a learning program unloaded the policy"
[ "$(cat /tmp/a16-nlop.rc)" = 1 ] || escape "nlop mode from a learning program: exit $(cat /tmp/a16-nlop.rc)"
charter status > /tmp/status.out 2>&1
cat /tmp/status.out
grep -q "^mode  *enforce" /tmp/status.out || escape "the global mode changed: $(cat /tmp/status.out)"
charter list | grep -q '^outer ' || escape "outer was unloaded"
refused "outer still confined" 13 /opt/a16o/outer read /srv/a16/secret
finish
