#!/bin/sh
# madvise(MADV_HWPOISON / MADV_SOFT_OFFLINE): CAP_SYS_ADMIN, no LSM hook,
# not in the audit table. Poisoning takes a page of RAM out of the system
# for good; on a page of a tmpfs file the domain may only read, every
# later read of that file by anyone fails with EIO (a read-only file
# destroyed).
. /tests/attack.sh
load_module

rm -rf /opt/mm /tmp/mm && mkdir -p /opt/mm /tmp/mm
cp /tests/bin/privop /opt/mm/privop
unique /tests/bin/privop /tmp/privop-free
manifest /opt/mm mm privop "  - {name: ro, path: /tmp/mm, permission: read}"
expect_ok "load" charter load --allow-unsigned /opt/mm/mm.yml
S=/opt/mm/privop
F=/tmp/privop-free
echo "precious data" > /tmp/mm/ro
echo "scratch data" > /tmp/mm/scratch

expect_ok "MADV_SOFT_OFFLINE outside a domain" $F soft-offline-anon
expect_ok "MADV_HWPOISON outside a domain (a page of its own)" $F hwpoison-anon
expect_ok "MADV_HWPOISON outside, on a tmpfs file" $F hwpoison /tmp/mm/scratch
cat /tmp/mm/scratch > /dev/null 2>&1 && fail "the poisoned scratch file still reads"
pass "a poisoned tmpfs file reads no more (EIO)"

refused "MADV_SOFT_OFFLINE inside" 1,13 $S soft-offline-anon
refused "MADV_HWPOISON inside (a page of its own)" 1,13 $S hwpoison-anon
refused "MADV_HWPOISON inside, on a file it may only read" 1,13 $S hwpoison /tmp/mm/ro
cat /tmp/mm/ro > /dev/null 2>&1 || escape "the read-only file is destroyed for everyone"
finish
