#!/bin/sh
# Glob patterns and the execute right, end to end: what a manifest says
# about "**", "*" and "?" is what the kernel enforces, and a confined task
# executes only what it may execute.
. /tests/charter-test.sh
load_module

rm -rf /opt/g /srv/g
mkdir -p /opt/g /srv/g/logs/a/b /srv/g/bin /srv/g/data /srv/g/home/alice/public /srv/g/home/bob
echo log > /srv/g/logs/a/b/x.log
echo txt > /srv/g/logs/a/b/x.txt
echo top > /srv/g/logs/top.log
echo pub > /srv/g/home/alice/public/index.html
echo priv > /srv/g/home/bob/notes
echo tty > /srv/g/data/tty1
echo tty > /srv/g/data/tty10
cp /tests/bin/fileop /opt/g/fileop
cp /tests/bin/fileop /srv/g/bin/tool
cp /tests/bin/fileop /srv/g/data/tool
cat > /opt/g/manifest.yml <<'YML'
manifestVersion: v1
name: globs
run: ./fileop
baseline: none
allowedDirectories:
  - name: logs
    path: /srv/g/logs/**/*.log
    permission: readWrite
  - name: public
    path: /srv/g/home/*/public
    permission: read
  - name: ttys
    path: /srv/g/data/tty?
    permission: read
  - name: tools
    path: /srv/g/bin
    permission: readExecute
YML
expect_ok "load" charter load --allow-unsigned /opt/g/manifest.yml
F=/opt/g/fileop

expect_ok "** at depth" $F read /srv/g/logs/a/b/x.log
expect_ok "** matching nothing" $F read /srv/g/logs/top.log
expect_ok "write through a glob rule" $F write /srv/g/logs/a/new.log x
expect_errno "** but the wrong suffix" $EACCES $F read /srv/g/logs/a/b/x.txt
expect_errno "open for writing with the wrong suffix" $EACCES $F write /srv/g/logs/a/b/x.txt x
expect_ok "* as one component, and beneath" $F read /srv/g/home/alice/public/index.html
expect_errno "* does not cover a sibling" $EACCES $F read /srv/g/home/bob/notes
expect_ok "? as one character" $F read /srv/g/data/tty1
expect_errno "? is exactly one character" $EACCES $F read /srv/g/data/tty10

expect_ok "execute where execute is granted" $F exec /srv/g/bin/tool read /srv/g/logs/top.log
expect_errno "no execute where only read is granted" $EACCES $F exec /srv/g/data/tool read /srv/g/logs/top.log
expect_errno "no execute outside every rule" $EACCES $F exec /bin/busybox true
expect_errno "the executed program stays confined" $EACCES $F exec /srv/g/bin/tool read /srv/g/home/bob/notes
