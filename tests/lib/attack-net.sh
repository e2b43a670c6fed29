# Shared set-up of the network attack tests (tests/vm/attack-net-*.sh):
# . /tests/attack-net.sh

# 10.9.0.1, 10.9.0.2, fd00::1, fd00::2: the .2 addresses are "outside"
# peers no rule grants.
. /tests/attack.sh
load_module
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null
modprobe dummy || fail "modprobe dummy"
ip link add d0 type dummy || fail "no dummy interface"
echo 0 > /proc/sys/net/ipv6/conf/d0/accept_dad
ip link set d0 up
ip addr add 10.9.0.1/24 dev d0
ip addr add 10.9.0.2/24 dev d0
ip -6 addr add fd00::1/64 dev d0
ip -6 addr add fd00::2/64 dev d0
sleep 1
A=/tests/bin/netatk
F=/tests/bin/netop
# FREE: an unconfined copy of netatk (its own hash: no manifest)
cp $A /tmp/free-netatk && printf '\n\n\n\n' >> /tmp/free-netatk
FREE=/tmp/free-netatk
denied() { charter status --json | sed -n 's/.*"denied":\([0-9]*\).*/\1/p'; }
BG=
cleanup() {
	for p in $BG; do kill $p 2>/dev/null; done
	ip link del d0 2>/dev/null
}
trap cleanup EXIT
