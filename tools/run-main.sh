#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The README's main command, `sudo make run`: installs what it needs,
# builds vmxcap-show and shows this machine's VMX capabilities.  On a CPU
# with VMX (or one whose firmware hides it) that is always the machine's
# own answer: through vmxcap.ko when it can be loaded (installed, or built
# here when this kernel's build tree exists), else through msr.ko, which
# every Debian kernel has and which Secure Boot does not refuse.  Only a
# machine without VMX (AMD, or a VM without nested VT-x) gets the VM demo
# (make demo) instead, after vmxcap-show's answer and a word on what the
# demo downloads and how long it takes.
#
# Usage: tools/run-main.sh [vmxcap-show options]     (root for installs and loading)
# VMXCAP_RUN_DEMO=CMD runs CMD instead of the demo (the tests use true).
set -u
cd "$(dirname "$0")/.." || exit 2
SYS=/sys/kernel/vmxcap
T=tools/vmxcap-show
KDIR=/lib/modules/$(uname -r)/build

scripts/deps.sh tools || exit 2
make -s -C tools vmxcap-show || exit 2

# VMX in CPUID on this CPU: the module's own test (firmware cannot clear it).
vmx=$(grep -m1 -c '^flags.* vmx' /proc/cpuinfo)
if [ "$vmx" = 0 ] && "$T" --source cpuinfo --json 2>/dev/null | grep -q '"vmx": true'; then
	vmx=1	# Linux cleared the flag: firmware locked VMX off
fi

why=""
if [ ! -d "$SYS" ] && [ "$vmx" = 1 ]; then
	# An installed module first (DKMS, through libkmod), then one built here.
	"$T" --load --flags >/dev/null 2>&1
	if [ ! -d "$SYS" ]; then
		if [ ! -d "$KDIR" ]; then
			why="no kernel build tree at $KDIR (install linux-headers-$(uname -r)) to build vmxcap.ko"
		elif ! make -s module >/dev/null 2>&1; then
			why="vmxcap.ko does not build for kernel $(uname -r) (run: make module)"
		elif ! out=$(insmod ./vmxcap.ko 2>&1); then
			why="insmod vmxcap.ko: ${out#insmod: } (Secure Boot refuses unsigned modules: see the README)"
		fi
	fi
fi

# The machine's own answer, from the best source that works.
"$T" "$@"
rc=$?
[ -n "$why" ] && echo "run-main: vmxcap.ko is not loaded: $why; the answer above came without it."
[ "$vmx" = 1 ] && exit $rc

echo
echo "run-main: this machine has no VMX, so vmxcap shows what it would report on an"
echo "Intel CPU instead: make demo boots Debian's kernel in Bochs emulating one."
tests/vm/demo-cost.sh
exec ${VMXCAP_RUN_DEMO:-make --no-print-directory demo}
