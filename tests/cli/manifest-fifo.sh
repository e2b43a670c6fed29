#!/usr/bin/env bash
# A FIFO named *.yml in a manifest directory (or named as a manifest, or
# as a manifest's .sig) once hung a cold compile or load (and so
# charter-boot): the file was opened without O_NONBLOCK and read as if
# regular. Now it is opened with O_NONBLOCK and refused, named, as not a
# regular file; the other manifests are still read. `timeout` guards
# each run: 124 is a hang.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/m/bin" "$T/s" "$T/trust"
head -c 512 /dev/urandom > "$T/m/bin/prog"
chmod 755 "$T/m/bin/prog"
printf 'manifestVersion: v1\nname: good\nrun: %s/m/bin/prog\n' "$T" > "$T/m/good.yml"
mkfifo "$T/m/pipe.yml" || { echo "# no mkfifo: skipped"; cli_done; }

# guard DESC: the last run was not cut by timeout (status 124).
guard() { [ "$rc" -ne 124 ] && ok "$1: no hang" || not_ok "$1: hung (killed by timeout)"; }

run timeout 20 "$CHARTER" compile --allow-unsigned -o "$T/out.bin" "$T/m"
guard "compile of a directory holding a FIFO"
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && ok "compile: exit non-zero ($rc)" ||
	not_ok "compile: status $rc: $(head -c 600 "$T/out")"
expect_out "compile: the FIFO named, not a regular file" 'pipe\.yml.*not a regular file'

run timeout 20 "$CHARTER" compile --allow-unsigned --cache-dir "$T/cache" -o "$T/out.bin" "$T/m"
guard "cached compile of a directory holding a FIFO"
expect_out "cached compile: the FIFO named, not a regular file" 'pipe\.yml.*not a regular file'

run timeout 20 "$CHARTER" check "$T/m/pipe.yml"
guard "check of a FIFO named as the manifest"
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && ok "check: exit non-zero ($rc)" ||
	not_ok "check: status $rc: $(head -c 600 "$T/out")"
expect_out "check: the FIFO named, not a regular file" 'pipe\.yml.*not a regular file'

# A FIFO as the .sig of a signed manifest: refused, not read forever.
cp "$T/m/good.yml" "$T/s/a.yml"
"$CHARTER" keygen -o "$T/k" > /dev/null && cp "$T/k.pub" "$T/trust/k.pub" ||
	not_ok "setup: keygen"
mkfifo "$T/s/a.yml.sig"
run timeout 20 "$CHARTER" compile --trust "$T/trust" -o "$T/out.bin" "$T/s"
guard "compile of a manifest whose .sig is a FIFO"
expect_out "a FIFO .sig: named, not a regular file" 'a\.yml\.sig.*not a regular file'
cli_done
