#!/bin/sh
# vm-modules: ext4 loop crc32c_generic sha512_generic ecb xts cts
# Attack (route: the ioctl hook, kernel.c charter_hook_file_ioctl(), fs.c
# charter_check_fs_ioctl()). fscrypt keys live in the filesystem's
# keyring; a v1 key is named by an 8-byte descriptor, not by a hash of the
# key, so the kernel lets only CAP_SYS_ADMIN add one ("otherwise a
# malicious user could add the wrong key", fs/crypto/keyring.c). REMOVE
# of a v1 key ('f', 24) is in charter_fs_wide_ioctls; ADD
# (FS_IOC_ADD_ENCRYPTION_KEY, _IOWR('f', 23)) is not: it needs read and
# write on the path of the descriptor it is made on, any file of the
# filesystem. A confined root with readWrite on /mnt/ex/rw adds a wrong
# key for the descriptor of another user's locked directory /mnt/ex/enc:
# the directory is "unlocked" with that key for everyone, its files are
# gone from view (names and contents decrypt with the wrong key), and the
# owner's own FS_IOC_ADD_ENCRYPTION_KEY of the right key then succeeds
# and changes nothing (add_existing_master_key() keeps a present secret):
# the directory stays unreadable and every file made in it is encrypted
# with the attacker's key, until a root removes it.
# ESCAPE when the confined call works. Made outside first, where it must
# work (n/a when the kernel has no fscrypt v1). It worked when first run
# (red team); FS_IOC_ADD_ENCRYPTION_KEY is now in fs.c's
# charter_fs_wide_ioctls.
. /tests/attack.sh
load_module
modprobe crc32c_generic && modprobe ext4 || fail "modprobe ext4"
for m in sha512_generic ecb xts cts; do modprobe $m 2>/dev/null; done
modprobe loop || fail "modprobe loop"
I=/tests/bin/ioctlatk
F=/tmp/fk-free

rm -rf /opt/fk && mkdir -p /opt/fk
cp /tests/bin/openatk /opt/fk/openatk
unique /tests/bin/openatk $F
S=/opt/fk/openatk
ext4_mount /tmp/fk-ex.img /mnt/ex 4096
mkdir -p /mnt/ex/rw /mnt/ex/enc
manifest /opt/fk fk openatk "  - {name: rw, path: /mnt/ex/rw, permission: readWrite}"
expect_ok "load" charter load --allow-unsigned /opt/fk/fk.yml

status() { $I fscrypt-v1-status /mnt/ex; }
lock() {
	$I fscrypt-v1-remove /mnt/ex > /dev/null 2>&1
	echo 2 > /proc/sys/vm/drop_caches
	[ "$(status)" = 1 ] || fail "the v1 key is still there: $(status)"
	[ ! -e /mnt/ex/enc/secret ] || fail "/mnt/ex/enc is not locked"
}
unlock() {
	$I fscrypt-v1-add /mnt/ex || fail "adding the right key"
	[ "$(cat /mnt/ex/enc/secret 2>/dev/null)" = cleartext ] ||
		fail "the owner's file does not read with the right key"
}
if ! $I fscrypt-v1-setup /mnt/ex/enc > /tmp/fk.err 2>&1; then
	echo "n/a: no fscrypt v1 here ($(cat /tmp/fk.err))"
	umount /mnt/ex
	finish
	exit 0
fi
[ "$(cat /mnt/ex/enc/secret)" = cleartext ] || fail "the encrypted file does not read"
lock
echo "# locked: $(ls /mnt/ex/enc)"

# Outside: the wrong key, then the owner's right one.
expect_ok "outside: ADD_ENCRYPTION_KEY (v1) of a wrong key, on /mnt/ex/rw" \
	$F fscrypt-v1-wrong /mnt/ex/rw
[ "$(status)" = 2 ] || fail "the wrong key is not present: $(status)"
$I fscrypt-v1-add /mnt/ex || fail "the owner's add after the wrong one"
if [ "$(cat /mnt/ex/enc/secret 2>/dev/null)" = cleartext ]; then
	fail "outside: the owner's key replaced the wrong one (nothing to attack)"
fi
pass "outside: with the wrong key in, the owner's add changes nothing; /mnt/ex/enc shows: $(ls /mnt/ex/enc 2>&1 | tr '\n' ' ')"
lock
unlock
lock

# Inside.
refused "inside: ADD_ENCRYPTION_KEY (v1) of a wrong key, on /mnt/ex/rw" \
	$EPERM,$EACCES $S fscrypt-v1-wrong /mnt/ex/rw
st=$(status)
$I fscrypt-v1-add /mnt/ex > /dev/null 2>&1
if [ "$(cat /mnt/ex/enc/secret 2>/dev/null)" != cleartext ]; then
	escape "inside: a wrong v1 key is in /mnt/ex's keyring (status $st) and the owner's right key no longer opens /mnt/ex/enc: $(ls /mnt/ex/enc 2>&1 | tr '\n' ' ')"
fi
lock
unlock

umount /mnt/ex
rm -f /tmp/fk-ex.img
finish
