// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vmxcap decoder: tables and algorithms of the Intel SDM volume 3,
 * appendix A "VMX capability reporting facility" and the chapters on the
 * VMX controls.  See vmxcap.h for the contract.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>	/* snprintf() */
#else
#include <stdio.h>
#endif

#include <vmxcap/vmxcap.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const struct vmxcap_msr_info vmxcap_msrs[VMXCAP_NR_MSRS] = {
	[VMXCAP_FEATURE_CONTROL] = { 0x03a, "IA32_FEATURE_CONTROL", "feature_control" },
	[VMXCAP_BASIC]		= { 0x480, "IA32_VMX_BASIC", "basic" },
	[VMXCAP_PINBASED]	= { 0x481, "IA32_VMX_PINBASED_CTLS", "pinbased_ctls" },
	[VMXCAP_PROCBASED]	= { 0x482, "IA32_VMX_PROCBASED_CTLS", "procbased_ctls" },
	[VMXCAP_EXIT]		= { 0x483, "IA32_VMX_EXIT_CTLS", "exit_ctls" },
	[VMXCAP_ENTRY]		= { 0x484, "IA32_VMX_ENTRY_CTLS", "entry_ctls" },
	[VMXCAP_MISC]		= { 0x485, "IA32_VMX_MISC", "misc" },
	[VMXCAP_CR0_FIXED0]	= { 0x486, "IA32_VMX_CR0_FIXED0", "cr0_fixed0" },
	[VMXCAP_CR0_FIXED1]	= { 0x487, "IA32_VMX_CR0_FIXED1", "cr0_fixed1" },
	[VMXCAP_CR4_FIXED0]	= { 0x488, "IA32_VMX_CR4_FIXED0", "cr4_fixed0" },
	[VMXCAP_CR4_FIXED1]	= { 0x489, "IA32_VMX_CR4_FIXED1", "cr4_fixed1" },
	[VMXCAP_VMCS_ENUM]	= { 0x48a, "IA32_VMX_VMCS_ENUM", "vmcs_enum" },
	[VMXCAP_PROCBASED2]	= { 0x48b, "IA32_VMX_PROCBASED_CTLS2", "procbased_ctls2" },
	[VMXCAP_EPT_VPID_CAP]	= { 0x48c, "IA32_VMX_EPT_VPID_CAP", "ept_vpid_cap" },
	[VMXCAP_TRUE_PINBASED]	= { 0x48d, "IA32_VMX_TRUE_PINBASED_CTLS",
				    "true_pinbased_ctls" },
	[VMXCAP_TRUE_PROCBASED]	= { 0x48e, "IA32_VMX_TRUE_PROCBASED_CTLS",
				    "true_procbased_ctls" },
	[VMXCAP_TRUE_EXIT]	= { 0x48f, "IA32_VMX_TRUE_EXIT_CTLS", "true_exit_ctls" },
	[VMXCAP_TRUE_ENTRY]	= { 0x490, "IA32_VMX_TRUE_ENTRY_CTLS", "true_entry_ctls" },
	[VMXCAP_VMFUNC]		= { 0x491, "IA32_VMX_VMFUNC", "vmfunc" },
	[VMXCAP_PROCBASED3]	= { 0x492, "IA32_VMX_PROCBASED_CTLS3", "procbased_ctls3" },
	[VMXCAP_EXIT2]		= { 0x493, "IA32_VMX_EXIT_CTLS2", "exit_ctls2" },
};

int vmxcap_msr_slot(u32 index)
{
	unsigned int i;

	for (i = 0; i < VMXCAP_NR_MSRS; i++)
		if (vmxcap_msrs[i].index == index)
			return (int)i;
	return -1;
}

/* ---- existence ---------------------------------------------------------- */

/*
 * SDM A.1-A.11: which MSR depends on which bit.  gate == VMXCAP_NR_MSRS
 * means the MSR exists on every CPU with VMX.
 */
static const struct {
	enum vmxcap_msr gate;
	u8 bit;		/* bit of the gate MSR (64-bit numbering) */
	u8 alt_bit;	/* a second bit that also opens it, or 0xff */
} gates[VMXCAP_NR_MSRS] = {
	[VMXCAP_FEATURE_CONTROL] = { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_BASIC]		= { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_PINBASED]	= { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_PROCBASED]	= { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_EXIT]		= { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_ENTRY]		= { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_MISC]		= { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_CR0_FIXED0]	= { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_CR0_FIXED1]	= { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_CR4_FIXED0]	= { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_CR4_FIXED1]	= { VMXCAP_NR_MSRS, 0, 0xff },
	[VMXCAP_VMCS_ENUM]	= { VMXCAP_NR_MSRS, 0, 0xff },
	/* A.3.3: primary control "activate secondary controls" allowed-1 */
	[VMXCAP_PROCBASED2]	= { VMXCAP_PROCBASED, 63, 0xff },
	/* A.10: secondary "enable EPT" or "enable VPID" allowed-1 */
	[VMXCAP_EPT_VPID_CAP]	= { VMXCAP_PROCBASED2, 32 + 1, 32 + 5 },
	/* A.1: IA32_VMX_BASIC bit 55 */
	[VMXCAP_TRUE_PINBASED]	= { VMXCAP_BASIC, 55, 0xff },
	[VMXCAP_TRUE_PROCBASED]	= { VMXCAP_BASIC, 55, 0xff },
	[VMXCAP_TRUE_EXIT]	= { VMXCAP_BASIC, 55, 0xff },
	[VMXCAP_TRUE_ENTRY]	= { VMXCAP_BASIC, 55, 0xff },
	/* A.11: secondary "enable VM functions" allowed-1 */
	[VMXCAP_VMFUNC]		= { VMXCAP_PROCBASED2, 32 + 13, 0xff },
	/* A.3.4: primary "activate tertiary controls" allowed-1 */
	[VMXCAP_PROCBASED3]	= { VMXCAP_PROCBASED, 32 + 17, 0xff },
	/* A.4.2: VM-exit "activate secondary controls" allowed-1 */
	[VMXCAP_EXIT2]		= { VMXCAP_EXIT, 63, 0xff },
};

enum vmxcap_existence vmxcap_msr_existence(const struct vmxcap_raw *raw,
					   enum vmxcap_msr m)
{
	enum vmxcap_msr gate = gates[m].gate;
	enum vmxcap_existence up;
	u64 v;

	if (gate == VMXCAP_NR_MSRS)
		return VMXCAP_EXISTS;
	up = vmxcap_msr_existence(raw, gate);
	if (up == VMXCAP_ABSENT)
		return VMXCAP_ABSENT;
	if (up == VMXCAP_UNKNOWN || !vmxcap_has(raw, gate))
		return VMXCAP_UNKNOWN;
	v = raw->val[gate];
	if ((v >> gates[m].bit) & 1)
		return VMXCAP_EXISTS;
	if (gates[m].alt_bit != 0xff && ((v >> gates[m].alt_bit) & 1))
		return VMXCAP_EXISTS;
	return VMXCAP_ABSENT;
}

u32 vmxcap_msrs_existing(const struct vmxcap_raw *raw)
{
	u32 mask = 0;
	unsigned int m;

	for (m = 0; m < VMXCAP_NR_MSRS; m++)
		if (vmxcap_msr_existence(raw, m) == VMXCAP_EXISTS)
			mask |= VMXCAP_MSR_BIT(m);
	return mask;
}

/* ---- control tables ------------------------------------------------------ */

/* SDM table "Definitions of Pin-Based VM-Execution Controls". */
static const struct vmxcap_ctl pin_ctls[] = {
	{ 0, "ext_intr_exiting", "External-interrupt exiting", "External interrupt exiting", NULL },
	{ 3, "nmi_exiting", "NMI exiting", "NMI exiting", NULL },
	{ 5, "virtual_nmis", "Virtual NMIs", "Virtual NMIs", "vnmi" },
	{ 6, "preemption_timer", "Activate VMX-preemption timer", "Activate VMX-preemption timer",
	  "preemption_timer" },
	{ 7, "posted_interrupts", "Process posted interrupts", "Process posted interrupts",
	  "posted_intr" },
};

