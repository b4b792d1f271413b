// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the requirements of the hypervisors this project cannot
 * boot - Xen, bhyve, VirtualBox - as read in their sources (the versions
 * below; ../shared/notes/hypervisor-requirements.md and the review of it
 * list what was read).  Data only; hv.c evaluates it.  Their verdicts are
 * labelled as derived from the sources, not tested against the real thing.
 */
#include "hv.h"

/* Xen's vmx_init_vmcs_config(): non-TRUE MSRs, adjust_vmx_controls(). */
static const char *const xen_versions[] = { "4.17", "4.20", "4.21", NULL };
#define X417 1u
#define X420 2u
#define X421 4u
#define XALL 7u

#define XEN_INSUFFICIENT "VMX: CPU%u has insufficient %s (%08llx; requires %08llx)"

/*
 * The required | optional masks (4.20's immediates, 4.17's sources):
 * what the refusal line prints, and what an AP must compute as CPU0 did.
 * Secondary: every optional bit, conditional ones included (vmcs.c
 * 4.17:341-377, 4.20 base 0x4214344f).
 */
static const struct vs_hv_group_log xen_group_logs[] = {
	{ VMXCAP_CTL_PIN, XEN_INSUFFICIENT, "Pin-Based Exec Control", 0xa9 },
	{ VMXCAP_CTL_PROC, XEN_INSUFFICIENT, "CPU-Based Exec Control", 0xbabb968c },
	{ VMXCAP_CTL_EXIT, XEN_INSUFFICIENT, "VMExit Control", 0xac8200 },
	{ VMXCAP_CTL_PROC2, NULL, "Secondary Exec Control", 0xc21677ff },
	{ VMXCAP_CTL_ENTRY, NULL, "VMEntry Control", 0x1c000 },
	{ -1, NULL, NULL, 0 },
};

static const struct vs_hv_req xen_reqs[] = {
	{ "pinbased.ext_intr_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:291 4.20:279", 0, NULL, NULL },
	{ "pinbased.nmi_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:291 4.20:279", 0, NULL, NULL },
	{ "procbased.intr_window_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.tsc_offsetting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.hlt_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.invlpg_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.mwait_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.rdtsc_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.cr3_load_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.cr3_store_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.cr8_load_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.cr8_store_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.mov_dr_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.io_bitmaps", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "procbased.monitor_exiting", VS_NEED_1, XALL, "vmcs.c 4.17:299 4.20:287", 0, NULL, NULL },
	{ "exit.host_address_space_size", VS_NEED_1, XALL, "vmcs.c 4.17:462 4.20:451", 0, NULL, NULL },
	{ "exit.ack_intr_on_exit", VS_NEED_1, XALL, "vmcs.c 4.17:462 4.20:451", 0, NULL, NULL },
	{ "basic.vmcs_size", VS_NEED_LE, XALL, "vmcs.c 4.17:530 4.20:519", 4096, NULL, NULL },
	{ "basic.phys_addr_32bit", VS_NEED_EQ, XALL, "vmcs.c 4.17:595 4.20:583", 0, NULL, NULL },
	{ "basic.vmcs_memory_type", VS_NEED_EQ, XALL, "vmcs.c 4.17:603 4.20:591", 6, NULL, NULL },
};

