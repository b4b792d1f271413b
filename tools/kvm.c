// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: KVM's decision, step by step as kvm_intel takes it
 * (kvm-rules.c has the rules and where each was read): whether
 * setup_vmcs_config() accepts a CPU and what it computes, the parameters
 * hardware_setup() derives, and the per-CPU comparison that refuses
 * machines whose CPUs differ.  Inputs a dump lacks (CPUID leaves, the TSC
 * frequency) leave what depends on them unknown, never guessed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm.h"

typedef unsigned long long ull;

/* ---- inputs ------------------------------------------------------------------ */

/* A plain 64-bit MSR (BASIC, MISC, PROCBASED3): 0 when it faults. */
static int plain_msr(const struct vmxcap_raw *raw, enum vmxcap_msr s, ull *v)
{
	if (vmxcap_has(raw, s)) {
		*v = raw->val[s];
		return 0;
	}
	if (raw->faulted & VMXCAP_MSR_BIT(s) || vmxcap_msr_existence(raw, s) == VMXCAP_ABSENT) {
		*v = 0;
		return 0;
	}
	return -1;
}

/* CPUID.1:EAX as the kernel's cpuid_eax(1), bits 15:14 and 31:28 cleared. */
static bool tfms_of(const struct vs_cpu *c, unsigned int *eax)
{
	unsigned int fam = (unsigned int)c->facts->family, mod = (unsigned int)c->facts->model;

	if (c->facts->family < 0 || c->facts->model < 0 || c->facts->stepping < 0)
		return false;
	/* Processor type (13:12) taken as 0, as on every CPU the list names. */
	*eax = (unsigned int)c->facts->stepping | (mod & 0xf) << 4 |
	       (fam >= 0xf ? 0xf : fam) << 8 | (mod >> 4) << 16 |
	       (fam >= 0xf ? fam - 0xf : 0) << 20;
	return true;
}

static const char *vname(unsigned int ver)
{
	return vs_kvm_versions[ver];
}

/* The bit a key names in the configuration; *unk when it is not known. */
static bool conf_bit(const struct vs_kvm_config *conf, const char *key, bool *unk)
{
	struct vs_hv_place pl = vs_hv_resolve(key);

	*unk = false;
	if (pl.ctl) {
		*unk = (conf->unk[pl.group] >> pl.bit) & 1;
		return (conf->ctl[pl.group] >> pl.bit) & 1;
	}
	switch (pl.group) {
	case VMXCAP_FT_EPT_VPID:
		*unk = conf->caps_unknown;
		return pl.pos < 32 ? (conf->ept >> pl.pos) & 1 : (conf->vpid >> (pl.pos - 32)) & 1;
	case VMXCAP_FT_MISC:
		*unk = conf->misc_unknown;
		return (conf->misc >> pl.pos) & 1;
	case VMXCAP_FT_BASIC:
		return (conf->basic >> pl.pos) & 1;
	default:
		fprintf(stderr, "vmxcap-show: internal error: '%s' is not a KVM input\n", key);
		abort();
	}
}

static void clear_bit(struct vs_kvm_config *conf, const char *key)
{
	struct vs_hv_place pl = vs_hv_resolve(key);

	conf->ctl[pl.group] &= ~(1ull << pl.bit);
	conf->unk[pl.group] &= ~(1ull << pl.bit);
}

/* Marks a set control as depending on something unknown. */
static void unknown_bit(struct vs_kvm_config *conf, const char *key)
{
	struct vs_hv_place pl = vs_hv_resolve(key);

	if ((conf->ctl[pl.group] >> pl.bit) & 1)
		conf->unk[pl.group] |= 1ull << pl.bit;
}

/* ---- setup_vmcs_config() ------------------------------------------------------- */

struct step {
	struct vs_hv_result *r;
	const struct vs_cpu *c;
	unsigned int ver;
	int state;		/* 0 going on, 1 refused, -1 cannot tell */
	bool logged;		/* the first refusal's line is the one printed */
};

/*
 * KVM refuses: the first refusal's line is what kvm_intel prints (log,
 * when the caller formatted it; else the text with the CPU's number).
 */
static void refuse(struct step *s, enum vs_kvm_log_id id, const char *log)
{
	const struct vs_kvm_log *l = &vs_kvm_logs[id];

	if (s->state == 0)
		s->state = 1;
	if (s->logged)
		return;
	s->logged = true;
	s->r->has_log = true;	/* "" when it prints nothing */
	s->r->err = l->err;
	if (log)
		snprintf(s->r->log, sizeof(s->r->log), "%s", log);
	else if (strstr(l->text[s->ver], "%u"))
		snprintf(s->r->log, sizeof(s->r->log), l->text[s->ver], s->c->id);
	else
		snprintf(s->r->log, sizeof(s->r->log), "%s", l->text[s->ver]);
	{
		char cite[120];

		vs_hv_cite(l->cite, vname(s->ver), cite, sizeof(cite));
		vs_hv_reason(s->r, "modprobe kvm_intel fails: %s (%s)%s",
			     !strcmp(l->err, "EIO") ? "Input/output error" : "Operation not supported",
			     cite, l->text[s->ver][0] ? "" : "; kvm_intel prints nothing");
	}
}

