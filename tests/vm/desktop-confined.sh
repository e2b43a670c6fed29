#!/bin/sh
# vm-programs: /usr/bin/weston /usr/bin/pulseaudio /usr/bin/pactl /usr/bin/paplay /usr/bin/parec
# vm-files: /usr/lib/x86_64-linux-gnu/libweston-*/headless-backend.so /usr/lib/x86_64-linux-gnu/weston/desktop-shell.so
# vm-files: /usr/lib/pulse-*/modules/module-null-sink.so /usr/lib/pulse-*/modules/module-native-protocol-unix.so
# vm-guest: own
# Desktop programs confined (issue 19): real servers (tests/lib/desktop.sh:
# weston headless, PulseAudio with a null sink) and real clients (wlclient
# draws a surface and waits for its frame; paplay plays a tone), each
# client run by manifests that differ only in allowedDevices. PASSES when
# a client works with its class (wayland or display; audioOut or audioIn)
# and with the proposal's four classes (mouse, keyboard, audioOut,
# display), is refused without them, and cannot reach the other server:
# the Wayland client with audioOut only, the player with wayland only.
# The null sink's monitor must hear the confined player's tone.
. /tests/charter-test.sh
. /tests/desktop.sh
trap desktop_stop EXIT
load_module

D=/opt/dc M=/srv/dc-media
rm -rf $D $M && mkdir -p $D $M
desktop_tone $M/tone.wav

# wl-NAME and paplay-NAME (pacat plays when its name says "play"), each
# with a manifest granting CLASSES; paplay may read the media directory.
client() { # NAME CLASSES
	cp /tests/bin/wlclient $D/wl-$1 && echo "$1" >> $D/wl-$1
	cp /usr/bin/paplay $D/paplay-$1 && echo "$1" >> $D/paplay-$1
	for p in wl paplay; do
		cat > $D/$p-$1.yml <<EOF
manifestVersion: v1
name: $p-$1
run: ./$p-$1
allowedDirectories:
  - {name: self, path: $D, permission: readExecute}
  - {name: media, path: $M, permission: read}
allowedDevices: [$2]
EOF
	done
}
client none ""
client wayland wayland
client display display
client audioout audioOut
client audioin audioIn
client input "keyboard, mouse"
client proposal "mouse, keyboard, audioOut, display"
charter load --allow-unsigned $D/*.yml > /tmp/dc.load 2>&1 || fail "load: $(cat /tmp/dc.load)"

desktop_weston
desktop_pulse
charter monitor > /tmp/dc.events 2>&1 & mon=$!
sleep 0.5

# ---- Wayland ----
draws() { # NAME
	out=$($D/wl-$1 20 2>&1) || fail "wl-$1 (exit $?): $out; weston: $(tail -n 5 $DESKTOP_DIR/weston.log)"
	[ "$out" = "drawn 320x240" ] || fail "wl-$1 printed '$out'"
	pass "wl-$1 draws on the compositor: $out"
}
refused_wl() { # NAME
	out=$($D/wl-$1 5 2>&1)
	rc=$?
	[ $rc = 1 ] && echo "$out" | grep -q "Permission denied" ||
		fail "wl-$1: expected its connect refused, got exit $rc: $out"
	pass "wl-$1 is refused the compositor: $out"
}
draws wayland
draws display
draws proposal
refused_wl none
refused_wl input
refused_wl audioout
refused_wl audioin

# ---- Sound ----
parec -d null.monitor --raw --format=s16le --rate=8000 --channels=1 \
	--latency-msec=20 > /tmp/dc.rec 2> /tmp/dc.parec &
rec=$!
sleep 0.5
plays() { # NAME
	out=$($D/paplay-$1 $M/tone.wav 2>&1) || fail "paplay-$1 (exit $?): $out"
	pass "paplay-$1 plays to the sound server"
}
refused_play() { # NAME
	out=$($D/paplay-$1 $M/tone.wav 2>&1) &&
		fail "paplay-$1 played with no sound class: $out"
	pass "paplay-$1 is refused the sound server: $(echo "$out" | tail -n 1)"
}
plays audioout
plays audioin
plays proposal
sleep 0.5
kill $rec
wait $rec
loud=$(tr -d '\000' < /tmp/dc.rec | wc -c)
[ "$loud" -gt 1000 ] || fail "the monitor heard silence ($loud bytes not zero): $(cat /tmp/dc.parec)"
pass "the null sink's monitor heard the confined players ($loud bytes not zero)"
refused_play none
refused_play input
refused_play wayland
refused_play display

# Learning: the drafts name the class each client used, no more.
devices() { sed -n '/^allowedDevices:/,/^$/p' "$1" | sed -n 's/^  - //p' | tr '\n' ' '; }
cp /tests/bin/wlclient $D/wl-learn && echo learn >> $D/wl-learn
cp /usr/bin/paplay $D/paplay-learn && echo learn >> $D/paplay-learn
charter learn -o /tmp/dc-wl.yml --name wl-learn -- $D/wl-learn 20 > /tmp/dc-learn.out 2>&1 ||
	fail "learn wlclient: $(cat /tmp/dc-learn.out)"
[ "$(devices /tmp/dc-wl.yml)" = "wayland " ] ||
	fail "the Wayland client's draft: $(devices /tmp/dc-wl.yml)"
charter learn -o /tmp/dc-pa.yml --name paplay-learn -- $D/paplay-learn $M/tone.wav > /tmp/dc-learn.out 2>&1 ||
	fail "learn paplay: $(cat /tmp/dc-learn.out)"
[ "$(devices /tmp/dc-pa.yml)" = "audioOut " ] ||
	fail "the player's draft: $(devices /tmp/dc-pa.yml)"
pass "learning drafts wayland for the Wayland client and audioOut (not audioIn) for the player"

# The refusals name the servers' sockets (libpulse stops earlier, at
# its runtime directory, which only a sound class lets it read).
sleep 1
kill $mon 2> /dev/null
for e in "wl-audioout: denied write server socket (wayland) $XDG_RUNTIME_DIR/wayland-0" \
	 "paplay-wayland: denied read $XDG_RUNTIME_DIR/pulse"; do
	grep -qF ") $e" /tmp/dc.events || fail "no event '$e': $(grep 'server socket' /tmp/dc.events | head -5)"
done
pass "refusals reported as the servers' sockets"
