#!/bin/sh
# vm-programs: /usr/bin/weston /usr/bin/pulseaudio /usr/bin/pactl /usr/bin/paplay /usr/bin/parec
# vm-files: /usr/lib/x86_64-linux-gnu/libweston-*/headless-backend.so /usr/lib/x86_64-linux-gnu/weston/desktop-shell.so
# vm-files: /usr/lib/pulse-*/modules/module-null-sink.so /usr/lib/pulse-*/modules/module-native-protocol-unix.so
# vm-guest: own
# The desktop servers of tests/lib/desktop.sh run in the guest, unconfined
# (no Charter policy; the module is not loaded): weston (headless) draws a
# Wayland client's surface, PulseAudio plays a tone to its null sink, and
# what its monitor records is not silence. A guest of its own: the
# servers' libraries stay out of the shared guest's image.
. /tests/charter-test.sh
. /tests/desktop.sh
trap desktop_stop EXIT
W=/tmp/desktop-servers
rm -rf $W
mkdir -p $W

# ---- Wayland -----------------------------------------------------------
desktop_weston
pass "weston listens on $XDG_RUNTIME_DIR/$WAYLAND_DISPLAY"
out=$(wlclient 20 2>&1) || fail "wlclient (exit $?): $out; weston: $(tail -n 15 $DESKTOP_DIR/weston.log)"
[ "$out" = "drawn 320x240" ] || fail "wlclient printed '$out'"
pass "a Wayland client's surface is drawn: $out"
out=$(WAYLAND_DISPLAY=wayland-9 wlclient 2>&1)
rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "wayland-9: No such file or directory" ||
	fail "wlclient with no compositor: exit $rc, '$out'"
pass "wlclient with no compositor: exit 1, the socket and errno named"

# ---- PulseAudio --------------------------------------------------------
desktop_pulse
pass "pulseaudio listens on $XDG_RUNTIME_DIR/pulse/native"
pactl list short sinks | grep -q '^[0-9]*[[:space:]]null[[:space:]]' ||
	fail "no null sink: $(pactl list short sinks 2>&1)"
desktop_tone $W/tone.wav
[ "$(wc -c < $W/tone.wav)" = 3244 ] || fail "the tone is $(wc -c < $W/tone.wav) bytes, not 3244"
# Record the null sink's monitor while the tone plays: s16le, so silence
# is nothing but zero bytes.
parec -d null.monitor --raw --format=s16le --rate=8000 --channels=1 \
	--latency-msec=20 > $W/rec.raw 2> $W/parec.err &
rec=$!
sleep 0.5
t=$(desktop_now)
out=$(paplay $W/tone.wav 2>&1) || fail "paplay (exit $?): $out"
echo "paplay took $(desktop_since "$t") s"
pass "paplay plays a tone to the null sink"
sleep 0.5
kill $rec
wait $rec
loud=$(tr -d '\000' < $W/rec.raw | wc -c)
echo "recorded $(wc -c < $W/rec.raw) bytes, $loud of them not zero"
[ "$loud" -gt 1000 ] ||
	fail "the monitor recorded silence ($loud bytes not zero): $(cat $W/parec.err)"
pass "the null sink's monitor recorded the tone"

desktop_stop
[ ! -e $XDG_RUNTIME_DIR/$WAYLAND_DISPLAY ] && [ ! -e $XDG_RUNTIME_DIR/pulse/native ] ||
	fail "a socket is left after desktop_stop: $(ls -lR $XDG_RUNTIME_DIR)"
pass "desktop_stop stops both servers (their sockets are gone)"
