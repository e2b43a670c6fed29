# Desktop servers for guest tests: . /tests/desktop.sh (after
# /tests/charter-test.sh, whose fail and pass it uses).
#
#   desktop_weston      weston, headless, as root: $XDG_RUNTIME_DIR/wayland-0
#   desktop_pulse       PulseAudio, as root, no session, no D-Bus, one null
#                       sink named "null": $XDG_RUNTIME_DIR/pulse/native
#   desktop_tone FILE [HZ [MS]]   a WAV: mono, 16 bit, 8 kHz sine
#                       (440 Hz, 200 ms by default), written by busybox awk
#   desktop_stop        stop both (call it from an EXIT trap)
#
# XDG_RUNTIME_DIR=/run/user/0 (mode 0700, /run is a tmpfs) and
# WAYLAND_DISPLAY=wayland-0 are exported, so clients started after these
# functions find both servers with no more setting: libwayland-client
# connects to $XDG_RUNTIME_DIR/$WAYLAND_DISPLAY, libpulse to
# $XDG_RUNTIME_DIR/pulse/native. Logs are in $DESKTOP_DIR (/tmp/desktop).
# DESKTOP_WESTON_SECS and DESKTOP_PULSE_SECS: guest seconds each took to
# answer.
#
# A test that sources this needs these lines (vm.sh copies what they name
# into the image; the versioned paths are Debian 12's, hence the patterns):
#   # vm-programs: /usr/bin/weston /usr/bin/pulseaudio /usr/bin/pactl /usr/bin/paplay /usr/bin/parec
#   # vm-files: /usr/lib/x86_64-linux-gnu/libweston-*/headless-backend.so /usr/lib/x86_64-linux-gnu/weston/desktop-shell.so
#   # vm-files: /usr/lib/pulse-*/modules/module-null-sink.so /usr/lib/pulse-*/modules/module-native-protocol-unix.so
# (paplay and parec are pacat under other names; the modules' own
# libraries, libprotocol-native.so, libpulsecore, come with them through
# ldd). The Wayland client is /tests/bin/wlclient.
#
# What these servers need, and what they do not (found in the guest, no
# systemd, no logind, no udev, no D-Bus, no seat, no input devices):
#
# weston 10, headless backend, pixman renderer (--use-pixman: the
# compositor really reads the client's buffer; the default no-op renderer
# does not). No seat, logind, DRM device nor fonts. No XKB data either:
# the headless backend has no input devices, so no keymap is compiled,
# but weston makes its XKB context at start and fails ("failed to create
# XKB context") when xkbcommon's include path does not exist:
# XKB_CONFIG_ROOT names an empty directory (the data is 4 MB). XDG_RUNTIME_DIR
# must be set (weston refuses to start without it) and should be 0700.
# The shell is desktop-shell: kiosk-shell (the one that launches no helper)
# never maps a toplevel while no seat exists (weston 10 activates the
# surface through the keyboard focus; fixed upstream later), so a client
# waits for its frame forever. desktop-shell launches its helper client
# (weston-desktop-shell: cairo, pango, fonts) and exits at once when it
# dies within 30 s ("apparently cannot run at all"): it gets a stub
# instead, a script that only sleeps (weston.ini [shell] client=), and
# [input-method] path= (empty) keeps weston-keyboard from being launched.
# Socket: $XDG_RUNTIME_DIR/wayland-0 (srwxr-xr-x) and wayland-0.lock.
#
# PulseAudio 16 as root, without --system: it only warns ("This program is
# not intended to be run as root") and works. -n: no default.pa; the null
# sink and the native protocol are loaded by --load. No D-Bus (two
# warnings), no realtime (rtkit is D-Bus). The daemon writes its cookie
# to $HOME/.config/pulse/cookie (HOME=/root here). A root client is let in
# without any cookie: the native protocol accepts a client whose
# SCM_CREDENTIALS uid is the server's. auth-anonymous=1 lets in any client
# that reaches the socket, cookie or not. Clients never autospawn a daemon
# as root. Socket: $XDG_RUNTIME_DIR/pulse/native (srwxrwxrwx, in pulse/,
# 0700). A stream to the null sink takes about 2 s to drain whatever its
# length (the null sink's latency), on the host too.
#
# A client of another uid (tried as nobody, tests/bin/asuid 65534): both
# directories are 0700 root, so it first needs chmod 0711 on
# $XDG_RUNTIME_DIR and $XDG_RUNTIME_DIR/pulse; weston's socket is 0755
# (connect needs write: EACCES), so also chmod 0777 on wayland-0. libpulse
# then still refuses an XDG_RUNTIME_DIR it does not own ("is not owned by
# us"): give it PULSE_SERVER=unix:$XDG_RUNTIME_DIR/pulse/native (with
# auth-anonymous=1 it is let in; it only warns that it cannot read a
# cookie).

DESKTOP_DIR=/tmp/desktop
export XDG_RUNTIME_DIR=/run/user/0
export WAYLAND_DISPLAY=wayland-0
DESKTOP_WAIT=${DESKTOP_WAIT:-30}	# seconds each server has to come up
DESKTOP_WESTON_PID=
DESKTOP_PULSE_PID=

desktop_now() { cut -d' ' -f1 /proc/uptime; }
desktop_since() { awk -v s="$1" '{ printf "%.1f", $1 - s }' /proc/uptime; }

desktop_runtime() {
	mkdir -p $DESKTOP_DIR $XDG_RUNTIME_DIR
	chmod 0700 $XDG_RUNTIME_DIR
}

