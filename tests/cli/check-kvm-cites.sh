#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KVM's rules (tools/kvm-rules.c) against the kernel source they cite: for
# every row, the cited line of Debian's 6.1 tree (the linux-source-6.1
# package's tarball) holds what the row says - the control's macro inside
# KVM_REQUIRED_VMX_* for a required control and KVM_OPTIONAL_VMX_* for an
# optional one, the parameter's variable being cleared, the log line's
# text.  The macro and variable names are typed here, from the kernel's
# headers, not taken from the rules.  6.12 and 7.3 are checked too where
# their trees are extracted ($KSRC/<version>.*/arch/x86/kvm, as the
# rules' author did from Debian's linux-source-6.12 and -7.3); skipped
# otherwise, and said so.
#
# Usage: tests/cli/check-kvm-cites.sh     Ends with "kvm-cites: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
TARBALL=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
KSRC=${KSRC:-${VMXCAP_CACHE:-/var/cache/vmxcap}/ksrc}
RULES=tools/kvm-rules.c
# shellcheck source=tests/cli/tap.sh
. tests/cli/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The decoder key of each control, and the macro arch/x86/include/asm/vmx.h names it by.
MACROS="pinbased.ext_intr_exiting PIN_BASED_EXT_INTR_MASK
pinbased.nmi_exiting PIN_BASED_NMI_EXITING
pinbased.virtual_nmis PIN_BASED_VIRTUAL_NMIS
pinbased.preemption_timer PIN_BASED_VMX_PREEMPTION_TIMER
pinbased.posted_interrupts PIN_BASED_POSTED_INTR
procbased.intr_window_exiting CPU_BASED_INTR_WINDOW_EXITING
procbased.tsc_offsetting CPU_BASED_USE_TSC_OFFSETTING
procbased.hlt_exiting CPU_BASED_HLT_EXITING
procbased.invlpg_exiting CPU_BASED_INVLPG_EXITING
procbased.mwait_exiting CPU_BASED_MWAIT_EXITING
procbased.rdpmc_exiting CPU_BASED_RDPMC_EXITING
procbased.rdtsc_exiting CPU_BASED_RDTSC_EXITING
procbased.cr3_load_exiting CPU_BASED_CR3_LOAD_EXITING
procbased.cr3_store_exiting CPU_BASED_CR3_STORE_EXITING
procbased.tertiary_controls CPU_BASED_ACTIVATE_TERTIARY_CONTROLS
procbased.cr8_load_exiting CPU_BASED_CR8_LOAD_EXITING
procbased.cr8_store_exiting CPU_BASED_CR8_STORE_EXITING
procbased.tpr_shadow CPU_BASED_TPR_SHADOW
procbased.nmi_window_exiting CPU_BASED_NMI_WINDOW_EXITING
procbased.mov_dr_exiting CPU_BASED_MOV_DR_EXITING
procbased.uncond_io_exiting CPU_BASED_UNCOND_IO_EXITING
procbased.io_bitmaps CPU_BASED_USE_IO_BITMAPS
procbased.monitor_trap_flag CPU_BASED_MONITOR_TRAP_FLAG
procbased.msr_bitmaps CPU_BASED_USE_MSR_BITMAPS
procbased.monitor_exiting CPU_BASED_MONITOR_EXITING
procbased.pause_exiting CPU_BASED_PAUSE_EXITING
procbased.secondary_controls CPU_BASED_ACTIVATE_SECONDARY_CONTROLS
procbased2.virtualize_apic_accesses SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES
procbased2.ept SECONDARY_EXEC_ENABLE_EPT
procbased2.descriptor_table_exiting SECONDARY_EXEC_DESC
procbased2.rdtscp SECONDARY_EXEC_ENABLE_RDTSCP
procbased2.virtualize_x2apic SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE
procbased2.vpid SECONDARY_EXEC_ENABLE_VPID
procbased2.wbinvd_exiting SECONDARY_EXEC_WBINVD_EXITING
procbased2.unrestricted_guest SECONDARY_EXEC_UNRESTRICTED_GUEST
procbased2.apic_register_virt SECONDARY_EXEC_APIC_REGISTER_VIRT
procbased2.virtual_intr_delivery SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY
procbased2.pause_loop_exiting SECONDARY_EXEC_PAUSE_LOOP_EXITING
procbased2.rdrand_exiting SECONDARY_EXEC_RDRAND_EXITING
procbased2.invpcid SECONDARY_EXEC_ENABLE_INVPCID
procbased2.vm_functions SECONDARY_EXEC_ENABLE_VMFUNC
procbased2.vmcs_shadowing SECONDARY_EXEC_SHADOW_VMCS
procbased2.encls_exiting SECONDARY_EXEC_ENCLS_EXITING
procbased2.rdseed_exiting SECONDARY_EXEC_RDSEED_EXITING
procbased2.pml SECONDARY_EXEC_ENABLE_PML
procbased2.ept_violation_ve SECONDARY_EXEC_EPT_VIOLATION_VE
procbased2.pt_conceal_vmx SECONDARY_EXEC_PT_CONCEAL_VMX
procbased2.xsaves SECONDARY_EXEC_(ENABLE_)?XSAVES
procbased2.mode_based_ept_exec SECONDARY_EXEC_MODE_BASED_EPT_EXEC
procbased2.pt_uses_gpa SECONDARY_EXEC_PT_USE_GPA
procbased2.tsc_scaling SECONDARY_EXEC_TSC_SCALING
procbased2.user_wait_pause SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE
procbased2.bus_lock_detection SECONDARY_EXEC_BUS_LOCK_DETECTION
procbased2.instruction_timeout SECONDARY_EXEC_NOTIFY_VM_EXITING
procbased3.ipi_virtualization TERTIARY_EXEC_IPI_VIRT
exit.save_debug_controls VM_EXIT_SAVE_DEBUG_CONTROLS
exit.host_address_space_size VM_EXIT_HOST_ADDR_SPACE_SIZE
exit.load_perf_global_ctrl VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL
exit.ack_intr_on_exit VM_EXIT_ACK_INTR_ON_EXIT
exit.save_pat VM_EXIT_SAVE_IA32_PAT
exit.load_pat VM_EXIT_LOAD_IA32_PAT
exit.save_efer VM_EXIT_SAVE_IA32_EFER
exit.load_efer VM_EXIT_LOAD_IA32_EFER
exit.save_preemption_timer VM_EXIT_SAVE_VMX_PREEMPTION_TIMER
exit.clear_bndcfgs VM_EXIT_CLEAR_BNDCFGS
exit.pt_conceal_exit VM_EXIT_PT_CONCEAL_PIP
exit.clear_rtit_ctl VM_EXIT_CLEAR_IA32_RTIT_CTL
exit.load_cet_state VM_EXIT_LOAD_CET_STATE
exit.save_perf_global_ctrl VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL
entry.load_debug_controls VM_ENTRY_LOAD_DEBUG_CONTROLS
entry.ia32e_mode_guest VM_ENTRY_IA32E_MODE
entry.load_perf_global_ctrl VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL
entry.load_pat VM_ENTRY_LOAD_IA32_PAT
entry.load_efer VM_ENTRY_LOAD_IA32_EFER
entry.load_bndcfgs VM_ENTRY_LOAD_BNDCFGS
entry.pt_conceal_entry VM_ENTRY_PT_CONCEAL_PIP
entry.load_rtit_ctl VM_ENTRY_LOAD_IA32_RTIT_CTL
entry.load_cet_state VM_ENTRY_LOAD_CET_STATE"

