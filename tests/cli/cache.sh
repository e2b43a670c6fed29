#!/bin/bash
# The policy cache (Documentation/design.rst, "The policy cache"): a
# second compile with the same arguments uses the entry ("cache: hit"),
# and every kind of change the compile depended on makes the next run
# compile again, giving what a cold compile gives (byte for byte). The
# key splits on each option; a cache that may not be trusted or a corrupt
# entry is not used; a cached load prints what the cold one printed.
#
# An entry is written only when no file it depends on changed in the 2 s
# before the compile (racy files): every scenario is made first, then one
# wait, then the checks.
. "$(dirname "$0")/lib.sh"
export CHARTER_CACHE_TRACE=1

# scenario NAME: $T/NAME with bin/prog, bin/other, data/, m/a.yml, m/b.yml.
scenario() {
	S=$T/$1
	mkdir -p "$S/bin" "$S/m" "$S/data/aaa" "$S/data/bbb" "$S/d1/sub" "$S/d2/sub"
	head -c 4096 /dev/urandom > "$S/bin/prog"
	head -c 4096 /dev/urandom > "$S/bin/other"
	chmod 755 "$S/bin/prog" "$S/bin/other"
	ln -s d1 "$S/link"
	printf 'manifestVersion: v1\nname: a\nrun: %s/bin/prog\nallowedDirectories:\n  - {name: d, path: %s/data/aaa, permission: read}\n  - {name: l, path: %s/link/sub, permission: read}\n' \
		"$S" "$S" "$S" > "$S/m/a.yml"
	printf 'manifestVersion: v1\nname: b\nrun: %s/bin/other\n' "$S" > "$S/m/b.yml"
}

for s in same edit add remove rename inode inplace link key block blockpath \
	 opts perm owner entryperm corrupt load; do
	scenario $s
done
# A block in the second search directory (the first may get one later).
mkdir -p "$T/block/b1" "$T/block/b2" "$T/blockpath/b1" "$T/blockpath/b2"
for s in block blockpath; do
	printf 'block: extra\ndescription: test block\nallowedDirectories:\n  - {name: x, path: /srv/one, permission: read}\n' \
		> "$T/$s/b2/extra.yml"
	printf 'use: extra\n' >> "$T/$s/m/b.yml"
done
# Signed manifests: the trust store holds key1.
"$CHARTER" keygen -o "$T/key1" > /dev/null && "$CHARTER" keygen -o "$T/key2" > /dev/null ||
	not_ok "keygen"
mkdir -p "$T/key/trust"
cp "$T/key1.pub" "$T/key/trust/k.pub"
"$CHARTER" sign -k "$T/key1.key" "$T/key/m/a.yml" "$T/key/m/b.yml" || not_ok "sign"
sleep 2.2

# cc NAME ARGS...: compile scenario NAME's manifests through its cache into
# $T/NAME/out.bin, and cold (no cache) into $T/NAME/cold.bin.
cc() {
	local s=$1
	shift
	run "$CHARTER" compile --cache-dir "$T/$s/cache" -o "$T/$s/out.bin" "$@"
	cp "$T/out" "$T/$s/log"
	"$CHARTER" compile -o "$T/$s/cold.bin" "$@" > /dev/null 2>&1
	cp "$T/$s/log" "$T/out"
}

# prime NAME ARGS...: the second compile is a hit.
prime() {
	local s=$1
	cc "$@"
	cc "$@"
	if grep -q '^charter: cache: hit$' "$T/out"; then
		ok "$s: a second compile uses the cache"
	else
		not_ok "$s: the second compile did not use the cache: $(cat "$T/out")"
	fi
}

# recompiled NAME DESC: the last compile missed, and gave the cold output.
recompiled() {
	if grep -q '^charter: cache: miss' "$T/out"; then
		ok "$1: $2: compiled again"
	else
		not_ok "$1: $2: the cache was used: $(cat "$T/out")"
	fi
	if cmp -s "$T/$1/out.bin" "$T/$1/cold.bin"; then
		ok "$1: $2: the policy is the cold compile's"
	else
		not_ok "$1: $2: the policy differs from a cold compile's"
	fi
}

