#!/bin/sh
# Attack (issue 17: the network rule lookup and the fast path before the
# decision). Rules hashed by port (hash_32, 22 rules: 64 buckets, and
# ports 1034 1068 1123 1212 share 6003's bucket, 1071 1126 1160 1215
# share 6006's), port ranges in a list, addresses compared a 32-bit word
# at a time with a mask (/0 /1 /31 /32 /33 /112-mapped /127 /128, IPv4
# against IPv6, mapped addresses, the word before the prefix's end), tcp
# against udp, inbound against outbound. Then two nested layers (an outer
# launcher and the program), each in complain mode in turn: what is
# refused, and what `charter status` counts. PASSES when every endpoint
# is judged as the manifest says.
. /tests/attack.sh
load_module
ip link set lo up
ip -6 addr add ::1/128 dev lo 2>/dev/null

D=/opt/ri
rm -rf $D && mkdir -p $D
unique /tests/bin/netop $D/netop
cat > $D/rules.yml <<'YML'
manifestVersion: v1
name: rules
run: ./netop
baseline: none
allowedNetwork:
  - {name: n6000, direction: outbound, ip: 192.168.0.0/31, protocol: udp, port: 6000}
  - {name: n6001, direction: outbound, ip: 128.0.0.0/1, protocol: udp, port: 6001}
  - {name: n6002, direction: outbound, ip: 0.0.0.0/0, protocol: udp, port: 6002}
  - {name: n6003, direction: outbound, ip: 1.2.3.4, protocol: udp, port: 6003}
  - {name: n6004, direction: outbound, ip: 'fd00:0:8000::/33', protocol: udp, port: 6004}
  - {name: n6005, direction: outbound, ip: '2001:db8::/127', protocol: udp, port: 6005}
  - {name: n6006, direction: outbound, ip: '2001:db8::5', protocol: udp, port: 6006}
  - {name: n6007, direction: outbound, ip: '::/0', protocol: udp, port: 6007}
  - {name: n6008, direction: outbound, ip: '::ffff:10.9.0.0/112', protocol: udp, port: 6008}
  - {name: n6010, direction: outbound, ip: 127.0.0.1, protocol: tcp, port: 6010}
  - {name: n6011, direction: inbound, ip: 127.0.0.1, protocol: udp, port: 6011}
  - {name: n65535, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 65535}
  - {name: r7000, direction: outbound, ip: 10.2.0.0/16, protocol: udp, port: 7000-7005}
  - {name: r8000, direction: outbound, ip: 10.1.2.0/24, protocol: udp, port: 8000-8001}
  - {name: c1034, direction: outbound, ip: 1.2.3.6, protocol: udp, port: 1034}
  - {name: c1068, direction: outbound, ip: 1.2.3.7, protocol: udp, port: 1068}
  - {name: c1123, direction: outbound, ip: 'fd00::7', protocol: udp, port: 1123}
  - {name: c1212, direction: outbound, ip: '::ffff:1.2.3.8', protocol: udp, port: 1212}
  - {name: c1071, direction: outbound, ip: '2001:db8::6', protocol: udp, port: 1071}
  - {name: c1126, direction: outbound, ip: '2001:db8::7/128', protocol: udp, port: 1126}
  - {name: c1160, direction: outbound, ip: '2001:db8::5', protocol: tcp, port: 1160}
  - {name: c1215, direction: inbound, ip: '2001:db8::5', protocol: udp, port: 1215}
YML
expect_ok "load" charter load --allow-unsigned $D/rules.yml

N=$D/netop
sock() { case $1 in *:*) echo udp6 ;; *) echo udp ;; esac; }
# allowed ADDR PORT: not refused by Charter (the route may be missing).
allowed() {
	$N on $(sock $1) sendto $1 $2 > /tmp/ri.out 2>&1
	got=$?
	case $got in
	13|1) echo "WRONG: udp $1 port $2 refused ($got), a rule grants it: $(cat /tmp/ri.out)"
	      ESCAPES=$((ESCAPES + 1)) ;;
	*) pass "udp $1 port $2 allowed (exit $got)" ;;
	esac
}
denied() { refused "udp $1 port $2" ${3:-13} $N on $(sock $1) sendto $1 $2; }

for p in "192.168.0.0 6000" "192.168.0.1 6000" "128.0.0.0 6001" "250.0.0.1 6001" \
	 "5.6.7.8 6002" "::ffff:9.9.9.9 6002" "1.2.3.4 6003" \
	 "fd00:0:8000::1 6004" "fd00:0:ffff:ffff::1 6004" \
	 "2001:db8:: 6005" "2001:db8::1 6005" "2001:db8::5 6006" \
	 "fd00::1 6007" "2001:db8::9 6007" "10.9.255.1 6008" "::ffff:10.9.1.1 6008" \
	 "127.0.0.1 65535" "10.2.0.1 7000" "10.2.255.255 7005" "10.1.2.255 8001" \
	 "1.2.3.6 1034" "1.2.3.7 1068" "fd00::7 1123" "1.2.3.8 1212" \
	 "::ffff:1.2.3.8 1212" "2001:db8::6 1071" "2001:db8::7 1126"; do
	allowed $p
