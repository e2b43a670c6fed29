#!/bin/sh
# make bench: the cost of Charter doing its real job, in guest instructions
# per operation (QEMU -icount shift=0: one guest nanosecond per
# instruction, identical from boot to boot), each a ratio to the same guest
# without the module, beside Landlock doing the same job; one table with a
# target per row, "met" or "MISSED" computed from the figures.
# Documentation/testing.rst ("make bench") says what each row measures.
# vm-modules: sha256-ssse3
. /tests/charter-test.sh
N_FILE=${BENCH_N:-2000}		# open+close, stat
N_EXEC=$((N_FILE / 20))		# fork+exec
N_NET=$N_FILE			# connect+close, sendto
BIN=/tests/bin/bench
OUT=/tmp/bench.out
: > $OUT
# Where a new program's stack and mappings land changes how many page
# tables its exec and exit build and free: with address space layout
# randomisation, runs of 100 fork+execs of the same guest were 0.26%
# apart (a target is 0.2%); without it, 0.1%. Both sides of every ratio
# run without it; the module's work does not depend on addresses.
echo 0 > /proc/sys/kernel/randomize_va_space || fail "ASLR off"

# ---- the files, the programs, the manifests ---------------------------
# Depth d: the file lies d directories below /srv, the first of them the
# tree a rule grants (/srv/dD, by the glob /srv/d*): Landlock's rule is on
# /srv/dD, so it walks up d directories from the file.
FILE1=/srv/d1/file
FILE4=/srv/d4/a/b/c/file
FILE9=/srv/d9/a/b/c/d/e/f/g/h/file
for f in $FILE1 $FILE4 $FILE9; do
	mkdir -p "${f%/file}" && echo x > "$f" || fail "make $f"
done
mkdir -p /opt/bench/r8 /opt/bench/r64 /opt/bench/r512 /etc/bench \
	/var/log/bench /var/lib/bench /run/bench /usr/share/bench /tmp/bench

# Copies of the static helper, each a size of its own (appended bytes), so
# that no exec of one is taken for another by the size index: PLAIN
# measures whatever runs unconfined and is the static program executed;
# rN/bench are confined by manifests of N rules; MANIFESTED is a program
# with a manifest, executed.
copy() { # DEST EXTRA_BYTES
	cp $BIN "$1" && head -c "$2" /dev/zero >> "$1" && chmod 755 "$1" || fail "copy $1"
}
PLAIN=/opt/bench/plain
MANIFESTED=/opt/bench/manifested
# The static program the confined fork+exec row executes, and its
# baselines: never the program that forks it. A child running its
# parent's file maps pages the parent keeps mapped; any other file's pages
# are mapped afresh by each child, and unmapped at its exit, with their
# page-state accounting: 5% of a fork+exec. So the plain baseline and
# Landlock's run the very file the confined program runs, and none of
# the three forks a copy of itself.
TARGET=/opt/bench/target
copy /opt/bench/r8/bench 1
copy /opt/bench/r64/bench 2
copy /opt/bench/r512/bench 3
copy $MANIFESTED 4
copy $PLAIN 5
copy $TARGET 6
# Executables of 1, 16 and 128 MiB: the helper padded to size.
for s in 1 16 128; do
	copy /opt/bench/big$s $(($s * 1048576 - $(wc -c < $BIN)))
done
P=7001	# TCP port
U=7002	# UDP port

