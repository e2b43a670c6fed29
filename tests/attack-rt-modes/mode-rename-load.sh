#!/bin/sh
# Attack (route: modes across loads, i13-rt-modes). A per-manifest mode is
# kept by name and survives policy loads; charter_mode_set refuses a name
# no loaded manifest has, so that an override never "lies in wait for
# whatever manifest takes the name later". But an override set while the
# name is X's manifest still applies after a load in which X's manifest is
# renamed (or dropped) and another program Y's manifest takes the name:
# Y runs in complain mode although nobody aimed a mode at it. Also the
# window between the name check and the table update (a load in between).
# PASSES when Y stays enforced; FAILS (ESCAPE lines) when it reads.
. /tests/attack.sh
load_module

D=/opt/mr
rm -rf $D /srv/mr && mkdir -p $D/p1 $D/p2 $D/p3 /srv/mr/ok
echo ok > /srv/mr/ok/f; echo secret > /srv/mr/secret
unique /tests/bin/fileop $D/x
unique /tests/bin/fileop $D/y && echo >> $D/y
wr() { # FILE NAME PROG
	printf 'manifestVersion: v1\nname: %s\nrun: %s\nbaseline: none\nallowedDirectories:\n  - {name: ok, path: /srv/mr/ok, permission: read}\n' "$2" "$3" > "$1"
}
wr $D/p1/x.yml app $D/x
wr $D/p2/x.yml oldapp $D/x
wr $D/p2/y.yml app $D/y
wr $D/p3/y.yml app $D/y

expect_ok "policy 1: 'app' is x" charter load --allow-unsigned $D/p1
expect_ok "complain for 'app' (x, on trial)" charter mode complain --manifest app
expect_ok "x in complain reads the secret (as meant)" $D/x read /srv/mr/secret
expect_ok "policy 2: x renamed 'oldapp', y takes 'app'" charter load --allow-unsigned $D/p2
refused "y, never put in complain, reads the secret" 13 $D/y read /srv/mr/secret
refused "x, now 'oldapp' (no mode of its own), reads the secret" 13 $D/x read /srv/mr/secret
charter mode inherit --manifest app > /dev/null

# x dropped, then y takes the name.
expect_ok "policy 1 again" charter load --allow-unsigned $D/p1
expect_ok "complain for 'app' (x)" charter mode complain --manifest app
expect_ok "policy 3: only y, named 'app'" charter load --allow-unsigned $D/p3
refused "y after x was dropped" 13 $D/y read /srv/mr/secret
charter mode inherit --manifest app > /dev/null

charter unload > /dev/null
finish
