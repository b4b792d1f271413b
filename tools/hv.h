/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor readiness: whether KVM, Xen, bhyve or VirtualBox runs on a
 * machine, with what, and what KVM's nested guests get.  The hypervisors'
 * requirements are data (kvm-rules.c, hv-rules.c): rows keyed by the
 * decoder's identifiers ("procbased.hlt_exiting", "ept_vpid.invept"), each
 * with the source line it was read from.  kvm.c evaluates KVM's rules as
 * kvm_intel's setup_vmcs_config() and hardware_setup() do; hv.c evaluates
 * the others' simpler rules; readiness.c prints the verdicts.
 */
#ifndef VMXCAP_TOOLS_HV_H
#define VMXCAP_TOOLS_HV_H

#include "vmxcap-show.h"

/* ---- one requirement ------------------------------------------------------- */

enum vs_need {
	VS_NEED_1,	/* must be allowed-1 (a control), or set (a capability bit) */
	VS_NEED_0,	/* a control that must be allowed-0 */
	VS_OPT,		/* used when allowed-1 */
	VS_NEED_LE,	/* a field whose value must be <= value */
	VS_NEED_EQ,	/* a field whose value must be == value */
};

struct vs_hv_req {
	const char *key;	/* GROUP.ID or TABLE.ID of the decoder; "a|b": either */
	unsigned char need;	/* enum vs_need */
	unsigned char versions;	/* bit i: the profile's version i */
	const char *cite;	/* where it was read: "vmx.h 6.1:546 6.12:538 7.3:507" */
	unsigned long long value; /* VS_NEED_LE, VS_NEED_EQ */
	const char *only_if;	/* required only when this is allowed-1, or NULL */
	const char *unless;	/* not required when this is allowed-1, or NULL */
};

/* What a hypervisor uses when every term holds (terms as kvm.h's needs). */
struct vs_hv_use {
	const char *name;
	unsigned char versions;
	const char *needs[6];
	const char *cite;
};

/* A control group's refusal line, and what the hypervisor asks of it. */
struct vs_hv_group_log {
	int group;		/* enum vmxcap_ctl_group; -1: any group */
	const char *fmt;	/* the line ("%u": the CPU; Xen: "%s", the values) */
	const char *name;	/* the group's name in it (Xen) */
	unsigned long long minopt; /* required | optional bits: the computed value's mask */
};

enum vs_hv_msrs {
	VS_HV_LEGACY,		/* the non-TRUE MSRs, as adjust_vmx_controls() */
	VS_HV_TRUE_IF_BASIC55,	/* the TRUE MSRs when IA32_VMX_BASIC[55] says they exist */
};

struct vs_hv_rules {
	enum vs_hv_msrs msrs;
	const struct vs_hv_req *reqs;	/* in the hypervisor's order of checks */
	size_t nreqs;
	const struct vs_hv_use *uses;	/* in order: a use may name an earlier one */
	size_t nuses;
	const struct vs_hv_group_log *group_logs;	/* ends with group -1 */
	const char *no_vmx_log, *fc_log;	/* NULL: nothing printed */
	const char *basic_log;		/* a BASIC check failed (one line for all) */
	const char *basic_logs[3];	/* or one per check: size, 32-bit, memory type */
	const char *cap_log;		/* an EPT/VPID capability missing */
	const char *refusal;		/* what refusing means */
	bool ap_offline;		/* a CPU unlike the boot CPU stays offline (Xen) */
	const char *derived;
};

/* Where a key points: a control (group, bit) or a field (table, index). */
struct vs_hv_place {
	bool ctl;
	int group;		/* enum vmxcap_ctl_group or enum vmxcap_field_table_id */
	unsigned int bit;	/* control bit or field index */
	unsigned int pos;	/* the bit's position in the MSR (fields: lowest bit) */
};

/*
 * A control group's must-be-1 (lo) and may-be-1 (hi) bits as a hypervisor
 * reads them: the non-TRUE MSR, or (true_msr) the TRUE one when
 * IA32_VMX_BASIC[55] says it exists.  A non-TRUE MSR not recorded is
 * rebuilt from the TRUE one and the default1 bits; a read that faults, or
 * an MSR that does not exist, reads 0 (the kernel's fixup).  -1 when
 * nothing says.
 */
int vs_hv_ctl_msr(const struct vmxcap_raw *raw, enum vmxcap_ctl_group g, bool true_msr,
		  unsigned long long *lo, unsigned long long *hi);

/* Resolves a key; aborts on a key the decoder does not know (a data bug). */
struct vs_hv_place vs_hv_resolve(const char *key);

/* ---- verdicts ---------------------------------------------------------------- */

enum vs_verdict { VS_RUNS, VS_REFUSES, VS_CANNOT_TELL };

/* "runs", "refuses", "unknown": the verdict's word in --json (readiness.c). */
const char *vs_hv_verdict_id(enum vs_verdict v);

