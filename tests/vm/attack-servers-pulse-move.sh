#!/bin/sh
# Attack (route: a sound class reads the directory /run/user/UID/pulse:
# servers.c charter_server_dir_classes(), domain.c
# charter_domain_ask_path()). The grant is on a path, not on the
# PulseAudio directory: whatever lies at /run/user/UID/pulse is readable
# with audioOut or audioIn. A link or rename must not gain rights
# (threat-model.rst, "hard link or rename of a secret into an allowed
# place"); charter_grants_move() once compared path rules only, not the
# class's read. A program that may write (not read) a runtime directory
# where no PulseAudio runs links a file it may only write to
# /run/user/UID/pulse and reads it: ESCAPE. The same by rename, and for a
# directory (its names). What the grant must not give, held: names
# beneath pulse (native, pid), '..', an O_PATH descriptor's openat, a
# symlink at the name to a secret.
. /tests/attack.sh
load_module

D=/opt/rtpm R=/run/user/5
rm -rf $D $R && mkdir -p $D $R/wo $R/drop
cp /tests/bin/fileop $D/fileop
manifest $D rtpm fileop "  - {name: runtime, path: $R, permission: write}
allowedDevices: [audioOut]"
# A sound program with the real PulseAudio directory of uid 0 (for the
# checks that must hold).
mkdir -p -m 0700 /run/user/0/pulse
echo "pid-secret" > /run/user/0/pulse/pid
expect_ok "load" charter load --allow-unsigned $D/rtpm.yml
P=$D/fileop

echo "SECRET-LINK" > $R/wo/secret-link
echo "SECRET-MOVE" > $R/wo/secret-move
mkdir $R/drop/inner && echo x > $R/drop/inner/names-are-secret

# The legitimate case: the pulse directory itself is readable (listing).
mkdir $R/pulse
expect_errno "sanity: the directory opens (read() then EISDIR)" 21 $P read $R/pulse
rmdir $R/pulse
expect_errno "sanity: the write-only file cannot be read" $EACCES $P read $R/wo/secret-link

# Link a write-only file to the granted name, then read it.
$P link $R/wo/secret-link $R/pulse > /tmp/rtpm.out 2>&1; l=$?
echo "# confined link $R/wo/secret-link -> $R/pulse: exit $l $(cat /tmp/rtpm.out)"
if [ "$l" = 0 ]; then
	no_leak "read the linked file at $R/pulse" SECRET-LINK $P read $R/pulse
else
	pass "link into the sound directory's name refused (exit $l)"
fi
rm -rf $R/pulse

# Rename one there.
$P rename $R/wo/secret-move $R/pulse > /tmp/rtpm.out 2>&1; m=$?
echo "# confined rename $R/wo/secret-move -> $R/pulse: exit $m $(cat /tmp/rtpm.out)"
if [ "$m" = 0 ]; then
	no_leak "read the renamed file at $R/pulse" SECRET-MOVE $P read $R/pulse
else
	pass "rename into the sound directory's name refused (exit $m)"
fi
rm -rf $R/pulse

# A directory it may only write, renamed there: listing it (opened for
# reading: read() then fails with EISDIR, 21) was refused before.
expect_errno "sanity: the write-only directory cannot be opened for reading" $EACCES $P read $R/drop/inner
$P rename $R/drop/inner $R/pulse > /tmp/rtpm.out 2>&1; m=$?
if [ "$m" = 0 ]; then
	refused "open the renamed write-only directory for listing" $EACCES $P read $R/pulse
else
	pass "rename of a directory into the sound directory's name refused (exit $m)"
fi
rm -rf $R/pulse

# What the grant must not give, on the real directory of uid 0.
refused "a file beneath pulse (pid)" $EACCES $P read /run/user/0/pulse/pid
refused "pulse/.. (the runtime directory)" $EACCES $P read /run/user/0/pulse/..
ln -sf /run/user/0/pulse/pid $R/pulse
refused "a symlink at the granted name to the pid file" $EACCES $P read $R/pulse
rm -f $R/pulse

rm -rf $R /run/user/0/pulse/pid
finish
