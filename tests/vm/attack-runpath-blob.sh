#!/bin/sh
# Attack (route: the blob's run paths, Documentation/abi.rst). Malformed run
# paths must be refused with nothing loaded; valid extreme ones (4095
# bytes, 255-byte components, 5000 manifests of one base name) must load
# and match byte for byte; the kernel must neither crash nor hang on an exec
# of a file of a run path's base name, at the run path or beside it, at a
# path longer than PATH_MAX. PASSES when all holds.
. /tests/charter-test.sh
load_module

G=/tests/bin/runblob
refuse() { # DESC RUN...
	desc=$1; shift
	$G /tmp/rb.bin "$@" || fail "runblob $*"
	charter load --policy /tmp/rb.bin > /tmp/rb.out 2>&1 && fail "$desc: loaded: $(cat /tmp/rb.out)"
	pass "$desc: refused ($(tr '\n' ' ' < /tmp/rb.out | cut -c1-120))"
}
refuse "relative" app/x
refuse "root only" /
refuse "double slash" //a
refuse "empty component" /a//b
refuse "dot" /a/./b
refuse "dot dot" /a/../b
refuse "trailing slash" /a/
refuse "slash dot" /.
refuse "slash dot dot" /..
refuse "component of 256 bytes" @1:x:256
refuse "4096 bytes" @16:x:255
refuse "string offset out of range" @oor
refuse "unknown flag" @flag
refuse "two manifests, one run" /a/app @dup
refuse "two manifests, one run, pinned" -p /a/app @dup

# The longest run path: 15 components of 255 bytes and one of 254: 4095.
c=$(printf '%255s' | tr ' ' y)
long=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do long="$long/$c"; done
last=$(printf '%254s' | tr ' ' z)
long="$long/$last"
[ ${#long} = 4095 ] || fail "long is ${#long}"
expect_ok "a run path of 4095 bytes, and 5000 manifests of one base name, pinned" \
	sh -c "$G /tmp/rb.bin -p '$long' @many:5000:app '/opt/rb/sp ace/new
line*?[' && charter load --policy /tmp/rb.bin"
charter list > /tmp/rb.list 2>&1 || fail "list: $(tail -3 /tmp/rb.list)"
pass "list of them ($(wc -l < /tmp/rb.list) lines)"

# Files at those paths: no manifest's hash, so pinned: EACCES.
rm -rf /yyy* /rb /opt/rb
dir=${long%/*}
mkdir -p "$dir" || fail "mkdir the long directory"
cp /tests/bin/fileop "$long" || fail "cp to the long path"
expect_errno "exec at the 4095-byte pinned run path" $EACCES /tests/bin/fileop exec "$long" read /dev/null
(cd "$dir" && expect_errno "by its relative name" $EACCES /tests/bin/fileop exec ./$last read /dev/null)
mkdir -p /rb/d4999 /rb/d0 /rb/dx
cp /tests/bin/fileop /rb/d4999/app; cp /tests/bin/fileop /rb/d0/app; cp /tests/bin/fileop /rb/dx/app
expect_errno "exec at the last of 5000 run paths of one name" $EACCES /tests/bin/fileop exec /rb/d4999/app read /dev/null
expect_errno "at the first" $EACCES /tests/bin/fileop exec /rb/d0/app read /dev/null
mkdir -p "/opt/rb/sp ace"; cp /tests/bin/fileop "/opt/rb/sp ace/new
line*?["
expect_errno "a run path with a space, newline and glob characters" $EACCES /tests/bin/fileop exec "/opt/rb/sp ace/new
line*?[" read /dev/null
start=$(date +%s)
i=0; while [ $i -lt 50 ]; do /rb/dx/app read /dev/null || fail "beside them: exit $?"; i=$((i+1)); done
pass "50 execs of a file named app beside 5000 run paths of that name: $(( $(date +%s) - start ))s"
# Longer than PATH_MAX, with the base name of the long run path.
(cd "$dir" && mkdir -p deeper/$c && cp /tests/bin/fileop deeper/$c/$last &&
	/tests/bin/rp chdir deeper/$c exec ./$last read /dev/null) || fail "a file beyond PATH_MAX of a run path's name: $?"
pass "a file of the run path's name beyond PATH_MAX runs (it is not at the run path)"
# Replace the policy, then unload, while those lineages don't exist: no crash.
expect_ok "unload" charter unload
dmesg | grep -E 'BUG|WARNING|Oops|RIP' && fail "kernel complained"
pass "no kernel complaint"
