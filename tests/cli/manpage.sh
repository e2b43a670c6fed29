#!/bin/sh
# charter(8) and the tool agree: every command of `charter help` has an
# entry under COMMANDS, every option a command's --help lists is under
# OPTIONS naming that command, and the page names no option the tool
# lacks. The pages render with scdoc.
. "$(dirname "$0")/lib.sh"
PAGE=$CLI_ROOT/Documentation/charter.8.scd

for page in "$PAGE" "$CLI_ROOT/Documentation/charter-manifest.5.scd"; do
	expect 0 "$(basename "$page") renders (scdoc)" sh -c "scdoc < '$page' > '$T/page'"
done

# The OPTIONS section: "*-o*, *--output* _OUT_" lines and their paragraphs.
sed -n '/^# OPTIONS/,/^# OUTPUT/p' "$PAGE" > "$T/options"
# option_text LONG: the paragraph under the entry of --LONG.
option_text() {
	awk -v opt="*--$1*" 'index($0, opt) == 1 || index($0, ", " opt) { on = 1; next }
		on && /^\t/ { print; next } on { exit }' "$T/options"
}

commands=$("$CHARTER" help 2>&1 | awk '/^  [a-z]/ { print $1 }' | sort -u)
[ -n "$commands" ] || not_ok "charter help lists commands"
for cmd in $commands; do
	if grep -q "^\*$cmd\*" "$PAGE"; then
		ok "charter(8) has an entry for $cmd"
	else
		not_ok "charter(8) has no entry for $cmd"
	fi
	for long in $("$CHARTER" "$cmd" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		name=${long#--}
		# "--" alone ends options (run's synopsis): not an option.
		[ "$name" = help ] || [ -z "$name" ] && continue
		if option_text "$name" | grep -q "\*$cmd\*"; then
			ok "charter(8): $long, for $cmd"
		else
			not_ok "charter(8) does not give $long to $cmd under OPTIONS"
		fi
	done
done

# No option in the page that no command takes.
for long in $(grep -o -- '^\*-*[a-z-]*\*, \*--[a-z-]*\*\|^\*--[a-z-]*\*' "$T/options" |
		grep -o -- '--[a-z-]*' | sort -u); do
	found=0
	for cmd in $commands; do
		"$CHARTER" "$cmd" --help 2>&1 | grep -q -- "$long\b" && found=1
	done
	[ "$found" = 1 ] && ok "charter(8): $long exists" ||
		not_ok "charter(8) lists $long, which no command takes"
done
exit $cli_failed
