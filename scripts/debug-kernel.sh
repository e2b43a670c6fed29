#!/usr/bin/env bash
# Charter's debug kernel: Debian's linux-source-6.1 built with
# x86_64_defconfig and tests/debug/kernel.config (lockdep, PROVE_RCU,
# KASAN, kmemleak, debug objects, failslab), for make check-debug.
#
#   scripts/debug-kernel.sh build   build it unless the cache has it; print
#                                   its directory
#   scripts/debug-kernel.sh dir     print its directory (exit 1 if not built)
#
# The cache is build/kdebug/KEY/, KEY the first 16 hex digits of the
# SHA-256 of the fragment, the source tarball's name and size and the
# compiler's version: a changed config is a new kernel, an unchanged one
# is never rebuilt. In it: obj/ (the O= build tree, also what modules are
# built against), root/lib/modules/KVER (modules_install, depmod'ed),
# kver (the release string), build.log and, once complete, .built.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FRAGMENT=$ROOT/tests/debug/kernel.config
STORE=$ROOT/build/kdebug

die() { echo "debug-kernel.sh: $*" >&2; exit 1; }

cache_dir() {
	local tarball key
	tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1 || true)
	[ -n "$tarball" ] || die "no /usr/src/linux-source-6.1.tar.*: run scripts/deps.sh"
	key=$( { cat "$FRAGMENT"; basename "$tarball"; stat -c %s "$tarball"
		gcc --version | head -n 1; } | sha256sum | cut -c 1-16)
	echo "$STORE/$key"
}

# Every CONFIG_ line of the fragment must hold in .config: a wish that
# Kconfig dropped (a missing dependency) would otherwise go unnoticed.
check_config() { # OBJ
	local line name want got bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)	name=${line%%=*} want=${line#*=} ;;
		"# CONFIG_"*" is not set")
			name=${line#\# } name=${name%% *} want=n ;;
		*)		continue ;;
		esac
		got=$(sed -n "s/^$name=//p" "$1/.config")
		[ -n "$got" ] || got=n
		if [ "$got" != "$want" ]; then
			echo "debug-kernel.sh: $name=$want asked, $got given" >&2
			bad=1
		fi
	done < "$FRAGMENT"
	return $bad
}

build() {
	local dir obj src jobs start
	dir=$(cache_dir)
	if [ -e "$dir/.built" ]; then
		echo "$dir"
		return
	fi
	src=$("$ROOT/scripts/kernel-source.sh")
	obj=$dir/obj
	jobs=$(nproc)
	rm -rf "$dir"
	mkdir -p "$obj"
	start=$(date +%s)
	echo "debug-kernel.sh: building the debug kernel in $dir (under an hour; log: $dir/build.log)" >&2
	{
		make -C "$src" O="$obj" x86_64_defconfig
		"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$FRAGMENT"
		make -C "$src" O="$obj" olddefconfig
	} > "$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log" >&2; die "configuration failed"; }
	check_config "$obj" || die "the fragment does not hold: see above"
	make -C "$src" O="$obj" -j"$jobs" bzImage modules >> "$dir/build.log" 2>&1 ||
		{ grep -E 'error|Error' "$dir/build.log" | tail -n 20 >&2; die "build failed (see $dir/build.log)"; }
	make -C "$src" O="$obj" INSTALL_MOD_PATH="$dir/root" INSTALL_MOD_STRIP=1 \
		modules_install >> "$dir/build.log" 2>&1 || die "modules_install failed"
	make -s -C "$src" O="$obj" kernelrelease > "$dir/kver"
	echo "debug-kernel.sh: built $(cat "$dir/kver") in $(( $(date +%s) - start )) s" >&2
	touch "$dir/.built"
	echo "$dir"
}

case "${1:-}" in
build)	build ;;
dir)	d=$(cache_dir); [ -e "$d/.built" ] || exit 1; echo "$d" ;;
*)	sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
esac