# A manifest of 8 rules of its own (two globs, one granting the files'
# trees) and 8 network rules, after EXTRA rules that never match (a mix of
# plain paths and globs, 3 to 1, as many network rules): the rules that
# match come last. No "baseline:": the default runtime baseline applies.
manifest() { # NAME RUN EXTRA
	awk -v name="$1" -v run="$2" -v extra="$3" -v p=$P -v u=$U 'BEGIN {
	printf "manifestVersion: v1\nname: %s\nauthor: bench\nrun: %s\n", name, run
	print "allowedDirectories:"
	for (i = 0; i < extra; i++) {
		k = i % 4
		if (k == 0) path = sprintf("/srv/x%03d/data", i)
		else if (k == 1) path = sprintf("/var/lib/app%d", i)
		else if (k == 2) path = sprintf("/etc/app%d/app.conf", i)
		else path = sprintf("\"/home/user%d/**/*.cache\"", i)
		printf "  - {name: e%d, path: %s, permission: %s}\n", i, path,
			i % 3 ? "read" : "readWrite"
	}
	print "  - {name: data, path: \"/srv/d*\", permission: read}"
	print "  - {name: logs, path: \"/var/log/bench/*.log\", permission: write}"
	print "  - {name: config, path: /etc/bench, permission: read}"
	print "  - {name: state, path: /var/lib/bench, permission: readWrite}"
	print "  - {name: runtime, path: /run/bench, permission: readWrite}"
	print "  - {name: share, path: /usr/share/bench, permission: read}"
	print "  - {name: tmp, path: /tmp/bench, permission: readWrite}"
	print "  - {name: helper, path: /opt/bench/plain, permission: execute}"
	print "  - {name: target, path: /opt/bench/target, permission: execute}"
	print "allowedNetwork:"
	for (i = 0; i < extra; i++)
		printf "  - {name: n%d, direction: outbound, ip: 10.%d.%d.0/24, protocol: %s, port: %d}\n",
			i, int(i / 256), i % 256, i % 2 ? "udp" : "tcp", 1024 + i
	print "  - {name: dns, direction: outbound, ip: any, protocol: udp, port: 53}"
	print "  - {name: https, direction: outbound, ip: 192.0.2.0/24, protocol: tcp, port: 443}"
	print "  - {name: db, direction: outbound, ip: 192.0.2.10, protocol: tcp, port: 5432}"
	print "  - {name: web, direction: inbound, ip: any, protocol: tcp, port: 8080}"
	printf "  - {name: svc, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: %d}\n", p
	printf "  - {name: svc-out, direction: outbound, ip: 127.0.0.1, protocol: tcp, port: %d}\n", p
	printf "  - {name: dgram, direction: inbound, ip: 127.0.0.1, protocol: udp, port: %d}\n", u
	printf "  - {name: dgram-out, direction: outbound, ip: 127.0.0.1, protocol: udp, port: %d}\n", u
	}' > /etc/bench/$1.yml
}
manifest bench8 /opt/bench/r8/bench 0
manifest bench64 /opt/bench/r64/bench 56
manifest bench512 /opt/bench/r512/bench 504
for m in manifested big1 big16 big128; do
	printf 'manifestVersion: v1\nname: %s\nauthor: bench\nrun: /opt/bench/%s\n' $m $m \
		> /etc/bench/$m.yml
done

