# SPDX-License-Identifier: GPL-2.0
#
# vmxcap top-level Makefile: for people and CI.  The module's kbuild file
# is ./Kbuild.
#
#   make              build what this machine can build
#   make check        the whole test suite (installs what it needs; root)
#   make check-unit   decoder unit tests, sanitizers, fuzzing
#   make check-cli    vmxcap-show against the fixtures, bad input, fuzzing
#   make check-build  module build matrix (6.1, 6.12, 7.3), sparse, checkpatch
#   make check-vm     selftests inside booted kernels (QEMU, Bochs)

KDIR ?= /lib/modules/$(shell uname -r)/build

.PHONY: all module tools check check-unit check-cli check-build check-vm clean

all: tools module

module:
	@if [ -d "$(KDIR)" ]; then \
		$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules; \
	else \
		echo "vmxcap: no kernel build tree at $(KDIR); skipping vmxcap.ko (set KDIR=)"; \
	fi

tools:
	@if [ -f tools/Makefile ]; then $(MAKE) -C tools; fi

check:
	scripts/check.sh

check-unit:
	scripts/deps.sh unit
	$(MAKE) -C tests/unit check

check-cli:
	scripts/deps.sh tools
	tests/cli/run-cli.sh

check-build:
	scripts/check-build.sh

check-vm:
	tests/vm/run.sh $(VM)

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	$(MAKE) -C tests/unit clean
	@if [ -f tools/Makefile ]; then $(MAKE) -C tools clean; fi
