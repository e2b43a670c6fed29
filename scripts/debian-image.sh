#!/usr/bin/env bash
# Build (or reuse) a minimal Debian 12 system image for the system test, and
# boot it.
#
#   scripts/debian-image.sh build [EXTRA.deb...]
#       build/debian/IMAGE/{root.img,vmlinuz,initrd.img}; prints IMAGE's
#       directory. The image is bookworm from this machine's apt archive
#       (mmdebstrap): systemd as init, linux-image-amd64, linux-headers-amd64,
#       dkms, then build/deb/*.deb (make deb) and EXTRA.deb installed with
#       dpkg inside it, so DKMS builds charter.ko for the image's kernel at
#       build time, as it would on a real machine. IMAGE is named by a hash
#       of the package list, this script and every .deb: a second build with
#       the same inputs returns at once.
#   scripts/debian-image.sh boot IMAGE_DIR TEST.sh OUT_DIR [FILE...]
#       boot IMAGE_DIR's kernel and initrd in QEMU (TCG) on a throw-away
#       copy of its disk (-snapshot), with TEST.sh and the FILEs on a second
#       disk (mounted read-only at /run/charter-test in the guest); the unit
#       charter-system-test.service runs it once the system is up (after
#       multi-user.target) with its output on the second serial port, then
#       powers off. OUT_DIR gets console.log (ttyS0) and results.txt, which
#       ends with "@@ END STATUS". CHARTER_SYSTEM_TIMEOUT (default 900 s)
#       kills a guest that hangs.
#
# The root file system is ext4 on the whole of /dev/vda (no partition
# table); the kernel and initrd are taken out of the image itself, so no
# boot loader is needed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SUITE=bookworm
SIZE=4G
# Packages besides the essential set and apt (mmdebstrap --variant=apt,
# no recommends). The dependencies of the .debs are added to these.
PACKAGES=(
	systemd-sysv udev dbus kmod e2fsprogs
	linux-image-amd64 linux-headers-amd64 dkms
)

log() { echo "debian-image: $*" >&2; }

# The archive this machine uses: the first deb.debian.org-like URI of
# apt's sources (with the security archive alongside, as on the host).
mirrors() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		case $f in
		*.sources)
			awk '/^URIs:/ {u=$2} /^Suites:/ {s=""; for (i=2;i<=NF;i++) s=s" "$i}
			     /^Components:/ {c=""; for (i=2;i<=NF;i++) c=c" "$i}
			     /^$/ {if (u && s) print u "|" s "|" c; u=s=c=""}
			     END {if (u && s) print u "|" s "|" c}' "$f" ;;
		*)
			awk '$1 == "deb" {u=$2; s=$3; c=""; for (i=4;i<=NF;i++) c=c" "$i; print u "|" s "|" c}' "$f" ;;
		esac
	done | grep "bookworm" | grep -v '\[' || true
}

# One sources.list line per suite of the host's bookworm archives.
source_lines() {
	local uri suites comps s
	while IFS='|' read -r uri suites comps; do
		for s in $suites; do
			echo "deb $uri $s ${comps:- main}"
		done
	done < <(mirrors)
}

# Names of the packages a .deb depends on (first of each alternative,
# without versions): they come from the archive, the .deb from dpkg -i.
deb_depends() { # DEB...
	local d
	for d in "$@"; do
		dpkg-deb -f "$d" Depends 2>/dev/null | tr ',' '\n' |
			sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g'
	done | grep -v '^$' | sort -u
}

