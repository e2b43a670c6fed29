#!/usr/bin/env bash
# scripts/profile.sh [-n ITERATIONS] 'COMMAND A' 'COMMAND B': where the
# instructions go. Boots make bench's guest twice (QEMU -icount, one vCPU),
# each time after the bench's own setup (its files, programs and
# manifests, the module loaded with them), runs COMMAND A in the first and
# COMMAND B in the second under a TCG plugin that counts the instructions
# of every translation block (tests/profile/tbprof.c), and prints, per
# function, how many more B ran than A, per iteration. The commands are
# shell words run in the guest, with the bench's names: $PLAIN (the
# unconfined helper), /opt/bench/r8/bench (confined, 8 rules), $FILE1,
# $FILE4, $FILE9, $P (TCP port), $U (UDP port), $TARGET; ITERATIONS
# (default 20000) is the count they take. For example:
#
#   scripts/profile.sh '$PLAIN sendto 20000 $U' '/opt/bench/r8/bench sendto 20000 $U'
#   scripts/profile.sh -n 5000 '$PLAIN landlock /srv/d1 $PLAIN open 5000 $FILE1' \
#       '/opt/bench/r8/bench open 5000 $FILE1'
#
# Documentation/testing.rst ("Profiling") says more.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=20000
if [ "${1:-}" = -n ]; then N=$2; shift 2; fi
[ $# -eq 2 ] || { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
OUT=$ROOT/build/profile
mkdir -p "$OUT"
cc -O2 -shared -fPIC -o "$OUT/tbprof.so" "$ROOT/tests/profile/tbprof.c"
# The bench's setup: bench.sh up to its measurements.
setup=$(sed -n '1,/^# ---- measuring/p' "$ROOT/tests/bench/bench.sh")
i=0
for cmd in "$1" "$2"; do
	i=$((i + 1))
	dir=$OUT/profile-$i
	rm -rf "$dir" && mkdir -p "$dir"
	{
		printf '%s\n' "$setup"
		cat <<GUEST
modprobe sha256_ssse3 || fail "modprobe sha256_ssse3"
load_module
charter load --allow-unsigned /etc/bench/*.yml > /dev/null || fail "load the bench manifests"
grep ' [tT] ' /proc/kallsyms | sed 's/^/SYM /'
$cmd > /dev/null || fail "the command failed: $cmd"
pass "profiled: $cmd"
GUEST
	} > "$dir/profile.sh"
	chmod +x "$dir/profile.sh"
	echo "profile: booting for: $cmd" >&2
	CHARTER_VM_QEMU_ARGS="-plugin $OUT/tbprof.so,out=$OUT/run$i.tb" \
		CHARTER_VM_ICOUNT=1 CHARTER_VM_MEM=2048 CHARTER_VM_TIMEOUT=${CHARTER_VM_TIMEOUT:-1500} \
		CHARTER_VM_TEST_TIMEOUT=1500 "$ROOT/scripts/vm.sh" --run "$dir" > "$OUT/run$i.log" 2>&1 ||
		{ echo "profile: the guest failed (see $OUT/run$i.log)" >&2; exit 1; }
	results=$ROOT/build/vm/profile-$i/results.txt
	"$ROOT/tests/profile/symbols.py" "$results" "$OUT/run$i.tb" > "$OUT/run$i.tsv"
done
"$ROOT/tests/profile/diff.py" "$OUT/run1.tsv" "$OUT/run2.tsv" "$N"
