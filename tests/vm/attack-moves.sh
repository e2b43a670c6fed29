#!/bin/sh
# Attacks (route: a link or rename must not change what any file beneath
# the moved entry is granted), each through another door or rule shape:
# io_uring RENAMEAT/LINKAT, renameat2 flags, /proc/self/fd paths,
# renameat on a directory descriptor, a mount point inside the moved tree,
# a parent of a granted directory, "?" rules, rules with several
# components after "**", several "**", a FIFO beneath, a descriptor held on
# a moved directory, a cwd inside it, chains of moves, a stacked layer,
# two threads racing renames. Each is first shown to work outside every
# domain. PASSES when every gaining move is refused (and the legitimate
# moves next to them work); FAILS at the first escape.
. /tests/charter-test.sh
load_module

umount /srv/mh/drop/mp/m 2>/dev/null
umount /srv/mh 2>/dev/null
rm -rf /srv/mh /opt/mh && mkdir -p /srv/mh /opt/mh
mount -t tmpfs tmpfs /srv/mh
cd /srv/mh

# fresh NAME: a directory drop/NAME holding secret.txt, logs/s.log, data/,
# x/ and p.fifo, all write-only where they are.
fresh() {
	rm -rf drop/$1
	mkdir -p drop/$1/logs drop/$1/data drop/$1/x
	echo "secret-$1" > drop/$1/secret.txt
	echo "log-$1" > drop/$1/logs/s.log
	echo "data-$1" > drop/$1/data/secret.txt
	echo "x-$1" > drop/$1/x/k
	mkfifo drop/$1/p.fifo
}
mkdir -p drop shared/y app/a top q m fifos tree/a tree/b
echo s > drop/s.txt
echo t > tree/a/t.txt

rules() {
	cat <<'YML'
baseline: none
allowedDirectories:
  - {name: drop, path: /srv/mh/drop/**, permission: write}
  - {name: shared, path: /srv/mh/shared/**, permission: write}
  - {name: shared-txt, path: /srv/mh/shared/**/*.txt, permission: read}
  - {name: app, path: /srv/mh/app/**, permission: write}
  - {name: app-logs, path: /srv/mh/app/**/logs/*.log, permission: read}
  - {name: top, path: /srv/mh/top, permission: write}
  - {name: top-data, path: /srv/mh/top/granted/data, permission: read}
  - {name: q, path: /srv/mh/q, permission: write}
  - {name: q-one, path: /srv/mh/q/?/*.txt, permission: read}
  - {name: m, path: /srv/mh/m, permission: write}
  - {name: m-x, path: /srv/mh/m/**/x/**, permission: read}
  - {name: fifos, path: /srv/mh/fifos, permission: write}
  - {name: fifos-read, path: /srv/mh/fifos/**/*.fifo, permission: read}
  - {name: tree, path: /srv/mh/tree, permission: readWrite}
YML
}
cp /tests/bin/fileop /opt/mh/fileop
cp /tests/bin/mvattack /opt/mh/mvattack
cp /tests/bin/fileop /opt/mh/outer && echo >> /opt/mh/outer
for p in fileop mvattack; do
	{ printf 'manifestVersion: v1\nname: mh-%s\nrun: ./%s\n' $p $p; rules; } > /opt/mh/$p.yml
done
# An outer program whose layer allows everything the inner one may need
# and more: the inner layer must still refuse.
cat > /opt/mh/outer.yml <<'YML'
manifestVersion: v1
name: mh-outer
run: ./outer
baseline: none
allowedDirectories:
  - {name: all, path: /srv/mh, permission: readWrite}
  - {name: progs, path: /opt/mh, permission: readExecute}
YML
expect_ok "load" charter load --allow-unsigned /opt/mh/fileop.yml /opt/mh/mvattack.yml /opt/mh/outer.yml
F=/opt/mh/fileop
M=/opt/mh/mvattack

# Outside every domain, each door moves a directory (the doors work).
fresh u0
/tests/bin/mvattack uring-rename /srv/mh/drop/u0 /srv/mh/drop/u1 && [ -d drop/u1 ] ||
	fail "unconfined io_uring rename"
/tests/bin/mvattack fd-rename /srv/mh/drop u1 u2 && [ -d drop/u2 ] ||
	fail "unconfined rename through /proc/self/fd"
