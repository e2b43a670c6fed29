#!/bin/sh
# charter run and charter explain NAME, what needs no kernel: usage, and
# the refusals that come before any netlink (a pinned hash that does not
# match, an unsigned or broken manifest): nothing loaded, nothing run.
. "$(dirname "$0")/lib.sh"

mkdir "$T/app"
printf '#!/bin/sh\ntouch "%s/ran"\n' "$T" > "$T/app/prog"
chmod +x "$T/app/prog"
zero=0000000000000000000000000000000000000000000000000000000000000000
actual=$("$CHARTER" hash "$T/app/prog" | sed 's/^sha256:\([0-9a-f]*\).*/\1/')
manifest "$T/app/m.yml" "manifestVersion: v1\nname: runtest\nrun: ./prog\nhash: sha256:$zero\n"

expect 2 "run needs a manifest" "$CHARTER" run
expect_out "with its usage" "^usage: charter run \[OPTIONS\] MANIFEST \[--\] \[ARGS...\]$"
expect 2 "an unknown option before MANIFEST is a usage error" "$CHARTER" run --frob "$T/app/m.yml"
expect 0 "run --help" "$CHARTER" run --help
expect_out "run takes --allow-unsigned" "--allow-unsigned"

expect 1 "a pinned hash that does not match is refused" \
	"$CHARTER" run --allow-unsigned "$T/app/m.yml" -- --allow-unsigned x
expect_out "naming the expected and the actual hash" \
	"expected sha256:$zero, actual sha256:$actual"
expect_out "saying that nothing is loaded or run" \
	"^charter: run: '.*/app/prog' is not the program manifest 'runtest' pins .*: nothing loaded, nothing run$"
expect_no_out "before any netlink" "netlink|module"
[ -e "$T/ran" ] && not_ok "the program ran" || ok "the program did not run"

# Options end at MANIFEST: what follows is the program's, not the tool's.
expect 1 "--allow-unsigned after MANIFEST is the program's" \
	"$CHARTER" run "$T/app/m.yml" --allow-unsigned
expect_out "so the unsigned manifest is refused" "m.yml.sig is missing"
expect_out "and nothing is run" "^charter: run: .*m.yml refused: nothing loaded, nothing run$"
[ -e "$T/ran" ] && not_ok "the unsigned manifest's program ran" || ok "its program did not run"

manifest "$T/bad.yml" "manifestVersion: v1\nname: bad\nrun: ./nosuch\n"
expect 1 "a manifest whose run cannot be hashed is refused" "$CHARTER" run --allow-unsigned "$T/bad.yml"
expect_out "with the reason" "cannot hash '.*/nosuch'"
expect 1 "a directory is not a manifest" "$CHARTER" run --allow-unsigned "$T/app"
expect_out "it says so" "is a directory: run takes one manifest file"

# explain: a file that exists wins over a loaded manifest of its name.
manifest "$T/runtest" "manifestVersion: v1\nname: fromfile\nrun: /bin/sh\nbaseline: none\n"
(cd "$T" && "$CHARTER" explain runtest) > "$T/out" 2>&1
expect_out "explain NAME reads a file of that name first" "^fromfile \(/bin/sh\)"
cli_done