# Policies of 10, 1,000 and 10,000 generated manifests, each for a small
# executable of its own, with three path rules (one plain, two globs), a
# network rule and the default baseline; the 1,000 include bench8's
# manifest (its program is the confined task kept alive).
mkdir -p /opt/gen /etc/bench/g10 /etc/bench/g1000 /etc/bench/g10000
awk 'BEGIN {
	for (i = 0; i < 10000; i++) {
		f = sprintf("/opt/gen/p%05d", i)
		printf "#!/bin/sh\n# program %d\n", i > f
		close(f)
		m = sprintf("manifestVersion: v1\nname: gen%05d\nauthor: bench\nrun: %s\n", i, f)
		m = m "allowedDirectories:\n"
		m = m sprintf("  - {name: data, path: /srv/gen/%05d, permission: read}\n", i)
		m = m sprintf("  - {name: state, path: \"/var/lib/gen%05d/**\", permission: readWrite}\n", i)
		m = m sprintf("  - {name: logs, path: \"/var/log/gen%05d/*.log\", permission: write}\n", i)
		m = m "allowedNetwork:\n"
		m = m sprintf("  - {name: api, direction: outbound, ip: 10.%d.%d.0/24, protocol: tcp, port: 443}\n", int(i / 256), i % 256)
		split("10 1000 10000", dirs, " ")
		for (d = 1; d <= 3; d++) {
			if (i >= dirs[d] - (d == 2))
				continue
			f = sprintf("/etc/bench/g%d/gen%05d.yml", dirs[d], i)
			printf "%s", m > f
			close(f)
		}
	}
}' || fail "generate manifests"
chmod 755 /opt/gen/*
cp /etc/bench/bench8.yml /etc/bench/g1000/
[ "$(ls /etc/bench/g1000 | wc -l)" = 1000 ] || fail "g1000: $(ls /etc/bench/g1000 | wc -l) manifests"
[ "$(ls /etc/bench/g10000 | wc -l)" = 10000 ] || fail "g10000"

# ---- measuring -----------------------------------------------------------
put() { # KEY CMD...: "KEY INSTRUCTIONS" into $OUT
	key=$1; shift
	v=$("$@") || fail "$key: $*"
	echo "$key $v" >> $OUT
}
LL() { # DIR OP ARG...: the plain helper under Landlock
	d=$1; shift
	$PLAIN landlock "$d" $PLAIN "$@"
}
SHA=/bin/sha256sum	# busybox's applet (the image has no other)

# The rows whose targets are a few tenths of a percent, or a comparison
# with Landlock, are measured in rounds: the guest's own cost of an
# operation drifts over the run by as much (its caches grow; 2.4% for a
# connect), so one baseline at the start and one measurement much later
# compare two guests. Sets without the module (B) and with it (M)
# alternate, B0 M1 B1 ... M$ROUNDS B$ROUNDS: each M is a ratio to the mean
# of the two B around it, Landlock's to the baseline of its own set, and
# the table gives the median over the rounds (a timer's or a worker's run
# that falls into one measurement moves it by up to 2%: a median ignores
# such a round, a mean would spread it over all).
ROUNDS=${BENCH_ROUNDS:-5}
rounds() { seq 1 $ROUNDS; }

# 1. No module: the hashing baselines, the manifested program executed.
: > /tmp/empty
put sha.0 $PLAIN cmd 2 $SHA /tmp/empty
put base.execman $PLAIN exec $N_EXEC $MANIFESTED
for s in 1 16 128; do
	n=$((8 / $s)); [ $n -gt 0 ] || n=1
	put base.big.$s $PLAIN exec $n /opt/bench/big$s
	put sha.$s $PLAIN cmd 1 $SHA /opt/bench/big$s
done

# 2. Confined programs (the bench manifests loaded) and baselines (the
# module removed), in rounds. The x86 sha256 drivers first, as Charter's
# soft dependency has modprobe do (busybox's does not).
baselines() { # SET
	for d in 1 4 9; do
		eval f=\$FILE$d
		put base.open.$d.$1 $PLAIN open $N_FILE $f
		put base.stat.$d.$1 $PLAIN stat $N_FILE $f
		put ll.open.$d.$1 LL /srv/d$d open $N_FILE $f
		put ll.stat.$d.$1 LL /srv/d$d stat $N_FILE $f
	done
	put base.exect.$1 $PLAIN exec $N_EXEC $TARGET
	put ll.exec.$1 $PLAIN landlock /srv/d1 $TARGET exec $N_EXEC $TARGET
	put base.connect.$1 $PLAIN connect $N_NET $P
	put base.sendto.$1 $PLAIN sendto $N_NET $U
}
confined() { # SET
	for r in 8 64 512; do
		for d in 1 4 9; do
			eval f=\$FILE$d
			put c$r.open.$d.$1 /opt/bench/r$r/bench open $N_FILE $f
		done
	done
	for d in 1 4 9; do
		eval f=\$FILE$d
		put c8.stat.$d.$1 /opt/bench/r8/bench stat $N_FILE $f
	done
	put c8.exec.$1 /opt/bench/r8/bench exec $N_EXEC $TARGET
	for r in 8 512; do
			put c$r.connect.$1 /opt/bench/r$r/bench connect $N_NET $P
		put c$r.sendto.$1 /opt/bench/r$r/bench sendto $N_NET $U
	done
}
load_bench() {
	load_module
	charter load --allow-unsigned /etc/bench/*.yml > /dev/null ||
		fail "load the bench manifests"
}
unload_module() { # WHY
	charter unload > /dev/null 2>&1
	rmmod charter || fail "rmmod $1"
}
modprobe sha256_ssse3 || fail "modprobe sha256_ssse3"
baselines 0
for k in $(rounds); do
	load_bench
	confined $k
	unload_module "after round $k"
	baselines $k
done

# 3. Manifested programs executed, by an unconfined program.
load_bench
put u.execman $PLAIN exec $N_EXEC $MANIFESTED
for s in 1 16 128; do
	n=$((4 / $s)); [ $n -gt 0 ] || n=1
	put u.cold.$s $PLAIN cold $n /opt/bench/big$s
	put u.cached.$s $PLAIN exec $n /opt/bench/big$s
done

# 4. Unconfined, 1,000 manifests loaded: nothing confined, then a confined
# task alive (bench8's program, waiting); in rounds, each set without the
# module (ub) between two with it.
unconfined() { # PREFIX
	put $1.open $PLAIN open $N_FILE $FILE4
	put $1.stat $PLAIN stat $N_FILE $FILE4
	put $1.exec $PLAIN exec $N_EXEC $PLAIN
	put $1.connect $PLAIN connect $N_NET $P
}
without_module() { # PREFIX
	unload_module "before $1"
	unconfined $1
	load_module
}
without_module ub.0
for k in $(rounds); do
	charter load --allow-unsigned /etc/bench/g1000 > /dev/null || fail "load 1,000"
	unconfined p1k.$k
	/opt/bench/r8/bench hold & holder=$!
	sleep 1
	[ "$(charter status --json | sed -n 's/.*"confined_tasks":\([0-9]*\).*/\1/p')" -ge 1 ] ||
		fail "the holder is not confined"
	unconfined h1k.$k
	kill $holder
	wait $holder 2>/dev/null
	without_module ub.$k
