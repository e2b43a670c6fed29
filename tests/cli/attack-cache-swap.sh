#!/bin/bash
# Attack (route: the policy cache, userspace/cache.c and deps.c; red team
# 17f): things put where a recorded file was, and entries that are not
# the compile's. Each must make the next cached compile miss (or refuse
# the entry) and give what a cold compile gives, without hanging:
#   fifo      a FIFO put at the program's path (the check opens it
#             O_NONBLOCK: no hang; another type: a miss)
#   socket    a unix socket at the program's path
#   chardev   a character device (mknod c 1 3) at the program's path
#   endlink   the manifest replaced by a symlink to a file of other bytes
#             with its times (touch -r)
#   midlink   the manifest directory replaced by a symlink to a copy
#             (cp -a: same names, sizes, times) with one manifest edited
#   dircopy   the manifest directory replaced by such a copy (a directory)
#   hardlink  the manifest edited in place through a hard link elsewhere,
#             same size, mtime put back (ctime moves)
#   bindfile  a same-size file bind-mounted over the manifest (root)
#   binddir   a copy of the directory bind-mounted over it (root)
#   nofile    ulimit -n 10 with 150 manifests (more than a batch of 64):
#             the cached compile is right, and a change in the last
#             manifest is still seen
#   rollback  an older entry of the same key put back after a change
#   otherkey  another key's entry renamed to this key's name
#   truncated the entry cut short
#   foreign   an entry owned by another user; a cache directory owned by
#             another user; a cache directory that is a symlink to a good
#             one; CHARTER_CACHE_DIR in a sticky world-writable directory
#             where another user made it first
. "$(dirname "$0")/lib.sh"
export CHARTER_CACHE_TRACE=1
A=--allow-unsigned

# scenario NAME: $T/NAME with bin/prog and m/a.yml (a rule on data/aaa).
scenario() {
	S=$T/$1
	mkdir -p "$S/bin" "$S/m" "$S/data/aaa" "$S/data/bbb"
	head -c 4096 /dev/urandom > "$S/bin/prog"
	chmod 755 "$S/bin/prog"
	printf 'manifestVersion: v1\nname: a\nrun: %s/bin/prog\nallowedDirectories:\n  - {name: d, path: %s/data/aaa, permission: read}\n' \
		"$S" "$S" > "$S/m/a.yml"
}
all="fifo socket chardev endlink midlink dircopy hardlink bindfile binddir
     rollback otherkey truncated foreign nofile"
for s in $all; do
	scenario $s
done
for i in $(seq 1 149); do
	printf '#!/bin/sh\n# %03d\n' $i > "$T/nofile/bin/p$i" && chmod 755 "$T/nofile/bin/p$i"
	printf 'manifestVersion: v1\nname: n%03d\nrun: %s/bin/p%d\n' $i "$T/nofile" $i > "$T/nofile/m/n$i.yml"
done
mkdir -p "$T/other"
printf 'manifestVersion: v1\nname: o\nrun: /bin/true\n' > "$T/other/o.yml"
# Copies to swap in later, made now (not racy): a.yml with data/bbb.
for s in endlink midlink dircopy hardlink bindfile binddir; do
	S=$T/$s
	cp -a "$S/m" "$S/m2"
	sed 's|/data/aaa|/data/bbb|' "$S/m/a.yml" > "$S/m2/a.yml"
	touch -r "$S/m/a.yml" "$S/m2/a.yml"
	touch -r "$S/m" "$S/m2"
done
ln "$T/hardlink/m/a.yml" "$T/hardlink/alias.yml"
sleep 2.2

