#!/bin/sh
# No policy change gives a running task more than it had: a task started
# under version 1 of its manifest, then narrowed by version 2, keeps
# version 2 whatever happens next (an unload, a policy without its
# manifest, the manifest renamed, a mode change elsewhere). It never
# falls back to the version it was started with.
. /tests/charter-test.sh
load_module

rm -rf /opt/pv /srv/pv && mkdir -p /opt/pv /opt/pv-other /srv/pv/allowed /srv/pv/kept
echo allowed > /srv/pv/allowed/f
echo kept > /srv/pv/kept/f
cp /tests/bin/fileop /opt/pv/app
cp /tests/bin/fileop /opt/pv-other/app && echo >> /opt/pv-other/app
manifest() { # FILE NAME DIRS...
	file=$1 name=$2
	shift 2
	printf 'manifestVersion: v1\nname: %s\nrun: ./app\nbaseline: none\nallowedDirectories:\n' "$name" > "$file"
	for dir in "$@"; do
		printf '  - {name: d%s, path: %s, permission: read}\n' "${dir##*/}" "$dir" >> "$file"
	done
}
manifest /opt/pv/v1.yml pv /srv/pv/allowed /srv/pv/kept
manifest /opt/pv/v2.yml pv /srv/pv/kept
manifest /opt/pv/v2-renamed.yml pv-renamed /srv/pv/kept
manifest /opt/pv-other/other.yml other /srv/pv/kept

# start_under_v1_then_v2: a task that reads allowed/f 4 s from now, started
# under v1; v2 is loaded while it waits. $pid is the task.
start_under_v1_then_v2() {
	expect_ok "load v1" charter load --allow-unsigned /opt/pv/v1.yml
	/opt/pv/app later 4 /srv/pv/allowed/f > /tmp/pv.out 2>&1 &
	pid=$!
	sleep 1
	expect_ok "load v2 (no allowed/)" charter load --allow-unsigned /opt/pv/v2.yml
}
# expect_refused DESC: the task's late read must fail with EACCES.
expect_refused() {
	wait $pid
	rc=$?
	[ $rc -eq $EACCES ] || fail "$1: the late read gave exit $rc: $(cat /tmp/pv.out)"
	pass "$1"
}

expect_ok "v1 grants allowed/" /opt/pv/app read /srv/pv/allowed/f
start_under_v1_then_v2
expect_refused "v2 applies to a task started under v1"

start_under_v1_then_v2
sleep 1
expect_ok "unload" charter unload
expect_refused "after an unload the task keeps v2, not v1"

start_under_v1_then_v2
sleep 1
expect_ok "load a policy without it" charter load --allow-unsigned /opt/pv-other/other.yml
expect_refused "after a policy that drops it, the task keeps v2"

start_under_v1_then_v2
sleep 1
expect_ok "load it renamed" charter load --allow-unsigned /opt/pv/v2-renamed.yml
expect_ok "unload" charter unload
expect_refused "renamed, then unloaded: still v2"

start_under_v1_then_v2
expect_ok "load v2 beside another manifest" charter load --allow-unsigned /opt/pv/v2.yml /opt/pv-other/other.yml
expect_ok "a mode change for another manifest" charter mode complain --manifest other
expect_ok "and back" charter mode inherit --manifest other
expect_ok "unload" charter unload
expect_refused "a mode change elsewhere and an unload: still v2"

# The task still reads what v2 grants, after all that.
expect_ok "load v1" charter load --allow-unsigned /opt/pv/v1.yml
/opt/pv/app later 3 /srv/pv/kept/f > /tmp/pv.out 2>&1 &
pid=$!
sleep 1
expect_ok "load v2" charter load --allow-unsigned /opt/pv/v2.yml
expect_ok "unload" charter unload
wait $pid || fail "lost what v2 grants: $(cat /tmp/pv.out)"
pass "what v2 grants stays granted"
