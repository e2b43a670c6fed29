#!/usr/bin/env bash
# Manifest paths mean what they read as (red team i13-rt-modes): each
# manifest here was accepted and compiled to more than its YAML says.
# A symlink, '..', the tool's own /proc/self or a value folded over two
# lines is refused (or named in a warning); a wildcard-only first
# component is warned as the whole filesystem.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/app" "$T/share" "$T/here" "$T/real"
printf '#!/bin/sh\n' > "$T/app/app"
chmod +x "$T/app/app"
printf '//srv/share %s/share cifs rw 0 0\n' "$T" > "$T/mounts"
head='manifestVersion: v1\nname: rt\nrun: ./app\nbaseline: none\nallowedDirectories:\n'

# 1. A symlink beside the manifest ('./data' -> /etc) is a way out of its
#    directory, as '../..' is: refused. An absolute path through a symlink
#    is allowed, with a warning naming where the grant really is.
ln -s /etc "$T/app/data"
manifest "$T/app/link.yml" "$head"'  - {name: data, path: ./data, permission: readWrite}\n'
expect 1 "a relative path leaving the manifest's directory through a symlink is refused" \
	"$CHARTER" check "$T/app/link.yml"
expect_out "the refusal names the symlink and where it leads" \
	"link.yml:6:24: path './data' leads to '/etc' \(through the symlink '.*/app/data'\), outside the manifest's directory"
expect 1 "compile refuses it too" "$CHARTER" compile --allow-unsigned -o "$T/p" "$T/app/link.yml"
ln -s "$T/real" "$T/alias"
manifest "$T/app/abs.yml" "$head"'  - {name: srv, path: '"$T"'/alias/**, permission: read}\n'
expect 0 "an absolute path through a symlink is accepted" "$CHARTER" check "$T/app/abs.yml"
expect_out "with a warning saying what it grants" \
	"abs.yml:6:23: warning: path '.*/alias/\*\*' leads to '$T/real' \(through the symlink '$T/alias'\): the grant is on '$T/real/\*\*'"
mkdir -p "$T/app/kept"
ln -s kept "$T/app/inside"
manifest "$T/app/in.yml" "$head"'  - {name: in, path: ./inside, permission: read}\n'
expect 0 "a relative symlink that stays beside the manifest is accepted" "$CHARTER" check "$T/app/in.yml"
expect_out "with the warning" "in.yml:6:22: warning: path './inside' leads to '.*/app/kept'"

# 2. '..' is refused anywhere: in a UNC path it climbs out of the share's
#    mount point (\\srv\share\..\..\root was readWrite /root); after a
#    wildcard ('/srv/*/../../etc' was /etc) it names no one directory.
manifest "$T/app/unc.yml" "$head"'  - {name: s, path: '"'"'\\\\\\\\srv\\\\share\\\\..\\\\..\\\\..\\\\root'"'"', permission: readWrite}\n'
expect 1 "a UNC path climbing out of its share is refused" \
	"$CHARTER" check --mounts "$T/mounts" "$T/app/unc.yml"
expect_out "because of its '..'" "unc.yml:6:21: UNC path .* has a '\.\.' component: it would climb out of the share"
manifest "$T/app/dots.yml" "$head"'  - {name: d, path: "/srv/*/../../etc", permission: read}\n'
expect 1 "'..' after a wildcard is refused" "$CHARTER" check "$T/app/dots.yml"
expect_out "with the reason" "dots.yml:6:21: path '/srv/\*/\.\./\.\./etc' has a '\.\.' component"

# 3. A first component of wildcards only matches every top-level name:
#    warned as the whole filesystem, as '/' and '/**' are.
for p in '/?*' '/*?' '/???/**'; do
	manifest "$T/app/all.yml" "$head"'  - {name: all, path: "'"$p"'", permission: readWrite}\n'
	run "$CHARTER" check "$T/app/all.yml"
	expect_out "'$p' is warned as a whole-filesystem grant" \
		"all.yml:6:23: warning: path '.*' grants readWrite on the whole filesystem"
done

# 4. /proc/self/... is resolved in the tool's own process: the policy was
#    the cwd of whoever ran compile or load. Refused, as is /dev/fd/...
#    and a symlink leading to /proc/self.
manifest "$T/app/self.yml" "$head"'  - {name: cwd, path: /proc/self/cwd, permission: readWrite}\n'
expect 1 "'/proc/self/cwd' is refused (cwd $T/here)" \
	env -C "$T/here" "$CHARTER" compile --allow-unsigned -o "$T/s1" "$T/app/self.yml"
expect 1 "... and from any other working directory" \
	"$CHARTER" compile --allow-unsigned -o "$T/s2" "$T/app/self.yml"
expect_out "saying why" "self.yml:6:23: path '/proc/self/cwd' goes through /proc/self.*here the charter tool"
for p in /proc/thread-self/root /proc/1/cwd /dev/fd/3 /dev/stdout "$T/me/cwd"; do
	ln -sfn /proc/self "$T/me"
	manifest "$T/app/proc.yml" "$head"'  - {name: p, path: '"$p"', permission: read}\n'
	expect 1 "'${p#"$T"/}' is refused" "$CHARTER" check "$T/app/proc.yml"
done
expect_out "a link to /proc/self is named" "path '.*/me/cwd' cannot be resolved: it goes through a process's own directory in /proc"
manifest "$T/app/proc.yml" "$head"'  - {name: p, path: /proc, permission: read}\n'
expect 0 "/proc itself stays allowed" "$CHARTER" check "$T/app/proc.yml"

# 5. A plain scalar continued on a more-indented line was folded into one
#    value: 'path: /var/log/app' over '  /../../../etc' was readWrite /etc.
#    No value may span two lines.
manifest "$T/app/fold.yml" "$head"'  - name: logs\n    path: /var/log/app\n      /../../../etc\n    permission: readWrite\n'
expect 1 "a folded path is refused" "$CHARTER" check "$T/app/fold.yml"
expect_out "at its first line" "fold.yml:7:11: path is a value continued on the next line \(to line 8\): write it on one line"
manifest "$T/app/fold2.yml" 'manifestVersion: v1\nname: rt\nrun: ./app\nauthor: "one\n  two"\n'
expect 1 "any folded value is refused (author, quoted)" "$CHARTER" check "$T/app/fold2.yml"
expect_out "at its position" "fold2.yml:4:9: author is a value continued on the next line"

cli_done
