#!/usr/bin/env bash
# charter learn's usage errors: each is refused before the tool talks to
# the kernel (no module, no netlink here), with a message that says what
# is wrong, and usage errors exit 2.
. "$(dirname "$0")/lib.sh"

# refused STATUS DESC REGEX ARGS...: 'charter learn ARGS' exits STATUS,
# says REGEX and never got as far as the module or netlink.
refused() {
	local status=$1 desc=$2 regex=$3
	shift 3
	expect "$status" "$desc" "$CHARTER" learn "$@"
	expect_out "$desc: says why" "$regex"
	expect_no_out "$desc: before the kernel" 'libkmod|netlink|charter learn: (module|list|load|remove):'
}

refused 2 "no command" 'which command\?'
refused 2 "no command after --" 'which command\?' -o "$T/x.yml" --
refused 2 "an unknown long option" "unknown option '--bogus'" --bogus -- /bin/true
refused 2 "an unknown short option" "unknown option '-x'" -x -- /bin/true
refused 2 "another command's option" "unknown option '--json'" --json -- /bin/true
refused 2 "--name without its argument" "option '--name' needs an argument" --name
refused 2 "--blocks of no directory" "--blocks $T/none: No such file" --blocks "$T/none" -- /bin/true
refused 1 "--name with a space" "'bad name' cannot be a manifest's name" --name 'bad name' -- /bin/true
refused 1 "--name with a slash" "'a/b' cannot be a manifest's name" --name a/b -- /bin/true
refused 1 "--name starting with a dot" "'.x' cannot be a manifest's name" --name .x -- /bin/true
long=$(printf 'n%.0s' $(seq 300))
refused 1 "--name too long" "cannot be a manifest's name" --name "$long" -- /bin/true
# Without --name, the command's file name: one that is no name is refused.
cp /bin/true "$T/.hidden"
refused 1 "a command whose file name is no name" "cannot be a manifest's name: choose one with --name" -- "$T/.hidden"
refused 1 "a command that is not there" "'$T/none' is not an executable file" -- "$T/none"
refused 1 "a command not in PATH" "'no-such-command-charter' is not an executable file here, nor in PATH" \
	-- no-such-command-charter
refused 1 "--append of no file" "$T/none.yml: cannot read" --append "$T/none.yml" -- /bin/true
manifest "$T/false.yml" 'manifestVersion: v1\nname: f\nrun: /bin/false\n'
refused 1 "--append of another executable's draft" "the earlier draft is for another executable" \
	--append "$T/false.yml" -- /bin/true
# The same executable, through a symlink: not refused as another one (it
# goes on to the kernel, which this host has not: any status).
ln -s /bin/true "$T/link"
manifest "$T/true.yml" "manifestVersion: v1\nname: t\nrun: $T/link\n"
run "$CHARTER" learn -o "$T/t.yml" --append "$T/true.yml" -- /bin/true
expect_no_out "--append of the same executable's draft is not refused" 'another executable'
manifest "$T/broken.yml" 'manifestVersion: v1\nname: [\n'
refused 1 "--append of a broken draft" "broken.yml:" --append "$T/broken.yml" -- /bin/true

expect 0 "learn --help" "$CHARTER" learn --help
expect_out "--help names --append" '--append FILE'
expect_out "--help names --name" '--name NAME'
cli_done