done
# 10,000 manifests: the same rounds, each set one exec measurement, the
# first without the module the last of the 1,000's.
put ub10k.0.exec $PLAIN exec $N_EXEC $PLAIN
for k in $(rounds); do
	charter load --allow-unsigned /etc/bench/g10000 > /dev/null || fail "load 10,000"
	put p10k.$k.exec $PLAIN exec $N_EXEC $PLAIN
	unload_module "after 10,000"
	put ub10k.$k.exec $PLAIN exec $N_EXEC $PLAIN
	load_module
done

# 5. Loading 10 and 10,000 manifests (--allow-unsigned, from a
# directory, into an empty policy): guest time cold (the policy cache
# empty: compiled, and the entry written) and cached (the same load
# again: each recorded path checked, the kept policy sent), and kernel
# memory; then the same policy compiled beforehand (charter load
# --policy), the kernel's share.
memory() { charter status --json | sed -n 's/.*"policy_memory":\([0-9]*\).*/\1/p'; }
loaded() { charter status --json | sed -n 's/.*"manifests":\([0-9]*\).*/\1/p'; }
mkdir -p /var/cache
for n in 10 10000; do
	rm -rf /var/cache/charter
	charter unload > /dev/null || fail "unload"
	put load.$n $PLAIN cmd 1 /usr/sbin/charter load --allow-unsigned /etc/bench/g$n
	[ "$(loaded)" = $n ] || fail "load of $n: $(charter status)"
	charter unload > /dev/null || fail "unload"
	put loadc.$n $PLAIN cmd 1 /usr/sbin/charter load --allow-unsigned /etc/bench/g$n
	[ "$(loaded)" = $n ] || fail "cached load of $n: $(charter status)"
	CHARTER_CACHE_TRACE=1 charter load --allow-unsigned /etc/bench/g$n 2>&1 |
		grep -q '^charter: cache: hit$' || fail "the load of $n again did not use the cache"
	echo "mem.$n $(memory)" >> $OUT
	charter compile --allow-unsigned -o /tmp/g$n.bin /etc/bench/g$n 2> /dev/null ||
		fail "compile $n"
	charter unload > /dev/null || fail "unload"
	put loadbin.$n $PLAIN cmd 1 /usr/sbin/charter load --policy /tmp/g$n.bin
	[ "$(loaded)" = $n ] || fail "load --policy of $n: $(charter status)"
done

# The baselines again, the module gone: how far the guest itself drifted
# over the run (memory, caches), against which no ratio is exact.
charter unload > /dev/null && rmmod charter || fail "rmmod"
put end.open.4 $PLAIN open $N_FILE $FILE4
put end.exec $PLAIN exec $N_EXEC $PLAIN
put end.connect $PLAIN connect $N_NET $P

