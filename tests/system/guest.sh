#!/bin/sh
# The system test's checks, run inside the booted Debian image by
# charter-system-test.service (after multi-user.target) as root. Prints
# TAP lines "ok - ..." / "not ok - ..." with details as "# ..." lines;
# scripts/system-test.sh numbers and counts them.
PROBE_ALLOWED=/var/lib/charter-probe/allowed/data
PROBE_FORBIDDEN=/var/lib/charter-probe/forbidden/data

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { # DESCRIPTION COMMAND...: ok when COMMAND exits 0
	d=$1
	shift
	if out=$("$@" 2>&1); then ok "$d"; else notok "$d"; fi
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
}
probe_log() { journalctl -b -o cat -u charter-probe.service | grep '^probe: '; }

kver=$(uname -r)
echo "# kernel $kver"

# 1. DKMS built and installed the module for the running kernel.
check "dkms built and installed charter for $kver" \
	sh -c "dkms status charter -k $kver | tee /dev/stderr | grep ': installed' > /dev/null"
check "charter.ko for $kver is DKMS's (updates/dkms)" \
	sh -c "modinfo -n charter | tee /dev/stderr | grep -q '^/lib/modules/$kver/updates/dkms/charter.ko'"

# 2. charter.service is active, the module loaded, the manifest in force.
check "charter.service is active" systemctl is-active charter.service
check "the charter module is loaded" grep -q '^charter ' /proc/modules
check "charter list names the probe's manifest" sh -c 'charter list | tee /dev/stderr | grep -q charter-probe'

# 3. The manifested service was confined from its first start.
check "charter-probe.service ran once, at boot" \
	sh -c '[ "$(systemctl show -P NRestarts charter-probe.service)" = 0 ] &&
		systemctl is-active charter-probe.service'
check "charter.service was up before the probe started" sh -c '
	c=$(systemctl show -P ActiveEnterTimestampMonotonic charter.service)
	p=$(systemctl show -P ExecMainStartTimestampMonotonic charter-probe.service)
	echo "charter.service active at $c us, probe started at $p us"
	[ "$c" -gt 0 ] && [ "$p" -gt "$c" ]'
probe_log | sed 's/^/# journal: /'
check "the probe read its allowed file" sh -c "journalctl -b -o cat -u charter-probe.service | grep -qxF 'probe: $PROBE_ALLOWED: read ok'"
check "the probe was refused its forbidden file (EACCES)" sh -c "journalctl -b -o cat -u charter-probe.service | grep -qxF 'probe: $PROBE_FORBIDDEN: open: Permission denied (errno 13)'"
# The refusal is Charter's: unconfined, root reads the same file.
check "the forbidden file is readable unconfined" cat "$PROBE_FORBIDDEN"

# 4. Clean logs: nothing failed, no kernel report.
check "systemd has no failed units" sh -c '
	n=$(systemctl list-units --state=failed --no-legend --plain | tee /dev/stderr | wc -l)
	[ "$n" -eq 0 ]'
check "the kernel log has no Oops, BUG, WARNING" sh -c '
	! journalctl -b -k -o cat | grep -E "Oops|BUG:|WARNING:|general protection"'

# 5. A bad manifest fails the unit with FILE:LINE:COLUMN in the journal and
# leaves the good one in force.
cp /usr/share/charter-probe/bad.yaml /usr/share/charter-probe/bad.yaml.sig /etc/charter/manifests.d/
systemctl restart charter.service
check "with a bad manifest charter.service fails" sh -c '
	[ "$(systemctl show -P ActiveState charter.service)" = failed ]'
check "the journal has the bad manifest's file:line:column" sh -c '
	journalctl -b -o cat -u charter.service | tee /dev/stderr |
		grep -q "^/etc/charter/manifests.d/bad.yaml:7:17: permission .sometimes."'
check "the good manifest is still loaded" sh -c 'charter list | grep -q charter-probe'
systemctl restart charter-probe.service
check "the probe is still refused its forbidden file" sh -c "
	journalctl -b -o cat -u charter-probe.service | grep -cxF 'probe: $PROBE_FORBIDDEN: open: Permission denied (errno 13)' | grep -qx 2"
rm /etc/charter/manifests.d/bad.yaml /etc/charter/manifests.d/bad.yaml.sig
systemctl reset-failed charter.service
check "without it charter.service starts again" systemctl restart charter.service
check "and the kernel log is still clean" sh -c '
	! journalctl -b -k -o cat | grep -E "Oops|BUG:|WARNING:|general protection"'