/* SDM table "Definitions of Primary Processor-Based VM-Execution Controls". */
static const struct vmxcap_ctl proc_ctls[] = {
	{ 2, "intr_window_exiting", "Interrupt-window exiting", "Interrupt window exiting", NULL },
	{ 3, "tsc_offsetting", "Use TSC offsetting", "Use TSC offsetting", "tsc_offset" },
	{ 7, "hlt_exiting", "HLT exiting", "HLT exiting", NULL },
	{ 9, "invlpg_exiting", "INVLPG exiting", "INVLPG exiting", NULL },
	{ 10, "mwait_exiting", "MWAIT exiting", "MWAIT exiting", NULL },
	{ 11, "rdpmc_exiting", "RDPMC exiting", "RDPMC exiting", NULL },
	{ 12, "rdtsc_exiting", "RDTSC exiting", "RDTSC exiting", NULL },
	{ 15, "cr3_load_exiting", "CR3-load exiting", "CR3-load exiting", NULL },
	{ 16, "cr3_store_exiting", "CR3-store exiting", "CR3-store exiting", NULL },
	{ 17, "tertiary_controls", "Activate tertiary controls", "Activate tertiary controls",
	  NULL },
	{ 19, "cr8_load_exiting", "CR8-load exiting", "CR8-load exiting", NULL },
	{ 20, "cr8_store_exiting", "CR8-store exiting", "CR8-store exiting", NULL },
	{ 21, "tpr_shadow", "Use TPR shadow", "Use TPR shadow", "vtpr" },
	{ 22, "nmi_window_exiting", "NMI-window exiting", "NMI-window exiting", NULL },
	{ 23, "mov_dr_exiting", "MOV-DR exiting", "MOV-DR exiting", NULL },
	{ 24, "uncond_io_exiting", "Unconditional I/O exiting", "Unconditional I/O exiting", NULL },
	{ 25, "io_bitmaps", "Use I/O bitmaps", "Use I/O bitmaps", NULL },
	{ 27, "monitor_trap_flag", "Monitor trap flag", "Monitor trap flag", "mtf" },
	{ 28, "msr_bitmaps", "Use MSR bitmaps", "Use MSR bitmaps", NULL },
	{ 29, "monitor_exiting", "MONITOR exiting", "MONITOR exiting", NULL },
	{ 30, "pause_exiting", "PAUSE exiting", "PAUSE exiting", NULL },
	{ 31, "secondary_controls", "Activate secondary controls", "Activate secondary control",
	  NULL },
};

/* SDM table "Definitions of Secondary Processor-Based VM-Execution Controls". */
static const struct vmxcap_ctl proc2_ctls[] = {
	{ 0, "virtualize_apic_accesses", "Virtualize APIC accesses", "Virtualize APIC accesses",
	  "vapic" },
	{ 1, "ept", "Enable EPT", "Enable EPT", "ept" },
	{ 2, "descriptor_table_exiting", "Descriptor-table exiting", "Descriptor-table exiting",
	  NULL },
	{ 3, "rdtscp", "Enable RDTSCP", "Enable RDTSCP", NULL },
	{ 4, "virtualize_x2apic", "Virtualize x2APIC mode", "Virtualize x2APIC mode", NULL },
	{ 5, "vpid", "Enable VPID", "Enable VPID", "vpid" },
	{ 6, "wbinvd_exiting", "WBINVD exiting", "WBINVD exiting", NULL },
	{ 7, "unrestricted_guest", "Unrestricted guest", "Unrestricted guest",
	  "unrestricted_guest" },
	{ 8, "apic_register_virt", "APIC-register virtualization", "APIC register emulation",
	  "vapic_reg" },
	{ 9, "virtual_intr_delivery", "Virtual-interrupt delivery", "Virtual interrupt delivery",
	  "vid" },
	{ 10, "pause_loop_exiting", "PAUSE-loop exiting", "PAUSE-loop exiting", "ple" },
	{ 11, "rdrand_exiting", "RDRAND exiting", "RDRAND exiting", NULL },
	{ 12, "invpcid", "Enable INVPCID", "Enable INVPCID", NULL },
	{ 13, "vm_functions", "Enable VM functions", "Enable VM functions", NULL },
	{ 14, "vmcs_shadowing", "VMCS shadowing", "VMCS shadowing", "shadow_vmcs" },
	{ 15, "encls_exiting", "Enable ENCLS exiting", "Enable ENCLS exiting", NULL },
	{ 16, "rdseed_exiting", "RDSEED exiting", "RDSEED exiting", NULL },
	{ 17, "pml", "Enable PML", "Enable PML", "pml" },
	{ 18, "ept_violation_ve", "EPT-violation #VE", "EPT-violation #VE", "ept_violation_ve" },
	{ 19, "pt_conceal_vmx", "Conceal VMX from PT", "Conceal non-root operation from PT", NULL },
	{ 20, "xsaves", "Enable XSAVES/XRSTORS", "Enable XSAVES/XRSTORS", NULL },
	{ 21, "pasid_translation", "PASID translation", NULL, NULL },
	{ 22, "mode_based_ept_exec", "Mode-based execute control for EPT",
	  "Mode-based execute control (XS/XU)", "ept_mode_based_exec" },
	{ 23, "ept_subpage_write", "Sub-page write permissions for EPT",
	  "Sub-page write permissions", NULL },
	{ 24, "pt_uses_gpa", "Intel PT uses guest physical addresses", "GPA translation for PT",
	  NULL },
	{ 25, "tsc_scaling", "Use TSC scaling", "TSC scaling", "tsc_scaling" },
	{ 26, "user_wait_pause", "Enable user wait and pause", "User wait and pause",
	  "usr_wait_pause" },
	{ 27, "pconfig", "Enable PCONFIG", NULL, NULL },
	{ 28, "enclv_exiting", "Enable ENCLV exiting", "ENCLV exiting", NULL },
	{ 30, "bus_lock_detection", "VMM bus-lock detection", NULL, NULL },
	{ 31, "instruction_timeout", "Instruction timeout", NULL, "notify_vm_exiting" },
};

/* SDM table "Definitions of Tertiary Processor-Based VM-Execution Controls". */
static const struct vmxcap_ctl proc3_ctls[] = {
	{ 0, "loadiwkey_exiting", "LOADIWKEY exiting", NULL, NULL },
	{ 1, "hlat", "Enable HLAT", NULL, NULL },
	{ 2, "ept_paging_write", "EPT paging-write control", NULL, NULL },
	{ 3, "guest_paging_verification", "Guest-paging verification", NULL, NULL },
	{ 4, "ipi_virtualization", "IPI virtualization", "Enable IPI virtualization", "ipi_virt" },
	{ 5, "seam_gpa_width", "SEAM guest physical address width", NULL, NULL },
	{ 6, "msr_list_instructions", "Enable MSR-list instructions", NULL, NULL },
	{ 7, "virtualize_spec_ctrl", "Virtualize IA32_SPEC_CTRL", NULL, NULL },
	/* Named by KVM's APIC-timer virtualization series; not yet in the SDM. */
	{ 8, "apic_timer_virtualization", "APIC-timer virtualization", NULL, NULL },
};

/* SDM table "Definitions of Primary VM-Exit Controls". */
static const struct vmxcap_ctl exit_ctls[] = {
	{ 2, "save_debug_controls", "Save debug controls", "Save debug controls", NULL },
	{ 9, "host_address_space_size", "Host address-space size", "Host address-space size",
	  NULL },
	{ 12, "load_perf_global_ctrl", "Load IA32_PERF_GLOBAL_CTRL", "Load IA32_PERF_GLOBAL_CTRL",
	  NULL },
	{ 15, "ack_intr_on_exit", "Acknowledge interrupt on exit", "Acknowledge interrupt on exit",
	  NULL },
	{ 18, "save_pat", "Save IA32_PAT", "Save IA32_PAT", NULL },
	{ 19, "load_pat", "Load IA32_PAT", "Load IA32_PAT", NULL },
	{ 20, "save_efer", "Save IA32_EFER", "Save IA32_EFER", NULL },
	{ 21, "load_efer", "Load IA32_EFER", "Load IA32_EFER", NULL },
	{ 22, "save_preemption_timer", "Save VMX-preemption timer value",
	  "Save VMX-preemption timer value", NULL },
	{ 23, "clear_bndcfgs", "Clear IA32_BNDCFGS", "Clear IA32_BNDCFGS", NULL },
	{ 24, "pt_conceal_exit", "Conceal VMX from PT", "Conceal VM exits from PT", NULL },
	{ 25, "clear_rtit_ctl", "Clear IA32_RTIT_CTL", "Clear IA32_RTIT_CTL", NULL },
	{ 26, "clear_lbr_ctl", "Clear IA32_LBR_CTL", NULL, NULL },
	{ 27, "clear_uinv", "Clear UINV", NULL, NULL },
	{ 28, "load_cet_state", "Load CET state", NULL, NULL },
	{ 29, "load_pkrs", "Load PKRS", NULL, NULL },
	{ 30, "save_perf_global_ctrl", "Save IA32_PERF_GLOBAL_CTL", NULL, NULL },
	{ 31, "secondary_exit_controls", "Activate secondary controls",
	  "Activate secondary VM-exit controls", NULL },
};

