#!/bin/sh
# vm-modules: evdev uinput
# Attack (third red team; routes: the ioctl hook, kernel.c
# charter_hook_file_ioctl(), which judges nothing on a device node beyond
# the terminal table: fs.c charter_check_fs_ioctl() returns 0 for what is
# neither a regular file nor a directory; and the open, fs.c
# charter_check_device(), which decides by class alone, whatever the
# access asked for).
#
# 1. /dev/random and /dev/urandom are always allowed (dev.c
#    charter_dev_always_allowed()); their ioctls RNDADDTOENTCNT,
#    RNDADDENTROPY (CAP_SYS_ADMIN) credit the kernel's input pool with
#    entropy it never had (known bytes counted as 256 random bits: before
#    the CRNG is seeded, a confined service started early at boot marks
#    it seeded for every user with input it chose; once seeded the count
#    stays at 256 and the credit changes nothing visible, so the test
#    decides by the call's success). The whole system's state, no class,
#    no rule. RNDRESEEDCRNG (reseeds everyone's CRNG, harmless) and
#    RNDCLEARPOOL (a no-op since 5.18) are printed as notes.
# 2. keyboard class: the manifest says the program may use the keyboard's
#    input device (read keys). The class is checked at open whatever the
#    access: open(event, O_WRONLY) and write() of input_events injects
#    keystrokes into the input core, which every handler receives as
#    typed: the virtual console's keyboard handler (typing into the
#    administrator's console, what TIOCSTI does and Charter refuses),
#    a display server's libinput, every other reader. EVIOCGRAB takes the
#    keyboard from every other handler (the console, X, Wayland) for as
#    long as the program holds it; EVIOCSKEYCODE and EVIOCSREP change the
#    device's key map and autorepeat for everyone, and outlive the program.
#    The injection and the grab are shown on a uinput keyboard; the key
#    map and autorepeat on the emulated AT keyboard (i8042), n/a without.
# ESCAPE when the confined call works; each is made outside first, where
# it must work, and undone from outside. All worked when first run (red
# team); now dev.c charter_dev_ioctl_refused() refuses the random pool's
# writers, EVIOCGRAB, EVIOCSKEYCODE, EVIOCSREP and EVIOCSABS in a domain,
# and charter_dev_write_refused() a keyboard's or mouse's event node
# opened for writing.
. /tests/attack.sh
EBUSY=16
load_module
for m in evdev uinput; do modprobe $m || fail "modprobe $m"; done
F=/tmp/i3-free
unique /tests/bin/ioctl3atk $F

rm -rf /opt/i3 && mkdir -p /opt/i3
cp /tests/bin/ioctl3atk /opt/i3/rnd
cp /tests/bin/ioctl3atk /opt/i3/kbd && echo >> /opt/i3/kbd && echo >> /opt/i3/kbd
R=/opt/i3/rnd
K=/opt/i3/kbd
manifest /opt/i3 i3r rnd
manifest /opt/i3 i3k kbd "allowedDevices: [keyboard]"
expect_ok "load" charter load --allow-unsigned /opt/i3

# --- 1. /dev/random's ioctls, no class ---
echo "# outside: $($F rnd /dev/urandom getcnt)"
expect_ok "RNDADDTOENTCNT outside" $F rnd /dev/urandom addcnt
expect_ok "RNDRESEEDCRNG outside" $F rnd /dev/urandom reseed
refused "RNDADDTOENTCNT inside (/dev/urandom, always allowed)" $EPERM,$EACCES \
	$R rnd /dev/urandom addcnt
refused "RNDADDENTROPY inside, known bytes credited as 256 bits" $EPERM,$EACCES \
	$R rnd /dev/random addent
# Notes, not counted: a reseed only adds; RNDCLEARPOOL does nothing since 5.18.
for op in reseed clear; do
	$R rnd /dev/urandom $op > /tmp/i3.out 2>&1
	echo "# note: RND $op inside: exit $? $(cat /tmp/i3.out)"
