// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the VMX MSRs KVM offers its L1 guests, as
 * nested_vmx_setup_ctls_msrs() builds them from the host's computed
 * configuration and kvm_intel's parameters, and vmx_get_vmx_msr() reports
 * them (nested.c: 6.1 :6838 and :1424, 6.12 :7224 and :1509, 7.3 :7381
 * and :1608).  What KVM_GET_MSRS on /dev/kvm returns, before any vCPU
 * exists: the per-vCPU adjustments to guest CPUID come later.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm.h"

typedef unsigned long long ull;

/* vmcs12.h VMCS12_REVISION; asm/vmx.h *_ALWAYSON_WITHOUT_TRUE_MSR. */
#define VMCS12_REVISION		0x11e57ed0ull
#define PIN_ALWAYSON		0x00000016ull
#define PROC_ALWAYSON		0x0401e172ull
#define EXIT_ALWAYSON		0x00036dffull
#define ENTRY_ALWAYSON		0x000011ffull

static bool bit(ull v, unsigned int b)
{
	return (v >> b) & 1;
}

static long long param(const struct vs_kvm_params *p, const char *name)
{
	return p->v[vs_kvm_param_index(name)];
}

static void put(struct vmxcap_raw *out, enum vmxcap_msr s, ull v)
{
	out->val[s] = v;
	out->present |= VMXCAP_MSR_BIT(s);
}

static void note(char *notes, size_t size, const char *what)
{
	size_t len;

	if (!notes)
		return;
	len = strlen(notes);
	snprintf(notes + len, size - len, "%s%s", len ? "; " : "", what);
}

void vs_kvm_nested_raw(const struct vs_cpu *c, unsigned int ver,
		       const struct vs_kvm_config *conf, const struct vs_kvm_params *p,
		       struct vmxcap_raw *out, char *notes, size_t size)
{
	const ull *ctl = conf->ctl;
	bool ept = param(p, "ept"), eptad = param(p, "eptad"), vpid = param(p, "vpid");
	bool kvm_cet = false;
	ull pin, pro, exi, ent, sec, eptcap, umip_emulated, x;

	memset(out, 0, sizeof(*out));
	if (notes)
		notes[0] = '\0';
	/* 7.3 offers load-CET only when KVM exposes shadow stacks or IBT to guests. */
	if (ver >= VS_KVM_7_3 && (bit(ctl[VMXCAP_CTL_EXIT], 28) || bit(ctl[VMXCAP_CTL_ENTRY], 20))) {
		bool base = param(p, "cet") && param(p, "unrestricted_guest") && bit(conf->basic, 56);

		if (base && (c->facts->shstk < 0 || c->facts->ibt < 0))
			note(notes, size, "load-CET not offered (assumed: the kernel's shadow-stack and IBT flags are not known)");
		kvm_cet = base && ((c->facts->shstk == 1 && ept) || c->facts->ibt == 1);
		if (kvm_cet)
			note(notes, size, "load-CET offered (assumed: IA32_XSS supports CET_U and CET_S)");
	}

	x = (ull)1 << 54 & conf->basic;
	if (ver >= VS_KVM_7_3)
		x |= (ull)1 << 56 & conf->basic;
	/* Revision, 4 KiB, write-back, TRUE controls. */
	put(out, VMXCAP_BASIC, VMCS12_REVISION | 0x1000ull << 32 | 6ull << 50 | 1ull << 55 | x);

	pin = (ctl[VMXCAP_CTL_PIN] & (0x01 | 0x08 | 0x20 | (param(p, "enable_apicv") ? 0x80 : 0))) |
	      PIN_ALWAYSON | 0x40;	/* the preemption timer is always emulated */
	put(out, VMXCAP_PINBASED, PIN_ALWAYSON | pin << 32);
	put(out, VMXCAP_TRUE_PINBASED, PIN_ALWAYSON | pin << 32);

	pro = (ctl[VMXCAP_CTL_PROC] & 0xebf99e8cull) | PROC_ALWAYSON | 1ull << 28;
	put(out, VMXCAP_PROCBASED, PROC_ALWAYSON | pro << 32);
	/* CR3-load and CR3-store exiting may be 0 in the TRUE form. */
	put(out, VMXCAP_TRUE_PROCBASED, (PROC_ALWAYSON & ~(3ull << 15)) | pro << 32);

	exi = (ctl[VMXCAP_CTL_EXIT] & (0x200 | 0x40000 | 0x80000 | 0x800000 |
				       (ver >= VS_KVM_7_3 && kvm_cet ? 1ull << 28 : 0))) |
	      EXIT_ALWAYSON | 1ull << 21 | 1ull << 20 | 1ull << 22 | 1ull << 15 | 1ull << 12;
	put(out, VMXCAP_EXIT, EXIT_ALWAYSON | exi << 32);
	put(out, VMXCAP_TRUE_EXIT, (EXIT_ALWAYSON & ~(1ull << 2)) | exi << 32);

	ent = (ctl[VMXCAP_CTL_ENTRY] & (0x200 | 0x4000 | 0x10000 |
					(ver >= VS_KVM_7_3 && kvm_cet ? 1ull << 20 : 0))) |
	      ENTRY_ALWAYSON | 1ull << 15 | 1ull << 13;
	put(out, VMXCAP_ENTRY, ENTRY_ALWAYSON | ent << 32);
	put(out, VMXCAP_TRUE_ENTRY, (ENTRY_ALWAYSON & ~(1ull << 2)) | ent << 32);

