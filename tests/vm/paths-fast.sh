#!/bin/sh
# fs.c names a file by following d_parent up to its mount's root and
# copying names forward, asking d_absolute_path() only for the mount's
# root; it must name every file exactly as d_absolute_path() does. With
# verify_paths=1 the module names each path both ways and warns (a
# WARNING fails the test) on a difference. Paths here: deep ones (past
# the fast walk's 32 components), long names (kept outside the dentry),
# bind mounts, a tmpfs mounted below /srv, an overlay, a chroot, files
# created, and a directory renamed over and over while a confined program
# reads beneath it. Decisions must be the manifest's throughout.
# vm-modules: overlay
. /tests/charter-test.sh

rm -rf /opt/pf /srv/pf /mnt/pf
mkdir -p /opt/pf /srv/pf /mnt/pf
cp /tests/bin/fileop /opt/pf/fileop
cat > /opt/pf/pf.yml <<'YML'
manifestVersion: v1
name: pf
run: ./fileop
allowedDirectories:
  - {name: pf, path: /srv/pf, permission: readWrite}
  - {name: bind, path: /mnt/pf/bind, permission: read}
  - {name: long, path: /mnt/pf/l*, permission: read}
YML
load_module verify_paths=1
[ "$(cat /sys/module/charter/parameters/verify_paths)" = Y ] || fail "verify_paths is off"
charter load --allow-unsigned /opt/pf/pf.yml > /tmp/pf.out 2>&1 || fail "load: $(cat /tmp/pf.out)"

# Deep: 40 components under /srv/pf.
deep=/srv/pf
i=0
while [ $i -lt 40 ]; do deep=$deep/d$i; i=$((i + 1)); done
mkdir -p $deep && echo x > $deep/f
expect_ok "a file 42 components deep" /opt/pf/fileop read $deep/f
echo y > /srv/pf/d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/f2
expect_ok "a file 12 components deep" /opt/pf/fileop read /srv/pf/d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/f2

# Long names: stored outside the dentry.
long=/srv/pf/a-directory-name-longer-than-any-inline-dentry-name-$(printf %0100d 0)
mkdir -p $long && echo x > $long/another-file-name-longer-than-forty-bytes-to-be-external
expect_ok "long names" /opt/pf/fileop read $long/another-file-name-longer-than-forty-bytes-to-be-external

# A tmpfs mounted below /srv/pf: the mount's root named by the kernel.
mkdir -p /srv/pf/mnt && mount -t tmpfs pf /srv/pf/mnt || fail "mount tmpfs"
mkdir -p /srv/pf/mnt/x && echo x > /srv/pf/mnt/x/f
expect_ok "a file on a tmpfs mounted below" /opt/pf/fileop read /srv/pf/mnt/x/f
expect_ok "a file created there" /opt/pf/fileop write /srv/pf/mnt/x/new hello

# A bind mount of a subdirectory: the path is the bind's.
mkdir -p /srv/secret-pf/sub /mnt/pf/bind && echo s > /srv/secret-pf/sub/f
mount --bind /srv/secret-pf/sub /mnt/pf/bind || fail "bind mount"
expect_ok "through a bind mount" /opt/pf/fileop read /mnt/pf/bind/f
expect_errno "the bind's source is not granted" $EACCES /opt/pf/fileop read /srv/secret-pf/sub/f
mkdir -p /mnt/pf/longbind-$(printf %060d 0)
mount --bind /srv/secret-pf /mnt/pf/longbind-$(printf %060d 0) || fail "bind mount 2"
expect_ok "a bind with a long name" /opt/pf/fileop read /mnt/pf/longbind-$(printf %060d 0)/sub/f

# An overlay: the overlay's paths.
modprobe overlay || fail "modprobe overlay"
mkdir -p /srv/pf/ov/lower /srv/pf/ov/upper /srv/pf/ov/work /srv/pf/ov/merged
echo o > /srv/pf/ov/lower/f
mount -t overlay ov -o lowerdir=/srv/pf/ov/lower,upperdir=/srv/pf/ov/upper,workdir=/srv/pf/ov/work /srv/pf/ov/merged ||
	fail "overlay"
