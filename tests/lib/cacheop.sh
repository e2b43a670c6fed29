# Drive tests/helpers/cacheop (a long-lived program opening files on
# command) through two FIFOs: . /tests/cacheop.sh after attack.sh.
# co_start CMD...: start it (fd 3: its commands, fd 4: its answers).
# The FIFOs have names of their own (cli-output.sh writes /tmp/co.out: a
# FIFO left there blocked it) and go with co_stop.
co_start() {
	rm -f /tmp/cacheop.in /tmp/cacheop.out
	mkfifo /tmp/cacheop.in /tmp/cacheop.out
	"$@" < /tmp/cacheop.in > /tmp/cacheop.out 2> /tmp/cacheop.err &
	CO_PID=$!
	exec 3> /tmp/cacheop.in 4< /tmp/cacheop.out
}
# co CMD: one command, its answer on stdout (EOF if it died).
co() { echo "$*" >&3; read -r co_ans <&4 || co_ans=EOF; echo "$co_ans"; }
co_stop() {
	echo q >&3
	exec 3>&- 4<&-
	wait $CO_PID
	rm -f /tmp/cacheop.in /tmp/cacheop.out
}
# co_allowed DESC CMD: the answer must be 0 (a sanity check: fails the test).
co_allowed() {
	a=$(co "$2")
	[ "$a" = 0 ] || fail "$1: expected success, got $a ($(cat /tmp/cacheop.err))"
	pass "$1"
}
# co_refused DESC CMD: the answer must be EACCES (else an ESCAPE line).
co_refused() {
	a=$(co "$2")
	if [ "$a" = 13 ]; then pass "$1: refused"; else escape "$1: got $a, not 13"; fi
}
