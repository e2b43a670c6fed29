#!/usr/bin/env bash
# The system test: Charter's packages on a real Debian 12 booted with
# systemd (issue 15). Builds the packages (make deb) and a test package,
# charter-probe (tests/system/: a program, its systemd unit, its signed
# manifest and the key that signs it); builds or reuses the Debian image
# with all of them installed by dpkg (scripts/debian-image.sh); boots it
# and runs tests/system/guest.sh in it. TAP on stdout, last line
# "N passed, N failed"; exit 0 when nothing failed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/build/system
SRC=$ROOT/tests/system
BAD_CONSOLE='Oops|BUG:|WARNING:|general protection|Kernel panic'
log() { echo "system-test: $*" >&2; }

# A fixed time for every file of the test package, so that the same
# sources make the same .deb and the cached image is reused.
export SOURCE_DATE_EPOCH=1700000000

# charter-probe_VERSION.0_amd64.deb from tests/system/, signed with a key
# made once and kept in build/system/key (the signature is deterministic).
# Version 2 is the upgrade: another binary, and a postinst that restarts
# the service, as a daemon's package does.
probe_deb() { # VERSION
	local v=$1 pkg=$WORK/pkg charter=$ROOT/userspace/charter
	mkdir -p "$WORK/key"
	[ -s "$WORK/key/probe.key" ] || "$charter" keygen -o "$WORK/key/probe" > /dev/null
	rm -rf "$pkg"
	install -d "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/lib/systemd/system" \
		"$pkg/etc/systemd/system/multi-user.target.wants" \
		"$pkg/etc/charter/manifests.d" "$pkg/etc/charter/trusted.d" \
		"$pkg/var/lib/charter-probe/allowed" "$pkg/var/lib/charter-probe/forbidden" \
		"$pkg/usr/share/charter-probe"
	gcc -O2 -Wall -Werror -DPROBE_VERSION="$v" -o "$pkg/usr/bin/charter-probe" \
		"$SRC/charter-probe.c"
	if [ "$v" != 1 ]; then
		cat > "$pkg/DEBIAN/postinst" <<-'POSTINST'
		#!/bin/sh
		set -e
		if [ "$1" = configure ] && [ -d /run/systemd/system ]; then
			systemctl daemon-reload
			systemctl restart charter-probe.service
		fi
		POSTINST
		chmod 0755 "$pkg/DEBIAN/postinst"
	fi
	install -m 0644 "$SRC/charter-probe.service" "$pkg/lib/systemd/system/"
	ln -s /lib/systemd/system/charter-probe.service \
		"$pkg/etc/systemd/system/multi-user.target.wants/charter-probe.service"
	echo allowed > "$pkg/var/lib/charter-probe/allowed/data"
	echo forbidden > "$pkg/var/lib/charter-probe/forbidden/data"
	install -m 0644 "$WORK/key/probe.pub" "$pkg/etc/charter/trusted.d/charter-probe.pub"
	install -m 0644 "$SRC/charter-probe.yaml" "$pkg/etc/charter/manifests.d/"
	install -m 0644 "$SRC/bad.yaml" "$pkg/usr/share/charter-probe/"
	"$charter" sign -k "$WORK/key/probe.key" "$pkg/etc/charter/manifests.d/charter-probe.yaml" \
		"$pkg/usr/share/charter-probe/bad.yaml" > /dev/null
	cat > "$pkg/DEBIAN/control" <<-CTRL
	Package: charter-probe
	Version: $v.0
	Architecture: amd64
	Maintainer: Charter developers <charter@example.org>
	Depends: charter, libc6
	Description: Charter system test: a manifested service
	CTRL
	find "$pkg" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	dpkg-deb --root-owner-group -Zgzip -b "$pkg" "$WORK/charter-probe_$v.0_amd64.deb" > /dev/null
}

mkdir -p "$WORK"
make -s -C "$ROOT" tool
"$ROOT/scripts/deb.sh" > /dev/null
probe_deb 1
probe_deb 2
t0=$SECONDS
image=$("$ROOT/scripts/debian-image.sh" build "$WORK/charter-probe_1.0_amd64.deb")
log "image ready in $((SECONDS - t0)) s: $image"
qrc=0
"$ROOT/scripts/debian-image.sh" boot "$image" "$SRC/guest.sh" "$WORK/guest" \
	"$WORK/charter-probe_2.0_amd64.deb" || qrc=$?

N=0 PASSED=0 FAILED=0
result() { # OK DESCRIPTION
	N=$((N + 1))
	if [ "$1" = ok ]; then
		PASSED=$((PASSED + 1)); echo "ok $N - system: $2"
	else
		FAILED=$((FAILED + 1)); echo "not ok $N - system: $2"
	fi
}
res=$WORK/guest/results.txt
up=$(sed -n 's/^@@ UPTIME //p' "$res")
[ -z "$up" ] || echo "# the test started $up s after the kernel booted (guest clock)"
while IFS= read -r line; do
	case $line in
	"ok - "*)	result ok "${line#ok - }" ;;
	"not ok - "*)	result fail "${line#not ok - }" ;;
	"#"*)		echo "$line" ;;
	esac
done < <(awk '/^@@ BEGIN/ {on=1; next} /^@@ END/ {on=0} on' "$res")
end=$(sed -n 's/^@@ END //p' "$res")
if [ "$end" = 0 ]; then
	result ok "the guest ran the test to its end"
else
	result fail "the guest ran the test to its end (end status '${end:-none}', qemu exit $qrc)"
	tr -d '\r' < "$WORK/guest/console.log" | tail -n 60 | sed 's/^/#   /'
fi
bad=$(tr -d '\r' < "$WORK/guest/console.log" | grep -E "$BAD_CONSOLE" || true)
if [ -z "$bad" ]; then
	result ok "the console has no kernel report"
else
	result fail "the console has no kernel report"
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/#   /'
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
