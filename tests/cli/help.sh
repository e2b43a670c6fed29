#!/usr/bin/env bash
# The overview (charter help, --help, -h) names every command, on stdout.
. "$(dirname "$0")/lib.sh"

for h in help --help -h; do
	"$CHARTER" $h > "$T/ov" 2> "$T/err"; rc=$?
	[ $rc -eq 0 ] && [ ! -s "$T/err" ] && ok "charter $h: status 0, stdout only" ||
		not_ok "charter $h: status $rc: $(head -c 300 "$T/err")"
	for c in check hash compile dump load unload status list mode monitor lock keygen sign verify version help; do
		grep -q "^  $c\\b" "$T/ov" || not_ok "charter $h does not list $c"
	done
done
ok "the overview lists every command"
grep -q 'load --policy FILE' "$T/ov" && ok "the overview shows load --policy" || not_ok "no load --policy: $(cat "$T/ov")"
grep -q 'status \[--json\]' "$T/ov" && ok "the overview shows status --json" || not_ok "no status --json: $(cat "$T/ov")"
expect 0 "help COMMAND" "$CHARTER" help load
expect_out "help load is load's usage" '^usage: charter load '
expect_out "help load lists --policy" '--policy FILE'
run "$CHARTER" frobnicate
expect_out "an unknown command is named" "unknown command 'frobnicate'"
cli_done
