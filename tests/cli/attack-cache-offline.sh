#!/bin/bash
# Attack (route: the policy cache; red team of issue 17). The entry
# outlives the boot (it is synced "before the next boot reads it") and
# charter-boot uses it without being asked; its premise is that only the
# clock sets ctime. A file system changed while it is not mounted (another
# OS, a rescue boot, debugfs, an image rebuilt reproducibly: erofs and
# squashfs take every time from the image) keeps the inode's times: here
# a program's data block is rewritten in the ext4 image under the inode,
# and the image mounted again on the same loop device (same st_dev).
# PASSES when the compile after the remount gives the cold compile's
# policy; FAILS when the cache hands back the program's old hash.
# Host, root, loop devices; skipped otherwise.
. "$(dirname "$0")/lib.sh"
export CHARTER_CACHE_TRACE=1

if [ "$(id -u)" != 0 ] || ! command -v mkfs.ext4 debugfs losetup > /dev/null; then
	echo "# needs root, mkfs.ext4, debugfs, losetup: skipped"
	cli_done
fi
M=$T/mnt
mkdir -p "$M"
truncate -s 16M "$T/img" && mkfs.ext4 -q -F -b 4096 "$T/img" || { echo "# mkfs: skipped"; cli_done; }
L=$(losetup -f --show "$T/img") || { echo "# losetup: skipped"; cli_done; }
trap 'umount "$M" 2>/dev/null; losetup -d "$L" 2>/dev/null; rm -rf "$T"' EXIT
mount "$L" "$M" || { echo "# mount: skipped"; cli_done; }
mkdir "$M/bin" "$M/m"
head -c 4096 /dev/urandom > "$M/bin/prog"
chmod 755 "$M/bin/prog"
printf 'manifestVersion: v1\nname: a\nrun: %s/bin/prog\n' "$M" > "$M/m/a.yml"
sync
sleep 2.2
run "$CHARTER" compile --allow-unsigned --cache-dir "$T/cache" -o "$T/first.bin" "$M/m"
grep -q '^charter: cache: stored' "$T/out" || not_ok "setup: not stored: $(cat "$T/out")"
tuple1=$(stat -c '%d %i %s %f %u %g %y %z' "$M/bin/prog")
umount "$M"
# The program's first data block, rewritten in the image: no inode touched.
blk=$(debugfs -R "bmap /bin/prog 0" "$T/img" 2>/dev/null)
head -c 4096 /dev/urandom | dd of="$L" bs=4096 seek="$blk" conv=notrunc,fsync status=none ||
	not_ok "setup: dd"
mount "$L" "$M" || not_ok "setup: mount again"
tuple2=$(stat -c '%d %i %s %f %u %g %y %z' "$M/bin/prog")
echo "# tuple before '$tuple1' after '$tuple2'"
run "$CHARTER" compile --allow-unsigned --cache-dir "$T/cache" -o "$T/cached.bin" "$M/m"
cp "$T/out" "$T/log"
"$CHARTER" compile --allow-unsigned -o "$T/cold.bin" "$M/m" > /dev/null 2>&1
if cmp -s "$T/cached.bin" "$T/cold.bin"; then
	ok "a program changed while its file system was unmounted is compiled again"
else
	not_ok "ESCAPE: the cached policy keeps the program's old hash ($(tr '\n' ' ' < "$T/log")): $("$CHARTER" dump "$T/cached.bin" | grep -m1 executable) vs cold $("$CHARTER" dump "$T/cold.bin" | grep -m1 executable)"
fi
cli_done