# ---- the table -----------------------------------------------------------
awk -v rounds=$ROUNDS '
{ v[$1] = $2 }
function r(key, base) { return v[key] / v[base] }
# Rows measured in rounds (section 2): the mean of set KEY.0 .. KEY.rounds;
# a confined set KEY.k over the mean of the baselines BASE.(k-1) and
# BASE.k around it; a Landlock set over the baseline of its own set.
function bmean(key,   k, t) {
	for (k = 0; k <= rounds; k++)
		t += v[key "." k]
	return t / (rounds + 1)
}
# The median of a[1..n].
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
# Set K of a measurement with the module over the two without it around
# it, KEY and BASE being "PREFIX." with the suffix SUFFIX after K.
function bracket(key, base, k, suffix) {
	return 2 * v[key k suffix] / (v[base (k - 1) suffix] + v[base k suffix])
}
function cratio(key, base,   k, a) {
	for (k = 1; k <= rounds; k++)
		a[k] = bracket(key ".", base ".", k, "")
	return median(a, rounds)
}
function lratio(key, base,   k, a) {
	for (k = 0; k <= rounds; k++)
		a[k + 1] = v[key "." k] / v[base "." k]
	return median(a, rounds + 1)
}
function row(op, base, ch, ll, target, ok) {
	printf "| %-64s | %9s | %9s | %8s | %-15s | %-6s |\n", op, base, ch, ll, target,
	       ok == "" ? "" : ok ? "met" : "MISSED"
	if (ok != "" && !ok)
		missed++
	if (ok != "")
		targets++
}
function x(f) { return sprintf("%.3fx", f) }
function ratio_row(op, key, base, llkey, llbase, target, ok) {
	row(op, v[base], x(r(key, base)), llkey == "" ? "-" : x(r(llkey, llbase)),
	    target, ok)
}
# A row of section 2: Charter (and Landlock) in rounds; LIMIT: a bound on
# the ratio, or "ll" (the ratio of Landlock), "ll2" (2% above it), "" none.
function round_row(op, key, base, llkey, limit,   c, l, t, ok) {
	c = cratio(key, base)
	l = llkey == "" ? 0 : lratio(llkey, base)
	t = ""; ok = ""
	if (limit == "ll") { t = "<= Landlock"; ok = c <= l }
	else if (limit == "ll2") { t = "<= Landlock +2%"; ok = c <= 1.02 * l }
	else if (limit != "") { t = sprintf("<= %.2fx", limit); ok = c <= limit }
	row(op, sprintf("%.0f", bmean(base)), x(c), llkey == "" ? "-" : x(l), t, ok)
}
BEGIN { missed = 0; targets = 0 }
END {
	printf "| %-64s | %9s | %9s | %8s | %-15s | %-6s |\n", "operation", "no module",
	       "Charter", "Landlock", "target", "result"
	printf "|%s|%s|%s|%s|%s|%s|\n", "------------------------------------------------------------------",
	       "-----------", "-----------", "----------", "-----------------", "--------"
	for (rules = 8; rules <= 512; rules *= 8)
		for (i = 1; i <= 3; i++) {
			d = substr("149", i, 1)
			round_row("open+close, depth " d ", confined, " rules " rules",
				  "c" rules ".open." d, "base.open." d, "ll.open." d,
				  rules == 8 ? "ll" : rules == 512 ? "ll2" : "")
		}
	for (i = 1; i <= 3; i++) {
		d = substr("149", i, 1)
		round_row("stat, depth " d ", confined, 8 rules", "c8.stat." d, "base.stat." d,
			  "ll.stat." d, "")
	}
	round_row("fork+exec (static), confined, 8 rules", "c8.exec", "base.exect",
		  "ll.exec", "ll")
	for (rules = 8; rules <= 512; rules *= 64) {
		round_row("TCP connect+close, confined, " rules " net rules", "c" rules ".connect",
			  "base.connect", "", 1.05)
		round_row("UDP sendto, confined, " rules " net rules", "c" rules ".sendto",
			  "base.sendto", "", 1.05)
	}
	ratio_row("fork+exec of a manifested program, digest cached", "u.execman",
		  "base.execman", "", "", "<= 1.005x", r("u.execman", "base.execman") <= 1.005)
	for (i = 1; i <= 3; i++) {
		s = i == 1 ? 1 : i == 2 ? 16 : 128
		ratio_row("fork+exec of a manifested program, cold, " s " MiB", "u.cold." s,
			  "base.big." s, "", "", "", "")
	}
	for (i = 1; i <= 3; i++) {
		s = i == 1 ? 1 : i == 2 ? 16 : 128
		bytes = s * 1048576
		row("hashing " s " MiB, instructions/byte: sha256sum, kernel",
		    sprintf("%.1f", (v["sha." s] - v["sha.0"]) / bytes),
		    sprintf("%.1f", (v["u.cold." s] - v["u.cached." s]) / bytes), "-", "", "")
	}
	# Section 4: each unconfined set over the sets without the module
	# before and after it (ub.K.OP), as cratio() does.
	split("open stat exec connect", ops, " ")
	split("open+close d4|stat d4|fork+exec, no manifest|TCP connect+close", names, "|")
	for (k = 1; k <= 2; k++)
		for (i = 1; i <= 4; i++) {
			pre = k == 1 ? "p1k" : "h1k"
			lim = k == 1 ? 1.002 : 1.005
			b = 0
			for (j = 1; j <= rounds; j++) {
				a[j] = bracket(pre ".", "ub.", j, "." ops[i])
				b += v["ub." j "." ops[i]]
			}
			c = median(a, rounds)
			row(names[i] ", unconfined, 1,000 manifests" (k == 2 ? ", 1 confined" : ""),
			    sprintf("%.0f", (b + v["ub.0." ops[i]]) / (rounds + 1)), x(c), "-",
			    sprintf("<= %.3fx", lim), c <= lim)
		}
	b = 0
	for (j = 1; j <= rounds; j++) {
		a[j] = bracket("p10k.", "ub10k.", j, ".exec")
		b += v["ub10k." j ".exec"]
	}
	c = median(a, rounds)
	row("fork+exec, no manifest, unconfined, 10,000 manifests",
	    sprintf("%.0f", (b + v["ub10k.0.exec"]) / (rounds + 1)), x(c), "-", "<= 1.002x",
	    c <= 1.002)
	for (i = 1; i <= 2; i++) {
		n = i == 1 ? 10 : 10000
		row("charter load, " n " manifests, cold (guest ms)", "-",
		    sprintf("%.0f", v["load." n] / 1e6), "-", "", "")
		ms = v["loadc." n] / 1e6
		row("charter load, " n " manifests, cached (guest ms)", "-", sprintf("%.0f", ms), "-",
		    n == 10000 ? "< 1000 ms" : "", n == 10000 ? ms < 1000 : "")
		row("charter load --policy, " n " compiled (guest ms)", "-",
		    sprintf("%.0f", v["loadbin." n] / 1e6), "-", "", "")
		per = v["mem." n] / n
		row("kernel memory per manifest, " n " loaded (bytes)", "-", sprintf("%.0f", per), "-",
		    n == 10000 ? "<= 4096" : "", n == 10000 ? per <= 4096 : "")
	}
	printf "%d of %d targets met.\n", targets - missed, targets
	printf "Drift of the guest without the module, end of run to start: open+close d4 %s,\n",
	       x(r("end.open.4", "base.open.4.0"))
	printf "fork+exec %s, TCP connect+close %s.\n", x(r("end.exec", "ub.0.exec")),
	       x(r("end.connect", "base.connect.0"))
}' $OUT > /tmp/table || fail "table"
grep -q '[0-9] of [0-9]* targets met' /tmp/table || fail "table: $(cat /tmp/table)"
if grep -qE ' (nan|inf|-nan)| 0\.000x' /tmp/table; then
	cat /tmp/table $OUT
	fail "a measurement is missing"
