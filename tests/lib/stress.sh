# stress-ng confined, shared by tests/vm/load.sh and
# tests/debug/unload-rounds.sh (source after charter-test.sh).

# stress_manifest DIR WORK [EXTRA-DIRECTORY-LINE]: the manifest of
# DIR/stress-ng (a copy of its own), its files in WORK, its TCP and UDP
# stressors on loopback ports 7400-7420 and 7500-7520.
stress_manifest() {
	cat <<EOT
manifestVersion: v1
name: stress
run: ./stress-ng
allowedDirectories:
  - {name: self, path: $1, permission: readExecute}
  - {name: work, path: $2, permission: readWrite}
  - {name: proc, path: /proc, permission: read}
  - {name: sys, path: /sys, permission: read}
${3:-}
allowedNetwork:
  - {name: sock-in, direction: inbound, ip: 127.0.0.1, protocol: tcp, port: 7400-7420}
  - {name: sock-out, direction: outbound, ip: 127.0.0.1, protocol: tcp, port: 7400-7420}
  - {name: udp-in, direction: inbound, ip: 127.0.0.1, protocol: udp, port: 7500-7520}
  - {name: udp-out, direction: outbound, ip: 127.0.0.1, protocol: udp, port: 7500-7520}
EOT
}

# stress_start DIR WORK SECONDS OUT [STRESSOR-ARGS...]: DIR/stress-ng in
# the background from WORK for SECONDS, brief metrics to OUT, niced (with
# busybox's renice: it has no nice) so that the test's own shell gets its
# turns on the vCPUs the stressors fill; $stress is its pid. Default
# stressors: directories, renames, times, fork (its exec stressor will not
# run as root), TCP and UDP.
stress_start() {
	sd=$1 sw=$2 ss=$3 so=$4
	shift 4
	[ $# -gt 0 ] || set -- --dir 1 --rename 1 --utime 1 --fork 1
	(cd "$sw" && exec sh -c 'renice -n 19 -p $$ > /dev/null && exec "$@"' nice \
		"$sd/stress-ng" --temp-path "$sw" --timeout "${ss}s" --metrics-brief "$@" \
		--sock 1 --sock-port 7400 --udp 1 --udp-port 7500 > "$so" 2>&1) &
	stress=$!
}
