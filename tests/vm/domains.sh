#!/bin/sh
# Domains: stacking (every layer must allow), scripts (their own hash
# selects the manifest; the interpreter needs execute), policy replacement
# (tasks follow their manifest into the new policy, and stay confined by
# the last version they had when it is dropped).
. /tests/charter-test.sh
load_module

rm -rf /opt/st /srv/st && mkdir -p /opt/st/a /opt/st/b /opt/sc /srv/st/a /srv/st/b /srv/st/both /srv/sc
for d in a b both; do echo "$d" > /srv/st/$d/f; done
echo data > /srv/sc/data
echo secret > /srv/st-secret
cp /tests/bin/fileop /opt/st/a/app
cp /tests/bin/fileop /opt/st/b/app && echo >> /opt/st/b/app	# another program
cat > /opt/st/a/manifest.yml <<'YML'
manifestVersion: v1
name: outer
run: ./app
baseline: none
allowedDirectories:
  - {name: a, path: /srv/st/a, permission: read}
  - {name: both, path: /srv/st/both, permission: read}
  - {name: inner, path: /opt/st/b/app, permission: execute}
YML
cat > /opt/st/b/manifest.yml <<'YML'
manifestVersion: v1
name: inner
run: ./app
baseline: none
allowedDirectories:
  - {name: b, path: /srv/st/b, permission: read}
  - {name: both, path: /srv/st/both, permission: read}
YML
expect_ok "load" charter load --allow-unsigned /opt/st/a/manifest.yml /opt/st/b/manifest.yml
A=/opt/st/a/app
B=/opt/st/b/app
expect_ok "inner alone reads its own" $B read /srv/st/b/f
expect_errno "inner alone: not the outer's" $EACCES $B read /srv/st/a/f
expect_ok "stacked: what both allow" $A exec $B read /srv/st/both/f
expect_errno "stacked: the outer's only" $EACCES $A exec $B read /srv/st/a/f
expect_errno "stacked: the inner's only" $EACCES $A exec $B read /srv/st/b/f
expect_errno "the outer may not run what it cannot execute" $EACCES $A exec /bin/busybox true

# A script: its hash selects the manifest; /bin/sh needs execute in it.
cat > /opt/sc/run.sh <<'SH'
#!/bin/sh
read line < "$1" && echo "$line"
SH
chmod +x /opt/sc/run.sh
cp /opt/sc/run.sh /opt/sc/noexec.sh && echo '# another script' >> /opt/sc/noexec.sh
for s in run noexec; do
	cat > /opt/sc/$s.yml <<YML
manifestVersion: v1
name: script-$s
run: ./$s.sh
baseline: none
allowedDirectories:
  - {name: self, path: /opt/sc, permission: read}
  - {name: data, path: /srv/sc, permission: read}
YML
done
echo '  - {name: shell, path: /bin/busybox, permission: execute}' >> /opt/sc/run.yml
expect_ok "load scripts" charter load --allow-unsigned /opt/sc/run.yml /opt/sc/noexec.yml
[ "$(/opt/sc/run.sh /srv/sc/data)" = data ] || fail "confined script cannot read its data"
pass "a confined script reads what its manifest allows"
/opt/sc/run.sh /srv/st-secret > /tmp/sc.out 2>&1 && fail "confined script read a secret"
grep -qx secret /tmp/sc.out && fail "secret leaked"
pass "and nothing else"
/opt/sc/noexec.sh /srv/sc/data > /tmp/sc.out 2>&1 && fail "ran without execute on its interpreter"
pass "without execute on the interpreter the script does not run"

# Replacement: a running task follows its manifest into the new policy.
cat > /opt/st/a/v2.yml <<'YML'
manifestVersion: v1
name: outer
run: ./app
baseline: none
allowedDirectories:
  - {name: a, path: /srv/st/a, permission: read}
  - {name: b, path: /srv/st/b, permission: read}
YML
expect_ok "load v1" charter load --allow-unsigned /opt/st/a/manifest.yml
$A later 3 /srv/st/b/f > /tmp/late.out 2>&1 &
pid=$!
sleep 1
expect_ok "load v2 while it runs" charter load --allow-unsigned /opt/st/a/v2.yml
wait $pid || fail "the running task did not get v2's rights: $(cat /tmp/late.out)"
pass "a running task moves to the new version of its manifest"
$A later 3 /srv/st-secret > /tmp/late.out 2>&1 &
pid=$!
sleep 1
expect_ok "load a policy without it" charter load --allow-unsigned /opt/st/b/manifest.yml
wait $pid && fail "a dropped manifest unconfined its task"
pass "a dropped manifest keeps its tasks confined by the last version"
$A later 3 /srv/st/b/f > /dev/null 2>&1 &
pid=$!
sleep 1
expect_ok "unload" charter unload
wait $pid || fail "lost v2's rights after unload"
pass "with the last version they had"