/tests/bin/mvattack uring-link /srv/mh/drop/s.txt /srv/mh/drop/s2.txt && [ -f drop/s2.txt ] ||
	fail "unconfined io_uring link"
rm -f drop/s2.txt
pass "unconfined: every door works"

# gains DESC SECRET CMD...: the move must fail with EACCES, and the secret
# must stay unreadable wherever it is now.
gains() {
	desc=$1 secret=$2
	shift 2
	"$@" > /tmp/mh.out 2>&1
	rc=$?
	if $F read "$secret" > /tmp/mh.read 2>&1; then
		fail "ESCAPE: $desc (exit $rc): read $secret: $(cat /tmp/mh.read)"
	fi
	[ $rc -eq $EACCES ] || fail "$desc: expected EACCES, got $rc: $(cat /tmp/mh.out)"
	pass "$desc: refused"
}

fresh d
expect_errno "sanity: the secret is write-only" $EACCES $F read /srv/mh/drop/d/secret.txt
gains "io_uring RENAMEAT into the readable tree" /srv/mh/shared/d/secret.txt \
	$M uring-rename /srv/mh/drop/d /srv/mh/shared/d
mkdir -p shared/e
gains "io_uring RENAME_EXCHANGE with a readable directory" /srv/mh/shared/e/secret.txt \
	$M uring-exchange /srv/mh/drop/d /srv/mh/shared/e
gains "io_uring LINKAT of a write-only file where it is readable" /srv/mh/shared/s.txt \
	$M uring-link /srv/mh/drop/s.txt /srv/mh/shared/s.txt
gains "renameat2 RENAME_NOREPLACE" /srv/mh/shared/d/secret.txt \
	$M rename2 /srv/mh/drop/d /srv/mh/shared/d noreplace
gains "renameat2 RENAME_WHITEOUT" /srv/mh/shared/d/secret.txt \
	$M rename2 /srv/mh/drop/d /srv/mh/shared/d whiteout
gains "renameat2 RENAME_EXCHANGE with a readable directory" /srv/mh/shared/y/secret.txt \
	$M rename2 /srv/mh/drop/d /srv/mh/shared/y exchange
gains "rename through /proc/self/fd/N of /srv/mh" /srv/mh/shared/d/secret.txt \
	$M fd-rename /srv/mh drop/d shared/d
gains "link through /proc/self/fd/N of the file" /srv/mh/shared/s.txt \
	$M fd-link /srv/mh/drop/s.txt /srv/mh/shared/s.txt
gains "renameat on a descriptor of /srv/mh" /srv/mh/shared/d/secret.txt \
	$M at-rename /srv/mh drop/d shared/d
# A file beneath, matched by a rule with two components after "**".
gains "into a tree where **/logs/*.log is readable" /srv/mh/app/d/logs/s.log \
	$F rename /srv/mh/drop/d /srv/mh/app/d
gains "to make a parent of a granted directory" /srv/mh/top/granted/data/secret.txt \
	$F rename /srv/mh/drop/d /srv/mh/top/granted
gains "to a one-character name a ? rule reads beneath" /srv/mh/q/z/secret.txt \
	$F rename /srv/mh/drop/d /srv/mh/q/z
gains "beneath a rule with two **" /srv/mh/m/d/x/k \
	$F rename /srv/mh/drop/d /srv/mh/m/d
# A FIFO beneath: a reader blocks nobody (O_NONBLOCK); read is the gain.
"$M" fifo-read /srv/mh/drop/d/p.fifo
[ $? -eq $EACCES ] || fail "sanity: the FIFO opens for reading where it is"
"$M" rename2 /srv/mh/drop/d /srv/mh/fifos/d noreplace
rc=$?
"$M" fifo-read /srv/mh/fifos/d/p.fifo && fail "ESCAPE: FIFO readable after a move (exit $rc)"
[ $rc -eq $EACCES ] || fail "FIFO's directory: expected EACCES, got $rc"
pass "a directory holding a FIFO moved where *.fifo is readable: refused"

