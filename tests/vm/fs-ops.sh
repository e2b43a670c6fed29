#!/bin/sh
# Every filesystem operation, allowed where the manifest grants it and
# EACCES where it does not; and the usual escapes, tried and refused.
. /tests/charter-test.sh
load_module

# A tmpfs of its own (it supports trusted.* xattrs).
umount /srv/fo 2>/dev/null
rm -rf /srv/fo /opt/fo && mkdir -p /srv/fo /opt/fo
mount -t tmpfs tmpfs /srv/fo
mkdir -p /srv/fo/rw /srv/fo/ro/dd /srv/fo/x /srv/fo/none/srv/fo/ro /srv/fo/bind
for f in rw/f rw/f2 rw/a rw/b rw/x ro/f ro/y x/lib none/secret none/srv/fo/ro/f; do
	echo "$f" > /srv/fo/$f
done
cp /tests/bin/fileop /opt/fo/fileop
cat > /opt/fo/manifest.yml <<'YML'
manifestVersion: v1
name: fo
run: ./fileop
baseline: none
allowedDirectories:
  - {name: rw, path: /srv/fo/rw, permission: readWrite}
  - {name: ro, path: /srv/fo/ro, permission: read}
  - {name: x, path: /srv/fo/x, permission: readExecute}
YML
expect_ok "load" charter load --allow-unsigned /opt/fo/manifest.yml
F=/opt/fo/fileop
cd /srv/fo

both() { # OP ARGS-ALLOWED -- ARGS-DENIED
	op=$1; shift
	ok=""; while [ "$1" != -- ]; do ok="$ok $1"; shift; done; shift
	expect_ok "$op allowed" $F $op $ok
	expect_errno "$op denied" $EACCES $F $op "$@"
}

both create /srv/fo/rw/new -- /srv/fo/ro/new
[ ! -e /srv/fo/ro/new ] || fail "a denied create left a file"
both trunc-open /srv/fo/rw/f -- /srv/fo/ro/f
both truncate /srv/fo/rw/f -- /srv/fo/ro/f
# Since 6.2 these reach the file_truncate hook, not path_truncate.
both rdonly-trunc /srv/fo/rw/f -- /srv/fo/ro/f
[ -s /srv/fo/ro/f ] || fail "a refused open(O_RDONLY|O_TRUNC) emptied the file"
expect_ok "ftruncate allowed" $F ftruncate /srv/fo/rw/f
both append /srv/fo/rw/f x -- /srv/fo/ro/f x
both mkdir /srv/fo/rw/d -- /srv/fo/ro/d
both rmdir /srv/fo/rw/d -- /srv/fo/ro/dd
both unlink /srv/fo/rw/f2 -- /srv/fo/ro/f
both mkfifo /srv/fo/rw/p -- /srv/fo/ro/p
both symlink /srv/fo/rw/f /srv/fo/rw/l -- /srv/fo/rw/f /srv/fo/ro/l
both chmod /srv/fo/rw/f -- /srv/fo/ro/f
both chown /srv/fo/rw/f -- /srv/fo/ro/f
# Setting times writes metadata (judged at vfs_utimes()): trinity moved the times
# of a file outside its manifest through a symlink before it was checked.
both utimes /srv/fo/rw/f -- /srv/fo/ro/f
both touch-now /srv/fo/rw/f -- /srv/fo/ro/f
both futimens /srv/fo/rw/f -- /srv/fo/ro/f
ln -s /srv/fo/none/secret /srv/fo/rw/to-secret
before=$(stat -c %X.%Y /srv/fo/none/secret)
expect_errno "utimes through a symlink to a file outside the manifest" $EACCES \
	$F utimes /srv/fo/rw/to-secret
expect_errno "touch through it" $EACCES $F touch-now /srv/fo/rw/to-secret
[ "$(stat -c %X.%Y /srv/fo/none/secret)" = "$before" ] ||
	fail "a refused utimensat moved the times of a file outside the manifest"
