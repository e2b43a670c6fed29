#!/bin/sh
# CHARTER_CMD_POLICY_GET and CHARTER_CMD_LEARN_DUMP: refused without
# CAP_MAC_ADMIN; malformed attributes refused; what a confined root gets.
. /tests/attack.sh
load_module
rm -rf /opt/a16 /srv/a16 /opt/a16c && mkdir -p /opt/a16 /srv/a16 /opt/a16c
echo secret > /srv/a16/secret
cp /tests/bin/learnop /opt/a16/n
unique /tests/bin/learnop /opt/a16c/conf
manifest /opt/a16c conf conf
expect_ok "load conf" charter load --allow-unsigned /opt/a16c/conf.yml
cp /tests/bin/learnop /tmp/a16nl && chmod 755 /tmp/a16nl
rm -f /tmp/go
charter learn -o /tmp/n.yml -- /opt/a16/n wait-read /tmp/go /srv/a16/secret > /tmp/learn.out 2>&1 &
lp=$!
i=0
until charter list 2>/dev/null | grep -q '^n '; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "n never appeared"; sleep 0.1
done
expect_ok "root outside: POLICY_GET" /tmp/a16nl nl get
expect_ok "root outside: LEARN_DUMP n" /tmp/a16nl nl dump n
refused "nobody: POLICY_GET" 1 su -s /bin/sh nobody -c '/tmp/a16nl nl get'
refused "nobody: LEARN_DUMP" 1 su -s /bin/sh nobody -c '/tmp/a16nl nl dump n'
refused "LEARN_DUMP, name without NUL" 22,34 /tmp/a16nl nl dump-nonul n
refused "LEARN_DUMP, no name" 2,22 /tmp/a16nl nl dump-noname
refused "POLICY_LOAD with a 4-byte generation" 22,34 /tmp/a16nl nl load-gen4
# A confined root (enforcing manifest 'conf'): may it read the policy or a record?
/opt/a16c/conf nl get > /tmp/cget.out 2>&1; echo "NOTE: confined root POLICY_GET: exit $? $(cat /tmp/cget.out)"
/opt/a16c/conf nl dump n > /tmp/cdump.out 2>&1; echo "NOTE: confined root LEARN_DUMP: exit $? $(cat /tmp/cdump.out)"
touch /tmp/go; wait $lp
finish
