#!/bin/sh
# vm-modules: ext4 loop crc32c_generic
# Privileged system calls that change the whole system, many with no LSM
# hook on their way (Documentation/threat-model.rst lists every
# capability-gated one): refused inside a domain even to root, reached
# outside. First of all: a confined root cannot unload Charter.
. /tests/charter-test.sh
load_module

rm -rf /opt/sc && mkdir -p /opt/sc
cp /tests/bin/sysop /opt/sc/sysop
cp /tests/bin/procop /opt/sc/procop
cp /bin/busybox /opt/sc/rmmod && echo >> /opt/sc/rmmod	# a manifested rmmod
cp /tests/bin/sysop /tmp/sysop-free && echo >> /tmp/sysop-free
cp /tests/bin/procop /tmp/procop-free && echo >> /tmp/procop-free
echo ro > /opt/sc/ro
echo rw > /opt/sc/rw
echo secret > /tmp/sc-secret
for prog in sysop procop rmmod; do
	cat > /opt/sc/$prog.yml <<EOF
manifestVersion: v1
name: sc-$prog
run: ./$prog
baseline: none
allowedDirectories:
  - {name: self, path: /opt/sc, permission: readExecute}
  - {name: rw, path: /opt/sc/rw, permission: readWrite}
  - {name: fs, path: /mnt/sc, permission: read}
EOF
done
expect_ok "load" charter load --allow-unsigned /opt/sc/sysop.yml /opt/sc/procop.yml /opt/sc/rmmod.yml
S=/opt/sc/sysop
F=/tmp/sysop-free

# The reported escape: rmmod from inside a domain.
/opt/sc/rmmod charter > /tmp/sc.out 2>&1 && fail "a confined rmmod unloaded charter"
grep -q '^charter ' /proc/modules || fail "charter is gone"
pass "a confined root's rmmod charter fails: $(cat /tmp/sc.out)"
expect_errno "delete_module(charter) inside" $EPERM $S delete-module charter
expect_errno "delete_module(charter) inside, 32-bit ABI" $EPERM $S delete-module-32 charter
grep -q '^charter ' /proc/modules || fail "charter is gone"
expect_ok "delete_module outside a domain reaches the module loader" $F delete-module no_such_module
expect_ok "the same through the 32-bit ABI" $F delete-module-32 no_such_module

# The rest of the system's state.
: > /tmp/sc-swap
for op in reboot reboot-32 sethostname sethostname-32 setdomainname acct vhangup \
	  settimeofday clock-settime adjtimex-set clock-adjtime-set syslog-read \
	  rtnl-set rtnl-get-set siocsifflags siwfreq; do
	expect_ok "$op outside a domain" $F $op
	expect_errno "$op inside" $EPERM $S $op
done
for op in swapon swapoff; do
	expect_ok "$op outside a domain reaches the swap code" $F $op /tmp/sc-swap
	expect_errno "$op inside" $EPERM $S $op /tmp/sc-swap
done
# What only reads stays allowed.
for op in adjtimex-read syslog-size rtnl-get siocgifflags; do
	expect_ok "$op inside" $S $op
done

# Quotas, on a filesystem that has them (ext2 through ext4, on a loop).
modprobe loop && modprobe crc32c_generic && modprobe ext4 || fail "modprobe loop ext4"
dd if=/dev/zero of=/tmp/sc-fs bs=1k count=2048 2>/dev/null
mke2fs -F /tmp/sc-fs > /dev/null || fail "mke2fs"
mkdir -p /mnt/sc && mount -t ext4 -o loop /tmp/sc-fs /mnt/sc || fail "mount the ext2 image"
expect_ok "quotactl Q_QUOTAOFF outside a domain reaches the quota code" $F quota-off /mnt/sc
expect_errno "quotactl Q_QUOTAOFF inside" $EPERM $S quota-off /mnt/sc
expect_ok "quotactl Q_GETINFO (a query) inside" $S quota-info /mnt/sc
umount /mnt/sc

# Watching files is reading them; whole-system watches are refused.
expect_ok "inotify on a readable file inside" $S inotify /opt/sc/ro
expect_errno "inotify on a file the manifest keeps out" $EACCES $S inotify /tmp/sc-secret
expect_ok "inotify outside a domain" $F inotify /tmp/sc-secret
for op in fanotify-mount fanotify-perm; do
	expect_ok "$op outside a domain" $F $op /opt/sc/ro
	expect_errno "$op inside" $EPERM $S $op /opt/sc/ro
done

# A file reached by its handle ("shocker"): judged on its path.
echo secret > /opt/sc-secret
expect_ok "name_to_handle_at outside" $F handle-save /opt/sc-secret /opt/sc/handle
expect_ok "open_by_handle_at outside a domain" $F handle-open /opt/sc/handle /opt/sc
expect_errno "open_by_handle_at inside, to a file the manifest keeps out" $EACCES $S handle-open /opt/sc/handle /opt/sc

# Inode flags (immutable, append-only) change a file: write.
expect_ok "FS_IOC_SETFLAGS outside a domain" $F chattr /opt/sc/ro
expect_errno "FS_IOC_SETFLAGS on a read-only file inside" $EACCES $S chattr /opt/sc/ro
expect_ok "FS_IOC_SETFLAGS on a writable file inside" $S chattr /opt/sc/rw

# Other processes' priority, limits and scheduling: its own domain only.
/tmp/procop-free sleep 60 & free=$!
/opt/sc/procop sleep 60 & conf=$!
sleep 1
for op in renice prlimit sched; do
	expect_ok "$op of a task of its own domain" /opt/sc/procop $op $conf
	expect_errno "$op of an unconfined task" $EPERM /opt/sc/procop $op $free
	expect_ok "$op outside a domain" /tmp/procop-free $op $conf
done
kill $free $conf
wait 2>/dev/null

# Outside every domain, unloading keeps working (while not locked).
expect_ok "unload the policy" charter unload
expect_ok "rmmod outside a domain" rmmod charter
grep -q '^charter ' /proc/modules && fail "charter still loaded"
pass "charter unloaded from outside"
