#!/bin/sh
# Attack (route: renames through io_uring). A ring set up outside every
# domain and inherited by a manifested program: with a personality the
# outside process registered, or with an SQPOLL thread (which submits with
# the creator's credentials), a RENAMEAT the confined program queues runs
# with credentials that carry no domain. The move is a new operation on a
# path the program names, not the use of what the descriptor was opened
# for. PASSES when the gaining rename is refused and the secret unreadable;
# FAILS when it is read.
. /tests/charter-test.sh
load_module

umount /srv/ui 2>/dev/null
rm -rf /srv/ui /opt/ui && mkdir -p /srv/ui /opt/ui
mount -t tmpfs tmpfs /srv/ui
mkdir -p /srv/ui/drop/d /srv/ui/drop/e /srv/ui/drop/f /srv/ui/shared
echo secret-d > /srv/ui/drop/d/secret.txt
echo secret-e > /srv/ui/drop/e/secret.txt
echo secret-f > /srv/ui/drop/f/secret.txt
# The confined program: mvattack with one more byte (another hash than the
# unconfined launcher /tests/bin/mvattack).
cp /tests/bin/mvattack /opt/ui/mvattack && echo >> /opt/ui/mvattack
cp /tests/bin/fileop /opt/ui/fileop
for p in mvattack fileop; do
	cat > /opt/ui/$p.yml <<YML
manifestVersion: v1
name: ui-$p
run: ./$p
baseline: none
allowedDirectories:
  - {name: drop, path: /srv/ui/drop/**, permission: write}
  - {name: shared, path: /srv/ui/shared/**, permission: write}
  - {name: shared-txt, path: /srv/ui/shared/**/*.txt, permission: read}
YML
done
expect_ok "load" charter load --allow-unsigned /opt/ui/mvattack.yml /opt/ui/fileop.yml
M=/opt/ui/mvattack
F=/opt/ui/fileop

expect_errno "direct rename refused" $EACCES $M rename2 /srv/ui/drop/d /srv/ui/shared/d noreplace
expect_errno "io_uring rename on its own ring refused" $EACCES \
	$M uring-rename /srv/ui/drop/d /srv/ui/shared/d
expect_errno "launched with an inherited ring, the program is confined" $EACCES \
	/tests/bin/mvattack uring-give persona $M rename2 /srv/ui/drop/d /srv/ui/shared/d noreplace

escapes=0
try() { # DESC SECRET CMD...
	desc=$1 secret=$2
	shift 2
	"$@" > /tmp/ui.out 2>&1
	rc=$?
	if $F read "$secret" > /tmp/ui.read 2>&1; then
		echo "ESCAPE: $desc: rename exit $rc, then read $secret: $(cat /tmp/ui.read)"
		escapes=$((escapes + 1))
	else
		pass "$desc: exit $rc ($(cat /tmp/ui.out)), secret unreadable"
	fi
}
try "RENAMEAT with the outside personality" /srv/ui/shared/e/secret.txt \
	/tests/bin/mvattack uring-give persona $M uring-use persona /srv/ui/drop/e /srv/ui/shared/e
# SQPOLL: the ring's thread dies with the launcher's exec (an io thread of
# its thread group), so nothing is submitted: expected to hold.
try "RENAMEAT through the outside SQPOLL thread" /srv/ui/shared/f/secret.txt \
	/tests/bin/mvattack uring-give sqpoll $M uring-use sqpoll /srv/ui/drop/f /srv/ui/shared/f
cd /
umount /srv/ui
[ $escapes -eq 0 ] || fail "$escapes gaining rename(s) through an inherited ring"
pass "no gaining rename through an inherited ring"
