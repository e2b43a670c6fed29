#!/bin/bash
# Attack (route: the policy cache, userspace/deps.c; red team 17f). The
# digest a compile records of a file it reads was taken with pread() from
# the compile's descriptor *before* the compile read it: two reads of the
# file, not one. A file written through a shared writable mapping while
# the compile runs (tmpfs: no time ever changes when the page is faulted
# in by a read; a disk file system: none after the first write fault)
# could give the digest one content and the compile another. The mapping
# then puts back the content the digest names: the entry checks out
# (tuple and digest), and the cached compile hands back the policy of
# bytes that are no longer there (a manifest's other rule path, a
# program's other hash).
# A flipper toggles one byte of the file as fast as it can during the
# compile (no system call: no time changes), stops, and the byte is set
# to A; the entry was stored, is used (hit), and differs from a cold
# compile of A when the digest read A and the compile read B.
# PASSES when no attempt gets a cached policy other than the cold one;
# FAILS when one does. tmpfs (/dev/shm) only; skipped otherwise.
# Closed (cachetear): the digest is of the very bytes the compile used
# (deps_open_read(): deps_read_bytes() fed by read_all() in input.c, by
# the SHA-256 loop in compile.c, by read_line() in sign.c on the one
# descriptor), the descriptor fstat()'ed again when the read is done; a
# hit now gives the policy of the content it was compiled from.
. "$(dirname "$0")/lib.sh"
export CHARTER_CACHE_TRACE=1

CC=${CC:-cc}
cat > "$T/flip.c" <<'C'
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
/* flip FILE OFF A B: toggle byte OFF of FILE between A and B through a
 * shared mapping until SIGTERM, then leave A there.
 * flip FILE OFF V: set byte OFF to V through a shared mapping. */
static volatile sig_atomic_t stop;
static void on_term(int s) { (void)s; stop = 1; }
int main(int argc, char **argv)
{
	int fd = open(argv[1], O_RDWR);
	off_t off = argc > 3 ? atol(argv[2]) : 0;
	volatile unsigned char *m = fd < 0 ? MAP_FAILED :
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unsigned char a = argc > 3 ? (unsigned char)strtol(argv[3], NULL, 0) : 0;
	unsigned char b = argc > 4 ? (unsigned char)strtol(argv[4], NULL, 0) : 0;

	if (m == MAP_FAILED || argc < 4)
		return 1;
	/* Read first: a read fault maps the page writable (no write
	 * notify on tmpfs); a first write fault would update the times. */
	(void)m[off];
	if (argc == 4) {
		m[off] = a;
		return 0;
	}
	signal(SIGTERM, on_term);
	/* Each value held a while (a spin, no system call): a reader on
	 * another CPU sees either about as often. */
	while (!stop) {
		m[off] = b;
		for (volatile int k = 0; k < 100; k++)
			;
		m[off] = a;
		for (volatile int k = 0; k < 100; k++)
			;
	}
	m[off] = a;
	return 0;
}
C
$CC -O2 -o "$T/flip" "$T/flip.c" || { echo "# no C compiler: skipped"; cli_done; }
[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] || { echo "# no tmpfs at /dev/shm: skipped"; cli_done; }
SHM=$(mktemp -d -p /dev/shm)
trap 'kill $fpid 2>/dev/null; rm -rf "$T" "$SHM"' EXIT
fpid=

S=$SHM
mkdir -p "$S/bin" "$S/m" "$S/data/aaa" "$S/data/aba"
head -c 4096 /dev/urandom > "$S/bin/prog"
chmod 755 "$S/bin/prog"
# The manifest: byte $moff is the middle 'a' of "aaa" (A) or 'b' (B).
printf 'manifestVersion: v1\nname: a\nrun: %s/bin/prog\nallowedDirectories:\n  - {name: d, path: %s/data/aaa, permission: read}\n' \
	"$S" "$S" > "$S/m/a.yml"
