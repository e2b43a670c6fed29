#!/bin/sh
# Building blocks (use:): check, explain and dump of a manifest using the
# shipped blocks; every shipped block parses; errors with their positions;
# a block that is not root's is refused; the seed example still checks.
. "$(dirname "$0")/lib.sh"
B=$CLI_ROOT/blocks

for f in "$B"/*.yml; do
	name=${f##*/}; name=${name%.yml}
	printf 'manifestVersion: v1\nname: t-%s\nrun: /bin/true\nuse: %s\n' "$name" "$name" > "$T/$name.yml"
	expect 0 "the shipped block $name parses" "$CHARTER" check --blocks "$B" "$T/$name.yml"
	expect_out "and is used" "ok: t-$name: .*blocks: $name\$"
	expect_no_out "without a warning" "warning"
done

cat > "$T/app.yml" <<'YML'
manifestVersion: v1
name: webApp
run: /bin/true
use: [nameservice, dns, private-tmp]
allowedDirectories:
  - {name: data, path: /srv/web, permission: read}
YML
expect 0 "check a manifest using three blocks" "$CHARTER" check --blocks "$B" "$T/app.yml"
expect_out "its rules counted, its blocks named" "ok: webApp: 14 path rules, 2 network rules, runtime baseline, blocks: nameservice, dns, private-tmp$"

expect 0 "explain it" "$CHARTER" explain --blocks "$B" "$T/app.yml"
expect_out "its own rule" "^  read /srv/web and everything beneath it \('data'\)$"
expect_out "a block's rule, with its block" "^  read /etc/hosts and everything beneath it \('nameservice/hosts', from block 'nameservice'\)$"
expect_out "\${name} is the manifest's name" "^  read and write whatever matches /tmp/webApp-\*, and everything beneath \('private-tmp/files', from block 'private-tmp'\)$"
expect_out "the DNS rule" "^  reach any address on port 53 over UDP \('dns/udp', from block 'dns'\)$"
expect_out "the blocks listed with their files" "^  dns \($B/dns.yml\): send DNS queries"
expect_out "any address questioned" "any address: network entry 'dns/udp'"

expect 0 "explain --json" "$CHARTER" explain --json --blocks "$B" "$T/app.yml"
grep '^{' "$T/out" > "$T/json"
expect 0 "the JSON says which block each grant came from" python3 -c '
import json, sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
g = {x["entry"]: x for x in o["grants"] if x["entry"]}
assert g["data"]["block"] is None, g
assert g["nameservice/hosts"]["block"] == "nameservice", g
assert g["dns/tcp"]["block"] == "dns" and g["dns/tcp"]["kind"] == "network", g
assert [b["name"] for b in o["blocks"]] == ["nameservice", "dns", "private-tmp"], o' "$T/json"

expect 0 "compile it" "$CHARTER" compile --allow-unsigned --blocks "$B" -o "$T/p.bin" "$T/app.yml"
expect 0 "dump it" "$CHARTER" dump "$T/p.bin"
expect_out "a block's path rule, named BLOCK/ENTRY" "^  path nameservice/resolv-conf: read /etc/resolv.conf"
expect_out "a block's network rule, named BLOCK/ENTRY" "^  network dns/tcp: outbound tcp ip any port 53$"
expect_out "the private area" "^  path private-tmp/dir: readWrite /tmp/webApp "

# --blocks first: a local block of the same name wins.
mkdir -p "$T/local"
printf 'block: dns\ndescription: our resolver\nallowedNetwork:\n  - {name: ours, direction: outbound, ip: 192.0.2.53, protocol: udp, port: "53"}\n' > "$T/local/dns.yml"
expect 0 "the first --blocks directory wins" "$CHARTER" check --blocks "$T/local" --blocks "$B" "$T/app.yml"
expect_out "with its own rules" "ok: webApp: 14 path rules, 1 network rule"

printf 'manifestVersion: v1\nname: bad\nrun: /bin/true\nuse: [nameservice, nope, nameservice]\n' > "$T/bad.yml"
expect 1 "an unknown or repeated block is refused" "$CHARTER" check --blocks "$B" "$T/bad.yml"
expect_out "unknown, at its position" "bad.yml:4:20: unknown block 'nope': no nope.yml in $B, /etc/charter/blocks, /usr/share/charter/blocks$"
expect_out "repeated, at its position" "bad.yml:4:26: block 'nameservice' is used twice"

printf 'block: broken\ndescription: x\nallowedDirectories:\n  - {name: a, path: "/tmp/${user}", permission: read}\n' > "$T/local/broken.yml"
printf 'manifestVersion: v1\nname: b2\nrun: /bin/true\nuse: broken\n' > "$T/b2.yml"
expect 1 "a bad block file is refused" "$CHARTER" check --blocks "$T/local" "$T/b2.yml"
expect_out "at the block file's own position" "local/broken.yml:4:21: path '/tmp/\\\$\{user\}' has '\\\$\{' other than \\\$\{name\}"
expect_out "and at the manifest's use" "b2.yml:4:6: block 'broken' \(.*\) cannot be used"

if [ "$(id -u)" = 0 ]; then
	cp "$B/dns.yml" "$T/local/mine.yml" && sed -i 's/^block: dns/block: mine/' "$T/local/mine.yml"
	chown 65534 "$T/local/mine.yml"
	printf 'manifestVersion: v1\nname: b3\nrun: /bin/true\nuse: mine\n' > "$T/b3.yml"
	expect 1 "a block that is not root's is refused" "$CHARTER" check --blocks "$T/local" "$T/b3.yml"
	expect_out "saying why" "mine.yml: refused: file .* is owned by uid 65534, not root"
	chown 0 "$T/local/mine.yml" && chmod 0777 "$T/local"
	expect 1 "a block in a directory others may write is refused" "$CHARTER" check --blocks "$T/local" "$T/b3.yml"
	expect_out "saying why" "refused: directory .*/local is writable by others \(mode 0777\)"
	chmod 0755 "$T/local"
	expect 0 "once root's alone it is used" "$CHARTER" check --blocks "$T/local" "$T/b3.yml"
fi

expect 2 "--blocks must name a directory" "$CHARTER" check --blocks "$T/nothing" "$T/app.yml"
expect_out "saying so" "charter check: --blocks .*/nothing: No such file or directory"
expect 2 "load --policy takes no --blocks" "$CHARTER" load --policy "$T/p.bin" --blocks "$B"

expect 0 "the seed example still checks as written" "$CHARTER" check --mounts "$FIXTURES/mounts" "$FIXTURES/proposal/myapp.yml"
cli_done
