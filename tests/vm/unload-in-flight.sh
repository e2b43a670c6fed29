#!/bin/sh
# rmmod while confined tasks open files and manifested programs are being
# executed (and hashed) on both CPUs: unloading waits for the hooks in
# flight, the kernel log stays clean, and afterwards everything is allowed.
. /tests/charter-test.sh

mkdir -p /opt/app /srv/app /srv/secret
echo hi > /srv/app/f
echo s > /srv/secret/f
cp /tests/bin/fileop /opt/app/fileop
cat > /opt/app/manifest.yml <<'YML'
manifestVersion: v1
name: fileop
run: ./fileop
allowedDirectories:
  - name: data
    path: /srv/app
    permission: read
YML

worker() {
	while :; do
		/opt/app/fileop read /srv/app/f > /dev/null
		/opt/app/fileop fork-read /srv/secret/f > /dev/null 2>&1
	done
}

round=1
while [ $round -le 4 ]; do
	load_module
	charter load --allow-unsigned /opt/app/manifest.yml > /dev/null || fail "load, round $round"
	expect_errno "confined in round $round" $EACCES /opt/app/fileop read /srv/secret/f
	worker & w1=$!
	worker & w2=$!
	worker & w3=$!
	sleep 2
	rmmod charter || fail "rmmod while busy, round $round"
	kill $w1 $w2 $w3
	wait
	expect_ok "free after rmmod, round $round" /opt/app/fileop read /srv/secret/f
	round=$((round + 1))
done