A=--allow-unsigned

S=$T/same
prime same $A "$S/m"
expect 0 "same: the cached policy is byte-identical to a cold compile's" cmp "$S/out.bin" "$S/cold.bin"

S=$T/edit
prime edit $A "$S/m"
cp -p "$S/m/a.yml" "$T/ref"
ino=$(stat -c %i "$S/m/a.yml")
sed 's|/data/aaa|/data/bbb|' "$T/ref" > "$T/edited" && cat "$T/edited" > "$S/m/a.yml"
touch -r "$T/ref" "$S/m/a.yml"
[ "$(stat -c %i "$S/m/a.yml")" = "$ino" ] || not_ok "edit: the same inode"
[ "$(stat -c %s.%y "$S/m/a.yml")" = "$(stat -c %s.%y "$T/ref")" ] ||
	not_ok "edit: size and mtime kept"
cc edit $A "$S/m"
recompiled edit "a manifest edited in place, same size and mtime"

S=$T/add
prime add $A "$S/m"
printf 'manifestVersion: v1\nname: c\nrun: /bin/true\n' > "$S/m/c.yml"
cc add $A "$S/m"
recompiled add "a manifest added to the directory"

S=$T/remove
prime remove $A "$S/m"
rm "$S/m/b.yml"
cc remove $A "$S/m"
recompiled remove "a manifest removed"

S=$T/rename
prime rename $A "$S/m"
mv "$S/m/b.yml" "$S/m/b.yml.off"
cc rename $A "$S/m"
recompiled rename "a manifest renamed out of the directory"

S=$T/inode
prime inode $A "$S/m"
head -c 4096 /dev/urandom > "$S/bin/new" && chmod 755 "$S/bin/new" && mv "$S/bin/new" "$S/bin/prog"
cc inode $A "$S/m"
recompiled inode "a program replaced (new inode)"

S=$T/inplace
prime inplace $A "$S/m"
cp -p "$S/bin/prog" "$T/ref"
head -c 4096 /dev/urandom | dd of="$S/bin/prog" conv=notrunc status=none
touch -r "$T/ref" "$S/bin/prog"
cc inplace $A "$S/m"
recompiled inplace "a program rewritten in place (same inode, size, mtime)"

S=$T/link
prime link $A "$S/m"
ln -s d2 "$S/link.new" && mv -T "$S/link.new" "$S/link"
cc link $A "$S/m"
recompiled link "a symlink on a rule's path swapped"

S=$T/key
prime key --trust "$S/trust" "$S/m"
cp "$T/key2.pub" "$S/trust/k.pub"
cc key --trust "$S/trust" "$S/m"
if [ "$rc" = 1 ] && grep -q 'not in the trust store' "$T/out"; then
	ok "key: a trust key replaced: the signature is checked again, and refused"
else
	not_ok "key: a trust key replaced, yet status $rc: $(cat "$T/out")"
fi

S=$T/block
prime block $A --blocks "$S/b1" --blocks "$S/b2" "$S/m"
sed -i 's|/srv/one|/srv/two|' "$S/b2/extra.yml"
cc block $A --blocks "$S/b1" --blocks "$S/b2" "$S/m"
recompiled block "a building block changed"

S=$T/blockpath
prime blockpath $A --blocks "$S/b1" --blocks "$S/b2" "$S/m"
sed 's|/srv/one|/srv/first|' "$S/b2/extra.yml" > "$S/b1/extra.yml"
cc blockpath $A --blocks "$S/b1" --blocks "$S/b2" "$S/m"
recompiled blockpath "a block appearing earlier in the search path"