/* SDM table "Definitions of Secondary VM-Exit Controls". */
static const struct vmxcap_ctl exit2_ctls[] = {
	{ 0, "save_fred", "Save FRED state", "Save IA32 FRED MSRs", NULL },
	{ 1, "load_fred", "Load FRED state", "Load IA32 FRED MSRs", NULL },
	{ 3, "prematurely_busy_shadow_stack", "Prematurely busy shadow stack", NULL, NULL },
};

/* SDM table "Definitions of VM-Entry Controls". */
static const struct vmxcap_ctl entry_ctls[] = {
	{ 2, "load_debug_controls", "Load debug controls", "Load debug controls", NULL },
	{ 9, "ia32e_mode_guest", "IA-32e mode guest", "IA-32e mode guest", NULL },
	{ 10, "entry_to_smm", "Entry to SMM", "Entry to SMM", NULL },
	{ 11, "deactivate_dual_monitor", "Deactivate dual-monitor treatment",
	  "Deactivate dual-monitor treatment", NULL },
	{ 13, "load_perf_global_ctrl", "Load IA32_PERF_GLOBAL_CTRL", "Load IA32_PERF_GLOBAL_CTRL",
	  NULL },
	{ 14, "load_pat", "Load IA32_PAT", "Load IA32_PAT", NULL },
	{ 15, "load_efer", "Load IA32_EFER", "Load IA32_EFER", NULL },
	{ 16, "load_bndcfgs", "Load IA32_BNDCFGS", "Load IA32_BNDCFGS", NULL },
	{ 17, "pt_conceal_entry", "Conceal VMX from PT", "Conceal VM entries from PT", NULL },
	{ 18, "load_rtit_ctl", "Load IA32_RTIT_CTL", "Load IA32_RTIT_CTL", NULL },
	{ 19, "load_uinv", "Load UINV", NULL, NULL },
	{ 20, "load_cet_state", "Load CET state", NULL, NULL },
	{ 21, "load_lbr_ctl", "Load guest IA32_LBR_CTL", NULL, NULL },
	{ 22, "load_pkrs", "Load PKRS", NULL, NULL },
	{ 23, "load_fred", "Load FRED state", "Load IA32 FRED MSRs", NULL },
	{ 25, "seam_guest_telemetry", "Allow SEAM guest telemetry", NULL, NULL },
};

/* SDM table "Definitions of VM-Function Controls". */
static const struct vmxcap_ctl vmfunc_ctls[] = {
	{ 0, "eptp_switching", "EPTP switching", "EPTP Switching", "eptp_switching" },
};

/*
 * The default1 masks are SDM A.2's classes: pin-based bits 1, 2, 4;
 * primary 1, 4-6, 8, 13-16, 26; exit 0-8, 10, 11, 13, 14, 16, 17; entry
 * 0-8, 12 (tests/unit/check-linux-bits.sh compares them with Linux's
 * *_ALWAYSON_WITHOUT_TRUE_MSR).
 */
const struct vmxcap_ctl_group_info vmxcap_ctl_groups[VMXCAP_NR_CTL_GROUPS] = {
	[VMXCAP_CTL_PIN] = {
		.id = "pinbased",
		.name = "Pin-based VM-execution controls",
		.vmxcap_section = "pin-based controls",
		.msr = VMXCAP_PINBASED,
		.true_msr = VMXCAP_TRUE_PINBASED,
		.allowed1_only = false,
		.width = 32,
		.ctls = pin_ctls,
		.nr_ctls = ARRAY_LEN(pin_ctls),
		.default1 = 0x00000016,
	},
	[VMXCAP_CTL_PROC] = {
		.id = "procbased",
		.name = "Primary processor-based VM-execution controls",
		.vmxcap_section = "primary processor-based controls",
		.msr = VMXCAP_PROCBASED,
		.true_msr = VMXCAP_TRUE_PROCBASED,
		.allowed1_only = false,
		.width = 32,
		.ctls = proc_ctls,
		.nr_ctls = ARRAY_LEN(proc_ctls),
		.default1 = 0x0401e172,
	},
	[VMXCAP_CTL_PROC2] = {
		.id = "procbased2",
		.name = "Secondary processor-based VM-execution controls",
		.vmxcap_section = "secondary processor-based controls",
		.msr = VMXCAP_PROCBASED2,
		.true_msr = VMXCAP_NR_MSRS,
		.allowed1_only = false,
		.width = 32,
		.ctls = proc2_ctls,
		.nr_ctls = ARRAY_LEN(proc2_ctls),
		.default1 = 0,
	},
	[VMXCAP_CTL_PROC3] = {
		.id = "procbased3",
		.name = "Tertiary processor-based VM-execution controls",
		.vmxcap_section = "tertiary processor-based controls",
		.msr = VMXCAP_PROCBASED3,
		.true_msr = VMXCAP_NR_MSRS,
		.allowed1_only = true,
		.width = 64,
		.ctls = proc3_ctls,
		.nr_ctls = ARRAY_LEN(proc3_ctls),
		.default1 = 0,
	},
	[VMXCAP_CTL_EXIT] = {
		.id = "exit",
		.name = "Primary VM-exit controls",
		.vmxcap_section = "VM-Exit controls",
		.msr = VMXCAP_EXIT,
		.true_msr = VMXCAP_TRUE_EXIT,
		.allowed1_only = false,
		.width = 32,
		.ctls = exit_ctls,
		.nr_ctls = ARRAY_LEN(exit_ctls),
		.default1 = 0x00036dff,
	},
	[VMXCAP_CTL_EXIT2] = {
		.id = "exit2",
		.name = "Secondary VM-exit controls",
		.vmxcap_section = "secondary VM-Exit controls",
		.msr = VMXCAP_EXIT2,
		.true_msr = VMXCAP_NR_MSRS,
		.allowed1_only = true,
		.width = 64,
		.ctls = exit2_ctls,
		.nr_ctls = ARRAY_LEN(exit2_ctls),
		.default1 = 0,
	},
	[VMXCAP_CTL_ENTRY] = {
		.id = "entry",
		.name = "VM-entry controls",
		.vmxcap_section = "VM-Entry controls",
		.msr = VMXCAP_ENTRY,
		.true_msr = VMXCAP_TRUE_ENTRY,
		.allowed1_only = false,
		.width = 32,
		.ctls = entry_ctls,
		.nr_ctls = ARRAY_LEN(entry_ctls),
		.default1 = 0x000011ff,
	},
	[VMXCAP_CTL_VMFUNC] = {
		.id = "vmfunc",
		.name = "VM-function controls",
		.vmxcap_section = "VM Functions",
		.msr = VMXCAP_VMFUNC,
		.true_msr = VMXCAP_NR_MSRS,
		.allowed1_only = true,
		.width = 64,
		.ctls = vmfunc_ctls,
		.nr_ctls = ARRAY_LEN(vmfunc_ctls),
		.default1 = 0,
	},
};

const struct vmxcap_ctl *vmxcap_ctl_lookup(enum vmxcap_ctl_group g,
					   unsigned int bit)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	unsigned int i;

	for (i = 0; i < gi->nr_ctls; i++)
		if (gi->ctls[i].bit == bit)
			return &gi->ctls[i];
	return NULL;
}

/* ---- classification ------------------------------------------------------ */

static const char * const state_names[VMXCAP_NR_STATES] = {
	[VMXCAP_STATE_NO] = "no",
	[VMXCAP_STATE_YES] = "yes",
	[VMXCAP_STATE_FORCED] = "forced",
	[VMXCAP_STATE_DEFAULT] = "default",
	[VMXCAP_STATE_INCONSISTENT] = "inconsistent",
	[VMXCAP_STATE_UNKNOWN] = "unknown",
};