done
for p in "192.168.0.2 6000" "192.168.1.0 6000" "127.255.255.255 6001" \
	 "100.0.0.1 6001" "fd00::1 6002" "::1 6002" "1.2.3.5 6003" "1.2.3.4 6004" \
	 "fd00::1 6004" "fd00:0:7fff:ffff::1 6004" "fd01:0:8000::1 6004" \
	 "2001:db8::2 6005" "2001:db8::1:0 6005" "2001:db8::5 6005" "2001:db8::1 6006" \
	 "2001:db8::4 6006" "2001:db9::5 6006" "2001:db8:0:1::5 6006" \
	 "127.0.0.1 6007" "::ffff:127.0.0.1 6007" "10.10.0.0 6008" "10.8.255.255 6008" \
	 "::ffff:10.10.0.1 6008" "127.0.0.1 6010" "127.0.0.1 6011" "127.0.0.1 65534" \
	 "127.0.0.2 65535" "::ffff:127.0.0.2 65535" "10.2.0.1 6999" "10.2.0.1 7006" \
	 "10.3.0.1 7000" "10.1.3.0 8000" "10.1.1.255 8000" "10.1.2.1 8002" \
	 "1.2.3.4 1034" "1.2.3.6 6003" "1.2.3.7 1034" "1.2.3.6 1068" "fd00::7 1034" \
	 "1.2.3.8 1123" "fd00::8 1123" "1.2.3.4 1212" "2001:db8::5 1071" \
	 "2001:db8::5 1126" "2001:db8::6 1126" "2001:db8::5 1160" "2001:db8::5 1215" \
	 "2001:db8::6 6006"; do
	denied $p
done
denied 1.2.3.4 0 13,22
denied 127.0.0.1 0 13,22
# TCP: the tcp rule for connect, not the udp ones.
refused "tcp 127.0.0.1 port 6002 (udp rule only)" 13 $N on tcp connect 127.0.0.1 6002
refused "tcp 127.0.0.1 port 6011 (inbound udp)" 13 $N on tcp connect 127.0.0.1 6011
expect_ok "tcp 127.0.0.1 port 6010" $N on tcp connect 127.0.0.1 6010

# Nested layers: outer (fileop, the launcher) grants udp 6100 and 6102,
# inner (netop) 6100 and 6101. Only 6100 passes both.
unique /tests/bin/fileop $D/outer
unique /tests/bin/netop $D/inner && echo >> $D/inner
manifest $D outer outer "allowedNetwork:
  - {name: a, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 6100}
  - {name: c, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 6102}"
manifest $D inner inner "allowedNetwork:
  - {name: a, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 6100}
  - {name: b, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 6101}"
expect_ok "load nested" charter load --allow-unsigned $D/rules.yml $D/outer.yml $D/inner.yml
in_() { $D/outer exec $D/inner on udp sendto 127.0.0.1 "$1"; }
st() { charter status --json | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

# check PORT WANT DDENIED DWOULD: exit WANT, counters moved by exactly that.
check() {
	d0=$(st denied); w0=$(st would_deny)
	in_ $1 > /tmp/ri.out 2>&1
	got=$?
	d1=$(st denied); w1=$(st would_deny)
	if [ "$got" -ne "$2" ]; then
		escape "$label: port $1: exit $got, want $2: $(cat /tmp/ri.out)"
	elif [ $((d1 - d0)) -ne "$3" ] || [ $((w1 - w0)) -ne "$4" ]; then
		escape "$label: port $1: denied +$((d1 - d0)) would-deny +$((w1 - w0)), want +$3 +$4"
	else
		pass "$label: port $1: exit $got, denied +$3, would-deny +$4"
	fi
}
label="both enforce"
check 6100 0 0 0; check 6101 13 1 0; check 6102 13 1 0; check 6103 13 1 0
charter mode complain --manifest outer > /dev/null || fail "mode outer"
label="outer complain"
check 6100 0 0 0; check 6101 0 0 1; check 6102 13 1 0; check 6103 13 1 1
# A policy reload between sends: the modes survive, the answers are the same.
expect_ok "reload" charter load --allow-unsigned $D/rules.yml $D/outer.yml $D/inner.yml
label="outer complain, reloaded"
check 6100 0 0 0; check 6101 0 0 1; check 6102 13 1 0
charter mode inherit --manifest outer > /dev/null
charter mode complain --manifest inner > /dev/null || fail "mode inner"
label="inner complain"
check 6100 0 0 0; check 6101 13 1 0; check 6102 0 0 1; check 6103 13 1 0
charter mode inherit --manifest inner > /dev/null
finish