# Each parameter and the statement hardware_setup() (or its module_param)
# has at the cited line.
PARAMS="vpid enable_vpid = 0
ept enable_ept = 0
cet enable_cet = 0
eptad enable_ept_ad_bits = 0
mbec enable_mbec = 0
unrestricted_guest enable_unrestricted_guest = 0
flexpriority flexpriority_enabled = 0
vnmi enable_vnmi = 0
sgx enable_sgx = false
ple_gap ple_gap = 0
ple_window ple_window = 0
ple_window_grow ple_window_grow = 0
ple_window_max ple_window_max = 0
ple_window_shrink ple_window_shrink = 0
enable_apicv enable_apicv = 0
enable_ipiv enable_ipiv = false
pml enable_pml = 0
preemption_timer enable_preemption_timer = false
nested module_param(nested, bool
enable_shadow_vmcs enable_shadow_vmcs = 0
error_on_inconsistent_vmcs_config module_param(error_on_inconsistent_vmcs_config"

# tree VERSION: the directory holding that version's arch/x86/kvm, or nothing.
tree() {
	case $1 in
	6.1)
		if [ -r "$TARBALL" ]; then
			local top
			top=$(basename "$TARBALL" .tar.xz)
			if [ ! -d "$tmp/6.1" ]; then
				mkdir -p "$tmp/6.1"
				tar -xJf "$TARBALL" -C "$tmp/6.1" --strip-components=1 "$top/arch/x86/kvm" 2>/dev/null
			fi
			echo "$tmp/6.1"
		fi ;;
	6.12 | 7.3) find "$KSRC" -maxdepth 1 -name "$1.*" -type d 2>/dev/null | head -n 1 ;;
	esac
}

