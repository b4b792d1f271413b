// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: KVM's requirements, as Debian's kernels 6.1 (6.1.192-3),
 * 6.12 (6.12.95-1~bpo12+1) and 7.3 (7.3.4-1~bpo13+1) define them.  Data
 * only; kvm.c applies it in the order kvm_intel's setup_vmcs_config() and
 * hardware_setup() do.  Cites are file:line in each version's tree,
 * arch/x86/kvm/vmx/ unless said otherwise.
 */
#include "kvm.h"

const char *const vs_kvm_versions[] = { "6.1", "6.12", "7.3", NULL };

/* KVM_REQUIRED_VMX_* (VS_NEED_1) and KVM_OPTIONAL_VMX_* (VS_OPT), x86_64. */
const struct vs_hv_req vs_kvm_ctls[] = {
	{ "pinbased.ext_intr_exiting", VS_NEED_1, KALL, "vmx.h 6.1:546 6.12:538 7.3:507", 0, NULL, NULL },
	{ "pinbased.nmi_exiting", VS_NEED_1, KALL, "vmx.h 6.1:547 6.12:539 7.3:508", 0, NULL, NULL },
	{ "pinbased.virtual_nmis", VS_OPT, KALL, "vmx.h 6.1:549 6.12:541 7.3:510", 0, NULL, NULL },
	{ "pinbased.preemption_timer", VS_OPT, KALL, "vmx.h 6.1:551 6.12:543 7.3:512", 0, NULL, NULL },
	{ "pinbased.posted_interrupts", VS_OPT, KALL, "vmx.h 6.1:550 6.12:542 7.3:511", 0, NULL, NULL },
	{ "procbased.intr_window_exiting", VS_NEED_1, KALL, "vmx.h 6.1:564 6.12:556 7.3:525", 0, NULL, NULL },
	{ "procbased.tsc_offsetting", VS_NEED_1, KALL, "vmx.h 6.1:559 6.12:551 7.3:520", 0, NULL, NULL },
	{ "procbased.hlt_exiting", VS_NEED_1, KALL, "vmx.h 6.1:554 6.12:546 7.3:515", 0, NULL, NULL },
	{ "procbased.invlpg_exiting", VS_NEED_1, KALL, "vmx.h 6.1:562 6.12:554 7.3:523", 0, NULL, NULL },
	{ "procbased.mwait_exiting", VS_NEED_1, KALL, "vmx.h 6.1:560 6.12:552 7.3:521", 0, NULL, NULL },
	{ "procbased.rdpmc_exiting", VS_NEED_1, KALL, "vmx.h 6.1:563 6.12:555 7.3:524", 0, NULL, NULL },
	{ "procbased.rdtsc_exiting", VS_OPT, KALL, "vmx.h 6.1:577 6.12:569 7.3:538", 0, NULL, NULL },
	{ "procbased.cr3_load_exiting", VS_NEED_1, KALL, "vmx.h 6.1:555 6.12:547 7.3:516", 0, NULL, NULL },
	{ "procbased.cr3_store_exiting", VS_NEED_1, KALL, "vmx.h 6.1:556 6.12:548 7.3:517", 0, NULL, NULL },
	{ "procbased.tertiary_controls", VS_OPT, KALL, "vmx.h 6.1:585 6.12:577 7.3:546", 0, NULL, NULL },
	{ "procbased.cr8_load_exiting", VS_NEED_1, KALL, "vmx.h 6.1:569 6.12:561 7.3:530", 0, NULL, NULL },
	{ "procbased.cr8_store_exiting", VS_NEED_1, KALL, "vmx.h 6.1:570 6.12:562 7.3:531", 0, NULL, NULL },
	{ "procbased.tpr_shadow", VS_OPT, KALL, "vmx.h 6.1:578 6.12:570 7.3:539", 0, NULL, NULL },
	{ "procbased.nmi_window_exiting", VS_OPT, KALL, "vmx.h 6.1:582 6.12:574 7.3:543", 0, NULL, NULL },
	{ "procbased.mov_dr_exiting", VS_NEED_1, KALL, "vmx.h 6.1:558 6.12:550 7.3:519", 0, NULL, NULL },
	{ "procbased.uncond_io_exiting", VS_NEED_1, KALL, "vmx.h 6.1:557 6.12:549 7.3:518", 0, NULL, NULL },
	{ "procbased.io_bitmaps", VS_OPT, KALL, "vmx.h 6.1:579 6.12:571 7.3:540", 0, NULL, NULL },
	{ "procbased.monitor_trap_flag", VS_OPT, KALL, "vmx.h 6.1:580 6.12:572 7.3:541", 0, NULL, NULL },
	{ "procbased.msr_bitmaps", VS_OPT, KALL, "vmx.h 6.1:581 6.12:573 7.3:542", 0, NULL, NULL },
	{ "procbased.monitor_exiting", VS_NEED_1, KALL, "vmx.h 6.1:561 6.12:553 7.3:522", 0, NULL, NULL },
	{ "procbased.pause_exiting", VS_OPT, KALL, "vmx.h 6.1:583 6.12:575 7.3:544", 0, NULL, NULL },
	{ "procbased.secondary_controls", VS_OPT, KALL, "vmx.h 6.1:584 6.12:576 7.3:545", 0, NULL, NULL },
	{ "procbased2.virtualize_apic_accesses", VS_OPT, KALL, "vmx.h 6.1:589 6.12:581 7.3:550", 0, NULL, NULL },
	{ "procbased2.ept", VS_OPT, KALL, "vmx.h 6.1:593 6.12:585 7.3:554", 0, NULL, NULL },
	{ "procbased2.descriptor_table_exiting", VS_OPT, KALL, "vmx.h 6.1:596 6.12:588 7.3:557", 0, NULL, NULL },
	{ "procbased2.rdtscp", VS_OPT, KALL, "vmx.h 6.1:597 6.12:589 7.3:558", 0, NULL, NULL },
	{ "procbased2.virtualize_x2apic", VS_OPT, KALL, "vmx.h 6.1:590 6.12:582 7.3:551", 0, NULL, NULL },
	{ "procbased2.vpid", VS_OPT, KALL, "vmx.h 6.1:592 6.12:584 7.3:553", 0, NULL, NULL },
	{ "procbased2.wbinvd_exiting", VS_OPT, KALL, "vmx.h 6.1:591 6.12:583 7.3:552", 0, NULL, NULL },
	{ "procbased2.unrestricted_guest", VS_OPT, KALL, "vmx.h 6.1:594 6.12:586 7.3:555", 0, NULL, NULL },
	{ "procbased2.apic_register_virt", VS_OPT, KALL, "vmx.h 6.1:599 6.12:591 7.3:560", 0, NULL, NULL },
	{ "procbased2.virtual_intr_delivery", VS_OPT, KALL, "vmx.h 6.1:600 6.12:592 7.3:561", 0, NULL, NULL },
	{ "procbased2.pause_loop_exiting", VS_OPT, KALL, "vmx.h 6.1:595 6.12:587 7.3:556", 0, NULL, NULL },
	{ "procbased2.rdrand_exiting", VS_OPT, KALL, "vmx.h 6.1:604 6.12:596 7.3:565", 0, NULL, NULL },
	{ "procbased2.invpcid", VS_OPT, KALL, "vmx.h 6.1:598 6.12:590 7.3:559", 0, NULL, NULL },
	{ "procbased2.vm_functions", VS_OPT, KALL, "vmx.h 6.1:610 6.12:602 7.3:571", 0, NULL, NULL },
	{ "procbased2.vmcs_shadowing", VS_OPT, KALL, "vmx.h 6.1:601 6.12:593 7.3:562", 0, NULL, NULL },
	{ "procbased2.encls_exiting", VS_OPT, KALL, "vmx.h 6.1:613 6.12:605 7.3:575", 0, NULL, NULL },
	{ "procbased2.rdseed_exiting", VS_OPT, KALL, "vmx.h 6.1:603 6.12:595 7.3:564", 0, NULL, NULL },
	{ "procbased2.pml", VS_OPT, KALL, "vmx.h 6.1:605 6.12:597 7.3:566", 0, NULL, NULL },
	{ "procbased2.ept_violation_ve", VS_OPT, K612|K73, "vmx.h 6.12:606 7.3:576", 0, NULL, NULL },
	{ "procbased2.pt_conceal_vmx", VS_OPT, KALL, "vmx.h 6.1:609 6.12:601 7.3:570", 0, NULL, NULL },
	{ "procbased2.xsaves", VS_OPT, KALL, "vmx.h 6.1:602 6.12:594 7.3:563", 0, NULL, NULL },
	{ "procbased2.mode_based_ept_exec", VS_OPT, K73, "vmx.h 7.3:574", 0, NULL, NULL },
	{ "procbased2.pt_uses_gpa", VS_OPT, KALL, "vmx.h 6.1:608 6.12:600 7.3:569", 0, NULL, NULL },
	{ "procbased2.tsc_scaling", VS_OPT, KALL, "vmx.h 6.1:606 6.12:598 7.3:567", 0, NULL, NULL },
	{ "procbased2.user_wait_pause", VS_OPT, KALL, "vmx.h 6.1:607 6.12:599 7.3:568", 0, NULL, NULL },
	{ "procbased2.bus_lock_detection", VS_OPT, KALL, "vmx.h 6.1:611 6.12:603 7.3:572", 0, NULL, NULL },
	{ "procbased2.instruction_timeout", VS_OPT, KALL, "vmx.h 6.1:612 6.12:604 7.3:573", 0, NULL, NULL },
	{ "procbased3.ipi_virtualization", VS_OPT, KALL, "vmx.h 6.1:617 6.12:610 7.3:580", 0, NULL, NULL },
	{ "exit.save_debug_controls", VS_NEED_1, KALL, "vmx.h 6.1:524 6.12:516 7.3:483", 0, NULL, NULL },
	{ "exit.host_address_space_size", VS_NEED_1, KALL, "vmx.h 6.1:529 6.12:521 7.3:488", 0, NULL, NULL },
	{ "exit.load_perf_global_ctrl", VS_OPT, KALL, "vmx.h 6.1:535 6.12:527 7.3:494", 0, NULL, NULL },
	{ "exit.ack_intr_on_exit", VS_NEED_1, KALL, "vmx.h 6.1:525 6.12:517 7.3:484", 0, NULL, NULL },
	{ "exit.save_pat", VS_OPT, KALL, "vmx.h 6.1:536 6.12:528 7.3:495", 0, NULL, NULL },
	{ "exit.load_pat", VS_OPT, KALL, "vmx.h 6.1:537 6.12:529 7.3:496", 0, NULL, NULL },
	{ "exit.save_efer", VS_OPT, KALL, "vmx.h 6.1:538 6.12:530 7.3:497", 0, NULL, NULL },
	{ "exit.load_efer", VS_OPT, KALL, "vmx.h 6.1:540 6.12:532 7.3:499", 0, NULL, NULL },
	{ "exit.save_preemption_timer", VS_OPT, KALL, "vmx.h 6.1:539 6.12:531 7.3:498", 0, NULL, NULL },
	{ "exit.clear_bndcfgs", VS_OPT, KALL, "vmx.h 6.1:541 6.12:533 7.3:500", 0, NULL, NULL },
	{ "exit.pt_conceal_exit", VS_OPT, KALL, "vmx.h 6.1:542 6.12:534 7.3:501", 0, NULL, NULL },
	{ "exit.clear_rtit_ctl", VS_OPT, KALL, "vmx.h 6.1:543 6.12:535 7.3:502", 0, NULL, NULL },
	{ "exit.load_cet_state", VS_OPT, K73, "vmx.h 7.3:503", 0, NULL, NULL },
	{ "exit.save_perf_global_ctrl", VS_OPT, K73, "vmx.h 7.3:504", 0, NULL, NULL },
	{ "entry.load_debug_controls", VS_NEED_1, KALL, "vmx.h 6.1:506 6.12:498 7.3:464", 0, NULL, NULL },
	{ "entry.ia32e_mode_guest", VS_NEED_1, KALL, "vmx.h 6.1:510 6.12:502 7.3:468", 0, NULL, NULL },
	{ "entry.load_perf_global_ctrl", VS_OPT, KALL, "vmx.h 6.1:516 6.12:508 7.3:474", 0, NULL, NULL },
	{ "entry.load_pat", VS_OPT, KALL, "vmx.h 6.1:517 6.12:509 7.3:475", 0, NULL, NULL },
	{ "entry.load_efer", VS_OPT, KALL, "vmx.h 6.1:518 6.12:510 7.3:476", 0, NULL, NULL },
	{ "entry.load_bndcfgs", VS_OPT, KALL, "vmx.h 6.1:519 6.12:511 7.3:477", 0, NULL, NULL },
	{ "entry.pt_conceal_entry", VS_OPT, KALL, "vmx.h 6.1:520 6.12:512 7.3:478", 0, NULL, NULL },
	{ "entry.load_rtit_ctl", VS_OPT, KALL, "vmx.h 6.1:521 6.12:513 7.3:479", 0, NULL, NULL },
	{ "entry.load_cet_state", VS_OPT, K73, "vmx.h 7.3:480", 0, NULL, NULL },
};
const size_t vs_kvm_nctls = ARRAY_LEN(vs_kvm_ctls);