# cc NAME ARGS...: through $T/NAME/cache into out.bin (log in $T/out),
# and cold into cold.bin; each under a timeout.
cc() {
	local s=$1
	shift
	run timeout 20 "$CHARTER" compile --cache-dir "$T/$s/cache" -o "$T/$s/out.bin" "$@"
	cp "$T/out" "$T/$s/log"
	timeout 20 "$CHARTER" compile -o "$T/$s/cold.bin" "$@" > /dev/null 2>&1
	cp "$T/$s/log" "$T/out"
}
prime() {
	cc "$@"
	cc "$@"
	grep -q '^charter: cache: hit$' "$T/out" || not_ok "$1: setup: no hit: $(cat "$T/out")"
}
# missed NAME DESC: the last compile did not use the entry and matches cold.
missed() {
	if [ "$rc" = 124 ]; then
		not_ok "$1: $2: the compile hung"
	elif grep -q '^charter: cache: hit$' "$T/out"; then
		if cmp -s "$T/$1/out.bin" "$T/$1/cold.bin"; then
			not_ok "$1: $2: the entry was used (the same policy as cold, but no change seen)"
		else
			not_ok "$1: $2: ESCAPE: a stale entry was used: $(cat "$T/out")"
		fi
	elif [ -e "$T/$1/cold.bin" ] && ! cmp -s "$T/$1/out.bin" "$T/$1/cold.bin"; then
		not_ok "$1: $2: missed, but the policy is not the cold compile's"
	else
		ok "$1: $2: $(grep -m1 '^charter: cache: miss' "$T/out")"
	fi
}

for s in fifo socket chardev; do
	S=$T/$s
	prime $s $A "$S/m"
	rm "$S/bin/prog"
	case $s in
	fifo) mkfifo "$S/bin/prog" ;;
	socket) python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$S/bin/prog" ;;
	chardev) mknod "$S/bin/prog" c 1 3 2>/dev/null || { echo "# mknod: skipped"; continue; } ;;
	esac
	rm -f "$S/cold.bin"
	cc $s $A "$S/m"
	missed $s "a $s at the program's path"
done

S=$T/endlink
prime endlink $A "$S/m"
mv "$S/m2/a.yml" "$S/other.yml"
ln -s "$S/other.yml" "$S/m/a.yml.new" && mv -T "$S/m/a.yml.new" "$S/m/a.yml"
cc endlink $A "$S/m"
missed endlink "the manifest replaced by a symlink to other bytes"

S=$T/midlink
prime midlink $A "$S/m"
mv "$S/m" "$S/m.old" && ln -s m2 "$S/m"
cc midlink $A "$S/m"
missed midlink "the manifest directory replaced by a symlink to an edited copy"

S=$T/dircopy
prime dircopy $A "$S/m"
mv "$S/m" "$S/m.old" && mv "$S/m2" "$S/m"
cc dircopy $A "$S/m"
missed dircopy "the manifest directory replaced by an edited copy (same names, sizes, times)"

S=$T/hardlink
prime hardlink $A "$S/m"
cp -p "$S/alias.yml" "$T/ref"
sed 's|/data/aaa|/data/bbb|' "$T/ref" > "$T/edited" && cat "$T/edited" > "$S/alias.yml"
touch -r "$T/ref" "$S/alias.yml"
cc hardlink $A "$S/m"
missed hardlink "the manifest edited through a hard link, mtime put back"

if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	S=$T/bindfile
	prime bindfile $A "$S/m"
	# In a mount namespace of its own: nothing leaks to the host.
	unshare -m sh -c "mount --bind '$S/m2/a.yml' '$S/m/a.yml' && timeout 20 '$CHARTER' compile --cache-dir '$S/cache' -o '$S/out.bin' $A '$S/m' && timeout 20 '$CHARTER' compile -o '$S/cold.bin' $A '$S/m' 2>/dev/null" > "$T/out" 2>&1
	rc=$?
	missed bindfile "a same-size file bind-mounted over the manifest"
	S=$T/binddir
	prime binddir $A "$S/m"
	unshare -m sh -c "mount --bind '$S/m2' '$S/m' && timeout 20 '$CHARTER' compile --cache-dir '$S/cache' -o '$S/out.bin' $A '$S/m' && timeout 20 '$CHARTER' compile -o '$S/cold.bin' $A '$S/m' 2>/dev/null" > "$T/out" 2>&1
	rc=$?
	missed binddir "a copy of the directory bind-mounted over it"
else
	echo "# bind mounts: not root or no unshare: skipped"
