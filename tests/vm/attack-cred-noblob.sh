#!/bin/sh
# vm-guest: own
# vm-append: lsm=lockdown,yama,bpf
# Attack (route: cred_free attached to the BPF LSM's stub, kmod/cred.c
# and attach.h; red team 17i). security_cred_free() calls no hook at all
# for a cred whose ->security is NULL, and ->security stays NULL when no
# active LSM keeps a cred blob: booted with lsm=lockdown,yama,bpf (the BPF
# LSM active, so Charter takes bpf_lsm_cred_free; no landlock, AppArmor,
# SELinux or Smack), charter_hook_cred_free would never run: every entry
# would outlive its cred, and a later cred at the same address, of any
# task, would be found with the dead cred's domain. PASSES when the
# table's count drops to 0 once the confined tasks are gone and an
# unconfined task churning creds is never refused the file a domain
# refused.
. /tests/attack.sh
cat /sys/kernel/security/lsm > /tmp/nb.lsm 2> /dev/null || mount -t securityfs none /sys/kernel/security 2> /dev/null
pass "active LSMs: $(cat /sys/kernel/security/lsm 2> /dev/null)"
load_module

D=/opt/nb S=/srv/nb
rm -rf $D $S && mkdir -p $D $S/ok $S/secret
echo ok > $S/ok/f; echo secret > $S/secret/f
chmod 0644 $S/ok/f $S/secret/f
unique /tests/bin/credchurn $D/app
manifest $D app app "  - {name: ok, path: $S/ok, permission: read}"
charter load --allow-unsigned $D/app.yml > /dev/null || fail "load"

# From here on, only shell builtins judge: a dead cred's domain may refuse
# the unconfined shell's own children their exec (busybox tail, grep).
last() { l=; while IFS= read -r x; do l=$x; done < "$1"; echo "$l"; }
$D/app 4 200 $S/ok/f $S/secret/f 0 > /tmp/nb.out 2>&1
case $? in
0) pass "confined: $(last /tmp/nb.out)" ;;
1) escape "confined: $(last /tmp/nb.out)" ;;
*) fail "confined, nothing ran: $(last /tmp/nb.out)" ;;
esac
i=0; while [ $i -lt 30000 ]; do i=$((i + 1)); done	# no sleep(1) to exec
charter status > /tmp/nb.status 2>&1
st=; while IFS= read -r x; do case "$x" in "confined tasks"*) st=$x ;; esac; done < /tmp/nb.status
case "$st" in
*" 0 (0 credentials)"*) pass "the table is empty again: $st" ;;
*) escape "confined creds freed, their entries kept (or the shell, unconfined, is refused its own files and execs): status says '$st' ($(last /tmp/nb.status))" ;;
esac
# Unconfined now, with creds allocated where the dead ones were.
/tests/bin/credchurn 4 200 $S/ok/f $S/secret/f 0 > /tmp/nb.out 2>&1
out=$(last /tmp/nb.out)
case "$out" in
*"(refused 0)"*) pass "unconfined: $out" ;;
*) escape "an unconfined task was refused with a dead cred's domain: $out" ;;
esac
# And the unconfined shell's own children, exec'ing busybox.
n=0 bad=0
while [ $n -lt 200 ]; do
	/bin/true 2> /dev/null || bad=$((bad + 1))
	n=$((n + 1))
done
[ $bad -eq 0 ] && pass "200 unconfined execs of /bin/true ran" ||
	escape "$bad of 200 unconfined execs of /bin/true refused (a dead cred's domain)"
finish