static void cannot_tell(struct step *s, const char *fmt, const char *arg)
{
	char buf[300];

	if (s->state == 0)
		s->state = -1;
	snprintf(buf, sizeof(buf), fmt, arg);
	vs_hv_reason(s->r, "%s", buf);
}

/* Whether the requirement row applies to this version. */
static bool in_ver(unsigned char versions, unsigned int ver)
{
	return (versions >> ver) & 1;
}

/* adjust_vmx_controls(): the group's computed value; missing required bits refuse. */
static void adjust(struct step *s, struct vs_kvm_config *conf, enum vmxcap_ctl_group g)
{
	ull lo, hi, req = 0, opt = 0;
	size_t i;

	for (i = 0; i < vs_kvm_nctls; i++) {
		const struct vs_hv_req *q = &vs_kvm_ctls[i];
		struct vs_hv_place pl;

		if (!in_ver(q->versions, s->ver))
			continue;
		pl = vs_hv_resolve(q->key);
		if (pl.group != (int)g)
			continue;
		if (q->need == VS_NEED_1)
			req |= 1ull << pl.bit;
		else
			opt |= 1ull << pl.bit;
	}
	if (vs_hv_ctl_msr(s->c->raw, g, false, &lo, &hi)) {
		/* Without required bits only what depends on the group is unknown. */
		if (!req) {
			conf->ctl[g] = opt;
			conf->unk[g] = opt;
			vs_hv_condition(s->r, "what depends on %s, which these values lack, is unknown",
					vmxcap_msrs[vmxcap_ctl_groups[g].msr].name);
			return;
		}
		cannot_tell(s, "the values lack %s, which kvm_intel reads",
			    vmxcap_msrs[vmxcap_ctl_groups[g].msr].name);
		return;
	}
	conf->ctl[g] = ((req | opt) & hi) | lo;
	if (req & ~hi) {
		for (i = 0; i < vs_kvm_nctls; i++) {
			const struct vs_hv_req *q = &vs_kvm_ctls[i];
			struct vs_hv_place pl;

			if (!in_ver(q->versions, s->ver) || q->need != VS_NEED_1)
				continue;
			pl = vs_hv_resolve(q->key);
			if (pl.group == (int)g && !((hi >> pl.bit) & 1))
				vs_hv_missing(s->r, q->key, (int)pl.bit, q->cite);
		}
		refuse(s, VS_KL_SILENT, NULL);
	}
}

/* The clearing rules of one group (or the entry/exit errata after the pairs). */
static void clear_rules(struct step *s, struct vs_kvm_config *conf, int group, bool after_pairs)
{
	unsigned int tfms;
	size_t i, k;
	bool unk;

	for (i = 0; i < vs_kvm_nclears; i++) {
		const struct vs_kvm_clear *cl = &vs_kvm_clears[i];
		struct vs_hv_place pl;
		bool hit = false, unknown = false;

		if (!in_ver(cl->versions, s->ver) || (cl->cond == VS_KC_PERF_ERRATUM) != after_pairs)
			continue;
		pl = vs_hv_resolve(cl->key);
		if (!after_pairs && pl.group != group)
			continue;
		switch (cl->cond) {
		case VS_KC_ALWAYS:
			hit = true;
			break;
		case VS_KC_UNLESS:
			hit = !conf_bit(conf, cl->key2, &unk);
			unknown = unk;
			break;
		case VS_KC_SGX:
			hit = s->c->facts->sgx == 0;
			unknown = s->c->facts->sgx < 0;
			break;
		case VS_KC_TIMER_ERRATUM:
			if (!tfms_of(s->c, &tfms)) {
				unknown = true;
				break;
			}
			for (k = 0; k < vs_kvm_ntimer_tfms; k++)
				hit |= tfms == vs_kvm_timer_tfms[k];
			break;
		case VS_KC_PERF_ERRATUM:
			if (s->c->facts->family < 0 || s->c->facts->model < 0) {
				unknown = true;
				break;
			}
			for (k = 0; k < vs_kvm_nperf_models; k++)
				hit |= s->c->facts->family == 6 && (unsigned int)s->c->facts->model == vs_kvm_perf_models[k];
			break;
		}
		if (hit)
			clear_bit(conf, cl->key);
		else if (unknown)
			unknown_bit(conf, cl->key);
	}
}

