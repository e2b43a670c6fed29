#!/bin/sh
# vm-modules: evdev uinput snd-dummy vgem loop
# Device classes, told from the devices themselves: a class grant opens
# its devices' nodes, path rules do not; keyboard and mouse told apart.
. /tests/charter-test.sh
load_module
for m in evdev uinput snd-dummy vgem loop; do modprobe $m || fail "modprobe $m"; done

uinputdev kbd charter-kbd 120 & k=$!
uinputdev mouse charter-mouse 120 & m=$!
uinputdev pad charter-pad 120 & p=$!
sleep 2
node_of() { # the /dev/input/eventN of the input device named $1
	for e in /sys/class/input/event*; do
		[ "$(cat $e/device/name 2>/dev/null)" = "$1" ] && { echo /dev/input/${e##*/}; return; }
	done
	fail "no event node for $1"
}
KBD=$(node_of charter-kbd)
MOUSE=$(node_of charter-mouse)
PAD=$(node_of charter-pad)
for n in $KBD $MOUSE $PAD /dev/snd/pcmC0D0p /dev/snd/pcmC0D0c /dev/snd/controlC0 \
	 /dev/dri/card0 /dev/dri/renderD128 /dev/loop0; do
	[ -e $n ] || fail "no $n"
done

rm -rf /opt/dev && mkdir -p /opt/dev
i=0
for app in audioOut audioIn keyboard mouse joystick display gpu storage none; do
	i=$((i + 1))
	cp /tests/bin/fileop /opt/dev/$app
	head -c $i /dev/zero >> /opt/dev/$app	# a program of its own
	devs="[$app]"
	[ $app = none ] && devs="[]"
	cat > /opt/dev/$app.yml <<YML
manifestVersion: v1
name: dev-$app
run: ./$app
baseline: none
allowedDirectories:
  - {name: dev, path: /dev, permission: readWrite}
  - {name: tmp, path: /tmp, permission: readWrite}
allowedDevices: $devs
YML
done
expect_ok "load" charter load --allow-unsigned /opt/dev
charter monitor --json > /tmp/dev-events.json 2>&1 & mon=$!
sleep 1

granted() { # APP NODE: the open is not refused by Charter
	/opt/dev/$1 probe $2 > /tmp/probe.out 2>&1
	r=$?
	[ $r -ne $EACCES ] || fail "$1 could not open $2: $(cat /tmp/probe.out)"
	pass "$1 opens $2"
}
refused() { expect_errno "$1 cannot open $2" $EACCES /opt/dev/$1 probe $2; }

granted audioOut /dev/snd/pcmC0D0p
refused audioOut /dev/snd/pcmC0D0c
granted audioOut /dev/snd/controlC0
granted audioIn /dev/snd/pcmC0D0c
refused audioIn /dev/snd/pcmC0D0p
granted keyboard $KBD
refused keyboard $MOUSE
refused keyboard $PAD
granted mouse $MOUSE
refused mouse $KBD
granted mouse /dev/input/mice
granted joystick $PAD
refused joystick $MOUSE
granted display /dev/dri/card0
refused display /dev/dri/renderD128
granted gpu /dev/dri/renderD128
refused gpu /dev/dri/card0
granted storage /dev/loop0
refused display /dev/loop0

# A rule on /dev grants no device; the always-allowed ones stay open.
refused none /dev/snd/pcmC0D0p
refused none $KBD
refused none /dev/loop0
granted none /dev/null
granted none /dev/urandom
granted none /dev/ptmx

# No device node is made in a domain; a fifo is a file.
expect_errno "mknod of a device" $EACCES /opt/dev/none mknod-null /tmp/null2
expect_ok "mkfifo where writing is allowed" /opt/dev/none mkfifo /tmp/fifo-dev
sleep 1
kill $mon
grep -q '"manifest":"dev-audioOut".*"decision":"denied","operation":"read","path":"/dev/snd/pcmC0D0c","device":"116:[0-9]*","classes":\["audioIn"\]' /tmp/dev-events.json ||
	fail "no device event: $(grep pcmC0D0c /tmp/dev-events.json)"
grep -q '"manifest":"dev-none".*"operation":"write","path":"","device":"1:3","classes":\[\]' /tmp/dev-events.json ||
	fail "no mknod event: $(grep dev-none /tmp/dev-events.json)"
pass "device denials reach monitor with their class and number"
kill $k $m $p 2>/dev/null
wait 2>/dev/null
