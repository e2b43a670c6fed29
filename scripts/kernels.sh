#!/usr/bin/env bash
# The Debian kernels Charter is built for and tested on.
#
# Each word of KERNELS is a Debian metapackage suffix: linux-image-WORD and
# linux-headers-WORD. The first is the system kernel (installed by
# scripts/deps.sh: headers in /usr/src, image in /boot, modules in
# /lib/modules; version from scripts/kver.sh). Every other one is never
# installed: its packages are downloaded into build/kernels/debs/ and
# unpacked into build/kernels/KVER/, a root-like tree (boot/, lib/modules/,
# usr/src/, usr/lib/linux-kbuild-*). Adding a kernel is adding its word.
#
#   scripts/kernels.sh list          the words, the system kernel first
#   scripts/kernels.sh fetch [WORD]  download and unpack every extra kernel
#                                    (or WORD); quick when already done
#   scripts/kernels.sh info WORD     KVER=, KDIR=, VMLINUZ=, MODROOT= and KO=
#                                    (shell-quoted, for eval): the version,
#                                    the headers to build against, the image
#                                    to boot, the root under which
#                                    lib/modules/KVER lies (for depmod -b,
#                                    modprobe -d) and the charter.ko to load
#   scripts/kernels.sh build WORD    build charter.ko for WORD out of the
#                                    source tree, in build/kernels/KVER/
#                                    module/ (copies of Kbuild, kmod/, uapi/);
#                                    prints its path
#
# KO is kmod/charter.ko (what a plain `make` builds) for the system kernel
# and the out-of-tree build for the others.
#
# One more word, not in the list (so not in make check): debug, Charter's
# debug kernel (scripts/debug-kernel.sh: lockdep, KASAN, kmemleak,
# failslab), built from linux-source-6.1 by fetch, used by make
# check-debug.
set -euo pipefail

KERNELS=(amd64 6.12-amd64)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STORE=$ROOT/build/kernels

die() { echo "kernels.sh: $*" >&2; exit 1; }

SYSTEM=${KERNELS[0]}

known() { # WORD
	local w
	[ "$1" = debug ] && return 0
	for w in "${KERNELS[@]}"; do [ "$w" = "$1" ] && return 0; done
	die "unknown kernel '$1' (known: ${KERNELS[*]})"
}

# The versioned packages behind a metapackage: the image, the headers and
# the headers' own linux-headers-*/linux-kbuild-* dependencies.
depends_on() { # PACKAGE PATTERN
	apt-cache depends --important "$1" |
		sed -n "s/^ *|\{0,1\}Depends: \($2\)\$/\1/p"
}

resolve_kver() { # WORD
	local img=
	# Not `| head`: under pipefail a writer cut off by SIGPIPE fails.
	read -r img < <(depends_on "linux-image-$1" 'linux-image-[^ <]*') || true
	[ -n "$img" ] || die "apt-cache knows no linux-image-$1 (apt-get update?)"
	echo "${img#linux-image-}"
}

# Debian's headers point outside themselves with absolute paths (symlinks
# to /usr/lib/linux-kbuild-*, /usr/src/..., an include in the Makefile):
# make each point at the same path inside TREE.
relocate() { # TREE KVER
	local tree=$1 kver=$2 link target
	find "$tree" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
		target=$(readlink "$link")
		ln -sfnr "$tree$target" "$link"
	done
	sed -i "s|^include /usr/src/|include $tree/usr/src/|" \
		"$tree/usr/src/linux-headers-$kver/Makefile"
}

fetch_one() { # WORD
	local kver
	kver=$(resolve_kver "$1")
	[ -e "$STORE/$kver/.fetched" ] || unpack "$1" "$kver"
	# The version info and build use, written once its tree is complete.
	echo "$kver" > "$STORE/$1.kver.new"
	mv "$STORE/$1.kver.new" "$STORE/$1.kver"
}

