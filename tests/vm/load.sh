#!/bin/sh
# Load (issue 18): stress-ng's filesystem, process and network stressors
# run confined on both vCPUs for a bounded time while this shell, outside
# every domain, replaces the policy every 100 ms (two versions of the
# stressors' manifest in turn), flips the global mode between enforce and
# complain, probes that enforcement holds after each flip back, and
# unloads the module (rmmod) and loads it again now and then.
# PASSES when stress-ng finishes with no failed stressor, every swap,
# flip and rmmod went through, a confined probe was refused every time
# enforce was back, no oops, BUG or WARN was logged (scripts/vm.sh), and
# afterwards: no confined task, credential or domain is left, the digest
# cache holds no more than the executables run, the module unloads, its
# slab caches are gone and unreclaimable slab is back near where it was.
#
# CHARTER_LOAD_SECONDS (default 20) sets how long stress-ng runs.
# vm-programs: /usr/bin/stress-ng
# vm-guest: own
. /tests/charter-test.sh
. /tests/stress.sh
ip link set lo up

SECS=${CHARTER_LOAD_SECONDS:-20}
D=/opt/load W=/srv/load S=/srv/load-secret

mkdir -p $D $W $S
echo secret > $S/f
# Copies of their own (a byte appended): charter load warns when an
# executable's contents are known by other names too.
cp /usr/bin/stress-ng $D/stress-ng && echo >> $D/stress-ng
cp /tests/bin/fileop $D/probe && echo >> $D/probe
stress_manifest $D $W > $D/a.yml
stress_manifest $D $W "  - {name: extra, path: /srv/extra, permission: read}" > $D/b.yml
cat > $D/probe.yml <<EOF
manifestVersion: v1
name: probe
run: ./probe
allowedDirectories:
  - {name: work, path: $W, permission: read}
EOF

slab_kb() { sed -n 's/^SUnreclaim: *\([0-9]*\) kB/\1/p' /proc/meminfo; }
echo 3 > /proc/sys/vm/drop_caches
slab_before=$(slab_kb)

load_module
# Compiled once, as an image builder would: a swap is then the kernel's
# work (parse, check, replace), not the hashing of an 8 MB executable.
charter compile -o $D/a.pol --allow-unsigned $D/a.yml $D/probe.yml > /dev/null &&
	charter compile -o $D/b.pol --allow-unsigned $D/b.yml $D/probe.yml > /dev/null ||
	fail "compile"
charter load --policy $D/a.pol > /dev/null || fail "first load"
expect_errno "the probe is confined" $EACCES $D/probe read $S/f

# Directories and renames, hard links, times, fork, TCP and UDP, with
# their files in the granted directory.
stress_start $D $W "$SECS" /tmp/load.out --dir 1 --rename 1 --link 1 --utime 1 --fork 1

swaps=0 flips=0 probes=0 unloads=0 i=0 err=/tmp/load.err
: > $err
while kill -0 $stress 2> /dev/null; do
	i=$((i + 1))
	if [ $((i % 2)) = 0 ]; then m=$D/a.pol; else m=$D/b.pol; fi
	charter load --policy $m > /dev/null 2>> $err &&
		swaps=$((swaps + 1)) || echo "load $i failed" >> $err
	case $((i % 10)) in
	5) charter mode complain > /dev/null 2>> $err && flips=$((flips + 1)) ;;
	0) charter mode enforce > /dev/null 2>> $err && flips=$((flips + 1))
	   $D/probe read $S/f > /dev/null 2>&1
	   rc=$?
	   [ $rc = $EACCES ] || echo "probe after flip $i: exit $rc" >> $err
	   probes=$((probes + 1)) ;;
	esac
	if [ $((i % 40)) = 39 ]; then
		rmmod charter 2>> $err && unloads=$((unloads + 1)) ||
			echo "rmmod $i failed" >> $err
		modprobe charter 2>> $err &&
			charter load --policy $m > /dev/null 2>> $err ||
			echo "reload $i failed" >> $err
	fi
	sleep 0.1
done
wait $stress
rc=$?
tail -n 14 /tmp/load.out
[ $rc = 0 ] || fail "stress-ng exited $rc: $(grep -iE 'fail|error' /tmp/load.out | head -n 5)"
[ ! -s $err ] || fail "under load: $(head -n 5 $err)"
[ $unloads -gt 0 ] && [ $probes -gt 0 ] || fail "only $i rounds: no unload or no probe"
# "stress-ng: metrc: [PID] STRESSOR BOGO-OPS REAL-TIME ...", one per stressor
ops=$(awk '/metrc:/ && $5 ~ /^[0-9]+$/ { n += $5 } END { print n + 0 }' /tmp/load.out)
[ "$ops" -gt 0 ] || fail "stress-ng counted no operation"
pass "$SECS s of stress-ng ($ops bogo ops) beside $swaps policy swaps, $flips mode flips, $probes probes refused, $unloads rmmods"

# Every task of the load has exited: nothing may be left in a domain.
charter status > /tmp/load.status
grep -q '^confined tasks *0 (0 credentials)' /tmp/load.status ||
	fail "left over: $(grep confined /tmp/load.status)"
grep -q '^domains *0$' /tmp/load.status ||
	fail "domains left over: $(grep domains /tmp/load.status)"
entries=$(sed -n 's/^digest cache *\([0-9]*\) entries/\1/p' /tmp/load.status)
[ -n "$entries" ] && [ "$entries" -le 4 ] ||
	fail "digest cache: ${entries:-?} entries for 2 executables"
pass "no confined credential or domain left; $entries digest cache entries"

rmmod charter || fail "the module did not unload after the load"
! grep -qE '^charter_' /proc/slabinfo ||
	fail "charter's slab caches outlived it: $(grep '^charter_' /proc/slabinfo)"
echo 3 > /proc/sys/vm/drop_caches
sleep 1
slab_after=$(slab_kb)
# Unreclaimable slab drifts with the kernel's own caches (sockets, pids,
# per-CPU partial slabs); what the module leaked would stay.
[ $((slab_after - slab_before)) -lt 4096 ] ||
	fail "unreclaimable slab grew from $slab_before to $slab_after kB"
pass "unloaded; unreclaimable slab $slab_before kB before, $slab_after kB after"