moff=$(grep -bo 'data/aaa' "$S/m/a.yml" | cut -d: -f1)
moff=$((moff + 6))
pbyte=$(od -An -tu1 -N1 "$S/bin/prog" | tr -d ' ')
# Signed: $S/s/a.yml (the same manifest) and its .sig, key in $S/trust.
# sign.c hashed the .sig by its path (deps_path(), DEPS_CONTENT), then
# read_line() opened and read it again: the same two reads.
mkdir -p "$S/s" "$S/trust"
cp "$S/m/a.yml" "$S/s/a.yml"
"$CHARTER" keygen -o "$T/k" > /dev/null && cp "$T/k.pub" "$S/trust/k.pub" &&
	"$CHARTER" sign -k "$T/k.key" "$S/s/a.yml" || not_ok "setup: keygen, sign"
# Byte 60 of the .sig is in the base64 signature: another letter there
# is a signature that does not verify.
sbyte=$(od -An -tu1 -j60 -N1 "$S/s/a.yml.sig" | tr -d ' ')
[ "$sbyte" = 65 ] && sbad=66 || sbad=65
sleep 2.2	# the files are not racy; a mapping's writes change no time

# check WHAT CACHE DUMP: the compile through CACHE; 1 on a hit whose
# policy is not the cold compile's (said), else 0 (hits counted).
check() {
	run "$CHARTER" compile $OPTS --cache-dir "$2" -o "$T/cached.bin" "$DIR"
	cp "$T/out" "$T/log"
	grep -q '^charter: cache: hit$' "$T/log" || return 0
	hits=$((hits + 1))
	"$CHARTER" compile $OPTS -o "$T/cold.bin" "$DIR" > /dev/null 2>&1
	cmp -s "$T/cached.bin" "$T/cold.bin" && return 0
	not_ok "$1: ESCAPE (attempt $i): the cache hit gives a policy of bytes no longer in the file: cached: $("$CHARTER" dump "$T/cached.bin" | grep -m1 -E "$3") vs cold: $("$CHARTER" dump "$T/cold.bin" | grep -m1 -E "$3")"
	return 1
}

# attempt WHAT FILE OFF A B N DUMP: up to N racing compiles (options
# $OPTS, the manifests $DIR), each with a new cache; the entry is then
# tried with the byte at A, and (a copy of it) with the byte at B.
OPTS=--allow-unsigned DIR=$S/m
attempt() {
	local what=$1 file=$2 off=$3 a=$4 b=$5 n=$6 stored=0
	hits=0
	for i in $(seq 1 "$n"); do
		rm -rf "$T/cache" "$T/cacheB"
		"$T/flip" "$file" "$off" "$a" "$b" &
		fpid=$!
		sleep 0.02
		run "$CHARTER" compile $OPTS --cache-dir "$T/cache" -o "$T/first.bin" "$DIR"
		kill -TERM $fpid; wait $fpid; fpid=
		grep -q '^charter: cache: stored' "$T/out" || continue
		stored=$((stored + 1))
		cp -a "$T/cache" "$T/cacheB"
		check "$what (left at A)" "$T/cache" "$7" || return
		"$T/flip" "$file" "$off" "$b"
		check "$what (left at B)" "$T/cacheB" "$7" || { "$T/flip" "$file" "$off" "$a"; return; }
		"$T/flip" "$file" "$off" "$a"
	done
	echo "# $what: $n attempts, $stored stored, $hits hits"
	[ "$stored" -gt 0 ] || not_ok "$what: setup: no entry was ever stored"
	ok "$what: a file torn by a mapping during the compile never gives a stale hit"
}

attempt manifest "$S/m/a.yml" "$moff" 97 98 80 'path d:'
"$T/flip" "$S/m/a.yml" "$moff" 97
attempt program "$S/bin/prog" 0 "$pbyte" $(( pbyte ^ 0xff )) 80 'executable'
# The .sig: the flip leaves the bad signature, so a cold compile refuses
# the manifest (an empty policy) while a stale hit holds it. (Not won in
# 250 attempts on the author's 2-CPU host: the same two reads, kept in
# case the window is wider elsewhere.)
OPTS="--trust $S/trust" DIR=$S/s
attempt signature "$S/s/a.yml.sig" 60 "$sbad" "$sbyte" 40 '^manifest|policy'
cli_done
