#!/bin/sh
# Attack (route: upgrades, a file of no manifest's hash at a manifest's run
# path). Every way to execute the changed build that lies at a run path,
# or another file that the kernel names by the run path: descriptors, renames,
# unlink, bind mounts (root, and nobody in a user namespace), a detached
# mount (open_tree), hard links, ld.so, a flipped release symlink, overlayfs,
# pivot_root. /opt/rp/up/app (no hash: a changed build must run confined),
# /opt/rp/pin/app (pinned: a changed build may not run).
# Each case is first run without any manifest (where the exec must work).
# PASSES when every case the documentation promises holds ("ESCAPE:" lines
# fail it); documented limits are printed as "LIMIT:" and do not fail it.
# vm-modules: overlay
. /tests/charter-test.sh
load_module
modprobe overlay

R=/tests/bin/rp
bad=0
escape() { echo "ESCAPE: $*"; bad=1; }
limit() { echo "LIMIT: $*"; }

for m in $(grep -o '/opt/rp[^ ]*' /proc/mounts | sort -r); do umount -l $m; done 2>/dev/null
rm -rf /opt/rp /srv/rp /tmp/rpx && mkdir -p /opt/rp/up /opt/rp/pin /opt/rp/hl /opt/rp/stage /srv/rp /tmp/rpx
mkdir -p /opt/rp/rel/v1 /opt/rp/rel/v2
chmod 755 /opt /opt/rp /opt/rp/* /srv /srv/rp /tmp/rpx
echo secret > /srv/rp-secret; chmod 644 /srv/rp-secret
echo ok > /srv/rp/ok; chmod 644 /srv/rp/ok

# Three programs (a byte appended to each: ELF loading ignores it).
build() { cp /tests/bin/fileop "$2" && printf "$1" >> "$2" && chmod 755 "$2"; }
build u /tmp/rpx/up1; build p /tmp/rpx/pin1; build r /opt/rp/rel/v1/app
cp /tmp/rpx/up1 /opt/rp/up/app; cp /tmp/rpx/pin1 /opt/rp/pin/app
mkdir -p /opt/rp/ld; CH=/tests/bin/fileop-dyn
cp "$CH" /tmp/rpx/ld1; printf l >> /tmp/rpx/ld1; cp "$CH" /tmp/rpx/ld2; printf L >> /tmp/rpx/ld2
chmod 755 /tmp/rpx/ld1 /tmp/rpx/ld2; cp /tmp/rpx/ld1 /opt/rp/ld/app
ln -s v1 /opt/rp/rel/current
# The changed build: one byte of the section header offset changed.
cp /tests/bin/fileop /tmp/rpx/build2
printf '\377' | dd of=/tmp/rpx/build2 bs=1 seek=41 conv=notrunc 2>/dev/null
chmod 755 /tmp/rpx/build2
hash=$(charter hash /opt/rp/pin/app | awk '{print $1}')
mk() { # NAME RUN [HASH]
	printf 'manifestVersion: v1\nname: %s\nrun: %s\n%sbaseline: none\nallowedDirectories:\n  - {name: d, path: /srv/rp, permission: read}\n' \
		"$1" "$2" "${3:+hash: $3
}" > /opt/rp/$1.yml
}
mk rpup /opt/rp/up/app
mk rppin /opt/rp/pin/app "$hash"
mk rprel /opt/rp/rel/current/app
mk rpld /opt/rp/ld/app "$(charter hash /opt/rp/ld/app | awk '{print $1}')"
upgrade() { cp "$1" "$2.new" && mv -f "$2.new" "$2"; }
upgrade /tmp/rpx/build2 /opt/rp/up/app
upgrade /tmp/rpx/build2 /opt/rp/pin/app
upgrade /tmp/rpx/ld2 /opt/rp/ld/app
cp /tmp/rpx/build2 /opt/rp/stage/other

# case DESC KIND CMD...: KIND up (CMD runs the changed build at the
# unpinned run: "read /srv/rp-secret" must fail 13) or pin (at the pinned
# run: "read /srv/rp/ok" must not run: 13). Without a policy CMD must exit 0.
# With one: 13 holds; 0 is an escape, or a limit when LIMIT=1; else error.
WANT_WITHOUT=1
case_() {
	desc=$1; kind=$2; shift 2
	if [ "$kind" = up ]; then tgt=/srv/rp-secret; else tgt=/srv/rp/ok; fi
	"$@" read $tgt > /tmp/rpx/out 2>&1; rc=$?
	if [ -n "${NOPOLICY:-}" ]; then
		[ $rc = 0 ] || fail "without a policy, $desc: exit $rc: $(cat /tmp/rpx/out)"
		pass "without Charter: $desc runs"
		return
	fi
	case $rc in
	13|126) pass "$desc: held ($kind, exit $rc)";;
	0) if [ "${LIM:-}" ]; then limit "$desc: runs (unconfined/unpinned) -- $LIM"; else escape "$desc: the changed build ran unconfined/unrefused ($kind)"; fi;;
	*) echo "?? $desc: exit $rc: $(cat /tmp/rpx/out)"; bad=1;;
	esac
}

all_cases() {
	case_ "exec at the run path" up /opt/rp/up/app
	case_ "exec at the pinned run path" pin /opt/rp/pin/app
	case_ "execveat(AT_EMPTY_PATH) of an O_RDONLY fd" up $R open /opt/rp/up/app fdexec
	case_ "execveat(AT_EMPTY_PATH) of an O_PATH fd (pinned)" pin $R opath /opt/rp/pin/app fdexec
	case_ "/proc/self/fd/N (pinned)" pin $R opath /opt/rp/pin/app procexec
	case_ "as nobody, /proc/self/fd/N" up $R nobody opath /opt/rp/up/app procexec
	# A deleted file: its dentry keeps its name and parent.
	case_ "fd at the run path, file unlinked, execveat" up $R open /opt/rp/up/app unlink /opt/rp/up/app fdexec
	cp /tmp/rpx/build2 /opt/rp/up/app
	case_ "fd at the pinned run, unlinked, /proc/self/fd" pin $R open /opt/rp/pin/app unlink /opt/rp/pin/app procexec
	cp /tmp/rpx/build2 /opt/rp/pin/app
	# Root bind-mounts another file (another dentry name) over the run path:
	# d_absolute_path() names it /opt/rp/pin/app, where it lies.
	case_ "root: another file bind-mounted over the pinned run path" pin $R mountns bind /opt/rp/stage/other /opt/rp/pin/app exec /opt/rp/pin/app
	case_ "root: another file bind-mounted over the unpinned run path" up $R mountns bind /opt/rp/stage/other /opt/rp/up/app exec /opt/rp/up/app
	case_ "nobody, userns: its own file bind-mounted over the pinned run path" pin $R nobody userns bind /opt/rp/stage/other /opt/rp/pin/app exec /opt/rp/pin/app
	cp /tmp/rpx/build2 /opt/rp/stage/app
	case_ "root: another file named app bind-mounted over the pinned run" pin $R mountns bind /opt/rp/stage/app /opt/rp/pin/app exec /opt/rp/pin/app
	case_ "root: a directory bind-mounted over the pinned run's directory" pin $R mountns bind /opt/rp/stage /opt/rp/pin exec /opt/rp/pin/app
	# Overlayfs over the run path's directory, as nobody in a user namespace.
	rm -rf /tmp/rpx/u /tmp/rpx/w; mkdir -p /tmp/rpx/u /tmp/rpx/w; cp /tmp/rpx/build2 /tmp/rpx/u/app
	printf o >> /tmp/rpx/u/app; chown -R 65534 /tmp/rpx/u /tmp/rpx/w
	case_ "nobody, userns: overlay on the pinned run's directory, its own app in upper" pin $R nobody userns overlay /opt/rp/pin /tmp/rpx/u /tmp/rpx/w /opt/rp/pin exec /opt/rp/pin/app
	# Aliases of the file elsewhere: documented (matched where the file lies).
	LIM="matched where the file lies (confinement.rst Upgrades, Limits)"
	case_ "root: hard link elsewhere (pinned)" pin $R link /opt/rp/pin/app /opt/rp/hl/app exec /opt/rp/hl/app
	rm -f /opt/rp/hl/app
	case_ "open at the run path, renamed away, execveat" up $R open /opt/rp/up/app rename /opt/rp/up/app /opt/rp/up/app.old fdexec
	mv /opt/rp/up/app.old /opt/rp/up/app
	touch /tmp/rpx/x; chmod 644 /tmp/rpx/x
	case_ "nobody, userns: bind of the pinned file elsewhere" pin $R nobody userns bind /opt/rp/pin/app /tmp/rpx/x exec /tmp/rpx/x
	case_ "nobody, userns: the pinned run's directory bound over itself, fd, umount -l (detached)" pin \
		$R nobody userns bind /opt/rp/pin /opt/rp/pin opath /opt/rp/pin/app umount-l /opt/rp/pin fdexec
	case_ "nobody, userns: open_tree(OPEN_TREE_CLONE) of the pinned run's directory (detached)" pin \
		$R nobody userns clone /opt/rp/pin app fdexec
	# ld.so: the changed build of a dynamic program at a pinned run.
	ldso=$(ls /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 2>/dev/null | head -1)
	LIM=
	case_ "exec of the changed dynamic build at its pinned run" pin $R exec /opt/rp/ld/app
	LIM="ld.so is not an exec: the mmap hook checks hashes only, not run paths"
	case_ "ld.so on the changed dynamic build at its pinned run" pin $ldso /opt/rp/ld/app
	LIM=
}

NOPOLICY=1
all_cases
NOPOLICY=

# Load with the first builds in place, then upgrade.
cp /tmp/rpx/up1 /opt/rp/up/app; cp /tmp/rpx/pin1 /opt/rp/pin/app; cp /tmp/rpx/ld1 /opt/rp/ld/app
expect_ok "load the manifests of the first builds" charter load --allow-unsigned /opt/rp/rpup.yml /opt/rp/rppin.yml /opt/rp/rprel.yml /opt/rp/rpld.yml
charter list
upgrade /tmp/rpx/build2 /opt/rp/up/app
upgrade /tmp/rpx/build2 /opt/rp/pin/app
upgrade /tmp/rpx/ld2 /opt/rp/ld/app
all_cases

# A release directory flipped by a symlink: the new build is not at run.
cp /tmp/rpx/build2 /opt/rp/rel/v2/app
ln -sfn v2 /opt/rp/rel/current.new && mv -T /opt/rp/rel/current.new /opt/rp/rel/current
LIM="the new build must be installed at the same path (documented)"
case_ "release symlink flipped to v2 (/opt/rp/rel/current/app)" up /opt/rp/rel/current/app
LIM=

# pivot_root: a file of the user's own at a host run path in its namespace.
rm -rf /tmp/rpx/root; mkdir -p /tmp/rpx/root; chown 65534 /tmp/rpx/root
$R nobody userns tmpfs /tmp/rpx/root exec /bin/sh -c '
	mkdir -p /tmp/rpx/root/opt/rp/pin /tmp/rpx/root/old /tmp/rpx/root/srv/rp &&
	cp /tests/bin/fileop /tmp/rpx/root/opt/rp/pin/app && printf x >> /tmp/rpx/root/opt/rp/pin/app &&
	echo ok > /tmp/rpx/root/srv/rp/ok &&
	exec /tests/bin/rp switchroot /tmp/rpx/root exec /opt/rp/pin/app read /srv/rp/ok' > /tmp/rpx/out 2>&1
echo "switch_root (MS_MOVE onto /, as containers without pivot_root): a user's own file at the host's pinned run path in its own namespace: exit $? ($(cat /tmp/rpx/out | head -2)) (13: refused, as if it were the host's)"

[ $bad = 0 ] || fail "escapes above"
pass "every promised case held"
