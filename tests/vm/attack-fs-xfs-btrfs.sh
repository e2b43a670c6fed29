#!/bin/sh
# vm-modules: loop btrfs xfs crc32c_generic xxhash_generic blake2b_generic
# vm-programs: /usr/sbin/mkfs.btrfs /usr/sbin/mkfs.xfs
# Attack (route: the ioctl hook, kernel.c charter_hook_file_ioctl(), fs.c
# charter_check_fs_ioctl()). In a domain an ioctl of a file or directory
# that does more than read needs write on its path. XFS and btrfs have
# ioctls that reach past that file, and a confined root (CAP_SYS_ADMIN)
# that may write one directory of the filesystem makes them there:
#   btrfs TREE_SEARCH reads the raw metadata of the whole tree, where a
#     small file's data is stored inline: a secret outside the manifest;
#   btrfs RESIZE, DEFAULT_SUBVOL, QUOTA_CTL change the whole filesystem;
#   btrfs SNAP_DESTROY_V2 by id deletes any subvolume;
#   btrfs SNAP_CREATE_V2 snapshots the subvolume of a descriptor the
#     program inherited (but may not read through) into its directory;
#   XFS ATTRMULTI_BY_HANDLE sets extended attributes of any inode, with
#     no LSM hook on the way; OPEN_BY_HANDLE opens any inode;
#   XFS FSGROWFSDATA grows the filesystem.
# ESCAPE when the confined call works. Each attack is first made outside
# a domain, where it must work (else the test fails: it would prove
# nothing). fs.c charter_fs_wide_ioctls refuses them (EPERM). Beside them
# what stays allowed: a reader sharing a number with a refused writer
# (BTRFS_IOC_GET_FEATURES, _IOR(0x94, 57) beside SET_FEATURES, _IOW) and a
# subvolume made in the directory the program may write.
. /tests/attack.sh
load_module
modprobe loop || fail "modprobe loop"
for m in crc32c_generic xxhash_generic blake2b_generic; do modprobe $m 2>/dev/null; done
F=/tmp/fw-free

mkdir -p /opt/fw
cp /tests/bin/fswide /opt/fw/fswide
unique /tests/bin/fswide $F
S=/opt/fw/fswide
manifest /opt/fw fw fswide "  - {name: bt, path: /mnt/bt/rw, permission: readWrite}
  - {name: xf, path: /mnt/xf/rw, permission: readWrite}"
expect_ok "load" charter load --allow-unsigned /opt/fw/fw.yml

kib() { df -k "$1" | awk 'NR == 2 { print $2 }'; }

# confined DESC CMD...: the confined CMD must be refused with EPERM.
confined() {
	desc=$1
	shift
	refused "$desc" $EPERM "$@"
}

