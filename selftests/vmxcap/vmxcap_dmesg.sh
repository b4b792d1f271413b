#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs last: the kernel log since boot has no sign of a kernel bug.  Run
# after the other vmxcap tests, it covers everything they made the module do.
. "$(dirname "$0")/vmxcap_lib.sh"

ktap_header 1
# VMXCAP_DMESG_SINCE=N: ignore the first N lines (the harness sets it to
# the boot log, whose problems belong to the emulated CPU, not to vmxcap).
bad=$(dmesg | tail -n +$((${VMXCAP_DMESG_SINCE:-0} + 1)) | klog_without_injected | grep -E "$KLOG_BAD")
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/^/# /'
	ktap_not_ok "kernel log has no WARNING, BUG, Oops, lockdep, KASAN, kmemleak or debugobjects report"
else
	ktap_ok "kernel log has no WARNING, BUG, Oops, lockdep, KASAN, kmemleak or debugobjects report"
fi
ktap_finish
