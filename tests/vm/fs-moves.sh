#!/bin/sh
# Links and renames must not change what any file beneath the moved entry
# is granted: a directory moves with its whole tree, and path rules with
# globs may grant more beneath its new place than at the place itself.
# Also: RENAME_EXCHANGE both ways, hard links (files only), and a
# directory holding a pathname unix socket.
. /tests/charter-test.sh
load_module

umount /srv/mv 2>/dev/null
rm -rf /srv/mv /opt/mv && mkdir -p /srv/mv /opt/mv
mount -t tmpfs tmpfs /srv/mv
cd /srv/mv
mkdir -p drop/d drop/x shared/y shared/q tree/a/b tree/c a/d b ro plain rsock
echo secret-data > drop/d/secret.txt
echo marker > drop/x/m.txt
echo y > shared/y/y.txt
echo s > drop/s.txt
echo f > drop/f
echo ab > tree/a/b/f

# One rule set for every program of this test.
rules() {
	cat <<'YML'
baseline: none
allowedDirectories:
  - {name: drop, path: /srv/mv/drop/**, permission: write}
  - {name: shared, path: /srv/mv/shared/**, permission: write}
  - {name: shared-txt, path: /srv/mv/shared/**/*.txt, permission: read}
  - {name: tree, path: /srv/mv/tree/**, permission: readWrite}
  - {name: a, path: /srv/mv/a, permission: readWrite}
  - {name: b, path: /srv/mv/b, permission: readWrite}
  - {name: ro, path: /srv/mv/ro, permission: read}
  - {name: plain, path: /srv/mv/plain, permission: write}
  - {name: plain-sock, path: /srv/mv/plain/**/*.sock, permission: write}
  - {name: rsock, path: /srv/mv/rsock, permission: write}
  - {name: rsock-sock, path: /srv/mv/rsock/**/*.sock, permission: readWrite}
YML
}
cp /tests/bin/fileop /opt/mv/fileop
cp /tests/bin/netop /opt/mv/netop
cat > /opt/mv/mvcat.sh <<'SH'
#!/bin/sh
cd "$1" && mv drop/d shared/d && cat shared/d/secret.txt
SH
chmod +x /opt/mv/mvcat.sh
for p in fileop netop; do
	{ printf 'manifestVersion: v1\nname: mv-%s\nrun: ./%s\n' $p $p; rules; } > /opt/mv/$p.yml
done
{ printf 'manifestVersion: v1\nname: mv-script\nrun: ./mvcat.sh\n'; rules
  echo '  - {name: self, path: /opt/mv/mvcat.sh, permission: read}'
  echo '  - {name: shell, path: /bin/busybox, permission: execute}'; } > /opt/mv/mvcat.yml
expect_ok "load" charter load --allow-unsigned /opt/mv/fileop.yml /opt/mv/netop.yml /opt/mv/mvcat.yml
F=/opt/mv/fileop
N=/opt/mv/netop

# The escape as found: write-only drop/d moved where *.txt is readable.
/opt/mv/mvcat.sh /srv/mv > /tmp/mv.out 2>&1 && fail "mv && cat succeeded: $(cat /tmp/mv.out)"
grep -q secret-data /tmp/mv.out && fail "the secret was read: $(cat /tmp/mv.out)"
grep -q 'Permission denied' /tmp/mv.out || fail "mv not refused for permission: $(cat /tmp/mv.out)"
[ -f drop/d/secret.txt ] && [ ! -e shared/d ] || fail "the refused mv moved something"
pass "mv drop/d shared/d && cat shared/d/secret.txt: the mv is refused"
expect_errno "rename of the directory" $EACCES $F rename /srv/mv/drop/d /srv/mv/shared/d
expect_errno "nor deeper" $EACCES $F rename /srv/mv/drop/d /srv/mv/shared/y/d
expect_errno "and the secret stays unreadable" $EACCES $F read /srv/mv/drop/d/secret.txt

# Moves that gain nothing keep working.
expect_ok "within one readWrite tree" $F rename /srv/mv/tree/a/b /srv/mv/tree/c/b
[ "$($F read /srv/mv/tree/c/b/f)" = ab ] || fail "moved file unreadable"
expect_ok "between two directories with the same rules" $F rename /srv/mv/a/d /srv/mv/b/d
expect_ok "within the write-only tree" $F rename /srv/mv/drop/d /srv/mv/drop/d2
expect_ok "out of the readable tree (losing read)" $F rename /srv/mv/shared/y /srv/mv/drop/y
expect_errno "but not back" $EACCES $F rename /srv/mv/drop/y /srv/mv/shared/y
expect_ok "a new directory in the readable tree" $F mkdir /srv/mv/shared/y

# RENAME_EXCHANGE: each side is moved, each is checked with its tree.
expect_errno "exchange: the first side gains" $EACCES $F exchange /srv/mv/drop/x /srv/mv/shared/y
expect_errno "exchange: the second side gains" $EACCES $F exchange /srv/mv/shared/y /srv/mv/drop/x
[ -f drop/x/m.txt ] || fail "a refused exchange moved drop/x"
pass "refused exchanges changed nothing"
expect_ok "exchange within one tree" $F exchange /srv/mv/tree/a /srv/mv/tree/c
[ -f tree/a/b/f ] || fail "exchange did not happen"
expect_ok "within the readable tree, where the glob matches alike" \
	$F rename /srv/mv/shared/y /srv/mv/shared/q/y
expect_errno "but not to where the glob covers the directory itself" $EACCES \
	$F rename /srv/mv/shared/q/y /srv/mv/shared/y.txt

# Hard links: files only, judged on their own two names.
expect_errno "link a write-only file where it is readable" $EACCES \
	$F link /srv/mv/drop/s.txt /srv/mv/shared/s.txt
[ ! -e shared/s.txt ] || fail "refused link created"
expect_ok "link within its tree" $F link /srv/mv/drop/f /srv/mv/drop/g

# Pathname unix sockets are reached by write on their path.
cp /tests/bin/netop /tmp/mvserver && echo >> /tmp/mvserver
mkdir drop/sd
/tmp/mvserver unix-listen /srv/mv/ro/s.sock 60 & a=$!
/tmp/mvserver unix-listen /srv/mv/drop/sd/s.sock 60 & b=$!
sleep 1
expect_errno "no connect to a socket in a read-only place" $EACCES $N unix-connect /srv/mv/ro/s.sock
expect_errno "nor by linking it where writing is allowed" $EACCES \
	$F link /srv/mv/ro/s.sock /srv/mv/plain/s.sock
expect_ok "connect where writing is allowed" $N unix-connect /srv/mv/drop/sd/s.sock
expect_errno "its directory moved where a glob gives more beneath" $EACCES \
	$F rename /srv/mv/drop/sd /srv/mv/rsock/sd
expect_ok "its directory moved where a glob gives write beneath" \
	$F rename /srv/mv/drop/sd /srv/mv/plain/sd
expect_ok "connect at its new place" $N unix-connect /srv/mv/plain/sd/s.sock
kill $a $b 2>/dev/null
wait 2>/dev/null
cd /
umount /srv/mv