/* EPT/VPID capabilities reported without the control that uses them. */
static void caps_consistency(struct step *s, struct vs_kvm_config *conf,
			     const struct vs_kvm_params *p)
{
	int eoi = vs_kvm_param_index("error_on_inconsistent_vmcs_config");
	bool strict = p->v[eoi] != 0, unk;

	if (!conf_bit(conf, "procbased2.ept", &unk) && conf->ept) {
		if (strict) {
			vs_hv_missing(s->r, "procbased2.ept", 1, vs_kvm_logs[VS_KL_EPT_CAP].cite);
			vs_hv_reason(s->r, "IA32_VMX_EPT_VPID_CAP reports EPT capabilities (0x%x) but EPT cannot be enabled",
				     conf->ept);
			refuse(s, VS_KL_EPT_CAP, NULL);
		} else {
			conf->ept = 0;
			if (s->ver >= VS_KVM_6_12)
				clear_bit(conf, "procbased2.ept_violation_ve");
			if (s->ver >= VS_KVM_7_3)
				clear_bit(conf, "procbased2.mode_based_ept_exec");
		}
	}
	if (!conf_bit(conf, "procbased2.vpid", &unk) && conf->vpid) {
		if (strict) {
			vs_hv_missing(s->r, "procbased2.vpid", 5, vs_kvm_logs[VS_KL_VPID_CAP].cite);
			vs_hv_reason(s->r, "IA32_VMX_EPT_VPID_CAP reports VPID capabilities (0x%x) but VPID cannot be enabled",
				     conf->vpid);
			refuse(s, VS_KL_VPID_CAP, NULL);
		} else {
			conf->vpid = 0;
		}
	}
}

static void pairs(struct step *s, struct vs_kvm_config *conf, const struct vs_kvm_params *p)
{
	int eoi = vs_kvm_param_index("error_on_inconsistent_vmcs_config");
	size_t i;

	for (i = 0; i < vs_kvm_npairs; i++) {
		const struct vs_kvm_pair *q = &vs_kvm_pairs[i];
		struct vs_hv_place n, x;
		ull en, ex;
		char detail[200];

		if (!in_ver(q->versions, s->ver))
			continue;
		n = vs_hv_resolve(q->entry);
		x = vs_hv_resolve(q->exit);
		en = conf->ctl[VMXCAP_CTL_ENTRY] & (1ull << n.bit);
		ex = conf->ctl[VMXCAP_CTL_EXIT] & (1ull << x.bit);
		if (!en == !ex)
			continue;
		if (!p->v[eoi]) {
			clear_bit(conf, q->entry);
			clear_bit(conf, q->exit);
			continue;
		}
		vs_hv_missing(s->r, en ? q->exit : q->entry, (int)(en ? x.bit : n.bit),
			      vs_kvm_pairs_cite);
		vs_hv_reason(s->r, "%s is allowed without %s: KVM wants both or neither",
			     en ? q->entry : q->exit, en ? q->exit : q->entry);
		/* The message's values: the bits present (7.3: and the pair's masks). */
		if (s->ver >= VS_KVM_7_3)
			snprintf(detail, sizeof(detail), vs_kvm_logs[VS_KL_PAIR].text[s->ver],
				 en, 1ull << n.bit, ex, 1ull << x.bit);
		else
			snprintf(detail, sizeof(detail), vs_kvm_logs[VS_KL_PAIR].text[s->ver], en, ex);
		refuse(s, VS_KL_PAIR, detail);
		/* 6.1 and 6.12 return at the first bad pair; 7.3 checks them all. */
		if (s->ver < VS_KVM_7_3)
			break;
	}
}

static void basic_checks(struct step *s, const struct vs_kvm_config *conf)
{
	size_t i;

	for (i = 0; i < vs_kvm_nbasic; i++) {
		const struct vs_hv_req *q = &vs_kvm_basic[i];
		struct vs_hv_place pl = vs_hv_resolve(q->key);
		ull v = vmxcap_field_value(&vmxcap_field_tables[VMXCAP_FT_BASIC].fields[pl.bit],
					   conf->basic);
		bool ok = q->need == VS_NEED_LE ? v <= q->value : v == q->value;

		if (ok)
			continue;
		vs_hv_missing(s->r, q->key, (int)pl.pos, q->cite);
		vs_hv_reason(s->r, "IA32_VMX_BASIC %s is %llu; kvm_intel wants %s%llu", q->key + 6,
			     v, q->need == VS_NEED_LE ? "at most " : "", q->value);
		/* 7.3's boot code refuses a VMCS over 4 KiB first (arch/x86/virt/hw.c:184). */
		refuse(s, s->ver >= VS_KVM_7_3 && i == 0 ? VS_KL_VMCS_SIZE : VS_KL_SILENT, NULL);
	}
}