if have_fs btrfs; then
	rm -rf /mnt/bt && mkdir -p /mnt/bt
	truncate -s 400M /tmp/bt.img
	mkfs.btrfs -q -f -b 256M /tmp/bt.img > /tmp/fw.out 2>&1 || fail "mkfs.btrfs: $(cat /tmp/fw.out)"
	mount -t btrfs -o loop /tmp/bt.img /mnt/bt || fail "mount btrfs"
	mkdir /mnt/bt/rw /mnt/bt/secret
	echo BTRFS-TOPSECRET-4711 > /mnt/bt/secret/s
	for v in victim ctl vault dflt; do $F btrfs-subvol /mnt/bt $v || fail "subvolume $v"; done
	echo VAULT-SECRET-0815 > /mnt/bt/vault/v
	sync
	expect_errno "the secret is outside the manifest" 13 $S btrfs-features /mnt/bt/secret

	# TREE_SEARCH: inline data.
	expect_ok "TREE_SEARCH outside finds the secret" $F btrfs-search /mnt/bt BTRFS-TOPSECRET-4711
	confined "TREE_SEARCH inside (write on /mnt/bt/rw)" $S btrfs-search /mnt/bt/rw BTRFS-TOPSECRET-4711

	# RESIZE.
	before=$(kib /mnt/bt)
	confined "RESIZE inside" $S btrfs-resize /mnt/bt/rw 1:max
	[ "$(kib /mnt/bt)" = "$before" ] || escape "RESIZE inside: $before KiB became $(kib /mnt/bt)"
	expect_ok "RESIZE outside" $F btrfs-resize /mnt/bt 1:max
	[ "$(kib /mnt/bt)" != "$before" ] || fail "RESIZE outside did not grow $before KiB"

	# SNAP_DESTROY_V2 by id.
	vid=$($F btrfs-id /mnt/bt/victim) || fail "victim's id"
	cid=$($F btrfs-id /mnt/bt/ctl) || fail "ctl's id"
	confined "SNAP_DESTROY_V2 of subvolume $vid by id inside" $S btrfs-destroy-id /mnt/bt/rw $vid
	[ -d /mnt/bt/victim ] || escape "SNAP_DESTROY_V2 inside deleted /mnt/bt/victim"
	expect_ok "SNAP_DESTROY_V2 of subvolume $cid by id outside" $F btrfs-destroy-id /mnt/bt $cid
	[ ! -e /mnt/bt/ctl ] || fail "SNAP_DESTROY_V2 outside left /mnt/bt/ctl"

	# SNAP_CREATE_V2 of an inherited descriptor's subvolume.
	expect_errno "the vault is outside the manifest" 13 $S btrfs-features /mnt/bt/vault
	confined "SNAP_CREATE_V2 of an inherited vault into rw" $S btrfs-snap3 /mnt/bt/rw copy 3< /mnt/bt/vault
	[ ! -e /mnt/bt/rw/copy ] || escape "SNAP_CREATE_V2 inside copied the vault: $(cat /mnt/bt/rw/copy/v)"
	expect_ok "SNAP_CREATE_V2 outside" $F btrfs-snap3 /mnt/bt copy 3< /mnt/bt/vault
	[ -f /mnt/bt/copy/v ] || fail "SNAP_CREATE_V2 outside made no copy"

	# DEFAULT_SUBVOL and QUOTA_CTL.
	did=$($F btrfs-id /mnt/bt/dflt) || fail "dflt's id"
	confined "DEFAULT_SUBVOL inside" $S btrfs-default /mnt/bt/rw $did
	expect_ok "DEFAULT_SUBVOL outside" $F btrfs-default /mnt/bt $did
	expect_ok "DEFAULT_SUBVOL back" $F btrfs-default /mnt/bt 5
	confined "QUOTA_CTL enable inside" $S btrfs-quota /mnt/bt/rw 1
	expect_ok "QUOTA_CTL enable outside" $F btrfs-quota /mnt/bt 1
	expect_ok "QUOTA_CTL disable outside" $F btrfs-quota /mnt/bt 0

	confined "INO_LOOKUP inside (names any inode)" $S btrfs-id /mnt/bt/rw

	# What stays allowed.
	expect_ok "GET_FEATURES inside (number 57, a reader)" $S btrfs-features /mnt/bt/rw
	expect_ok "a subvolume made inside, in rw" $S btrfs-subvol /mnt/bt/rw mine
	expect_errno "a subvolume made inside, elsewhere" 13 $S btrfs-subvol /mnt/bt/secret mine
	umount /mnt/bt
	rm -f /tmp/bt.img
fi

if have_fs xfs; then
	rm -rf /mnt/xf && mkdir -p /mnt/xf
	truncate -s 600M /tmp/xf.img
	mkfs.xfs -q -f -d size=320m /tmp/xf.img > /tmp/fw.out 2>&1 || fail "mkfs.xfs: $(cat /tmp/fw.out)"
	mount -t xfs -o loop /tmp/xf.img /mnt/xf || fail "mount xfs"
	mkdir /mnt/xf/rw /mnt/xf/secret
	echo XFS-TOPSECRET-42 > /mnt/xf/secret/s
	expect_ok "a handle of the secret" $F xfs-handle /mnt/xf /mnt/xf/secret/s /opt/fw/xf.h

	# ATTRMULTI_BY_HANDLE.
	confined "ATTRMULTI_BY_HANDLE set inside" $S xfs-setattr /mnt/xf/rw /opt/fw/xf.h pwned 1
	if $F getxattr /mnt/xf/secret/s pwned > /dev/null 2>&1; then
		escape "ATTRMULTI_BY_HANDLE inside set user.pwned on /mnt/xf/secret/s"
	fi
	expect_ok "ATTRMULTI_BY_HANDLE set outside" $F xfs-setattr /mnt/xf /opt/fw/xf.h ok yes
	[ "$($F getxattr /mnt/xf/secret/s ok)" = yes ] || fail "ATTRMULTI_BY_HANDLE outside set nothing"

	# OPEN_BY_HANDLE.
	no_leak "OPEN_BY_HANDLE inside" XFS-TOPSECRET-42 $S xfs-open /mnt/xf/rw /opt/fw/xf.h
	$F xfs-open /mnt/xf /opt/fw/xf.h | grep -q XFS-TOPSECRET-42 || fail "OPEN_BY_HANDLE outside read nothing"

	# FSGROWFSDATA.
	before=$(kib /mnt/xf)
	confined "FSGROWFSDATA inside" $S xfs-grow /mnt/xf/rw 4096
	[ "$(kib /mnt/xf)" = "$before" ] || escape "FSGROWFSDATA inside: $before KiB became $(kib /mnt/xf)"
	expect_ok "FSGROWFSDATA outside" $F xfs-grow /mnt/xf 4096
	[ "$(kib /mnt/xf)" != "$before" ] || fail "FSGROWFSDATA outside did not grow $before KiB"
	umount /mnt/xf
	rm -f /tmp/xf.img
fi
finish
