#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module loads and unloads cleanly many times in a row: the sysfs tree
# appears and goes each time, and it taints the kernel only as an
# out-of-tree (O, bit 12) and unsigned (E, bit 13) module may.
. "$(dirname "$0")/vmxcap_lib.sh"

ROUNDS=${VMXCAP_LOAD_ROUNDS:-20}
require_vmx_module
module_unload || { echo "# cannot unload"; exit $KSFT_FAIL; }

ktap_header 4
taint0=$(cat /proc/sys/kernel/tainted)
bad=0
i=0
while [ $i -lt "$ROUNDS" ]; do
	i=$((i + 1))
	if ! module_load; then
		diag "round $i: load failed"; bad=$((bad + 1)); break
	fi
	if [ ! -d "$VMXCAP_SYSFS" ]; then
		diag "round $i: no $VMXCAP_SYSFS after load"; bad=$((bad + 1))
	fi
	if ! module_unload; then
		diag "round $i: unload failed"; bad=$((bad + 1)); break
	fi
	if [ -e "$VMXCAP_SYSFS" ]; then
		diag "round $i: $VMXCAP_SYSFS left after unload"; bad=$((bad + 1))
	fi
done
ktap_check "$ROUNDS load/unload rounds without error" test "$bad" -eq 0
ktap_check "not loaded at the end" sh -c '! grep -q "^vmxcap " /proc/modules'
taint1=$(cat /proc/sys/kernel/tainted)
new=$(( taint1 & ~taint0 ))
diag "taint before $taint0, after $taint1"
ktap_check "new taint only O (4096) and E (8192)" test $(( new & ~(4096 | 8192) )) -eq 0
module_load
ktap_check "loads again after the rounds" module_loaded
ktap_finish
