#!/bin/sh
# Attack (route: ftruncate() of a memfd in a domain, allowed when the task
# holds the file open for writing: fs.c charter_internal_writable() on
# 6.1's path_truncate, the MNT_INTERNAL exemption of 6.12's
# file_truncate). A memfd made outside and handed in read-only (fsioc
# memfd-hold: fd 3 of the confined program) must keep its owner's data:
# the owner's exit status says whether its byte survived (EIO: gone).
# Tried: truncate() through /proc/self/fd/3 while holding a writable
# memfd of its own (the check compares dentries), through the
# /proc/self/fd name of an O_PATH descriptor of it, a reopen O_RDWR
# through /proc/self/fd/3, fallocate(PUNCH_HOLE) on the read-only
# descriptor, io_uring's IORING_OP_FTRUNCATE (6.9+; EINVAL on 6.1), and
# truncate() racing a thread that makes and closes writable memfds of its
# own. All held when written (6.1 and 6.12); coverage.
. /tests/attack.sh
load_module
rm -rf /opt/rtmf && mkdir -p /opt/rtmf
cp /tests/bin/srvatk /opt/rtmf/srvatk
manifest /opt/rtmf rtmf srvatk ""
expect_ok "load" charter load --allow-unsigned /opt/rtmf/rtmf.yml
unique /tests/bin/fsioc /tmp/rtmf-hold
unique /tests/bin/srvatk /tmp/rtmf-free

for op in memfd-twin3 opath-trunc3 reopen-rw3 punch3 uring-trunc3 "race-trunc3 5"; do
	/tmp/rtmf-hold memfd-hold /tmp/rtmf-free $op > /tmp/rtmf.out 2>&1; u=$?
	/tmp/rtmf-hold memfd-hold /opt/rtmf/srvatk $op > /tmp/rtmf2.out 2>&1; c=$?
	echo "# $op: unconfined owner exit $u [$(tr '\n' ' ' < /tmp/rtmf.out)]"
	if [ "$c" != 0 ]; then
		escape "$op: the confined program changed an outsider's memfd held read-only (owner exit $c): $(tr '\n' ' ' < /tmp/rtmf2.out)"
	else
		pass "$op: the owner's data kept ($(tr '\n' ' ' < /tmp/rtmf2.out))"
	fi
done
finish
