#!/usr/bin/env bash
# Unpack Debian's linux-source-6.1 once into build/linux-source-6.1 and
# print that directory. Shared by scripts/kunit.sh and
# scripts/debug-kernel.sh, which build out of it with O= (it stays clean).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/build/linux-source-6.1

mkdir -p "$ROOT/build"
# Two builders may ask at once: one unpacks, the other waits for it.
exec 9> "$ROOT/build/.kernel-source.lock"
flock 9
if [ ! -e "$SRC/.unpacked" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1 || true)
	[ -n "$tarball" ] || { echo "kernel-source.sh: no /usr/src/linux-source-6.1.tar.*: run scripts/deps.sh" >&2; exit 1; }
	echo "kernel-source.sh: unpacking $tarball" >&2
	rm -rf "$SRC"
	tar -C "$ROOT/build" -xf "$tarball"
	touch "$SRC/.unpacked"
fi
echo "$SRC"