/* What Xen then uses (vmx.c start_vmx(), hvm.c hvm_enable(), vmcs.c). */
static const struct vs_hv_use xen_uses[] = {
	{ "ept", XALL, { "procbased.secondary_controls", "procbased2.ept", "ept_vpid.ept_walk_4",
	  "ept_vpid.ept_memtype_wb", "ept_vpid.invept_all_context" },
	  "vmcs.c 4.17:409-412 4.20:398-401" },
	/* EPT needs INVLPG and CR3 exiting to be clearable (the TRUE MSR when it exists). */
	{ "_ept_exits_clearable", XALL, { "T0:procbased.invlpg_exiting", "T0:procbased.cr3_load_exiting",
	  "T0:procbased.cr3_store_exiting" }, "vmcs.c 4.17:428-444 4.20:417-427" },
	{ "hap", XALL, { "=ept", "=_ept_exits_clearable", "entry.load_pat" },
	  "vmx.c 4.17:2973 4.20:3011 (XSA-60: load PAT, unless force-ept)" },
	{ "unrestricted_guest", XALL, { "=hap", "procbased2.unrestricted_guest" },
	  "vmcs.c 4.17:1160-1165 (only HAP domains)" },
	{ "vpid", XALL, { "procbased.secondary_controls", "procbased2.vpid",
	  "ept_vpid.invvpid_all_context" }, "vmcs.c 4.17:420-421 4.20:409-410" },
	{ "pml", XALL, { "=hap", "procbased2.pml", "ept_vpid.ept_accessed_dirty" },
	  "vmcs.c 4.17:424-425 4.20:413-414 (not on Avoton, AVR41)" },
	{ "apicv", XALL, { "procbased.tpr_shadow", "procbased2.virtualize_apic_accesses",
	  "procbased2.apic_register_virt", "procbased2.virtual_intr_delivery" },
	  "vmcs.c 4.17:341-377 4.20:330-357" },
	{ "posted_interrupts", XALL, { "=apicv", "pinbased.posted_interrupts" },
	  "vmcs.c 4.17:474-475 4.20:463-464" },
	{ "vmcs_shadowing", XALL, { "procbased2.vmcs_shadowing", "misc.vmwrite_exit_info" },
	  "vmcs.c 4.17:341-377" },
	{ "tsc_scaling", XALL, { "procbased2.tsc_scaling" }, "vmcs.c 4.17:341-377" },
};

static const struct vs_hv_rules xen_rules = {
	.msrs = VS_HV_LEGACY,
	.reqs = xen_reqs, .nreqs = ARRAY_LEN(xen_reqs),
	.uses = xen_uses, .nuses = ARRAY_LEN(xen_uses),
	.group_logs = xen_group_logs,
	.no_vmx_log = NULL,	/* start_vmx() is never called: nothing VMX-specific */
	.fc_log = "CPU%u: VMX disabled by BIOS.",
	.basic_logs = { "VMX: CPU%u VMCS size is too big (%llu bytes)",
			"VMX: CPU%u limits VMX structure pointers to 32 bits",
			"VMX: CPU%u has unexpected VMCS access type %llu" },
	.refusal = "the boot CPU: Xen prints \"VMX: failed to initialise.\" and boots without HVM "
		   "(PV guests only; a PVH dom0 panics: \"Error creating d0: -22\"); another CPU: "
		   "\"CPUn: Failed to initialise HVM. Not coming online.\"",
	.ap_offline = true,
	.derived = "derived from Xen's sources (Debian 4.17.5+72 vmcs.c; 4.20.4+63 from its debug "
		   "information; 4.21 assumed as 4.20, not read), not run here",
};

/* bhyve's vmx_modinit(): vmx_set_ctlreg(), the TRUE MSR when BASIC[55]. */
static const char *const bhyve_versions[] = { "001345683da7", NULL };

static const struct vs_hv_group_log bhyve_group_logs[] = {
	{ VMXCAP_CTL_PROC, "vmx_modinit: processor does not support desired primary processor-based controls", NULL, 0 },
	{ VMXCAP_CTL_PROC2, "vmx_modinit: processor does not support desired secondary processor-based controls", NULL, 0 },
	{ VMXCAP_CTL_PIN, "vmx_modinit: processor does not support desired pin-based controls", NULL, 0 },
	{ VMXCAP_CTL_EXIT, "vmx_modinit: processor does not support desired exit controls", NULL, 0 },
	{ VMXCAP_CTL_ENTRY, "vmx_modinit: processor does not support desired entry controls", NULL, 0 },
	{ -1, NULL, NULL, 0 },
};