/* Whether the kernel kept VMX for KVM (feat_ctl.c, __kvm_is_vmx_supported()). */
static void vmx_enabled(struct step *s)
{
	const struct vs_cpu *c = s->c;
	const struct vmxcap_raw *raw = c->raw;
	bool inferred;
	enum vs_status st = vs_cpu_status(c, &inferred);
	/* The kernel's X86_FEATURE_VMX: the cpuinfo source's, else the facts'. */
	int kvmx = c->facts->linux_vmx >= 0 ? c->facts->linux_vmx : c->facts->kernel_vmx;
	bool hid = c->facts->linux_hid_vmx || c->facts->kernel_hid_vmx == 1;

	if (st == VS_STATUS_NO_VMX) {
		vs_hv_reason(s->r, "cpu %u has no VMX in CPUID", c->id);
		refuse(s, VS_KL_NO_VMX, NULL);
	} else if (raw->faulted & VMXCAP_MSR_BIT(VMXCAP_FEATURE_CONTROL)) {
		vs_hv_reason(s->r, "reading IA32_FEATURE_CONTROL faults on cpu %u: the kernel does not set X86_FEATURE_MSR_IA32_FEAT_CTL",
			     c->id);
		refuse(s, VS_KL_NO_FEAT_CTL, NULL);
	} else if (st == VS_STATUS_DISABLED || st == VS_STATUS_SMX_ONLY || hid ||
		   (kvmx == 0 && c->facts->vmx == 1)) {
		if (hid)
			vs_hv_reason(s->r, "the kernel hides VMX on cpu %u (clearcpuid=vmx)", c->id);
		else if (st == VS_STATUS_USABLE)
			vs_hv_reason(s->r, "the kernel cleared VMX on cpu %u (its flags lack vmx) although IA32_FEATURE_CONTROL allows VMXON",
				     c->id);
		else if (c->facts->vmx < 0)
			vs_hv_reason(s->r, "IA32_FEATURE_CONTROL is locked without VMXON outside SMX on cpu %u; whether CPUID has VMX at all is not known (the log line is that of a CPU with VMX)",
				     c->id);
		else
			vs_hv_reason(s->r, "the kernel cleared VMX on cpu %u: IA32_FEATURE_CONTROL is locked without VMXON outside SMX (feat_ctl.c prints \"x86/cpu: VMX (outside TXT) disabled by BIOS\")",
				     c->id);
		refuse(s, VS_KL_VMX_CLEARED, NULL);
	} else if (st == VS_STATUS_UNKNOWN && !(raw->present & VMXCAP_MSR_BIT(VMXCAP_FEATURE_CONTROL))) {
		vs_hv_condition(s->r, "the firmware leaves VMX enabled (IA32_FEATURE_CONTROL was not read)");
	}
}

int vs_kvm_setup(const struct vs_machine *m, const struct vs_cpu *c, unsigned int ver,
		 struct vs_kvm_params *p, struct vs_kvm_config *conf, struct vs_hv_result *r)
{
	struct step s = { .r = r, .c = c, .ver = ver };
	ull v;

	(void)m;
	memset(conf, 0, sizeof(*conf));
	vmx_enabled(&s);
	if (s.state)
		return s.state;
	/* 7.3 checks the VMCS size at boot, before anything of KVM's. */
	if (ver >= VS_KVM_7_3 && !plain_msr(c->raw, VMXCAP_BASIC, &conf->basic) &&
	    ((conf->basic >> 32) & 0x1fff) > 4096) {
		basic_checks(&s, conf);
		return s.state;
	}
	adjust(&s, conf, VMXCAP_CTL_PROC);
	if (s.state < 0)
		return -1;
	if ((conf->ctl[VMXCAP_CTL_PROC] >> 31) & 1) {
		adjust(&s, conf, VMXCAP_CTL_PROC2);
		if (s.state < 0)
			return -1;
	}
	/* rdmsr_safe(): 0 when it faults. */
	if (plain_msr(c->raw, VMXCAP_EPT_VPID_CAP, &v)) {
		bool unk;

		/* Unknown capabilities matter where a control cannot use them. */
		if (!conf_bit(conf, "procbased2.ept", &unk) || unk ||
		    !conf_bit(conf, "procbased2.vpid", &unk) || unk) {
			cannot_tell(&s, "the values lack %s, which kvm_intel checks against the controls",
				    "IA32_VMX_EPT_VPID_CAP");
			return -1;
		}
		conf->caps_unknown = true;
		v = ~0ull;
		vs_hv_condition(r, "what depends on %s, which these values lack, is unknown",
				"IA32_VMX_EPT_VPID_CAP");
	}
	conf->ept = (unsigned int)v;
	conf->vpid = (unsigned int)(v >> 32);
	if (!conf->caps_unknown)
		caps_consistency(&s, conf, p);
	clear_rules(&s, conf, VMXCAP_CTL_PROC2, false);
	if ((conf->ctl[VMXCAP_CTL_PROC] >> 17) & 1) {
		if (plain_msr(c->raw, VMXCAP_PROCBASED3, &v)) {
			/* Only IPI virtualization (enable_ipiv) depends on it. */
			conf->unk[VMXCAP_CTL_PROC3] = 1ull << 4;
			v = ~0ull;
			vs_hv_condition(r, "what depends on %s, which these values lack, is unknown",
					"IA32_VMX_PROCBASED_CTLS3");
		}
		conf->ctl[VMXCAP_CTL_PROC3] = v & (1ull << 4);	/* IPI virtualization only */
	}
	adjust(&s, conf, VMXCAP_CTL_EXIT);
	adjust(&s, conf, VMXCAP_CTL_PIN);
	clear_rules(&s, conf, VMXCAP_CTL_PIN, false);
	adjust(&s, conf, VMXCAP_CTL_ENTRY);
	if (s.state < 0)
		return -1;
	pairs(&s, conf, p);
	clear_rules(&s, conf, -1, true);
	if (plain_msr(c->raw, VMXCAP_BASIC, &conf->basic)) {
		cannot_tell(&s, "the values lack %s, which kvm_intel checks", "IA32_VMX_BASIC");
		return -1;
	}
	if (plain_msr(c->raw, VMXCAP_MISC, &conf->misc)) {
		conf->misc_unknown = true;
		vs_hv_condition(r, "what depends on %s, which these values lack, is unknown",
				"IA32_VMX_MISC");
	}
	basic_checks(&s, conf);
	return s.state;
}

