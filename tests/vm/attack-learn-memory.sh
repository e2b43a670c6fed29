#!/bin/sh
# A learning manifest's record is capped at 128 MiB of entries, counting
# offsetof(text) + strlen + 1 per entry; the kernel allocates kmalloc's
# size class: an entry of a ~4,040-byte path takes 8 KiB. A learned
# program creating files with paths just over 4,030 bytes fills about
# twice the cap in slab. Passes when the record's slab stays near the
# 128 MiB cap (the files' own dentries and inodes measured apart).
. /tests/attack.sh
load_module
rm -rf /opt/a16 /tmp/mA /tmp/mB && mkdir -p /opt/a16
cp /tests/bin/learnop /opt/a16/m
slab() { sync; echo 3 > /proc/sys/vm/drop_caches; awk '/^Slab:/ {print $2}' /proc/meminfo; }
N=34000
s0=$(slab)
/tests/bin/learnop longfiles $N /tmp/mA > /tmp/mA.out 2>&1 || fail "longfiles outside: $(cat /tmp/mA.out)"
s1=$(slab)
echo "the files alone: $(( (s1 - s0) / 1024 )) MiB of slab"
rm -f /tmp/go
charter learn -o /tmp/m.yml -- /opt/a16/m longfiles $N /tmp/mB /tmp/go > /tmp/learn.out 2>&1 &
lp=$!
i=0
until grep -q "^made" /tmp/learn.out 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 2400 ] || fail "longfiles under learn never finished: $(cat /tmp/learn.out)"; sleep 0.5
done
s2=$(slab)
grep "^made" /tmp/learn.out
touch /tmp/go; wait $lp
tail -3 /tmp/learn.out
files=$((s1 - s0)); rec=$(( (s2 - s1 - files) / 1024 ))
echo "slab: $s0 -> $s1 (files outside) -> $s2 kB (the same files again, learned): the record is about $rec MiB"
[ $rec -le 160 ] || escape "one learning manifest's record took about $rec MiB of slab (cap: 128 MiB)"
finish
