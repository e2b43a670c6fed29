#!/usr/bin/env bash
# Red team (i13-rt-modes): manifests `charter check` accepts that compile to
# more than a careful reader of the YAML would grant. PASSES when the tool
# refuses each (or, for the whole-filesystem case, warns).
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/app"
cp /bin/true "$T/app/app"
printf '//srv/share %s/share cifs rw 0 0\n' "$T" > "$T/mounts"
mkdir -p "$T/share"
head='manifestVersion: v1\nname: rt\nrun: ./app\nbaseline: none\nallowedDirectories:\n'

# 1. A relative path may not climb above the manifest's directory
#    ('./../../etc' is refused), but a symlink beside the manifest does the
#    same silently: './data' compiles to readWrite /etc. (A vendor's
#    package ships the link; the reviewer reads './data'.)
ln -s /etc "$T/app/data"
manifest "$T/app/link.yml" "$head"'  - {name: data, path: ./data, permission: readWrite}\n'
run "$CHARTER" check "$T/app/link.yml"
if [ "$rc" -ne 0 ] || grep -q '/etc' "$T/out"; then
	ok "a relative path leaving the manifest's directory through a symlink is refused or named"
else
	not_ok "'./data' (a symlink to /etc) accepted silently: $(head -c 300 "$T/out")"
fi
expect 0 "compile it anyway" "$CHARTER" compile --allow-unsigned -o "$T/p" "$T/app/link.yml"
run "$CHARTER" dump "$T/p"
grep -q 'readWrite /etc ' "$T/out" && echo "# compiled to: $(grep 'path data' "$T/out")"

# 2. A UNC path names a directory of its share; '..' components climb out
#    of the share's mount point to anywhere: \\srv\share\..\..\..\root is
#    readWrite /root.
manifest "$T/app/unc.yml" "$head"'  - {name: s, path: '"'"'\\\\\\\\srv\\\\share\\\\..\\\\..\\\\..\\\\..\\\\..\\\\..\\\\root'"'"', permission: readWrite}\n'
run "$CHARTER" compile --allow-unsigned --mounts "$T/mounts" -o "$T/u" "$T/app/unc.yml" && "$CHARTER" dump "$T/u" | grep "path s" | sed "s/^/# compiled to: /"
expect 1 "a UNC path climbing out of its share is refused" \
	"$CHARTER" check --mounts "$T/mounts" "$T/app/unc.yml"

# 3. '/?*' matches every top-level name, so grants the whole filesystem
#    (a rule covers everything beneath what it matches), without the
#    warning '/*' and '/**' get.
manifest "$T/app/all.yml" "$head"'  - {name: all, path: "/?*", permission: readWrite}\n'
run "$CHARTER" check "$T/app/all.yml"
expect_out "'/?*' is warned as a whole-filesystem grant" 'whole filesystem'
manifest "$T/app/all2.yml" "$head"'  - {name: all, path: "/*?", permission: read}\n'
run "$CHARTER" check "$T/app/all2.yml"
expect_out "'/*?' is warned as a whole-filesystem grant" 'whole filesystem'

cli_done
