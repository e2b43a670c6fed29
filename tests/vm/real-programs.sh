#!/bin/sh
# vm-programs: /usr/bin/webfsd /usr/bin/curl
# Real programs from Debian, not busybox nor our helpers: webfsd (a
# static HTTP server) serves /srv/web on 127.0.0.1:8180 and curl fetches
# a page from it by name (glibc's name service reads /etc/nsswitch.conf
# and /etc/hosts). Unconfined, both work, and webfsd follows a symlink
# out of its directory. Confined by hand-written signed manifests (the
# files each really opens in this image, found in complain mode), both
# work with no denial; webfsd may not read what the symlink leads to
# (curl gets 403), nor bind another port, and curl may not connect to
# another port, where an unconfined server listens. Each refusal is
# Charter's: EACCES, a kernel log line and an event naming path or port.
# Without its /etc/hosts rule curl cannot resolve the name.
. /tests/charter-test.sh
. /tests/web.sh
load_module
ip link set lo up
srv=; free=; mon=
cleanup() { kill $srv $free $mon 2>/dev/null; }
trap cleanup EXIT

W=/tmp/real-programs
rm -rf $W /etc/charter
mkdir -p $W /etc/charter/trusted.d /etc/charter/manifests.d
web_files
# Unconfined copies: another byte, another hash.
cp /usr/bin/webfsd $W/webfsd-free && echo >> $W/webfsd-free
cp /usr/bin/curl $W/curl-free && echo >> $W/curl-free

serve() { # PROGRAM PORT: start a server in the background, in $srv
	"$1" -F -4 -i 127.0.0.1 -p "$2" -r /srv/web > $W/webfsd.out 2>&1 &
	srv=$!
	wait_listen $srv "$2" || fail "$1 does not listen on $2: $(cat $W/webfsd.out)"
}
stop() { kill "$1"; wait "$1" 2>/dev/null; }
status_of() { # PROGRAM URL: the HTTP status
	"$1" -sS -o /dev/null -w '%{http_code}' "$2" 2>&1
}
denied() { charter status --json | sed -n 's/.*"denied":\([0-9]*\).*/\1/p'; }

# ---- unconfined --------------------------------------------------------
serve /usr/bin/webfsd $PORT
got=$(curl -sS $URL:$PORT/page.txt 2>&1) || fail "unconfined curl: $got"
[ "$got" = "served page" ] || fail "unconfined curl got '$got'"
pass "unconfined: curl fetches a page from webfsd by name"
curl -sS http://nowhere.test:$PORT/page.txt > $W/curl.out 2>&1
rc=$?
[ $rc = 6 ] || fail "a name not in /etc/hosts: curl exit $rc, not 6: $(cat $W/curl.out)"
pass "a name not in /etc/hosts does not resolve: names come from /etc/hosts"
got=$(status_of curl $URL:$PORT/leak.txt)
[ "$got" = 200 ] || fail "unconfined webfsd did not follow the symlink: $got"
pass "unconfined: webfsd serves a file outside its directory through a symlink"
stop $srv

# ---- confined ----------------------------------------------------------
# What each reads beyond the runtime baseline: glibc's name service
# (nsswitch.conf, hosts: webfsd looks up its own host name), the user
# and group webfsd runs as (-u/-g default to root), curl's home
# directory (for ~/.curlrc).
cat > $W/webfsd.yml <<YML
manifestVersion: v1
author: charter-tests
name: webfsd
run: /usr/bin/webfsd
allowedDirectories:
  - {name: docroot, path: /srv/web, permission: read}
  - {name: nss, path: /etc/nsswitch.conf, permission: read}
  - {name: hosts, path: /etc/hosts, permission: read}
  - {name: users, path: /etc/passwd, permission: read}
  - {name: groups, path: /etc/group, permission: read}
allowedNetwork:
  - {name: http, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: $PORT}
YML
curl_manifest() { # RULES: the directory rules
	cat <<YML
manifestVersion: v1
author: charter-tests
name: curl
run: /usr/bin/curl
allowedDirectories:
$1
allowedNetwork:
  - {name: web, direction: outbound, ip: 127.0.0.1, protocol: tcp, port: $PORT}
YML
}
CURL_FILES='  - {name: nss, path: /etc/nsswitch.conf, permission: read}
  - {name: hosts, path: /etc/hosts, permission: read}
  - {name: users, path: /etc/passwd, permission: read}'
curl_manifest "$CURL_FILES" > $W/curl.yml
cd $W || fail "cd $W"
expect_ok "keygen" charter keygen -o $W/tests
cp $W/tests.pub /etc/charter/trusted.d/ || fail "trust the key"
for m in webfsd curl; do
	expect_ok "sign $m.yml" charter sign -k $W/tests.key $W/$m.yml
	cp $W/$m.yml $W/$m.yml.sig /etc/charter/manifests.d/ || fail "install $m.yml"
