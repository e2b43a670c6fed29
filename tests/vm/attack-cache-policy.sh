#!/bin/sh
# Attack (route: the access cache, kmod/cache.c; red team of issue 17).
# A long-lived confined program has the rules' answer for a path
# remembered on each CPU, then the policy changes under it: a new version
# of its manifest (same name, same executable) that drops the grant, an
# unload, version 1 again and version 2 again, a switch complain ->
# enforce between two opens, a nested layer exec'd on top (the outer's
# answer cached), and paths that differ only past the 111 bytes an entry
# keeps, or at the 112th. PASSES when every late open is judged by the
# rules in force; FAILS (ESCAPE lines) when a cached answer outlives them.
. /tests/attack.sh
. /tests/cacheop.sh
load_module

D=/opt/ac S=/srv/ac
rm -rf $D $S /tmp/ac && mkdir -p $D $S/a $S/b $S/secret /tmp/ac/v1 /tmp/ac/v2
echo a > $S/a/f; echo b > $S/b/f; echo s > $S/secret/f
unique /tests/bin/cacheop $D/app
unique /tests/bin/cacheop $D/outer && echo >> $D/outer
unique /tests/bin/cacheop $D/inner && echo >> $D/inner && echo >> $D/inner
# Paths around the 111 bytes an entry keeps: L/<99>/k is 111 bytes.
L=$S/L/$(printf '%099d' 0)
mkdir -p $L
P111=$L/k P112=$L/kx
G=$L/$(printf '%020d' 0)_granted N=$L/$(printf '%020d' 0)_refused
for f in $P111 $P112 $G $N; do echo x > $f; done
[ ${#P111} -eq 111 ] && [ ${#P112} -eq 112 ] || fail "path lengths ${#P111} ${#P112}"

grant() { printf '  - {name: %s, path: %s, permission: read}\n' "$1" "$2"; }
manifest /tmp/ac/v1 app app "$(grant a $S/a; grant b $S/b; grant k $P111; grant g $G)"
manifest /tmp/ac/v2 app app "$(grant b $S/b)"
for v in v1 v2; do sed -i "s|^run: ./app|run: $D/app|; s|path: /tmp/ac/$v, permission: readExecute|path: $D, permission: readExecute|" /tmp/ac/$v/app.yml; done
manifest $D outer outer "$(grant a $S/a; grant b $S/b; grant k $P111)"
manifest $D inner inner "$(grant b $S/b; grant s $S/secret)"
load_v() { charter load --allow-unsigned /tmp/ac/$1/app.yml $D/outer.yml $D/inner.yml > /dev/null || fail "load $1"; }

# Sanity: the program outside any domain opens everything.
co_start /tests/bin/cacheop
co_allowed "unconfined: secret" "r $S/secret/f"
co_allowed "unconfined: 112-byte path" "r $P112"
co_stop

both_cpus() { # DESC EXPECT(allowed|refused) CMD
	for cpu in 0 1; do
		co "cpu $cpu" > /dev/null
		co_$2 "$1 (cpu $cpu)" "$3"
		co_$2 "$1 again (cpu $cpu)" "$3"
	done
}

# 1. Versions: cached under version 1, asked again under version 2.
load_v v1
co_start $D/app
both_cpus "v1: a" allowed "r $S/a/f"
both_cpus "v1: 111-byte path granted" allowed "r $P111"
both_cpus "v1: long path granted" allowed "r $G"
load_v v2
both_cpus "v2 loaded: a (cached under v1)" refused "r $S/a/f"
both_cpus "v2 loaded: 111-byte path (cached under v1)" refused "r $P111"
both_cpus "v2 loaded: b" allowed "r $S/b/f"
charter unload > /dev/null || fail "unload"
both_cpus "unloaded, v2 in force: a" refused "r $S/a/f"
load_v v1
both_cpus "v1 again: a" allowed "r $S/a/f"
load_v v2
both_cpus "v2 again: a" refused "r $S/a/f"
co_stop

# 2. Paths around 111 bytes, under version 1 (asked in both orders).
load_v v1
co_start $D/app
co_allowed "111 bytes, granted" "r $P111"
co_refused "112 bytes, the same 111 first" "r $P112"
co_refused "differs past byte 111 from a granted path" "r $N"
co_allowed "the granted one" "r $G"
co_refused "the refused one again" "r $N"
co_refused "112 bytes again" "r $P112"
co_allowed "111 bytes again" "r $P111"
co_stop

# 3. Modes: complain lets an open through, enforce must refuse the next.
load_v v2
co_start $D/app
for cpu in 0 1; do
	co "cpu $cpu" > /dev/null
	charter mode complain --manifest app > /dev/null || fail "mode complain"
	co_allowed "complain: a (cpu $cpu)" "r $S/a/f"
	charter mode enforce --manifest app > /dev/null || fail "mode enforce"
	co_refused "enforce: a right after (cpu $cpu)" "r $S/a/f"
	charter mode inherit --manifest app > /dev/null || fail "mode inherit"
	co_refused "inherit: a (cpu $cpu)" "r $S/a/f"
done
co_stop

# 4. Nested: the outer layer's answers cached, then a layer on top.
co_start $D/outer
for cpu in 0 1; do
	co "cpu $cpu" > /dev/null
	co_allowed "outer: a (cpu $cpu)" "r $S/a/f"
	co_allowed "outer: 111-byte path (cpu $cpu)" "r $P111"
	co_refused "outer: secret (cpu $cpu)" "r $S/secret/f"
done
echo "x $D/inner" >&3
for cpu in 1 0; do
	co "cpu $cpu" > /dev/null
	co_refused "inner on outer: a (inner refuses, outer cached yes) (cpu $cpu)" "r $S/a/f"
	co_refused "inner on outer: 111-byte path (cpu $cpu)" "r $P111"
	co_refused "inner on outer: secret (outer refuses, inner grants) (cpu $cpu)" "r $S/secret/f"
	co_allowed "inner on outer: b (cpu $cpu)" "r $S/b/f"
done
co_stop
finish
