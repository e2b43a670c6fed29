#!/usr/bin/env bash
# Run cmocka test programs with TAP output, renumber their cases into one
# TAP stream and end with "N passed, N failed". Exit 1 if any case failed
# or a program crashed.
set -u
n=0 passed=0 failed=0
for prog in "$@"; do
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$prog" 2>&1)
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)
			n=$((n + 1)); passed=$((passed + 1))
			echo "ok $n - ${prog##*/}: $(echo "$line" | sed 's/^ok [0-9]* - //')" ;;
		"not ok "*)
			n=$((n + 1)); failed=$((failed + 1))
			echo "not ok $n - ${prog##*/}: $(echo "$line" | sed 's/^not ok [0-9]* - //')" ;;
		"1.."*|"TAP version"*) ;;
		*) echo "# $line" ;;
		esac
	done <<< "$out"
	# A crash or an exit without a failing case is a failure too.
	if [ $rc -ne 0 ] && [ $failed -eq 0 ]; then
		n=$((n + 1)); failed=$((failed + 1))
		echo "not ok $n - ${prog##*/}: exited with status $rc"
	fi
done
echo "1..$n"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $n -gt 0 ]
