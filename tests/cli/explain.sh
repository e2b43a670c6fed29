#!/bin/sh
# charter explain: the proposal's manifest in words, its exposure score and
# what to question; JSON that parses; bad input refused with its position.
. "$(dirname "$0")/lib.sh"
P=$FIXTURES/proposal/myapp.yml

expect 0 "explain the proposal's manifest" "$CHARTER" explain --mounts "$FIXTURES/mounts" "$P"
expect_out "its name, program and author" "^myApp \(.*/proposal/myapp\), by myCompany$"
expect_out "its directory, in words" "^  read everything under .*/tests/fixtures/proposal \('appDir'\)$"
expect_out "its UNC share, in words" "^  read and write /mnt/repo/Tools/admin and everything beneath it \('sharedFolder'\)$"
expect_out "its network rule, in words" "^  accept TCP connections on port 8080 from 127.0.0.1 \('localhost'\)$"
expect_out "its devices, in words" "^  use the keyboard, the mouse, audio output \(speakers\) and the display \(its device nodes, Wayland and X11\)$"
expect_out "the runtime baseline" "the runtime baseline"
expect_out "its exposure score" "^Exposure: 4\.0/10 \(0: nothing, 10: everything\)$"
expect_out "the costliest grant first" "^   2\.75  use the keyboard"
expect_out "display reaches X11: flagged" "X11: display reaches an X server, whose clients can read every other client's keystrokes and windows; grant wayland"

expect 0 "explain --json" "$CHARTER" explain --json --mounts "$FIXTURES/mounts" "$P"
grep '^{' "$T/out" > "$T/json"
expect 0 "the JSON parses, with every grant" python3 -c '
import json, sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
assert o["name"] == "myApp" and o["exposure"] == 4.0, o
assert [g["kind"] for g in o["grants"]] == ["path", "path", "network", "devices", "baseline"], o
assert o["grants"][2]["entry"] == "localhost" and o["grants"][2]["cost"] == 0.5, o
assert len(o["warnings"]) == 1 and o["warnings"][0].startswith("X11: display"), o' "$T/json"

sed 's/^  - display$/  - wayland/' "$P" > "$T/wayland.yml"
grep -q '^  - wayland$' "$T/wayland.yml" || echo "the proposal's allowedDevices moved: fix this test"
expect 0 "explain a Wayland-only manifest" "$CHARTER" explain --mounts "$FIXTURES/mounts" "$T/wayland.yml"
expect_out "wayland, in words" "a Wayland compositor \(windows, keyboard and mouse through it\)$"
expect_no_out "Wayland only: nothing to question" "^Question these:"

cat > "$T/wide.yml" <<'YML'
manifestVersion: v1
name: wide
run: /bin/sh
baseline: none
allowedDirectories:
  - {name: all, path: /, permission: readWrite}
  - {name: tools, path: /opt/tools, permission: execute}
allowedNetwork:
  - {name: out, direction: outbound, ip: any, protocol: tcp}
allowedDevices: [keyboard, mouse, joystick, audioOut, audioIn, display, gpu, camera, serial, usb, storage]
YML
expect 0 "explain a manifest that grants everything" "$CHARTER" explain "$T/wide.yml"
expect_out "its score is 10" "^Exposure: 10\.0/10"
expect_out "write to system files" "write to system files: / \(entry 'all'\)"
expect_out "read on the whole filesystem" "read on the whole filesystem: / \(entry 'all'\)"
expect_out "write and run reach the same files" "write \(/, entry 'all'\) and run \(/opt/tools, entry 'tools'\) reach the same files"
expect_out "any address" "any address: network entry 'out'"
expect_out "every device class" "every device class"

printf 'manifestVersion: v1\nname: bad\nrun: /bin/sh\nallowedDevices: [telepathy]\n' > "$T/bad.yml"
expect 1 "a bad manifest is refused" "$CHARTER" explain "$T/bad.yml"
expect_out "with its position" "bad.yml:4:18: "
expect 2 "explain needs a manifest" "$CHARTER" explain
exit $cli_failed
