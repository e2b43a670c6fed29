#!/bin/sh
# charter learn: a command runs under a learning manifest, added next to
# the loaded policy and removed after; the kernel records each distinct
# access once (100,000 files: all of them), and the draft, folded, loads
# as written: under it the command works, and what it did not use is
# refused.
. /tests/charter-test.sh
load_module

rm -rf /opt/learn /srv/learn /var/learn && mkdir -p /opt/learn /srv/learn/www /var/learn
# A shell of its own (another hash than /bin/busybox: busybox is every
# applet of this guest), and a bystander manifest that must stay loaded.
cp /bin/busybox /opt/learn/sh && printf x >> /opt/learn/sh
cp /tests/bin/fileop /opt/learn/other
printf 'manifestVersion: v1\nname: other\nrun: /opt/learn/other\nbaseline: none\n' > /opt/learn/other.yml
expect_ok "load the bystander" charter load --allow-unsigned /opt/learn/other.yml
echo page-a > /srv/learn/www/a.html
echo page-b > /srv/learn/www/b.html
echo conf > /srv/learn/app.conf
echo secret > /srv/learn/secret.txt

script='cat /srv/learn/www/a.html /srv/learn/www/b.html /srv/learn/app.conf >/dev/null && ls /srv/learn/www >/dev/null && echo done > /var/learn/out.log'
charter learn -o /tmp/app.yml --name app -- /opt/learn/sh -c "$script" 2>/tmp/learn.err ||
	fail "learn: $(cat /tmp/learn.err)"
cat /tmp/learn.err /tmp/app.yml
[ "$(cat /var/learn/out.log)" = done ] || fail "the command did not run whole while learning"
grep -q "the command exited with status 0; [0-9]* distinct accesses recorded, 0 lost" /tmp/learn.err ||
	fail "no summary: $(cat /tmp/learn.err)"
pass "learn ran the command and summed up what the kernel recorded"

charter list > /tmp/list.out || fail "list"
grep -q '^other ' /tmp/list.out || fail "the bystander was unloaded: $(cat /tmp/list.out)"
grep -q '^app ' /tmp/list.out && fail "the learning manifest stayed loaded: $(cat /tmp/list.out)"
pass "the bystander stayed loaded throughout; the learning manifest is gone"

grep -q "^    path: '/srv/learn/www'$" /tmp/app.yml || fail "the two pages and the listing did not fold into /srv/learn/www"
grep -q "^    path: '/srv/learn/app.conf'$" /tmp/app.yml || fail "no rule for app.conf"
grep -q "^    path: '/var/learn/out.log'$" /tmp/app.yml || fail "no rule for out.log"
grep -A2 "path: '/var/learn/out.log'" /tmp/app.yml | grep -q "permission: write" || fail "out.log is not write"
grep -q "secret" /tmp/app.yml && fail "the draft names what was not used"
grep -q "^run: '/opt/learn/sh'$" /tmp/app.yml || fail "run"
pass "the draft folds the pages into their directory and keeps single files as files"
expect_ok "the draft passes check as written" charter check /tmp/app.yml

expect_ok "load the draft with the bystander" charter load --allow-unsigned /tmp/app.yml /opt/learn/other.yml
rm -f /var/learn/out.log
/opt/learn/sh -c "$script" || fail "the command failed under its draft"
[ "$(cat /var/learn/out.log)" = done ] || fail "no output under the draft"
pass "under the draft, the command works"
/opt/learn/sh -c 'cat /srv/learn/secret.txt' 2>/tmp/denied.err && fail "read a file it did not use"
grep -q "Permission denied" /tmp/denied.err || fail "not EACCES: $(cat /tmp/denied.err)"
/opt/learn/sh -c 'echo x > /var/learn/other.log' 2>/dev/null && fail "wrote a file it did not use"
pass "under the draft, a file it did not use is refused"

# Lose nothing: 100,000 files, each reported once.
expect_ok "unload" charter unload
mkdir -p /srv/many
/tests/bin/fileop makemany 100000 /srv/many || fail "makemany"
cp /tests/bin/fileop /opt/learn/reader
charter learn -o /tmp/many.yml -- /opt/learn/reader readmany 100000 /srv/many 2>/tmp/many.err ||
	fail "learn 100000: $(cat /tmp/many.err)"
cat /tmp/many.err
grep -q "exited with status 0; 10000[0-9] distinct accesses recorded, 0 lost" /tmp/many.err ||
	fail "not every file recorded: $(cat /tmp/many.err)"
grep -q "^    path: '/srv/many'$" /tmp/many.yml || fail "100,000 files did not fold: $(head -30 /tmp/many.yml)"
grep -q "read: 100000 paths used" /tmp/many.yml || fail "the comment does not count them: $(cat /tmp/many.yml)"
pass "100,000 files: each recorded once, none lost, folded into one rule"

# What does not fit is counted, and the tool fails on it.
rmmod charter || fail "rmmod"
load_module learn_max_entries=1000
charter learn -o /tmp/lost.yml -- /opt/learn/reader readmany 1500 /srv/many 2>/tmp/lost.err &&
	fail "an incomplete draft exited 0"
grep -q "1000 distinct accesses recorded, 500 lost" /tmp/lost.err || fail "lost not counted: $(cat /tmp/lost.err)"
grep -q "^# INCOMPLETE: the kernel could not record 500 accesses.$" /tmp/lost.yml || fail "the draft does not say it is incomplete"
pass "past the limit: the lost accesses are counted, the draft says so, exit 1"

# Only CAP_MAC_ADMIN learns.
su -s /bin/sh nobody -c 'charter learn -o /tmp/x.yml -- /opt/learn/reader readmany 1 /srv/many' 2>/tmp/nobody.err &&
	fail "nobody learned"
grep -q "CAP_MAC_ADMIN" /tmp/nobody.err || fail "no reason: $(cat /tmp/nobody.err)"
[ -e /tmp/x.yml ] && fail "nobody got a draft"
pass "without CAP_MAC_ADMIN: refused"
