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

# The Debian headers to build against: the newest installed -amd64 flavour
# that also has its kernel image in /boot (the VM boots that one).
KVER ?= $(shell scripts/kver.sh)
KDIR ?= /usr/src/linux-headers-$(KVER)
export KVER KDIR

.PHONY: all module tool deps check demo vm-test kunit unit cli fuzz bench clean
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
	scripts/fuzz.sh $(or $(FUZZ_SECONDS),600)

vm-test: all
	scripts/vm.sh

check: deps
	$(MAKE) all
	scripts/check.sh

bench: deps
	$(MAKE) all
	CHARTER_VM_ICOUNT=1 scripts/vm.sh --run tests/bench

demo: deps
	$(MAKE) all
	scripts/vm.sh --demo

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C tests/unit clean
