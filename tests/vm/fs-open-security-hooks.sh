#!/bin/sh
# The same slice with the fallback attachment on security_* (what the
# module does when bpf is not an active LSM), forced by hooks=security.
. /tests/charter-test.sh
load_module hooks=security
dmesg | grep -q 'attached to security_\* hooks' || fail "not attached to security_*: $(dmesg | grep charter)"
. /tests/fs-open-checks.sh