const char *vmxcap_state_name(enum vmxcap_state s)
{
	return (unsigned int)s < VMXCAP_NR_STATES ? state_names[s] : "unknown";
}

const char *vmxcap_state_vmxcap_word(enum vmxcap_state s)
{
	return s == VMXCAP_STATE_INCONSISTENT ? "?" : vmxcap_state_name(s);
}

enum vmxcap_state vmxcap_classify(bool must1, bool may1)
{
	if (must1 && !may1)
		return VMXCAP_STATE_INCONSISTENT;
	if (must1)
		return VMXCAP_STATE_FORCED;
	return may1 ? VMXCAP_STATE_YES : VMXCAP_STATE_NO;
}

bool vmxcap_ctl_uses_true(const struct vmxcap_raw *raw,
			  enum vmxcap_ctl_group g)
{
	enum vmxcap_msr t = vmxcap_ctl_groups[g].true_msr;

	return t != VMXCAP_NR_MSRS && vmxcap_has(raw, t) &&
	       vmxcap_msr_existence(raw, t) == VMXCAP_EXISTS;
}

bool vmxcap_ctl_masks(const struct vmxcap_raw *raw, enum vmxcap_ctl_group g,
		      u64 *must1, u64 *may1)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	enum vmxcap_existence e = vmxcap_msr_existence(raw, gi->msr);
	u64 v;

	*must1 = 0;
	*may1 = 0;
	if (e == VMXCAP_ABSENT)
		return true;
	if (vmxcap_ctl_uses_true(raw, g))
		v = raw->val[gi->true_msr];
	else if (vmxcap_has(raw, gi->msr))
		v = raw->val[gi->msr];
	else
		return false;
	if (gi->allowed1_only) {
		*may1 = v;
		return true;
	}
	*must1 = (u32)v;
	*may1 = v >> 32;
	return true;
}

enum vmxcap_state vmxcap_ctl_state(const struct vmxcap_raw *raw,
				   enum vmxcap_ctl_group g, unsigned int bit)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	u64 must1, may1;
	bool legacy_must1;
	enum vmxcap_state s;

	if (bit >= gi->width || !vmxcap_ctl_masks(raw, g, &must1, &may1))
		return VMXCAP_STATE_UNKNOWN;
	s = vmxcap_classify((must1 >> bit) & 1, (may1 >> bit) & 1);
	if (s != VMXCAP_STATE_YES || !vmxcap_ctl_uses_true(raw, g))
		return s;
	/*
	 * A.2: a "default1" control that the TRUE MSR lets be 0.  Without
	 * the legacy MSR, its allowed-0 bits are known: the default1 class.
	 */
	legacy_must1 = vmxcap_has(raw, gi->msr) ? ((u32)raw->val[gi->msr] >> bit) & 1 :
		       (gi->default1 >> bit) & 1;
	return legacy_must1 ? VMXCAP_STATE_DEFAULT : VMXCAP_STATE_YES;
}

u64 vmxcap_ctl_unnamed_allowed(const struct vmxcap_raw *raw,
			       enum vmxcap_ctl_group g)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	u64 must1, may1, named = 0;
	unsigned int i;

	if (!vmxcap_ctl_masks(raw, g, &must1, &may1))
		return 0;
	for (i = 0; i < gi->nr_ctls; i++)
		named |= 1ull << gi->ctls[i].bit;
	return (may1 | must1) & ~named;
}

/* ---- field tables -------------------------------------------------------- */

/* SDM A.1 "Basic VMX Information". */
static const struct vmxcap_field basic_fields[] = {
	{ 0, 30, VMXCAP_FIELD_NUMBER, "revision", "VMCS revision identifier", "Revision" },
	{ 31, 31, VMXCAP_FIELD_FLAG, "bit31", "Bit 31 (always 0)", NULL },
	{ 32, 44, VMXCAP_FIELD_NUMBER, "vmcs_size", "VMCS region size in bytes", "VMCS size" },
	{ 48, 48, VMXCAP_FIELD_FLAG, "phys_addr_32bit",
	  "VMCS and related addresses limited to 32 bits", "VMCS restricted to 32 bit addresses" },
	{ 49, 49, VMXCAP_FIELD_FLAG, "dual_monitor", "Dual-monitor treatment of SMIs and SMM",
	  "Dual-monitor support" },
	{ 50, 53, VMXCAP_FIELD_MEMTYPE, "vmcs_memory_type",
	  "Memory type for VMCS and VMX structures", "VMCS memory type" },
	{ 54, 54, VMXCAP_FIELD_FLAG, "ins_outs_info",
	  "VM exits report INS/OUTS instruction information", "INS/OUTS instruction information" },
	{ 55, 55, VMXCAP_FIELD_FLAG, "true_controls", "TRUE capability MSRs for default1 controls",
	  "IA32_VMX_TRUE_*_CTLS support" },
	{ 56, 56, VMXCAP_FIELD_FLAG, "no_error_code_check",
	  "VM entry may deliver hardware exceptions with or without error code",
	  "Skip checks on event error code" },
	{ 58, 58, VMXCAP_FIELD_FLAG, "nested_exception", "VMX nested-exception support (FRED)",
	  "VMX nested exception support" },
};

/* SDM A.6 "Miscellaneous Data". */
static const struct vmxcap_field misc_fields[] = {
	{ 0, 4, VMXCAP_FIELD_TIMER_SHIFT, "preemption_timer_shift",
	  "VMX-preemption timer counts down every 2^X TSC ticks",
	  "VMX-preemption timer scale (log2)" },
	{ 5, 5, VMXCAP_FIELD_FLAG, "store_efer_lma",
	  "VM exits store EFER.LMA into the IA-32e mode guest control",
	  "Store EFER.LMA into IA-32e mode guest control" },
	{ 6, 6, VMXCAP_FIELD_FLAG, "activity_hlt", "HLT activity state", "HLT activity state" },
	{ 7, 7, VMXCAP_FIELD_FLAG, "activity_shutdown", "Shutdown activity state",
	  "Shutdown activity state" },
	{ 8, 8, VMXCAP_FIELD_FLAG, "activity_wait_sipi", "Wait-for-SIPI activity state",
	  "Wait-for-SIPI activity state" },
	{ 14, 14, VMXCAP_FIELD_FLAG, "pt_in_vmx", "Intel PT usable in VMX operation",
	  "PT in VMX operation" },
	{ 15, 15, VMXCAP_FIELD_FLAG, "smbase_in_smm", "RDMSR can read IA32_SMBASE in SMM",
	  "IA32_SMBASE support" },
	{ 16, 24, VMXCAP_FIELD_NUMBER, "cr3_targets", "Number of CR3-target values",
	  "Number of CR3-target values" },
	{ 25, 27, VMXCAP_FIELD_MSR_LIST, "max_msr_list",
	  "Recommended maximum MSRs in each MSR list: 512 * (N + 1)",
	  "MSR-load/store count recommendation" },
	{ 28, 28, VMXCAP_FIELD_FLAG, "smm_monitor_ctl_bit2",
	  "IA32_SMM_MONITOR_CTL bit 2 can be set (then VMXOFF leaves SMIs blocked)",
	  "IA32_SMM_MONITOR_CTL[2] can be set to 1" },
	{ 29, 29, VMXCAP_FIELD_FLAG, "vmwrite_exit_info",
	  "VMWRITE can write VM-exit information fields", "VMWRITE to VM-exit information fields" },
	{ 30, 30, VMXCAP_FIELD_FLAG, "zero_length_injection",
	  "VM entry can inject events with instruction length 0",
	  "Inject event with insn length=0" },
	{ 32, 63, VMXCAP_FIELD_NUMBER, "mseg_revision", "MSEG revision identifier",
	  "MSEG revision identifier" },
};

