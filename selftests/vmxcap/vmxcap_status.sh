#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The status verdict agrees with IA32_FEATURE_CONTROL as msr.ko reads it.
# Bochs 2.7's BIOS always locks it to 0x5 (locked, VMX outside SMX), so the
# VM sees "usable"; the other verdicts are covered by the decoder's unit
# tests on raw values.  The rule (SDM vol. 3, 24.7 / Linux feat_ctl.c):
#   bit 0 clear             -> unlocked (the kernel locks it at boot)
#   locked, bit 2 set       -> usable
#   locked, only bit 1 set  -> smx_only
#   locked, bits 1 and 2 0  -> disabled_by_firmware
. "$(dirname "$0")/vmxcap_lib.sh"

require_vmx_module

cpus=$(published_cpus)
ktap_header $(( $(echo "$cpus" | wc -w) * 2 ))
for c in $cpus; do
	fc=$("$HWREAD" msr "$c" 0x3a)
	case $fc in 0x*) ;; *) fc=-1 ;; esac
	if [ "$fc" = -1 ]; then want=unknown
	elif [ $((fc & 1)) -eq 0 ]; then want=unlocked
	elif [ $((fc & 4)) -ne 0 ]; then want=usable
	elif [ $((fc & 2)) -ne 0 ]; then want=smx_only
	else want=disabled_by_firmware
	fi
	got=$(cat "$VMXCAP_SYSFS/cpu$c/status")
	diag "cpu$c: IA32_FEATURE_CONTROL $fc: expect $want, status says '$got'"
	ktap_check "cpu$c: status is $want" test "$got" = "$want"
	hv=$("$HWREAD" cpuid "$c" 1 | awk '{ print $3 }')
	hv=$(( (0x$hv >> 31) & 1 ))
	got=$(cat "$VMXCAP_SYSFS/cpu$c/hypervisor")
	ktap_check "cpu$c: hypervisor is $hv (CPUID.1:ECX[31])" test "$got" = "$hv"
done
ktap_finish
