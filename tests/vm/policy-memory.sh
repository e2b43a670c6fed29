#!/bin/sh
# charter status reports the kernel memory the current policy holds
# (CHARTER_A_POLICY_MEMORY): none without a policy, at least the kernel's
# copy of the blob with one, growing with the policy, none again after
# unload (an empty policy: its few hundred bytes). make bench divides it
# by the manifests loaded.
. /tests/charter-test.sh
load_module

memory() { charter status --json | sed -n 's/.*"policy_memory":\([0-9]*\).*/\1/p'; }
size() { wc -c < "$1"; }

[ "$(memory)" = 0 ] || fail "no policy, yet policy_memory is '$(memory)'"
charter status | grep -q '^policy memory   0 bytes' || fail "text status: $(charter status)"
pass "no policy: 0 bytes"

last=0
for n in 10 1000 10000; do
	blobgen $n /tmp/p$n.bin || fail "blobgen $n"
	charter load --policy /tmp/p$n.bin > /dev/null || fail "load $n"
	m=$(memory)
	[ -n "$m" ] || fail "$n manifests: no policy_memory in $(charter status --json)"
	# The blob's copy alone is that large; the decoded manifests, rules
	# and indexes come on top, so more than the blob and the last policy.
	[ "$m" -gt "$(size /tmp/p$n.bin)" ] ||
		fail "$n manifests: $m bytes, no more than the blob's $(size /tmp/p$n.bin)"
	[ "$m" -gt "$last" ] || fail "$n manifests: $m bytes, not more than $last before"
	[ "$m" -lt $((n * 4096)) ] || fail "$n manifests: $m bytes, over 4 KiB each"
	charter status | grep -q "^policy memory   $m bytes" || fail "text status: $(charter status)"
	pass "$n manifests: $m bytes ($((m / n)) a manifest)"
	[ $n != 10 ] || m10=$m
	# Ten times the manifests: several times the memory (it grows with
	# the policy, not by a constant).
	[ $n = 10 ] || [ "$m" -gt $((last * 5)) ] ||
		fail "$n manifests: $m bytes, not 5 times the $last bytes of the smaller policy"
	last=$m
done

charter unload > /dev/null || fail "unload"
m=$(memory)
[ -n "$m" ] && [ "$m" -gt 0 ] && [ "$m" -lt "$m10" ] ||
	fail "after unload (an empty policy): '$m' bytes, 10 manifests took $m10"
pass "unloaded: $m bytes"
