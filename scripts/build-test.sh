#!/usr/bin/env bash
# The build's own checks, as TAP: for every kernel Charter builds for,
# kmod/attach.h must refuse a hook wrapper whose type differs from the
# kernel's hook (tests/kbuild/hooktype.c says which case is which), and
# accept the right one. Usage: scripts/build-test.sh [WORD...] (default:
# every kernel of scripts/kernels.sh, fetched if need be).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ]; then
	mapfile -t words < <("$ROOT/scripts/kernels.sh" list)
	set -- "${words[@]}"
fi
kdirs=()
for word in "$@"; do
	"$ROOT/scripts/kernels.sh" fetch "$word" > /dev/null || exit 1
	kdirs+=("$(eval "$("$ROOT/scripts/kernels.sh" info "$word")"; echo "$KDIR")")
done
set -- "${kdirs[@]}"

n=0 passed=0 failed=0
# expect KDIR CASE WHAT (0: must compile; else the message it must stop with)
expect() {
	local kdir=$1 case=$2 what=$3 out rc work
	work=$(mktemp -d)
	cp "$ROOT/tests/kbuild/Kbuild" "$ROOT/tests/kbuild/hooktype.c" "$work/"
	out=$(make -s -C "$kdir" M="$work" CHARTER_CASE="$case" \
		CHARTER_KMOD="$ROOT/kmod" hooktype.o 2>&1)
	rc=$?
	rm -rf "$work"
	n=$((n + 1))
	local name="build $(basename "$kdir"): case $case"
	if [ "$what" = 0 ] && [ $rc -eq 0 ]; then
		echo "ok $n - $name compiles"
	elif [ "$what" != 0 ] && [ $rc -ne 0 ] && grep -q "$what" <<<"$out"; then
		echo "ok $n - $name refused: $what"
	else
		echo "not ok $n - $name (exit $rc, wanted ${what/#0/success})"
		sed 's/^/#   /' <<<"$out" | head -n 20
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + 1))
}

echo "TAP version 13"
for kdir in "$@"; do
	expect "$kdir" 1 0
	expect "$kdir" 2 "charter_bpf_file_open: type differs from bpf_lsm_file_open"
	expect "$kdir" 3 "charter_sec_file_open_differs_from_security_file_permission"
	expect "$kdir" 4 "neither_form_of_file_open_is_the_kernels"
	expect "$kdir" 5 "charter_call_do_adjtimex_differs_from_do_adjtimex"
done
echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
