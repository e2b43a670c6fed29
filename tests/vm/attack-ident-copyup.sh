#!/bin/sh
# vm-modules: overlay
# Attack (route: the digest cache and the hash behind it, kmod/ident.c):
# an overlay copied up while exec hashes its file. The exec opened the
# lower file, a manifested program; its code is mapped from that lower
# file (ovl_mmap uses the real file the overlay file was opened on). A
# chmod through the overlay copies the file up meanwhile (no write open,
# so exec's deny_write_access does not stop it), and from then on every
# read of the overlay file, the hash's and binfmt's, goes to the upper
# copy, which the attacker writes directly (its own i_writecount): its
# last byte changed. The digest, of the lower file's first part and the
# upper file's rest, names no manifest, and ident.c returns it (it only
# declines to cache it): the manifested bytes would run free. cumark
# prints a string from its mapped image, so the output shows which copy
# ran: ORIGINAL (the lower file's) must be confined. PASSES when every
# run of the original bytes is refused the secret.
. /tests/charter-test.sh
load_module
modprobe overlay || fail "modprobe overlay"

rm -rf /opt/cu /srv/cu /tmp/cu && mkdir -p /opt/cu /srv/cu /tmp/cu
echo cu-secret > /srv/cu/secret
# 24 MiB: the hash takes long enough for a copy-up to land inside it.
cp /tests/bin/cumark /opt/cu/app
dd if=/dev/zero bs=1M count=24 >> /opt/cu/app 2>/dev/null
printf 'manifestVersion: v1\nname: cu-app\nrun: ./app\nbaseline: none\n' > /opt/cu/app.yml
expect_ok "load" charter load --allow-unsigned /opt/cu/app.yml
expect_errno "the manifested program is confined" $EACCES /opt/cu/app run /srv/cu/secret

fresh() {
	umount /tmp/cu/m 2>/dev/null
	rm -rf /tmp/cu/l /tmp/cu/u /tmp/cu/w
	mkdir -p /tmp/cu/l /tmp/cu/u /tmp/cu/w /tmp/cu/m
	cp /opt/cu/app /tmp/cu/l/app
	mount -t overlay overlay -o lowerdir=/tmp/cu/l,upperdir=/tmp/cu/u,workdir=/tmp/cu/w /tmp/cu/m ||
		fail "mount overlay"
}

# Without a race: the overlay's lower file is the program (confined); a
# patched upper copy is another program (runs free, its own mark).
fresh
expect_errno "overlay, not copied up: confined" $EACCES /tmp/cu/m/app run /srv/cu/secret
chmod 755 /tmp/cu/m/app || fail "copy-up by chmod"
/tests/bin/cumark patch /tmp/cu/u/app || fail "patch the upper file"
out=$(/tmp/cu/m/app run /srv/cu/secret 2>&1) || fail "the patched copy: $out"
case "$out" in *PATCHED*cu-secret*) ;; *) fail "the patched copy: $out" ;; esac
pass "copied up and patched before exec: another program, free (legitimate)"

# The race: exec, then copy-up and patch while it hashes.
escaped=0
for delay in 0 0.2 0.5 1 1.5 2 3; do
	fresh
	/tmp/cu/m/app run /srv/cu/secret > /tmp/cu/out 2>&1 &
	pid=$!
	[ "$delay" = 0 ] || sleep $delay
	chmod 755 /tmp/cu/m/app || fail "copy-up by chmod"
	/tests/bin/cumark patch /tmp/cu/u/app || fail "patch the upper file"
	wait $pid
	rc=$?
	out=$(tr '\n' ' ' < /tmp/cu/out)
	echo "delay $delay: exit $rc: $out"
	case "$rc $out" in
	"0 "*ORIGINAL*cu-secret*) escaped=1; echo "ESCAPE at delay $delay" ;;
	esac
done
# The same with a program of ordinary size (no padding): the window is
# exec's open to the end of its hash, narrow here; the patch is made by a
# copy of cumark of another digest (cumark itself is now manifested).
cp /tests/bin/cumark /opt/cu/small
cp /tests/bin/cumark /tmp/cu/cumark-free && echo >> /tmp/cu/cumark-free
printf 'manifestVersion: v1\nname: cu-small\nrun: ./small\nbaseline: none\n' > /opt/cu/small.yml
expect_ok "load" charter load --allow-unsigned /opt/cu/app.yml /opt/cu/small.yml
expect_errno "the small manifested program is confined" $EACCES /opt/cu/small run /srv/cu/secret
for delay in 0 0 0.01 0.02 0.05 0.1; do
	umount /tmp/cu/m 2>/dev/null
	rm -rf /tmp/cu/l /tmp/cu/u /tmp/cu/w
	mkdir -p /tmp/cu/l /tmp/cu/u /tmp/cu/w /tmp/cu/m
	cp /opt/cu/small /tmp/cu/l/app
	mount -t overlay overlay -o lowerdir=/tmp/cu/l,upperdir=/tmp/cu/u,workdir=/tmp/cu/w /tmp/cu/m ||
		fail "mount overlay"
	/tmp/cu/m/app run /srv/cu/secret > /tmp/cu/out 2>&1 &
	pid=$!
	[ "$delay" = 0 ] || sleep $delay
	chmod 755 /tmp/cu/m/app || fail "copy-up by chmod"
	# ETXTBSY: the exec opened the upper copy (it came first): a miss.
	/tmp/cu/cumark-free patch /tmp/cu/u/app
	p=$?
	wait $pid
	rc=$?
	out=$(tr '\n' ' ' < /tmp/cu/out)
	echo "small, delay $delay: patch $p, exit $rc: $out"
	case "$rc $out" in
	"0 "*ORIGINAL*cu-secret*) escaped=1; echo "ESCAPE (small) at delay $delay" ;;
	esac
done
umount /tmp/cu/m
[ $escaped = 0 ] || fail "ESCAPE: the manifested program's bytes ran free (copy-up during the hash)"
pass "no run of the original bytes escaped"
rm -rf /opt/cu /srv/cu /tmp/cu
