#!/bin/sh
# Attack (route: exec.c takes a snapshot of the file's name, then makes its
# path: a rename between them). The changed build at the run path
# /opt/rr/app is renamed to /opt/rr/app.x and back without end while it is
# executed by its run path: an exec that opened it at /opt/rr/app must run
# confined by the manifest (unpinned) and may not run at all (pinned).
# Without Charter every run that found the file reads the secret. PASSES
# when no run reads it. (The renamer needs write on the run's directory:
# an administrator, a package manager, or the program's own domain.)
. /tests/charter-test.sh
load_module

rm -rf /opt/rr /opt/rq && mkdir -p /opt/rr /opt/rq /srv/rr
echo secret > /srv/rr-secret
cp /tests/bin/fileop /opt/rr/app && printf a >> /opt/rr/app
cp /tests/bin/fileop /opt/rq/app && printf q >> /opt/rq/app
hash=$(charter hash /opt/rq/app | awk '{print $1}')
printf 'manifestVersion: v1\nname: rr\nrun: /opt/rr/app\nbaseline: none\nallowedDirectories:\n  - {name: d, path: /srv/rr, permission: read}\n' > /opt/rr.yml
printf 'manifestVersion: v1\nname: rq\nrun: /opt/rq/app\nhash: %s\nbaseline: none\nallowedDirectories:\n  - {name: d, path: /srv/rr, permission: read}\n' "$hash" > /opt/rq.yml
/tests/bin/racerun /opt/rr/app /opt/rr/app.x 200 read /srv/rr-secret > /tmp/rr.out
grep -q 'exit0 [1-9]' /tmp/rr.out || fail "without Charter no run read the secret: $(cat /tmp/rr.out)"
pass "without a policy: $(cat /tmp/rr.out)"
expect_ok "load" charter load --allow-unsigned /opt/rr.yml /opt/rq.yml
cp /tests/bin/fileop /tmp/rr2; printf '\377' | dd of=/tmp/rr2 bs=1 seek=41 conv=notrunc 2>/dev/null
cp /tmp/rr2 /opt/rr/app.n && mv -f /opt/rr/app.n /opt/rr/app
cp /tmp/rr2 /opt/rq/app.n && mv -f /opt/rq/app.n /opt/rq/app
bad=0
/tests/bin/racerun /opt/rr/app /opt/rr/app.x 1000 read /srv/rr-secret > /tmp/rr.out 2>/dev/null || bad=1
echo "unpinned: $(cat /tmp/rr.out)"
/tests/bin/racerun /opt/rq/app /opt/rq/app.x 1000 read /dev/null > /tmp/rq.out || bad=1
echo "pinned: $(cat /tmp/rq.out)"
[ $bad = 0 ] || fail "ESCAPE: a run of the changed build at the run path was not held (rename race)"
pass "no run escaped"