# line TREE FILE N: line N of FILE (arch/x86/kvm/vmx/...) in TREE.
line() { sed -n "${3}p" "$1/arch/x86/kvm/vmx/$2"; }

# The rows: key, need, cite, from the rules' tables.
rows() {	# rows TABLE: each row of the C array TABLE on one line
	awk -v t="$1" '$0 ~ "^const struct [a-z_]+ " t "\\[\\]" { on = 1; next }
		on && /^};/ { on = 0 }
		on && /^\t\{ "/ { row = $0 }
		on && row != "" && $0 != row { sub(/^[ \t]+/, " "); row = row $0 }
		on && row != "" && /\},[ \t]*$/ { print row; row = "" }' "$RULES"
}

for v in 6.1 6.12 7.3; do
	T=$(tree $v)
	if [ -z "$T" ] || [ ! -f "$T/arch/x86/kvm/vmx/vmx.h" ]; then
		echo "# $v: no tree (the linux-source-$v sources are not here): skipped"
		[ $v = 6.1 ] && ok 1 "6.1's tree from $TARBALL (scripts/deps.sh clitest)"
		continue
	fi
	# -- controls: the macro, in the right kind of KVM_*_VMX_* macro
	bad="" cnt=0
	while IFS= read -r row; do
		key=$(sed 's/^\t{ "\([^"]*\)".*/\1/' <<<"$row")
		need=$(sed 's/^\t{ "[^"]*", \(VS_[A-Z_0-9]*\).*/\1/' <<<"$row")
		at=$(grep -o " $v:[0-9]*" <<<"$row" | head -n 1 | cut -d: -f2)
		[ -n "$at" ] || continue
		macro=$(awk -v k="$key" '$1 == k { print $2 }' <<<"$MACROS")
		kind=$(awk -v n="$at" 'NR <= n && /define (__)?KVM_(REQUIRED|OPTIONAL)_VMX_/ { k = $0 } NR == n { print k; exit }' \
			"$T/arch/x86/kvm/vmx/vmx.h")
		cnt=$((cnt + 1))
		case $need in VS_NEED_1) want=REQUIRED ;; *) want=OPTIONAL ;; esac
		if [ -z "$macro" ] || ! line "$T" vmx.h "$at" | grep -Eq "\\b$macro\\b" ||
			! grep -q "KVM_${want}_VMX_" <<<"$kind"; then
			bad="$bad $key@$at"
		fi
	done < <(rows vs_kvm_ctls)
	[ -z "$bad" ] && [ $cnt -gt 0 ]
	ok $? "$v: $cnt controls: each cited vmx.h line names the control's macro, in KVM_REQUIRED_VMX_* or KVM_OPTIONAL_VMX_* as the rule says${bad:+; wrong:$bad}"
	# -- parameters: the cited line clears the parameter's variable
	bad="" cnt=0
	while IFS= read -r row; do
		name=$(sed 's/^\t{ "\([^"]*\)".*/\1/' <<<"$row")
		cite=$(grep -o '"[a-z]*\.c [^"]*"' <<<"$row" | tail -n 1)
		file=$(sed 's/^"\([a-z]*\.c\).*/\1/' <<<"$cite")
		at=$(grep -o " $v:[0-9]*" <<<"$cite" | head -n 1 | cut -d: -f2)
		[ -n "$at" ] || continue
		stmt=$(awk -v k="$name" '$1 == k { $1 = ""; sub(/^ /, ""); print }' <<<"$PARAMS")
		cnt=$((cnt + 1))
		line "$T" "$file" "$at" | grep -qF -- "$stmt" || bad="$bad $name@$file:$at"
	done < <(rows vs_kvm_params)
	[ -z "$bad" ] && [ $cnt -gt 0 ]
	ok $? "$v: $cnt parameters: each cited line sets the parameter's variable as the rule says${bad:+; wrong:$bad}"
done
echo "kvm-cites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
