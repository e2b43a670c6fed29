#!/usr/bin/env bash
# Boot Debian's kernel in QEMU (TCG) with a small initramfs and run tests.
#
#   scripts/vm.sh                 run tests/vm/*.sh, then, if
#                                 CHARTER_VM_EXTRA_TESTS=DIR is set, DIR/*.sh
#                                 in a guest of their own; TAP on stdout and
#                                 the closing line "N passed, N failed"
#   scripts/vm.sh --demo          run tests/demo/demo.sh, print its output
#   scripts/vm.sh --run DIR       the same for DIR/*.sh (make bench: tests/bench,
#                                 with CHARTER_VM_ICOUNT=1: one CPU whose
#                                 clock counts guest instructions, and
#                                 CHARTER_VM_MEM=2048: MiB of guest memory,
#                                 default 1024)
#
# The initramfs holds busybox-static, charter.ko (in /lib/modules/VER/extra,
# depmod'ed), the charter tool with its shared libraries, the static test
# helpers of tests/helpers/, tests/lib/*.sh and the test scripts. A test
# names the distro modules it needs on a line "# vm-modules: a b"; they are
# resolved with modprobe --show-depends and copied in. Real programs of
# the host a test runs are named on a line "# vm-programs: /usr/bin/curl"
# (see add_programs). Other files they need (plugins, modules, data) are
# named on a line "# vm-files: PATH..." (see add_files). Both take shell
# patterns, expanded on the host, and may be given on several lines.
# Dynamically linked helpers of tests/helpers/ (fileop-dyn, wlclient...)
# bring their shared libraries.
#
# A test that changes the guest for good (locking the module until reboot)
# says so on a line "# vm-guest: own" and gets a guest of its own; such a
# test may add kernel command line words on a line "# vm-append: WORDS"
# (e.g. lsm=... to boot without the BPF LSM).
#
# Each test runs in the guest as `sh TEST` with a time limit; it passes when
# it exits 0 and nothing in the guest's kernel log during it matches
# Oops, BUG:, WARNING: or general protection. Results travel on a second
# serial port so kernel messages on the console cannot garble them. A guest
# that hangs is killed after CHARTER_VM_TIMEOUT seconds (default 300 and
# CHARTER_VM_TIMEOUT_PER_TEST, 60, a test, at least 300 more than one
# test's limit, CHARTER_VM_TEST_TIMEOUT) and every test it did not finish
# fails.
#
# CHARTER_VM_SUITES=main or =extra runs only that one of the two suites.
#
# CHARTER_VM_APPEND adds words to every guest's kernel command line; a
# word NAME=VALUE becomes an environment variable of the tests (make check
# TRINITY_CALLS=N passes CHARTER_TRINITY_CALLS=N so).
#
# CHARTER_KERNEL=WORD boots another kernel of scripts/kernels.sh (default:
# the system one, kmod/charter.ko): its image, its modules and the
# charter.ko built for it there (fetched and built first). Its TAP lines
# say "vm-WORD:" (WORD without -amd64), its guests work in build/vm-WORD/,
# so two kernels' suites can run at once. CHARTER_VM_NO_MODULE=1 leaves
# charter.ko out (bringing up a kernel the module does not build for yet).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# Not `list | head`: under pipefail, list killed by SIGPIPE would end us.
mapfile -t kernels < <("$ROOT/scripts/kernels.sh" list)
SYSTEM_KERNEL=${kernels[0]}
CHARTER_KERNEL=${CHARTER_KERNEL:-$SYSTEM_KERNEL}
LABEL=vm
if [ "$CHARTER_KERNEL" != "$SYSTEM_KERNEL" ]; then
	LABEL=vm-${CHARTER_KERNEL%-amd64}
	if [ -n "${CHARTER_VM_NO_MODULE:-}" ]; then
		"$ROOT/scripts/kernels.sh" fetch "$CHARTER_KERNEL"
	else
		"$ROOT/scripts/kernels.sh" build "$CHARTER_KERNEL" > /dev/null
	fi
