#!/bin/sh
# vm-modules: ext4 loop crc32c_generic vfat nls_cp437 nls_iso8859-1 nls_ascii nls_utf8
# Red team on setting times (kmod/fs.c, vfs_utimes()): other
# ways a file's or directory's times move: a core dump into a directory
# the domain may only read (the kernel opens "core" with the task's
# creds), acct() on a file it may only read or not touch, exec of a file
# it may not read (the atime: relatime, 1990); legitimate O_TMPFILE then
# futimens in a readWrite directory, and on its own memfd and pipe (they
# live on the kernel's internal mounts: no path a rule could name; they
# were refused before).
# (attack-fs-ioctl-writes.sh: the ioctls that do change them.)
. /tests/fsmeta-setup.sh
# --- core dump into a directory it may only read.
old_pat=$(cat /proc/sys/kernel/core_pattern)
echo core > /proc/sys/kernel/core_pattern
$S core /opt/r2c/rw > /tmp/r2x.out 2>&1
echo "# confined core dump in rw (legitimate): $(cat /tmp/r2x.out); $(ls /opt/r2c/rw)"
rm -f /opt/r2c/rw/core*
$F core /opt/r2c/ro > /tmp/r2x.out 2>&1
echo "# unconfined core dump in ro: $(cat /tmp/r2x.out); $(ls /opt/r2c/ro)"
rm -f /opt/r2c/ro/core*
sleep 0.02
# (no readdir in the probe: it would move the directory's atime)
kept "core dump in ro (dir)" /opt/r2c/ro "ls -d /opt/r2c/ro/core" $S core /opt/r2c/ro
rm -f /opt/r2c/ro/core*
echo "$old_pat" > /proc/sys/kernel/core_pattern

# --- acct() on files it may only read / not touch.
kept "acct on ro/acct" /opt/r2c/ro/acct "" $S acct /opt/r2c/ro/acct
kept "acct on none/acct" /opt/r2c/none/acct "" $S acct /opt/r2c/none/acct
acct 2>/dev/null; true

# --- exec of a file it may not read: the atime (relatime: 1990 is old).
$F old /opt/r2c/none/exe
effect "exec none/exe (atime)" /opt/r2c/none/exe "" /opt/r2c/none/exe
$F old /opt/r2c/none/exe
kept "exec none/exe" /opt/r2c/none/exe "" $S exec /opt/r2c/none/exe
$F old /opt/r2c/ro/exe
$S exec /opt/r2c/ro/exe > /tmp/r2x.out 2>&1
echo "# exec ro/exe (read, no execute): exit $?; $(/tmp/r2x-free stat /opt/r2c/ro/exe)"

# --- legitimate: futimens on its own memfd, pipe, O_TMPFILE in rw.
for op in futimens-memfd futimens-pipe "tmpfile /opt/r2c/rw" "tmpfile $E/rw"; do
	expect_ok "legitimate $op" $S $op
done

umount /mnt/r2e /mnt/r2f
finish
