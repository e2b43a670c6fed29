#!/usr/bin/env bash
# charter dump: why a policy cannot be read, and a policy's strings
# printed escaped: a name or an author cannot forge or hide a line.
. "$(dirname "$0")/lib.sh"

expect 1 "dump of a missing file" "$CHARTER" dump "$T/nosuch.bin"
expect_out "says it is missing" "nosuch.bin: No such file or directory"
expect_no_out "no talk of sizes" "cannot read"
expect 1 "dump of a directory" "$CHARTER" dump "$T"
expect_out "says it is a directory" ": Is a directory"
truncate -s 16777217 "$T/big.bin"
expect 1 "dump of a file one byte too large" "$CHARTER" dump "$T/big.bin"
expect_out "says how large" "big.bin: too large: 16777217 bytes > 16777216"

# A policy whose name and author are placeholders of the length of the
# text to put there, then patched in the compiled bytes: the reader never
# sees that text (refusing it is the reader's job; this is about output).
cp /bin/true "$T/app"
# Each placeholder: 24 bytes.
NAME_PH=NNNNNNNNNNNNNNNNNNNNNNNN
AUTHOR_PH=AAAAAAAAAAAAAAAAAAAAAAAA
PATH_PH=PPPPPPPPPPPPPPPPPPPPPPPP
manifest "$T/m.yml" "manifestVersion: v1\nname: $NAME_PH\nauthor: $AUTHOR_PH\nrun: ./app\nbaseline: none\nallowedDirectories:\n  - name: $PATH_PH\n    path: /srv/x/**\n    permission: read\n"
expect 0 "compile the placeholder policy" "$CHARTER" compile --allow-unsigned -o "$T/p.bin" "$T/m.yml"

# patch OUT NAME AUTHOR RULE: replace the placeholders (python3 bytes
# escapes: \n, \x1b...), each padded with "_" to 24 bytes.
patch() {
	python3 - "$T/p.bin" "$1" "$2" "$3" "$4" "$NAME_PH" "$AUTHOR_PH" "$PATH_PH" <<'PY'
import sys
src, out = sys.argv[1], sys.argv[2]
new = [bytes(a, "ascii").decode("unicode_escape").encode("latin-1") for a in sys.argv[3:6]]
old = [a.encode() for a in sys.argv[6:9]]
blob = open(src, "rb").read()
for o, n in zip(old, new):
    assert len(n) <= len(o), n
    assert blob.count(o) >= 1, o
    blob = blob.replace(o, n.ljust(len(o), b"_"))
open(out, "wb").write(blob)
PY
}

# Newlines that would start a forged line; ESC [ sequences that would
# erase or hide one on a terminal; CR; DEL; a C1 CSI (U+009B); a
# right-to-left override; bytes that are not UTF-8.
patch "$T/nl.bin" 'x\nmanifest forged' 'a\nmanifest forged2' 'r\n  path forged3'
run "$CHARTER" dump "$T/nl.bin"
[ "$rc" -eq 0 ] && ok "dump of the patched policy" || not_ok "dump: status $rc: $(cat "$T/out")"
expect_no_out "a name cannot start a line" '^manifest forged'
expect_no_out "an author cannot start a line" '^manifest forged2'
expect_no_out "a rule name cannot start a line" '^  path forged3'
expect_out "the name, escaped" '^manifest x\\nmanifest forged_+$'
expect_out "the author, escaped" '^  author a\\nmanifest forged2_+$'
expect_out "the rule name, escaped" '^  path r\\n  path forged3_+: read '
[ "$(grep -c '^manifest ' "$T/out")" -eq 1 ] && ok "one manifest line" ||
	not_ok "manifest lines: $(cat "$T/out")"

patch "$T/esc.bin" 'x\x1b[2K\x1b[1Ay\r\x7f' 'a\xc2\x9b2Kb\xe2\x80\xaec' 'r\xff\xc3(\ttab'
run "$CHARTER" dump "$T/esc.bin"
[ "$rc" -eq 0 ] && ok "dump of the escape-patched policy" || not_ok "dump: status $rc: $(cat "$T/out")"
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$T/out"; then
	not_ok "control bytes in the output: $(od -c "$T/out" | head -20)"
else
	ok "no control byte (ESC, CR, DEL...) reaches the output"
fi
expect_out "ESC, CR and DEL as \\xHH" '^manifest x\\x1b\[2K\\x1b\[1Ay\\r\\x7f_+$'
expect_out "a C1 CSI and an RTL override as \\xHH" '^  author a\\xc2\\x9b2Kb\\xe2\\x80\\xaec_+$'
expect_out "invalid UTF-8 as \\xHH, tab as \\t" '^  path r\\xff\\xc3\(\\ttab_+: read '

patch "$T/utf8.bin" 'caf\xc3\xa9 \\ z' 'na\xc3\xafve' 'r'
run "$CHARTER" dump "$T/utf8.bin"
expect_out "valid UTF-8 kept, a backslash doubled" '^manifest café \\\\ z_+$'
expect_out "valid UTF-8 kept" '^  author naïve_+$'

# check prints a manifest's name too: a newline in it (YAML "\n") must
# not start a line of its own, whether check accepts the name or not.
manifest "$T/c.yml" 'manifestVersion: v1\nname: "a\\nforged: ok"\nrun: ./app\nbaseline: none\n'
run "$CHARTER" check "$T/c.yml"
expect_no_out "check: a name cannot start a line" '^forged'
cli_done