	/* EFER.LMA on exit from the host; VMWRITE of any field, rate 5, HLT, wait-for-SIPI. */
	put(out, VMXCAP_MISC, (conf->misc & 0x20) | 0x20000145ull);
	put(out, VMXCAP_CR0_FIXED0, 0x80000021ull);
	put(out, VMXCAP_CR0_FIXED1, c->raw->val[VMXCAP_CR0_FIXED1]);
	put(out, VMXCAP_CR4_FIXED0, 0x2000ull);
	/* UMIP is emulated with descriptor-table exiting (6.12+: when the host lacks it). */
	umip_emulated = bit(ctl[VMXCAP_CTL_PROC2], 2);
	if (ver >= VS_KVM_6_12 && umip_emulated) {
		if (c->facts->umip < 0)
			note(notes, size, "CR4.UMIP taken as the host's (assumed: the kernel's UMIP flag is on)");
		umip_emulated = c->facts->umip == 0;
	}
	put(out, VMXCAP_CR4_FIXED1, c->raw->val[VMXCAP_CR4_FIXED1] | (umip_emulated ? 1ull << 11 : 0));
	/* Twice the highest vmcs12 field index: TSC_MULTIPLIER's; 7.3 only with TSC scaling. */
	put(out, VMXCAP_VMCS_ENUM, ver >= VS_KVM_7_3 && !bit(ctl[VMXCAP_CTL_PROC2], 25) ? 0x2e : 0x32);

	sec = ctl[VMXCAP_CTL_PROC2] & (ver == VS_KVM_6_1 ? 0x06111b5cull : 0x06113b5cull);
	if (ver == VS_KVM_6_1 && bit(ctl[VMXCAP_CTL_PROC2], 13))
		sec |= 1ull << 13;
	sec |= 1ull << 14;	/* VMCS shadowing, always emulated */
	if (ept)
		sec |= 1ull << 1 | (eptad ? 1ull << 17 : 0);
	if (ver >= VS_KVM_7_3 && ept && param(p, "mbec"))
		sec |= 1ull << 22;
	if (vpid)
		sec |= 1ull << 5;
	if (param(p, "unrestricted_guest"))
		sec |= 1ull << 7;
	if (param(p, "flexpriority"))
		sec |= 1ull << 0;
	if (param(p, "sgx"))
		sec |= 1ull << 15;
	if (!p->known[vs_kvm_param_index("sgx")])
		note(notes, size, "ENCLS exiting not offered (assumed: no SGX in CPUID.12H)");
	put(out, VMXCAP_PROCBASED2, sec << 32);

	eptcap = 0;
	if (ept)
		eptcap = (conf->ept & (ver >= VS_KVM_7_3 ? 0x005040c1ull : 0x001040c1ull)) |
			 0x06030000ull | (eptad ? 1ull << 21 : 0);
	if (vpid)
		eptcap |= 0xf01ull << 32;
	put(out, VMXCAP_EPT_VPID_CAP, eptcap);
	put(out, VMXCAP_VMFUNC, ept && bit(ctl[VMXCAP_CTL_PROC2], 13) ? 1 : 0);
}

int vs_kvm_nested_machine(struct vs_machine *m, const struct vs_hv_args *a)
{
	struct vs_groups gr;
	char note[160], notes[600];
	size_t g, i, nraws = m->nraws;
	int ver = vs_kvm_version(m, a->kver, note, sizeof(note));
	int ret = -1;

	if (ver < 0)
		return -1;
	vs_groups_make(m, NULL, true, &gr);
	for (g = 0; g < gr.n; g++) {
		struct vs_cpu *c = &m->cpus[gr.rep[g]];
		struct vs_hv_result r = { 0 };
		struct vs_kvm_params p;
		struct vs_kvm_config conf;
		struct vmxcap_raw *raw;
		int st;

		if (vs_kvm_parse_params(a->kvm_params, (unsigned int)ver, &p))
			goto out;
		st = vs_kvm_setup(m, c, (unsigned int)ver, &p, &conf, &r);
		if (st) {
			vs_error("--nested-view: KVM %s %s on cpu %s: %s", vs_kvm_versions[ver],
				 st > 0 ? "refuses to load" : "cannot be modelled",
				 gr.lists[g], r.nreasons ? r.reasons[0] : "see --require kvm");
			goto out;
		}
		vs_kvm_derive(m, c, (unsigned int)ver, &conf, &p);
		if (!p.v[vs_kvm_param_index("nested")]) {
			vs_error("--nested-view: with nested=0 KVM offers its guests no VMX");
			goto out;
		}
		raw = vs_machine_new_raw(m);
		vs_kvm_nested_raw(c, (unsigned int)ver, &conf, &p, raw, notes, sizeof(notes));
		if (notes[0])
			vs_machine_note(m, "nested view, cpu %s: %s", gr.lists[g], notes);
		for (i = 0; i < m->n; i++)
			if (gr.of[i] == g)
				m->cpus[i].raw = raw;
	}
	/* The host's raw sets are no longer any CPU's. */
	for (i = 0; i < nraws; i++)
		free(m->raws[i]);
	memmove(m->raws, m->raws + nraws, (m->nraws - nraws) * sizeof(*m->raws));
	m->nraws -= nraws;
	snprintf(m->origin, sizeof(m->origin), "nested-view");
	vs_machine_note(m, "KVM %s's nested view, predicted from the host's values (%s)",
			vs_kvm_versions[ver], note);
	ret = 0;
out:
	vs_groups_free(&gr);
	return ret;
}
