#!/bin/sh
# Attack (route: how a file is named, kmod/fs.c charter_path_of(): d_parent
# walk to the mount's root, the kernel names only that root). With
# verify_paths=1 every fast name is checked against d_absolute_path() (a
# WARNING fails the test). Doors and shapes beyond paths-fast.sh: O_PATH
# descriptors reopened by /proc/self/fd and used by openat,
# open_by_handle_at, /proc/PID/cwd of an unconfined task, names with odd
# bytes (newline, 0xff, glob characters, a 255-byte name), a mount moved
# (mount --move) between a granted and a refused place while a confined
# program opens through it, an ancestor renamed back and forth between the
# two trees likewise, and a lazily unmounted (detached) mount reached by
# /proc/PID/cwd. PASSES when every refused file stays refused (and the
# granted ones open) and no WARNING is printed.
. /tests/charter-test.sh
load_module verify_paths=1
[ "$(cat /sys/module/charter/parameters/verify_paths)" = Y ] || fail "verify_paths is off"

for m in /srv/pd/ok/m /srv/pd/no/m /srv/pd/ok/mnt; do umount $m 2>/dev/null; done
rm -rf /opt/pd /srv/pd && mkdir -p /opt/pd /srv/pd/ok /srv/pd/no /srv/pd/park
echo ok > /srv/pd/ok/f
echo no > /srv/pd/no/f
cp /tests/bin/r17op /opt/pd/r17op
printf 'manifestVersion: v1\nname: pd\nrun: ./r17op\nbaseline: none\nallowedDirectories:\n  - {name: ok, path: /srv/pd/ok/**, permission: read}\n' > /opt/pd/pd.yml
expect_ok "load" charter load --allow-unsigned /opt/pd/pd.yml
R=/opt/pd/r17op
# Another digest: runs outside every domain.
U=/tmp/r17op-free
cp /tests/bin/r17op $U && echo >> $U
PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done' EXIT

# Outside every domain each door reads.
for f in /srv/pd/no/f; do
	$U opath-read $f > /dev/null || fail "unconfined opath-read: $?"
	$U handle-read $f /srv/pd/ok > /dev/null || fail "unconfined handle-read: $?"
	$U opath-at /srv/pd/no f > /dev/null || fail "unconfined opath-at: $?"
done
pass "unconfined: every door reads"

expect_errno "O_PATH then /proc/self/fd/N: refused" $EACCES $R opath-read /srv/pd/no/f
expect_ok "O_PATH then /proc/self/fd/N: granted" $R opath-read /srv/pd/ok/f
expect_errno "openat on an O_PATH directory: refused" $EACCES $R opath-at /srv/pd/no f
expect_ok "openat on an O_PATH directory: granted" $R opath-at /srv/pd/ok f
$R handle-read /srv/pd/no/f /srv/pd/ok > /tmp/pd.out 2>&1
rc=$?
[ $rc -eq $EACCES ] || [ $rc -eq $EPERM ] || fail "ESCAPE? open_by_handle_at: exit $rc: $(cat /tmp/pd.out)"
pass "open_by_handle_at of a refused file: refused ($rc)"

# /proc/PID/cwd of an unconfined task sitting in the refused tree (the
# ptrace check refuses it before any path is named).
(cd /srv/pd/no && exec sleep 100) &
S=$!; PIDS="$PIDS $S"
sleep 0.3
expect_errno "/proc/PID/cwd into the refused tree" $EACCES $R opath-read /proc/$S/cwd/f
kill $S

# Odd bytes in names (any byte but '/' and NUL), glob characters, 255 bytes.
long=$(printf '%0255d' 0 | tr 0 L)
for n in "$(printf 'a\nb')" "$(printf '\377\376')" '*' '**' '?' '[x]' '\' ' ' "$long"; do
	mkdir -p "/srv/pd/ok/$n" "/srv/pd/no/$n" || fail "mkdir $n"
	echo ok > "/srv/pd/ok/$n/f"; echo no > "/srv/pd/no/$n/f"
	$R opath-read "/srv/pd/ok/$n/f" > /dev/null || fail "granted, odd name: $(echo "$n" | od -c | head -1)"
	$R opath-read "/srv/pd/no/$n/f" > /dev/null 2>&1 &&
		fail "ESCAPE: odd name read: $(echo "$n" | od -c | head -1)"
