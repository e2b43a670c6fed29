#!/bin/sh
# Attack (route: upgrades; goal: a confined program gets code of its own
# run outside its domain). A confined self-updating daemon may write its own
# install directory /opt/su/bin (where its run path lies). What it puts
# there is started again by the service manager (here: this unconfined
# shell), always by the run path /opt/su/bin/app. "Upgrades never free a
# program": a new build at the run path runs confined (unpinned manifest
# su) or not at all (pinned manifest sp). The daemon tries:
#   a. a new build renamed over its run path (the promise: held)
#   b. the new build beside it, and the run path made a symlink to it
#   c. a directory of the run path made a symlink (/opt/su/cur -> v2)
#   d. the new build at the run path, renamed away and back without end
#      by a confined child while the service manager restarts it
# Without Charter every restarted build reads the secret. PASSES when no
# restart of the run path runs outside the manifest (or, pinned, at all).
. /tests/charter-test.sh
load_module

bad=0
escape() { echo "ESCAPE: $*"; bad=1; }
rm -rf /opt/su /opt/sp /srv/su && mkdir -p /opt/su/bin /opt/sp/bin /opt/su/v1 /srv/su/pub
echo secret > /srv/su-secret
echo ok > /srv/su/pub/ok
cp /tests/bin/fileop /opt/su/bin/app && printf s >> /opt/su/bin/app
cp /tests/bin/fileop /opt/sp/bin/app && printf p >> /opt/sp/bin/app
cp /tests/bin/fileop /opt/su/v1/app && printf v >> /opt/su/v1/app
ln -s v1 /opt/su/cur
hash=$(charter hash /opt/sp/bin/app | awk '{print $1}')
man() { # NAME RUN DIR [HASH]
	printf 'manifestVersion: v1\nname: %s\nrun: %s\n%sbaseline: none\nallowedDirectories:\n  - {name: self, path: %s, permission: readWriteExecute}\n  - {name: pub, path: /srv/su/pub, permission: read}\n  - {name: bin, path: /bin, permission: readExecute}\n  - {name: tests, path: /tests, permission: readExecute}\n' \
		"$1" "$2" "${4:+hash: $4
}" "$3" > /opt/$1.yml
}
man su /opt/su/bin/app /opt/su/bin
man sp /opt/sp/bin/app /opt/sp/bin "$hash"
man sv /opt/su/cur/app /opt/su
/opt/su/bin/app read /srv/su-secret > /dev/null || fail "without a policy the service cannot read"
pass "without a policy the service reads the secret"
expect_ok "load" charter load --allow-unsigned /opt/su.yml /opt/sp.yml /opt/sv.yml
charter list | grep -E '^(su|sp|sv) '

# restart DESC KIND RUN: the service manager starts RUN again.
restart() {
	desc=$1; kind=$2; run=$3
	if [ $kind = pin ]; then t=/srv/su/pub/ok; else t=/srv/su-secret; fi
	$run read $t > /tmp/su.out 2>&1; rc=$?
	case $rc in
	13|126) pass "$desc: held ($kind, exit $rc)";;
	0) escape "$desc: the restarted build ran outside its manifest ($kind): $(readlink $run)";;
	*) echo "?? $desc: exit $rc: $(cat /tmp/su.out)"; bad=1;;
	esac
}
daemon() { # BINARY SCRIPT: the confined daemon runs SCRIPT
	$1 exec /bin/sh -c "$2" || echo "daemon: exit $?"
}

daemon /opt/su/bin/app 'cd /opt/su/bin && cp app app.new && echo a >> app.new && mv -f app.new app'
restart "a. new build renamed over the run path" up /opt/su/bin/app
daemon /opt/su/bin/app 'cd /opt/su/bin && cp app app.real && echo b >> app.real && ln -sf app.real app.lnk && mv -f app.lnk app'
restart "b. run path made a symlink to a new build beside it" up /opt/su/bin/app
daemon /opt/sp/bin/app 'cd /opt/sp/bin && cp app app.real && echo b >> app.real && ln -sf app.real app.lnk && mv -f app.lnk app'
restart "b. pinned: run path made a symlink to a new build" pin /opt/sp/bin/app
daemon /opt/su/cur/app 'mkdir -p /opt/su/v2 && cp /opt/su/cur/app /opt/su/v2/app && echo c >> /opt/su/v2/app && ln -sfn v2 /opt/su/cur.new && mv -T /opt/su/cur.new /opt/su/cur' 
restart "c. a directory of the run path made a symlink to v2" up /opt/su/cur/app

# d. the renamer is a confined child of the daemon.
rm -f /opt/su/bin/app; cp /tests/bin/fileop /opt/su/bin/app; printf d >> /opt/su/bin/app
cp /tests/bin/fileop /opt/sp/bin/app.x; printf d >> /opt/sp/bin/app.x; rm -f /opt/sp/bin/app
mv /opt/sp/bin/app.x /opt/sp/bin/app
# Two confined renamers (the sv domain's program runs /tests/bin/rp).
/opt/su/cur/app exec /tests/bin/rp renameloop /opt/su/bin/app /opt/su/bin/app.x 2>/dev/null & r1=$!
sleep 1
/tests/bin/racerun /opt/su/bin/app - 1000 read /srv/su-secret > /tmp/su.race 2>/dev/null
kill $r1; wait $r1 2>/dev/null
[ -e /opt/su/bin/app ] || mv /opt/su/bin/app.x /opt/su/bin/app
echo "d. unpinned, restarts racing a confined renamer: $(cat /tmp/su.race)"
grep -q 'exit0 0 ' /tmp/su.race || escape "d. restarts of the run path ran unconfined"
grep -q 'eacces [1-9]' /tmp/su.race || echo "?? d: no restart held at all"
[ $bad = 0 ] || fail "escapes above"
pass "every restart was held"
