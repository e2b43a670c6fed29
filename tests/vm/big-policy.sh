#!/bin/sh
# 10,000 manifests: loaded in one policy (many netlink chunks), found in
# O(1), listed whole by a multi-part dump.
. /tests/charter-test.sh
load_module

expect_ok "generate" blobgen 10000 /tmp/10k.bin
expect_ok "load 10,000 manifests" charter load --policy /tmp/10k.bin
n=$(charter status --json | sed -n 's/.*"manifests":\([0-9]*\).*/\1/p')
[ "$n" = 10000 ] || fail "status says $n manifests"
[ "$(charter list | wc -l)" = 10001 ] || fail "list: $(charter list | wc -l) lines"
[ "$(charter list --json | grep -c '"name":"m')" = 10000 ] || fail "list --json count"
charter list --json | grep -q '"name":"m09999"' || fail "last manifest missing"
charter list --json | grep -q '"name":"m00000"' || fail "first manifest missing"
pass "list returns all 10,000"

# Replacing it with the empty policy frees it; again with a real one.
expect_ok "unload" charter unload
[ "$(charter list | wc -l)" = 1 ] || fail "list after unload"
