#!/bin/sh
# Attack (route: a link or rename must not change what any file beneath the
# moved entry is granted). A tree reachable by two paths (an administrator's
# bind mount: /srv/al/b is /srv/al/a). The manifest grants write on
# /srv/al/b and read on /srv/al/a/pub: no secret of the tree is readable,
# by either path. A rename or link made through /srv/al/b is checked on
# /srv/al/b paths only (write -> write: nothing gained), but it moves the
# entry under /srv/al/a too, into /srv/al/a/pub, where it is readable.
# PASSES when every secret stays unreadable; FAILS when one is read.
. /tests/charter-test.sh
load_module

umount /srv/al/b 2>/dev/null
umount /srv/al 2>/dev/null
rm -rf /srv/al /opt/al && mkdir -p /srv/al /opt/al
mount -t tmpfs tmpfs /srv/al
mkdir -p /srv/al/a/pub /srv/al/a/sec /srv/al/b /srv/al/a/scratch
echo dir-secret > /srv/al/a/sec/s.txt
echo file-secret > /srv/al/a/f.txt
echo link-secret > /srv/al/a/l.txt
echo uring-secret > /srv/al/a/u.txt
echo public > /srv/al/a/pub/p.txt
mount -o bind /srv/al/a /srv/al/b || fail "bind mount"

cp /tests/bin/fileop /opt/al/fileop
cp /tests/bin/mvattack /opt/al/mvattack
for p in fileop mvattack; do
	cat > /opt/al/$p.yml <<YML
manifestVersion: v1
name: al-$p
run: ./$p
baseline: none
allowedDirectories:
  - {name: alias, path: /srv/al/b, permission: write}
  - {name: pub, path: /srv/al/a/pub, permission: read}
YML
done
expect_ok "load" charter load --allow-unsigned /opt/al/fileop.yml /opt/al/mvattack.yml
F=/opt/al/fileop
M=/opt/al/mvattack

# Outside every domain: a rename through the bind mount moves the entry
# under both paths (what the attack relies on).
mv /srv/al/b/scratch /srv/al/b/pub/scratch && [ -d /srv/al/a/pub/scratch ] ||
	fail "unconfined: rename through the bind mount did not show under /srv/al/a"
mv /srv/al/b/pub/scratch /srv/al/b/scratch
pass "unconfined: a rename through /srv/al/b moves the entry under /srv/al/a"

# The manifest as intended.
expect_ok "read in pub" $F read /srv/al/a/pub/p.txt
expect_ok "write in the alias" $F write /srv/al/b/new.txt x
for s in /srv/al/a/sec/s.txt /srv/al/b/sec/s.txt /srv/al/a/f.txt /srv/al/b/f.txt \
	 /srv/al/a/l.txt /srv/al/b/l.txt /srv/al/a/u.txt; do
	expect_errno "no read of $s" $EACCES $F read $s
done

escapes=0
# attempt DESC SECRET-AFTER CMD...: the move, then a read where it lands.
attempt() {
	desc=$1 after=$2
	shift 2
	"$@" > /tmp/al.out 2>&1
	rc=$?
	if $F read "$after" > /tmp/al.read 2>&1; then
		echo "ESCAPE: $desc: move exit $rc, then read $after: $(cat /tmp/al.read)"
		escapes=$((escapes + 1))
	else
		pass "$desc: move exit $rc, secret unreadable"
	fi
}
attempt "rename of a directory through the alias" /srv/al/a/pub/sec/s.txt \
	$F rename /srv/al/b/sec /srv/al/b/pub/sec
attempt "rename of a file through the alias" /srv/al/a/pub/f.txt \
	$F rename /srv/al/b/f.txt /srv/al/b/pub/f.txt
attempt "hard link through the alias" /srv/al/a/pub/l.txt \
	$F link /srv/al/b/l.txt /srv/al/b/pub/l.txt
attempt "io_uring rename through the alias" /srv/al/a/pub/u.txt \
	$M uring-rename /srv/al/b/u.txt /srv/al/b/pub/u.txt

cd /
umount /srv/al/b
umount /srv/al
[ $escapes -eq 0 ] || fail "$escapes secret(s) read after a move through a bind mount"
pass "no secret read"