done
expect_ok "load the signed manifests" charter load

charter monitor --json > $W/rp.json 2>&1 & mon=$!
sleep 1
before=$(denied)
serve /usr/bin/webfsd $PORT
charter ps | grep -q "^ *$srv  *webfsd  *webfsd *\$" ||
	fail "webfsd is not confined: $(charter ps) $(cat $W/webfsd.out)"
pass "webfsd runs confined by its manifest"
got=$(curl -sS $URL:$PORT/page.txt 2>&1) || fail "confined curl: $got"
[ "$got" = "served page" ] || fail "confined curl got '$got'"
[ "$(denied)" = "$before" ] || fail "denials while serving a page: $(dmesg | grep 'charter: denied')"
pass "confined: curl fetches the page from webfsd by name, nothing denied"

got=$(status_of curl $URL:$PORT/leak.txt)
[ "$got" = 403 ] || [ "$got" = 404 ] || fail "confined webfsd served the symlink's target: $got"
dmesg | grep -q 'charter: denied read /srv/private/secret.txt for webfsd' ||
	fail "no kernel log line for the refused read: $(dmesg | grep charter:)"
pass "confined: webfsd may not read outside /srv/web (HTTP $got, logged)"

# Another port: refused at bind, so webfsd stops instead of serving.
timeout 10 /usr/bin/webfsd -F -4 -i 127.0.0.1 -p $OTHER -r /srv/web > $W/other.out 2>&1
rc=$?
[ $rc = 1 ] || fail "webfsd on port $OTHER: exit $rc, not 1: $(cat $W/other.out)"
grep -q '^bind: Permission denied' $W/other.out || fail "webfsd on $OTHER: $(cat $W/other.out)"
dmesg | grep -q "charter: denied inbound tcp 127.0.0.1 port $OTHER for webfsd" ||
	fail "no kernel log line for the refused bind: $(dmesg | grep charter:)"
pass "confined: webfsd may not bind port $OTHER (exit $rc: $(head -n 1 $W/other.out))"

# Another port for curl, where an unconfined server listens.
stop $srv
serve $W/webfsd-free $OTHER
free=$srv
srv=
got=$($W/curl-free -sS $URL:$OTHER/page.txt 2>&1) || fail "unconfined curl to $OTHER: $got"
[ "$got" = "served page" ] || fail "unconfined curl to $OTHER got '$got'"
pass "an unconfined curl reaches the server on $OTHER"
curl -sS -v $URL:$OTHER/page.txt > $W/curl.out 2>&1
rc=$?
[ $rc = 7 ] || fail "confined curl to $OTHER: exit $rc, not 7 (no connection): $(cat $W/curl.out)"
grep -q "connect fail for 127.0.0.1: Permission denied" $W/curl.out || fail "curl: $(cat $W/curl.out)"
dmesg | grep -q "charter: denied outbound tcp 127.0.0.1 port $OTHER for curl" ||
	fail "no kernel log line for the refused connect: $(dmesg | grep charter:)"
pass "confined: curl may not connect to port $OTHER (EACCES, logged)"
stop $free
free=

sleep 1
stop $mon
mon=
event() { # MANIFEST REST: a denial event of MANIFEST ending in REST
	grep -q "\"manifest\":\"$1\",.*\"decision\":\"denied\",$2}" $W/rp.json ||
		fail "no event '$1 ... $2': $(cat $W/rp.json)"
}
event webfsd '"operation":"read","path":"/srv/private/secret.txt"'
event webfsd "\"operation\":\"inbound\",\"protocol\":\"tcp\",\"address\":\"127.0.0.1\",\"port\":$OTHER"
event curl "\"operation\":\"outbound\",\"protocol\":\"tcp\",\"address\":\"127.0.0.1\",\"port\":$OTHER"
pass "each refusal is reported as an event of its manifest"

# Without its rule for /etc/hosts, curl cannot resolve the name.
curl_manifest "$(echo "$CURL_FILES" | grep -v /etc/hosts)" > /etc/charter/manifests.d/curl.yml
expect_ok "sign curl.yml without /etc/hosts" \
	charter sign -k $W/tests.key /etc/charter/manifests.d/curl.yml
expect_ok "load it" charter load
serve /usr/bin/webfsd $PORT
curl -sS $URL:$PORT/page.txt > $W/curl.out 2>&1
rc=$?
[ $rc = 6 ] || fail "curl without /etc/hosts: exit $rc, not 6 (no name): $(cat $W/curl.out)"
dmesg | grep -q 'charter: denied read /etc/hosts for curl' ||
	fail "no kernel log line for /etc/hosts: $(dmesg | grep charter:)"
pass "without its /etc/hosts rule curl cannot resolve charter-web.test"
stop $srv
srv=
charter unload
cd /
rm -rf $W /etc/charter /srv/web /srv/private
