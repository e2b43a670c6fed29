#!/usr/bin/env bash
# Host tests of the charter tool (tests/cli/*.sh, no kernel needed): run
# each script, renumber its TAP lines into one stream and end with
# "N passed, N failed". A script that exits non-zero without a failed
# check counts as one failure.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$ROOT/userspace" charter >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
n=0 passed=0 failed=0
for t in "$ROOT"/tests/cli/*.sh; do
	[ "${t##*/}" = lib.sh ] && continue
	name=${t##*/}
	out=$(bash "$t" 2>&1)
	rc=$?
	bad=0
	while IFS= read -r line; do
		case $line in
		"ok - "*) n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $name: ${line#ok - }" ;;
		"not ok - "*) n=$((n + 1)); failed=$((failed + 1)); bad=1
			echo "not ok $n - $name: ${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done <<< "$out"
	if [ $rc -ne 0 ] && [ $bad -eq 0 ]; then
		n=$((n + 1)); failed=$((failed + 1))
		echo "not ok $n - $name: exited with status $rc"
	fi
done
echo "1..$n"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $n -gt 0 ]
