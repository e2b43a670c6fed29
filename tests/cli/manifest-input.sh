#!/usr/bin/env bash
# Issue 13: how the tool reads, checks and loads manifests. Every value is
# read whole or refused at file:line:column; one bad manifest is refused
# on its own; check catches what compile and load would refuse.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/app"
printf '#!/bin/sh\necho app\n' > "$T/app/app"
printf '#!/bin/sh\necho other\n' > "$T/app/other"
chmod +x "$T/app/app" "$T/app/other"
mf() { printf 'manifestVersion: v1\nname: %s\nrun: %s\n' "$1" "$2"; }

# 1. A value is never cut short: the prefix is refused, not read as /0.
{ mf ip ./app; printf 'allowedNetwork:\n  - {name: n, direction: outbound, ip: "0.0.0.0/0000000000000000000000000000000000000000001", protocol: tcp}\n'; } > "$T/app/ip.yml"
expect 1 "a long prefix length is refused" "$CHARTER" check "$T/app/ip.yml"
expect_out "the refusal is at the ip's line and column" "ip.yml:5:40: ip '0.0.0.0/0+1': prefix length must be 0 to 32"

# 2. No NUL or control character in any value.
{ printf 'manifestVersion: v1\nname: "na\\u0000me"\nauthor: "x\\ny"\nrun: ./app\n'; } > "$T/app/nul.yml"
expect 1 "a NUL in the name is refused" "$CHARTER" check "$T/app/nul.yml"
expect_out "NUL named at its position" 'nul.yml:2:7: name contains a NUL character'
expect_out "a newline in author is refused" 'nul.yml:3:9: author contains the control character U\+000A'
{ mf 'my app' ./app; } > "$T/app/sp.yml"
expect 1 "a name outside the character set is refused" "$CHARTER" check "$T/app/sp.yml"
expect_out "the message names the character set" "sp.yml:2:7: name 'my app' \(expected 1 to 255 characters of A-Z"

# 3. A second document is refused, not ignored.
{ mf one ./app; printf -- '---\n'; mf two ./other; } > "$T/app/two.yml"
expect 1 "a second YAML document is refused" "$CHARTER" check "$T/app/two.yml"
expect_out "at the second document's start" 'two.yml:4:1: a second YAML document'

# 6. Deep nesting is refused quickly (took minutes: quadratic in libyaml).
printf '%*s' 200000 '' | tr ' ' '[' > "$T/deep.yml"
start=$(date +%s%N)
run timeout 60 "$CHARTER" check "$T/deep.yml"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$rc" -eq 1 ] && [ "$ms" -lt 5000 ]; then ok "200,000 '[' refused in ${ms} ms"
else not_ok "200,000 '[': status $rc after ${ms} ms"; fi
expect_out "nesting refused at depth 33" 'deep.yml:1:33: nested deeper than 32 levels'

# 4. Paths: no shell expansion, no climbing out, whole-filesystem warned.
{ mf paths ./app; printf 'allowedDirectories:\n'
  printf '  - {name: a, path: ~/Documents, permission: read}\n'
  printf '  - {name: b, path: $HOME/x, permission: read}\n'
  printf "  - {name: c, path: 'C:\\\\Users\\\\me', permission: read}\n"
  printf '  - {name: d, path: ../../.., permission: readWriteExecute}\n'; } > "$T/app/paths.yml"
expect 1 "~, \$HOME, C:\\ and ../../.. are refused" "$CHARTER" check "$T/app/paths.yml"
expect_out "~ refused" "paths.yml:5:21: path '~/Documents' starts with '~': no shell expansion"
expect_out "\$HOME refused" "paths.yml:6:21: path '\\\$HOME/x' contains a variable"
expect_out "a drive letter refused" "paths.yml:7:21: path 'C:.+Users.+me' is a Windows drive path"
expect_out "../../.. refused" "paths.yml:8:21: path '../../..' climbs above the manifest's directory"
{ mf root ./app; printf 'allowedDirectories:\n  - {name: all, path: /, permission: readWrite}\n'; } > "$T/app/root.yml"
expect 0 "a grant of / is allowed" "$CHARTER" check "$T/app/root.yml"
expect_out "with a warning at its position" "root.yml:5:23: warning: path '/' grants readWrite on the whole filesystem"

