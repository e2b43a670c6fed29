# Charter: top-level build.
#   make            module (kmod/charter.ko) and tool (userspace/charter)
#   make check      install deps, run every suite; last line "N passed, N failed"
#   make demo       boot a VM and show a confined program allowed and denied
#   make vm-test    the VM suite alone
#   make kunit      the KUnit suites alone (UML)
#   make unit       the userspace unit tests alone
#   make cli        the tool's command-line tests alone (host)
#   make fuzz       the libFuzzer targets, 10 minutes each
#   make bench      the cost of Charter in guest instructions (QEMU -icount)
#   make man        charter(8) and charter-manifest(5) in build/man/ (scdoc)
#   make install    the tool, its man pages, bash completion, the building
#                   blocks (PREFIX/share/charter/blocks), /etc/charter
#                   (charter.conf) and charter.service into DESTDIR/PREFIX
#                   (UNITDIR for the unit);
#                   install-dkms: the module's source for DKMS
#   make deb        the Debian packages charter and charter-dkms (build/deb/)

# The Debian headers to build against: the newest installed -amd64 flavour
# that also has its kernel image in /boot (the VM boots that one).
KVER ?= $(shell scripts/kver.sh)
KDIR ?= /usr/src/linux-headers-$(KVER)
export KVER KDIR

