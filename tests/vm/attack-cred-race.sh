#!/bin/sh
# Attack (route: file_open's domain looked up once in its wrapper, and
# cred_free's lock-free look, kmod/attach.h, kmod/cred.c; red team of
# issue 17). A confined root program whose credentials change under its
# opens: threads with different creds (raw setresuid/setresgid in one
# thread), children forked in a loop (some giving the parent a new
# session keyring: cred_transfer), io_uring openat inline and in io-wq,
# with a personality registered before a credential change. PASSES when
# the secret is never opened and the allowed file is; FAILS otherwise.
. /tests/attack.sh
load_module

D=/opt/cr S=/srv/cr
rm -rf $D $S && mkdir -p $D $S/ok $S/secret
echo ok > $S/ok/f; echo secret > $S/secret/f
chmod 0644 $S/ok/f $S/secret/f
unique /tests/bin/credrace $D/app
manifest $D app app "  - {name: ok, path: $S/ok, permission: read}"
charter load --allow-unsigned $D/app.yml > /dev/null || fail "load"

# Sanity: outside a domain, every route opens the secret.
/tests/bin/credrace 2 $S/ok/f $S/secret/f > /tmp/cr.out 2>&1
[ $? -eq 1 ] || fail "unconfined: the secret should open: $(cat /tmp/cr.out)"
pass "unconfined: $(cat /tmp/cr.out)"

for round in 1 2 3; do
	$D/app 6 $S/ok/f $S/secret/f > /tmp/cr.out 2>&1
	rc=$?
	case $rc in
	0) pass "round $round: $(cat /tmp/cr.out)" ;;
	1) escape "round $round: the secret opened: $(cat /tmp/cr.out)" ;;
	*) fail "round $round: nothing ran (exit $rc): $(cat /tmp/cr.out)" ;;
	esac
done
# Every confined cred gone: the table is empty again (nothing leaked).
sleep 2
charter status > /tmp/cr.status 2>&1
grep -q '^confined tasks *0 (0 credentials)' /tmp/cr.status ||
	escape "credentials left in the table: $(grep confined /tmp/cr.status)"
finish