fi

# A low RLIMIT_NOFILE: 150 manifests, each hashed (more than one batch).
S=$T/nofile
ncc() {
	run sh -c "ulimit -n 10 && exec timeout 60 '$CHARTER' compile --cache-dir '$S/cache' -o '$S/out.bin' $A '$S/m'"
	cp "$T/out" "$S/log"
	"$CHARTER" compile -o "$S/cold.bin" $A "$S/m" > /dev/null 2>&1
}
ncc
ncc
if grep -q '^charter: cache: hit$' "$S/log" && cmp -s "$S/out.bin" "$S/cold.bin"; then
	ok "nofile: ulimit -n 10, 150 manifests: the cached compile hits, the cold policy"
else
	not_ok "nofile: ulimit -n 10: rc $rc: $(head -c 400 "$S/log")"
fi
cp -p "$S/m/n149.yml" "$T/ref"
sed 's|name: n149|name: x149|' "$T/ref" > "$T/edited" && cat "$T/edited" > "$S/m/n149.yml"
touch -r "$T/ref" "$S/m/n149.yml"
ncc
missed nofile "ulimit -n 10: the last of 150 manifests edited (same size, mtime)"
expect_out "nofile: as a changed file" "^charter: cache: miss \(a file changed\)$"

# An older entry of the same key put back after a change: checked again.
S=$T/rollback
prime rollback $A "$S/m"
cp -a "$S/cache" "$T/rollback.saved"
sed -i 's|/data/aaa|/data/bbb|' "$S/m/a.yml"
sleep 2.2
cc rollback $A "$S/m"
rm -rf "$S/cache" && cp -a "$T/rollback.saved" "$S/cache"
cc rollback $A "$S/m"
missed rollback "an older entry of the key put back"

# Another key's entry (other manifests) under this key's name.
S=$T/otherkey
prime otherkey $A "$S/m"
mine=$(ls "$S"/cache/*)
timeout 20 "$CHARTER" compile --cache-dir "$S/cache2" -o "$S/o.bin" $A "$T/other" > /dev/null 2>&1
cp "$(ls "$S"/cache2/*)" "$mine" || not_ok "otherkey: setup"
cc otherkey $A "$S/m"
missed otherkey "another key's entry under this key's name"
expect_out "otherkey: named as such" "miss \(an entry of another key\)"

S=$T/truncated
prime truncated $A "$S/m"
f=$(ls "$S"/cache/*)
truncate -s $(( $(stat -c %s "$f") / 2 )) "$f"
cc truncated $A "$S/m"
missed truncated "the entry cut in half"
: > "$f"
cc truncated $A "$S/m"
missed truncated "the entry emptied"

S=$T/foreign
prime foreign $A "$S/m"
f=$(ls "$S"/cache/*)
chown nobody "$f"
cc foreign $A "$S/m"
missed foreign "an entry owned by another user"
chown 0 "$f"
# A symlink to a good cache directory, as the cache directory.
mv "$S/cache" "$S/real-cache" && ln -s real-cache "$S/cache"
cc foreign $A "$S/m"
missed foreign "the cache directory is a symlink"
expect_out "foreign: the symlink is named" "policy cache is ignored.*a symlink"
rm "$S/cache" && mv "$S/real-cache" "$S/cache"
# CHARTER_CACHE_DIR under a sticky world-writable directory, made first
# by another user (as /tmp/charter would be).
mkdir -m 1777 "$S/tmp"
su nobody -s /bin/sh -c "mkdir -m 700 '$S/tmp/charter'" 2>/dev/null ||
	{ mkdir -m 700 "$S/tmp/charter" && chown nobody "$S/tmp/charter"; }
run env CHARTER_CACHE_DIR="$S/tmp/charter" timeout 20 "$CHARTER" load --module "$T/none.ko" $A "$S/m"
expect_out "foreign: CHARTER_CACHE_DIR made by another user is not used" \
	"miss \(a cache directory that may not be trusted\)"
expect_no_out "foreign: nor written" "^charter: cache: stored"
cli_done
