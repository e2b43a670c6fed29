#!/bin/sh
# Faults (issue 18; make check-debug): slab allocations fail, with
# failslab (the kernel's fault-injection.rst), in the paths an exec of a
# manifested program, a confined open and a policy load take, the
# module's among them. PASSES when every such exec and open either works
# confined or fails (the program is refused, never freed: the secret
# outside its manifest never opens), a policy load either replaces the
# policy whole or leaves the old one in force, and afterwards a fresh
# exec is confined, nothing stays confined, and the kernel log and
# kmemleak (scripts/vm-init.sh) say nothing.
#
# Three parts, each failing allocations in every slab cache, sleeping
# ones too (ignore-gfp-wait N), only in the tasks under test:
# 1. /proc/thread-self/fail-nth over the exec of a manifested program
#    that reads the secret: N = 1, 1 + CHARTER_FAILNTH_STEP, ... until
#    the exec and the program's whole run make fewer than N allocations
#    (failslab's count of failures did not move); a run still going
#    after 5 s fails the test unless it waits on a futex (a lock of its
#    own C library: userspace);
# 2. the same over a policy load (tests/helpers/policygen load: from the
#    netlink socket's creation to the kernel's answer), alternating two
#    policies, until a load makes fewer than N;
# 3. CHARTER_FAILSLAB_EXECS execs and opens with allocations failing at
#    random (CHARTER_FAILSLAB_PERCENT %, make-it-fail).
# vm-guest: own
. /tests/charter-test.sh

F=/sys/kernel/debug/failslab
[ -d $F ] || fail "no $F: this is the debug kernel's test (make check-debug)"
STEP=${CHARTER_FAILNTH_STEP:-1} MAX=${CHARTER_FAILNTH_MAX:-5000}
EXECS=${CHARTER_FAILSLAB_EXECS:-200} PCT=${CHARTER_FAILSLAB_PERCENT:-1}

D=/opt/fs W=/srv/fs S=/srv/fs-secret
mkdir -p $D $W $S
echo ok > $W/f
echo secret > $S/f
for p in a b; do
	cp /tests/bin/fileop $D/prog-$p && echo $p >> $D/prog-$p
	cat > $D/$p.yml <<EOF
manifestVersion: v1
name: prog-$p
run: ./prog-$p
allowedDirectories:
  - {name: work, path: $W, permission: read}
EOF
done
charter compile -o $D/a.pol --allow-unsigned $D/a.yml > /dev/null || fail "compile a"
charter compile -o $D/b.pol --allow-unsigned $D/a.yml $D/b.yml > /dev/null || fail "compile b"

load_module
charter load --policy $D/a.pol > /dev/null || fail "first load"
expect_errno "confined before the faults" $EACCES $D/prog-a read $S/f
expect_ok "its grant before the faults" $D/prog-a read $W/f

# Every slab allocation may fail, sleeping ones too; quietly (a report
# with a stack trace per failure would flood the log); counted by times.
echo N > $F/ignore-gfp-wait
echo 0 > $F/verbose
echo 1000000 > $F/times
failed() { echo $((1000000 - $(cat $F/times))); }

# bounded SECS CMD...: CMD's exit status in $rc, its output in
# /tmp/fs.out; one still running after SECS is killed: rc=futex when it
# slept in a futex (a lock of its own C library, which a failed
# allocation in one of its system calls left taken: userspace, seen with
# glibc's static fileop), else the test fails with where it slept.
bounded() {
	secs=$1; shift
	"$@" > /tmp/fs.out 2>&1 &
	p=$! w=0
	while kill -0 $p 2> /dev/null && [ $w -lt $((secs * 20)) ]; do
		sleep 0.05; w=$((w + 1))
	done
	if ! kill -0 $p 2> /dev/null; then
		wait $p; rc=$?
		return
	fi
	wchan=$(cat /proc/$p/wchan 2> /dev/null) stack=$(cat /proc/$p/stack 2> /dev/null)
	kill -9 $p; wait $p
	case $wchan in
	futex_wait*) rc=futex ;;
	*) fail "$* still runs after $secs s, asleep in $wchan: $stack" ;;
	esac
}