# Each option splits the key: the same cache, other options, no entry.
S=$T/opts
prime opts $A "$S/m"
split() {
	cc opts "$@"
	if grep -q '^charter: cache: miss (no entry)$' "$T/out"; then
		ok "opts: $desc: another key"
	else
		not_ok "opts: $desc: the entry of other options was used: $(cat "$T/out")"
	fi
}
desc="without --allow-unsigned" split "$S/m"
expect_out "opts: and the unsigned manifests are refused" "unsigned: .*is missing"
desc="--trust" split $A --trust "$S" "$S/m"
desc="--mounts" split $A --mounts "$FIXTURES/mounts" "$S/m"
desc="--blocks" split $A --blocks "$S/bin" "$S/m"
desc="the arguments" split $A "$S/m/a.yml" "$S/m/b.yml"
desc="the arguments' order" split $A "$S/m/b.yml" "$S/m/a.yml"
# The same relative argument from another directory: other manifests.
(cd "$S" && cc opts $A m && cc opts $A m)
expect_out "opts: a relative argument: a hit from the same directory" "^charter: cache: hit$"
(cd "$T/add" && cc opts $A m && cp "$T/out" "$T/opts.log")
cp "$T/opts.log" "$T/out"
expect_out "opts: the working directory splits the key" "^charter: cache: miss \(no entry\)$"
expect 0 "opts: and the policy is that directory's" cmp "$S/out.bin" "$S/cold.bin"

# A cache that whoever is not root could write is not used.
S=$T/perm
prime perm $A "$S/m"
chmod 0777 "$S/cache"
cc perm $A "$S/m"
expect_out "perm: a group/world-writable cache directory is ignored, with a warning" \
	"warning: the policy cache is ignored"
expect_out "perm: and not used" "^charter: cache: miss \(a cache directory that may not be trusted\)"

S=$T/owner
prime owner $A "$S/m"
chown nobody "$S/cache"
cc owner $A "$S/m"
expect_out "owner: a cache directory owned by another user is ignored" \
	"^charter: cache: miss \(a cache directory that may not be trusted\)"

S=$T/entryperm
prime entryperm $A "$S/m"
chmod 0666 "$S"/cache/*
cc entryperm $A "$S/m"
expect_out "entryperm: a world-writable entry is ignored" \
	"^charter: cache: miss \(an entry that may not be trusted\)"

S=$T/corrupt
prime corrupt $A "$S/m"
f=$(ls "$S"/cache/*)
size=$(stat -c %s "$f")
printf '\377' | dd of="$f" bs=1 seek=$((size - 100)) conv=notrunc status=none
cc corrupt $A "$S/m"
expect_out "corrupt: a damaged entry is not used" "^charter: cache: miss \(a corrupt entry\)"
expect_out "corrupt: and the entry is written again" "^charter: cache: stored$"
expect 0 "corrupt: the policy is the cold compile's" cmp "$S/out.bin" "$S/cold.bin"

# A file changed in the last 2 s: compiled, not stored (racy).
scenario racy
cc racy $A "$T/racy/m"
expect_out "racy: an entry depending on a file changed in the last 2 s is not written" \
	"^charter: cache: not stored \(a file it depends on changed in the last 2 seconds\)"

# load: the cached run prints what the cold one printed (the module file
# is missing: the policy is kept, then sending it fails, on the host).
S=$T/load
rm "$S/bin/other"	# b is refused: its message and the count are replayed
load() {
	"$CHARTER" load --cache-dir "$S/cache" --module "$T/none.ko" $A "$S/m" > "$S/$1" 2>&1
	echo "status $?" >> "$S/$1"
}
load cold
load cached
if grep -q '^charter: cache: hit$' "$S/cached" && grep -q 'cannot hash' "$S/cached"; then
	ok "load: the cached load uses the entry and replays the refusal"
else
	not_ok "load: cached load: $(cat "$S/cached")"
fi
grep -v '^charter: cache: ' "$S/cold" > "$S/cold.out"
grep -v '^charter: cache: ' "$S/cached" > "$S/cached.out"
expect 0 "load: the cached load prints what the cold one printed" cmp "$S/cold.out" "$S/cached.out"
expect 0 "load: --no-cache neither uses nor writes it" sh -c \
	"'$CHARTER' load --no-cache --module '$T/none.ko' $A '$S/m' 2>&1 | grep -q '^charter: cache:' && exit 1; exit 0"
expect 2 "load --policy refuses the cache options" "$CHARTER" load --policy "$S/out.bin" --no-cache

cli_done