/*
 * setup_vmcs_config()'s clearing of computed controls, in its order; the
 * condition's key (when any) is a computed control or a raw EPT/VPID
 * capability bit that must be set for the control to stay.
 */
const struct vs_kvm_clear vs_kvm_clears[] = {
	{ "procbased2.ept_violation_ve", K612 | K73, VS_KC_ALWAYS, NULL,
	  "vmx.c 6.12:2633 7.3:2791 (Debian: CONFIG_KVM_INTEL_PROVE_VE unset)" },
	{ "procbased2.apic_register_virt", KALL, VS_KC_UNLESS, "procbased.tpr_shadow",
	  "vmx.c 6.1:2680 6.12:2642 7.3:2800" },
	{ "procbased2.virtualize_x2apic", KALL, VS_KC_UNLESS, "procbased.tpr_shadow",
	  "vmx.c 6.1:2680 6.12:2642 7.3:2800" },
	{ "procbased2.virtual_intr_delivery", KALL, VS_KC_UNLESS, "procbased.tpr_shadow",
	  "vmx.c 6.1:2680 6.12:2642 7.3:2800" },
	{ "procbased2.mode_based_ept_exec", K73, VS_KC_UNLESS, "ept_vpid.ept_advanced_exit_info",
	  "vmx.c 7.3:2840" },
	{ "procbased2.encls_exiting", KALL, VS_KC_SGX, NULL,
	  "vmx.c 6.1:2710 6.12:2673 7.3:2843 (cpu_has_sgx(): raw CPUID.12H:EAX[0])" },
	{ "pinbased.preemption_timer", KALL, VS_KC_TIMER_ERRATUM, NULL,
	  "vmx.c 6.1:2730 6.12:2693 7.3:2863 (vmx_preemption_cpu_tfms[] 6.1:593 6.12:626 7.3:726)" },
	{ "pinbased.posted_interrupts", KALL, VS_KC_UNLESS, "procbased2.virtual_intr_delivery",
	  "vmx.c 6.1:2732 6.12:2695 7.3:2865" },
	/* After the entry/exit pairs; 6.1 drops them only when it builds a VMCS. */
	{ "entry.load_perf_global_ctrl", K612 | K73, VS_KC_PERF_ERRATUM, NULL,
	  "vmx.c 6.12:2728 7.3:2885" },
	{ "exit.load_perf_global_ctrl", K612 | K73, VS_KC_PERF_ERRATUM, NULL,
	  "vmx.c 6.12:2728 7.3:2885" },
};
const size_t vs_kvm_nclears = ARRAY_LEN(vs_kvm_clears);

