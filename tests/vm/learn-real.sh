#!/bin/sh
# vm-programs: /usr/bin/webfsd /usr/bin/curl
# charter learn on real programs: webfsd serving a directory and curl
# resolving a name (/etc/hosts) and fetching pages from it over loopback.
# The drafts load as written (signed, from the manifests directory);
# under them both programs work, and each is refused what it did not use
# while learning: webfsd a file outside the pages it served (through a
# symlink) and another port, curl another port.
. /tests/charter-test.sh
. /tests/web.sh
load_module
ip link set lo up
srv=; free=; lp=
cleanup() { kill $srv $free $lp 2>/dev/null; }
trap cleanup EXIT

W=/tmp/learn-real
rm -rf $W /etc/charter
mkdir -p $W /etc/charter/trusted.d /etc/charter/manifests.d
web_files
echo "second page" > /srv/web/two.txt
cp /usr/bin/webfsd $W/webfsd-free && echo >> $W/webfsd-free
cd $W || fail "cd"

# ---- learn ---------------------------------------------------------------
charter learn -o $W/webfsd.yml -- webfsd -F -4 -i 127.0.0.1 -p $PORT -r /srv/web \
	2> $W/learn-webfsd.err & lp=$!
wait_listen $lp $PORT || fail "webfsd does not listen while learning: $(cat $W/learn-webfsd.err)"
charter ps | grep -q ' webfsd  *webfsd$' || fail "webfsd is not in its learning domain: $(charter ps)"
charter list | grep -q '^webfsd .*/usr/bin/webfsd (learning: charter learn)$' ||
	fail "list does not show the learning manifest: $(charter list)"
got=$(charter learn -o $W/curl.yml -- curl -sS $URL:$PORT/page.txt 2> $W/learn-curl.err) ||
	fail "learn curl: $(cat $W/learn-curl.err)"
[ "$got" = "served page" ] || fail "curl while learning got '$got': $(cat $W/learn-curl.err)"
# A second run extends the draft (--append): the rules of the first are
# granted meanwhile, so only what is new is recorded; what the reviewer
# added (an author) stays.
awk '{print} /^manifestVersion:/ {print "author: integrator"}' $W/curl.yml > $W/curl.tmp && mv $W/curl.tmp $W/curl.yml
got=$(charter learn --append $W/curl.yml -o $W/curl.yml -- curl -sS $URL:$PORT/two.txt \
	2>> $W/learn-curl.err) || fail "learn --append curl: $(cat $W/learn-curl.err)"
[ "$got" = "second page" ] || fail "curl while learning got '$got'"
grep -q "0 lost" $W/learn-curl.err || fail "curl: $(cat $W/learn-curl.err)"
kill -TERM $lp
wait $lp || fail "learn webfsd: $(cat $W/learn-webfsd.err)"
lp=
cat $W/learn-webfsd.err $W/learn-curl.err
grep -Eq "(exited with status 0|was killed by signal 15); [0-9]+ distinct accesses recorded, 0 lost" $W/learn-webfsd.err ||
	fail "no summary: $(cat $W/learn-webfsd.err)"
pass "learned webfsd serving two pages (stopped by TERM, passed on) and curl fetching each"
echo "---- webfsd.yml"; cat $W/webfsd.yml
echo "---- curl.yml"; cat $W/curl.yml