unpack() { # WORD KVER
	local word=$1 kver=$2 tree=$STORE/$2 pkgs deb _
	mapfile -t pkgs < <(echo "linux-image-$kver"; echo "linux-headers-$kver"
		depends_on "linux-headers-$kver" 'linux-\(headers\|kbuild\)-[^ <]*')
	echo "kernels.sh: fetching $word ($kver): ${pkgs[*]}" >&2
	mkdir -p "$STORE/debs"
	rm -rf "$tree"
	mkdir -p "$tree"
	apt-get download -qq --print-uris "${pkgs[@]}" > "$tree/.uris"
	while read -r _ deb _; do
		[ -e "$STORE/debs/$deb" ] || (cd "$STORE/debs" &&
			apt-get download -q -o APT::Sandbox::User=root "${deb%%_*}" >&2)
		dpkg-deb -x "$STORE/debs/$deb" "$tree"
	done < "$tree/.uris"
	relocate "$tree" "$kver"
	# Packages leave modules.dep to their postinst: make it here.
	depmod -b "$tree" "$kver"
	[ -r "$tree/boot/vmlinuz-$kver" ] || die "no boot/vmlinuz-$kver in $tree"
	echo "${pkgs[*]}" > "$tree/.fetched"
}

fetch() { # [WORD]
	local w
	mkdir -p "$STORE"
	if [ $# -gt 0 ]; then
		known "$1"
		if [ "$1" = debug ]; then
			"$ROOT/scripts/debug-kernel.sh" build > /dev/null
			return
		fi
		[ "$1" = "$SYSTEM" ] || fetch_one "$1"
		return
	fi
	for w in "${KERNELS[@]}"; do
		[ "$w" = "$SYSTEM" ] || fetch_one "$w"
	done
}

info() { # WORD
	local kver kdir vmlinuz modroot ko
	known "$1"
	if [ "$1" = "$SYSTEM" ]; then
		kver=${KVER:-$("$ROOT/scripts/kver.sh")}
		kdir=/usr/src/linux-headers-$kver
		vmlinuz=/boot/vmlinuz-$kver
		modroot=/
		ko=$ROOT/kmod/charter.ko
	elif [ "$1" = debug ]; then
		modroot=$("$ROOT/scripts/debug-kernel.sh" dir) ||
			die "the debug kernel is not built: scripts/kernels.sh fetch debug"
		kver=$(cat "$modroot/kver")
		kdir=$modroot/obj
		vmlinuz=$kdir/arch/x86/boot/bzImage
		ko=$STORE/$kver/module/kmod/charter.ko
		modroot=$modroot/root
	else
		[ -r "$STORE/$1.kver" ] || die "$1 is not fetched: scripts/kernels.sh fetch $1"
		kver=$(cat "$STORE/$1.kver")
		modroot=$STORE/$kver
		kdir=$modroot/usr/src/linux-headers-$kver
		vmlinuz=$modroot/boot/vmlinuz-$kver
		ko=$modroot/module/kmod/charter.ko
	fi
	printf 'KVER=%q\nKDIR=%q\nVMLINUZ=%q\nMODROOT=%q\nKO=%q\n' \
		"$kver" "$kdir" "$vmlinuz" "$modroot" "$ko"
}

# Out of the source tree, so that kmod/ keeps the system kernel's build.
build() { # WORD
	# shellcheck disable=SC2034 # info's other variables, unused here
	local KVER KDIR VMLINUZ MODROOT KO out f
	fetch "$1"
	eval "$(info "$1")"
	out=$STORE/$KVER/module
	mkdir -p "$out"
	# The sources only (git knows them from kmod/'s own build products),
	# and only those that changed, so kbuild's rebuild stays incremental.
	git -C "$ROOT" ls-files -co --exclude-standard -- Kbuild kmod uapi > "$out/.sources" ||
		die "build needs the git work tree (or: make KDIR=...)"
	while read -r f; do
		cmp -s "$ROOT/$f" "$out/$f" 2>/dev/null || install -D -m 0644 "$ROOT/$f" "$out/$f"
	done < "$out/.sources"
	echo "kernels.sh: building charter.ko for $KVER in $out" >&2
	make -s -C "$KDIR" M="$out" modules >&2
	echo "$out/kmod/charter.ko"
}

case "${1:-}" in
list)	printf '%s\n' "${KERNELS[@]}" ;;
fetch)	fetch "${@:2}" ;;
info)	[ $# -eq 2 ] || die "usage: kernels.sh info WORD"; info "$2" ;;
build)	[ $# -eq 2 ] || die "usage: kernels.sh build WORD"; build "$2" ;;
*)	sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
esac