/* SDM A.10 "VPID and EPT Capabilities". */
static const struct vmxcap_field ept_vpid_fields[] = {
	{ 0, 0, VMXCAP_FIELD_FLAG, "ept_execute_only", "EPT execute-only translations",
	  "Execute-only EPT translations" },
	{ 6, 6, VMXCAP_FIELD_FLAG, "ept_walk_4", "Page-walk length of 4", "Page-walk length 4" },
	{ 7, 7, VMXCAP_FIELD_FLAG, "ept_walk_5", "Page-walk length of 5", "Page-walk length 5" },
	{ 8, 8, VMXCAP_FIELD_FLAG, "ept_memtype_uc", "EPT paging structures may be uncacheable",
	  "Paging-structure memory type UC" },
	{ 14, 14, VMXCAP_FIELD_FLAG, "ept_memtype_wb", "EPT paging structures may be write-back",
	  "Paging-structure memory type WB" },
	{ 16, 16, VMXCAP_FIELD_FLAG, "ept_2mb_pages", "EPT 2-MByte pages", "2MB EPT pages" },
	{ 17, 17, VMXCAP_FIELD_FLAG, "ept_1gb_pages", "EPT 1-GByte pages", "1GB EPT pages" },
	{ 20, 20, VMXCAP_FIELD_FLAG, "invept", "INVEPT instruction", "INVEPT supported" },
	{ 21, 21, VMXCAP_FIELD_FLAG, "ept_accessed_dirty", "EPT accessed and dirty flags",
	  "EPT accessed and dirty flags" },
	{ 22, 22, VMXCAP_FIELD_FLAG, "ept_advanced_exit_info",
	  "Advanced VM-exit information for EPT violations",
	  "Advanced VM-exit information for EPT violations" },
	{ 23, 23, VMXCAP_FIELD_FLAG, "ept_supervisor_shadow_stack",
	  "Supervisor shadow-stack control", NULL },
	{ 25, 25, VMXCAP_FIELD_FLAG, "invept_single_context", "Single-context INVEPT",
	  "Single-context INVEPT" },
	{ 26, 26, VMXCAP_FIELD_FLAG, "invept_all_context", "All-context INVEPT",
	  "All-context INVEPT" },
	{ 32, 32, VMXCAP_FIELD_FLAG, "invvpid", "INVVPID instruction", "INVVPID supported" },
	{ 40, 40, VMXCAP_FIELD_FLAG, "invvpid_individual_address", "Individual-address INVVPID",
	  "Individual-address INVVPID" },
	{ 41, 41, VMXCAP_FIELD_FLAG, "invvpid_single_context", "Single-context INVVPID",
	  "Single-context INVVPID" },
	{ 42, 42, VMXCAP_FIELD_FLAG, "invvpid_all_context", "All-context INVVPID",
	  "All-context INVVPID" },
	{ 43, 43, VMXCAP_FIELD_FLAG, "invvpid_single_context_globals",
	  "Single-context-retaining-globals INVVPID", "Single-context-retaining-globals INVVPID" },
	{ 48, 53, VMXCAP_FIELD_NUMBER, "hlat_prefix_size", "Maximum HLAT prefix size", NULL },
};

/* SDM A.9 "VMCS Enumeration". */
static const struct vmxcap_field vmcs_enum_fields[] = {
	{ 1, 9, VMXCAP_FIELD_VMCS_INDEX, "highest_index",
	  "Highest index value in VMCS field encodings", NULL },
};

/* SDM volume 4, IA32_FEATURE_CONTROL (MSR 0x3a). */
static const struct vmxcap_field feature_control_fields[] = {
	{ 0, 0, VMXCAP_FIELD_FLAG, "locked", "Lock bit: the MSR cannot be written until reset",
	  NULL },
	{ 1, 1, VMXCAP_FIELD_FLAG, "vmx_inside_smx", "VMXON allowed inside SMX operation", NULL },
	{ 2, 2, VMXCAP_FIELD_FLAG, "vmx_outside_smx", "VMXON allowed outside SMX operation", NULL },
	{ 8, 14, VMXCAP_FIELD_NUMBER, "senter_local", "SENTER local function enables", NULL },
	{ 15, 15, VMXCAP_FIELD_FLAG, "senter_global", "SENTER global enable", NULL },
	{ 17, 17, VMXCAP_FIELD_FLAG, "sgx_launch_control", "SGX launch control enable", NULL },
	{ 18, 18, VMXCAP_FIELD_FLAG, "sgx", "SGX global enable", NULL },
	{ 20, 20, VMXCAP_FIELD_FLAG, "lmce", "Local machine check exceptions enabled", NULL },
};

const struct vmxcap_field_table vmxcap_field_tables[VMXCAP_NR_FIELD_TABLES] = {
	[VMXCAP_FT_BASIC] = {
		.msr = VMXCAP_BASIC,
		.id = "basic",
		.name = "Basic VMX information",
		.vmxcap_section = "Basic VMX Information",
		.fields = basic_fields,
		.nr_fields = ARRAY_LEN(basic_fields),
	},
	[VMXCAP_FT_MISC] = {
		.msr = VMXCAP_MISC,
		.id = "misc",
		.name = "Miscellaneous data",
		.vmxcap_section = "Miscellaneous data",
		.fields = misc_fields,
		.nr_fields = ARRAY_LEN(misc_fields),
	},
	[VMXCAP_FT_EPT_VPID] = {
		.msr = VMXCAP_EPT_VPID_CAP,
		.id = "ept_vpid",
		.name = "VPID and EPT capabilities",
		.vmxcap_section = "VPID and EPT capabilities",
		.fields = ept_vpid_fields,
		.nr_fields = ARRAY_LEN(ept_vpid_fields),
	},
	[VMXCAP_FT_VMCS_ENUM] = {
		.msr = VMXCAP_VMCS_ENUM,
		.id = "vmcs_enum",
		.name = "VMCS enumeration",
		.vmxcap_section = NULL,
		.fields = vmcs_enum_fields,
		.nr_fields = ARRAY_LEN(vmcs_enum_fields),
	},
	[VMXCAP_FT_FEATURE_CONTROL] = {
		.msr = VMXCAP_FEATURE_CONTROL,
		.id = "feature_control",
		.name = "Feature control",
		.vmxcap_section = NULL,
		.fields = feature_control_fields,
		.nr_fields = ARRAY_LEN(feature_control_fields),
	},
};

const struct vmxcap_vmxcap_section vmxcap_vmxcap_sections[VMXCAP_NR_VMXCAP_SECTIONS] = {
	{ false, VMXCAP_FT_BASIC, true },
	{ true, VMXCAP_CTL_PIN, false },
	{ true, VMXCAP_CTL_PROC, false },
	{ true, VMXCAP_CTL_PROC2, false },
	{ true, VMXCAP_CTL_PROC3, false },
	{ true, VMXCAP_CTL_EXIT, false },
	{ true, VMXCAP_CTL_EXIT2, false },
	{ true, VMXCAP_CTL_ENTRY, false },
	{ false, VMXCAP_FT_MISC, true },
	{ false, VMXCAP_FT_EPT_VPID, true },
	{ true, VMXCAP_CTL_VMFUNC, true },
};

u64 vmxcap_field_unknown_bits(const struct vmxcap_field_table *t, u64 msr)
{
	u64 known = 0;
	unsigned int i;

	for (i = 0; i < t->nr_fields; i++) {
		const struct vmxcap_field *f = &t->fields[i];
		unsigned int width = f->hi - f->lo + 1;

		known |= (width >= 64 ? ~0ull : (1ull << width) - 1) << f->lo;
	}
	return msr & ~known;
}

