# Helpers for the red-team tests (tests/attack/*.sh): . /tests/attack.sh
# A test tries every attack, counts the ones that worked (ESCAPE lines)
# and fails at the end if any did; each attack is undone from outside.
. /tests/charter-test.sh

ESCAPES=0

escape() { echo "ESCAPE: $*"; ESCAPES=$((ESCAPES + 1)); }

# refused DESC ERRNOS CMD...: CMD (a helper) must fail with one of ERRNOS
# (comma separated); return 1 (after an ESCAPE line) when it did not.
refused() {
	desc=$1; want=$2; shift 2
	"$@" > /tmp/refused.out 2>&1
	got=$?
	case ",$want," in
	*",$got,"*) pass "$desc: refused (errno $got)"; return 0 ;;
	esac
	escape "$desc: expected errno $want, got exit $got: $(cat /tmp/refused.out)"
	return 1
}

# no_leak DESC SECRET CMD...: CMD's output must not contain SECRET.
no_leak() {
	desc=$1; secret=$2; shift 2
	"$@" > /tmp/refused.out 2>&1
	got=$?
	if grep -q "$secret" /tmp/refused.out; then
		escape "$desc: got the secret (exit $got)"
		return 1
	fi
	pass "$desc: nothing leaked (exit $got)"
}

finish() {
	[ "$ESCAPES" -eq 0 ] || fail "$ESCAPES attack(s) worked"
	echo "every attack was refused"
}

# manifest DIR NAME PROG [EXTRA-YAML-LINES]: DIR/NAME.yml for ./PROG with
# DIR readExecute and whatever else the lines grant.
manifest() {
	dir=$1; name=$2; prog=$3; extra=${4:-}
	{
		printf 'manifestVersion: v1\nname: %s\nrun: ./%s\nbaseline: none\n' "$name" "$prog"
		printf 'allowedDirectories:\n  - {name: self, path: %s, permission: readExecute}\n' "$dir"
		[ -z "$extra" ] || printf '%s\n' "$extra"
	} > "$dir/$name.yml"
}

# have_fs FS: modprobe FS; on the debug kernel (a debug kernel built
# before its fragment had XFS and btrfs) a missing one is n/a (return 1),
# elsewhere a failure.
have_fs() {
	modprobe "$1" && return 0
	debug_kernel || fail "modprobe $1"
	pass "n/a: no $1 in this kernel"
	return 1
}

# ext4_mount IMG DIR BLOCKS: a fresh ext4 of BLOCKS 4 KiB blocks (in a
# 16 MiB image), with extents and encryption, mounted on DIR.
ext4_mount() {
	rm -rf "$2" && mkdir -p "$2"
	dd if=/dev/zero of="$1" bs=1M count=16 2>/dev/null
	mke2fs -F -b 4096 "$1" "$3" > /dev/null 2>&1 || fail "mke2fs"
	/tests/bin/privop ext4-feature "$1" 10040 0 || fail "ext4 features"
	mount -t ext4 -o loop "$1" "$2" || fail "mount ext4"
}

# unique SRC DST: a copy of SRC with one more byte (another digest).
unique() { cp "$1" "$2" && echo >> "$2"; }
