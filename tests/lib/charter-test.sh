# Shell helpers for guest tests: . /tests/charter-test.sh
# A test is a busybox sh script; it fails at the first failed check.
set -u

fail() { echo "FAIL: $*"; exit 1; }
pass() { echo "ok: $*"; }

# expect_ok DESC CMD...: CMD must exit 0.
expect_ok() {
	desc=$1; shift
	out=$("$@" 2>&1) || fail "$desc: expected success, got exit $?: $out"
	pass "$desc"
}

# expect_errno DESC ERRNO CMD...: CMD (a tests/bin helper) must fail with
# ERRNO, which the helpers report as their exit status.
expect_errno() {
	desc=$1; want=$2; shift 2
	"$@" > /tmp/expect.out 2>&1
	got=$?
	[ "$got" -eq "$want" ] || fail "$desc: expected errno $want, got exit $got: $(cat /tmp/expect.out)"
	pass "$desc (errno $want)"
}

EACCES=13
EPERM=1

load_module() { modprobe charter "$@" || fail "modprobe charter $*"; }
