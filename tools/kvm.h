/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM (kvm_intel) as Debian's kernels 6.1, 6.12 and 7.3 build it: its
 * rules (kvm-rules.c), its model of a CPU (kvm.c: setup_vmcs_config(),
 * hardware_setup(), the per-CPU comparison), the nested view it offers
 * L1 guests (kvm-nested.c) and the running module (kvm-live.c).
 */
#ifndef VMXCAP_TOOLS_KVM_H
#define VMXCAP_TOOLS_KVM_H

#include "hv.h"

/* Versions: indexes into vs_kvm_versions; masks of them in the rules. */
enum { VS_KVM_6_1, VS_KVM_6_12, VS_KVM_7_3, VS_KVM_NR };
#define K61	(1u << VS_KVM_6_1)
#define K612	(1u << VS_KVM_6_12)
#define K73	(1u << VS_KVM_7_3)
#define KALL	(K61 | K612 | K73)

extern const char *const vs_kvm_versions[];

/* ---- the rules (kvm-rules.c) ----------------------------------------------- */

extern const struct vs_hv_req vs_kvm_ctls[];
extern const size_t vs_kvm_nctls;

enum vs_kvm_clear_cond {
	VS_KC_ALWAYS,		/* always cleared (a Kconfig choice) */
	VS_KC_UNLESS,		/* cleared unless key2 (computed control or raw cap bit) */
	VS_KC_SGX,		/* cleared unless CPUID.12H reports SGX */
	VS_KC_TIMER_ERRATUM,	/* cleared on the CPUs of vs_kvm_timer_tfms */
	VS_KC_PERF_ERRATUM,	/* cleared on the models of vs_kvm_perf_models */
};

struct vs_kvm_clear {
	const char *key;	/* the control cleared */
	unsigned char versions;
	unsigned char cond;	/* enum vs_kvm_clear_cond */
	const char *key2;
	const char *cite;
};

extern const struct vs_kvm_clear vs_kvm_clears[];
extern const size_t vs_kvm_nclears;

struct vs_kvm_pair {
	const char *entry, *exit;
	unsigned char versions;
};

extern const struct vs_kvm_pair vs_kvm_pairs[];
extern const size_t vs_kvm_npairs;
extern const char vs_kvm_pairs_cite[];

extern const struct vs_hv_req vs_kvm_basic[];
extern const size_t vs_kvm_nbasic;

extern const unsigned int vs_kvm_timer_tfms[];
extern const size_t vs_kvm_ntimer_tfms;
extern const unsigned int vs_kvm_perf_models[];
extern const size_t vs_kvm_nperf_models;

#define VS_KVM_MAX_TERMS 4

struct vs_kvm_param {
	const char *name;	/* as in /sys/module/kvm_intel/parameters */
	unsigned char versions;
	bool number;		/* a uint parameter, not a bool */
	long long dflt;
	const char *needs[VS_KVM_MAX_TERMS];
	const char *when;	/* derived only while this parameter is on */
	const char *cite;
};

extern const struct vs_kvm_param vs_kvm_params[];
extern const size_t vs_kvm_nparams;

enum vs_kvm_log_id {
	VS_KL_NO_VMX,		/* CPUID.1:ECX.VMX clear */
	VS_KL_NO_FEAT_CTL,	/* IA32_FEATURE_CONTROL unreadable at boot */
	VS_KL_VMX_CLEARED,	/* the kernel cleared VMX: locked off, clearcpuid */
	VS_KL_SILENT,		/* a required control or a BASIC check */
	VS_KL_EPT_CAP,
	VS_KL_VPID_CAP,
	VS_KL_PAIR,
	VS_KL_VMCS_SIZE,	/* 7.3 refuses earlier, at boot */
	VS_KL_NO_NX,
	VS_KL_CPU_SETUP,	/* another CPU's setup failed */
	VS_KL_CPU_DIFF,		/* another CPU's configuration differs */
	VS_KL_PERF_BUG,		/* a warning, not a refusal */
	VS_KVM_NR_LOGS
};

