#!/bin/sh
# A bad policy is refused with the kernel's own reason, and the policy in
# force stays in force. (The kernel's decoder is covered case by case by
# KUnit; here the whole path: tool -> netlink -> extended ack.)
. /tests/charter-test.sh
load_module

rm -rf /opt/p && mkdir -p /opt/p /srv/p
echo secret > /srv/p/secret
cp /tests/bin/fileop /opt/p/fileop
printf 'manifestVersion: v1\nname: p\nrun: ./fileop\nbaseline: none\n' > /opt/p/manifest.yml
expect_ok "compile" charter compile --allow-unsigned -o /tmp/good.bin /opt/p/manifest.yml
expect_ok "load a compiled policy" charter load --policy /tmp/good.bin
expect_errno "in force" $EACCES /opt/p/fileop read /srv/p/secret

try_bad() { # DESC EXPECTED-MESSAGE FILE
	charter load --policy "$3" > /tmp/bad.out 2>&1 && fail "$1: accepted"
	grep -q "$2" /tmp/bad.out || fail "$1: wrong reason: $(cat /tmp/bad.out)"
	expect_errno "$1: old policy still in force" $EACCES /opt/p/fileop read /srv/p/secret
}

# Damage one byte at a time with dd: magic, version, a section offset.
cp /tmp/good.bin /tmp/bad1.bin
printf 'X' | dd of=/tmp/bad1.bin bs=1 seek=0 conv=notrunc 2>/dev/null
try_bad "bad magic" "charter: blob: bad magic" /tmp/bad1.bin
cp /tmp/good.bin /tmp/bad2.bin
printf '\011' | dd of=/tmp/bad2.bin bs=1 seek=4 conv=notrunc 2>/dev/null
try_bad "future version" "unsupported version" /tmp/bad2.bin
cp /tmp/good.bin /tmp/bad3.bin
printf '\377' | dd of=/tmp/bad3.bin bs=1 seek=19 conv=notrunc 2>/dev/null
try_bad "manifest section out of bounds" "section out of bounds" /tmp/bad3.bin
head -c 20 /tmp/good.bin > /tmp/bad4.bin
try_bad "truncated" "shorter than its header" /tmp/bad4.bin
: > /tmp/bad5.bin
try_bad "empty" "shorter than its header" /tmp/bad5.bin
