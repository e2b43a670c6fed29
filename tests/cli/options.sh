#!/usr/bin/env bash
# Options are parsed per command: each command takes its own options only,
# `charter COMMAND --help` prints that command's usage (stdout, status 0),
# and a wrong option prints it on stderr with status 2.
. "$(dirname "$0")/lib.sh"

COMMANDS="check hash compile dump load unload status list mode monitor lock keygen sign verify version help"
# Every option of the tool, with an argument where it takes one.
OPTIONS="--trust=D --allow-unsigned --mounts=F --module=K --output=O --key=K --policy=P --manifest=N --json"

for c in $COMMANDS; do
	"$CHARTER" "$c" --help > "$T/help" 2> "$T/err"; rc=$?
	if [ $rc -eq 0 ] && head -n1 "$T/help" | grep -q "^usage: charter $c\\b" && [ ! -s "$T/err" ]; then
		ok "$c --help: its own usage on stdout, status 0"
	else
		not_ok "$c --help: status $rc: $(head -c 300 "$T/help" "$T/err")"
	fi
	"$CHARTER" "$c" -h > "$T/h" 2>&1
	cmp -s "$T/h" "$T/help" && ok "$c -h is --help" || not_ok "$c -h: $(head -c 300 "$T/h")"

	"$CHARTER" "$c" --no-such-option > "$T/out1" 2> "$T/err"; rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$T/out1" ] && grep -q "^usage: charter $c\\b" "$T/err" &&
	   grep -q "unknown option '--no-such-option'" "$T/err"; then
		ok "$c: an unknown option: its usage on stderr, status 2"
	else
		not_ok "$c --no-such-option: status $rc: $(head -c 300 "$T/out1" "$T/err")"
	fi

	# Each option of the tool: taken (then --help answers) if and only if
	# this command's usage lists it; refused with status 2 otherwise.
	for opt in $OPTIONS; do
		name=${opt%%=*}
		run "$CHARTER" "$c" "$opt" --help
		if grep -q -- "$name\\b" "$T/help"; then
			[ "$rc" -eq 0 ] && ok "$c takes $name, as its usage says" ||
				not_ok "$c $name: listed in its usage but refused: $(head -c 300 "$T/out")"
		else
			[ "$rc" -eq 2 ] && grep -q "unknown option '$name" "$T/out" &&
				ok "$c refuses $name, not in its usage" ||
				not_ok "$c $name: not in its usage but status $rc: $(head -c 300 "$T/out")"
		fi
	done
done

# The options each command must take (the command lines of the README,
# Documentation and tests/vm): the usage lists them.
must_take() { # COMMAND OPTION...
	c=$1; shift
	"$CHARTER" "$c" --help > "$T/help"
	for opt in "$@"; do
		grep -q -- "$opt\\b" "$T/help" && ok "$c --help lists $opt" ||
			not_ok "$c --help does not list $opt: $(cat "$T/help")"
	done
}
must_take status --json
must_take list --json
must_take monitor --json
must_take load --policy --trust --allow-unsigned --mounts --module
must_take compile -o --output --trust --allow-unsigned --mounts
must_take mode --manifest
must_take keygen -o
must_take sign -k --key
must_take verify --trust
must_take unload --module

# The faults of old: options of other commands accepted silently.
expect 2 "status --key x is refused" "$CHARTER" status --key x
expect_out "status --key: says which option" "charter status: unknown option '--key'"
expect 2 "dump --json is refused" "$CHARTER" dump --json x
expect 2 "sign -o is refused" "$CHARTER" sign -o x -k k f
expect_out "sign -o: says which option" "unknown option '-o'"
expect 2 "check --policy is refused" "$CHARTER" check --policy p m.yml
expect 2 "a missing argument" "$CHARTER" compile -o
expect_out "a missing argument: says which option" "option '-o' needs an argument"
expect 2 "--json=x" "$CHARTER" list --json=x
expect_out "--json=x: says it takes none" "option '--json=x' takes no argument"

# Wrong arguments: that command's usage on stderr, status 2.
for cl in "dump" "dump a b" "status extra" "list extra" "mode" "mode bogus" "mode inherit" \
	  "hash" "check" "compile" "compile -o x" "keygen" "sign f" "verify" "version extra" \
	  "lock extra" "monitor extra" "unload extra" "load --policy p extra" "help nosuch"; do
	set -- $cl
	"$CHARTER" "$@" > "$T/out1" 2> "$T/err"; rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$T/out1" ] && grep -q "^usage: charter $1\\b" "$T/err"; then
		ok "charter $cl: its usage on stderr, status 2"
	else
		not_ok "charter $cl: status $rc: $(head -c 300 "$T/out1" "$T/err")"
	fi
done

# Options in use elsewhere keep working where they belong: past parsing,
# these fail for want of a file or a kernel (status 1), not as usage (2).
for cl in "status --json" "list --json" "mode complain --manifest nosuch" "mode inherit --manifest x" \
	  "load --policy $T/nosuch.bin" "load --allow-unsigned --trust $T --mounts $T/m $T/nosuch.yml" \
	  "compile --allow-unsigned --mounts $T/m -o $T/o.bin $T/nosuch.yml" "verify --trust $T $T/nosuch" \
	  "sign -k $T/nosuch.key $T/f" "sign --key $T/nosuch.key $T/f" "check --mounts $T/m $T/nosuch.yml"; do
	# shellcheck disable=SC2086
	run "$CHARTER" $cl
	if [ "$rc" -eq 1 ] && ! grep -q '^usage:' "$T/out"; then
		ok "charter $cl: parsed"
	else
		not_ok "charter $cl: status $rc: $(head -c 300 "$T/out")"
	fi
done
expect 0 "keygen -o" "$CHARTER" keygen -o "$T/k"
expect 0 "keygen --output" "$CHARTER" keygen --output "$T/k2"
# A compiled policy was verified when it was compiled: options that read
# manifests mean nothing to it, and are refused rather than ignored.
for opt in "--trust $T" --allow-unsigned "--mounts $T/m"; do
	expect 2 "load --policy refuses $opt" "$CHARTER" load --policy "$T/p.bin" $opt
	expect_out "load --policy $opt: says why" "apply when manifests are read, not to --policy"
done
cli_done
