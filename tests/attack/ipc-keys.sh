#!/bin/sh
# Kernel objects with no path, marked "allowed" in the audit table:
# SysV shared memory of another user (CAP_IPC_OWNER lets root attach and
# remove a 0600 segment it was never given: not "a channel both sides
# chose"), and root's user keyring, shared by every root process inside
# and outside domains (keyctl read of a key an unconfined root stored).
. /tests/attack.sh
load_module

rm -rf /opt/ik && mkdir -p /opt/ik
cp /tests/bin/privop /opt/ik/privop
unique /tests/bin/privop /tmp/privop-free
manifest /opt/ik ik privop
expect_ok "load" charter load --allow-unsigned /opt/ik/ik.yml
S=/opt/ik/privop
F=/tmp/privop-free

expect_ok "a 0600 segment of nobody's" $F shm-create 0x5eed 65534
$F shm-read 0x5eed | grep -q shm-secret || fail "root outside cannot read it"
pass "outside: root reads it (CAP_IPC_OWNER)"
no_leak "inside: read nobody's private segment" shm-secret $S shm-read 0x5eed
refused "inside: remove it" 1,13 $S shm-rm 0x5eed
$F shm-read 0x5eed > /dev/null 2>&1 || escape "the segment was removed from inside"
$F shm-rm 0x5eed

expect_ok "outside: a key in root's user keyring" $F key-add charter-secret s3cr3t-key
$F key-read charter-secret | grep -q s3cr3t-key || fail "root outside cannot read it"
no_leak "inside: read the unconfined root's key" s3cr3t-key $S key-read charter-secret
finish
