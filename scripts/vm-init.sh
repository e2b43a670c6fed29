#!/bin/sh
# /init of the test guest (see scripts/vm.sh). CHARTER_MODE and
# CHARTER_TEST_TIMEOUT come from the kernel command line.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/tests/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
hostname charter-vm
ip link set lo up 2>/dev/null

# Results go to the second serial port, away from kernel messages.
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1

echo "@@ BOOT-DMESG" >&3
dmesg -c >&3

# The debug kernel has kmemleak (scan by hand, scripts/debug-kernel.sh):
# what boot left behind is not ours; after each test, once the module is
# gone, whatever no pointer reaches any more is reported with the test.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -w $KMEMLEAK ]; then
	echo scan > $KMEMLEAK
	echo clear > $KMEMLEAK
else
	KMEMLEAK=
	umount /sys/kernel/debug 2>/dev/null	# as the tests knew it
fi
kmemleak_report() {
	[ -n "$KMEMLEAK" ] || return 0
	echo scan > $KMEMLEAK
	cat $KMEMLEAK
	echo clear > $KMEMLEAK
}

for t in /tests/run/*.sh; do
	name=${t##*/}
	echo "@@ BEGIN $name" >&3
	start=$(cut -d' ' -f1 /proc/uptime)
	cd /tmp
	timeout -s KILL "${CHARTER_TEST_TIMEOUT:-300}" sh "$t" >&3 2>&1 </dev/null
	rc=$?
	cd /
	# Each test starts from a guest without the module; what unloading
	# logs belongs to the test that loaded it.
	rmmod charter 2>/dev/null
	echo "@@ DMESG $name" >&3
	dmesg -c >&3
	kmemleak_report >&3
	echo "@@ END $name $rc" >&3
	# Guest seconds the test took (scripts/vm.sh reports them).
	echo "@@ TIME $name $(awk -v s="$start" '{ printf "%.1f", $1 - s }' /proc/uptime)" >&3
done
if [ -n "$KMEMLEAK" ]; then
	# kmemleak reports an object only once it is 5 s old: the last test's.
	sleep 6
	echo "@@ BEGIN kmemleak" >&3
	echo "@@ DMESG kmemleak" >&3
	kmemleak_report >&3
	echo "@@ END kmemleak 0" >&3
fi
echo "@@ DONE" >&3
sync
poweroff -f