# What the drafts say: the served directory, the service with its one
# peer, name resolution from the nameservice block; curl's destination.
grep -q "^    path: '/srv/web'$" $W/webfsd.yml || fail "webfsd: the two pages did not fold into /srv/web"
grep -q "secret\|private" $W/webfsd.yml && fail "webfsd: the draft names what was not served"
grep -q "^  - nameservice$" $W/webfsd.yml || fail "webfsd: no nameservice block"
grep -q "^  - nameservice$" $W/curl.yml || fail "curl: no nameservice block"
grep -q "/etc/hosts" $W/curl.yml && fail "curl: /etc/hosts is the block's, not a rule of its own"
grep -A4 "direction: inbound" $W/webfsd.yml | grep -q "ip: 127.0.0.1" || fail "webfsd: no inbound rule for the peer"
grep -A4 "direction: inbound" $W/webfsd.yml | grep -q "port: $PORT" || fail "webfsd: inbound port"
grep -A4 "direction: outbound" $W/curl.yml | grep -q "port: $PORT" || fail "curl: no outbound rule"
[ "$(grep -c 'direction: outbound' $W/curl.yml)" = 1 ] || fail "curl: the second run duplicated the rule"
grep -q "kept from the earlier draft" $W/curl.yml || fail "curl: --append lost the first draft's rules"
grep -q "^author: 'integrator'$" $W/curl.yml || fail "curl: --append lost the author"
pass "the drafts fold the pages, use the nameservice block and name the service, its peer and the destination"

# ---- load them as written, signed -----------------------------------------
expect_ok "check the drafts" charter check $W/webfsd.yml $W/curl.yml
charter explain $W/webfsd.yml || fail "explain webfsd"
expect_ok "keygen" charter keygen -o $W/k
cp $W/k.pub /etc/charter/trusted.d/ || fail "trust"
for m in webfsd curl; do
	expect_ok "sign $m.yml" charter sign -k $W/k.key $W/$m.yml
	cp $W/$m.yml $W/$m.yml.sig /etc/charter/manifests.d/ || fail "install $m"
done
expect_ok "load the signed drafts" charter load

# ---- under them -------------------------------------------------------------
/usr/bin/webfsd -F -4 -i 127.0.0.1 -p $PORT -r /srv/web > $W/webfsd.out 2>&1 & srv=$!
wait_listen $srv $PORT || fail "webfsd does not start under its draft: $(cat $W/webfsd.out; dmesg | grep charter:)"
charter ps | grep -q "^ *$srv  *webfsd  *webfsd *\$" || fail "webfsd not confined: $(charter ps)"
for page in page.txt two.txt; do
	got=$(curl -sS $URL:$PORT/$page 2>&1) || fail "curl $page under its draft: $got $(dmesg | grep charter:)"
done
[ "$got" = "second page" ] || fail "curl got '$got'"
dmesg | grep -q 'charter: denied' && fail "denials under the drafts: $(dmesg | grep 'charter: denied')"
pass "under their drafts both work, nothing denied"

got=$(curl -sS -o /dev/null -w '%{http_code}' $URL:$PORT/leak.txt 2>&1)
[ "$got" = 403 ] || [ "$got" = 404 ] || fail "webfsd served a file it did not serve while learning: $got"
dmesg | grep -q 'charter: denied read /srv/private/secret.txt for webfsd' || fail "no denial logged"
pass "webfsd is refused a file it did not use while learning (HTTP $got)"

timeout 10 /usr/bin/webfsd -F -4 -i 127.0.0.1 -p $OTHER -r /srv/web > $W/other.out 2>&1
grep -q '^bind: Permission denied' $W/other.out || fail "webfsd on $OTHER: $(cat $W/other.out)"
pass "webfsd is refused a port it did not use while learning"

kill $srv; wait $srv 2>/dev/null; srv=
$W/webfsd-free -F -4 -i 127.0.0.1 -p $OTHER -r /srv/web > /dev/null 2>&1 & free=$!
wait_listen $free $OTHER || fail "unconfined webfsd on $OTHER"
curl -sS $URL:$OTHER/page.txt > $W/curl.out 2>&1
rc=$?
[ $rc = 7 ] || fail "curl to $OTHER: exit $rc, not 7: $(cat $W/curl.out)"
dmesg | grep -q "charter: denied outbound tcp 127.0.0.1 port $OTHER for curl" || fail "no denial logged"
pass "curl is refused a port it did not use while learning"
kill $free; wait $free 2>/dev/null; free=
charter unload
cd /
rm -rf $W /etc/charter /srv/web /srv/private
