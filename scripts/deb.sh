#!/usr/bin/env bash
# make deb: build the Debian packages charter and charter-dkms with
# debhelper (debian/), from the files git knows, in build/deb/. Prints the
# paths of the .debs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -SVersion)
OUT=$ROOT/build/deb
SRC=$OUT/charter-$VERSION

rm -rf "$OUT"
mkdir -p "$SRC"
# The tracked files and those not ignored: what a clean clone would hold.
git -C "$ROOT" ls-files -co --exclude-standard -z |
	(cd "$ROOT" && xargs -0 cp --parents -t "$SRC")
(cd "$SRC" && dpkg-buildpackage -us -uc -b > "$OUT/build.log" 2>&1) || {
	tail -n 30 "$OUT/build.log" >&2
	echo "deb.sh: dpkg-buildpackage failed: $OUT/build.log" >&2
	exit 1
}
ls "$OUT"/*.deb