size_t vmxcap_field_format(const struct vmxcap_field *f, u64 msr, bool verbose,
			   char *buf, size_t size)
{
	u64 v = vmxcap_field_value(f, msr);
	int n;

	switch (f->kind) {
	case VMXCAP_FIELD_FLAG:
		n = snprintf(buf, size, "%s", v ? "yes" : "no");
		break;
	case VMXCAP_FIELD_MEMTYPE:
		n = verbose ? snprintf(buf, size, "%llu (%s)", v,
				       vmxcap_memtype_name((unsigned int)v)) :
			      snprintf(buf, size, "%s",
				       vmxcap_memtype_name((unsigned int)v));
		break;
	case VMXCAP_FIELD_MSR_LIST:
		n = verbose ? snprintf(buf, size, "%llu (%u MSRs)", v,
				       vmxcap_misc_max_msr_list(msr)) :
			      snprintf(buf, size, "%u", vmxcap_misc_max_msr_list(msr));
		break;
	case VMXCAP_FIELD_TIMER_SHIFT:
		n = verbose ? snprintf(buf, size, "%llu (every %llu TSC ticks)", v,
				       1ull << v) :
			      snprintf(buf, size, "%llu", v);
		break;
	case VMXCAP_FIELD_VMCS_INDEX:
		n = verbose ? snprintf(buf, size, "%llu (0x%llx)", v, v) :
			      snprintf(buf, size, "0x%llx", v);
		break;
	default:
		n = snprintf(buf, size, "%llu", v);
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}

const char *vmxcap_memtype_name(unsigned int type)
{
	switch (type) {
	case 0:
		return "UC";
	case 6:
		return "WB";
	default:
		return "reserved";
	}
}

/* ---- CR0 / CR4 ------------------------------------------------------------ */

static const struct vmxcap_bit cr0_bits[] = {
	{ 0, "pe", "Protection Enable" },
	{ 1, "mp", "Monitor Coprocessor" },
	{ 2, "em", "Emulation" },
	{ 3, "ts", "Task Switched" },
	{ 4, "et", "Extension Type" },
	{ 5, "ne", "Numeric Error" },
	{ 16, "wp", "Write Protect" },
	{ 18, "am", "Alignment Mask" },
	{ 29, "nw", "Not Write-through" },
	{ 30, "cd", "Cache Disable" },
	{ 31, "pg", "Paging" },
};

static const struct vmxcap_bit cr4_bits[] = {
	{ 0, "vme", "Virtual-8086 Mode Extensions" },
	{ 1, "pvi", "Protected-Mode Virtual Interrupts" },
	{ 2, "tsd", "Time Stamp Disable" },
	{ 3, "de", "Debugging Extensions" },
	{ 4, "pse", "Page Size Extensions" },
	{ 5, "pae", "Physical Address Extension" },
	{ 6, "mce", "Machine-Check Enable" },
	{ 7, "pge", "Page Global Enable" },
	{ 8, "pce", "Performance-Monitoring Counter Enable" },
	{ 9, "osfxsr", "OS Support for FXSAVE and FXRSTOR" },
	{ 10, "osxmmexcpt", "OS Support for Unmasked SIMD Exceptions" },
	{ 11, "umip", "User-Mode Instruction Prevention" },
	{ 12, "la57", "57-bit Linear Addresses" },
	{ 13, "vmxe", "VMX Enable" },
	{ 14, "smxe", "SMX Enable" },
	{ 16, "fsgsbase", "FSGSBASE Enable" },
	{ 17, "pcide", "PCID Enable" },
	{ 18, "osxsave", "XSAVE and Processor Extended States Enable" },
	{ 19, "kl", "Key-Locker Enable" },
	{ 20, "smep", "SMEP Enable" },
	{ 21, "smap", "SMAP Enable" },
	{ 22, "pke", "Protection Keys for User-mode Pages" },
	{ 23, "cet", "Control-flow Enforcement Technology" },
	{ 24, "pks", "Protection Keys for Supervisor-mode Pages" },
	{ 25, "uintr", "User Interrupts Enable" },
	{ 27, "lass", "Linear-Address-Space Separation" },
	{ 28, "lam_sup", "Supervisor Linear-Address Masking" },
	{ 32, "fred", "Flexible Return and Event Delivery" },
};

const struct vmxcap_cr_info vmxcap_crs[VMXCAP_NR_CRS] = {
	[VMXCAP_CR0] = {
		.id = "cr0",
		.fixed0 = VMXCAP_CR0_FIXED0,
		.fixed1 = VMXCAP_CR0_FIXED1,
		.bits = cr0_bits,
		.nr_bits = ARRAY_LEN(cr0_bits),
	},
	[VMXCAP_CR4] = {
		.id = "cr4",
		.fixed0 = VMXCAP_CR4_FIXED0,
		.fixed1 = VMXCAP_CR4_FIXED1,
		.bits = cr4_bits,
		.nr_bits = ARRAY_LEN(cr4_bits),
	},
};

const struct vmxcap_bit *vmxcap_cr_bit_lookup(enum vmxcap_cr cr,
					      unsigned int bit)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	unsigned int i;

	for (i = 0; i < ci->nr_bits; i++)
		if (ci->bits[i].bit == bit)
			return &ci->bits[i];
	return NULL;
}

static bool cr_known(const struct vmxcap_raw *raw, enum vmxcap_cr cr)
{
	return vmxcap_has(raw, vmxcap_crs[cr].fixed0) &&
	       vmxcap_has(raw, vmxcap_crs[cr].fixed1);
}

enum vmxcap_state vmxcap_cr_state(const struct vmxcap_raw *raw,
				  enum vmxcap_cr cr, unsigned int bit)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];

	if (bit >= 64 || !cr_known(raw, cr))
		return VMXCAP_STATE_UNKNOWN;
	return vmxcap_classify((raw->val[ci->fixed0] >> bit) & 1,
			       (raw->val[ci->fixed1] >> bit) & 1);
}

u64 vmxcap_cr_unnamed_allowed(const struct vmxcap_raw *raw, enum vmxcap_cr cr)
{
	unsigned int bit;
	u64 mask = 0;

	for (bit = 0; bit < 64; bit++)
		if (vmxcap_state_allows1(vmxcap_cr_state(raw, cr, bit)) &&
		    !vmxcap_cr_bit_lookup(cr, bit))
			mask |= BIT_ULL(bit);
	return mask;
}

/* ---- the algorithms ------------------------------------------------------ */

static void adjust(u64 wanted, u64 must1, u64 may1,
		   struct vmxcap_adjustment *out)
{
	out->value = (wanted | must1) & may1;
	out->dropped = wanted & ~out->value;
	out->forced = out->value & ~wanted;
	out->exempted = 0;
}

bool vmxcap_adjust_ctl(const struct vmxcap_raw *raw, enum vmxcap_ctl_group g,
		       u64 wanted, struct vmxcap_adjustment *out)
{
	u64 must1, may1;

	if (!vmxcap_ctl_masks(raw, g, &must1, &may1))
		return false;
	if (vmxcap_ctl_groups[g].width == 32)
		wanted &= 0xffffffffull;
	adjust(wanted, must1, may1, out);
	return true;
}

#define CR0_PE BIT_ULL(0)
#define CR0_PG BIT_ULL(31)

bool vmxcap_adjust_cr(const struct vmxcap_raw *raw, enum vmxcap_cr cr,
		      u64 wanted, bool unrestricted_guest,
		      struct vmxcap_adjustment *out)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	u64 fixed0, exempt = 0;

	if (!cr_known(raw, cr))
		return false;
	fixed0 = raw->val[ci->fixed0];
	if (unrestricted_guest) {
		/* 26.8 / A.7: PE and PG may be 0 with "unrestricted guest". */
		enum vmxcap_state ug = vmxcap_ctl_state(raw, VMXCAP_CTL_PROC2,
							VMXCAP_PROC2_UNRESTRICTED_GUEST);

		if (cr != VMXCAP_CR0 || !vmxcap_state_allows1(ug))
			return false;
		exempt = fixed0 & (CR0_PE | CR0_PG);
		fixed0 &= ~exempt;
	}
	adjust(wanted, fixed0, raw->val[ci->fixed1], out);
	out->exempted = exempt & ~wanted;
	return true;
}

/* ---- IA32_FEATURE_CONTROL -------------------------------------------------- */

enum vmxcap_fc_verdict vmxcap_fc_verdict(const struct vmxcap_raw *raw)
{
	u64 fc = raw->val[VMXCAP_FEATURE_CONTROL];

	if (!vmxcap_has(raw, VMXCAP_FEATURE_CONTROL))
		return VMXCAP_FC_UNKNOWN;
	if (!(fc & VMXCAP_FC_LOCKED))
		return VMXCAP_FC_UNLOCKED;
	if (fc & VMXCAP_FC_VMX_OUTSIDE_SMX)
		return VMXCAP_FC_USABLE;
	if (fc & VMXCAP_FC_VMX_INSIDE_SMX)
		return VMXCAP_FC_SMX_ONLY;
	return VMXCAP_FC_DISABLED;
}

static const char * const fc_ids[VMXCAP_NR_FC_VERDICTS] = {
	[VMXCAP_FC_UNKNOWN] = "unknown",
	[VMXCAP_FC_USABLE] = "usable",
	[VMXCAP_FC_DISABLED] = "disabled_by_firmware",
	[VMXCAP_FC_SMX_ONLY] = "smx_only",
	[VMXCAP_FC_UNLOCKED] = "unlocked",
};