done
pass "odd names: granted where granted, refused where not"

# A mount moved between the two trees (mount --move) while a confined
# program, its cwd the mount's root, opens a file there.
mkdir -p /srv/pd/ok/m /srv/pd/no/m
mount -t tmpfs tmpfs /srv/pd/no/m || fail "mount"
echo mounted > /srv/pd/no/m/f
$R cwd-openloop 6 /srv/pd/no/m f > /tmp/pd.loop 2>&1 &
L=$!
sleep 0.5
(while :; do mount --move /srv/pd/no/m /srv/pd/ok/m; mount --move /srv/pd/ok/m /srv/pd/no/m; done) > /dev/null 2>&1 &
MV=$!; PIDS="$PIDS $MV"
wait $L
kill $MV; wait $MV 2>/dev/null
sleep 1	# the loop's last mount(8) finishes
[ -f /srv/pd/no/m/f ] || mount --move /srv/pd/ok/m /srv/pd/no/m
pass "mount moved under a confined opener: $(cat /tmp/pd.loop) (either is right; verify_paths judges)"
expect_errno "the mount back in the refused tree" $EACCES $R cwd-later 0 /srv/pd/no/m f
expect_errno "and by its path" $EACCES $R opath-read /srv/pd/no/m/f

# The mount detached (umount -l) under a confined task's cwd: no path.
mkdir -p /srv/pd/ok/mnt && mount -t tmpfs tmpfs /srv/pd/ok/mnt || fail "mount"
echo d > /srv/pd/ok/mnt/f
expect_ok "granted while mounted" $R cwd-later 0 /srv/pd/ok/mnt f
$R cwd-later 1500 /srv/pd/ok/mnt f > /tmp/pd.det 2>&1 &
L=$!
sleep 0.5
umount -l /srv/pd/ok/mnt
wait $L
rc=$?
[ $rc -eq $EACCES ] || fail "detached mount under a confined cwd: expected EACCES, got $rc: $(cat /tmp/pd.det)"
pass "detached: named nothing, granted nothing (errno 13)"

# An ancestor renamed between the trees while the confined program opens
# beneath it from its cwd; and a deep one (past 32 components: the slow way).
mkdir -p /srv/pd/no/D/sub && echo x > /srv/pd/no/D/sub/f
deep=/srv/pd/no/E
for i in $(seq 1 40); do deep=$deep/d$i; done
mkdir -p $deep && echo x > $deep/f
$R cwd-openloop 5 /srv/pd/no/D/sub f > /tmp/pd.loop2 2>&1 &
L2=$!
$R cwd-openloop 5 $deep f > /tmp/pd.loop3 2>&1 &
L3=$!
sleep 0.5
(while :; do mv /srv/pd/no/D /srv/pd/ok/D; mv /srv/pd/ok/D /srv/pd/no/D
	mv /srv/pd/no/E /srv/pd/ok/E; mv /srv/pd/ok/E /srv/pd/no/E; done) > /dev/null 2>&1 &
MV=$!; PIDS="$PIDS $MV"
wait $L2 $L3
kill $MV; wait $MV 2>/dev/null
sleep 1	# the loop's last mv finishes
[ -d /srv/pd/no/D ] || mv /srv/pd/ok/D /srv/pd/no/D
[ -d /srv/pd/no/E ] || mv /srv/pd/ok/E /srv/pd/no/E
pass "ancestor renamed under a confined opener: $(cat /tmp/pd.loop2); deep: $(cat /tmp/pd.loop3)"
expect_errno "back in the refused tree" $EACCES $R cwd-later 0 /srv/pd/no/D/sub f
expect_errno "deep, back in the refused tree" $EACCES $R cwd-later 0 $deep f
mv /srv/pd/no/E /srv/pd/ok/E || fail "mv"
expect_ok "deep, granted where it is granted" $R cwd-later 0 /srv/pd/ok/${deep#/srv/pd/no/} f
mv /srv/pd/ok/E /srv/pd/no/E || fail "mv back"
for p in $PIDS; do kill $p 2>/dev/null; done
PIDS=
umount /srv/pd/no/m
rm -rf /opt/pd /srv/pd $U
pass "no path named otherwise than d_absolute_path() (else a WARNING fails this test)"