# ---- 1. fail-nth over an exec and its open ----
n=1 runs=0 confined=0 closed=0 futex=0
while [ $n -le "$MAX" ]; do
	t0=$(cat $F/times)
	bounded 5 /tests/bin/failnth $n $D/prog-a read $S/f
	[ "$(cat $F/times)" = "$t0" ] && break	# fewer than n allocations
	runs=$((runs + 1))
	case $rc in
	0)	fail "fail-nth $n: the secret opened: $(cat /tmp/fs.out)" ;;
	13)	confined=$((confined + 1)) ;;
	futex)	futex=$((futex + 1)) ;;
	*)	closed=$((closed + 1)) ;;
	esac
	n=$((n + STEP))
done
[ $runs -gt 10 ] || fail "fail-nth: only $runs runs failed an allocation: is failslab on?"
pass "fail-nth over an exec: $runs runs, each with one allocation failed (every ${STEP}th of the $((n - 1)) an exec and its run make): $confined ran confined and were refused the secret, $closed failed closed, $futex waited on a lock of their own (killed)"
expect_errno "confined after the sweep" $EACCES $D/prog-a read $S/f

# ---- 2. fail-nth over a policy load ----
# names: the manifests `charter list` shows, on one line.
names() { charter list 2> /dev/null | grep -o '^prog-[ab]' | sort -u | tr '\n' ' '; }
want() { if [ $1 = b ]; then echo "prog-a prog-b "; else echo "prog-a "; fi; }
cur=a n=1 runs=0 done_=0 kept=0
[ "$(names)" = "$(want a)" ] || fail "before the loads: $(names)"
while [ $n -le "$MAX" ]; do
	next=b
	[ $cur = b ] && next=a
	bounded 30 /tests/bin/policygen load $D/$next.pol $n
	case $rc in
	0)	cur=$next done_=$((done_ + 1)) ;;
	1)	kept=$((kept + 1)) ;;
	*)	fail "policy load, fail-nth $n: exit $rc: $(cat /tmp/fs.out)" ;;
	esac
	[ "$(names)" = "$(want $cur)" ] ||
		fail "policy load, fail-nth $n (exit $rc: $(head -1 /tmp/fs.out)): the policy in force is '$(names)', not '$(want $cur)'"
	grep -q "^not fired" /tmp/fs.out && [ $rc = 0 ] && break
	runs=$((runs + 1))
	n=$((n + STEP))
done
[ $runs -gt 5 ] || fail "fail-nth over a load: only $runs runs"
pass "fail-nth over a policy load: $runs loads, each with one allocation failed (every ${STEP}th of the $n a load makes): $done_ replaced the policy whole, $kept failed and left the old one in force"

# ---- 3. execs and opens with allocations failing at random ----
echo 1 > $F/task-filter
echo $PCT > $F/probability
echo 1 > $F/interval
before=$(failed) ok=0 refused=0 closed=0 futex=0
i=0
while [ $i -lt "$EXECS" ]; do
	f=$S/f
	[ $((i % 2)) = 0 ] && f=$W/f
	bounded 5 sh -c 'echo 1 > /proc/self/make-it-fail; exec "$@"' sh \
		$D/prog-a read $f
	case "$rc:$f" in
	0:$S/f)	fail "random faults, exec $i: the secret opened: $(cat /tmp/fs.out)" ;;
	0:*)	ok=$((ok + 1)) ;;
	13:$S/f) refused=$((refused + 1)) ;;
	futex:*) futex=$((futex + 1)) ;;
	*)	closed=$((closed + 1)) ;;
	esac
	i=$((i + 1))
done
echo 0 > $F/probability
pass "random faults ($PCT%): $EXECS execs: $ok read their grant, $refused were refused the secret, $closed failed closed, $futex waited on a lock of their own (killed); $(( $(failed) - before )) allocations failed"

# ---- afterwards ----
charter load --policy $D/a.pol > /dev/null || fail "load after the faults"
expect_errno "confined after the faults" $EACCES $D/prog-a read $S/f
expect_ok "its grant after the faults" $D/prog-a read $W/f
sleep 1
charter status 2>&1 | grep -q '^confined tasks *0 (0 credentials)' ||
	fail "credentials left in the table: $(charter status 2>&1 | grep confined)"
pass "nothing stays confined: $(charter status 2>&1 | grep -E '^(confined|domains)' | tr '\n' ' ')"
rmmod charter || fail "rmmod after the faults"
pass "the module unloads; $(failed) allocations failed in all"
