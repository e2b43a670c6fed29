#!/bin/sh
# vm-modules: ext4 loop crc32c_generic sha512_generic ecb xts cts
# Attack (route: the ioctl hook, gated on the domain since today:
# kernel.c charter_hook_file_ioctl(), fs.c charter_check_fs_ioctl()).
# Filesystem-wide ioctls are refused in a domain when they freeze, shut
# down, relabel or re-UUID a filesystem (attack-fs-ioctls.sh); every
# other ioctl of a file or directory needs write on its path. But more
# ioctls than those change the whole filesystem, and a confined root
# that may write one directory of it makes them there:
#   EXT4_IOC_RESIZE_FS (CAP_SYS_RESOURCE): grows the filesystem;
#   FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS (CAP_SYS_ADMIN): removes
#     another user's fscrypt key from the filesystem, locking that
#     user's encrypted directory (its files unreadable until the user
#     adds the key again).
# ESCAPE when the confined call works; n/a when the unconfined one cannot
# (a kernel without the feature). Both worked when first run (red team);
# fs.c charter_fs_wide_ioctl() now refuses them with ext4's other
# whole-filesystem ioctls and FITRIM (discards the free space of the
# whole filesystem, CAP_SYS_ADMIN), printed here as a note.
. /tests/attack.sh
load_module
modprobe loop && modprobe crc32c_generic && modprobe ext4 || fail "modprobe ext4"
for m in sha512_generic ecb xts cts; do modprobe $m 2>/dev/null; done

rm -rf /opt/rtf /mnt/rtf && mkdir -p /opt/rtf /mnt/rtf
# An 8 MiB ext4 in a 16 MiB image (room to grow), with extents and
# encryption.
dd if=/dev/zero of=/tmp/rtf.img bs=1M count=16 2>/dev/null
mke2fs -F -b 4096 /tmp/rtf.img 8192 > /dev/null 2>&1 || fail "mke2fs"
/tests/bin/privop ext4-feature /tmp/rtf.img 10040 0 || fail "ext4 features"
mount -t ext4 -o loop /tmp/rtf.img /mnt/rtf || fail "mount ext4"
mkdir -p /mnt/rtf/rw /mnt/rtf/user
chown 1000:1000 /mnt/rtf/user
cp /tests/bin/srvatk /opt/rtf/srvatk
manifest /opt/rtf rtf srvatk "  - {name: rw, path: /mnt/rtf/rw, permission: readWrite}"
expect_ok "load" charter load --allow-unsigned /opt/rtf/rtf.yml
S=/opt/rtf/srvatk
unique /tests/bin/srvatk /tmp/rtf-free
F=/tmp/rtf-free

size() { df -k /mnt/rtf | awk 'NR == 2 { print $2 }'; }

# --- Resize.
before=$(size)
$S resizefs /mnt/rtf/rw 3072 > /tmp/rtf.out 2>&1; c=$?
after=$(size)
$F resizefs /mnt/rtf 4096 > /tmp/rtf2.out 2>&1; u=$?
echo "# sizes (KiB): $before, after the confined resize $after, after the unconfined one $(size)"
if [ "$c" = 0 ] && [ "$before" != "$after" ]; then
	escape "EXT4_IOC_RESIZE_FS inside (write on one directory): the filesystem grew from $before to $after KiB"
elif [ "$u" != 0 ]; then
	pass "n/a: resize fails unconfined too (exit $u: $(cat /tmp/rtf2.out)); confined exit $c"
else
	pass "EXT4_IOC_RESIZE_FS inside: refused (exit $c: $(cat /tmp/rtf.out))"
fi

# --- Another user's encrypted directory.
id=$(/tests/bin/asuid 1000 $F fscrypt-setup /mnt/rtf/user 2> /tmp/rtf.err)
if [ -z "$id" ]; then
	pass "n/a: no fscrypt here ($(cat /tmp/rtf.err))"
else
	st=$($F fscrypt-status /mnt/rtf $id)
	expect_ok "uid 1000 reads its encrypted file" /tests/bin/asuid 1000 cat /mnt/rtf/user/secret
	echo "# uid 1000's key $id: status $st (2: present)"
	sync; echo 2 > /proc/sys/vm/drop_caches
	$S fscrypt-remove-all /mnt/rtf/rw $id > /tmp/rtf.out 2>&1; c=$?
	st2=$($F fscrypt-status /mnt/rtf $id)
	echo 2 > /proc/sys/vm/drop_caches
	/tests/bin/asuid 1000 cat /mnt/rtf/user/secret > /tmp/rtf2.out 2>&1; r=$?
	echo "# after the confined removal (exit $c: $(cat /tmp/rtf.out)): status $st2, uid 1000's read: exit $r $(cat /tmp/rtf2.out); names: $(ls /mnt/rtf/user)"
	if [ "$c" = 0 ] && [ "$st2" != "$st" ]; then
		escape "FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS inside (write on one directory): uid 1000's key removed (status $st -> $st2), its directory locked"
	else
		pass "removing another user's fscrypt key inside: refused (exit $c)"
	fi
fi

# --- Note: FITRIM.
$S fitrim /mnt/rtf/rw > /tmp/rtf.out 2>&1
echo "# note: FITRIM inside (write on one directory): exit $? $(cat /tmp/rtf.out)"

umount /mnt/rtf
finish
