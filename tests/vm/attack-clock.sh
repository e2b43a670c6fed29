#!/bin/sh
# The system clock from inside a domain, every way in. The reported hole:
# adjtimex()/clock_adjtime() with ADJ_OFFSET_SS_READ | ADJ_SETOFFSET. The
# ADJ_ADJTIME bit makes Charter's do_adjtimex check call it a query
# (ADJ_OFFSET_READONLY is set), but the kernel still honours ADJ_SETOFFSET
# (timekeeping_validate_timex() asks CAP_SYS_TIME for it separately) and
# steps the clock (timekeeping_inject_offset()).
. /tests/attack.sh
load_module

rm -rf /opt/ck && mkdir -p /opt/ck
cp /tests/bin/privop /opt/ck/privop
cp /tests/bin/fileop /opt/ck/fileop
unique /tests/bin/privop /tmp/privop-free
unique /tests/bin/fileop /tmp/fileop-free
manifest /opt/ck ck-privop privop
manifest /opt/ck ck-fileop fileop
expect_ok "load" charter load --allow-unsigned /opt/ck/ck-privop.yml /opt/ck/ck-fileop.yml
S=/opt/ck/privop
F=/tmp/privop-free

# step OP: try to step the clock 1000 s forward; refused, and no jump.
step() {
	op=$1
	expect_ok "$op outside a domain (a step of 0 s)" $F $op 0
	t0=$(date +%s)
	refused "$op inside (1000 s)" 1,13 $S $op 1000
	t1=$(date +%s)
	if [ $((t1 - t0)) -gt 500 ]; then
		$F $op -1000
		escape "$op moved the clock from inside a domain by $((t1 - t0)) s"
	fi
}
step adjtimex-setoffset
step clock-adjtime-setoffset
step adjtimex-setoffset-32

# Every other way to set the time (regressions).
for op in settimeofday-tz stime-32 clock-settime-32 adjtimex-set-32; do
	expect_ok "$op outside a domain" $F $op
	refused "$op inside" 1,13 $S $op
done

# The hardware clock: /dev/rtc0 is in no device class.
if [ -e /dev/rtc0 ]; then
	expect_ok "/dev/rtc0 opens outside" /tmp/fileop-free probe /dev/rtc0
	refused "/dev/rtc0 inside (RTC_SET_TIME needs it open)" 13 /opt/ck/fileop probe /dev/rtc0
fi
finish
