#!/bin/sh
# Attack (route: the open path, issue 17's slimming: fs.c
# charter_path_of_len(), domain.c charter_domain_check_len() and
# charter_layers_grant(), cache.c charter_cache_path_equal() comparing 8
# bytes at a time). A granted file and a refused one whose paths differ
# only in the last byte, for lengths 7, 8, 9, 15, 16, 17, 110, 111, 112
# (around the word size and the 111 bytes an entry keeps), or only in
# byte 8 or 9; asked in both orders on both CPUs; the same paths from a
# nested domain whose outer layer granted both (cached under the outer's
# index); 31 to 34 components (the fast walk follows 32, then
# d_absolute_path()); and a directory renamed back and forth while the
# program opens through it (the module runs with verify_paths=1: a torn
# name is a WARNING, which fails the test; B/f judged as A/f after
# the rename back is the path at the check, not an escape).
# PASSES when each refused path is refused; FAILS (ESCAPE) otherwise.
. /tests/attack.sh
. /tests/cacheop.sh
load_module

D=/opt/ol O=/o
rm -rf $D $O && mkdir -p $D $O/r/A
unique /tests/bin/cacheop $D/app
unique /tests/bin/cacheop $D/outer && echo >> $D/outer
unique /tests/bin/cacheop $D/inner && echo >> $D/inner && echo >> $D/inner
grant() { printf '  - {name: %s, path: %s, permission: read}\n' "$1" "$2"; }
a() { printf '%0*d' "$1" 0 | tr 0 a; }

G_ALL="" N_ALL="" rules="" outer_rules=""
i=0
for L in 7 8 9 15 16 17 110 111 112; do
	g=$O/$(a $((L - 4)))g n=$O/$(a $((L - 4)))n
	[ ${#g} -eq $L ] || fail "length of $g: ${#g}, not $L"
	echo g > $g; echo n > $n
	G_ALL="$G_ALL $g" N_ALL="$N_ALL $n"
	rules="$rules$(grant g$i $g)
" outer_rules="$outer_rules$(grant g$i $g)
$(grant n$i $n)
"
	i=$((i + 1))
done
# Differing only in byte 8 (the first word's last) or 9 (the next's first).
for pos in 8 9; do
	g=$O/$(a $((pos - 4)))g$(a 10) n=$O/$(a $((pos - 4)))n$(a 10)
	echo g > $g; echo n > $n
	G_ALL="$G_ALL $g" N_ALL="$N_ALL $n"
	rules="$rules$(grant g$i $g)
" outer_rules="$outer_rules$(grant g$i $g)
$(grant n$i $n)
"
	i=$((i + 1))
done
# 31 to 34 components (from /).
for k in 29 30 31 32; do
	dir=$O/deep$k
	j=0; while [ $j -lt $k ]; do dir=$dir/d; j=$((j + 1)); done
	mkdir -p $dir && echo g > $dir/g && echo n > $dir/n
	G_ALL="$G_ALL $dir/g" N_ALL="$N_ALL $dir/n"
	rules="$rules$(grant g$i $dir/g)
" outer_rules="$outer_rules$(grant g$i $dir/g)
$(grant n$i $dir/n)
"
	i=$((i + 1))
done
echo f > $O/r/A/f
manifest $D app app "$rules$(grant r $O/r/A)"
manifest $D outer outer "$outer_rules"
manifest $D inner inner "$rules"
charter load --allow-unsigned $D > /dev/null || fail "load"

co_start /tests/bin/cacheop
for p in $N_ALL; do co_allowed "unconfined: $p" "r $p"; done
co_stop

# 1. One domain, both orders, both CPUs.
co_start $D/app
for cpu in 0 1; do
	co "cpu $cpu" > /dev/null
	for p in $N_ALL; do co_refused "cpu $cpu: ${#p} bytes, refused first" "r $p"; done
	for p in $G_ALL; do co_allowed "cpu $cpu: ${#p} bytes, granted" "r $p"; done
	for p in $N_ALL; do co_refused "cpu $cpu: ${#p} bytes, after the granted one" "r $p"; done
done
co_stop

# 2. Nested: the outer layer grants (and caches) both, the inner only g.
co_start $D/outer
for p in $N_ALL $G_ALL; do co_allowed "outer: $p" "r $p"; done
echo "x $D/inner" >&3
for p in $G_ALL; do co_allowed "inner under outer: ${#p} bytes, granted" "r $p"; done
for p in $N_ALL; do co_refused "inner under outer: ${#p} bytes, granted by the outer only" "r $p"; done
co_stop

# 3. A directory on the path renamed back and forth during the opens.
( while [ ! -e /tmp/ol.stop ]; do mv $O/r/A $O/r/B 2>/dev/null; mv $O/r/B $O/r/A 2>/dev/null; done ) &
MV=$!
co_start $D/app
bad=0 n0=0 n13=0 nb=0
j=0
while [ $j -lt 300 ]; do
	case $(co "r $O/r/A/f") in 0) n0=$((n0 + 1)) ;; 2) ;; 13) n13=$((n13 + 1)) ;; *) bad=1 ;; esac
	# B/f resolved, then renamed back to A before the check: named
	# A/f when judged (the file's path at the check), so 0 is fair.
	case $(co "r $O/r/B/f") in 0) nb=$((nb + 1)) ;; 2|13) ;; *) bad=1 ;; esac
	j=$((j + 1))
done
co_stop
touch /tmp/ol.stop; wait $MV; rm -f /tmp/ol.stop
[ $bad -eq 0 ] || escape "an unexpected answer during the renames"
pass "renames: A/f opened $n0 times, refused $n13 times, B/f opened $nb times (as A/f)"
charter unload > /dev/null
finish
