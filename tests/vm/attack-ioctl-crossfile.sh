#!/bin/sh
# vm-modules: loop btrfs ext4 crc32c_generic xxhash_generic blake2b_generic
# vm-modules: sha512_generic ecb xts cts
# vm-programs: /usr/sbin/mkfs.btrfs
# Attack (route: the ioctl hook, kernel.c charter_hook_file_ioctl(), fs.c
# charter_check_fs_ioctl()). In a domain an ioctl of a file or directory
# needs write on the path of the descriptor it is made on, unless it only
# reads (charter_fs_ioctl_reads) or reaches past the file
# (charter_fs_wide_ioctls: refused). Write on a path is not read, and the
# descriptor an ioctl is made on is not always the file it acts on. A
# confined root (CAP_SYS_ADMIN) with readWrite on one directory and write
# only on another (a drop box) of a filesystem tries:
#   btrfs ENCODED_READ (_IOR(0x94, 64)) of a file it opened O_WRONLY in
#     the drop box: the ioctl reads the file's data and checks no
#     FMODE_READ, and Charter asks write of it;
#   the same through io_uring (IORING_OP_URING_CMD, cmd_op ENCODED_READ:
#     btrfs has ->uring_cmd since 6.12): no ioctl hook on that route;
#   FIDEDUPERANGE from a file of its own to a file outside the manifest,
#     held by a descriptor opened with O_ACCMODE 3 (neither read nor write,
#     which file_open lets through: "O_PATH and friends ask for nothing"):
#     the ioctl's descriptor is the source (write: granted), the
#     destination is in the argument; with CAP_SYS_ADMIN the kernel dedupes
#     into a file not open for writing. It tells whether the secret's bytes
#     equal a guess (a PIN found in 100 tries) and makes the secret share
#     its extents with the program's file;
#   btrfs INO_PATHS (_IOWR(0x94, 35), CAP_DAC_READ_SEARCH): the names of
#     every inode of the subvolume by number, those of a directory it may
#     not list included;
#   FS_IOC_REMOVE_ENCRYPTION_KEY ('f', 24) of a v1 key (a descriptor: only
#     root may, and no user claims it): wipes the key for every user and
#     locks a directory outside the manifest; only _ALL_USERS ('f', 25) is
#     in charter_fs_wide_ioctls;
#   FIDEDUPERANGE into a file it may only read, opened O_RDONLY (after
#     open(path, 3) was judged as read and write): its extents change.
# ESCAPE when the confined call works. Each attack is made outside a
# domain first, where it must work (n/a when the kernel lacks the route).
# All but io_uring (no such route in 6.1 or 6.12.117) worked when first
# run (red team). Now: an ioctl that is no reader needs read and write
# on its file's path; open(path, 3) is judged as read and write (fs.c
# charter_open_access()); FIDEDUPERANGE, INO_PATHS and
# REMOVE_ENCRYPTION_KEY are in charter_fs_wide_ioctls.
. /tests/attack.sh
load_module
modprobe loop || fail "modprobe loop"
for m in crc32c_generic xxhash_generic blake2b_generic sha512_generic ecb xts cts; do
	modprobe $m 2>/dev/null
done
F=/tmp/ic-free

mkdir -p /opt/ic
cp /tests/bin/ioctlatk /opt/ic/ioctlatk
unique /tests/bin/ioctlatk $F
S=/opt/ic/ioctlatk
manifest /opt/ic ic ioctlatk "  - {name: bt, path: /mnt/bt/rw, permission: readWrite}
  - {name: btdrop, path: /mnt/bt/drop, permission: write}
  - {name: btro, path: /mnt/bt/ro, permission: read}
  - {name: ex, path: /mnt/ex/rw, permission: readWrite}"
expect_ok "load" charter load --allow-unsigned /opt/ic/ic.yml

# dots N: N dots, no newline.
dots() { head -c "$1" /dev/zero | tr '\0' .; }

