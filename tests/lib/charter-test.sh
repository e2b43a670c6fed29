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

# debug_kernel: true on Charter's debug kernel (make check-debug). There
# KASAN and debug objects make each cred free and RCU callback ~10 times
# dearer: a few hundred threads replacing their creds in a loop flood RCU
# until synchronize_rcu() (fd table growth) waits past the hung-task
# limit, with the module never loaded too (Documentation/testing.rst);
# the cred tests scale their threads down there.
debug_kernel() { case $(uname -r) in *-charter-debug) return 0 ;; esac; return 1; }

load_module() { modprobe charter "$@" || fail "modprobe charter $*"; }
