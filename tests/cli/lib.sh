# Shell helpers for host tests of the charter tool (no kernel needed):
# . "$(dirname "$0")/lib.sh". Every check prints a TAP line; the script's
# status is 1 if any check failed. $CHARTER is the tool, $T a scratch
# directory removed at exit, $FIXTURES the test fixtures.
set -u
CLI_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHARTER=${CHARTER:-$CLI_ROOT/userspace/charter}
FIXTURES=$CLI_ROOT/tests/fixtures
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# The tool's default policy cache (charter load's): never the host's
# /var/cache/charter. Tests of the cache name theirs with --cache-dir.
export CHARTER_CACHE_DIR=$T/default-cache
cli_failed=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; cli_failed=1; }

# run CMD...: run it, output (stdout and stderr) in $T/out, status in $rc.
run() { "$@" > "$T/out" 2>&1; rc=$?; }

# expect STATUS DESC CMD...: CMD exits with STATUS.
expect() {
	want=$1 desc=$2
	shift 2
	run "$@"
	if [ "$rc" -eq "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc: expected status $want, got $rc: $(head -c 600 "$T/out")"
	fi
}

# expect_out DESC REGEX: the last command's output matches REGEX (grep -E).
expect_out() {
	if grep -Eq -- "$2" "$T/out"; then
		ok "$1"
	else
		not_ok "$1: no line matches '$2' in: $(head -c 600 "$T/out")"
	fi
}

# expect_no_out DESC REGEX: no line of the last output matches REGEX.
expect_no_out() {
	if grep -Eq -- "$2" "$T/out"; then
		not_ok "$1: '$2' matched in: $(head -c 600 "$T/out")"
	else
		ok "$1"
	fi
}

# manifest FILE TEXT: write a manifest (printf format, no arguments).
manifest() { printf "$2" > "$1"; }

cli_done() { exit $cli_failed; }
