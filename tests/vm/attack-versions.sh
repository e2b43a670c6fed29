#!/bin/sh
# Attacks (route: no policy change ever gives a running task more than it
# had). A task started under version 1 of its manifest (reads allowed/ and
# kept/), narrowed by version 2 (kept/ only), then each sequence of policy
# changes below; the task's late read of allowed/f must stay refused.
# Sequences: global and per-manifest modes and back, version 1 loaded
# again for another executable (same name, other name), a nested layer,
# children forked before and after the loads, programs exec'd before and
# after them, an exec of version 1's program for another executable from
# inside the domain, and an exec racing the loads (a big executable whose
# hashing takes seconds). PASSES when every late read is refused.
. /tests/charter-test.sh
load_module

rm -rf /opt/pw /opt/pw-other /srv/pw
mkdir -p /opt/pw /opt/pw-other /srv/pw/allowed /srv/pw/kept /tmp/pw
echo allowed > /srv/pw/allowed/f
echo kept > /srv/pw/kept/f
echo secret > /srv/pw/secret
cp /tests/bin/fileop /opt/pw/app
cp /tests/bin/mvattack /opt/pw/kids
cp /tests/bin/fileop /opt/pw/reader && printf '\n\n' >> /opt/pw/reader
cp /tests/bin/fileop /opt/pw/outer && printf '\n\n\n' >> /opt/pw/outer
cp /tests/bin/fileop /opt/pw-other/app && printf '\n' >> /opt/pw-other/app

manifest() { # FILE NAME RUN DIRS...
	file=$1 name=$2 run=$3
	shift 3
	{
		printf 'manifestVersion: v1\nname: %s\nrun: %s\nbaseline: none\nallowedDirectories:\n' "$name" "$run"
		printf '  - {name: progs, path: /opt/pw, permission: execute}\n'
		printf '  - {name: other, path: /opt/pw-other, permission: execute}\n'
		for dir in "$@"; do
			printf '  - {name: d%s, path: %s, permission: read}\n' "${dir##*/}" "$dir"
		done
	} > "$file"
}
mkdir -p /tmp/pw/v1 /tmp/pw/v2 /tmp/pw/q1 /tmp/pw/q1n
for p in app kids; do
	manifest /tmp/pw/v1/$p.yml pw-$p /opt/pw/$p /srv/pw/allowed /srv/pw/kept
	manifest /tmp/pw/v2/$p.yml pw-$p /opt/pw/$p /srv/pw/kept
done
cat > /tmp/pw/outer.yml <<'YML'
manifestVersion: v1
name: pw-outer
run: /opt/pw/outer
baseline: none
allowedDirectories:
  - {name: all, path: /srv/pw, permission: readWrite}
  - {name: progs, path: /opt/pw, permission: readExecute}
YML
cp /tmp/pw/outer.yml /tmp/pw/v1/ && cp /tmp/pw/outer.yml /tmp/pw/v2/
# Version 1's rules for another executable: under the same name, another.
manifest /tmp/pw/q1/app.yml pw-app /opt/pw-other/app /srv/pw/allowed /srv/pw/kept
manifest /tmp/pw/q1n/app.yml pw-elsewhere /opt/pw-other/app /srv/pw/allowed /srv/pw/kept
for v in v1 v2 q1 q1n; do
	expect_ok "compile $v" charter compile --allow-unsigned -o /tmp/pw/$v.bin /tmp/pw/$v
done

# begin CMD...: load v1, start CMD (it reads allowed/f late), load v2.
begin() {
	expect_ok "load v1" charter load --policy /tmp/pw/v1.bin
	"$@" > /tmp/pw.out 2>&1 &
	pid=$!
	sleep 1
	expect_ok "load v2 (no allowed/)" charter load --policy /tmp/pw/v2.bin
}
# refused DESC: the task's late read failed with EACCES.
refused() {
	wait $pid
	rc=$?
	[ $rc -eq $EACCES ] || fail "ESCAPE? $1: the late read gave exit $rc: $(cat /tmp/pw.out)"
	pass "$1"
	charter mode enforce > /dev/null
	charter mode inherit --manifest pw-app > /dev/null
	charter unload > /dev/null
}
A=/opt/pw/app
LATE="later 5 /srv/pw/allowed/f"

expect_ok "v1 grants allowed/" charter load --policy /tmp/pw/v1.bin
expect_ok "v1 grants allowed/ (read)" $A read /srv/pw/allowed/f
charter unload > /dev/null

begin $A $LATE
expect_ok "global complain" charter mode complain
expect_ok "global enforce" charter mode enforce
expect_ok "unload" charter unload
refused "global complain, enforce, unload"

begin $A $LATE
expect_ok "global disabled" charter mode disabled
expect_ok "v1 again for another executable, same name" charter load --policy /tmp/pw/q1.bin
expect_ok "global enforce" charter mode enforce
refused "global disabled, v1 for another executable under the same name, enforce"

begin $A $LATE
expect_ok "manifest complain" charter mode complain --manifest pw-app
expect_ok "manifest inherit" charter mode inherit --manifest pw-app
expect_ok "unload" charter unload
refused "per-manifest complain, inherit, unload"