/* ---- hardware_setup(): the parameters -------------------------------------------- */

int vs_kvm_param_index(const char *name)
{
	size_t i;

	for (i = 0; i < vs_kvm_nparams; i++)
		if (!strcmp(vs_kvm_params[i].name, name))
			return (int)i;
	fprintf(stderr, "vmxcap-show: internal error: no kvm_intel parameter '%s'\n", name);
	abort();
}

static void params_defaults(struct vs_kvm_params *p)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < vs_kvm_nparams; i++)
		p->v[i] = vs_kvm_params[i].dflt;
}

/* Parses a value as the kernel does: bool y/Y/1/n/N/0 (and on/off), uint decimal. */
static bool param_value(const struct vs_kvm_param *q, const char *s, long long *v)
{
	char *e;
	unsigned long long n;

	if (!q->number) {
		if (!strcmp(s, "1") || !strcasecmp(s, "y") || !strcasecmp(s, "on"))
			*v = 1;
		else if (!strcmp(s, "0") || !strcasecmp(s, "n") || !strcasecmp(s, "off"))
			*v = 0;
		else
			return false;
		return true;
	}
	n = strtoull(s, &e, 0);
	if (!*s || *e || s[0] == '-' || n > 0xffffffffull)
		return false;
	*v = (long long)n;
	return true;
}

