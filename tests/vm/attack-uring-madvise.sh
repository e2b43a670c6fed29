#!/bin/sh
# Attack (route: madvise(MADV_HWPOISON / MADV_SOFT_OFFLINE) through
# io_uring). Charter refuses these advices at the madvise() system call
# entry (x86-64 and ia32), because they meet no LSM hook. IORING_OP_MADVISE
# (since 5.6, both 6.1 and 6.12) calls do_madvise() from the ring, never
# through that entry: a confined root poisons a page of a tmpfs file it
# may only read (the file then reads EIO for everyone) or takes pages of
# RAM offline. PASSES when every io_uring advice is refused in the domain.
. /tests/attack.sh
load_module

rm -rf /opt/um /tmp/um && mkdir -p /opt/um /tmp/um
cp /tests/bin/recentop /opt/um/recentop
unique /tests/bin/recentop /tmp/recentop-free
manifest /opt/um um recentop "  - {name: ro, path: /tmp/um, permission: read}"
expect_ok "load" charter load --allow-unsigned /opt/um/um.yml
S=/opt/um/recentop
F=/tmp/recentop-free
echo "precious data" > /tmp/um/ro
echo "scratch data" > /tmp/um/scratch

# Without Charter's domain: both routes work for root.
expect_ok "madvise(MADV_SOFT_OFFLINE) outside a domain" $F sys-madvise soft
expect_ok "IORING_OP_MADVISE MADV_SOFT_OFFLINE outside a domain" $F uring-madvise soft
# Poisoning may SIGBUS the caller (exit 135: the kernel kills the mapper,
# whatever its handler, when the io-wq worker does it): the proof is the
# file, which reads EIO afterwards.
$F uring-madvise hwpoison /tmp/um/scratch; rc=$?
case $rc in 0|135) pass "IORING_OP_MADVISE MADV_HWPOISON outside, on a tmpfs file (exit $rc)" ;;
*) fail "IORING_OP_MADVISE MADV_HWPOISON outside: exit $rc" ;; esac
cat /tmp/um/scratch > /dev/null 2>&1 && fail "the poisoned scratch file still reads"
pass "a tmpfs file poisoned through io_uring reads no more (EIO)"

# Inside: the system call is refused (the known route)...
refused "madvise(MADV_SOFT_OFFLINE) inside" 1,13 $S sys-madvise soft
# ...and the ring must be too.
refused "IORING_OP_MADVISE MADV_SOFT_OFFLINE inside" 1,13 $S uring-madvise soft
refused "IORING_OP_MADVISE MADV_HWPOISON inside (a page of its own)" 1,13 \
	$S uring-madvise hwpoison
refused "IORING_OP_MADVISE MADV_HWPOISON inside, on a file it may only read" 1,13 \
	$S uring-madvise hwpoison /tmp/um/ro
cat /tmp/um/ro > /dev/null 2>&1 || escape "the read-only file is destroyed for everyone"
finish
