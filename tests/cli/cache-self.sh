#!/bin/bash
# The policy cache and the tool itself: the key holds the running tool's
# build ID (its GNU build-id note, read from memory, cache_tool_id()), so
# a charter of other code, wherever its file lies, never uses an entry
# another build made, and the tool's file is not hashed on every load (it
# is recorded by its lstat() tuple, as the libraries are). A tool without
# a build ID has its bytes hashed instead, and works all the same.
. "$(dirname "$0")/lib.sh"
export CHARTER_CACHE_TRACE=1

id=$(readelf -n "$CHARTER" 2>/dev/null | sed -n 's/.*Build ID: *//p')
if [ -z "$id" ] || ! command -v objcopy > /dev/null; then
	echo "# the tool has no build ID, or no readelf and objcopy: skipped"
	cli_done
fi
mkdir -p "$T/bin" "$T/m"
printf 'manifestVersion: v1\nname: a\nrun: /bin/true\n' > "$T/m/a.yml"
cp "$CHARTER" "$T/bin/same"
cp "$CHARTER" "$T/bin/other"
# section_at FILE NAME: the file offset of section NAME (decimal), or "".
section_at() {
	local hex
	hex=$(readelf -SW "$1" | awk -v s="$2" '{ for (i = 1; i < NF; i++) if ($i == s) print $(i + 3) }')
	[ -z "$hex" ] || echo $((16#$hex))
}
# other: the first byte of its build ID changed (a note, not code), after
# the note's header (12 bytes) and name ("GNU\0").
off=$(section_at "$T/bin/other" .note.gnu.build-id)
[ -n "$off" ] && off=$((off + 16)) || not_ok "setup: no build ID section"
printf "\\x$(printf %02x $((0x${id:0:2} ^ 0xff)))" |
	dd of="$T/bin/other" bs=1 seek="$off" conv=notrunc status=none
[ "$(readelf -n "$T/bin/other" | sed -n 's/.*Build ID: *//p')" != "$id" ] ||
	not_ok "setup: the copy's build ID is unchanged"
objcopy --remove-section .note.gnu.build-id "$T/bin/same" "$T/bin/noid" ||
	not_ok "setup: objcopy"
sleep 2.2

compile() {
	run "$T/bin/$1" compile --allow-unsigned --cache-dir "$T/cache" -o "$T/$1.bin" "$T/m"
}
compile same
expect_out "the first compile stores the entry" '^charter: cache: stored$'
compile same
expect_out "the same tool uses it" '^charter: cache: hit$'
compile other
expect_out "a tool of another build ID (same path records, other code) does not" \
	'^charter: cache: miss \(no entry\)$'
compile noid
expect_out "a tool without a build ID has a key of its own" '^charter: cache: miss \(no entry\)$'
expect_out "and stores its entry" '^charter: cache: stored$'
compile noid
expect_out "which it uses" '^charter: cache: hit$'
# Its bytes are hashed: one rewritten in place (in .comment, not code).
off=$(section_at "$T/bin/noid" .comment)
if [ -n "$off" ]; then
	printf 'g' | dd of="$T/bin/noid" bs=1 seek="$off" conv=notrunc status=none
	compile noid
	expect_out "a tool without a build ID, rewritten in place, compiles anew" \
		'^charter: cache: miss \(a file changed\)$'
fi
expect 0 "the policies are the same" cmp "$T/same.bin" "$T/noid.bin"
cli_done