# 6. An upgrade never frees the program. charter-probe 2.0 is another
# binary; its postinst restarts the service before dpkg runs Charter's
# trigger, so the restarted service starts with a binary of no manifest's
# hash at the manifest's run path: held to the manifest by that path.
# Then the trigger re-hashes and reloads: the policy names the new build.
probe_sha() { charter list --json | sed -n 's/.*"name":"charter-probe",.*"sha256":"\([0-9a-f]*\)".*/\1/p'; }
changed() { charter status --json | sed 's/.*"changed_binaries":\([0-9]*\).*/\1/'; }
old_sha=$(probe_sha)
changed0=$(changed)
cursor=$(journalctl -n 0 --show-cursor | sed -n 's/^-- cursor: //p')
check "apt installs charter-probe 2.0 (its postinst restarts the service)" \
	apt-get install -y /run/charter-test/charter-probe_2.0_amd64.deb
since() { journalctl -o cat --after-cursor="$cursor" "$@"; }
since -u charter-probe.service | grep '^probe: ' | sed 's/^/# journal: /'
check "the restarted service is version 2" sh -c "journalctl -o cat --after-cursor='$cursor' -u charter-probe.service | grep -qxF 'probe: version 2'"
check "restarted, it read its allowed file" sh -c "journalctl -o cat --after-cursor='$cursor' -u charter-probe.service | grep -qxF 'probe: $PROBE_ALLOWED: read ok'"
check "restarted, it was refused its forbidden file (EACCES)" sh -c "journalctl -o cat --after-cursor='$cursor' -u charter-probe.service | grep -qxF 'probe: $PROBE_FORBIDDEN: open: Permission denied (errno 13)'"
check "charter status counted it as a changed binary" sh -c "
	echo 'changed binaries: $changed0 before the upgrade, $(changed) after'
	[ $(changed) -gt $changed0 ]"
# The kernel's own log (dmesg): only the upgrade runs a changed binary.
check "it started as a changed binary, held by its manifest's run path" sh -c "
	dmesg | grep 'charter: binary changed' | tee /dev/stderr |
		grep -q 'charter: binary changed at a manifested path: /usr/bin/charter-probe runs confined by charter-probe'"
check "then Charter's trigger reloaded the manifests" sh -c "
	journalctl -o cat --after-cursor='$cursor' -u charter.service | tee /dev/stderr | grep -q '^charter: loaded'"
new_sha=$(sha256sum /usr/bin/charter-probe | cut -d' ' -f1)
check "the loaded policy names the new hash" sh -c "
	echo 'policy: $(probe_sha), file: $new_sha, before: $old_sha'
	[ '$(probe_sha)' = '$new_sha' ] && [ '$new_sha' != '$old_sha' ]"
before=$(changed)
systemctl restart charter-probe.service
after=$(changed)
check "restarted again, it is confined by its hash" sh -c "
	echo 'changed binaries: $before before the restart, $after after'
	journalctl -o cat --after-cursor='$cursor' -u charter-probe.service |
		grep -cxF 'probe: $PROBE_FORBIDDEN: open: Permission denied (errno 13)' | grep -qx 2 &&
	[ '$before' = '$after' ]"
check "no unit failed during the upgrade" sh -c '
	n=$(systemctl list-units --state=failed --no-legend --plain | tee /dev/stderr | wc -l)
	[ "$n" -eq 0 ]'

# 7. Purge removes the module and the unit cleanly. The module loaded in
# the running kernel stays (with its policy) until reboot: removing a
# package must not free the programs it confines.
check "apt purges charter-probe, charter and charter-dkms" \
	apt-get purge -y charter-probe charter charter-dkms
check "dkms no longer has charter" sh -c '
	dkms status > /tmp/dkms.status 2>/dev/null; cat /tmp/dkms.status
	! grep -q "^charter" /tmp/dkms.status && [ ! -e /var/lib/dkms/charter ]'
check "no charter.ko is left for $kver" sh -c "! find /lib/modules/$kver -name 'charter.ko*' | tee /dev/stderr | grep -q ."
check "charter.service is gone" sh -c '
	! systemctl cat charter.service > /dev/null 2>&1 && [ ! -e /lib/systemd/system/charter.service ] &&
	[ "$(systemctl show -P LoadState charter.service)" = not-found ]'
check "the tool, /etc/charter, the policy cache and the module's source are gone" sh -c '
	for f in /usr/sbin/charter /etc/charter /var/cache/charter /usr/src/charter-* /usr/lib/charter; do
		[ ! -e "$f" ] || { echo "left: $f"; exit 1; }
	done'
check "the running kernel keeps the module until reboot" grep -q '^charter ' /proc/modules
check "systemd has no failed units after the purge" sh -c '
	n=$(systemctl list-units --state=failed --no-legend --plain | tee /dev/stderr | wc -l)
	[ "$n" -eq 0 ]'
check "the kernel log is clean at the end" sh -c '
	! journalctl -b -k -o cat | grep -E "Oops|BUG:|WARNING:|general protection"'
exit 0
