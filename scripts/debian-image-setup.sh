#!/bin/sh
# mmdebstrap --customize-hook of scripts/debian-image.sh: make the tree at
# $1 boot from /dev/vda without a boot loader and run the system test.
set -eu
R=$1

echo charter-test > "$R/etc/hostname"
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' > "$R/etc/fstab"
# A root login on the console without a password, to look around by hand.
chroot "$R" passwd -d root > /dev/null

# Timers that would only slow a short-lived test guest down.
for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
	e2scrub_reap.service fstrim.timer; do
	chroot "$R" systemctl mask "$u" > /dev/null 2>&1 || true
done

# The test runner: the second disk (label charter-test) holds test.sh; its
# output and "@@ END STATUS" go to the second serial port, then the guest
# powers off.
cat > "$R/usr/local/sbin/charter-system-test" << 'EOS'
#!/bin/sh
exec > /dev/ttyS1 2>&1
echo "@@ UPTIME $(cut -d' ' -f1 /proc/uptime)"
mkdir -p /run/charter-test
rc=0
if mount -o ro /dev/vdb /run/charter-test; then
	echo "@@ BEGIN"
	sh /run/charter-test/test.sh || rc=$?
else
	echo "charter-system-test: cannot mount /dev/vdb"
	rc=99
fi
echo "@@ END $rc"
sync
systemctl poweroff --no-block
EOS
chmod 0755 "$R/usr/local/sbin/charter-system-test"

cat > "$R/etc/systemd/system/charter-system-test.service" << 'EOS'
[Unit]
Description=Charter system test (test.sh of the second disk)
After=multi-user.target
ConditionPathExists=/dev/vdb

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/charter-system-test
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOS
chroot "$R" systemctl enable charter-system-test.service > /dev/null 2>&1
