#!/usr/bin/env bash
# Fuzz the manifest reader and the kernel's blob decoder with libFuzzer.
#
#   scripts/fuzz.sh [SECONDS]   (default 30 per target; make fuzz: 600)
#   FUZZ_RUNS=N scripts/fuzz.sh  N inputs per target instead of a time
#                                (make fuzz FUZZ_RUNS=1000000)
#
# For each target: first replay every input in tests/fuzz/regressions/
# TARGET (inputs that once crashed it), then fuzz for SECONDS starting from
# tests/fuzz/corpus/TARGET. A new crash input is copied into the
# regressions directory, so that committing it keeps it as a test.
# TAP per step, then "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${1:-30}
RUNS=${FUZZ_RUNS:-}
if [ -n "$RUNS" ]; then
	limit="-runs=$RUNS" what="$RUNS runs"
else
	limit="-max_total_time=$SECS" what="${SECS}s"
fi
OUT=$ROOT/build/fuzz
n=0 passed=0 failed=0

result() { # OK DESC
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		passed=$((passed + 1)); echo "ok $n - fuzz: $2"
	else
		failed=$((failed + 1)); echo "not ok $n - fuzz: $2"
	fi
}

mkdir -p "$OUT"	# the build log lies beside it, before make creates it
if ! make -s -C "$ROOT/tests/fuzz" > "$OUT.build.log" 2>&1; then
	sed 's/^/# /' "$OUT.build.log"
	result 1 "build"
	echo "$passed passed, $failed failed"
	exit 1
fi

for t in manifest blob; do
	bin=$OUT/fuzz_$t
	reg=$ROOT/tests/fuzz/regressions/$t
	inputs=$(find "$reg" -type f ! -name '.*' | sort)
	if [ -n "$inputs" ]; then
		# shellcheck disable=SC2086
		"$bin" $inputs > "$OUT/$t.replay.log" 2>&1
		rc=$?
		[ $rc -eq 0 ] || tail -n 30 "$OUT/$t.replay.log" | sed 's/^/# /'
		result $rc "$t: $(echo "$inputs" | wc -l) regression inputs replayed"
	fi
	work=$OUT/corpus-$t
	mkdir -p "$work"
	rm -f "$OUT"/crash-$t-*
	dict=()	# tests/fuzz/TARGET.dict: words libFuzzer splices in
	[ -f "$ROOT/tests/fuzz/$t.dict" ] && dict=("-dict=$ROOT/tests/fuzz/$t.dict")
	"$bin" "$work" "$ROOT/tests/fuzz/corpus/$t" "$limit" "${dict[@]}" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$OUT/crash-$t-" > "$OUT/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/$t.log")
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$OUT/$t.log")
	# The last status line: edges covered (cov), features (ft), corpus.
	cov=$(grep -E '^#[0-9]+.*cov: ' "$OUT/$t.log" | tail -n 1 |
		sed -n 's/.*\(cov: [0-9]*\).*\(ft: [0-9]*\).*\(corp: [0-9]*\).*/\1 \2 \3/p')
	edges=$(sed -n 's/^INFO: Loaded 1 modules *(\([0-9]*\) inline.*/\1/p' "$OUT/$t.log")
	[ -z "$cov" ] || cov="$cov (edges covered, features, corpus; ${edges:-?} edges instrumented)"
	for c in "$OUT"/crash-$t-*; do
		[ -e "$c" ] || continue
		cp "$c" "$reg/"
		echo "# kept $(basename "$c") in tests/fuzz/regressions/$t"
	done
	[ $rc -eq 0 ] || grep -A 25 -E 'ERROR|runtime error|SUMMARY' "$OUT/$t.log" | head -n 40 | sed 's/^/# /'
	result $rc "$t: $what, ${runs:-0} inputs in ${secs:-?} s${cov:+, $cov}"
done
echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
