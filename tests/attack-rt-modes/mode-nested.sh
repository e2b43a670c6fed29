#!/bin/sh
# Attack (route: modes, i13-rt-modes). Nested domains: each layer refuses
# through its own manifest's mode. A layer in complain (or disabled) mode
# must not waive what an enforcing layer refuses, whichever is outer, for
# file rules, for whole-syscall refusals (ftrace thunk) and for
# operations no manifest grants (mount). PASSES when the enforcing layer
# holds in every combination; FAILS (ESCAPE lines) otherwise.
. /tests/attack.sh
load_module

D=/opt/mx
rm -rf $D /srv/mx && mkdir -p $D /srv/mx/a /srv/mx/b /srv/mx/c /srv/mx/m
echo a > /srv/mx/a/f; echo b > /srv/mx/b/f; echo c > /srv/mx/c/f
unique /tests/bin/fileop $D/outer
unique /tests/bin/fileop $D/inner && echo >> $D/inner
unique /tests/bin/sysop $D/isys
unique /tests/bin/nlop $D/nl
unique /tests/bin/nlop /tmp/nlop-free && echo >> /tmp/nlop-free && echo >> /tmp/nlop-free
# outer: a and the programs; inner: a and b; isys: nothing more.
manifest $D outer outer "  - {name: a, path: /srv/mx/a, permission: read}"
manifest $D inner inner "  - {name: a, path: /srv/mx/a, permission: read}
  - {name: b, path: /srv/mx/b, permission: read}
  - {name: m, path: /srv/mx/m, permission: readWrite}"
manifest $D isys isys
manifest $D nl nl
expect_ok "load" charter load --allow-unsigned $D/outer.yml $D/inner.yml $D/isys.yml $D/nl.yml

# Sanity: outside any domain the operations work.
expect_ok "unconfined: read c" /tests/bin/fileop read /srv/mx/c/f
expect_ok "unconfined: sethostname" /tests/bin/sysop sethostname

inner() { $D/outer exec $D/inner "$@"; }
isys() { $D/outer exec $D/isys "$@"; }

expect_ok "nested, both enforce: a readable" inner read /srv/mx/a/f
refused "nested, both enforce: b (outer refuses)" 13 inner read /srv/mx/b/f

for mode in complain disabled; do
	charter mode $mode --manifest inner > /dev/null || fail "mode $mode inner"
	refused "inner $mode, outer enforce: b (outer refuses)" 13 inner read /srv/mx/b/f
	refused "inner $mode, outer enforce: c" 13 inner read /srv/mx/c/f
	refused "inner $mode, outer enforce: bind mount" 1 inner bindmount /srv/mx/a /srv/mx/m
	umount /srv/mx/m 2>/dev/null
	charter mode $mode --manifest isys > /dev/null || fail "mode $mode isys"
	refused "isys $mode, outer enforce: sethostname" 1 isys sethostname
	refused "isys $mode, outer enforce: sethostname (int 0x80)" 1 isys sethostname-32
	refused "isys $mode, outer enforce: reboot(CAD_OFF)" 1 isys reboot
	charter mode inherit --manifest inner > /dev/null
	charter mode inherit --manifest isys > /dev/null

	charter mode $mode --manifest outer > /dev/null || fail "mode $mode outer"
	expect_ok "outer $mode, inner enforce: b (inner grants)" inner read /srv/mx/b/f
	refused "outer $mode, inner enforce: c (inner refuses)" 13 inner read /srv/mx/c/f
	refused "outer $mode, inner enforce: bind mount" 1 inner bindmount /srv/mx/c /srv/mx/m
	umount /srv/mx/m 2>/dev/null
	refused "outer $mode, isys enforce: sethostname" 1 isys sethostname
	refused "outer $mode, isys enforce: sethostname (int 0x80)" 1 isys sethostname-32
	charter mode inherit --manifest outer > /dev/null
done

# Global complain with one layer's override enforce: that layer holds.
charter mode complain > /dev/null
charter mode enforce --manifest outer > /dev/null
refused "global complain, outer enforce override: c" 13 inner read /srv/mx/c/f
refused "global complain, outer enforce override: sethostname" 1 isys sethostname
charter mode inherit --manifest outer > /dev/null
charter mode enforce > /dev/null
# A confined task changing the mode, with every layer waived (disabled
# globally, or its own override disabled; nested under outer).
expect_ok "unconfined: nlop sets enforce" /tmp/nlop-free hold /tmp/nlop-free mode 1
for how in global own; do
	if [ $how = global ]; then charter mode disabled > /dev/null
	else charter mode disabled --manifest nl > /dev/null; charter mode disabled --manifest outer > /dev/null; fi
	refused "$how disabled: a confined task sets the global mode" 1 /tmp/nlop-free hold $D/nl mode 3
	refused "$how disabled: nested, a confined task sets the global mode" 1 \
		/tmp/nlop-free hold $D/outer exec $D/nl mode 3
	refused "$how disabled: a confined task locks" 1 /tmp/nlop-free hold $D/nl lock
	charter mode enforce > /dev/null
	charter mode inherit --manifest nl > /dev/null; charter mode inherit --manifest outer > /dev/null
done
charter status | grep -i mode

charter unload > /dev/null
finish
