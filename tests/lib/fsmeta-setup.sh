# The images, manifest and checks attack-fs-ioctl-writes.sh and
# attack-fs-metadata.sh share: . /tests/fsmeta-setup.sh (after the
# test's own comment). An ext4 and a vfat image mounted under /mnt/r2e and
# /mnt/r2f, directories under /opt/r2c, fsmeta confined ($S) and free
# ($F), and kept/effect to judge what a call changed.
. /tests/attack.sh
load_module
modprobe loop && modprobe crc32c_generic && modprobe ext4 || fail "modprobe ext4"
for m in vfat nls_cp437 nls_iso8859-1 nls_ascii nls_utf8; do modprobe $m 2>/dev/null; done
T="timeout -s KILL 30"

rm -rf /opt/r2x /opt/r2c /mnt/r2e /mnt/r2f
mkdir -p /opt/r2x /opt/r2c/rw /opt/r2c/ro /opt/r2c/none /mnt/r2e /mnt/r2f
# ext4 without metadata_csum (SETVERSION) or gdt_csum (SETFSUUID); files
# made with indirect blocks, then extents and encrypt turned on.
dd if=/dev/zero of=/tmp/r2e.img bs=1M count=16 2>/dev/null
mke2fs -F -b 4096 /tmp/r2e.img > /dev/null 2>&1 || fail "mke2fs"
mount -t ext4 -o loop /tmp/r2e.img /mnt/r2e || fail "mount ext4"
mkdir -p /mnt/r2e/rw/empty /mnt/r2e/ro/empty /mnt/r2e/ro/empty2
for f in rw/f ro/f ro/g; do dd if=/dev/urandom of=/mnt/r2e/$f bs=4k count=4 2>/dev/null; done
umount /mnt/r2e
/tests/bin/privop ext4-feature /tmp/r2e.img 10040 0 || fail "ext4 features"
mount -t ext4 -o loop /tmp/r2e.img /mnt/r2e || fail "mount ext4 again"
dd if=/dev/zero of=/tmp/r2f.img bs=1M count=16 2>/dev/null
mkdosfs /tmp/r2f.img > /dev/null 2>&1 || fail "mkdosfs"
mount -t vfat -o loop /tmp/r2f.img /mnt/r2f || fail "mount vfat"
mkdir -p /mnt/r2f/rw /mnt/r2f/ro
for f in rw/f ro/f ro/g; do echo data > /mnt/r2f/$f; done
cp /tests/bin/rt_times /opt/r2c/none/exe
cp /tests/bin/rt_times /opt/r2c/ro/exe
echo acct > /opt/r2c/ro/acct
echo acct > /opt/r2c/none/acct

cp /tests/bin/fsmeta /opt/r2x/fsmeta
manifest /opt/r2x r2x fsmeta "  - {name: erw, path: /mnt/r2e/rw, permission: readWrite}
  - {name: ero, path: /mnt/r2e/ro, permission: read}
  - {name: frw, path: /mnt/r2f/rw, permission: readWrite}
  - {name: fro, path: /mnt/r2f/ro, permission: read}
  - {name: crw, path: /opt/r2c/rw, permission: readWrite}
  - {name: cro, path: /opt/r2c/ro, permission: read}"
expect_ok "load" charter load --allow-unsigned /opt/r2x/r2x.yml
S="$T /opt/r2x/fsmeta"
unique /tests/bin/fsmeta /tmp/r2x-free
F="$T /tmp/r2x-free"

# state FILE PROBE...: its mode, links, times, and what PROBE prints.
state() { f=$1; shift; /tmp/r2x-free stat "$f" 2>&1; [ $# -eq 0 ] || "$@" 2>&1; }

# kept DESC FILE 'PROBE' CMD...: CMD (confined) must fail and change
# nothing of FILE (nor PROBE's answer).
kept() {
	desc=$1; file=$2; probe=$3; shift 3
	before=$(state "$file" $probe)
	sleep 0.02
	"$@" > /tmp/r2x.out 2>&1
	got=$?
	after=$(state "$file" $probe)
	if [ "$before" != "$after" ]; then
		escape "$desc: changed (exit $got): [$before] -> [$after] $(cat /tmp/r2x.out)"
		return 1
	fi
	case $got in
	0) escape "$desc: exit 0, nothing seen to change: $(cat /tmp/r2x.out)" ;;
	1|13) pass "$desc: refused (exit $got), unchanged" ;;
	*) pass "$desc: failed (exit $got: $(cat /tmp/r2x.out)), unchanged" ;;
	esac
}

# effect DESC FILE 'PROBE' CMD...: CMD (unconfined) changes FILE or PROBE.
effect() {
	desc=$1; file=$2; probe=$3; shift 3
	before=$(state "$file" $probe)
	sleep 0.02
	"$@" > /tmp/r2x.out 2>&1
	got=$?
	after=$(state "$file" $probe)
	if [ "$before" != "$after" ]; then
		pass "unconfined $desc: exit $got, changed"
	else
		echo "# unconfined $desc: exit $got, no change (n/a here): $(cat /tmp/r2x.out)"
	fi
}

E=/mnt/r2e