# 5. Two manifests with one name (ignoring case) for different programs.
mkdir -p "$T/dup"
mf webServer "$T/app/app" > "$T/dup/a.yml"
mf webserver "$T/app/other" > "$T/dup/b.yml"
expect 1 "a second manifest with the same name, in another case, is refused" "$CHARTER" check "$T/dup"
expect_out "naming both files and positions" "b.yml:2:7: name 'webserver' is already the name of .*/a.yml:2:7 \('webServer'\).*differing only in case"
expect_out "the first is still good" 'a.yml: ok: webServer'
expect_out "the second is refused" 'b.yml: refused'
expect 1 "compile stays all-or-nothing" "$CHARTER" compile --allow-unsigned -o "$T/p.bin" "$T/dup"

# 7. check catches what compile refuses, with a line per file.
mf good ./app > "$T/app/good.yml"
{ mf stale ./other; printf 'hash: sha256:%064d\n' 0; } > "$T/app/stale.yml"
mf dir "$T" > "$T/app/dir.yml"
mf gone ./missing > "$T/app/gone.yml"
expect 1 "check fails when one of several is bad" "$CHARTER" check "$T/app/good.yml" "$T/app/stale.yml" "$T/app/dir.yml" "$T/app/gone.yml"
expect_out "good.yml is ok" 'good.yml: ok: good'
expect_out "stale.yml is refused" 'stale.yml: refused'
expect_out "a stale hash gives the expected and actual hash" "stale.yml:4:7: '.*/other' does not match the pinned hash: expected sha256:0{64}, actual sha256:[0-9a-f]{64}"
expect_out "a directory is not a program" "dir.yml:3:6: run '.*' is not a regular file"
expect_out "a missing program" "gone.yml:3:6: cannot hash '.*/missing': No such file"

# 8. A symlinked manifest resolves run beside its real path.
mkdir -p "$T/linked"
ln -s "$T/app/good.yml" "$T/linked/good.yml"
expect 0 "a symlinked manifest finds its program beside its target" "$CHARTER" compile --allow-unsigned -o "$T/l.bin" "$T/linked/good.yml"

# 9. Other names of the program: hard links, interpreters.
ln "$T/app/app" "$T/app/app2"
expect 0 "a hard-linked program is accepted" "$CHARTER" check "$T/app/good.yml"
expect_out "with a warning about its link count" "good.yml:3:6: warning: '.*/app' has .* its file has 2 links: the kernel knows a program by its content"
mf shell /bin/dash > "$T/app/sh.yml"
expect 0 "a manifest for a shell is accepted" "$CHARTER" check "$T/app/sh.yml"
expect_out "with a warning that it is an interpreter" "sh.yml:3:6: warning: '/bin/dash' is a shell or interpreter \(dash\)"

# 10. The trust store: missing, or holding a malformed key.
"$CHARTER" keygen -o "$T/k" > /dev/null
"$CHARTER" sign -k "$T/k.key" "$T/app/good.yml"
expect 1 "a missing trust store fails verification" "$CHARTER" verify --trust "$T/nowhere" "$T/app/good.yml"
expect_out "and says the store cannot be read" "nowhere: cannot read the trust store: No such file"
mkdir -p "$T/trust"
echo garbage > "$T/trust/broken.pub"
expect 1 "a key missing from the store fails verification" "$CHARTER" verify --trust "$T/trust" "$T/app/good.yml"
expect_out "and the malformed key file is named" "broken.pub: not a valid 'charter-ed25519-public' line: skipped"
cp "$T/k.pub" "$T/trust/"
expect 0 "the good key beside a malformed one verifies" "$CHARTER" verify --trust "$T/trust" "$T/app/good.yml"
cli_done