both setxattr /srv/fo/rw/f -- /srv/fo/ro/f
both removexattr /srv/fo/rw/f -- /srv/fo/ro/f
# POSIX ACLs: since 6.2 the inode_set_acl and inode_remove_acl hooks.
both setfacl /srv/fo/rw/f -- /srv/fo/ro/f
both removefacl /srv/fo/rw/f -- /srv/fo/ro/f
both mmap-exec /srv/fo/x/lib -- /srv/fo/ro/f
both mprotect-exec /srv/fo/x/lib -- /srv/fo/ro/f
both rename /srv/fo/rw/a /srv/fo/rw/a2 -- /srv/fo/rw/b /srv/fo/ro/b
both exchange /srv/fo/rw/a2 /srv/fo/rw/b -- /srv/fo/rw/x /srv/fo/ro/y

# Escapes.
both link /srv/fo/rw/f /srv/fo/rw/hl -- /srv/fo/none/secret /srv/fo/rw/stolen
[ ! -e /srv/fo/rw/stolen ] || fail "hard link of a secret created"
expect_errno "hard link of a read-only file into a writable place" $EACCES $F link /srv/fo/ro/f /srv/fo/rw/w
expect_errno "rename a secret in" $EACCES $F rename /srv/fo/none/secret /srv/fo/rw/s
expect_errno "rename out of a read-only place" $EACCES $F rename /srv/fo/ro/f /srv/fo/rw/g
expect_ok "chroot keeps absolute paths" $F chroot /srv/fo /ro/f
expect_errno "chroot cannot make /srv/fo/none/srv/fo/ro look like /srv/fo/ro" $EACCES \
	$F chroot /srv/fo/none /srv/fo/ro/f
expect_ok "/proc/self/root to an allowed file" $F read /proc/self/root/srv/fo/ro/f
expect_errno "/proc/self/root to a secret" $EACCES $F read /proc/self/root/srv/fo/none/secret
expect_ok "its own /proc/self" $F read /proc/self/status
expect_ok "its own /proc/<pid> through thread-self" $F read /proc/thread-self/status
expect_ok "its own /proc/self/oom_score_adj, written as fopen(\"w\") does" \
	$F write /proc/self/oom_score_adj 0
expect_errno "another process's /proc/<pid>" $EACCES $F read /proc/1/status
expect_errno "the rest of /proc" $EACCES $F read /proc/version
# A descriptor received over a unix socket: usable for what it was opened
# for (Charter checks reaching a file, not each read); reopening it by
# /proc/self/fd/N reaches the file again, and is checked.
cp /tests/bin/fileop /tmp/sender && echo >> /tmp/sender
out=$(/tmp/sender send-exec /srv/fo/none/secret $F recv-read -) || fail "received descriptor unusable: $out"
[ "$out" = none/secret ] || fail "received descriptor read '$out'"
pass "a received descriptor can be read"
expect_errno "but its file cannot be reopened" $EACCES /tmp/sender send-exec /srv/fo/none/secret $F recv-reopen -
expect_errno "nor truncated, even opened for writing" $EACCES \
	/tmp/sender send-exec /srv/fo/none/secret $F recv-ftruncate -
[ "$(cat /srv/fo/none/secret)" = none/secret ] || fail "a refused ftruncate emptied the file"
echo hi | $F read /proc/self/fd/0 > /tmp/pipe.out 2>&1 && fail "reopened a pipe through /proc/self/fd"
grep -q 'Permission denied' /tmp/pipe.out || fail "pipe reopen: $(cat /tmp/pipe.out)"
pass "a pipe cannot be reopened through /proc/self/fd"
expect_errno "no bind mount inside a domain" $EPERM $F bindmount /srv/fo/none /srv/fo/bind
mkdir /srv/fo/rw/d2 && mount --bind /srv/fo/none /srv/fo/rw/d2 || fail "bind mount from outside"
expect_ok "an administrator's bind mount is judged by the path it is reached by" \
	$F read /srv/fo/rw/d2/secret
umount /srv/fo/rw/d2
cd /
umount /srv/fo
