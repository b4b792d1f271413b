#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Each CPU's cpuN/vmx_flags equals the running kernel's own "vmx flags" line
# for that CPU in /proc/cpuinfo, which Linux derives from the same MSRs
# (arch/x86/kernel/cpu/feat_ctl.c).  The module names flags the way the
# kernel it was built for does, so the lines must match word for word.
. "$(dirname "$0")/vmxcap_lib.sh"

require_vmx_module

cpus=$(published_cpus)
ktap_header $(echo "$cpus" | wc -w)
for c in $cpus; do
	kernel=$(awk -v cpu="$c" '/^processor/ { p = $3 }
		/^vmx flags/ && p == cpu { sub(/^vmx flags[ \t]*: */, ""); print }' /proc/cpuinfo)
	mine=$(cat "$VMXCAP_SYSFS/cpu$c/vmx_flags")
	if [ "$kernel" = "$mine" ]; then
		diag "cpu$c: $mine"
		ktap_ok "cpu$c: vmx_flags equals /proc/cpuinfo"
	else
		diag "cpu$c: /proc/cpuinfo: $kernel"
		diag "cpu$c: vmx_flags:     $mine"
		only_k=$(for w in $kernel; do case " $mine " in *" $w "*) ;; *) printf '%s ' "$w" ;; esac; done)
		only_m=$(for w in $mine; do case " $kernel " in *" $w "*) ;; *) printf '%s ' "$w" ;; esac; done)
		diag "cpu$c: only in /proc/cpuinfo: $only_k; only in vmx_flags: $only_m"
		ktap_not_ok "cpu$c: vmx_flags equals /proc/cpuinfo"
	fi
done
ktap_finish
