#!/usr/bin/env bash
# make check-debug: the whole VM suite (tests/vm) and tests/debug on
# Charter's debug kernel (scripts/debug-kernel.sh: lockdep, KASAN,
# kmemleak, failslab), the two suites side by side in two guests (a guest
# is one host thread, the machine has two cores), each test with
# CHARTER_VM_TEST_TIMEOUT (default 7200: 200 unload rounds took over an
# hour on a busy machine) seconds, guests with 2 GiB.
# Ends with "N passed, N failed" summed over both; exit 1 if anything
# failed. Logs: build/check-debug-main.log, build/check-debug-extra.log.
#
# Environment: CHARTER_BLOB_MUTATIONS (blob-mutations.sh's count, default
# 100000), CHARTER_UNLOAD_ROUNDS (unload-rounds.sh, default 200), passed to
# the guests on their command line.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# Build the module for the debug kernel (and the kernel, once) before two
# vm.sh processes would both try.
scripts/kernels.sh build debug > /dev/null || exit 1

export CHARTER_KERNEL=debug CHARTER_VM_EXTRA_TESTS=tests/debug CHARTER_VM_MEM=2048
export CHARTER_VM_TEST_TIMEOUT=${CHARTER_VM_TEST_TIMEOUT:-7200}
# A test there takes about ten times as long as on the stock kernel.
export CHARTER_VM_TIMEOUT_PER_TEST=${CHARTER_VM_TIMEOUT_PER_TEST:-600}
export CHARTER_VM_APPEND="CHARTER_BLOB_MUTATIONS=${CHARTER_BLOB_MUTATIONS:-100000} CHARTER_UNLOAD_ROUNDS=${CHARTER_UNLOAD_ROUNDS:-200} ${CHARTER_VM_APPEND:-}"

start=$SECONDS
CHARTER_VM_SUITES=extra scripts/vm.sh > build/check-debug-extra.log 2>&1 &
extra_pid=$!
CHARTER_VM_SUITES=main scripts/vm.sh 2>&1 | tee build/check-debug-main.log
main_rc=${PIPESTATUS[0]}
extra_rc=0
wait "$extra_pid" || extra_rc=$?
echo "=== debug extra (tests/debug)"
cat build/check-debug-extra.log

passed=0 failed=0
for s in main extra; do
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "build/check-debug-$s.log" | tail -n 1)
	p=0 f=1
	if [ -n "$last" ]; then
		p=${last%% passed*}
		f=${last#*passed, }
		f=${f%% failed*}
	fi
	rc=$main_rc
	[ $s = main ] || rc=$extra_rc
	# A suite that failed without counting a failure still failed.
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	printf '# debug %-5s %4d passed, %d failed\n' "$s" "$p" "$f"
	passed=$((passed + p)) failed=$((failed + f))
done
echo "# check-debug took $((SECONDS - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