fi
cat /tmp/table
echo "Guest instructions per operation without the module (\"no module\"), ratios to"
echo "it with the module and under Landlock (kernel $(uname -r), Landlock ABI"
echo "$($PLAIN landlock-abi): every file right handled, two rules). Depth d: the file lies d"
echo "directories below /srv, in a tree the manifest grants by the glob /srv/d* and"
echo "Landlock beneath /srv/dD. Each manifest: the default runtime baseline, its own 8"
echo "path and 8 network rules last, after 56 or 504 that never match. Iterations:"
echo "$N_FILE file operations, $N_EXEC fork+execs, $N_NET connects and datagrams. Loads:"
echo "--allow-unsigned, timed whole. Hashing: busybox sha256sum, and the kernel (the"
echo "cold exec less a cached one). Confined, Landlock and unconfined rows: $ROUNDS"
echo "rounds, each set with the module a ratio to the mean of the sets without it"
echo "just before and just after, Landlock's to its own set's; the median of the"
echo "rounds (\"no module\": the mean of the baselines)."
# Every figure the table was computed from, for whoever checks a ratio.
echo "Raw figures (guest instructions per operation, or ns for loads):"
sort $OUT | awk '{ printf "%s=%s%s", $1, $2, NR % 6 ? " " : "\n" } END { print "" }'