begin $A $LATE
expect_ok "manifest enforce (an override)" charter mode enforce --manifest pw-app
expect_ok "unload" charter unload
expect_ok "v1 for another executable under another name" charter load --policy /tmp/pw/q1n.bin
expect_ok "manifest inherit" charter mode inherit --manifest pw-app
refused "enforce override, unload, v1 for another executable renamed, inherit"

# A nested layer: [outer, app@v1] -> v2 -> unload, and a policy that keeps
# the outer layer only.
begin /opt/pw/outer exec $A $LATE
expect_ok "unload" charter unload
refused "nested layer: v2 then unload"
begin /opt/pw/outer exec $A $LATE
expect_ok "a policy with the outer manifest only" charter load --allow-unsigned /tmp/pw/outer.yml
refused "nested layer: v2, then a policy with only the outer manifest"

# Children forked before the loads (reads at 5 s) and after them (at 3 s).
begin /opt/pw/kids children 5 3 /srv/pw/allowed/f
expect_ok "unload" charter unload
refused "children forked before and after v2 and an unload"

# Programs exec'd before the loads and after them.
begin $A exec /opt/pw/reader $LATE
expect_ok "unload" charter unload
refused "a program exec'd before v2 and the unload"
begin /opt/pw/kids sleep-exec 3 /opt/pw/reader read /srv/pw/allowed/f
expect_ok "unload" charter unload
refused "a program exec'd after v2 and the unload"
begin /opt/pw/kids sleep-exec 3 /opt/pw/app read /srv/pw/allowed/f
expect_ok "unload" charter unload
refused "the app itself exec'd after v2 and the unload"
begin /opt/pw/kids sleep-exec 3 /opt/pw-other/app read /srv/pw/allowed/f
expect_ok "v1 for another executable, exec'd from inside" charter load --policy /tmp/pw/q1.bin
refused "another executable with v1's rules, exec'd from inside the domain"

# An exec racing the loads: a big executable, hashed on its first exec.
dd if=/dev/zero of=/opt/pw/pad bs=1M count=48 2>/dev/null
cat /tests/bin/fileop /opt/pw/pad > /opt/pw/big.src && rm /opt/pw/pad
chmod +x /opt/pw/big.src
mkdir -p /tmp/pw/bv1 /tmp/pw/bv2
manifest /tmp/pw/bv1/big.yml pw-big /opt/pw/big.src /srv/pw/allowed /srv/pw/kept
manifest /tmp/pw/bv2/big.yml pw-big /opt/pw/big.src /srv/pw/kept
expect_ok "compile big v1" charter compile --allow-unsigned -o /tmp/pw/bv1.bin /tmp/pw/bv1
expect_ok "compile big v2" charter compile --allow-unsigned -o /tmp/pw/bv2.bin /tmp/pw/bv2
fresh_big() { rm -f /opt/pw/big; cp /opt/pw/big.src /opt/pw/big; }
fresh_big
expect_ok "load big v1" charter load --policy /tmp/pw/bv1.bin
t0=$(date +%s)
expect_errno "big: confined (v1 has no /srv/pw/secret)" $EACCES /opt/pw/big read /srv/pw/secret
t1=$(date +%s)
echo "first exec of the big program (hashing): $((t1 - t0)) s"
charter unload > /dev/null

fresh_big
expect_ok "load big v1" charter load --policy /tmp/pw/bv1.bin
/opt/pw/big later 8 /srv/pw/allowed/f > /tmp/pw.out 2>&1 &
pid=$!
expect_ok "load big v2 while it is being hashed" charter load --policy /tmp/pw/bv2.bin
refused "an exec racing a load starts at the newest version"

# Informational: v2, then a policy without it, both during the hashing.
# (Not a gain: a fresh exec after the unload is not confined at all.)
dd if=/dev/zero bs=1M count=48 2>/dev/null | cat /tests/bin/mvattack - > /opt/pw/bigm.src
chmod +x /opt/pw/bigm.src
mkdir -p /tmp/pw/mv1 /tmp/pw/mv2
manifest /tmp/pw/mv1/bigm.yml pw-bigm /opt/pw/bigm.src /srv/pw/allowed /srv/pw/kept
manifest /tmp/pw/mv2/bigm.yml pw-bigm /opt/pw/bigm.src /srv/pw/kept
charter compile --allow-unsigned -o /tmp/pw/mv1.bin /tmp/pw/mv1 > /dev/null
charter compile --allow-unsigned -o /tmp/pw/mv2.bin /tmp/pw/mv2 > /dev/null
for i in 1 2 3; do
	rm -f /opt/pw/bigm && cp /opt/pw/bigm.src /opt/pw/bigm
	charter load --policy /tmp/pw/mv1.bin > /dev/null
	/opt/pw/bigm late-reads 6 /srv/pw/allowed/f /srv/pw/secret > /tmp/pw.out 2>&1 &
	pid=$!
	sleep 0.3
	charter load --policy /tmp/pw/mv2.bin > /dev/null && charter unload > /dev/null
	wait $pid
	echo "NOTE: exec racing v2 then an unload, try $i: $(tr '\n' ' ' < /tmp/pw.out)" \
	     "(allowed 0 + secret 13: started at v1; 13 13: v2; 0 0: unconfined)"
done
charter unload > /dev/null
