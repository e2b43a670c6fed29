#!/bin/sh
# make bench: the cost of Charter, in guest instructions per operation
# (QEMU -icount shift=0: one guest nanosecond per instruction), as ratios
# to the same guest without the module, and to Landlock doing the same job.
. /tests/charter-test.sh
N=${BENCH_N:-4000}
DEEP=/srv/bench/a/b/c/d/e/f
FILE=$DEEP/file
mkdir -p $DEEP /opt/bench
echo x > $FILE
# Three programs (a byte apart): the confined one, the one that measures
# everything else (never manifested: a copy of the manifested one would be
# confined too), and one with a manifest to be executed.
cp /tests/bin/bench /opt/bench/bench
cp /tests/bin/bench /opt/bench/plain && echo >> /opt/bench/plain
cp /tests/bin/bench /opt/bench/manifested && printf '\n\n' >> /opt/bench/manifested
cat > /opt/bench/bench.yml <<'YML'
manifestVersion: v1
name: bench
run: ./bench
baseline: none
allowedDirectories:
  - {name: data, path: /srv/bench, permission: read}
  - {name: plain, path: /opt/bench/plain, permission: execute}
allowedNetwork:
  - {name: self, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 1024-65535}
YML
printf 'manifestVersion: v1\nname: manifested\nrun: ./manifested\nbaseline: none\n' > /opt/bench/manifested.yml
B=/opt/bench/plain

measure() { # LABEL CMD...: "LABEL op value" lines into /tmp/bench.out
	label=$1; shift
	"$@" > /tmp/one.out || fail "$label: $*"
	sed "s/^/$label /" /tmp/one.out >> /tmp/bench.out
}

: > /tmp/bench.out
measure base $B run $N $FILE /opt/bench/plain
$B run $N $FILE /opt/bench/manifested | sed -n 's/^fork_exec /base exec_manifested /p' >> /tmp/bench.out
measure landlock $B landlock $N $FILE /opt/bench/plain

load_module
charter load --allow-unsigned /opt/bench/bench.yml /opt/bench/manifested.yml > /dev/null || fail "load"
measure unconfined $B run $N $FILE /opt/bench/plain
$B run $N $FILE /opt/bench/manifested | sed -n 's/^fork_exec /unconfined exec_manifested /p' >> /tmp/bench.out
# The same unconfined program while a confined task is alive (any
# confined service on the system): the hooks' fast paths are then open.
/opt/bench/bench hold & holder=$!
sleep 1
measure busy $B run $N $FILE /opt/bench/plain
$B run $N $FILE /opt/bench/manifested | sed -n 's/^fork_exec /busy exec_manifested /p' >> /tmp/bench.out
kill $holder
measure confined /opt/bench/bench run $N $FILE /opt/bench/plain

awk '
function cell(label, o, b) {
	if (v[label " " o] != "")
		printf " %10d %6.3fx", v[label " " o], v[label " " o] / b
	else
		printf " %10s %7s", "-", ""
}
{ v[$1 " " $2] = $3 }
END {
	split("open_close stat udp_send_recv fork_exec exec_manifested", ops, " ")
	printf "%-16s %10s %10s %7s %10s %7s %10s %7s %10s %7s\n", "instructions/op", \
	       "no module", "unconfined", "ratio", "+a domain", "ratio", "confined", "ratio", \
	       "landlock", "ratio"
	for (i = 1; i <= 5; i++) {
		o = ops[i]; b = v["base " o]
		printf "%-16s %10d", o, b
		cell("unconfined", o, b); cell("busy", o, b)
		cell("confined", o, b); cell("landlock", o, b)
		printf "\n"
	}
}' /tmp/bench.out
echo "(open_close and stat on $FILE, seven directories deep; udp_send_recv: a"
echo " datagram to itself on 127.0.0.1, sent and received; fork_exec of a"
echo " static program; exec_manifested: fork+exec of a program with a manifest,"
echo " digest cached; +a domain: unconfined, while a confined task is alive;"
echo " confined: the measuring program itself has a manifest)"
