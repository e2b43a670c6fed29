#!/bin/sh
# Files of the kernel's internal mounts are exempt from the
# ioctl rule (kmod/fs.c, charter_check_fs_ioctl(): MNT_INTERNAL, "the
# task holds them already"), but not for inode flags (found by a red-team run). A memfd made
# outside the domain and handed in open for reading only (as a
# compositor hands a keymap; here reopened O_RDONLY through
# /proc/self/fd): tmpfs takes inode flags (shmem_fileattr_set()), so the
# confined program marks it immutable, and its owner can no longer grow
# it (fallocate) nor reopen it for writing (EPERM). ESCAPE when the
# owner fails after the confined run; n/a when the unconfined run has no
# effect. The same for truncate() through /proc/self/fd/3 (path_truncate:
# the memfd would shrink under its owner), while ftruncate() of a memfd
# of its own, open for writing, works (a Wayland client's buffer: found
# refused by the desktop test).
. /tests/attack.sh
load_module
rm -rf /opt/rt3m && mkdir -p /opt/rt3m
cp /tests/bin/fsioc /opt/rt3m/fsioc
manifest /opt/rt3m rt3m fsioc ""
expect_ok "load" charter load --allow-unsigned /opt/rt3m/rt3m.yml
unique /tests/bin/fsioc /tmp/rt3m-free
/tmp/rt3m-free memfd-hold /tmp/rt3m-free setflags3 10 > /tmp/rt3m.out 2>&1; u=$?
echo "# unconfined FS_IOC_SETFLAGS immutable on a read-only memfd: owner exit $u: $(cat /tmp/rt3m.out)"
/tmp/rt3m-free memfd-hold /opt/rt3m/fsioc setflags3 10 > /tmp/rt3m.out 2>&1; c=$?
if [ "$u" = 0 ]; then
	pass "n/a: tmpfs takes no inode flags here (confined: owner exit $c: $(cat /tmp/rt3m.out))"
elif [ "$c" != 0 ]; then
	escape "confined program made an outsider's memfd (held read-only) immutable: owner's write fails (exit $c): $(cat /tmp/rt3m.out)"
else
	pass "owner still writes: $(cat /tmp/rt3m.out)"
fi
/tmp/rt3m-free memfd-hold /tmp/rt3m-free setflags3 20 > /tmp/rt3m.out 2>&1; u=$?
/tmp/rt3m-free memfd-hold /opt/rt3m/fsioc setflags3 20 > /tmp/rt3m2.out 2>&1; c=$?
echo "# append-only (0x20): unconfined owner exit $u [$(cat /tmp/rt3m.out)], confined owner exit $c [$(cat /tmp/rt3m2.out)]"

expect_ok "confined: ftruncate and mmap of a memfd of its own" /opt/rt3m/fsioc memfd-own
/tmp/rt3m-free memfd-hold /tmp/rt3m-free truncate3 > /tmp/rt3m.out 2>&1; u=$?
/tmp/rt3m-free memfd-hold /opt/rt3m/fsioc truncate3 > /tmp/rt3m2.out 2>&1; c=$?
[ "$u" != 0 ] || fail "unconfined truncate of a read-only memfd had no effect: $(cat /tmp/rt3m.out)"
if [ "$c" != 0 ]; then
	escape "confined program truncated an outsider's memfd held read-only (owner exit $c): $(cat /tmp/rt3m2.out)"
else
	pass "truncate through /proc/self/fd of a read-only memfd: refused ($(head -1 /tmp/rt3m2.out)), the owner's data kept"
fi
finish
