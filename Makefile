# SPDX-License-Identifier: GPL-2.0
#
# vmxcap top-level Makefile: for people and CI.  The module's kbuild file
# is ./Kbuild.
#
#   make              build what this machine can build
#   make run          the README's main job: build, load, show (or explain and demo)
#   make demo         boot an emulated Intel CPU (Bochs) and show what vmxcap reports there
#   make measure      the module's load time and memory per CPU, in Bochs
#   make check        the whole test suite (installs what it needs; root)
#   make check-unit   decoder unit tests, sanitizers, fuzzing
#   make check-cli    vmxcap-show against the fixtures, bad input, fuzzing
#   make check-fleet  the fleet outputs read by the real engines (Prometheus, ...)
#   make check-build  module build matrix (6.1, 6.12, 7.3), sparse, checkpatch
#   make check-packages  Debian packages: build, lintian, install/purge here and in trixie
#   make check-vm     selftests inside booted kernels (QEMU, Bochs); VM= picks machines
#   make check-debug  lifetime and fault-injection selftests in a debug 6.1 kernel
#                     (KASAN, lockdep, kmemleak, DEBUG_KOBJECT_RELEASE, failslab)
#                     under QEMU; builds it once (in check, in the background: scripts/check.sh)
#   make check-debug-bochs  every selftest in that kernel in Bochs (slow; not in check)

KDIR ?= /lib/modules/$(shell uname -r)/build

.PHONY: all module tools run demo measure check check-unit check-cli check-fleet check-build check-packages check-vm check-debug check-debug-bochs clean

all: tools module

module:
	@if [ -d "$(KDIR)" ]; then \
		$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules; \
	else \
		echo "vmxcap: no kernel build tree at $(KDIR); skipping vmxcap.ko (set KDIR=)"; \
	fi

tools:
	scripts/deps.sh tools
	$(MAKE) -C tools

run:
	tools/run-main.sh

# MODEL: a Bochs CPU model (bochs --help cpu), default corei7_skylake_x.
demo: tools
	tests/vm/demo.sh $(MODEL)

# The module's load time and memory per published CPU, in Bochs.
measure:
	tests/vm/measure.sh $(MODEL)

check:
	scripts/check.sh

check-unit:
	scripts/deps.sh unit
	$(MAKE) -C tests/unit check

check-cli:
	scripts/deps.sh tools clitest
	tests/cli/run-cli.sh

check-fleet:
	scripts/deps.sh tools fleet
	tests/fleet/run-fleet.sh

check-build:
	scripts/check-build.sh

check-packages:
	scripts/check-packages.sh

check-vm:
	tests/vm/run.sh $(VM)

# Its guests mostly wait on delayed kobject releases: three at a time.
check-debug:
	VMXCAP_VM_JOBS=$${VMXCAP_VM_JOBS:-4} VMXCAP_VM_MACHINES=tests/vm/machines-debug tests/vm/run.sh $(VM)

check-debug-bochs:
	VMXCAP_VM_MACHINES=tests/vm/machines-debug-bochs tests/vm/run.sh $(VM)

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tools clean
