#!/bin/sh
# Attack (route: a mount root's name remembered per CPU, kmod/fs.c
# charter_mount_root_name(); red team of issue 17). A long-lived confined
# program (cwd or paths on a mount) has the mount's root name remembered,
# then from outside: a lazy umount of the mount it stands in, mount --move
# and a rename of a directory above it (relative opens through the cwd),
# umount + mount elsewhere many times (the new mount may take the freed
# one's address), bind mounts of bind mounts, a private mount namespace
# made by an unconfined parent, both CPUs. The module runs with
# verify_paths=1 (every test guest): a fast name that differs from d_absolute_path() is a
# WARNING, checked at the end. PASSES when every open is judged by where
# the file lies now; FAILS (ESCAPE lines) otherwise.
. /tests/attack.sh
. /tests/cacheop.sh
load_module

D=/opt/mn S=/srv/mn M=/mnt/mn
for m in $S/lazy $S/mv $M/mv $S/up/m $M/up/m $S/r $M/r $M/b2 $M/b1; do umount -l $m 2>/dev/null; done
rm -rf $D $S $M && mkdir -p $D $S/lazy $S/mv $S/up/m $S/r $S/data $M/mv $M/r $M/b1 $M/b2 $M/up
echo d > $S/data/f
unique /tests/bin/cacheop $D/app
manifest $D app app "  - {name: s, path: $S, permission: read}"
charter load --allow-unsigned $D/app.yml > /dev/null || fail "load"

on_both() { # DESC allowed|refused CMD
	for cpu in 0 1; do
		co "cpu $cpu" > /dev/null
		co_$2 "$1 (cpu $cpu)" "$3"
	done
}

# 0. Sanity: outside a domain, a lazily unmounted cwd is still readable.
mount -t tmpfs mnlazy $S/lazy && echo l > $S/lazy/f
co_start /tests/bin/cacheop
co_allowed "unconfined: cd into the mount" "cd $S/lazy"
umount -l $S/lazy
co_allowed "unconfined: read through the cwd after umount -l" "r f"
co_stop

# 1. Lazy umount of the mount the confined program stands in.
mount -t tmpfs mnlazy $S/lazy && echo l > $S/lazy/f
co_start $D/app
co_allowed "cd into the mount" "cd $S/lazy"
on_both "read through the cwd" allowed "r f"
umount -l $S/lazy
on_both "after umount -l (no name: nothing granted)" refused "r f"
co_stop

# 2. mount --move of the mount it stands in, and back.
mount -t tmpfs mnmv $S/mv && echo m > $S/mv/f
co_start $D/app
co_allowed "cd into the mount" "cd $S/mv"
on_both "read through the cwd" allowed "r f"
mount --move $S/mv $M/mv || fail "mount --move"
on_both "moved where nothing is granted" refused "r f"
mount --move $M/mv $S/mv || fail "mount --move back"
on_both "moved back" allowed "r f"
co_stop
umount $S/mv

# 3. A rename of a directory above the mount it stands in.
mount -t tmpfs mnup $S/up/m && echo u > $S/up/m/f
co_start $D/app
co_allowed "cd into the mount" "cd $S/up/m"
on_both "read through the cwd" allowed "r f"
mv $S/up $M/up/x || fail "rename away"
on_both "the directory above renamed away" refused "r f"
mv $M/up/x $S/up || fail "rename back"
on_both "renamed back" allowed "r f"
co_stop
umount $S/up/m

# 4. umount, then a mount elsewhere (it may reuse the freed address).
co_start $D/app
i=0
while [ $i -lt 25 ]; do
	mount -t tmpfs mnr $S/r && echo r > $S/r/f
	co "cpu $((i % 2))" > /dev/null
	a=$(co "r $S/r/f"); [ "$a" = 0 ] || fail "round $i: granted mount: $a"
	umount $S/r
	mount -t tmpfs mnr $M/r && echo r > $M/r/f
	a=$(co "r $M/r/f"); [ "$a" = 13 ] || escape "round $i: a new mount elsewhere read: $a"
	co "cpu $(((i + 1) % 2))" > /dev/null
	a=$(co "r $M/r/f"); [ "$a" = 13 ] || escape "round $i: other cpu: $a"
	umount $M/r
	i=$((i + 1))
done
pass "25 rounds of umount + mount elsewhere"
co_stop

# 5. Bind mounts of bind mounts of a granted tree, outside the grant.
mount --bind $S/data $M/b1 && mount --bind $M/b1 $M/b2 || fail "bind"
co_start $D/app
for k in 1 2 3; do
	on_both "granted tree ($k)" allowed "r $S/data/f"
	on_both "its bind mount ($k)" refused "r $M/b1/f"
	on_both "a bind of the bind ($k)" refused "r $M/b2/f"
done
umount $M/b2
on_both "the bind unmounted above it" refused "r $M/b1/f"
co_stop
umount $M/b1

# 6. A private mount namespace made by an unconfined parent: the mount
# moved and unmounted there while the confined program stands in it.
cat > /tmp/mn-ns.sh <<EOS
mount --make-rprivate /
mount -t tmpfs mnns $S/mv && echo n > $S/mv/f
. /tests/attack.sh
. /tests/cacheop.sh
co_start $D/app
co_allowed "ns: cd into the mount" "cd $S/mv"
co_allowed "ns: read" "r f"
mount --move $S/mv $M/mv || fail "ns: move"
a=\$(co "r f"); [ "\$a" = 13 ] || escape "ns: moved away, read: \$a"
umount -l $M/mv
a=\$(co "r f"); [ "\$a" = 13 ] || escape "ns: lazily unmounted, read: \$a"
co_stop
finish
EOS
unshare -m sh /tmp/mn-ns.sh || escape "in a private mount namespace"

dmesg | grep -q "charter: path named" && escape "a path named otherwise: $(dmesg | grep 'charter: path named' | head -n 3)"
dmesg | grep -q "WARNING" && escape "a kernel WARNING: $(dmesg | grep -A3 WARNING | head -n 8)"
finish
