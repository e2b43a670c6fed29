#!/bin/sh
# Leaving one's cgroup (which holds its resource limits: the threat model
# sends denial of service to cgroups) without writing cgroup.procs:
# clone3(CLONE_INTO_CGROUP) takes a descriptor of the target cgroup, which
# an O_PATH open gives (Charter checks nothing on O_PATH), and the kernel
# then checks only the mode bits of cgroup.procs (root passes): the child
# starts in any cgroup of the system.
. /tests/attack.sh
load_module

mkdir -p /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null
mkdir -p /sys/fs/cgroup/jail /sys/fs/cgroup/free || fail "cgroup2"
rm -rf /opt/cg && mkdir -p /opt/cg
cp /tests/bin/privop /opt/cg/privop
unique /tests/bin/privop /tmp/privop-free
manifest /opt/cg cg privop
expect_ok "load" charter load --allow-unsigned /opt/cg/cg.yml
F=/tmp/privop-free

$F cgroup-clone /sys/fs/cgroup/free | grep -q '0::/free' || fail "clone3 into a cgroup, outside"
pass "outside: clone3(CLONE_INTO_CGROUP)"
sh -c 'echo $$ > /sys/fs/cgroup/jail/cgroup.procs; exec /opt/cg/privop cgroup-write /sys/fs/cgroup/free' > /tmp/cg.out 2>&1
if [ $? = 13 ]; then
	pass "inside: writing another cgroup's cgroup.procs: refused"
else
	escape "inside: cgroup.procs written: $(cat /tmp/cg.out)"
fi
sh -c 'echo $$ > /sys/fs/cgroup/jail/cgroup.procs; exec /opt/cg/privop cgroup-clone /sys/fs/cgroup/free' > /tmp/cg.out 2>&1
cat /tmp/cg.out
grep -q '0::/free' /tmp/cg.out && escape "a confined process in /jail started a child in /free"
sleep 1
rmdir /sys/fs/cgroup/jail /sys/fs/cgroup/free 2>/dev/null
finish
