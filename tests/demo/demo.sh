#!/bin/sh
# make demo: a confined program allowed and denied, narrated.
. /tests/charter-test.sh

say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; rc=$?; [ $rc -eq 0 ] || printf '   (exit status %d)\n' $rc; return 0; }

mkdir -p /opt/viewer /srv/photos /srv/private
echo "a photo" > /srv/photos/cat.jpg
echo "the diary" > /srv/private/diary.txt
cp /tests/bin/fileop /opt/viewer/viewer
cat > /opt/viewer/manifest.yml <<'YML'
manifestVersion: v1
author: demo
name: photoViewer
run: ./viewer
allowedDirectories:
  - name: photos
    path: /srv/photos/**/
    permission: read
YML

say "The manifest: the program 'viewer' may read /srv/photos and nothing else"
cat /opt/viewer/manifest.yml
say "Its identity is the SHA-256 of the executable"
run charter hash /opt/viewer/viewer

say "Manifests are signed: the vendor's key signs, the administrator trusts its public half"
run charter keygen -o /root/vendor
mkdir -p /etc/charter/trusted.d && cp /root/vendor.pub /etc/charter/trusted.d/
run charter sign -k /root/vendor.key /opt/viewer/manifest.yml
run charter verify /opt/viewer/manifest.yml

say "Load it (charter loads the module with libkmod, compiles, pushes over netlink)"
run charter load /opt/viewer/manifest.yml
say "What the kernel got: the compiled policy, with the runtime baseline a dynamically linked program needs"
charter compile -o /tmp/policy.bin /opt/viewer/manifest.yml && run charter dump /tmp/policy.bin

say "Allowed: the viewer reads a photo"
run /opt/viewer/viewer read /srv/photos/cat.jpg
say "Denied: the viewer reads the diary (EACCES)"
run /opt/viewer/viewer read /srv/private/diary.txt
say "Denied: the viewer overwrites a photo (the rule is read-only)"
run /opt/viewer/viewer write /srv/photos/cat.jpg oops
say "Denied: a symlink does not help: the file is still in /srv/private"
ln -s /srv/private/diary.txt /srv/photos/innocent.jpg
run /opt/viewer/viewer read /srv/photos/innocent.jpg
say "Any other program is unaffected"
run cat /srv/private/diary.txt

say "After rmmod charter, the viewer may read the diary again"
run rmmod charter
run /opt/viewer/viewer read /srv/private/diary.txt