done

# --- 2. what the keyboard class lets a program do to the keyboard ---
node_of() { # the /dev/input/eventN of the input device named $1
	for e in /sys/class/input/event*; do
		[ "$(cat $e/device/name 2>/dev/null)" = "$1" ] && { echo /dev/input/${e##*/}; return; }
	done
}
uinputdev kbd charter-i3kbd 60 & u=$!
sleep 2
KBD=$(node_of charter-i3kbd)
[ -n "$KBD" ] || fail "no event node for the uinput keyboard"
expect_ok "keyboard class: reading $KBD (what the grant is for)" $K evread $KBD 0

# Injection: an outside reader sees the keys (as the console and a
# display server would).
$F evread $KBD 3 > /tmp/i3-out.keys & rd=$!
sleep 1
expect_ok "injecting KEY_X into $KBD outside" $F evwrite $KBD 45
wait $rd
grep -q "key 45 1" /tmp/i3-out.keys || fail "outside injection not seen: $(cat /tmp/i3-out.keys)"
$F evread $KBD 3 > /tmp/i3-in.keys & rd=$!
sleep 1
$K evwrite $KBD 21 > /tmp/i3.out 2>&1
echo "# inside: evwrite exit $? $(cat /tmp/i3.out)"
wait $rd
if grep -q "key 21 1" /tmp/i3-in.keys; then
	escape "keyboard class: write() to $KBD injected KEY_Y, which every reader of the keyboard (console, display server) got as typed"
else
	pass "keyboard class: no key injected from inside"
fi

# Grab: outside, then inside holding it while outside tries.
expect_ok "EVIOCGRAB outside" $F evgrab $KBD 0
$K evgrab $KBD 4 > /tmp/i3-grab.out 2>&1 & g=$!
sleep 2
$F evgrab $KBD 0 > /tmp/i3.out 2>&1
r=$?
echo "# inside: $(cat /tmp/i3-grab.out); outside grab meanwhile: exit $r"
if grep -q grabbed /tmp/i3-grab.out && [ $r -eq $EBUSY ]; then
	escape "keyboard class: EVIOCGRAB took $KBD from every other handler (console, display server)"
else
	pass "keyboard class: EVIOCGRAB refused inside"
fi
wait $g
kill $u 2>/dev/null; wait $u 2>/dev/null

AT=$(node_of "AT Translated Set 2 keyboard")
if [ -z "$AT" ]; then
	pass "n/a: no AT keyboard in this guest (key map, autorepeat)"
else
	orig=$($F evgetkey $AT 0x1e) || fail "EVIOCGKEYCODE outside"
	echo "# $AT: scancode 0x1e is key $orig"
	expect_ok "EVIOCSKEYCODE outside" $F evsetkey $AT 0x1e 48
	[ "$($F evgetkey $AT 0x1e)" = 48 ] || fail "EVIOCSKEYCODE outside changed nothing"
	expect_ok "restore" $F evsetkey $AT 0x1e $orig
	$K evsetkey $AT 0x1e 48 > /tmp/i3.out 2>&1
	echo "# inside: EVIOCSKEYCODE exit $? $(cat /tmp/i3.out)"
	if [ "$($F evgetkey $AT 0x1e)" = 48 ]; then
		escape "keyboard class: EVIOCSKEYCODE remapped A to B on $AT for everyone"
		$F evsetkey $AT 0x1e $orig > /dev/null
	else
		pass "keyboard class: EVIOCSKEYCODE refused inside"
	fi
	expect_ok "EVIOCSREP outside" $F evrep $AT 250 33
	refused "keyboard class: EVIOCSREP (everyone's autorepeat) inside" $EPERM,$EACCES \
		$K evrep $AT 1000 500
	$F evrep $AT 250 33
fi

rm -f /tmp/i3-*.keys /tmp/i3*.out
finish
