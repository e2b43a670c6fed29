#!/bin/sh
# vm-modules: overlay
# A cached digest is used only for content that cannot have changed since
# it was taken. Each route below makes a file one byte apart from a
# manifested program, gets its digest taken (and, before the fix, cached),
# turns it into the manifested program's exact bytes without changing its
# size, mtime, ctime or i_version, and executes it: it must be confined.
. /tests/charter-test.sh
load_module

ETXTBSY=26
rm -rf /opt/dc /srv/dc /tmp/dc && mkdir -p /opt/dc /srv/dc /tmp/dc
echo secret > /srv/dc/secret
# app ends with a zero byte (truncate-exec needs one); big takes long to
# hash (race-exec needs a wide window).
cp /tests/bin/fileop /opt/dc/app && printf '\0' >> /opt/dc/app
cp /tests/bin/fileop /opt/dc/big
dd if=/dev/zero bs=1M count=16 >> /opt/dc/big 2>/dev/null
printf 'manifestVersion: v1\nname: dc-app\nrun: ./app\nbaseline: none\n' > /opt/dc/app.yml
printf 'manifestVersion: v1\nname: dc-big\nrun: ./big\nbaseline: none\n' > /opt/dc/big.yml
APP=/opt/dc/app
SECRET=/srv/dc/secret

load_policy() {
	expect_ok "load" charter load --allow-unsigned /opt/dc/app.yml /opt/dc/big.yml
	expect_errno "the manifested program is confined" $EACCES $APP read $SECRET
}

# changed_copy SRC DST: DST is SRC with byte 41 (the ELF header's section
# header offset, which loading does not use) inverted: another program.
changed_copy() { staleop copy "$1" "$2" 41 || fail "copy $1 $2"; }

# The route: a writable shared mapping, kept while the copy is
# mapped PROT_EXEC (and hashed), writes the byte back; on tmpfs that
# changes no time. (No clock tricks here: cp and dd.)
restored_behind_mapping() { # LABEL
	cp $APP /tmp/dc/copy
	printf '\377' | dd of=/tmp/dc/copy bs=1 seek=41 conv=notrunc 2>/dev/null
	expect_ok "$1: the changed copy is another program" /tmp/dc/copy read $SECRET
	cp $APP /tmp/dc/copy
	printf '\377' | dd of=/tmp/dc/copy bs=1 seek=41 conv=notrunc 2>/dev/null
	expect_errno "$1: restored through a mapping kept writable across the PROT_EXEC mapping: confined" \
		$EACCES staleop restore-exec /tmp/dc/copy $APP 41 /tmp/dc/copy read $SECRET
}

load_policy
restored_behind_mapping bpf-hooks

# A writer holding the file open and mapped while the manifested program
# is mapped PROT_EXEC (refused, after hashing): once it changed a byte,
# exec must hash the new content, another program that runs free.
cp $APP /tmp/dc/held
staleop held-change /tmp/dc/held 41 /tmp/dc/held read $SECRET > /tmp/dc/held.out 2>&1 ||
	fail "held writer: the changed program is not free (digest of the old content): $(cat /tmp/dc/held.out)"
grep -qx "child-map $EACCES" /tmp/dc/held.out || fail "held writer: PROT_EXEC mapping not refused: $(cat /tmp/dc/held.out)"
grep -qx secret /tmp/dc/held.out || fail "held writer: $(cat /tmp/dc/held.out)"
pass "held writer: no digest kept from under it; the changed program is hashed anew"

# A writer that opens the file while it is being hashed, writes the byte
# back and leaves before the hash ends.
changed_copy /opt/dc/big /tmp/dc/race
staleop race-exec /tmp/dc/race /opt/dc/big 41 /tmp/dc/race read $SECRET > /tmp/dc/race.out 2>&1
rc=$?
grep staleop /tmp/dc/race.out
[ $rc -eq 254 ] && fail "race: the hash ended before the write: make the file bigger"
[ $rc -eq $EACCES ] || fail "race: written back during the hash: expected errno $EACCES, got $rc: $(cat /tmp/dc/race.out)"
pass "race: a write open during the hash leaves no digest behind (errno $EACCES)"
rm -f /tmp/dc/race

# On ramfs, which keeps no i_version (tmpfs does), with the clock held
# still, so that writes leave mtime and ctime as they were.
mkdir -p /tmp/dc/ramfs && mount -t ramfs ramfs /tmp/dc/ramfs || fail "mount ramfs"
# A writer holding the file open (no mapping) while it is mapped PROT_EXEC,
# writing the byte back afterwards through the same descriptor.
changed_copy $APP /tmp/dc/ramfs/held
expect_errno "open for writing while mapped PROT_EXEC, written back after: confined" \
	$EACCES staleop held-pwrite /tmp/dc/ramfs/held $APP 41 /tmp/dc/ramfs/held read $SECRET
# truncate(2) by path gets write access without an open.
expect_errno "truncated by path one byte shorter and back: confined" \
	$EACCES staleop truncate-exec /tmp/dc/ramfs/app $APP /tmp/dc/ramfs/app read $SECRET
umount /tmp/dc/ramfs

# memfd_create() files are open for writing without the kernel counting
# it: exec does not keep them still. One of a manifested size is executed
# only once sealed against writing, shrinking and growing.
out=$(staleop memfd $APP 41 app read $SECRET 2> /tmp/dc/memfd.err) || fail "memfd: $out $(cat /tmp/dc/memfd.err)"
[ "$out" = "unsealed-changed $ETXTBSY unsealed $ETXTBSY sealed $EACCES" ] ||
	fail "memfd: expected unsealed execs refused ($ETXTBSY), sealed confined ($EACCES), got: $out"
pass "memfd of a manifested size: refused unsealed, confined sealed"
out=$(staleop memfd /tests/bin/fileop 41 app read $SECRET 2> /tmp/dc/memfd.err) || fail "memfd: $out $(cat /tmp/dc/memfd.err)"
[ "$out" = "unsealed-changed 0 unsealed 0 sealed 0" ] || fail "memfd of another size: $out"
pass "memfd of another size: runs as before"

# overlayfs: the program's content is its upper (or lower) file's, which
# can be written directly, without opening the overlay file.
modprobe overlay || fail "modprobe overlay"
mkdir -p /tmp/dc/lower /tmp/dc/upper /tmp/dc/work /tmp/dc/merged
changed_copy $APP /tmp/dc/upper/app
mount -t overlay overlay -o lowerdir=/tmp/dc/lower,upperdir=/tmp/dc/upper,workdir=/tmp/dc/work /tmp/dc/merged ||
	fail "mount overlay"
expect_ok "overlay: the changed copy is another program" /tmp/dc/merged/app read $SECRET
staleop poke /tmp/dc/upper/app 41 $APP || fail "poke the upper file"
cmp -s /tmp/dc/merged/app $APP || fail "the overlay file is not the program"
expect_errno "overlay: restored in the upper layer: confined" $EACCES /tmp/dc/merged/app read $SECRET
umount /tmp/dc/merged

# The mmap hook has its own wrapper when attached to security_mmap_file.
rmmod charter || fail "rmmod"
load_module hooks=security
load_policy
restored_behind_mapping security-hooks
rm -rf /tmp/dc /opt/dc
