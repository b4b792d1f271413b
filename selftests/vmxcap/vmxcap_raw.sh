#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every raw value the module publishes (the machine file's set of each CPU
# and cpuN/raw/*, through its link into sets/ID) equals what
# Debian's msr.ko reads from /dev/cpu/N/msr on the same CPU, and the MSRs the
# module lists as faulted also fault through msr.ko.
. "$(dirname "$0")/vmxcap_lib.sh"

DOC=${VMXCAP_ABI_DOC:-$VMXCAP_DIR/../../Documentation/ABI/testing/sysfs-kernel-vmxcap}
[ -f "$DOC" ] || skip_all "no ABI description (set VMXCAP_ABI_DOC) to name raw/ files"
require_vmx_module

cpus=$(published_cpus)
ktap_header $(( $(echo "$cpus" | wc -w) * 3 ))
for c in $cpus; do
	bad=0; n=0
	while read -r idx val; do
		n=$((n + 1))
		hw=$("$HWREAD" msr "$c" "$idx")
		if [ "$val" = faulted ]; then
			[ "$hw" = fault ] || { diag "cpu$c $idx: module says faulted, msr.ko reads $hw"; bad=$((bad + 1)); }
		elif [ "$(hex64 "$val")" != "$hw" ]; then
			diag "cpu$c $idx: module $val, msr.ko $hw"; bad=$((bad + 1))
		fi
	done <<EOT
$(msrs_of "$c")
EOT
	diag "cpu$c: $n MSRs in its set (sets/$(set_of "$c")) in the machine file"
	ktap_check "cpu$c: machine file equals msr.ko for all $n MSRs" test $bad -eq 0 -a $n -gt 0

	# raw/<name>: one value per file, each equal to msr.ko's read of the
	# MSR that the ABI's table names ("basic  0x480  IA32_VMX_BASIC").
	bad=0; n=0
	for f in "$VMXCAP_SYSFS/cpu$c"/raw/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		idx=$(awk -v name="${f##*/}" '$1 == name && $2 ~ /^0x[0-9a-fA-F]+$/ { print $2; exit }' "$DOC")
		if [ -z "$idx" ]; then
			diag "cpu$c raw/${f##*/}: not in the ABI's table"; bad=$((bad + 1)); continue
		fi
		v=$(cat "$f")
		hw=$("$HWREAD" msr "$c" "$idx")
		case $v in
		faulted) [ "$hw" = fault ] ;;
		*) [ "$(hex64 "$v")" = "$hw" ] ;;
		esac || { diag "cpu$c raw/${f##*/} ($idx): module $v, msr.ko $hw"; bad=$((bad + 1)); }
	done
	ktap_check "cpu$c: all $n raw/ files equal msr.ko" test $bad -eq 0 -a $n -gt 0

	# IA32_VMX_BASIC and IA32_FEATURE_CONTROL exist on every VMX CPU.
	ok=1
	for idx in 0x03a 0x480; do
		msrs_of "$c" | grep -q "^$idx 0x" || { diag "cpu$c: $idx missing from the machine file"; ok=0; }
	done
	ktap_check "cpu$c: the machine file has IA32_FEATURE_CONTROL and IA32_VMX_BASIC" test $ok -eq 1
done
ktap_finish
