#!/usr/bin/env bash
# Install everything Charter needs to build and test, with apt-get.
# Idempotent: when every package is already installed it returns in well
# under a second without touching the network.
set -euo pipefail

PKGS=(
	build-essential gcc make pkg-config git python3 perl
	libyaml-dev libmnl-dev libsodium-dev libkmod-dev libcmocka-dev
	linux-headers-amd64 linux-image-amd64 linux-source-6.1
	bc flex bison libelf-dev libssl-dev xz-utils zstd dwarves
	qemu-system-x86 busybox-static cpio kmod
	clang libclang-rt-14-dev
	libbpf-dev zlib1g-dev
	debhelper dh-dkms dkms lintian scdoc man-db
	mmdebstrap e2fsprogs xfsprogs btrfs-progs
	webfs curl
	trinity stress-ng
	weston libwayland-dev wayland-protocols pulseaudio pulseaudio-utils
)

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists; an old list may name removed
# versions, so refresh once whenever something has to be installed.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