expect_ok "through an overlay" /opt/pf/fileop read /srv/pf/ov/merged/f
expect_ok "written through an overlay" /opt/pf/fileop write /srv/pf/ov/merged/g hi

# A chroot: paths from the namespace's root, not the chroot's.
mkdir -p /srv/pf/jail/bin /srv/pf/jail/srv/pf
cp /opt/pf/fileop /srv/pf/jail/bin/fileop
echo j > /srv/pf/jail/srv/pf/f
expect_ok "in a chroot, a path granted as the namespace names it" chroot /srv/pf/jail /bin/fileop read /srv/pf/f

# Renames while a confined program reads beneath: each name either way.
mkdir -p /srv/pf/r/a/b && echo r > /srv/pf/r/a/b/f
( i=0; while [ $i -lt 300 ]; do mv /srv/pf/r/a /srv/pf/r/c; mv /srv/pf/r/c /srv/pf/r/a; i=$((i + 1)); done ) &
mover=$!
i=0
while [ $i -lt 200 ]; do
	/opt/pf/fileop read /srv/pf/r/a/b/f > /dev/null 2>&1
	i=$((i + 1))
done
wait $mover
pass "200 reads while the directory above moved 600 times"

# The name of a mount's root is remembered per CPU (fs.c) while no mount
# and no rename happened: named once, then the mount moves or a
# directory above it is renamed, and the next decision must use the new
# name. Granted at /srv/pf/mv/..., refused once it lies elsewhere.
mkdir -p /srv/pf/mv /mnt/pf/away/in /mnt/pf/above/m
mount -t tmpfs pfmv /srv/pf/mv || fail "mount tmpfs pfmv"
echo m > /srv/pf/mv/f
expect_ok "a file on a mount, its root's name remembered" /opt/pf/fileop read /srv/pf/mv/f
expect_ok "again, from the cache" /opt/pf/fileop read /srv/pf/mv/f
mount --move /srv/pf/mv /mnt/pf/away/in || fail "mount --move"
expect_errno "the mount moved where nothing is granted" $EACCES /opt/pf/fileop read /mnt/pf/away/in/f
mount --move /mnt/pf/away/in /srv/pf/mv || fail "mount --move back"
expect_ok "moved back" /opt/pf/fileop read /srv/pf/mv/f
mkdir -p /srv/pf/up/m
mount -t tmpfs pfup /srv/pf/up/m || fail "mount tmpfs pfup"
echo u > /srv/pf/up/m/f
expect_ok "a file on a mount below /srv/pf/up" /opt/pf/fileop read /srv/pf/up/m/f
mv /srv/pf/up /mnt/pf/above/up || fail "rename the mount's parent away"
expect_errno "the directory above the mount renamed away" $EACCES /opt/pf/fileop read /mnt/pf/above/up/m/f
mv /mnt/pf/above/up /srv/pf/up || fail "rename it back"
expect_ok "renamed back" /opt/pf/fileop read /srv/pf/up/m/f
umount /srv/pf/mv /srv/pf/up/m

umount /srv/pf/ov/merged /mnt/pf/longbind-$(printf %060d 0) /mnt/pf/bind /srv/pf/mnt
dmesg | grep -q "charter: path named" && fail "a path named otherwise: $(dmesg | grep 'charter: path named' | head -n 3)"
pass "every path named as d_absolute_path() names it"
rmmod charter || fail "rmmod charter"
# The suite's guests load the module with verify_paths=1 (scripts/vm.sh):
# every test checks the fast way, if modprobe reads /etc/modprobe.d.
load_module
[ "$(cat /sys/module/charter/parameters/verify_paths)" = Y ] ||
	fail "modprobe did not apply /etc/modprobe.d/charter-tests.conf"
pass "every test of this guest names its paths both ways"
rmmod charter || fail "rmmod charter"
rm -rf /srv/pf /srv/secret-pf /mnt/pf /opt/pf
