#!/bin/sh
# What charter prints from the kernel is escaped: a manifest's name or
# author, a comm or a path holding a newline or an escape sequence cannot
# forge or hide a line of `charter list` or `charter monitor`, text or
# JSON. Without privilege, each command names the capability it needs and
# prints nothing on stdout.
. /tests/charter-test.sh
load_module

rm -rf /opt/co /srv/co && mkdir -p /opt/co /srv/co
cp /tests/bin/fileop /opt/co/fileop
# Placeholders of 24 bytes, patched in the compiled policy: the manifest
# reader never sees the text (refusing it there is another check's job).
NAME_PH=NNNNNNNNNNNNNNNNNNNNNNNN
AUTHOR_PH=AAAAAAAAAAAAAAAAAAAAAAAA
printf 'manifestVersion: v1\nname: %s\nauthor: %s\nrun: ./fileop\nbaseline: none\n' \
	$NAME_PH $AUTHOR_PH > /opt/co/m.yml
expect_ok "compile" charter compile --allow-unsigned -o /tmp/co.bin /opt/co/m.yml

# put FILE PLACEHOLDER TEXT: TEXT (a printf format) over PLACEHOLDER,
# padded with "_" to its length.
put() {
	off=$(strings -t d "$1" | awk -v ph="$2" '(i = index($2, ph)) { print $1 + i - 1; exit }')
	[ -n "$off" ] || fail "no $2 in $1"
	printf "$3" > /tmp/co.new
	n=$(wc -c < /tmp/co.new)
	[ "$n" -le ${#2} ] || fail "$3: longer than $2"
	while [ "$n" -lt ${#2} ]; do printf _ >> /tmp/co.new; n=$((n + 1)); done
	dd if=/tmp/co.new of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
put /tmp/co.bin $NAME_PH 'x\nco-forged \033[2K'
put /tmp/co.bin $AUTHOR_PH 'a\033[8mhid\177\377'
expect_ok "load the patched policy" charter load --policy /tmp/co.bin

ESC=$(printf '\033')
charter list > /tmp/co.list 2>&1 || fail "list: $(cat /tmp/co.list)"
grep -q '^co-forged' /tmp/co.list && fail "list: a name started a line: $(cat /tmp/co.list)"
grep -q "$ESC" /tmp/co.list && fail "list: an escape sequence reached the output: $(od -c /tmp/co.list)"
grep -qF 'x\nco-forged \x1b[2K_' /tmp/co.list || fail "list: the name not escaped: $(cat /tmp/co.list)"
grep -qF 'a\x1b[8mhid\x7f\xff' /tmp/co.list || fail "list: the author not escaped: $(cat /tmp/co.list)"
[ "$(wc -l < /tmp/co.list)" = 2 ] || fail "list: not a header and one line: $(cat /tmp/co.list)"
pass "list: name and author escaped"

charter list --json > /tmp/co.json 2>&1 || fail "list --json: $(cat /tmp/co.json)"
grep -qE '"name":"x\\(n|u000a)co-forged \\u001b\[2K_' /tmp/co.json || fail "list --json: name: $(cat /tmp/co.json)"
grep -qF '"author":"a\u001b[8mhid\u007f\ufffd_' /tmp/co.json || fail "list --json: author: $(cat /tmp/co.json)"
[ "$(wc -l < /tmp/co.json)" = 1 ] || fail "list --json: not one line: $(cat /tmp/co.json)"
pass "list --json: JSON escapes, DEL and invalid UTF-8 included"

# An event: a copy of the program whose name (its comm) holds an escape
# sequence, refused a file whose name holds a newline.
comm_exe=/opt/co/$(printf 'f\033[2Kg')
cp /opt/co/fileop "$comm_exe"
secret=$(printf '/srv/co/s\nco-forged-path')
echo secret > "$secret"
charter monitor > /tmp/co.ev 2>&1 & mt=$!
charter monitor --json > /tmp/co.evj 2>&1 & mj=$!
sleep 1
expect_errno "a denied read" $EACCES "$comm_exe" read "$secret"
sleep 1
kill $mt $mj
grep -q '^co-forged' /tmp/co.ev && fail "monitor: a name or path started a line: $(cat /tmp/co.ev)"
grep -q "$ESC" /tmp/co.ev && fail "monitor: an escape sequence reached the output: $(od -c /tmp/co.ev)"
grep -qF '(f\x1b[2Kg) x\nco-forged \x1b[2K_' /tmp/co.ev || fail "monitor: comm, name: $(cat /tmp/co.ev)"
grep -qF 'denied read /srv/co/s\nco-forged-path' /tmp/co.ev || fail "monitor: path: $(cat /tmp/co.ev)"
[ "$(wc -l < /tmp/co.ev)" = 1 ] || fail "monitor: not one line: $(cat /tmp/co.ev)"
grep -qE '"comm":"f\\u001b\[2Kg","manifest":"x\\(n|u000a)co-forged \\u001b\[2K_' /tmp/co.evj ||
	fail "monitor --json: comm, name: $(cat /tmp/co.evj)"
[ "$(wc -l < /tmp/co.evj)" = 1 ] || fail "monitor --json: not one line: $(cat /tmp/co.evj)"
grep -qE '"path":"/srv/co/s\\(n|u000a)co-forged-path"' /tmp/co.evj || fail "monitor --json: path: $(cat /tmp/co.evj)"
pass "monitor: comm, manifest name and path escaped, text and JSON"

# Without privilege: the capability named, nothing on stdout, and the
# kernel's message once ("charter: charter: ..." was printed before).
nobody() { # EXPECTED CMD
	su -s /bin/sh nobody -c "charter $2" > /tmp/co.out 2> /tmp/co.err &&
		fail "nobody could run charter $2"
	[ -s /tmp/co.out ] && fail "charter $2: stdout not empty: $(cat /tmp/co.out)"
	grep -q "^charter: .*$1" /tmp/co.err || fail "charter $2: $(cat /tmp/co.err)"
	grep -q 'charter: charter:' /tmp/co.err && fail "charter $2: prefix twice: $(cat /tmp/co.err)"
	[ "$(wc -l < /tmp/co.err)" = 1 ] || fail "charter $2: more than one line: $(cat /tmp/co.err)"
}
nobody CAP_NET_ADMIN monitor
nobody CAP_NET_ADMIN "monitor --json"
nobody CAP_MAC_ADMIN list
nobody CAP_MAC_ADMIN "list --json"
nobody CAP_MAC_ADMIN "mode complain"
nobody CAP_MAC_ADMIN lock
nobody CAP_MAC_ADMIN "load --policy /tmp/co.bin"
pass "unprivileged: the capability named, nothing on stdout"
charter unload > /dev/null