/* A value the hypervisor settles on: a parameter, a feature it uses. */
struct vs_hv_value {
	const char *name;	/* "ept", "ple_gap", "hap" */
	int known;		/* 1 known, 0 unknown */
	long long v;		/* 0/1, or the number */
	bool number;		/* printed as a number, not true/false */
	bool user;		/* set by --kvm-param */
	char why[240];		/* why it is off (or unknown): "the CPU lacks ..." */
	bool has_actual;	/* the running module's value (a live machine) */
	long long actual;
};

#define VS_HV_MAX_MISSING 48
#define VS_HV_MAX_REASONS 8
#define VS_HV_MAX_VALUES 32

struct vs_hv_result {
	const char *host;	/* one of several hosts: its name; else NULL */
	const char *profile;	/* "kvm" */
	const char *name;	/* "KVM (kvm_intel)" */
	char version[16];	/* "6.1" */
	char version_note[160];	/* how the version was chosen */
	enum vs_verdict verdict;
	/* The requirements not met: decoder keys, or names of other checks. */
	struct { char key[64]; int bit; const char *cite; } missing[VS_HV_MAX_MISSING];
	size_t nmissing;
	char reasons[VS_HV_MAX_REASONS][320];
	size_t nreasons;
	/* What the verdict takes for granted where these values do not say. */
	char conditions[4][320];
	size_t nconditions;
	char log[320];		/* what the hypervisor prints, "" for nothing */
	bool has_log;		/* false: it prints nothing (or nothing is known) */
	const char *err;	/* the errno its load fails with ("EIO"), or NULL */
	const char *derived;	/* "derived from its sources" for profiles not run here */
	struct vs_hv_value values[VS_HV_MAX_VALUES];
	size_t nvalues;
	char cpus[512];		/* CPUs that differ, "" when all agree */
	char cpulist[512];	/* the CPUs evaluated */
	size_t ncpus;
	int loaded;		/* the module here: 1 loaded, 0 not, -1 not a live machine */
};

void vs_hv_reason(struct vs_hv_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vs_hv_condition(struct vs_hv_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vs_hv_missing(struct vs_hv_result *r, const char *key, int bit, const char *cite);
struct vs_hv_value *vs_hv_value(struct vs_hv_result *r, const char *name);
/*
 * The cite of one version ("vmx.h 6.1:569 6.12:561" for "6.1": "vmx.h:569"),
 * or the whole cite when it names no such version.
 */
void vs_hv_cite(const char *cite, const char *ver, char *buf, size_t size);

/* ---- the profiles ------------------------------------------------------------ */

/* What the command line adds: --kernel, --hypervisor-version, --kvm-param. */
struct vs_hv_args {
	unsigned int kver;	/* --kernel, 0 when not given */
	const char *hv_version;	/* --hypervisor-version, NULL when not given */
	const char *kvm_params;	/* --kvm-param list, NULL when not given */
};

struct vs_hv_profile {
	const char *id;		/* "kvm", "xen", "bhyve", "virtualbox" */
	const char *name;	/* "KVM (kvm_intel)" */
	const char *const *versions; /* NULL-terminated, oldest first */
	/* Evaluates the selected CPUs of m for version index ver. */
	void (*evaluate)(const struct vs_hv_profile *p, unsigned int ver,
			 const struct vs_machine *m, const bool *sel,
			 const struct vs_hv_args *a, struct vs_hv_result *r);
	const void *rules;	/* the profile's own tables */
};

/* The evaluate() of the profiles whose rules are a struct vs_hv_rules (hv.c). */
void vs_hv_evaluate(const struct vs_hv_profile *p, unsigned int ver,
		    const struct vs_machine *m, const bool *sel,
		    const struct vs_hv_args *a, struct vs_hv_result *r);

extern const struct vs_hv_profile vs_xen_profile, vs_bhyve_profile, vs_vbox_profile;

/* The profile called name ("kvm"), or NULL. */
const struct vs_hv_profile *vs_hv_profile(const char *name);
/* Every profile, for suggestions and completion. */
extern const struct vs_hv_profile *const vs_hv_profiles[];
extern const size_t vs_hv_nprofiles;

/*
 * Profile p's verdict on host h's selected CPUs into r (zeroed by the
 * caller): the version chosen as --require chooses it, the CPUs, the
 * evaluation; 0, or -1 with vs_error (a --hypervisor-version p lacks).
 */
int vs_hv_judge(const struct vs_host *h, const struct vs_hv_profile *p,
		const struct vs_hv_args *a, struct vs_hv_result *r);
/* --require with profiles (readiness.c): 0 runs, 1 refuses, 2 cannot tell or error. */
int vs_readiness(const struct vs_host *h, size_t nh, const char *list,
		 const struct vs_hv_args *a, bool json, FILE *out);

#endif /* VMXCAP_TOOLS_HV_H */
