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

# 4. '/proc/self/...' is resolved in the tool's own process: a rule the
#    reader takes for "the program's working directory" compiles to the
#    working directory of whoever runs 'charter load' (/root readWrite from
#    root's shell; '/' at boot), and check, compile and load differ by cwd.
manifest "$T/app/self.yml" "$head"'  - {name: cwd, path: /proc/self/cwd, permission: readWrite}\n'
mkdir -p "$T/here"
(cd "$T/here" && "$CHARTER" compile --allow-unsigned -o "$T/s1" "$T/app/self.yml") > /dev/null 2>&1
(cd / && "$CHARTER" compile --allow-unsigned -o "$T/s2" "$T/app/self.yml") > /dev/null 2>&1
"$CHARTER" dump "$T/s1" 2>/dev/null | grep 'path cwd' | sed 's/^/# from a cwd of here: /'
if cmp -s "$T/s1" "$T/s2"; then
	ok "the same manifest compiles alike from any working directory"
else
	not_ok "'/proc/self/cwd' compiles to the working directory of the tool ($T/here, then /)"
fi
expect 1 "a path through the tool's own /proc/self is refused" "$CHARTER" check "$T/app/self.yml"

# 5. A plain scalar continued on a more-indented line is folded into one
#    value with a space: 'path: /var/log/app' then '  /../../../etc' is
#    '/var/log/app /../../../etc', and '..' is applied lexically (through a
#    component "app " that does not even exist): readWrite /etc, while the
#    line the reader reads says /var/log/app.
manifest "$T/app/fold.yml" "$head"'  - name: logs\n    path: /var/log/app\n      /../../../etc\n    permission: readWrite\n'
"$CHARTER" compile --allow-unsigned -o "$T/f" "$T/app/fold.yml" > /dev/null 2>&1 &&
	"$CHARTER" dump "$T/f" | grep 'path logs' | sed 's/^/# compiled to: /'
expect 1 "a folded path that climbs out of what its first line names is refused" \
	"$CHARTER" check "$T/app/fold.yml"

cli_done
