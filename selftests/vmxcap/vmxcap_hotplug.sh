#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# CPU hotplug while readers loop over the tree: cpu1 goes offline and its
# folder goes; it comes back online and its folder comes back with the same
# values.  Repeated; no reader may see an error other than the file having
# gone (which a reader racing with offline may see).
. "$(dirname "$0")/vmxcap_lib.sh"

ROUNDS=${VMXCAP_HOTPLUG_ROUNDS:-5}
CPU=/sys/devices/system/cpu/cpu1/online

require_vmx_module
[ -w "$CPU" ] || skip_all "no hot-pluggable cpu1"
[ "$(cat $CPU)" = 1 ] || echo 1 >"$CPU" || skip_all "cpu1 cannot be onlined"
[ -d "$VMXCAP_SYSFS/cpu1" ] || { echo "# cpu1 not published"; exit $KSFT_FAIL; }

ktap_header 5
before=$(tree_dump "$VMXCAP_SYSFS/cpu1")
cpus_before=$(cat "$VMXCAP_SYSFS/cpus")

# Readers (VMXCAP_READERS, 2): read every file again and again until told to stop.
stop=/tmp/vmxcap_hotplug.stop
rm -f "$stop"
readers=""
start_readers "${VMXCAP_READERS:-2}" "$stop"

gone=0; back=0; same=0; cpus_ok=0
i=0
while [ $i -lt "$ROUNDS" ]; do
	i=$((i + 1))
	echo 0 >"$CPU" || { diag "round $i: offline failed"; break; }
	[ -e "$VMXCAP_SYSFS/cpu1" ] && diag "round $i: cpu1 folder still there offline" || gone=$((gone + 1))
	case $(cat "$VMXCAP_SYSFS/cpus") in
	0) cpus_ok=$((cpus_ok + 1)) ;;
	*) diag "round $i: cpus while offline: $(cat "$VMXCAP_SYSFS/cpus")" ;;
	esac
	echo 1 >"$CPU" || { diag "round $i: online failed"; break; }
	[ -d "$VMXCAP_SYSFS/cpu1" ] && back=$((back + 1)) || diag "round $i: cpu1 folder missing online"
	after=$(tree_dump "$VMXCAP_SYSFS/cpu1")
	[ "$after" = "$before" ] && same=$((same + 1)) || {
		diag "round $i: cpu1 values differ:"
		echo "$before" >/tmp/vmxcap_before; echo "$after" >/tmp/vmxcap_after
		diff /tmp/vmxcap_before /tmp/vmxcap_after | head -n 10 | sed 's/^/# /'
	}
done
touch "$stop"
for p in $readers; do wait "$p"; done
rm -f "$stop"

ktap_check "cpu1 folder goes when cpu1 is offline ($gone/$ROUNDS)" test $gone -eq "$ROUNDS"
ktap_check "cpus lists only cpu0 while cpu1 is offline ($cpus_ok/$ROUNDS)" test $cpus_ok -eq "$ROUNDS"
ktap_check "cpu1 folder comes back online ($back/$ROUNDS)" test $back -eq "$ROUNDS"
ktap_check "cpu1 values identical after each online ($same/$ROUNDS)" test $same -eq "$ROUNDS"
ktap_check "cpus is '$cpus_before' again" test "$(cat "$VMXCAP_SYSFS/cpus")" = "$cpus_before"
ktap_finish
