#!/usr/bin/env bash
# Run every suite (userspace unit, the tool's command line, the build's own
# checks, the Debian packages, the system test on a Debian 12 image booted
# with systemd, fuzz, KUnit under UML, and the VM suite on every kernel of
# scripts/kernels.sh) and end with one line "N passed, N failed" summed
# over all of them. Each suite prints TAP and its own "N
# passed, N failed" line; a suite that dies without one counts as one
# failure. Exit status 1 if anything failed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

total_passed=0
total_failed=0
summary=""

# Add a suite's last "N passed, N failed" line to the totals.
count() { # NAME STATUS START_SECONDS
	local log=$ROOT/build/check-$1.log last p f
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -n "$last" ]; then
		p=${last%% passed*}
		f=${last#*passed, }
		f=${f%% failed*}
	else
		p=0 f=1
	fi
	# A suite that failed without counting a failure still failed.
	[ "$2" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	summary+=$(printf '%-8s %4d passed, %d failed (%ds)' "$1" "$p" "$f" $((SECONDS - $3)))$'\n'
}

run_suite() { # NAME CMD...
	local name=$1 start=$SECONDS
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$ROOT/build/check-$name.log"
	count "$name" "${PIPESTATUS[0]}" "$start"
}

# A suite beside the others (the VM suite of a second kernel): its output
# goes to its log only, printed when finish_suite has waited for it.
declare -A bg_pid bg_start
start_suite() { # NAME CMD...
	local name=$1
	shift
	echo "=== $name (in the background): $*"
	bg_start[$name]=$SECONDS
	"$@" > "$ROOT/build/check-$name.log" 2>&1 &
	bg_pid[$name]=$!
}

finish_suite() { # NAME
	local rc=0
	wait "${bg_pid[$1]}" || rc=$?
	echo "=== $1"
	cat "$ROOT/build/check-$1.log"
	count "$1" "$rc" "${bg_start[$1]}"
}

mkdir -p "$ROOT/build"
run_suite unit make -s -C tests/unit run
run_suite cli scripts/cli-test.sh
# Fetches every extra kernel of scripts/kernels.sh (its headers, to build
# against) before anything boots one.
run_suite build scripts/build-test.sh
# The Debian packages, and DKMS building the module on every kernel.
run_suite pkg scripts/pkg-test.sh
# Each extra kernel's VM suite runs beside the rest: a guest is one host
# thread (scripts/vm.sh), and the machine has two cores.
mapfile -t extra_kernels < <(scripts/kernels.sh list | tail -n +2)
for word in "${extra_kernels[@]}"; do
	start_suite "vm-${word%-amd64}" env CHARTER_KERNEL="$word" scripts/vm.sh
done
# The packages on a real Debian 12 with systemd (issue 15). Its image is
# built once (mmdebstrap, a few minutes) and cached under build/debian.
start_suite system scripts/system-test.sh
run_suite fuzz scripts/fuzz.sh "${CHARTER_FUZZ_SECONDS:-30}"
run_suite kunit scripts/kunit.sh
run_suite vm scripts/vm.sh
for word in "${extra_kernels[@]}"; do
	finish_suite "vm-${word%-amd64}"
done
finish_suite system

echo "=== summary"
printf '%s' "$summary"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