static const struct vs_hv_req bhyve_reqs[] = {
	/* In vmx_modinit()'s order: BASIC, primary, secondary, pin, exit, entry, EPT. */
	{ "basic.ins_outs_info", VS_NEED_1, 1, "vmx.c:696", 0, NULL, NULL },
	{ "procbased.secondary_controls", VS_NEED_1, 1, "vmx.c:87-95", 0, NULL, NULL },
	{ "procbased.mwait_exiting", VS_NEED_1, 1, "vmx.c:87-95", 0, NULL, NULL },
	{ "procbased.monitor_exiting", VS_NEED_1, 1, "vmx.c:87-95", 0, NULL, NULL },
	{ "procbased.uncond_io_exiting", VS_NEED_1, 1, "vmx.c:87-95", 0, NULL, NULL },
	{ "procbased.msr_bitmaps", VS_NEED_1, 1, "vmx.c:87-95", 0, NULL, NULL },
	{ "procbased.intr_window_exiting", VS_NEED_1, 1, "vmx.c:87-95", 0, NULL, NULL },
	{ "procbased.nmi_window_exiting", VS_NEED_1, 1, "vmx.c:87-95", 0, NULL, NULL },
	{ "procbased.cr8_load_exiting", VS_NEED_1, 1, "vmx.c:87-95", 0, NULL, NULL },
	{ "procbased.cr8_store_exiting", VS_NEED_1, 1, "vmx.c:87-95", 0, NULL, NULL },
	{ "procbased.cr3_load_exiting", VS_NEED_0, 1, "vmx.c:96-99", 0, NULL, NULL },
	{ "procbased.cr3_store_exiting", VS_NEED_0, 1, "vmx.c:96-99", 0, NULL, NULL },
	{ "procbased.io_bitmaps", VS_NEED_0, 1, "vmx.c:96-99", 0, NULL, NULL },
	{ "procbased2.ept", VS_NEED_1, 1, "vmx.c:101", 0, NULL, NULL },
	{ "pinbased.ext_intr_exiting", VS_NEED_1, 1, "vmx.c:77-80", 0, NULL, NULL },
	{ "pinbased.nmi_exiting", VS_NEED_1, 1, "vmx.c:77-80", 0, NULL, NULL },
	{ "pinbased.virtual_nmis", VS_NEED_1, 1, "vmx.c:77-80", 0, NULL, NULL },
	{ "exit.save_debug_controls", VS_NEED_1, 1, "vmx.c:104-109", 0, NULL, NULL },
	{ "exit.host_address_space_size", VS_NEED_1, 1, "vmx.c:104-109", 0, NULL, NULL },
	{ "exit.save_efer", VS_NEED_1, 1, "vmx.c:104-109", 0, NULL, NULL },
	{ "exit.load_efer", VS_NEED_1, 1, "vmx.c:104-109", 0, NULL, NULL },
	{ "exit.ack_intr_on_exit", VS_NEED_1, 1, "vmx.c:104-109", 0, NULL, NULL },
	{ "entry.load_debug_controls", VS_NEED_1, 1, "vmx.c:113-119", 0, NULL, NULL },
	{ "entry.load_efer", VS_NEED_1, 1, "vmx.c:113-119", 0, NULL, NULL },
	{ "entry.entry_to_smm", VS_NEED_0, 1, "vmx.c:113-119", 0, NULL, NULL },
	{ "entry.deactivate_dual_monitor", VS_NEED_0, 1, "vmx.c:113-119", 0, NULL, NULL },
	{ "ept_vpid.ept_walk_4", VS_NEED_1, 1, "ept.c:48-63 (ept_init() @0162500b7d2d)", 0, NULL, NULL },
	{ "ept_vpid.ept_memtype_wb", VS_NEED_1, 1, "ept.c:48-63", 0, NULL, NULL },
	{ "ept_vpid.invvpid", VS_NEED_1, 1, "ept.c:48-63", 0, NULL, NULL },
	{ "ept_vpid.invvpid_individual_address", VS_NEED_1, 1, "ept.c:48-63", 0, NULL, NULL },
	{ "ept_vpid.invvpid_single_context", VS_NEED_1, 1, "ept.c:48-63", 0, NULL, NULL },
	{ "ept_vpid.invvpid_all_context", VS_NEED_1, 1, "ept.c:48-63", 0, NULL, NULL },
	{ "ept_vpid.invvpid_single_context_globals", VS_NEED_1, 1, "ept.c:48-63", 0, NULL, NULL },
	{ "ept_vpid.invept", VS_NEED_1, 1, "ept.c:48-63", 0, NULL, NULL },
	{ "ept_vpid.invept_single_context", VS_NEED_1, 1, "ept.c:48-63", 0, NULL, NULL },
	{ "ept_vpid.invept_all_context", VS_NEED_1, 1, "ept.c:48-63", 0, NULL, NULL },
};