static const char * const fc_texts[VMXCAP_NR_FC_VERDICTS] = {
	[VMXCAP_FC_UNKNOWN] = "IA32_FEATURE_CONTROL was not read",
	[VMXCAP_FC_USABLE] = "VMX is enabled and locked: usable outside SMX",
	[VMXCAP_FC_DISABLED] =
		"VMX is disabled by firmware (IA32_FEATURE_CONTROL locked with VMX off): enable VT-x in the firmware setup",
	[VMXCAP_FC_SMX_ONLY] =
		"VMX is locked on only inside SMX (Intel TXT): VMXON outside SMX faults",
	[VMXCAP_FC_UNLOCKED] =
		"IA32_FEATURE_CONTROL is not locked: the OS will enable VMX and lock it",
};

const char *vmxcap_fc_verdict_id(enum vmxcap_fc_verdict v)
{
	return (unsigned int)v < VMXCAP_NR_FC_VERDICTS ? fc_ids[v] : "unknown";
}

const char *vmxcap_fc_verdict_text(enum vmxcap_fc_verdict v)
{
	return (unsigned int)v < VMXCAP_NR_FC_VERDICTS ? fc_texts[v] :
							  fc_texts[0];
}

/* ---- consistency ---------------------------------------------------------- */

static const struct {
	const char *id;
	const char *text;
} problems[VMXCAP_NR_PROBLEM_KINDS] = {
	[VMXCAP_PROB_MUST1_NOT_ALLOWED1] = { "must1_not_allowed1",
		"a control must be 1 (allowed-0 setting) but may not be 1 (allowed-1 setting)" },
	[VMXCAP_PROB_TRUE_ALLOWED1_DIFFERS] = { "true_allowed1_differs",
		"the TRUE MSR's allowed-1 settings differ from the legacy MSR's" },
	[VMXCAP_PROB_TRUE_MUST1_EXTRA] = { "true_must1_extra",
		"the TRUE MSR requires a control that the legacy MSR lets be 0" },
	[VMXCAP_PROB_FIXED0_NOT_IN_FIXED1] = { "fixed0_not_in_fixed1",
		"a CR bit is fixed to 1 (FIXED0) and to 0 (FIXED1) at once" },
	[VMXCAP_PROB_BASIC_BIT31] = { "basic_bit31_set",
		"IA32_VMX_BASIC bit 31 is set; the SDM says it is always 0" },
	[VMXCAP_PROB_GATED_OFF_PRESENT] = { "gated_off_present",
		"an MSR has a value although the capability that gates it says it does not exist" },
	[VMXCAP_PROB_REQUIRED_FAULTED] = { "required_faulted",
		"reading an MSR faulted although the capability that gates it says it exists" },
};

const char *vmxcap_problem_id(enum vmxcap_problem_kind k)
{
	return (unsigned int)k < VMXCAP_NR_PROBLEM_KINDS ? problems[k].id : "?";
}

const char *vmxcap_problem_text(enum vmxcap_problem_kind k)
{
	return (unsigned int)k < VMXCAP_NR_PROBLEM_KINDS ? problems[k].text : "?";
}

struct problem_sink {
	struct vmxcap_problem *out;
	unsigned int max, n;
};

static void report(struct problem_sink *s, enum vmxcap_problem_kind k,
		   enum vmxcap_msr m, unsigned int bit)
{
	if (s->n < s->max) {
		s->out[s->n].kind = (u8)k;
		s->out[s->n].msr = (u8)m;
		s->out[s->n].bit = (u8)bit;
	}
	s->n++;
}

/* Report each set bit of mask as a problem of kind k on MSR m. */
static void report_bits(struct problem_sink *s, enum vmxcap_problem_kind k,
			enum vmxcap_msr m, u64 mask)
{
	unsigned int bit;

	for (bit = 0; bit < 64; bit++)
		if ((mask >> bit) & 1)
			report(s, k, m, bit);
}

static void check_controls(const struct vmxcap_raw *raw, struct problem_sink *s)
{
	unsigned int g;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
		u64 v = raw->val[gi->msr], t;

		if (gi->allowed1_only || !vmxcap_has(raw, gi->msr))
			continue;
		report_bits(s, VMXCAP_PROB_MUST1_NOT_ALLOWED1, gi->msr,
			    (u32)v & ~(u32)(v >> 32));
		if (gi->true_msr == VMXCAP_NR_MSRS || !vmxcap_has(raw, gi->true_msr))
			continue;
		t = raw->val[gi->true_msr];
		report_bits(s, VMXCAP_PROB_MUST1_NOT_ALLOWED1, gi->true_msr,
			    (u32)t & ~(u32)(t >> 32));
		report_bits(s, VMXCAP_PROB_TRUE_ALLOWED1_DIFFERS, gi->true_msr,
			    (t >> 32) ^ (v >> 32));
		report_bits(s, VMXCAP_PROB_TRUE_MUST1_EXTRA, gi->true_msr,
			    (u32)t & ~(u32)v);
	}
}

unsigned int vmxcap_check(const struct vmxcap_raw *raw,
			  struct vmxcap_problem *out, unsigned int max)
{
	struct problem_sink s = { out, max, 0 };
	unsigned int m, cr;

	check_controls(raw, &s);
	for (cr = 0; cr < VMXCAP_NR_CRS; cr++) {
		const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];

		if (cr_known(raw, cr))
			report_bits(&s, VMXCAP_PROB_FIXED0_NOT_IN_FIXED1, ci->fixed0,
				    raw->val[ci->fixed0] & ~raw->val[ci->fixed1]);
	}
	if (vmxcap_has(raw, VMXCAP_BASIC) && (raw->val[VMXCAP_BASIC] >> 31) & 1)
		report(&s, VMXCAP_PROB_BASIC_BIT31, VMXCAP_BASIC, 31);
	for (m = 0; m < VMXCAP_NR_MSRS; m++) {
		enum vmxcap_existence e = vmxcap_msr_existence(raw, m);

		if (e == VMXCAP_ABSENT && vmxcap_has(raw, m))
			report(&s, VMXCAP_PROB_GATED_OFF_PRESENT, m,
			       VMXCAP_PROBLEM_NO_BIT);
		if (e == VMXCAP_EXISTS && (raw->faulted & VMXCAP_MSR_BIT(m)))
			report(&s, VMXCAP_PROB_REQUIRED_FAULTED, m,
			       VMXCAP_PROBLEM_NO_BIT);
	}
	return s.n;
}

/* ---- Linux's "vmx flags" ------------------------------------------------------ */

/* Linux's enum vmx_feature_leafs. */
enum { LX_MISC, LX_PRIMARY, LX_SECONDARY, LX_TERTIARY_LOW, LX_TERTIARY_HIGH };

/* Word-0 bits that Linux fills from outside the pin-based controls. */
#define LX_INVVPID	16
#define LX_EPT_X_ONLY	17
#define LX_EPT_AD	18
#define LX_EPT_1GB	19
#define LX_EPT_5LEVEL	20
#define LX_FLEXPRIORITY	24
#define LX_APICV	25
#define LX_VMFUNC_SHIFT	28

/* Bits of the controls Linux combines into the synthetic flags. */
#define PIN_POSTED_INTR		7
#define PROC_TPR_SHADOW		21
#define PROC2_VAPIC		0
#define PROC2_APIC_REG_VIRT	8
#define PROC2_VID		9

/* Word-0 names that are not control names, and the EPT bits they mirror. */
static const struct {
	u8 bit;		/* word-0 bit */
	s8 ept_bit;	/* IA32_VMX_EPT_VPID_CAP bit Linux copies, or -1 */
	u16 since;	/* first release naming it: VMXCAP_KVER() */
	const char *name;
} word0_flags[] = {
	{ LX_INVVPID, 32, 0, "invvpid" },	/* VPID half bit 0 */
	{ LX_EPT_X_ONLY, 0, 0, "ept_x_only" },
	{ LX_EPT_AD, 21, 0, "ept_ad" },
	{ LX_EPT_1GB, 17, 0, "ept_1gb" },
	{ LX_EPT_5LEVEL, 7, VMXCAP_KVER(6, 12), "ept_5level" },
	{ LX_FLEXPRIORITY, -1, 0, "flexpriority" },
	{ LX_APICV, -1, 0, "apicv" },
};

