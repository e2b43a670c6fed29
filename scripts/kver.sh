#!/bin/sh
# Print the Debian kernel version Charter builds against and boots: the
# newest linux-headers-*-amd64 under /usr/src with a matching /boot/vmlinuz.
# Never `uname -r`: the host kernel is not the one we test.
for d in $(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -rV); do
	v=${d#/usr/src/linux-headers-}
	if [ -e "/boot/vmlinuz-$v" ]; then
		echo "$v"
		exit 0
	fi
done
echo "kver.sh: no linux-headers-*-amd64 with a matching /boot/vmlinuz; run scripts/deps.sh" >&2
exit 1
