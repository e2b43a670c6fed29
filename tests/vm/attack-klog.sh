#!/bin/sh
# The kernel log (regressions): forging messages into /dev/kmsg (it is in
# no device class), the console log level and clearing the log (syslog).
. /tests/attack.sh
load_module

rm -rf /opt/lg && mkdir -p /opt/lg
unique /bin/busybox /opt/lg/sh
unique /bin/busybox /opt/lg/dmesg && echo >> /opt/lg/dmesg
manifest /opt/lg lgsh sh
manifest /opt/lg lgdmesg dmesg
expect_ok "load" charter load --allow-unsigned /opt/lg/lgsh.yml /opt/lg/lgdmesg.yml

level=$(awk '{print $1}' /proc/sys/kernel/printk)
echo "<6>charter: a message from outside" > /dev/kmsg || fail "/dev/kmsg outside"
expect_ok "outside: console level" dmesg -n "$level"
refused "inside: forge a kernel message" 1,2 /opt/lg/sh -c 'echo "<0>Kernel panic - forged" > /dev/kmsg'
refused "inside: console level (syslog 8)" 1 /opt/lg/dmesg -n 1
refused "inside: clear the log (syslog 5)" 1 /opt/lg/dmesg -c
[ "$(awk '{print $1}' /proc/sys/kernel/printk)" = "$level" ] || escape "the console level changed"
finish
