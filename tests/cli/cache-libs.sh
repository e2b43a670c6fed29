#!/bin/bash
# The policy cache records the shared libraries the tool runs with (each
# executable file mapping of /proc/self/maps, by its lstat() tuple):
# libyaml parses the manifests, so a new libyaml compiles anew. Here the
# tool runs with a copy of libyaml (LD_LIBRARY_PATH) and the copy is
# replaced by another file of the same bytes: the next compile misses.
. "$(dirname "$0")/lib.sh"
export CHARTER_CACHE_TRACE=1

lib=$(ldd "$CHARTER" | awk '/libyaml/ { print $3 }')
[ -n "$lib" ] && [ -e "$lib" ] || { echo "# the tool is not linked with a shared libyaml: skipped"; cli_done; }
mkdir -p "$T/lib" "$T/m"
cp "$lib" "$T/lib/${lib##*/}"
printf 'manifestVersion: v1\nname: a\nrun: /bin/true\n' > "$T/m/a.yml"
compile() { run env LD_LIBRARY_PATH="$T/lib" "$CHARTER" compile --allow-unsigned --cache-dir "$T/cache" -o "$T/out.bin" "$T/m"; }
sleep 2.2
compile
expect_out "the first compile stores the entry" '^charter: cache: stored'
grep -q "$T/lib/" "$T/cache"/* && ok "the entry names the library copy" ||
	not_ok "the entry does not name $T/lib's copy of libyaml"
compile
expect_out "the same compile uses the entry" '^charter: cache: hit$'
cp "$T/lib/${lib##*/}" "$T/lib/.new" && mv "$T/lib/.new" "$T/lib/${lib##*/}"
compile
expect_out "a replaced libyaml compiles anew" '^charter: cache: miss \(a file changed\)'
cli_done
