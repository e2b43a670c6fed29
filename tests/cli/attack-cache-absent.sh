#!/bin/bash
# Attack (route: the policy cache, userspace/deps.c take_fd(); red team
# 17g): a path first recorded ABSENT (or as a symlink) and then opened by
# a reader. open_end() finds the earlier record by name and take_fd()
# hands it to record_sum_fd(), which returns at once for a record with no
# content to hash (an error, a symlink): the descriptor's file is never
# compared with the record, the reader is given no record (r->rec == 0),
# deps_read_bytes() feeds nothing and deps_read_done() says nothing. The
# compile used bytes the entry does not name; the entry says "absent".
# Route here: `charter compile FIRST.yml LATE.yml`. expand_args()
# deps_stat()s every argument first, then every manifest is read, then
# the programs are hashed. A toggler links LATE.yml in and unlinks it as
# fast as it can while the compile stats and reads; it is stopped (the
# file left absent) once the compile has bin/first open (found in
# /proc/PID/fd; a sparse 96 MiB program: a long window). The one
# interleaving that can be stored: absent at the stat (ENOENT recorded),
# present at the open (read whole, compiled: manifest "late" in the
# policy). At the store the record (ENOENT) still holds: stored. The next
# compile, LATE.yml absent, is a hit whose policy holds manifest "late",
# which a cold compile (LATE.yml: no such file) does not. Won in 1 and
# in 39 attempts on a 2-CPU host (up to $ATTEMPTS, 150).
# PASSES when the entry is not stored, or is not used with LATE.yml gone,
# or gives what a cold compile gives; FAILS (ESCAPE) otherwise.
. "$(dirname "$0")/lib.sh"
export CHARTER_CACHE_TRACE=1
A=--allow-unsigned
S=$T/s
mkdir -p "$S/bin" "$S/m" "$S/data"
# Sparse programs (cheap on disk, the SHA-256 still reads every byte);
# two sizes: two programs.
truncate -s 96M "$S/bin/first"
truncate -s 97M "$S/bin/late"
chmod 755 "$S/bin/first" "$S/bin/late"
printf 'manifestVersion: v1\nname: first\nrun: %s/bin/first\n' "$S" > "$S/m/first.yml"
printf 'manifestVersion: v1\nname: late\nrun: %s/bin/late\nallowedDirectories:\n  - {name: d, path: %s/data, permission: read}\n' \
	"$S" "$S" > "$T/late.yml"
sleep 2.2	# nothing recorded is racy

# toggle A B: link(A, B), unlink(B), as fast as it can until SIGTERM,
# then B left absent (same inode each time: the file's times do not move).
CC=${CC:-cc}
cat > "$T/toggle.c" <<'C'
#include <signal.h>
#include <unistd.h>
static volatile sig_atomic_t stop;
static void on_term(int s) { (void)s; stop = 1; }
int main(int argc, char **argv)
{
	if (argc != 3)
		return 1;
	signal(SIGTERM, on_term);
	while (!stop) {
		link(argv[1], argv[2]);
		for (volatile int k = 0; k < 2000; k++)
			;
		unlink(argv[2]);
		for (volatile int k = 0; k < 2000; k++)
			;
	}
	unlink(argv[2]);
	return 0;
}
C
$CC -O2 -o "$T/toggle" "$T/toggle.c" || { echo "# no C compiler: skipped"; cli_done; }

# wait_open PID PATH: until PID has PATH open (1: PID ended first).
wait_open() {
	while kill -0 "$1" 2>/dev/null; do
		ls -l "/proc/$1/fd" 2>/dev/null | grep -qF -- "-> $2" && return 0
		sleep 0.005
	done
	return 1
}

# Each attempt: the toggler runs while the compile stats and reads its
# arguments, and is stopped (late.yml gone) once the compile hashes
# bin/first (every manifest read by then). Only the interleaving
# stat: absent, open: present can be stored (present at the stat: its
# record is of a file gone at the store; absent at the open: a failed
# read, its record true).
tpid=
trap 'kill $tpid 2>/dev/null; rm -rf "$T"' EXIT
stored=0
for i in $(seq 1 ${ATTEMPTS:-150}); do
	rm -rf "$T/cache"
	"$T/toggle" "$T/late.yml" "$S/m/late.yml" &
	tpid=$!
	"$CHARTER" compile $A --cache-dir "$T/cache" -o "$T/first.bin" "$S/m/first.yml" "$S/m/late.yml" > "$T/log1" 2>&1 &
	pid=$!
	wait_open $pid "$S/bin/first" || true
	kill -TERM $tpid; wait $tpid; tpid=
	wait $pid
	rc1=$?
	rm -f "$S/m/late.yml"
	grep -q '^charter: cache: stored' "$T/log1" && { stored=1; break; }
done
echo "# attempt $i: status $rc1: $(tr '\n' ' ' < "$T/log1" | head -c 400)"
if [ $stored = 0 ]; then
	ok "absent then present: no entry stored in $i attempts"
	cli_done
fi
"$CHARTER" dump "$T/first.bin" | grep -q late ||
	echo "# (the racing compile's policy has no manifest late: the window was missed)"
run "$CHARTER" compile $A --cache-dir "$T/cache" -o "$T/cached.bin" "$S/m/first.yml" "$S/m/late.yml"
cp "$T/out" "$T/log2"
run "$CHARTER" compile $A -o "$T/cold.bin" "$S/m/first.yml" "$S/m/late.yml"
if ! grep -q '^charter: cache: hit$' "$T/log2"; then
	ok "absent then present: the entry stored is not used once the file is gone"
elif cmp -s "$T/cached.bin" "$T/cold.bin"; then
	ok "absent then present: the hit gives the cold compile's policy"
else
	not_ok "absent then present: ESCAPE: stored with $S/m/late.yml recorded absent though the compile read it; with it gone, the hit gives a policy with manifest 'late' (cached: $("$CHARTER" dump "$T/cached.bin" 2>&1 | grep -c late) lines naming it, cold: $("$CHARTER" dump "$T/cold.bin" 2>&1 | grep -c late); cold compile: $(head -c 200 "$T/out"))"
fi
cli_done