if have_fs btrfs; then
	rm -rf /mnt/bt && mkdir -p /mnt/bt
	truncate -s 400M /tmp/ic-bt.img
	mkfs.btrfs -q -f -b 256M /tmp/ic-bt.img > /tmp/ic.out 2>&1 || fail "mkfs.btrfs: $(cat /tmp/ic.out)"
	# No inline data: every file has an extent of its own to share.
	mount -t btrfs -o loop,max_inline=0 /tmp/ic-bt.img /mnt/bt || fail "mount btrfs"
	mkdir /mnt/bt/rw /mnt/bt/drop /mnt/bt/secret /mnt/bt/ro
	echo DROPBOX-LETTER-6502 > /mnt/bt/drop/letter
	{ printf 'PIN=42'; dots 4090; } > /mnt/bt/secret/pin
	{ printf 'PIN=17'; dots 4090; } > /mnt/bt/secret/ctl
	{ printf 'PIN=33'; dots 4090; } > /mnt/bt/ro/pin
	sync
	expect_errno "the drop box's letter is not readable inside" $EACCES $S cat /mnt/bt/drop/letter
	expect_errno "the secret directory is not listable inside" $EACCES $S cat /mnt/bt/secret
	expect_errno "the secret is not readable inside" $EACCES $S cat /mnt/bt/secret/pin

	# ENCODED_READ of a file open for writing only.
	$F encread /mnt/bt/drop/letter w 2> /tmp/ic.err | grep -q DROPBOX-LETTER-6502 ||
		fail "ENCODED_READ outside (O_WRONLY) read nothing: $(cat /tmp/ic.err)"
	pass "ENCODED_READ outside, O_WRONLY: reads the letter"
	no_leak "ENCODED_READ inside of the drop box's letter, opened O_WRONLY" DROPBOX-LETTER-6502 \
		$S encread /mnt/bt/drop/letter w
	no_leak "ENCODED_READ inside of the secret, opened with mode 3" PIN=42 \
		$S encread /mnt/bt/secret/pin 3

	# The same through io_uring.
	if $F encread-uring /mnt/bt/drop/letter w 2> /tmp/ic.err | grep -q DROPBOX-LETTER-6502; then
		pass "io_uring ENCODED_READ outside, O_WRONLY: reads the letter"
		no_leak "io_uring ENCODED_READ inside of the drop box's letter, O_WRONLY" DROPBOX-LETTER-6502 \
			$S encread-uring /mnt/bt/drop/letter w
		no_leak "io_uring ENCODED_READ inside of the secret, mode 3" PIN=42 \
			$S encread-uring /mnt/bt/secret/pin 3
	else
		pass "n/a: no btrfs ENCODED_READ through io_uring here ($(cat /tmp/ic.err))"
	fi

	# FIDEDUPERANGE into a mode-3 descriptor: an oracle and a change.
	out=$($F dedupe /mnt/bt/rw/guess-ctl /mnt/bt/secret/ctl 'PIN=##' 2>&1) ||
		fail "FIDEDUPERANGE outside found nothing: $out"
	case $out in "same: PIN=17"*) ;; *) fail "FIDEDUPERANGE outside: $out" ;; esac
	[ "$($F shared /mnt/bt/secret/ctl)" = shared ] || fail "FIDEDUPERANGE outside shared nothing"
	pass "FIDEDUPERANGE outside: $out, the extent is shared"
	[ "$($F shared /mnt/bt/secret/pin)" = exclusive ] || fail "the secret shares an extent already"
	no_leak "FIDEDUPERANGE inside, from rw into the secret opened with mode 3" "same: PIN=42" \
		$S dedupe /mnt/bt/rw/guess /mnt/bt/secret/pin 'PIN=##'
	echo "# the confined dedupe said: $(cat /tmp/refused.out)"
	if [ "$($F shared /mnt/bt/secret/pin)" = shared ]; then
		escape "FIDEDUPERANGE inside changed /mnt/bt/secret/pin: its extent is now shared with /mnt/bt/rw/guess"
	fi

	# FIDEDUPERANGE into a file it may only read, opened O_RDONLY: the
	# oracle tells nothing it could not read, but its extents change.
	refused "FIDEDUPERANGE inside, from rw into ro/pin opened O_RDONLY" $EPERM \
		$S dedupe-ro /mnt/bt/rw/guess-ro /mnt/bt/ro/pin 'PIN=##'
	if [ "$($F shared /mnt/bt/ro/pin)" = shared ]; then
		escape "FIDEDUPERANGE inside changed /mnt/bt/ro/pin (read only): its extent is now shared"
	fi

	# INO_PATHS: the names of a directory not to be listed.
	$F ino-paths /mnt/bt 256 400 > /tmp/ic.out 2>&1
	grep -q "secret/pin" /tmp/ic.out || fail "INO_PATHS outside named nothing: $(cat /tmp/ic.out)"
	pass "INO_PATHS outside names $(grep -c . /tmp/ic.out) inodes"
	no_leak "INO_PATHS inside (on rw) for the names in /mnt/bt/secret" "secret/pin" \
		$S ino-paths /mnt/bt/rw 256 400

	umount /mnt/bt
	rm -f /tmp/ic-bt.img
fi

# FS_IOC_REMOVE_ENCRYPTION_KEY of a v1 key.
modprobe ext4 || fail "modprobe ext4"
ext4_mount /tmp/ic-ex.img /mnt/ex 4096
mkdir -p /mnt/ex/rw /mnt/ex/enc
status() { $F fscrypt-v1-status /mnt/ex; }
if ! $F fscrypt-v1-setup /mnt/ex/enc > /tmp/ic.err 2>&1; then
	pass "n/a: no fscrypt v1 here ($(cat /tmp/ic.err))"
else
	[ "$(cat /mnt/ex/enc/secret)" = cleartext ] || fail "the encrypted file does not read"
	[ "$(status)" = 2 ] || fail "the v1 key is not present: $(status)"
	expect_ok "REMOVE_ENCRYPTION_KEY (v1) outside" $F fscrypt-v1-remove /mnt/ex
	echo 2 > /proc/sys/vm/drop_caches
	[ "$(status)" != 2 ] || fail "REMOVE_ENCRYPTION_KEY outside left the key"
	[ ! -e /mnt/ex/enc/secret ] || fail "REMOVE_ENCRYPTION_KEY outside left the directory unlocked"
	pass "REMOVE_ENCRYPTION_KEY outside locked /mnt/ex/enc (status $(status)): $(ls /mnt/ex/enc)"
	expect_ok "the v1 key added again" $F fscrypt-v1-add /mnt/ex
	[ "$(cat /mnt/ex/enc/secret)" = cleartext ] || fail "the encrypted file does not read again"

	st=$(status)
	refused "REMOVE_ENCRYPTION_KEY (v1) inside, on rw" $EPERM,$EACCES $S fscrypt-v1-remove /mnt/ex/rw
	echo 2 > /proc/sys/vm/drop_caches
	st2=$(status)
	if [ "$st2" != "$st" ] || [ ! -e /mnt/ex/enc/secret ]; then
		escape "REMOVE_ENCRYPTION_KEY inside wiped the v1 key for everyone (status $st -> $st2), /mnt/ex/enc locked: $(ls /mnt/ex/enc)"
		$F fscrypt-v1-add /mnt/ex
	fi
fi
umount /mnt/ex
rm -f /tmp/ic-ex.img
finish