VERSION := 0.2.0
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
LIBDIR ?= $(PREFIX)/lib
# bash-completion.pc's completionsdir.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# Debian 12 keeps units in /lib (systemd.pc's systemdsystemunitdir).
UNITDIR ?= /lib/systemd/system
# What DKMS builds: the top-level Kbuild, the module's sources and the
# header it shares with the tool (not kmod/tests, KUnit's).
DKMS_SOURCES := Kbuild kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c)) \
		$(wildcard kmod/*.h) $(wildcard kmod/*.S) uapi/charter.h

.PHONY: all module tool deps check demo vm-test kunit unit cli fuzz bench trinity load check-debug clean \
	install install-dkms deb man
all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C userspace

deps:
	scripts/deps.sh

unit: tool
	$(MAKE) -C tests/unit run

cli: tool
	scripts/cli-test.sh

kunit:
	scripts/kunit.sh

fuzz:
	FUZZ_RUNS=$(FUZZ_RUNS) scripts/fuzz.sh $(or $(FUZZ_SECONDS),600)

vm-test: all
	scripts/vm.sh

check: deps
	$(MAKE) all
	scripts/check.sh

# tests/vm/trinity.sh alone, for TRINITY_CALLS calls (default 100000) from
# TRINITY_SEED (default 1), on KERNEL (a word of scripts/kernels.sh;
# default the system kernel). Allows 20 calls a second, at least.
TRINITY_CALLS ?= 100000
TRINITY_SEED ?= 1
trinity: deps
	$(MAKE) all
	rm -rf build/trinity-run && mkdir -p build/trinity-run
	ln -s ../../tests/vm/trinity.sh build/trinity-run/
	CHARTER_VM_APPEND="CHARTER_TRINITY_CALLS=$(TRINITY_CALLS) CHARTER_TRINITY_SEED=$(TRINITY_SEED) CHARTER_TRINITY_SECONDS=$$(( $(TRINITY_CALLS) / 20 + 60 ))" \
		CHARTER_VM_TEST_TIMEOUT=$$(( $(TRINITY_CALLS) / 20 + 180 )) \
		CHARTER_VM_TIMEOUT=$$(( $(TRINITY_CALLS) / 20 + 600 )) \
		$(if $(KERNEL),CHARTER_KERNEL=$(KERNEL)) scripts/vm.sh --run build/trinity-run

# The whole VM suite and tests/debug/ on Charter's debug kernel (lockdep,
# KASAN, kmemleak, failslab; built once, cached under
# build/kdebug/), side by side in two guests (scripts/check-debug.sh).
# Not part of check: run it before submitting kernel work.
# DEBUG_BLOB_MUTATIONS: blob-mutations.sh's count there; DEBUG_UNLOAD_ROUNDS:
# unload-rounds.sh's; DEBUG_TEST_TIMEOUT: seconds a test.
DEBUG_BLOB_MUTATIONS ?= 100000
DEBUG_UNLOAD_ROUNDS ?= 200
check-debug: deps
	$(MAKE) all
	scripts/kernels.sh fetch debug
	CHARTER_BLOB_MUTATIONS=$(DEBUG_BLOB_MUTATIONS) \
		CHARTER_UNLOAD_ROUNDS=$(DEBUG_UNLOAD_ROUNDS) \
		CHARTER_VM_TEST_TIMEOUT=$(or $(DEBUG_TEST_TIMEOUT),7200) \
		scripts/check-debug.sh

# tests/vm/load.sh alone: stress-ng confined for LOAD_SECONDS (default
# 300) beside policy swaps, mode flips and rmmod, on KERNEL.
LOAD_SECONDS ?= 300
load: deps
	$(MAKE) all
	rm -rf build/load-run && mkdir -p build/load-run
	ln -s ../../tests/vm/load.sh build/load-run/
	CHARTER_VM_APPEND="CHARTER_LOAD_SECONDS=$(LOAD_SECONDS)" \
		CHARTER_VM_TEST_TIMEOUT=$$(( $(LOAD_SECONDS) + 180 )) \
		CHARTER_VM_TIMEOUT=$$(( $(LOAD_SECONDS) + 600 )) \
		$(if $(KERNEL),CHARTER_KERNEL=$(KERNEL)) scripts/vm.sh --run build/load-run

bench: deps
	$(MAKE) all
	CHARTER_VM_ICOUNT=1 CHARTER_VM_MEM=2048 CHARTER_VM_TIMEOUT=1500 \
		CHARTER_VM_TEST_TIMEOUT=3600 \
		scripts/vm.sh --run tests/bench

demo: deps
	$(MAKE) all
	scripts/vm.sh --demo

MANDIR ?= $(PREFIX)/share/man
MANPAGES := build/man/charter.8 build/man/charter-manifest.5

# The man pages, from scdoc sources in Documentation/.
man: $(MANPAGES)

build/man/%: Documentation/%.scd
	@mkdir -p build/man
	scdoc < $< > $@

install: tool man
	install -D -m 0755 userspace/charter $(DESTDIR)$(SBINDIR)/charter
	install -D -m 0644 build/man/charter.8 $(DESTDIR)$(MANDIR)/man8/charter.8
	install -D -m 0644 build/man/charter-manifest.5 \
		$(DESTDIR)$(MANDIR)/man5/charter-manifest.5
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/charter/manifests.d \
		$(DESTDIR)$(SYSCONFDIR)/charter/trusted.d \
		$(DESTDIR)$(SYSCONFDIR)/charter/blocks \
		$(DESTDIR)$(PREFIX)/share/charter/blocks
	install -m 0644 blocks/*.yml $(DESTDIR)$(PREFIX)/share/charter/blocks/
	install -D -m 0644 systemd/charter.conf $(DESTDIR)$(SYSCONFDIR)/charter/charter.conf
	install -D -m 0644 completion/charter.bash \
		$(DESTDIR)$(BASHCOMPDIR)/charter
	install -d -m 0755 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(LIBDIR)/charter
	sed 's|@LIBDIR@|$(LIBDIR)|g' systemd/charter.service > $(DESTDIR)$(UNITDIR)/charter.service
	sed 's|@SBINDIR@|$(SBINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' systemd/charter-boot \
		> $(DESTDIR)$(LIBDIR)/charter/charter-boot
	chmod 0644 $(DESTDIR)$(UNITDIR)/charter.service
	chmod 0755 $(DESTDIR)$(LIBDIR)/charter/charter-boot

install-dkms:
	for f in $(DKMS_SOURCES); do \
		install -D -m 0644 $$f $(DESTDIR)$(PREFIX)/src/charter-$(VERSION)/$$f || exit 1; \
	done

deb:
	scripts/deb.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C tests/unit clean
