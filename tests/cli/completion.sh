#!/bin/bash
# The bash completion (completion/charter.bash) offers what the tool has:
# every command of `charter help`, each command's options from its
# --help, the modes, file names where a command takes files.
. "$(dirname "$0")/lib.sh"
. "$CLI_ROOT/completion/charter.bash"

# complete WORD...: COMPREPLY for the command line "WORD... " (the last
# word is the one completed), sorted, one a line, in $T/out.
complete_words() {
	COMP_WORDS=("$CHARTER" "$@")
	COMP_CWORD=$#
	_charter
	printf '%s\n' "${COMPREPLY[@]}" | sort > "$T/out"
}

# offers DESC WANT WORD...: the completions of WORD... are exactly WANT.
offers() {
	local desc=$1 want=$2
	shift 2
	complete_words "$@"
	if [ "$(tr '\n' ' ' < "$T/out" | sed 's/ $//')" = "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc: got '$(tr '\n' ' ' < "$T/out")', expected '$want'"
	fi
}

commands=$("$CHARTER" help 2>&1 | awk '/^  [a-z]/ { print $1 }' | sort -u | tr '\n' ' ' | sed 's/ $//')
[ "$(echo "$commands" | wc -w)" -ge 15 ] || not_ok "charter help lists its commands: '$commands'"
offers "every command of charter help" "$commands" ""
offers "commands by prefix" "load lock" lo
offers "help COMMAND" "mode monitor" help mo
offers "the modes" "complain" mode c
offers "mode's option" "--help --manifest" mode enforce --
for cmd in $commands; do
	want=$("$CHARTER" "$cmd" --help 2>&1 | grep -o -- '--[a-z-]*' | sort -u | tr '\n' ' ' | sed 's/ $//')
	offers "the options of $cmd" "$want" "$cmd" --
done
offers "load's options by prefix" "--allow-unsigned" load --al

mkdir -p "$T/dir/manifests.d" && touch "$T/dir/app.yml"
offers "file names for load" "$T/dir/app.yml $T/dir/manifests.d" load "$T/dir/"
offers "a directory for --trust" "$T/dir/manifests.d" load --trust "$T/dir/"
offers "nothing after status" "" status ""
exit $cli_failed