/*
 * Names whose visibility changed: hidden ("") in /proc/cpuinfo before the
 * release given.  Everything else in the tables has been shown since Linux
 * 5.8 introduced the line.  The releases are the first this project checked
 * (tests/unit/check-linux-bits.sh on Debian's 6.1, 6.12 and 7.3 headers):
 * 6.1 lacks ept_5level and hides ept_violation_ve, 6.12 shows both; the
 * release in between that changed them is not pinned down.
 */
static const struct {
	u8 word, bit;
	u16 since;
} linux_late_names[] = {
	{ LX_SECONDARY, 18, VMXCAP_KVER(6, 12) },	/* ept_violation_ve */
};

void vmxcap_linux_words(const struct vmxcap_raw *raw,
			u32 words[VMXCAP_LINUX_WORDS])
{
	u64 ept = vmxcap_has(raw, VMXCAP_EPT_VPID_CAP) ?
		  raw->val[VMXCAP_EPT_VPID_CAP] : 0;
	u64 vmfunc = vmxcap_has(raw, VMXCAP_VMFUNC) ? raw->val[VMXCAP_VMFUNC] : 0;
	u64 proc3 = vmxcap_has(raw, VMXCAP_PROCBASED3) ?
		    raw->val[VMXCAP_PROCBASED3] : 0;
	u32 pin = vmxcap_has(raw, VMXCAP_PINBASED) ?
		  raw->val[VMXCAP_PINBASED] >> 32 : 0;
	unsigned int i;

	/* Linux reads each MSR with rdmsr_safe(): absent reads as 0. */
	words[LX_PRIMARY] = vmxcap_has(raw, VMXCAP_PROCBASED) ?
			    raw->val[VMXCAP_PROCBASED] >> 32 : 0;
	words[LX_SECONDARY] = vmxcap_has(raw, VMXCAP_PROCBASED2) ?
			      raw->val[VMXCAP_PROCBASED2] >> 32 : 0;
	words[LX_TERTIARY_LOW] = (u32)proc3;
	words[LX_TERTIARY_HIGH] = proc3 >> 32;
	words[LX_MISC] = (pin & 0xffff) | (u32)(((vmfunc >> 32) & 0xf) << LX_VMFUNC_SHIFT);
	for (i = 0; i < ARRAY_LEN(word0_flags); i++)
		if (word0_flags[i].ept_bit >= 0 && ((ept >> word0_flags[i].ept_bit) & 1))
			words[LX_MISC] |= 1u << word0_flags[i].bit;
	if ((words[LX_PRIMARY] >> PROC_TPR_SHADOW) & 1) {
		u32 sec = words[LX_SECONDARY];

		if ((sec >> PROC2_VAPIC) & 1)
			words[LX_MISC] |= 1u << LX_FLEXPRIORITY;
		if (((sec >> PROC2_APIC_REG_VIRT) & 1) && ((sec >> PROC2_VID) & 1) &&
		    ((words[LX_MISC] >> PIN_POSTED_INTR) & 1))
			words[LX_MISC] |= 1u << LX_APICV;
	}
}

static bool shown_in(unsigned int word, unsigned int bit, unsigned int kver)
{
	unsigned int i;

	if (!kver)
		return true;
	for (i = 0; i < ARRAY_LEN(linux_late_names); i++)
		if (linux_late_names[i].word == word &&
		    linux_late_names[i].bit == bit)
			return kver >= linux_late_names[i].since;
	return true;
}

const char *vmxcap_linux_flag_name(unsigned int word, unsigned int bit,
				   unsigned int kver)
{
	const struct vmxcap_ctl *c = NULL;
	unsigned int i;

	if (word >= VMXCAP_LINUX_WORDS || bit >= 32)
		return NULL;
	switch (word) {
	case LX_MISC:
		if (bit < 16) {
			c = vmxcap_ctl_lookup(VMXCAP_CTL_PIN, bit);
			break;
		}
		if (bit >= LX_VMFUNC_SHIFT) {
			c = vmxcap_ctl_lookup(VMXCAP_CTL_VMFUNC, bit - LX_VMFUNC_SHIFT);
			break;
		}
		for (i = 0; i < ARRAY_LEN(word0_flags); i++)
			if (word0_flags[i].bit == bit)
				return !kver || kver >= word0_flags[i].since ?
				       word0_flags[i].name : NULL;
		return NULL;
	case LX_PRIMARY:
		c = vmxcap_ctl_lookup(VMXCAP_CTL_PROC, bit);
		break;
	case LX_SECONDARY:
		c = vmxcap_ctl_lookup(VMXCAP_CTL_PROC2, bit);
		break;
	case LX_TERTIARY_LOW:
		c = vmxcap_ctl_lookup(VMXCAP_CTL_PROC3, bit);
		break;
	default:
		c = vmxcap_ctl_lookup(VMXCAP_CTL_PROC3, bit + 32);
		break;
	}
	if (!c || !c->linux_flag || !shown_in(word, bit, kver))
		return NULL;
	return c->linux_flag;
}

bool vmxcap_linux_ctl_bit(enum vmxcap_ctl_group g, unsigned int bit,
			  unsigned int *word, unsigned int *lbit)
{
	switch (g) {
	case VMXCAP_CTL_PIN:
		if (bit >= 16)
			return false;
		*word = LX_MISC;
		*lbit = bit;
		return true;
	case VMXCAP_CTL_PROC:
		*word = LX_PRIMARY;
		break;
	case VMXCAP_CTL_PROC2:
		*word = LX_SECONDARY;
		break;
	case VMXCAP_CTL_PROC3:
		*word = bit < 32 ? LX_TERTIARY_LOW : LX_TERTIARY_HIGH;
		*lbit = bit % 32;
		return true;
	default:
		/*
		 * Exit and entry controls are not in the line; VM functions
		 * are, but from the wrong half of their MSR (vmxcap.h).
		 */
		return false;
	}
	if (bit >= 32)
		return false;
	*lbit = bit;
	return true;
}

int vmxcap_linux_field_bit(enum vmxcap_field_table_id t, unsigned int i)
{
	unsigned int k;

	if (t != VMXCAP_FT_EPT_VPID || i >= vmxcap_field_tables[t].nr_fields)
		return -1;
	for (k = 0; k < ARRAY_LEN(word0_flags); k++)
		if (word0_flags[k].ept_bit == vmxcap_field_tables[t].fields[i].lo)
			return word0_flags[k].bit;
	return -1;
}

bool vmxcap_linux_has_flags_line(const struct vmxcap_raw *raw, unsigned int kver)
{
	u32 words[VMXCAP_LINUX_WORDS];

	/* The line appeared in 5.8 ("x86/cpu: Print VMX flags in /proc/cpuinfo"). */
	if (kver && kver < VMXCAP_KVER(5, 8))
		return false;
	/* init_ia32_feat_ctl() clears VMX unless VMXON is allowed outside SMX. */
	if ((raw->faulted & VMXCAP_MSR_BIT(VMXCAP_FEATURE_CONTROL)) ||
	    vmxcap_fc_verdict(raw) == VMXCAP_FC_DISABLED ||
	    vmxcap_fc_verdict(raw) == VMXCAP_FC_SMX_ONLY)
		return false;
	vmxcap_linux_words(raw, words);
	return words[LX_MISC] != 0;
}

size_t vmxcap_linux_flags(const struct vmxcap_raw *raw, unsigned int kver,
			  char *buf, size_t size)
{
	u32 words[VMXCAP_LINUX_WORDS];
	unsigned int w, bit;
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	vmxcap_linux_words(raw, words);
	if (!words[LX_MISC])
		return 0;	/* Linux prints no "vmx flags" line then */
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++) {
		for (bit = 0; bit < 32; bit++) {
			const char *name;

			if (!((words[w] >> bit) & 1))
				continue;
			name = vmxcap_linux_flag_name(w, bit, kver);
			if (!name)
				continue;
			if (len) {
				if (len + 1 < size)
					buf[len] = ' ';
				len++;
			}
			for (; *name; name++, len++)
				if (len + 1 < size)
					buf[len] = *name;
		}
	}
	if (size)
		buf[len < size ? len : size - 1] = '\0';
	return len;
}
