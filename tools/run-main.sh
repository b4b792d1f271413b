#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The README's main command, `sudo make run`: installs what it needs,
# builds vmxcap-show (and vmxcap.ko when this kernel's build tree exists),
# loads the module and shows this machine's VMX capabilities.  Where that
# cannot be done (no VMX, as on AMD; no build tree; the kernel refuses the
# module), vmxcap-show says why and the VM demo (make demo) shows the real
# thing in an emulated Intel CPU instead.
#
# Usage: tools/run-main.sh [vmxcap-show options]     (root for installs and insmod)
set -u
cd "$(dirname "$0")/.." || exit 2
SYS=/sys/kernel/vmxcap
T=tools/vmxcap-show
KDIR=/lib/modules/$(uname -r)/build

scripts/deps.sh tools || exit 2
make -s -C tools vmxcap-show || exit 2

# VMX can exist only on these vendors' CPUs (a firmware-disabled one still
# loads the module, which then says so).
vendor=$(sed -n 's/^vendor_id[[:space:]]*: *//p;T;q' /proc/cpuinfo)
case "$vendor" in
GenuineIntel | CentaurHauls | *Shanghai*) vmx_vendor=1 ;;
*) vmx_vendor=0 ;;
esac

why=""
if [ ! -d "$SYS" ] && [ $vmx_vendor = 1 ]; then
	# An installed module first (DKMS, through libkmod), then one built here.
	"$T" --load --flags >/dev/null 2>&1
	if [ ! -d "$SYS" ]; then
		if [ ! -d "$KDIR" ]; then
			why="no kernel build tree at $KDIR (install linux-headers-$(uname -r))"
		elif ! make -s module >/dev/null; then
			why="vmxcap.ko does not build for kernel $(uname -r) (run: make module)"
		elif ! out=$(insmod ./vmxcap.ko 2>&1); then
			why="insmod vmxcap.ko: ${out#insmod: }"
		fi
	fi
fi

if [ -d "$SYS" ]; then
	"$T" "$@"
	exit $?
fi

# vmxcap-show's own explanation (vendor, hypervisor, module state).
"$T" "$@"
[ -n "$why" ] && echo "  Also: $why."
echo
echo "run-main: this machine cannot show its own VMX capabilities; showing them in an"
echo "emulated Intel CPU instead (make demo: Bochs, a few minutes)."
exec make demo