build() { # EXTRA.deb...
	local debs=() d key dir tmp pkgs sources
	for d in "$ROOT"/build/deb/*.deb "$@"; do
		[ -e "$d" ] || { log "no $d: run make deb first"; exit 1; }
		case $d in *-dbgsym_*) continue ;; esac
		debs+=("$(readlink -f "$d")")
	done
	# Names of our own packages must not be fetched from the archive.
	mapfile -t pkgs < <({ printf '%s\n' "${PACKAGES[@]}"; deb_depends "${debs[@]}"; } |
		grep -vxF -f <(for d in "${debs[@]}"; do dpkg-deb -f "$d" Package; done) | sort -u)
	sources=$(source_lines)
	[ -n "$sources" ] || { log "no bookworm archive in /etc/apt/sources.list*"; exit 1; }
	key=$({ printf '%s\n' "${pkgs[@]}" "$sources" "$SIZE"; cat "$0" "$ROOT/scripts/debian-image-setup.sh" | sha256sum;
		sha256sum "${debs[@]}" | cut -d' ' -f1; } | sha256sum | cut -c1-16)
	dir=$ROOT/build/debian/$key
	if [ -s "$dir/root.img" ] && [ -s "$dir/vmlinuz" ] && [ -s "$dir/initrd.img" ]; then
		log "cached image $dir"
		echo "$dir"
		return
	fi
	command -v mmdebstrap > /dev/null || { log "no mmdebstrap: run scripts/deps.sh"; exit 1; }
	rm -rf "$dir"
	mkdir -p "$dir" "$ROOT/build/debian/apt-cache"
	tmp=$dir/root
	log "building $dir (${#pkgs[@]} packages + ${#debs[@]} .debs)"
	local start=$SECONDS include
	include=$(IFS=,; echo "${pkgs[*]}")
	# Downloaded packages are kept in build/debian/apt-cache and offered to
	# the next build, so a rebuild after `make deb` downloads nothing.
	mmdebstrap --mode=root --variant=apt --include="$include" \
		--aptopt='Acquire::Retries "3"' \
		--setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
		--setup-hook="sync-in '$ROOT/build/debian/apt-cache' /var/cache/apt/archives/" \
		--customize-hook="sync-out /var/cache/apt/archives '$ROOT/build/debian/apt-cache'" \
		--customize-hook='mkdir -p "$1"/tmp/debs' \
		--customize-hook="copy-in ${debs[*]} /tmp/debs" \
		--customize-hook='chroot "$1" sh -c "dpkg -i /tmp/debs/*.deb" && rm -rf "$1"/tmp/debs' \
		--customize-hook="$ROOT/scripts/debian-image-setup.sh" \
		--skip=essential/unlink \
		"$SUITE" "$tmp" - <<< "$sources" > "$dir/mmdebstrap.log" 2>&1 || {
		tail -n 40 "$dir/mmdebstrap.log" >&2
		log "mmdebstrap failed: $dir/mmdebstrap.log"
		exit 1
	}
	rm -rf "$tmp"/var/cache/apt/archives/*.deb
	# The kernel and initrd the image boots, out of the image itself.
	cp "$(readlink -f "$tmp/vmlinuz")" "$dir/vmlinuz"
	cp "$(readlink -f "$tmp/initrd.img")" "$dir/initrd.img"
	mkfs.ext4 -q -L charter-root -d "$tmp" "$dir/root.img.tmp" "$SIZE" > /dev/null
	mv "$dir/root.img.tmp" "$dir/root.img"
	rm -rf "$tmp"
	log "built in $((SECONDS - start)) s"
	echo "$dir"
}

boot() { # IMAGE_DIR TEST.sh OUT_DIR FILE...
	local dir=$1 test=$2 out=$3 payload rc=0 start=$SECONDS
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	payload=$out/payload
	rm -rf "$payload" "$out/payload.img"
	mkdir -p "$payload"
	install -m 0755 "$test" "$payload/test.sh"
	shift 3
	[ $# -eq 0 ] || cp "$@" "$payload/"
	mkfs.ext4 -q -L charter-test -d "$payload" "$out/payload.img" 64M > /dev/null
	: > "$out/console.log"
	: > "$out/results.log"
	# thread=single: see Documentation/testing.rst (never multi-threaded TCG).
	# One guest at a time on this machine (other suites boot guests too).
	flock /tmp/vm.lock timeout --foreground -k 5 "${CHARTER_SYSTEM_TIMEOUT:-900}" qemu-system-x86_64 \
		-accel tcg,thread=single -cpu max -smp 2 -m 2048 \
		-display none -monitor none -no-reboot \
		-serial "file:$out/console.log" -serial "file:$out/results.log" \
		-kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" \
		-append "root=/dev/vda rw console=ttyS0 panic=-1 systemd.show_status=false" \
		-drive "file=$dir/root.img,format=raw,if=virtio,snapshot=on" \
		-drive "file=$out/payload.img,format=raw,if=virtio" \
		-nic none < /dev/null > "$out/qemu.log" 2>&1 || rc=$?
	tr -d '\r' < "$out/results.log" > "$out/results.txt"
	log "guest ran $((SECONDS - start)) s (qemu exit $rc)"
	return $rc
}

case ${1:-} in
build)	shift; build "$@" ;;
boot)	shift; [ $# -ge 3 ] || { log "usage: $0 boot IMAGE_DIR TEST.sh OUT_DIR [FILE...]"; exit 2; }
	boot "$@" ;;
*)	sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
