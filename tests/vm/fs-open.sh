#!/bin/sh
# One directory rule enforced end to end, hooks on the BPF LSM stubs
# (Debian's default: bpf is in the LSM list).
. /tests/charter-test.sh
grep -q bpf /sys/kernel/security/lsm || fail "bpf is not an active LSM: $(cat /sys/kernel/security/lsm)"
load_module
dmesg | grep -q 'attached to bpf_lsm_\* hooks' || fail "not attached to bpf_lsm_*: $(dmesg | grep charter)"
. /tests/fs-open-checks.sh