static const struct vs_hv_use bhyve_uses[] = {
	{ "vpid", 1, { "procbased2.vpid" }, "vmx.c:728-731" },
	{ "unrestricted_guest", 1, { "procbased2.unrestricted_guest" }, "vmx.c:829" },
	{ "tpr_shadow", 1, { "procbased.tpr_shadow" }, "vmx.c:841-858" },
	{ "virtual_interrupt_delivery", 1, { "=tpr_shadow", "procbased2.virtualize_apic_accesses",
	  "procbased2.virtualize_x2apic", "procbased2.apic_register_virt",
	  "procbased2.virtual_intr_delivery" }, "vmx.c:863-884" },
	{ "posted_interrupts", 1, { "=virtual_interrupt_delivery", "pinbased.posted_interrupts" },
	  "vmx.c:880-914" },
	{ "ept_2mb_pages", 1, { "ept_vpid.ept_2mb_pages" }, "ept.c:103-106" },
	{ "ept_hw_accessed_dirty", 1, { "ept_vpid.ept_accessed_dirty" }, "ept.c:108-113" },
	{ "hlt_exiting", 1, { "procbased.hlt_exiting" }, "vmx.c:769" },
	{ "pause_exiting", 1, { "procbased.pause_exiting" }, "vmx.c:779" },
};

static const struct vs_hv_rules bhyve_rules = {
	.msrs = VS_HV_TRUE_IF_BASIC55,
	.reqs = bhyve_reqs, .nreqs = ARRAY_LEN(bhyve_reqs),
	.uses = bhyve_uses, .nuses = ARRAY_LEN(bhyve_uses),
	.group_logs = bhyve_group_logs,
	.no_vmx_log = "vmx_modinit: processor does not support VMX operation",
	.fc_log = "vmx_modinit: VMX operation disabled by BIOS",
	.basic_log = "vmx_modinit: processor does not support desired basic capabilities",
	.cap_log = "vmx_modinit: ept initialization failed (22)",
	.refusal = "kldload vmm fails (EINVAL; ENXIO without VMX or with VMX locked off): no bhyve VMs",
	.derived = "derived from FreeBSD's sources (sys/amd64/vmm/intel/vmx.c @001345683da7, "
		   "vmx_msr.c and ept.c @0162500b7d2d), not run here",
};

/* VirtualBox ring-0 HM: non-TRUE fields, nested paging used when EPT is allowed. */
static const char *const vbox_versions[] = { "trunk", NULL };

#define VBOX_COMBO "VT-x setup failed: VERR_HM_UNSUPPORTED_CPU_FEATURE_COMBO"

static const struct vs_hv_group_log vbox_group_logs[] = {
	{ -1, VBOX_COMBO, NULL, 0 },	/* every group: the same error, the code in the log */
};

static const struct vs_hv_req vbox_reqs[] = {
	{ "basic.vmcs_size", VS_NEED_LE, 1, "hmR0VmxStructsAlloc() (VMX_UFC_INVALID_VMCS_SIZE 8)", 4096, NULL, NULL },
	{ "ept_vpid.invept", VS_NEED_1, 1, "hmR0VmxSetupTaggedTlb() @1d12c4a5 (UFC 13), with nested paging", 0, "procbased2.ept", NULL },
	{ "ept_vpid.invept_single_context|ept_vpid.invept_all_context", VS_NEED_1, 1,
	  "hmR0VmxSetupTaggedTlb() (UFC 11)", 0, "procbased2.ept", NULL },
	{ "ept_vpid.ept_memtype_wb", VS_NEED_1, 1, "hmR0VmxSetupTaggedTlb() (UFC 12)", 0, "procbased2.ept", NULL },
	{ "ept_vpid.ept_walk_4", VS_NEED_1, 1, "hmR0VmxSetupTaggedTlb() (UFC 14)", 0, "procbased2.ept", NULL },
	{ "pinbased.ext_intr_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsPinCtls() (UFC 1)", 0, NULL, NULL },
	{ "pinbased.nmi_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsPinCtls() (UFC 1)", 0, NULL, NULL },
	{ "procbased.mov_dr_exiting", VS_NEED_0, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 3)", 0, NULL, NULL },
	{ "procbased.hlt_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2)", 0, NULL, NULL },
	{ "procbased.tsc_offsetting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2)", 0, NULL, NULL },
	{ "procbased.mov_dr_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2)", 0, NULL, NULL },
	{ "procbased.uncond_io_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2)", 0, NULL, NULL },
	{ "procbased.rdpmc_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2)", 0, NULL, NULL },
	{ "procbased.monitor_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2)", 0, NULL, NULL },
	{ "procbased.mwait_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2)", 0, NULL, NULL },
	/* Without nested paging (no EPT) the guest's paging is shadowed: INVLPG and CR3 exits. */
	{ "procbased.invlpg_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2), without nested paging", 0, NULL, "procbased2.ept" },
	{ "procbased.cr3_load_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2), without nested paging", 0, NULL, "procbased2.ept" },
	{ "procbased.cr3_store_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2), without nested paging", 0, NULL, "procbased2.ept" },
	/* Without a TPR shadow, 64-bit guests need CR8 exits. */
	{ "procbased.cr8_load_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2), without TPR shadow", 0, NULL, "procbased.tpr_shadow" },
	{ "procbased.cr8_store_exiting", VS_NEED_1, 1, "hmR0VmxSetupVmcsProcCtls() (UFC 2), without TPR shadow", 0, NULL, "procbased.tpr_shadow" },
	/* At the first VM entry (vmxHCExportGuestEntryExitCtls()). */
	{ "entry.load_debug_controls", VS_NEED_1, 1, "vmxHCExportGuestEntryExitCtls() @31465d78 (UFC 4)", 0, NULL, NULL },
	{ "entry.ia32e_mode_guest", VS_NEED_1, 1, "vmxHCExportGuestEntryExitCtls() (UFC 4), 64-bit guests", 0, NULL, NULL },
	{ "exit.save_debug_controls", VS_NEED_1, 1, "vmxHCExportGuestEntryExitCtls() (UFC 5)", 0, NULL, NULL },
	{ "exit.host_address_space_size", VS_NEED_1, 1, "vmxHCExportGuestEntryExitCtls() (UFC 5)", 0, NULL, NULL },
};