/* vmcs_entry_exit_pairs[]: both allowed or neither. */
const struct vs_kvm_pair vs_kvm_pairs[] = {
	{ "entry.load_perf_global_ctrl", "exit.load_perf_global_ctrl", KALL },
	{ "entry.load_pat", "exit.load_pat", KALL },
	{ "entry.load_efer", "exit.load_efer", KALL },
	{ "entry.load_bndcfgs", "exit.clear_bndcfgs", KALL },
	{ "entry.load_rtit_ctl", "exit.clear_rtit_ctl", KALL },
	{ "entry.load_cet_state", "exit.load_cet_state", K73 },
};
const size_t vs_kvm_npairs = ARRAY_LEN(vs_kvm_pairs);
const char vs_kvm_pairs_cite[] = "vmx.c 6.1:2652 6.12:2611 7.3:2768";

/* IA32_VMX_BASIC checks after the controls: each refuses the load, silently. */
const struct vs_hv_req vs_kvm_basic[] = {
	{ "basic.vmcs_size", VS_NEED_LE, KALL, "vmx.c 6.1:2762 6.12:2746 7.3:2903", 4096, NULL, NULL },
	{ "basic.phys_addr_32bit", VS_NEED_EQ, KALL, "vmx.c 6.1:2767 6.12:2755 7.3:2912", 0, NULL, NULL },
	{ "basic.vmcs_memory_type", VS_NEED_EQ, KALL, "vmx.c 6.1:2772 6.12:2760 7.3:2917", 6, NULL, NULL },
};
const size_t vs_kvm_nbasic = ARRAY_LEN(vs_kvm_basic);

