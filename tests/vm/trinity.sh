#!/bin/sh
# Trinity, Debian's system-call fuzzer, run as root inside a domain for a
# fixed number of system calls from a fixed seed (issue 18). Its manifest
# grants its own directory and a directory of victim files it fuzzes with
# (holding symlinks into a canary directory it is not granted: the lure
# unconfined trinity follows to wreck it, seen in testing.rst), and no
# network endpoint; and /proc to read, as trinity's main process watches
# its children through /proc/<pid>/stat (denied, trinity 1.9 passes the
# NULL FILE on and aborts: "glibc detected an invalid stdio handle").
# --disable-fds=sockets: trinity 1.9 crashes in its
# own socket setup (after "Can't do protocol ..."), confined or not; it
# still calls socket(), bind(), connect() and sendmsg() on what it makes.
# PASSES when trinity made every call it was asked to, the
# guest's kernel log has no oops, BUG or WARN (scripts/vm.sh), the canary
# directory is as it was (names, sizes, modes, atime, mtime, ctime: a read
# would move its atime), a canary TCP listener on every address was never
# reached, the domain refused something (it ran confined), and the module
# unloads afterwards. An escape prints the seed to replay it with.
#
# CHARTER_TRINITY_CALLS (default 6000, about a minute),
# CHARTER_TRINITY_SEED (default 1) and CHARTER_TRINITY_SECONDS (the time
# it is given, default 240) come from the kernel command line: make
# trinity TRINITY_CALLS=N TRINITY_SEED=S runs this test alone, longer.
# vm-programs: /usr/bin/trinity
# vm-guest: own
. /tests/attack.sh
load_module
ip link set lo up

CALLS=${CHARTER_TRINITY_CALLS:-6000}
SEED=${CHARTER_TRINITY_SEED:-1}
SECS=${CHARTER_TRINITY_SECONDS:-240}
D=/opt/trinity V=/srv/trinity C=/srv/canary
CP4=7301 CP6=7302	# the canary listeners' ports (one each: :: would clash)

mkdir -p $D $V $C/sub
unique /usr/bin/trinity $D/trinity
chmod 0755 $D/trinity
for i in 1 2 3; do echo victim$i > $V/f$i; echo secret$i > $C/s$i; done
echo deep > $C/sub/d
ln -s $C $V/canary-dir
ln -s $C/s1 $V/canary-file
ln -s $C/sub $V/canary-sub
# The names are listed once, before the atimes are set: relatime moves
# an atime older than a day on the next read (listing a directory is
# one), and the snapshots stat the names listed, reading nothing.
find $C | sort > /tmp/canary.names
touch -a -d '2000-01-01 00:00:00' $(cat /tmp/canary.names)
canary_state() { while read -r f; do stat -c '%n %s %a %u %g %X %Y %Z' "$f"; done < /tmp/canary.names; }
canary_state > /tmp/canary.before

cat > $D/trinity.yml <<EOF
manifestVersion: v1
name: trinity
run: ./trinity
allowedDirectories:
  - {name: self, path: $D, permission: readExecute}
  - {name: victims, path: $V, permission: readWrite}
  - {name: proc, path: /proc, permission: read}
EOF
charter load --allow-unsigned $D/trinity.yml > /dev/null || fail "load"

/tests/bin/netop canary 0.0.0.0 $CP4 3600 > /tmp/canary4.out 2>&1 & canary4=$!
/tests/bin/netop canary :: $CP6 3600 > /tmp/canary6.out 2>&1 & canary6=$!
sleep 1
kill -0 $canary4 && kill -0 $canary6 ||
	fail "a canary listener did not start: $(cat /tmp/canary4.out /tmp/canary6.out)"
denied_before=$(charter status | sed -n 's/^denied *//p')

cd $V
# --dangerous: trinity refuses to run as root without it. -T: stop at a
# kernel oops, WARN or bad page (the module's taint is no finding).
timeout -s INT "$SECS" $D/trinity --dangerous -q -l off --disable-fds=sockets -V $V -N "$CALLS" -s "$SEED" -C 2 \
	-T DIE,WARN,BAD_PAGE > /tmp/trinity.out 2>&1
rc=$?
cd /
killall -9 trinity 2> /dev/null
sleep 1
ran=$(sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' /tmp/trinity.out | tail -n 1)
tail -n 3 /tmp/trinity.out
[ -n "$ran" ] || fail "trinity (exit $rc) never said how many calls it made: $(tail -n 20 /tmp/trinity.out)"
[ "$ran" -ge "$CALLS" ] ||
	fail "trinity stopped after $ran of $CALLS calls (exit $rc, seed $SEED): $(grep -E 'taint|Bailing' /tmp/trinity.out)"
pass "trinity made $ran system calls in a domain (seed $SEED, 2 children)"

canary_state > /tmp/canary.after
find $C | sort > /tmp/canary.names.after	# no name added or removed
diff /tmp/canary.names /tmp/canary.names.after >> /tmp/canary.after
if ! diff /tmp/canary.before /tmp/canary.after > /tmp/canary.diff; then
	escape "the canary directory changed (seed $SEED): $(cat /tmp/canary.diff)"
	echo "to replay it with every call logged: make trinity TRINITY_SEED=$SEED TRINITY_CALLS=$CALLS, with -l DIR in place of -l off"
else
	pass "the canary directory is untouched (not read, not written)"
fi

kill $canary4 $canary6
wait $canary4 $canary6 2> /dev/null
reached=0
for f in /tmp/canary4.out /tmp/canary6.out; do
	out=$(cat $f)
	case "$out" in
	"0 0") ;;
	[0-9]*" "[0-9]*) set -- $out; reached=1
		escape "the canary listener ($f) was reached: $2 connections, $1 bytes (seed $SEED)" ;;
	*) fail "the canary listener ($f) said: $out" ;;
	esac
done
[ $reached = 1 ] || pass "the canary TCP listeners were never reached"

denied=$(( $(charter status | sed -n 's/^denied *//p') - denied_before ))
[ "$denied" -gt 0 ] || fail "the domain refused nothing: trinity did not run confined"
pass "the domain refused $denied operations"

rmmod charter || fail "charter did not unload after trinity"
pass "the module unloaded"
finish