struct vs_kvm_log {
	const char *text[VS_KVM_NR];	/* printf format ("%u": the CPU), "" silent */
	const char *err;		/* modprobe's errno, NULL for a warning */
	const char *cite;
};

extern const struct vs_kvm_log vs_kvm_logs[VS_KVM_NR_LOGS];

/* ---- the model (kvm.c) ------------------------------------------------------- */

/*
 * KVM's struct vmcs_config for one CPU: the computed controls (bits that
 * depend on an input this machine's data lacks are in unk), IA32_VMX_BASIC
 * and IA32_VMX_MISC, and the raw EPT/VPID capabilities beside it.
 */
struct vs_kvm_config {
	unsigned long long ctl[VMXCAP_NR_CTL_GROUPS];
	unsigned long long unk[VMXCAP_NR_CTL_GROUPS];
	unsigned long long basic, misc;
	unsigned int ept, vpid;
	bool caps_unknown, misc_unknown;	/* the MSR was not recorded */
};

/* The parameters as kvm_intel ends up with them (index: vs_kvm_params). */
struct vs_kvm_params {
	long long v[32];
	bool known[32];
	bool user[32];		/* given by --kvm-param */
	char why[32][200];	/* why it is off, or unknown */
};

int vs_kvm_param_index(const char *name);

/*
 * The version of KVM to model: --kernel when given, else the kernel the
 * values were read on, else the newest; the version's index, or -1 (with
 * vs_error) for a kernel older than 6.1.  note says how it was chosen.
 */
int vs_kvm_version(const struct vs_machine *m, unsigned int kver, char *note, size_t size);

/* --kvm-param NAME=VALUE,...: into p's user values; -1 (vs_error) on a bad one. */
int vs_kvm_parse_params(const char *list, unsigned int ver, struct vs_kvm_params *p);

/*
 * Runs setup_vmcs_config() and hardware_setup() for CPU c: fills conf and
 * the derived parameters, and the refusal (if any) into r.  Returns 0 when
 * KVM would go on, 1 when it refuses, -1 when it cannot be told.
 */
int vs_kvm_setup(const struct vs_machine *m, const struct vs_cpu *c, unsigned int ver,
		 struct vs_kvm_params *p, struct vs_kvm_config *conf, struct vs_hv_result *r);

/* hardware_setup()'s derivation alone, for a CPU vs_kvm_setup() accepted. */
void vs_kvm_derive(const struct vs_machine *m, const struct vs_cpu *c, unsigned int ver,
		   const struct vs_kvm_config *conf, struct vs_kvm_params *p);

/* The profile's evaluate() (hv.h). */
void vs_kvm_evaluate(const struct vs_hv_profile *pr, unsigned int ver,
		     const struct vs_machine *m, const bool *sel,
		     const struct vs_hv_args *a, struct vs_hv_result *r);

/* ---- the nested view (kvm-nested.c) ----------------------------------------- */

/*
 * The VMX MSRs KVM offers L1 guests (nested_vmx_setup_ctls_msrs(),
 * vmx_get_vmx_msr()) for a CPU with configuration conf and parameters p;
 * notes (may be NULL) gets what was assumed where an input is unknown.
 */
void vs_kvm_nested_raw(const struct vs_cpu *c, unsigned int ver,
		       const struct vs_kvm_config *conf, const struct vs_kvm_params *p,
		       struct vmxcap_raw *out, char *notes, size_t size);

/* --nested-view: replaces every CPU's values with its nested view. */
int vs_kvm_nested_machine(struct vs_machine *m, const struct vs_hv_args *a);

/* ---- the running module (kvm-live.c) ---------------------------------------- */

/* Reads /sys/module/kvm_intel/parameters (under root); false when not loaded. */
bool vs_kvm_loaded_params(const char *root, struct vs_kvm_params *p);

/* --source kvm: the VMX MSRs /dev/kvm offers (KVM_GET_MSRS on the system fd). */
int vs_read_kvm(const char *root, struct vs_machine *m);

#endif /* VMXCAP_TOOLS_KVM_H */