/*
 * CPUID.1:EAX values (bits 15:14 and 31:28 cleared) whose VMX-preemption
 * timer KVM does not trust: vmx_preemption_cpu_tfms[], the same in all three.
 */
const unsigned int vs_kvm_timer_tfms[] = {
	0x000206E6, 0x00020652, 0x00020655, 0x000106E5, 0x000106A0,
	0x000106A1, 0x000106A4, 0x000106A5, 0x000306A8,
};
const size_t vs_kvm_ntimer_tfms = ARRAY_LEN(vs_kvm_timer_tfms);

/*
 * Family 6 models whose VM exits may clear IA32_PERF_GLOBAL_CTRL[34:32]
 * (Nehalem-EP, Nehalem, Westmere, Westmere-EP, Nehalem-EX): 6.1
 * cpu_has_perf_global_ctrl_bug() vmx.c:2585, 6.12 vmx.c:2728, 7.3 :2885.
 */
const unsigned int vs_kvm_perf_models[] = { 0x1a, 0x1e, 0x25, 0x2c, 0x2e };
const size_t vs_kvm_nperf_models = ARRAY_LEN(vs_kvm_perf_models);

/*
 * kvm_intel's capability-derived parameters, in the order hardware_setup()
 * derives them: each stays as given (default: dflt) only while every term
 * of needs holds.  A term is a computed control or a raw capability bit
 * (GROUP.ID / TABLE.ID), "a|b" either, "=name" another parameter, "timer"
 * the preemption timer's frequency rule.  when: evaluated only when that
 * parameter is on (enable_shadow_vmcs: only with nested=1).
 */
