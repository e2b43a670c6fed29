#!/usr/bin/env bash
# Run every suite (userspace unit, fuzz, KUnit under UML, VM) and end with one
# line "N passed, N failed" summed over all of them. Each suite prints TAP
# and its own "N passed, N failed" line; a suite that dies without one
# counts as one failure. Exit status 1 if anything failed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

total_passed=0
total_failed=0
summary=""

run_suite() { # NAME CMD...
	local name=$1 log last p f rc
	shift
	log=$ROOT/build/check-$name.log
	mkdir -p "$ROOT/build"
	echo "=== $name: $*"
	local start=$SECONDS
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -n "$last" ]; then
		p=${last%% passed*}
		f=${last#*passed, }
		f=${f%% failed*}
	else
		p=0 f=1
	fi
	# A suite that failed without counting a failure still failed.
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	summary+=$(printf '%-6s %4d passed, %d failed (%ds)' "$name" "$p" "$f" $((SECONDS - start)))$'\n'
}

run_suite unit make -s -C tests/unit run
run_suite cli scripts/cli-test.sh
run_suite fuzz scripts/fuzz.sh "${CHARTER_FUZZ_SECONDS:-30}"
run_suite kunit scripts/kunit.sh
run_suite vm scripts/vm.sh

echo "=== summary"
printf '%s' "$summary"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
