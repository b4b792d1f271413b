#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unloading while readers hold files open and keep reading them: rmmod
# succeeds or fails cleanly (EBUSY is not expected: sysfs files hold no
# module reference), no reader crashes the kernel, reads of a file opened
# before the unload fail afterwards instead of returning stale data, and
# the module loads again.  The held file is the machine file, whose read
# builds a text under the module's lock.  VMXCAP_HOLD_SECONDS=N (the debug
# kernel's machine: longer than DEBUG_KOBJECT_RELEASE's delayed releases)
# reads it once more N seconds after the unload.  The kernel log is checked
# by vmxcap_dmesg.sh.
. "$(dirname "$0")/vmxcap_lib.sh"

ROUNDS=${VMXCAP_UNLOAD_ROUNDS:-3}
require_vmx_module

ktap_header 4
stop=/tmp/vmxcap_unload.stop
unloaded=0; stale=0; reloaded=0
i=0
while [ $i -lt "$ROUNDS" ]; do
	i=$((i + 1))
	module_ensure_loaded || { diag "round $i: load failed"; break; }
	rm -f "$stop"
	readers=""
	start_readers "${VMXCAP_READERS:-2}" "$stop"
	# A reader that opened a file before the unload and reads it after.
	# No sleeps here: in Bochs with 2 busy CPUs the guest's clock crawls,
	# so a 0.1 s sleep can take minutes; wait on progress instead.
	f="$VMXCAP_SYSFS/machine"
	( exec 3<"$f"
	  while [ ! -e "$stop.held" ]; do :; done
	  # After the unload: this must fail (ENODEV) or give nothing.
	  if [ -n "$(cat <&3 2>/dev/null)" ]; then exit 1; fi
	  if [ "${VMXCAP_HOLD_SECONDS:-0}" -gt 0 ]; then
		sleep "$VMXCAP_HOLD_SECONDS"
		if [ -n "$(cat <&3 2>/dev/null)" ]; then exit 1; fi
	  fi
	  exit 0 ) &
	held=$!
	# Unload once both readers are through their first pass.
	wait_readers_ready "$stop"
	if module_unload; then unloaded=$((unloaded + 1)); else diag "round $i: rmmod failed"; fi
	touch "$stop.held"
	wait "$held" || { diag "round $i: open file read stale data after unload"; stale=$((stale + 1)); }
	touch "$stop"
	for p in $readers; do wait "$p"; done
	rm -f "$stop" "$stop.held" "$stop".ready.*
	module_load && reloaded=$((reloaded + 1))
done
ktap_check "rmmod with busy readers succeeds ($unloaded/$ROUNDS)" test $unloaded -eq "$ROUNDS"
ktap_check "a file opened before the unload gives no data after it" test $stale -eq 0
ktap_check "the module loads again each time ($reloaded/$ROUNDS)" test $reloaded -eq "$ROUNDS"
ktap_check "its tree is back" test -d "$VMXCAP_SYSFS/cpu0"
ktap_finish
