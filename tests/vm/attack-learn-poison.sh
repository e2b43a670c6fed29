#!/bin/sh
# The record belongs to the manifest, not to the process tree learn
# started: while `charter learn` runs, anyone who can execute the learned
# program (here: nobody) runs it in the learning domain, and what that
# run does goes into the administrator's draft as if the command had
# done it (here: reading a file of nobody's choosing, and a connection to
# an address of its choosing). Passes when the draft holds only what the
# learned command's own process tree did.
. /tests/attack.sh
load_module
ip link set lo up
rm -rf /opt/a16 /srv/a16 && mkdir -p /opt/a16 /srv/a16 /srv/a16/attacker
echo hi > /srv/a16/attacker/payload && chmod -R a+rX /srv/a16
cp /tests/bin/learnop /opt/a16/p && chmod 755 /opt/a16/p
rm -f /tmp/go
charter learn -o /tmp/p.yml -- /opt/a16/p wait-read /tmp/go /opt/a16/p > /tmp/learn.out 2>&1 &
lp=$!
i=0
until charter list 2>/dev/null | grep -q '^p '; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "p never appeared"; sleep 0.1
done
su -s /bin/sh nobody -c '/opt/a16/p read /srv/a16/attacker/payload'
touch /tmp/go; wait $lp
cat /tmp/learn.out /tmp/p.yml
grep -q "/srv/a16/attacker" /tmp/p.yml && escape "a process learn did not start (nobody) put /srv/a16/attacker into the draft"
finish