fi
# KVER, VMLINUZ, MODROOT (the root of lib/modules/KVER) and KO (charter.ko)
kernel_info=$("$ROOT/scripts/kernels.sh" info "$CHARTER_KERNEL")
eval "$kernel_info"
TEST_TIMEOUT=${CHARTER_VM_TEST_TIMEOUT:-300}
# default: 300 s + CHARTER_VM_TIMEOUT_PER_TEST (60) s a test, and at
# least 300 s + one test's limit (a guest of one long test)
GUEST_TIMEOUT=${CHARTER_VM_TIMEOUT:-}
PER_TEST_TIMEOUT=${CHARTER_VM_TIMEOUT_PER_TEST:-60}
QEMU_EXTRA=${CHARTER_VM_QEMU_ARGS:-}
APPEND_EXTRA=${CHARTER_VM_APPEND:-}
# Lockdep, KASAN, DEBUG_ATOMIC_SLEEP and debug objects report as BUG: or
# WARNING:; kmemleak's reports (the debug kernel's, vm-init.sh) and UBSAN's
# do not.
BAD_DMESG='Oops|BUG:|WARNING:|general protection|UBSAN:|ODEBUG:|unreferenced object|Kernel panic'

log() { echo "vm: $*" >&2; }

# ---- image -----------------------------------------------------------------

copy_with_libs() { # BINARY DEST_IN_IMAGE IMAGE_ROOT
	local bin=$1 dest=$2 img=$3
	install -D -m 0755 "$bin" "$img$dest"
	copy_libs "$bin" "$img"
}

# Real programs a test names on a line "# vm-programs: /usr/bin/curl" go
# to the same path in the image with their shared libraries, with what
# glibc needs to resolve names from files only: nsswitch.conf and hosts
# (its "files" service is built into libc since glibc 2.34, so no
# libnss_*.so). Nothing else: curl over plain http needs no CA or openssl
# configuration, webfsd runs without /etc/mime.types (text/plain).
add_programs() { # IMAGE_ROOT PROGRAM...
	local img=$1 p
	shift
	for p in "$@"; do
		[ -x "$p" ] || { log "vm-programs: no $p (run scripts/deps.sh)"; exit 1; }
		copy_with_libs "$p" "$p" "$img"
	done
	printf 'passwd: files\ngroup: files\nhosts: files\n' > "$img/etc/nsswitch.conf"
	printf '127.0.0.1 localhost\n127.0.0.1 charter-web.test\n' > "$img/etc/hosts"
}

# Files a test names on a line "# vm-files: PATH..." (files or directories,
# e.g. a program's plugins: weston's backend and shell, PulseAudio's
# modules) go to the same path in the image, symbolic links resolved for
# a named file, kept inside a named directory. Every ELF file among them
# (a shared object a program will dlopen) brings its shared libraries
# (ldd), as a program does.
add_files() { # IMAGE_ROOT PATH...
	local img=$1 p f
	shift
	for p in "$@"; do
		[ -e "$p" ] || { log "vm-files: no $p (run scripts/deps.sh)"; exit 1; }
		if [ -d "$p" ]; then
			mkdir -p "$img$p"
			cp -a "$p/." "$img$p/"
		else
			install -D -m "$(stat -L -c %a "$p")" "$p" "$img$p"
		fi
		while IFS= read -r -d '' f; do
			is_elf "$f" || continue
			copy_libs "$f" "$img"
		done < <(if [ -d "$p" ]; then find "$p/" -type f -print0; else printf '%s\0' "$p"; fi)
	done
}

is_elf() { # FILE
	local magic
	LC_ALL=C read -r -n 4 magic < "$1" 2> /dev/null || true
	[ "$magic" = $'\177ELF' ]
}

copy_libs() { # BINARY IMAGE_ROOT: the shared libraries ldd names
	local bin=$1 img=$2 lib
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
		[ -e "$img$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$img$lib"
	done
}

# Store each module as plain .ko: busybox's modprobe reads .ko.xz but not
# .ko.zst, and a plain module loads the same on every kernel.
add_modules() { # IMAGE_ROOT MODULE...
	local img=$1 m kind ko dest _
	shift
	for m in "$@"; do
		modprobe -d "$MODROOT" -S "$KVER" --show-depends "$m" | while read -r kind ko _; do
			[ "$kind" = insmod ] || continue
			dest=$img${ko#"${MODROOT%/}"}
			mkdir -p "$(dirname "$dest")"
			case $ko in
			*.ko.xz)	xz -dc "$ko" > "${dest%.xz}" ;;
			*.ko.zst)	zstd -qdc "$ko" > "${dest%.zst}" ;;
			*)		install -m 0644 "$ko" "$dest" ;;
			esac
		done
	done
}