const struct vs_kvm_param vs_kvm_params[] = {
	{ "vpid", KALL, false, 1, { "procbased2.vpid", "ept_vpid.invvpid",
	  "ept_vpid.invvpid_single_context|ept_vpid.invvpid_all_context" }, NULL,
	  "vmx.c 6.1:8404 6.12:8423 7.3:8674" },
	{ "ept", KALL, false, 1, { "procbased2.ept", "ept_vpid.ept_walk_4",
	  "ept_vpid.ept_memtype_wb", "ept_vpid.invept_all_context" }, NULL,
	  "vmx.c 6.1:8410 6.12:8429 7.3:8680" },
	{ "cet", K73, false, 1, { "entry.load_cet_state" }, NULL, "vmx.c 7.3:8683" },
	{ "eptad", KALL, false, 1, { "=ept", "ept_vpid.ept_accessed_dirty" }, NULL,
	  "vmx.c 6.1:8419 6.12:8438 7.3:8700" },
	{ "mbec", K73, false, 1, { "=ept", "procbased2.mode_based_ept_exec" }, NULL,
	  "vmx.c 7.3:8702" },
	{ "unrestricted_guest", KALL, false, 1, { "=ept", "procbased2.unrestricted_guest" }, NULL,
	  "vmx.c 6.1:8422 6.12:8441 7.3:8705" },
	{ "flexpriority", KALL, false, 1, { "procbased.tpr_shadow",
	  "procbased2.virtualize_apic_accesses" }, NULL, "vmx.c 6.1:8425 6.12:8444 7.3:8708" },
	{ "vnmi", KALL, false, 1, { "pinbased.virtual_nmis", "procbased.nmi_window_exiting" }, NULL,
	  "vmx.c 6.1:8428 6.12:8447 7.3:8711" },
	{ "sgx", KALL, false, 1, { "procbased2.encls_exiting" }, NULL,
	  "vmx.c 6.1:8432 6.12:8451 7.3:8715 (module_param_named(sgx, ...) sgx.c 6.1:14 6.12:14 7.3:16)" },
	{ "ple_gap", KALL, true, 128, { "procbased2.pause_loop_exiting" }, NULL,
	  "vmx.c 6.1:8456 6.12:8474 7.3:8738" },
	{ "ple_window", KALL, true, 4096, { "procbased2.pause_loop_exiting" }, NULL,
	  "vmx.c 6.1:8457 6.12:8475 7.3:8739" },
	{ "ple_window_grow", KALL, true, 2, { "procbased2.pause_loop_exiting" }, NULL,
	  "vmx.c 6.1:8458 6.12:8476 7.3:8740" },
	{ "ple_window_max", KALL, true, 4294967295ll, { "procbased2.pause_loop_exiting" }, NULL,
	  "vmx.c 6.1:8459 6.12:8477 7.3:8741" },
	{ "ple_window_shrink", KALL, true, 0, { "procbased2.pause_loop_exiting" }, NULL,
	  "vmx.c 6.1:8460 6.12:8478 7.3:8742" },
	{ "enable_apicv", KALL, false, 1, { "procbased2.apic_register_virt",
	  "procbased2.virtual_intr_delivery", "pinbased.posted_interrupts" }, NULL,
	  "vmx.c 6.1:8464 6.12:8482 7.3:8746 (the variable lives in kvm.ko)" },
	{ "enable_ipiv", KALL, false, 1, { "=enable_apicv", "procbased3.ipi_virtualization" }, NULL,
	  "vmx.c 6.1:8469 6.12:8487 7.3:8751" },
	{ "pml", KALL, false, 1, { "=ept", "=eptad", "procbased2.pml" }, NULL,
	  "vmx.c 6.1:8499 6.12:8517 7.3:8782" },
	{ "preemption_timer", KALL, false, 1, { "pinbased.preemption_timer", "timer" }, NULL,
	  "vmx.c 6.1:8505 6.12:8523 7.3:8316 (vmx_setup_preemption_timer())" },
	{ "nested", KALL, false, 1, { NULL }, NULL, "vmx.c 6.1:119 6.12:125 7.3:136" },
	{ "enable_shadow_vmcs", KALL, false, 1, { "misc.vmwrite_exit_info",
	  "procbased2.vmcs_shadowing" }, "nested", "nested.c 6.1:7087 6.12:7276 7.3:7441" },
	{ "error_on_inconsistent_vmcs_config", KALL, false, 1, { NULL }, NULL,
	  "vmx.c 6.1:125 6.12:131 7.3:142" },
};
const size_t vs_kvm_nparams = ARRAY_LEN(vs_kvm_params);