int vs_kvm_parse_params(const char *list, unsigned int ver, struct vs_kvm_params *p)
{
	char *copy = xstrdup(list ? list : ""), *tok, *save = NULL;
	const char *names[VS_KVM_MAX_TERMS * 8];
	size_t i, n = 0;
	int ret = -1;

	params_defaults(p);
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		char *eq = strchr(tok, '='), hint[200];

		if (!eq) {
			vs_error("--kvm-param: want NAME=VALUE, not '%s'", tok);
			goto out;
		}
		*eq = '\0';
		for (i = 0; i < vs_kvm_nparams; i++)
			if (in_ver(vs_kvm_params[i].versions, ver) &&
			    vs_name_eq(tok, vs_kvm_params[i].name))
				break;
		if (i == vs_kvm_nparams) {
			for (i = 0, n = 0; i < vs_kvm_nparams && n < ARRAY_LEN(names); i++)
				if (in_ver(vs_kvm_params[i].versions, ver))
					names[n++] = vs_kvm_params[i].name;
			vs_suggest(tok, names, n, hint, sizeof(hint));
			vs_error("--kvm-param: kvm_intel %s has no capability-derived parameter '%s'%s",
				 vname(ver), tok, hint);
			goto out;
		}
		if (!param_value(&vs_kvm_params[i], eq + 1, &p->v[i])) {
			vs_error("--kvm-param: %s=%s: want %s", vs_kvm_params[i].name, eq + 1,
				 vs_kvm_params[i].number ? "a number" : "Y, N, 1 or 0");
			goto out;
		}
		p->user[i] = true;
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

/* The preemption timer's frequency rule: 1 kept, 0 dropped, -1 unknown. */
static int timer_rule(const struct vs_machine *m, const struct vs_cpu *c, unsigned int ver,
		      const struct vs_kvm_config *conf, char *why, size_t size)
{
	unsigned int rate = (unsigned int)(conf->misc & 0x1f);
	ull limit = 0xffffffffull, max_hz, hz = (ull)m->tsc_khz * 1000;
	bool bare_metal_cap = false;

	if (conf->misc_unknown) {
		snprintf(why, size, "decided by IA32_VMX_MISC's timer rate, which these values lack");
		return -1;
	}

	/* 7.3: on bare metal, CPUID.15H caps the timer (erratum EMR158). */
	if (ver >= VS_KVM_7_3 && c->facts->hypervisor != 1) {
		if (c->facts->hypervisor < 0 || c->facts->leaf15 < 0) {
			snprintf(why, size, "7.3 caps the timer by CPUID.15H on bare metal, which these values lack");
			return -1;
		}
		if (c->facts->leaf15 == 1 && c->facts->leaf15_eax && c->facts->leaf15_ebx) {
			ull cap = ((ull)c->facts->leaf15_ebx << 25) / c->facts->leaf15_eax - 1;

			limit = cap < limit ? cap : limit;
			bare_metal_cap = true;
		}
	}
	/* kvm_intel keeps it while (tsc_hz >> rate) <= limit / 10. */
	max_hz = ((limit / 10) + 1) << rate;
	if (!m->tsc_khz) {
		snprintf(why, size, "on if the TSC runs below %llu MHz (IA32_VMX_MISC rate %u%s); the TSC frequency is not known: give --tsc-khz",
			 max_hz / 1000000, rate, bare_metal_cap ? ", CPUID.15H cap" : "");
		return -1;
	}
	/* An estimate (bogomips) decides only away from the limit. */
	if (strstr(m->tsc_from, "within") && hz > max_hz - max_hz / 50 && hz < max_hz + max_hz / 50) {
		snprintf(why, size, "the TSC (about %lu kHz, %s) is within 2%% of the limit %llu kHz",
			 m->tsc_khz, m->tsc_from, max_hz / 1000);
		return -1;
	}
	if (hz < max_hz)
		return 1;
	snprintf(why, size, "the TSC (%lu kHz) is too fast for the timer at rate %u: kvm_intel wants it below %llu kHz",
		 m->tsc_khz, rate, max_hz / 1000);
	return 0;
}

static void derive(const struct vs_machine *m, const struct vs_cpu *c, unsigned int ver,
		   const struct vs_kvm_config *conf, struct vs_kvm_params *p, struct step *s)
{
	size_t i, t;

	for (i = 0; i < vs_kvm_nparams; i++) {
		const struct vs_kvm_param *q = &vs_kvm_params[i];
		bool unknown = false, off = false;
		char *why = p->why[i];

		p->known[i] = true;
		why[0] = '\0';
		if (!in_ver(q->versions, ver))
			continue;
		if (!p->v[i]) {
			if (p->user[i])
				snprintf(why, sizeof(p->why[0]), "--kvm-param %s=%s", q->name,
					 q->number ? "0" : "N");
			continue;
		}
		if (q->when && !p->v[vs_kvm_param_index(q->when)]) {
			snprintf(why, sizeof(p->why[0]), "kept as given: derived only with %s=Y", q->when);
			continue;
		}
		for (t = 0; t < VS_KVM_MAX_TERMS && q->needs[t] && !off; t++) {
			const char *term = q->needs[t];
			char alt[2][64];
			bool any = false, any_unk = false, unk;
			int k, na;

			if (term[0] == '=') {
				int j = vs_kvm_param_index(term + 1);

				if (!p->known[j]) {
					unknown = true;
					snprintf(why, sizeof(p->why[0]), "follows %s, which is not known", term + 1);
				} else if (!p->v[j]) {
					off = true;
					snprintf(why, sizeof(p->why[0]), "needs %s, which is off%s%s%s", term + 1,
						 p->why[j][0] ? " (" : "", p->why[j], p->why[j][0] ? ")" : "");
				}
				continue;
			}
			if (!strcmp(term, "timer")) {
				int tr = timer_rule(m, c, ver, conf, why, sizeof(p->why[0]));

				unknown |= tr < 0;
				off |= tr == 0;
				continue;
			}
			/* "a|b": either. */
			na = sscanf(term, "%63[^|]|%63s", alt[0], alt[1]);
			for (k = 0; k < na; k++) {
				any |= conf_bit(conf, alt[k], &unk) && !unk;
				any_unk |= unk;
			}
			if (any)
				continue;
			if (any_unk) {
				unknown = true;
				snprintf(why, sizeof(p->why[0]), "%s depends on %s", term,
					 !strcmp(term, "procbased2.encls_exiting") ?
					 "CPUID.12H (SGX), which these values lack" :
					 !strcmp(term, "pinbased.preemption_timer") ?
					 "the CPU model (erratum list), which these values lack" :
					 "what these values lack");
			} else {
				off = true;
				snprintf(why, sizeof(p->why[0]), "the CPU lacks %s%s", term,
					 strchr(term, '|') ? " (either)" : "");
			}
		}
		if (off) {
			p->v[i] = 0;
		} else if (unknown) {
			p->known[i] = false;
		}
		/* Without EPT kvm_intel needs NX (hardware_setup), right after ept. */
		if (!strcmp(q->name, "ept") && !p->v[i] && p->known[i]) {
			if (c->facts->nx == 0) {
				vs_hv_reason(s->r, "without EPT (%s) KVM needs NX, which the kernel does not report",
					     why[0] ? why : "ept=N");
				refuse(s, VS_KL_NO_NX, NULL);
			} else if (c->facts->nx < 0) {
				vs_hv_condition(s->r, "NX (execute disable) is on: without EPT (%s) KVM needs it, and these values do not say (the firmware can turn it off)",
						why[0] ? why : "ept=N");
			}
		}
	}
}

void vs_kvm_derive(const struct vs_machine *m, const struct vs_cpu *c, unsigned int ver,
		   const struct vs_kvm_config *conf, struct vs_kvm_params *p)
{
	struct vs_hv_result r = { 0 };
	struct step s = { .r = &r, .c = c, .ver = ver };

	derive(m, c, ver, conf, p, &s);
}

/* ---- the machine ------------------------------------------------------------------ */

int vs_kvm_version(const struct vs_machine *m, unsigned int kver, char *note, size_t size)
{
	unsigned int want = kver ? kver : m->kver, i, best = 0;
	bool found = false;

	if (!want) {
		for (i = 0; vs_kvm_versions[i]; i++)
			best = i;
		snprintf(note, size, "the newest modelled (the kernel these values come from is not known; --kernel chooses)");
		return (int)best;
	}
	for (i = 0; vs_kvm_versions[i]; i++) {
		unsigned int a, b;

		sscanf(vs_kvm_versions[i], "%u.%u", &a, &b);
		if (VMXCAP_KVER(a, b) <= want) {
			best = i;
			found = true;
		}
	}
	if (!found) {
		vs_error("KVM's rules are modelled for kernels 6.1, 6.12 and 7.3, not %u.%u",
			 want >> 8, want & 0xff);
		return -1;
	}
	{
		unsigned int a, b;

		sscanf(vs_kvm_versions[best], "%u.%u", &a, &b);
		if (VMXCAP_KVER(a, b) == want)
			snprintf(note, size, "%s", kver ? "--kernel" : "the kernel these values were read on");
		else
			snprintf(note, size, "%u.%u %s: the rules of %s, the newest modelled release not after it",
				 want >> 8, want & 0xff, kver ? "(--kernel)" : "(the kernel these values were read on)",
				 vs_kvm_versions[best]);
	}
	return (int)best;
}

/* Groups of the struct vmcs_config the per-CPU check compares. */
static const enum vmxcap_ctl_group compared[] = {
	VMXCAP_CTL_PIN, VMXCAP_CTL_PROC, VMXCAP_CTL_PROC2, VMXCAP_CTL_PROC3,
	VMXCAP_CTL_EXIT, VMXCAP_CTL_ENTRY,
};

/* Names the first differences between two configurations into buf. */
static int differences(const struct vs_kvm_config *a, const struct vs_kvm_config *b,
		       const struct vmxcap_raw *na, const struct vmxcap_raw *nb,
		       struct vs_hv_result *r, char *buf, size_t size)
{
	size_t i, len = 0;
	int n = 0, unknown = 0;
	unsigned int s;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_LEN(compared); i++) {
		enum vmxcap_ctl_group g = compared[i];
		ull d = a->ctl[g] ^ b->ctl[g], u = a->unk[g] | b->unk[g];
		unsigned int bit;

		unknown += !!(d & u);
		d &= ~u;
		for (bit = 0; bit < 64; bit++) {
			const struct vmxcap_ctl *ctl;
			char key[64];

			if (!((d >> bit) & 1))
				continue;
			ctl = vmxcap_ctl_lookup(g, bit);
			snprintf(key, sizeof(key), "%s.%s%s", vmxcap_ctl_groups[g].id,
				 ctl ? ctl->id : "bit", ctl ? "" : "");
			if (!ctl)
				snprintf(key, sizeof(key), "%s.bit%u", vmxcap_ctl_groups[g].id, bit);
			vs_hv_missing(r, key, (int)bit, "vmx.c 6.1:7531 6.12:2827 7.3:2995");
			if (n++ < 4)
				len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
							n > 1 ? ", " : "", key);
		}
	}
	if (a->basic != b->basic) {
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%sIA32_VMX_BASIC",
					n++ ? ", " : "");
	}
	if (a->misc != b->misc) {
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%sIA32_VMX_MISC",
					n++ ? ", " : "");
	}
	for (s = 0; na && nb && s < VMXCAP_NR_MSRS; s++)
		if ((na->present & VMXCAP_MSR_BIT(s)) &&
		    (na->val[s] != nb->val[s] || !(nb->present & VMXCAP_MSR_BIT(s)))) {
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
						"%snested %s", n++ ? ", " : "", vmxcap_msrs[s].name);
			break;
		}
	return n ? n : unknown ? -1 : 0;
}

