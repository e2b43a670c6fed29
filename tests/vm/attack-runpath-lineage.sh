#!/bin/sh
# Attack (route: a load moves running programs to their manifest's new
# version: by hash, else by run path). A confined daemon ("strict",
# a self-updater: it may write its own install directory /opt/rl/bin,
# where another manifest's program "loose" also lies) rewires that
# directory, then waits for the next routine reload (the dpkg trigger, or
# `systemctl reload charter`, of the same unchanged manifests):
#   A: loose's run becomes a symlink to strict's binary: the tool resolves
#      run, loose gets strict's hash, strict.yml is refused as "the same
#      file": the daemon's lineage moves to loose by hash.
#   B: it also replaces its own binary first (another hash): loose's run
#      resolves to strict's run path: the lineage moves by run path
#      (charter_lineage_successor()), new in 119c0a8.
#   C (control): it only replaces its own binary: it stays strict.
# Without Charter the daemon reads the secret; with the policy it must not,
# before or after the reload. PASSES when it never reads it.
. /tests/charter-test.sh
load_module

bad=0
setup() {
	rm -rf /opt/rl /srv/rl && mkdir -p /opt/rl/bin /srv/rl/pub
	echo secret > /srv/rl/secret
	rm -f /srv/rl/pub/go
	cp /tests/bin/fileop /opt/rl/bin/strict && printf s >> /opt/rl/bin/strict
	cp /tests/bin/fileop /opt/rl/bin/loose && printf l >> /opt/rl/bin/loose
	cat > /opt/rl/loose.yml <<YML
manifestVersion: v1
name: loose
run: /opt/rl/bin/loose
baseline: none
allowedDirectories:
  - {name: srv, path: /srv/rl, permission: read}
  - {name: bin, path: /bin, permission: readExecute}
  - {name: tests, path: /tests, permission: readExecute}
  - {name: rl, path: /opt/rl, permission: readWriteExecute}
YML
	cat > /opt/rl/strict.yml <<YML
manifestVersion: v1
name: strict
run: /opt/rl/bin/strict
baseline: none
allowedDirectories:
  - {name: pub, path: /srv/rl/pub, permission: read}
  - {name: bin, path: /bin, permission: readExecute}
  - {name: tests, path: /tests, permission: readExecute}
  - {name: self, path: /opt/rl/bin, permission: readWriteExecute}
YML
	expect_ok "load" charter load --allow-unsigned /opt/rl/loose.yml /opt/rl/strict.yml
}

# attack NAME SCRIPT: the daemon runs SCRIPT (its rewiring), then waits for
# /srv/rl/pub/go and tries the secret; prints its verdict in /tmp/rl.NAME.
attack() {
	name=$1; rewire=$2
	setup
	/opt/rl/bin/strict exec /bin/sh -c "
		$rewire
		while ! [ -e /srv/rl/pub/go ]; do sleep 0.2; done
		if cat /srv/rl/secret >/dev/null 2>&1; then echo READ; else echo HELD; fi" > /tmp/rl.$name 2>&1 &
	pid=$!
	sleep 2
	[ -s /tmp/rl.$name ] && echo "daemon said early: $(cat /tmp/rl.$name)"
	# The routine reload, of the same manifests.
	charter load --allow-unsigned /opt/rl/loose.yml /opt/rl/strict.yml > /tmp/rl.load 2>&1
	echo "reload ($name): exit $?: $(tr '\n' ' ' < /tmp/rl.load)"
	charter list | grep -E '^(loose|strict) ' | sed 's/^/  /'
	touch /srv/rl/pub/go
	wait $pid
	case $(cat /tmp/rl.$name) in
	HELD) pass "$name: the daemon is still held to strict after the reload";;
	READ) echo "ESCAPE: $name: after the reload the strict daemon reads /srv/rl/secret"; bad=1;;
	*) echo "?? $name: $(cat /tmp/rl.$name)"; bad=1;;
	esac
}

# Without Charter's policy (a fresh program of no manifest), the read works.
cat /srv/rl/secret >/dev/null 2>&1 || true

attack A 'rm -f /opt/rl/bin/loose && ln -s /opt/rl/bin/strict /opt/rl/bin/loose'
attack B 'echo newbuild > /opt/rl/bin/strict.new && chmod 755 /opt/rl/bin/strict.new && mv -f /opt/rl/bin/strict.new /opt/rl/bin/strict &&
	rm -f /opt/rl/bin/loose && ln -s /opt/rl/bin/strict /opt/rl/bin/loose'
attack C 'echo newbuild > /opt/rl/bin/strict.new && chmod 755 /opt/rl/bin/strict.new && mv -f /opt/rl/bin/strict.new /opt/rl/bin/strict'
[ $bad = 0 ] || fail "escapes above"
pass "the daemon never read the secret"