static const struct vs_hv_use vbox_uses[] = {
	{ "nested_paging", 1, { "procbased.secondary_controls", "procbased2.ept", "ept_vpid.invept",
	  "ept_vpid.invept_single_context|ept_vpid.invept_all_context", "ept_vpid.ept_memtype_wb" },
	  "hmR0VmxSetupTaggedTlb()" },
	{ "unrestricted_guest", 1, { "=nested_paging", "procbased2.unrestricted_guest" }, "VMXR0SetupVM()" },
	{ "vpid", 1, { "procbased2.vpid", "ept_vpid.invvpid",
	  "ept_vpid.invvpid_single_context|ept_vpid.invvpid_all_context" }, "hmR0VmxSetupTaggedTlb()" },
	{ "preemption_timer", 1, { "pinbased.preemption_timer" }, "hmR0InitIntel() (UseVmxPreemptTimer)" },
	{ "efer_swapping", 1, { "entry.load_efer", "exit.load_efer", "exit.save_efer" }, "hmR0InitIntel()" },
	{ "virtual_nmis", 1, { "pinbased.virtual_nmis" }, "hmR0VmxSetupVmcsPinCtls()" },
	{ "tpr_shadow", 1, { "procbased.tpr_shadow" }, "hmR0VmxSetupVmcsProcCtls()" },
};

static const struct vs_hv_rules vbox_rules = {
	.msrs = VS_HV_LEGACY,
	.reqs = vbox_reqs, .nreqs = ARRAY_LEN(vbox_reqs),
	.uses = vbox_uses, .nuses = ARRAY_LEN(vbox_uses),
	.group_logs = vbox_group_logs,
	.no_vmx_log = "VT-x is not available",
	.fc_log = "VT-x is disabled in the BIOS",
	.basic_log = VBOX_COMBO,
	.cap_log = VBOX_COMBO,
	.refusal = "the VM does not start (with VT-x disabled or missing VirtualBox falls back to the host's NEM API where there is one)",
	.derived = "derived from VirtualBox's sources (HMR0VMX-x86.cpp @1d12c4a5b294, "
		   "HMR0-x86.cpp @040930e546f8, VMXAllTemplate.cpp.h @31465d786b40; the support "
		   "driver not read), not run here",
};

const struct vs_hv_profile vs_xen_profile = {
	.id = "xen", .name = "Xen", .versions = xen_versions, .evaluate = vs_hv_evaluate,
	.rules = &xen_rules,
};

const struct vs_hv_profile vs_bhyve_profile = {
	.id = "bhyve", .name = "bhyve (FreeBSD vmm)", .versions = bhyve_versions,
	.evaluate = vs_hv_evaluate, .rules = &bhyve_rules,
};

const struct vs_hv_profile vs_vbox_profile = {
	.id = "virtualbox", .name = "VirtualBox (VT-x)", .versions = vbox_versions,
	.evaluate = vs_hv_evaluate, .rules = &vbox_rules,
};
