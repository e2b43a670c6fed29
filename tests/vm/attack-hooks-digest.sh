#!/bin/sh
# Attack (red team 17h: the file_open gate, kmod/fs.c
# CHARTER_GATE_FILE_OPEN): while no task is confined, the BPF stub's
# wrapper is the gate alone, and a write open reaches the digest cache only
# through "opened for writing while the digest cache is in use". A copy of
# a manifested program one byte apart, on ramfs (no i_version) with pinned
# times, is executed (hashed: another program, free); with nothing
# confined (the confining key off, a second after the last confined task)
# its byte is written back with the clock held still (times unchanged) by
# every way of writing in place: pwrite on O_RDWR, a shared mapping,
# copy_file_range, splice, sendfile, O_TRUNC and rewrite; executed again
# it is the manifested program and must be confined. Then the same with a
# confined task alive.
. /tests/charter-test.sh
load_module
rm -rf /opt/hd /srv/hd /tmp/hd && mkdir -p /opt/hd /srv/hd /tmp/hd
echo secret > /srv/hd/secret
cp /tests/bin/fileop /opt/hd/app && printf '\0' >> /opt/hd/app
printf 'manifestVersion: v1\nname: hd\nrun: ./app\nbaseline: none\n' > /opt/hd/app.yml
APP=/opt/hd/app
SECRET=/srv/hd/secret
expect_ok "load" charter load --allow-unsigned /opt/hd/app.yml
expect_errno "the manifested program is confined" $EACCES $APP read $SECRET
mount -t ramfs ramfs /tmp/hd || fail "mount ramfs"
cp $APP /tmp/hd/ref   # copy_file_range: same filesystem (else EXDEV)

# try N CMD...: retry a clock-held step that a tick spoilt (252)
try() {
	for t in 1 2 3 4 5 6 7 8 9 10; do
		"$@"; rc=$?
		[ $rc -eq 252 ] || return $rc
	done
	return 252
}

one() { # METHOD WHEN
	rm -f /tmp/hd/x
	try /tests/bin/staleop copy $APP /tmp/hd/x 41 || fail "$1: copy"
	expect_ok "$1 ($2): the changed copy runs free (hashed)" /tmp/hd/x read $SECRET
	[ "$2" = "nothing confined" ] && sleep 2
	try /tests/bin/gateop write $1 /tmp/hd/x /tmp/hd/ref 41
	# Rewriting the whole program (trunc) may outlast a clock tick every
	# time on a slow guest, any write on the debug kernel (an mmap store
	# and its msync did): then it proves nothing, and says so.
	if [ $rc -eq 252 ] && { [ $1 = trunc ] || debug_kernel; }; then
		pass "$1 ($2): skipped: each rewrite spanned a clock tick"
		return
	fi
	[ $rc -eq 0 ] || fail "$1: gateop write: $rc"
	cmp -s /tmp/hd/x $APP || fail "$1: not the program after the write"
	/tmp/hd/x read $SECRET > /tmp/hd.out 2>&1
	rc=$?
	[ $rc -eq 0 ] && fail "ESCAPE: $1 ($2): written back to the manifested bytes in place, it ran free on the stale digest: $(cat /tmp/hd.out)"
	[ $rc -eq $EACCES ] || fail "$1 ($2): expected errno $EACCES, got $rc: $(cat /tmp/hd.out)"
	pass "$1 ($2): written back in place with times unchanged, it is confined"
}

sleep 2
for m in rdwr mmap cfr splice sendfile trunc; do
	one $m "nothing confined"
done
# a confined task alive: the key is on
$APP later 60 /srv/hd/none > /dev/null 2>&1 & HOLD=$!
sleep 0.5
for m in rdwr mmap cfr splice sendfile trunc; do
	one $m "a task confined"
done
kill $HOLD; wait $HOLD
umount /tmp/hd
rm -rf /opt/hd /srv/hd /tmp/hd
