#!/bin/sh
# Building blocks: a busybox confined by a manifest with use: [nameservice]
# reads /etc/hosts (a rule of the shipped block, which the image holds at
# /usr/share/charter/blocks) and nothing beside it; without use: it may
# not read /etc/hosts, so the grant is the block's.
. /tests/charter-test.sh
load_module

[ -f /usr/share/charter/blocks/nameservice.yml ] ||
	fail "the shipped blocks are not in /usr/share/charter/blocks"
rm -rf /opt/blk
mkdir -p /opt/blk
[ -e /etc/hosts ] || printf '127.0.0.1 localhost\n' > /etc/hosts
echo secret > /etc/blk-secret	# beside /etc/hosts, in no rule of the block
cp /bin/busybox /opt/blk/cat && echo >> /opt/blk/cat	# a busybox of its own

manifest() { # USE
	cat > /opt/blk/cat.yml <<YML
manifestVersion: v1
name: blk-cat
run: /opt/blk/cat
$1
YML
}

# read FILE: what the confined cat printed, its status in $rc.
read_file() { out=$(/opt/blk/cat "$1" 2>&1); rc=$?; }

manifest ""
expect_ok "load the manifest without use:" charter load --allow-unsigned /opt/blk/cat.yml
read_file /etc/hosts
[ $rc -ne 0 ] || fail "read /etc/hosts without the block: $out"
pass "without the block /etc/hosts is refused"

manifest "use: [nameservice]"
expect_ok "load it with use: [nameservice]" charter load --allow-unsigned /opt/blk/cat.yml
read_file /etc/hosts
[ $rc -eq 0 ] && [ "$out" = "$(cat /etc/hosts)" ] ||
	fail "the block's rule did not let it read /etc/hosts: exit $rc: $out"
pass "the nameservice block lets it read /etc/hosts"
read_file /etc/blk-secret
[ $rc -ne 0 ] || fail "read a file outside the block: $out"
case $out in *"ermission denied"*) ;; *) fail "refused, but not by permission: $out" ;; esac
pass "a file outside the block is refused"

charter compile --allow-unsigned -o /tmp/blk.bin /opt/blk/cat.yml > /tmp/blk.out 2>&1 ||
	fail "compile: $(cat /tmp/blk.out)"
charter dump /tmp/blk.bin > /tmp/blk.dump 2>&1 || fail "dump: $(cat /tmp/blk.dump)"
grep -q "path nameservice/hosts: read /etc/hosts" /tmp/blk.dump ||
	fail "the rule is not named by its block: $(cat /tmp/blk.dump)"
pass "the policy names the rule nameservice/hosts"
charter unload > /dev/null 2>&1 || fail "unload"
