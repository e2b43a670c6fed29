#!/bin/sh
# vm-modules: ext4 loop crc32c_generic
# Filesystem-wide ioctls a confined root can issue on any file it may only
# read (CAP_SYS_ADMIN, no LSM hook but file_ioctl, which Charter only
# checks for the inode flags): freezing the whole filesystem (FIFREEZE),
# shutting it down (EXT4_IOC_SHUTDOWN), relabelling it (FS_IOC_SETFSLABEL:
# what LABEL= in fstab mounts), and making a read-only file permanently
# unwritable (FS_IOC_ENABLE_VERITY, as chattr +i, which needs write).
. /tests/attack.sh
load_module

modprobe loop && modprobe crc32c_generic && modprobe ext4 || fail "modprobe ext4"
rm -rf /opt/fi && mkdir -p /opt/fi
cp /tests/bin/privop /opt/fi/privop
unique /tests/bin/privop /tmp/privop-free
manifest /opt/fi fi privop "  - {name: fs, path: /mnt/fi, permission: read}
  - {name: rw, path: /mnt/fi/rw, permission: readWrite}"
S=/opt/fi/privop
F=/tmp/privop-free

# An ext4 with extents and verity (4 KiB blocks), and one more to shut down.
for n in fi fi2; do
	dd if=/dev/zero of=/tmp/$n.img bs=1M count=16 2>/dev/null
	mke2fs -F -b 4096 /tmp/$n.img > /dev/null || fail "mke2fs"
	$F ext4-feature /tmp/$n.img 40 8000 || fail "set extents and verity"
	mkdir -p /mnt/$n && mount -t ext4 -o loop /tmp/$n.img /mnt/$n || fail "mount $n"
done
for f in ro rw v-out v-in; do echo data > /mnt/fi/$f; done
expect_ok "load" charter load --allow-unsigned /opt/fi/fi.yml

# Freeze: every write to the filesystem would block until a thaw.
expect_ok "FIFREEZE outside a domain" $F fsfreeze /mnt/fi
expect_ok "FITHAW outside a domain" $F fsthaw /mnt/fi
refused "FIFREEZE inside, on a directory it may only read" 1,13 $S fsfreeze /mnt/fi/ro ||
	$F fsthaw /mnt/fi
refused "FITHAW inside" 1,13 $S fsthaw /mnt/fi/ro

# The label (mount by LABEL=, /dev/disk/by-label).
expect_ok "FS_IOC_SETFSLABEL outside" $F setfslabel /mnt/fi outside
refused "FS_IOC_SETFSLABEL inside" 1,13 $S setfslabel /mnt/fi/ro pwned
[ "$($F getfslabel /mnt/fi)" = outside ] || escape "the label is now $($F getfslabel /mnt/fi)"

# fs-verity: the file can never be opened for writing again.
expect_ok "FS_IOC_ENABLE_VERITY outside" $F verity /mnt/fi/v-out
refused "FS_IOC_ENABLE_VERITY inside, on a file it may only read" 13,1 $S verity /mnt/fi/v-in
( echo more >> /mnt/fi/v-in ) 2>/dev/null || escape "v-in cannot be written any more"

# Shutdown: the filesystem is dead until unmounted.
expect_ok "EXT4_IOC_SHUTDOWN outside (on the other filesystem)" $F ext4-shutdown /mnt/fi2
( echo x > /mnt/fi2/after ) 2>/dev/null && fail "fi2 still writable after a shutdown"
refused "EXT4_IOC_SHUTDOWN inside" 1,13 $S ext4-shutdown /mnt/fi/ro
( echo x > /mnt/fi/after ) 2>/dev/null || escape "fi is shut down"

umount /mnt/fi2
umount /mnt/fi
finish