static void put_params(struct vs_hv_result *r, unsigned int ver, const struct vs_kvm_params *p)
{
	size_t i;

	for (i = 0; i < vs_kvm_nparams; i++) {
		const struct vs_kvm_param *q = &vs_kvm_params[i];
		struct vs_hv_value *v;

		if (!in_ver(q->versions, ver) || !strcmp(q->name, "error_on_inconsistent_vmcs_config"))
			continue;
		v = vs_hv_value(r, q->name);
		v->known = p->known[i];
		v->v = p->v[i];
		v->number = q->number;
		v->user = p->user[i];
		snprintf(v->why, sizeof(v->why), "%s", p->why[i]);
	}
}

void vs_kvm_evaluate(const struct vs_hv_profile *pr, unsigned int ver,
		     const struct vs_machine *m, const bool *sel,
		     const struct vs_hv_args *a, struct vs_hv_result *r)
{
	struct vs_groups gr;
	struct vs_kvm_params p0, p;
	struct vs_kvm_config ref, other;
	struct vmxcap_raw nref, nother;
	int nested = vs_kvm_param_index("nested"), st, d;
	size_t g;
	char buf[300];

	(void)pr;
	if (vs_kvm_parse_params(a->kvm_params, ver, &p0)) {
		r->verdict = VS_CANNOT_TELL;
		vs_hv_reason(r, "%s", vs_last_error());
		return;
	}
	vs_groups_make(m, sel, true, &gr);
	p = p0;
	st = vs_kvm_setup(m, &m->cpus[gr.rep[0]], ver, &p, &ref, r);
	if (st == 0) {
		struct step s = { .r = r, .c = &m->cpus[gr.rep[0]], .ver = ver };

		derive(m, &m->cpus[gr.rep[0]], ver, &ref, &p, &s);
		st = s.state;
		if (p.v[nested])
			vs_kvm_nested_raw(&m->cpus[gr.rep[0]], ver, &ref, &p, &nref, NULL, 0);
	}
	/* Every other CPU must compute the same configuration (vmx_check_processor_compat()). */
	for (g = 1; st == 0 && g < gr.n; g++) {
		const struct vs_cpu *c = &m->cpus[gr.rep[g]];
		struct vs_hv_result tmp = { 0 };
		struct vs_kvm_params q = p0;
		struct step s = { .r = r, .c = c, .ver = ver };

		if (vs_kvm_setup(m, c, ver, &q, &other, &tmp)) {
			snprintf(r->cpus, sizeof(r->cpus), "%s", gr.lists[g]);
			vs_hv_reason(r, "cpu %s: %s", gr.lists[g],
				     tmp.nreasons ? tmp.reasons[0] : "kvm_intel's setup fails there");
			refuse(&s, VS_KL_CPU_SETUP, NULL);
			st = 1;
			break;
		}
		derive(m, c, ver, &other, &q, &s);
		if (p.v[nested])
			vs_kvm_nested_raw(c, ver, &other, &q, &nother, NULL, 0);
		d = differences(&ref, &other, p.v[nested] ? &nref : NULL,
				p.v[nested] ? &nother : NULL, r, buf, sizeof(buf));
		if (d > 0) {
			snprintf(r->cpus, sizeof(r->cpus), "%s", gr.lists[g]);
			vs_hv_reason(r, "cpu %s compute%s a configuration unlike cpu %s's: %s", gr.lists[g],
				     strpbrk(gr.lists[g], ",-") ? "" : "s", gr.lists[0], buf);
			refuse(&s, VS_KL_CPU_DIFF, NULL);
			st = 1;
		} else if (d < 0) {
			vs_hv_reason(r, "cpu %s and cpu %s may compute different configurations: they differ in what these values lack",
				     gr.lists[g], gr.lists[0]);
			st = st ? st : -1;
		}
	}
	r->verdict = st > 0 ? VS_REFUSES : st < 0 ? VS_CANNOT_TELL : VS_RUNS;
	/* Parameters exist only when kvm_intel loads: unknown otherwise. */
	if (st) {
		size_t i;

		for (i = 0; i < vs_kvm_nparams; i++) {
			p.known[i] = false;
			snprintf(p.why[i], sizeof(p.why[0]), "%s", st > 0 ? "kvm_intel does not load" :
				 "whether kvm_intel loads is not known");
		}
	}
	put_params(r, ver, &p);
	if (st == 0 && m->cpus[gr.rep[0]].facts->family == 6 && ver == VS_KVM_6_1) {
		size_t k;

		for (k = 0; k < vs_kvm_nperf_models; k++)
			if ((unsigned int)m->cpus[gr.rep[0]].facts->model == vs_kvm_perf_models[k])
				vs_hv_reason(r, "kvm_intel warns: %s", vs_kvm_logs[VS_KL_PERF_BUG].text[ver]);
	}
	vs_groups_free(&gr);
}