# desktop_wait PID LOG WHAT CMD...: until CMD succeeds, while PID lives,
# for DESKTOP_WAIT seconds at most.
desktop_wait() {
	_dw_pid=$1 _dw_log=$2 _dw_what=$3
	shift 3
	_dw_n=0
	until "$@" > /dev/null 2>&1; do
		kill -0 "$_dw_pid" 2>/dev/null ||
			fail "$_dw_what exited before it answered: $(tail -n 15 "$_dw_log")"
		_dw_n=$((_dw_n + 1))
		[ $_dw_n -le $((DESKTOP_WAIT * 10)) ] ||
			fail "$_dw_what did not answer within $DESKTOP_WAIT s: $(tail -n 15 "$_dw_log")"
		sleep 0.1
	done
}

desktop_weston() {
	desktop_runtime
	cat > $DESKTOP_DIR/shell-stub <<EOF
#!/bin/sh
echo \$\$ > $DESKTOP_DIR/shell-stub.pid
exec sleep 2147483647
EOF
	chmod 0755 $DESKTOP_DIR/shell-stub
	cat > $DESKTOP_DIR/weston.ini <<EOF
[core]
idle-time=0
[shell]
client=$DESKTOP_DIR/shell-stub
animation=none
startup-animation=none
[input-method]
path=
EOF
	_dt=$(desktop_now)
	mkdir -p $DESKTOP_DIR/xkb
	env -u WAYLAND_DISPLAY -u DISPLAY XKB_CONFIG_ROOT=$DESKTOP_DIR/xkb weston --backend=headless-backend.so \
		--shell=desktop-shell.so --use-pixman --width=640 --height=480 \
		--socket=$WAYLAND_DISPLAY --config=$DESKTOP_DIR/weston.ini \
		> $DESKTOP_DIR/weston.log 2>&1 &
	DESKTOP_WESTON_PID=$!
	desktop_wait $DESKTOP_WESTON_PID $DESKTOP_DIR/weston.log weston \
		test -S $XDG_RUNTIME_DIR/$WAYLAND_DISPLAY
	# The socket is made before the shell is loaded: ready once the
	# shell has launched its client.
	desktop_wait $DESKTOP_WESTON_PID $DESKTOP_DIR/weston.log "weston's shell" \
		test -s $DESKTOP_DIR/shell-stub.pid
	DESKTOP_WESTON_SECS=$(desktop_since "$_dt")
	echo "weston answers on $XDG_RUNTIME_DIR/$WAYLAND_DISPLAY after $DESKTOP_WESTON_SECS s"
}

desktop_pulse() {
	desktop_runtime
	mkdir -p /root
	_dt=$(desktop_now)
	HOME=/root pulseaudio -n --daemonize=no --use-pid-file=no --system=no \
		--exit-idle-time=-1 --realtime=no --high-priority=no \
		--log-target=stderr \
		--load="module-null-sink sink_name=null" \
		--load="module-native-protocol-unix auth-anonymous=1" \
		> $DESKTOP_DIR/pulse.log 2>&1 &
	DESKTOP_PULSE_PID=$!
	desktop_wait $DESKTOP_PULSE_PID $DESKTOP_DIR/pulse.log pulseaudio \
		pactl info
	DESKTOP_PULSE_SECS=$(desktop_since "$_dt")
	echo "pulseaudio answers on $XDG_RUNTIME_DIR/pulse/native after $DESKTOP_PULSE_SECS s"
}

# busybox awk has no sin(): the samples follow y[i] = 2 cos(w) y[i-1] -
# y[i-2], with cos and sin of the step w from their Taylor series. Every
# byte is written as an octal escape for printf: no od, no helper.
desktop_tone() { # FILE [HZ [MS]]
	awk -v hz="${2:-440}" -v ms="${3:-200}" '
	function le(v, n) { while (n-- > 0) { printf "\\%03o", v % 256; v = int(v / 256) } }
	BEGIN {
		rate = 8000; n = int(rate * ms / 1000); len = 2 * n
		printf "RIFF"; le(36 + len, 4); printf "WAVEfmt "
		le(16, 4); le(1, 2); le(1, 2); le(rate, 4); le(2 * rate, 4)
		le(2, 2); le(16, 2)
		printf "data"; le(len, 4)
		w = 2 * 3.14159265358979 * hz / rate; c = 1; s = 0; t = 1
		for (k = 1; k <= 20; k++) {
			t *= w / k
			if (k % 4 == 1) s += t; else if (k % 4 == 2) c -= t
			else if (k % 4 == 3) s -= t; else c += t
		}
		a = 0; b = 12000 * s
		for (i = 0; i < n; i++) {
			v = int(a); le(v < 0 ? v + 65536 : v, 2)
			y = 2 * c * b - a; a = b; b = y
		}
	}' > "$1.esc" || fail "desktop_tone: awk failed"
	# shellcheck disable=SC2059 # the format is nothing but escapes
	printf "$(cat "$1.esc")" > "$1" || fail "desktop_tone: printf failed"
	rm -f "$1.esc"
}

desktop_stop() {
	for _ds in $DESKTOP_WESTON_PID $DESKTOP_PULSE_PID \
	    $(cat $DESKTOP_DIR/shell-stub.pid 2>/dev/null); do
		kill "$_ds" 2>/dev/null
	done
	for _ds in $DESKTOP_WESTON_PID $DESKTOP_PULSE_PID; do
		wait "$_ds" 2>/dev/null
	done
	DESKTOP_WESTON_PID='' DESKTOP_PULSE_PID=''
	rm -f $DESKTOP_DIR/shell-stub.pid
}