build_image() { # NAME TEST... -> prints the work directory
	local name=$1 work img mods progs files a
	shift
	work=$ROOT/build/$LABEL/$name
	img=$work/root
	rm -rf "$img"
	mkdir -p "$img"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,etc,root,tests/bin}

	install -m 0755 /bin/busybox "$img/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$img/bin/$a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$img/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$img/etc/group"

	copy_with_libs "$ROOT/userspace/charter" /usr/sbin/charter "$img"
	# The shipped building blocks, where make install puts them.
	install -d -m 0755 "$img/usr/share/charter/blocks"
	install -m 0644 "$ROOT"/blocks/*.yml "$img/usr/share/charter/blocks/"
	[ -n "${CHARTER_VM_NO_MODULE:-}" ] ||
		install -D -m 0644 "$KO" "$img/lib/modules/$KVER/extra/charter.ko"
	# Every test names each path both ways (fs.c, verify_paths): a fast
	# path named otherwise warns, which fails the test. Not when measuring.
	if [ -z "${CHARTER_VM_ICOUNT:-}" ]; then
		install -d -m 0755 "$img/etc/modprobe.d"
		echo "options charter verify_paths=1" > "$img/etc/modprobe.d/charter-tests.conf"
	fi
	progs=$(sed -n 's/^# vm-programs://p' "$@" | tr ' ' '\n' | sort -u | tr '\n' ' ')
	[ -z "$progs" ] || add_programs "$img" $progs
	files=$(sed -n 's/^# vm-files://p' "$@" | tr ' ' '\n' | sort -u | tr '\n' ' ')
	# shellcheck disable=SC2086 # patterns expand here
	[ -z "$files" ] || add_files "$img" $files
	mods=$(sed -n 's/^# vm-modules://p' "$@" | tr ' ' '\n' | sort -u | tr '\n' ' ')
	[ -z "$mods" ] || add_modules "$img" $mods
	mkdir -p "$img/lib/modules/$KVER"
	cp "$MODROOT"/lib/modules/"$KVER"/modules.{order,builtin,builtin.modinfo} "$img/lib/modules/$KVER/" 2>/dev/null || true
	depmod -b "$img" "$KVER"

	install -m 0755 "$ROOT"/tests/helpers/bin/* "$img/tests/bin/"
	# The dynamic helpers' libraries (wlclient's libwayland-client; the
	# others' are the tool's).
	for a in "$ROOT"/tests/helpers/bin/*; do
		case $a in *.o|*.ko) continue ;; esac
		copy_libs "$a" "$img"
	done
	install -m 0644 "$ROOT"/tests/lib/*.sh "$img/tests/"
	mkdir -p "$img/tests/run"
	cp "$@" "$img/tests/run/"
	install -m 0755 "$ROOT/scripts/vm-init.sh" "$img/init"

	(cd "$img" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initramfs.cpio.gz"
	echo "$work"
}

# ---- guest -----------------------------------------------------------------

boot() { # WORK MODE [APPEND]
	local work=$1 mode=$2 append=${3:-} rc=0
	: > "$work/console.log"
	: > "$work/results.log"
	# shellcheck disable=SC2086
	# Two vCPUs on one host thread (thread=single): under QEMU 7.2's
	# multi-threaded TCG a vCPU can go on executing a code page another
	# vCPU has just patched. When ftrace removed a redirection while
	# programs ran on both vCPUs (unload-in-flight.sh), a vCPU kept
	# trapping on the int3 that text_poke_bp() had already replaced: the
	# kernel backs up over a vanished int3 and retries, forever (soft
	# lockup in bpf_lsm_mmap_file+0x1 with the nop in memory). One host
	# thread also lets two guests run side by side on the two cores.
	local cpu="-accel tcg,thread=${CHARTER_VM_TCG_THREAD:-single} -cpu max -smp 2"
	[ -z "${CHARTER_VM_ICOUNT:-}" ] || cpu="-accel tcg -icount shift=0,sleep=off -cpu max -smp 1"
	local limit=${GUEST_TIMEOUT:-$((300 + PER_TEST_TIMEOUT * $(ls "$work/root/tests/run/"*.sh 2>/dev/null | wc -l)))}
	[ -n "$GUEST_TIMEOUT" ] || [ "$limit" -ge $((300 + TEST_TIMEOUT)) ] || limit=$((300 + TEST_TIMEOUT))
	# shellcheck disable=SC2086
	timeout --foreground -k 5 "$limit" qemu-system-x86_64 \
		$cpu -m "${CHARTER_VM_MEM:-1024}" \
		-display none -monitor none -no-reboot \
		-serial "file:$work/console.log" -serial "file:$work/results.log" \
		-kernel "$VMLINUZ" -initrd "$work/initramfs.cpio.gz" \
		-append "console=ttyS0 quiet loglevel=5 panic=-1 $LOCKUP_PANIC CHARTER_MODE=$mode CHARTER_TEST_TIMEOUT=$TEST_TIMEOUT $append $APPEND_EXTRA" \
		$QEMU_EXTRA < /dev/null > "$work/qemu.log" 2>&1 || rc=$?
	# Results are written by the guest with CRLF line ends.
	tr -d '\r' < "$work/results.log" > "$work/results.txt"
	return $rc
}

# A lockup (a CPU looping in the kernel for 20 s, a task blocked for 120 s)
# panics the guest at once, with every CPU's stack on the console, instead
# of letting it spin until the guest's timeout.
LOCKUP_PANIC="softlockup_panic=1 softlockup_all_cpu_backtrace=1 hung_task_panic=1"

# The console from the first kernel report on (up to 300 lines), else its
# last 40 lines.
console_report() { # CONSOLE_LOG
	local first
	first=$(tr -d '\r' < "$1" | grep -n -m 1 -E 'BUG:|Oops|Kernel panic|INFO: task|WARNING:|rcu: INFO' | cut -d: -f1)
	if [ -n "$first" ]; then
		tr -d '\r' < "$1" | tail -n "+$first" | head -n 300
	else
		tr -d '\r' < "$1" | tail -n 40
	fi
}

# Print TAP for the tests of one guest; add to the global counters.
PASSED=0
FAILED=0
N=0
report() { # WORK QEMU_RC TEST...
	local work=$1 qrc=$2 t name out rc bad secs
	shift 2
	for t in "$@"; do
		name=$(basename "$t")
		N=$((N + 1))
		out=$(awk -v n="$name" '$0 == "@@ BEGIN " n {on=1; next}
			$0 ~ "^@@ DMESG " {if (on) exit} on' "$work/results.txt")
		dmesg=$(awk -v n="$name" '$0 == "@@ DMESG " n {on=1; next}
			$0 ~ "^@@ END " {if (on) exit} on' "$work/results.txt")
		rc=$(sed -n "s/^@@ END $name \([0-9]*\)\$/\1/p" "$work/results.txt")
		bad=$(printf '%s\n' "$dmesg" | grep -E "$BAD_DMESG" || true)
		secs=$(sed -n "s/^@@ TIME $name \([0-9.]*\)\$/\1/p" "$work/results.txt")
		[ -z "$secs" ] || echo "# $name took $secs s (guest time)"
		if [ "$rc" = 0 ] && [ -z "$bad" ]; then
			echo "ok $N - $LABEL: $name"
			PASSED=$((PASSED + 1))
			continue
		fi
		FAILED=$((FAILED + 1))
		if [ -z "$rc" ]; then
			echo "not ok $N - $LABEL: $name (did not finish: guest hung or died, qemu exit $qrc)"
		elif [ -n "$bad" ]; then
			echo "not ok $N - $LABEL: $name (kernel log: $(echo "$bad" | head -n 1))"
		else
			echo "not ok $N - $LABEL: $name (exit $rc)"
		fi
		echo "# --- output of $name"
		printf '%s\n' "$out" | sed 's/^/#   /'
		echo "# --- guest kernel log during $name"
		printf '%s\n' "$dmesg" | sed 's/^/#   /'
		if [ -z "$rc" ]; then
			echo "# --- guest console (from the first kernel report, else the tail)"
			console_report "$work/console.log" | sed 's/^/#   /'
		fi
	done
	# The boot itself must be clean too.
	bad=$(awk '$0 == "@@ BOOT-DMESG" {on=1; next} /^@@ / {on=0} on' "$work/results.txt" |
		grep -E "$BAD_DMESG" || true)
	if [ -n "$bad" ]; then
		N=$((N + 1))
		FAILED=$((FAILED + 1))
		echo "not ok $N - $LABEL: boot kernel log is clean"
		printf '%s\n' "$bad" | sed 's/^/#   /'
	fi
	# The debug kernel's last kmemleak scan, after the last test (vm-init.sh).
	grep -qx '@@ DMESG kmemleak' "$work/results.txt" || return 0
	N=$((N + 1))
	bad=$(awk '$0 == "@@ DMESG kmemleak" {on=1; next} /^@@ / {on=0} on' "$work/results.txt")
	if [ -z "$bad" ]; then
		echo "ok $N - $LABEL: kmemleak after the last test"
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		echo "not ok $N - $LABEL: kmemleak after the last test"
		printf '%s\n' "$bad" | head -n 60 | sed 's/^/#   /'
	fi
}

run_guest() { # NAME TEST...
	local name=$1 work qrc=0
	shift
	work=$(build_image "$name" "$@")
	log "booting $KVER with $# test(s): $(cd "$(dirname "$1")" && echo $(basename -a "$@"))"
	boot "$work" test "$(sed -n 's/^# vm-append: *//p' "$@" | tr '\n' ' ')" || qrc=$?
	report "$work" "$qrc" "$@"
}