# The legitimate moves next to them.
expect_ok "io_uring rename within the write-only tree" $M uring-rename /srv/mh/drop/d /srv/mh/drop/d2
expect_ok "and back by /proc/self/fd" $M fd-rename /srv/mh/drop d2 d
expect_ok "a two-character name (no ? rule beneath)" $F rename /srv/mh/drop/d /srv/mh/q/zz
expect_ok "and back (losing nothing: q is write)" $F rename /srv/mh/q/zz /srv/mh/drop/d
expect_ok "io_uring link within the tree" $M uring-link /srv/mh/drop/s.txt /srv/mh/drop/s3.txt
expect_ok "within the readWrite tree" $F rename /srv/mh/tree/a /srv/mh/tree/b/a

# A mount point inside the moved directory (mounted outside every domain).
fresh mp
mkdir -p drop/mp/m
mount -t tmpfs tmpfs drop/mp/m
echo mounted-secret > drop/mp/m/secret.txt
gains "a directory holding a mount point" /srv/mh/shared/mp/m/secret.txt \
	$F rename /srv/mh/drop/mp /srv/mh/shared/mp
expect_ok "it moves within the write-only tree, mount and all" \
	$F rename /srv/mh/drop/mp /srv/mh/drop/mp2
[ -f drop/mp2/m/secret.txt ] || fail "the mount did not move along"
expect_errno "the mounted secret is still unreadable" $EACCES $F read /srv/mh/drop/mp2/m/secret.txt
umount drop/mp2/m

# A descriptor, and a cwd, held on a directory while it moves.
fresh h
"$M" hold-read /srv/mh/drop/h secret.txt 3 > /tmp/mh.hold 2>&1 &
hp=$!
"$M" cwd-read /srv/mh/drop/h secret.txt 3 > /tmp/mh.cwd 2>&1 &
cp=$!
sleep 1
gains "moving a directory another task holds open" /srv/mh/shared/h/secret.txt \
	$F rename /srv/mh/drop/h /srv/mh/shared/h
expect_ok "it moves within its tree" $F rename /srv/mh/drop/h /srv/mh/drop/h2
wait $hp && fail "ESCAPE: openat on the held descriptor read: $(cat /tmp/mh.hold)"
wait $cp && fail "ESCAPE: read from the held cwd: $(cat /tmp/mh.cwd)"
pass "a held descriptor or cwd reads nothing more after the move"

# Chains: each step loses or keeps, so none gains. drop -> tree (readWrite)
# would gain read: refused; shared/y -> drop (losing read) works, back not.
fresh c
gains "first step of a chain" /srv/mh/tree/c/secret.txt \
	$F rename /srv/mh/drop/c /srv/mh/tree/c
expect_ok "step 1: into app (same rights as drop, **/logs rule aside)" \
	$F rename /srv/mh/drop/c/x /srv/mh/drop/cx
gains "step 2: app/**/logs reached through a second move" /srv/mh/app/a/logs/s.log \
	$F rename /srv/mh/drop/c/logs /srv/mh/app/a/logs
gains "step 2': the parent of a logs directory" /srv/mh/app/c/logs/s.log \
	$F rename /srv/mh/drop/c /srv/mh/app/c

# A stacked layer: the outer layer grants all of /srv/mh readWrite, the
# inner one (fileop's) must still refuse.
fresh s
expect_errno "stacked: the inner layer refuses" $EACCES \
	/opt/mh/outer exec /opt/mh/fileop rename /srv/mh/drop/s /srv/mh/shared/s
[ -d drop/s ] || fail "ESCAPE: stacked move happened"
pass "stacked: nothing moved"

# Two threads: one moves drop/r <-> drop/r2 (allowed), the other tries
# drop/r/sub -> shared/sub and back, for 6 s.
fresh r
mkdir -p drop/r/sub && echo race-secret > drop/r/sub/secret.txt
out=$($M race 6 /srv/mh/drop/r /srv/mh/drop/r2 /srv/mh/drop/r/sub /srv/mh/shared/sub)
[ ! -e shared/sub ] || fail "ESCAPE: the racing move landed: $out"
$F read /srv/mh/shared/sub/secret.txt > /dev/null 2>&1 && fail "ESCAPE: race read"
pass "racing renames: $out (the second count must be 0)"
case "$out" in *" 0") ;; *) fail "a racing gaining move succeeded: $out" ;; esac

cd /
umount /srv/mh
