#!/usr/bin/env bash
# The tool's usage and version: the basics every other CLI test relies on.
. "$(dirname "$0")/lib.sh"

expect 0 "version" "$CHARTER" version
expect_out "version names the netlink ABI" '^charter [0-9.]+ \(netlink ABI [0-9]+'
expect 0 "help" "$CHARTER" help
expect_out "help lists check" '^  check '
expect 2 "an unknown command is a usage error" "$CHARTER" frobnicate
expect 2 "no command is a usage error" "$CHARTER"
cli_done