run_suite() { # NAME TESTS_DIR
	local t shared=() own=()
	ls "$2"/*.sh > /dev/null 2>&1 || { log "no tests in $2"; return; }
	for t in "$2"/*.sh; do
		if grep -q '^# vm-guest: own' "$t"; then own+=("$t"); else shared+=("$t"); fi
	done
	[ ${#shared[@]} -eq 0 ] || run_guest "$1" "${shared[@]}"
	for t in "${own[@]}"; do
		run_guest "$1-$(basename "$t" .sh)" "$t"
	done
}

[ -r "$VMLINUZ" ] || { log "no $VMLINUZ: run scripts/deps.sh"; exit 1; }
[ -n "${CHARTER_VM_NO_MODULE:-}" ] || [ -r "$KO" ] || { log "no $KO: run make"; exit 1; }
# Suites of two kernels may run at once: one builds the helpers.
mkdir -p "$ROOT/build"
flock "$ROOT/build/.helpers.lock" make -s -C "$ROOT/tests/helpers" KVER="$KVER" KDIR="$KDIR"

if [ "${1:-}" = --demo ] || [ "${1:-}" = --run ]; then
	dir=$ROOT/tests/demo
	[ "$1" = --demo ] || dir=$(cd "$2" && pwd)
	work=$(build_image "$(basename "$dir")" "$dir"/*.sh)
	log "booting $KVER to run $(basename "$dir")"
	qrc=0
	boot "$work" run "$(sed -n 's/^# vm-append: *//p' "$dir"/*.sh | tr '\n' ' ')" || qrc=$?
	awk '$0 ~ /^@@ BEGIN / {on=1; next} /^@@ / {on=0} on' "$work/results.txt"
	# One "@@ END name status" per script: every one must be there and 0.
	rc=$(grep -v '^@@ END kmemleak ' "$work/results.txt" |
		sed -n 's/^@@ END [^ ]* \([0-9]*\)$/\1/p' | tr '\n' ' ')
	# The debug kernel's last kmemleak scan (vm-init.sh) must be empty.
	leaks=$(awk '$0 == "@@ DMESG kmemleak" {on=1; next} /^@@ / {on=0} on' "$work/results.txt")
	[ -z "$leaks" ] || { log "kmemleak after the last test: $leaks"; exit 1; }
	[ "$(echo $rc | wc -w)" = "$(ls "$dir"/*.sh | wc -l)" ] && ! echo $rc | grep -qv '^[0 ]*$' ||
		{ log "$(basename "$dir") failed (exit ${rc:-none}, qemu $qrc)"; exit 1; }
	exit 0
fi

echo "TAP version 13"
# CHARTER_VM_SUITES picks main (tests/vm), extra (CHARTER_VM_EXTRA_TESTS)
# or both (the default): scripts/check-debug.sh runs the two in two
# processes at once, a guest being one host thread.
suites=${CHARTER_VM_SUITES:-main extra}
case " $suites " in *" main "*) run_suite main "$ROOT/tests/vm" ;; esac
if [ -n "${CHARTER_VM_EXTRA_TESTS:-}" ]; then
	case " $suites " in
	*" extra "*) run_suite extra "$(cd "$CHARTER_VM_EXTRA_TESTS" && pwd)" ;;
	esac
fi
echo "1..$N"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$N" -gt 0 ]
