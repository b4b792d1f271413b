#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The independent oracles the other tests trust work on this machine: on a
# CPU with VMX, msr.ko reads IA32_FEATURE_CONTROL and IA32_VMX_BASIC on every
# online CPU, and /proc/cpuinfo has a "vmx flags" line for each of them.
# Without these, a passing comparison would prove nothing.
. "$(dirname "$0")/vmxcap_lib.sh"

[ "$(id -u)" = 0 ] || skip_all "must run as root"
vmxcap_oracle_devices || skip_all "msr.ko / cpuid.ko not available"
cpu_has_vmx || skip_all "no online CPU has VMX in CPUID"

cpus=$(online_cpus)
ncpu=$(echo "$cpus" | wc -l)
ktap_header $((ncpu * 3))
for c in $cpus; do
	fc=$("$HWREAD" msr "$c" 0x3a)
	basic=$("$HWREAD" msr "$c" 0x480)
	diag "cpu$c: IA32_FEATURE_CONTROL=$fc IA32_VMX_BASIC=$basic"
	case $fc in
	0x*) ktap_ok "cpu$c: msr.ko reads IA32_FEATURE_CONTROL" ;;
	*) ktap_not_ok "cpu$c: msr.ko reads IA32_FEATURE_CONTROL" ;;
	esac
	# Bits 44:32 of IA32_VMX_BASIC: VMCS region size, 1..4096, never 0.
	size=0
	case $basic in
	0x*) size=$(( (basic >> 32) & 0x1fff )) ;;
	esac
	ktap_check "cpu$c: IA32_VMX_BASIC has a VMCS size (${size})" \
		test "$size" -gt 0 -a "$size" -le 4096
	flags=$(awk -v cpu="$c" '/^processor/ { p = $3 }
		/^vmx flags/ && p == cpu { sub(/^vmx flags[ \t]*: */, ""); print }' /proc/cpuinfo)
	diag "cpu$c: vmx flags: $flags"
	ktap_check "cpu$c: /proc/cpuinfo has a vmx flags line" test -n "$flags"
done
ktap_finish