/* What kvm_intel prints for each refusal ("" for nothing), per version. */
const struct vs_kvm_log vs_kvm_logs[VS_KVM_NR_LOGS] = {
	[VS_KL_NO_VMX] = { { "kvm: no hardware support for 'kvm_intel'",
			     "kvm_intel: VMX not supported by CPU %u",
			     "kvm_intel: VMX not supported by CPU %u" }, "EOPNOTSUPP",
			   "x86.c 6.1:9460, vmx.c 6.12:2787 7.3:2944" },
	[VS_KL_NO_FEAT_CTL] = { { "kvm: support for 'kvm_intel' disabled by bios",
				  "kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU %u",
				  "kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU %u" },
				"EOPNOTSUPP", "x86.c 6.1:9465, vmx.c 6.12:2793 7.3:2949" },
	[VS_KL_VMX_CLEARED] = { { "kvm: support for 'kvm_intel' disabled by bios",
				  "kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU %u",
				  "kvm_intel: VMX not fully enabled on CPU %u.  Check kernel logs and/or BIOS" },
				"EOPNOTSUPP", "x86.c 6.1:9465, vmx.c 6.12:2793 7.3:2954" },
	[VS_KL_SILENT] = { { "", "", "" }, "EIO", "vmx.c 6.1:2631 6.12:2590 7.3:2747" },
	[VS_KL_EPT_CAP] = { { "EPT CAP should not exist if not support 1-setting enable EPT VM-execution control",
			      "kvm_intel: EPT CAP should not exist if not support 1-setting enable EPT VM-execution control",
			      "kvm_intel: EPT CAP should not exist if not support 1-setting enable EPT VM-execution control" },
			    "EIO", "vmx.c 6.1:2691 6.12:2653 7.3:2812" },
	[VS_KL_VPID_CAP] = { { "VPID CAP should not exist if not support 1-setting enable VPID VM-execution control",
			       "kvm_intel: VPID CAP should not exist if not support 1-setting enable VPID VM-execution control",
			       "kvm_intel: VPID CAP should not exist if not support 1-setting enable VPID VM-execution control" },
			     "EIO", "vmx.c 6.1:2701 6.12:2664 7.3:2824" },
	[VS_KL_PAIR] = { { "Inconsistent VM-Entry/VM-Exit pair, entry = %llx, exit = %llx",
			   "kvm_intel: Inconsistent VM-Entry/VM-Exit pair, entry = %llx, exit = %llx",
			   "kvm_intel: Inconsistent VM-Entry/VM-Exit pair, entry = %llx (%llx), exit = %llx (%llx)" },
			 "EIO", "vmx.c 6.1:2749 6.12:2712 7.3:2733" },
	[VS_KL_VMCS_SIZE] = { { "", "",
				"kvm_intel: VMX not fully enabled on CPU %u.  Check kernel logs and/or BIOS" },
			      "EIO", "vmx.c 6.1:2762 6.12:2746, arch/x86/virt/hw.c 7.3:184" },
	[VS_KL_NO_NX] = { { "kvm: NX (Execute Disable) not supported",
			    "kvm_intel: NX (Execute Disable) not supported",
			    "kvm_intel: NX (Execute Disable) not supported" }, "EOPNOTSUPP",
			  "vmx.c 6.1:8414 6.12:8433 7.3:8687" },
	[VS_KL_CPU_SETUP] = { { "", "kvm_intel: Failed to setup VMCS config on CPU %u",
				"kvm_intel: Failed to setup VMCS config on CPU %u" }, "EIO",
			      "vmx.c 6.1:7515 6.12:2821 7.3:2982" },
	[VS_KL_CPU_DIFF] = { { "kvm: CPU %u feature inconsistency!",
			       "kvm_intel: Inconsistent VMCS config on CPU %u",
			       "kvm_intel: VMCS config on CPU %u doesn't match reference config:" },
			     "EIO", "vmx.c 6.1:7531 6.12:2827 7.3:2995" },
	[VS_KL_PERF_BUG] = { { "kvm: VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL does not work properly. Using workaround",
			       "kvm_intel: VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL does not work properly. Using workaround",
			       "kvm_intel: VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL does not work properly. Using workaround" },
			     NULL, "vmx.c 6.1:8388 6.12:2737 7.3:2894" },
};
