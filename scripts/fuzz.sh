#!/usr/bin/env bash
# Fuzz the manifest reader and the kernel's blob decoder with libFuzzer.
#
#   scripts/fuzz.sh [SECONDS]   (default 30 per target; make fuzz: 600)
#
# For each target: first replay every input in tests/fuzz/regressions/
# TARGET (inputs that once crashed it), then fuzz for SECONDS starting from
# tests/fuzz/corpus/TARGET. A new crash input is copied into the
# regressions directory, so that committing it keeps it as a test.
# TAP per step, then "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${1:-30}
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
	"$bin" "$work" "$ROOT/tests/fuzz/corpus/$t" -max_total_time="$SECS" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$OUT/crash-$t-" > "$OUT/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/$t.log")
	for c in "$OUT"/crash-$t-*; do
		[ -e "$c" ] || continue
		cp "$c" "$reg/"
		echo "# kept $(basename "$c") in tests/fuzz/regressions/$t"
	done
	[ $rc -eq 0 ] || grep -A 25 -E 'ERROR|runtime error|SUMMARY' "$OUT/$t.log" | head -n 40 | sed 's/^/# /'
	result $rc "$t: ${SECS}s, ${runs:-0} inputs"
done
echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
