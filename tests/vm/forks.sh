#!/bin/sh
# Domains are tracked per credential: 20,000 forks of a confined task
# leave no entry behind once the tasks are gone, and the children were
# confined all along.
. /tests/charter-test.sh
load_module

rm -rf /opt/fk && mkdir -p /opt/fk /srv/fk
echo x > /srv/fk/f
echo secret > /srv/fk-secret
cp /tests/bin/fileop /opt/fk/fileop
printf 'manifestVersion: v1\nname: fk\nrun: ./fileop\nbaseline: none\nallowedDirectories:\n  - {name: d, path: /srv/fk, permission: read}\n' > /opt/fk/manifest.yml
expect_ok "load" charter load --allow-unsigned /opt/fk/manifest.yml

creds() { charter status --json | sed -n 's/.*"domain_creds":\([0-9]*\).*/\1/p'; }
[ "$(creds)" = 0 ] || fail "credentials before: $(creds)"
expect_ok "20,000 confined forks" /opt/fk/fileop forks 20000 /srv/fk/f
expect_errno "children confined" $EACCES /opt/fk/fileop forks 3 /srv/fk-secret
# Credentials are freed after an RCU grace period: give them a moment.
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(creds)" = 0 ] && break
	sleep 1
done
[ "$(creds)" = 0 ] || fail "$(creds) credentials still carry a domain"
pass "no credential entry left behind"
