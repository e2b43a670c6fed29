#!/usr/bin/env bash
# The Debian packages (make deb), as TAP: they build with debhelper,
# lintian finds no error in them, they hold what they should, and DKMS
# builds the module from charter-dkms for every kernel of
# scripts/kernels.sh, in a DKMS tree of its own (nothing is installed).
# The system kernel's module must come out signed with DKMS's key (what
# Secure Boot needs, once that key is enrolled with mokutil).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/deb
WORK=$ROOT/build/pkg-test
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - pkg: $1"; }
not_ok() { # DESC [DETAIL]
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - pkg: $1"
	[ -z "${2:-}" ] || sed 's/^/#   /' <<<"$2"
}
check() { # DESC CMD... (passes when CMD succeeds)
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc" "$out"; fi
}

echo "TAP version 13"
version=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -SVersion)
if ! debs=$("$ROOT/scripts/deb.sh" 2>&1); then
	not_ok "make deb" "$debs"
	echo "1..$n"; echo "0 passed, $failed failed"; exit 1
fi
ok "make deb builds $(echo "$debs" | xargs -n1 basename | tr '\n' ' ')"
tool_deb=$OUT/charter_${version}_amd64.deb
dkms_deb=$OUT/charter-dkms_${version}_amd64.deb

for deb in "$tool_deb" "$dkms_deb"; do
	out=$(lintian --tag-display-limit 0 "$deb" 2>&1)
	if grep -q '^E: ' <<<"$out"; then
		not_ok "lintian: no error in $(basename "$deb")" "$out"
	else
		ok "lintian: no error in $(basename "$deb") ($(grep -c '^W: ' <<<"$out") warnings)"
	fi
done

rm -rf "$WORK"
mkdir -p "$WORK/tool" "$WORK/src" "$WORK/dkms"
dpkg-deb -x "$tool_deb" "$WORK/tool"
dpkg-deb -x "$dkms_deb" "$WORK/src"
check "charter: /usr/sbin/charter runs" "$WORK/tool/usr/sbin/charter" --help
for page in man8/charter.8 man5/charter-manifest.5; do
	check "charter: $page renders" sh -c \
		"man -l '$WORK/tool/usr/share/man/$page.gz' > /dev/null"
done
check "charter: the trigger reloads after package changes (dpkg file trigger)" sh -c \
	"dpkg-deb --ctrl-tarfile '$tool_deb' | tar -xO ./triggers | grep -qx 'interest-noawait /usr/bin'"
check "charter: bash completion, the tool's commands" bash -c \
	". '$WORK/tool/usr/share/bash-completion/completions/charter' &&
	 COMP_WORDS=('$WORK/tool/usr/sbin/charter' lo) COMP_CWORD=1 && _charter &&
	 [ \"\${COMPREPLY[*]}\" = 'load lock' ]"
check "charter: /etc/charter/manifests.d and trusted.d" \
	test -d "$WORK/tool/etc/charter/manifests.d" -a -d "$WORK/tool/etc/charter/trusted.d"
src=$WORK/src/usr/src/charter-$version
check "charter-dkms: dkms.conf names charter $version" \
	grep -qx "PACKAGE_VERSION=\"$version\"" "$src/dkms.conf"
missing=$(cd "$ROOT" && git ls-files Kbuild kmod/Kbuild ':(glob)kmod/*.[chS]' uapi/charter.h |
	while read -r f; do cmp -s "$f" "$src/$f" || echo "$f"; done)
if [ -z "$missing" ]; then ok "charter-dkms: every module source, as in the tree"
else not_ok "charter-dkms: every module source, as in the tree" "missing or different: $missing"; fi
[ ! -e "$src/kmod/tests" ] && ok "charter-dkms: no KUnit sources" ||
	not_ok "charter-dkms: no KUnit sources"

check "dkms add" dkms add -m charter -v "$version" \
	--sourcetree "$WORK/src/usr/src" --dkmstree "$WORK/dkms"
mapfile -t words < <("$ROOT/scripts/kernels.sh" list)
for word in "${words[@]}"; do
	eval "$("$ROOT/scripts/kernels.sh" info "$word")"
	args=(-m charter -v "$version" -k "$KVER" --sourcetree "$WORK/src/usr/src"
	      --dkmstree "$WORK/dkms")
	[ "$word" = "${words[0]}" ] || args+=(--kernelsourcedir "$KDIR")
	if ! out=$(dkms build "${args[@]}" 2>&1); then
		not_ok "dkms builds charter.ko for $KVER" "$out"
		continue
	fi
	ko=$(find "$WORK/dkms/charter/$version/$KVER" -name 'charter.ko*' | head -n 1)
	if [ -n "$ko" ] && [ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$KVER" ]; then
		ok "dkms builds charter.ko for $KVER"
	else
		not_ok "dkms builds charter.ko for $KVER" "$out"
	fi
	# DKMS signs with the kernel's scripts/sign-file, found under
	# /lib/modules/KVER/build: only the installed kernel has it here.
	if [ "$word" = "${words[0]}" ] && [ -n "$ko" ]; then
		signer=$(modinfo -F signer "$ko")
		[ -n "$signer" ] && ok "dkms signed it for $KVER ($signer)" ||
			not_ok "dkms signed it for $KVER"
	fi
done

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
