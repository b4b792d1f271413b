// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: what the readiness profiles share - the decoder keys their
 * rules use, the result they fill, and the list of profiles.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv.h"
#include "kvm.h"

struct vs_hv_place vs_hv_resolve(const char *key)
{
	struct vs_hv_place pl = { 0 };
	const char *dot = strchr(key, '.');
	size_t t, f;
	int g;

	if (dot) {
		g = vs_group_by_id(key, (size_t)(dot - key));
		if (g >= 0 && vs_ctl_by_name(g, dot + 1, &pl.bit)) {
			pl.ctl = true;
			pl.group = g;
			pl.pos = pl.bit;
			return pl;
		}
		for (t = 0; t < VMXCAP_NR_FIELD_TABLES; t++) {
			const struct vmxcap_field_table *ft = &vmxcap_field_tables[t];

			if (strlen(ft->id) != (size_t)(dot - key) || strncmp(ft->id, key, (size_t)(dot - key)))
				continue;
			for (f = 0; f < ft->nr_fields; f++)
				if (!strcmp(ft->fields[f].id, dot + 1)) {
					pl.group = (int)t;
					pl.bit = (unsigned int)f;
					pl.pos = ft->fields[f].lo;
					return pl;
				}
		}
	}
	/* The rules are data compiled in: a key the decoder lacks is our bug. */
	fprintf(stderr, "vmxcap-show: internal error: rule key '%s' is not the decoder's\n", key);
	abort();
}

void vs_hv_reason(struct vs_hv_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nreasons == VS_HV_MAX_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->reasons[r->nreasons++], sizeof(r->reasons[0]), fmt, ap);
	va_end(ap);
}

void vs_hv_condition(struct vs_hv_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nconditions == ARRAY_LEN(r->conditions))
		return;
	va_start(ap, fmt);
	vsnprintf(r->conditions[r->nconditions++], sizeof(r->conditions[0]), fmt, ap);
	va_end(ap);
}

void vs_hv_missing(struct vs_hv_result *r, const char *key, int bit, const char *cite)
{
	size_t i;

	for (i = 0; i < r->nmissing; i++)
		if (!strcmp(r->missing[i].key, key))
			return;
	if (r->nmissing == VS_HV_MAX_MISSING)
		return;
	snprintf(r->missing[r->nmissing].key, sizeof(r->missing[0].key), "%s", key);
	r->missing[r->nmissing].bit = bit;
	r->missing[r->nmissing].cite = cite;
	r->nmissing++;
}

void vs_hv_cite(const char *cite, const char *ver, char *buf, size_t size)
{
	char file[64] = "";
	size_t vl = strlen(ver);
	const char *p = cite;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (n > vl && !strncmp(p, ver, vl) && p[vl] == ':') {
			/* "6.1:9465," ends a file's list: the separator is not the line's. */
			size_t len = n - vl - 1 - (p[n - 1] == ',' || p[n - 1] == ';');

			snprintf(buf, size, "%s%s%.*s", file, file[0] ? ":" : "", (int)len, p + vl + 1);
			return;
		}
		if (!memchr(p, ':', n) && n < sizeof(file))
			snprintf(file, sizeof(file), "%.*s", (int)(n - (p[n - 1] == ',')), p);
		p += n;
		while (*p == ' ')
			p++;
	}
	snprintf(buf, size, "%s", cite);
}

struct vs_hv_value *vs_hv_value(struct vs_hv_result *r, const char *name)
{
	struct vs_hv_value *v;
	size_t i;

	for (i = 0; i < r->nvalues; i++)
		if (!strcmp(r->values[i].name, name))
			return &r->values[i];
	if (r->nvalues == VS_HV_MAX_VALUES) {
		fprintf(stderr, "vmxcap-show: internal error: more than %d values\n",
			VS_HV_MAX_VALUES);
		abort();
	}
	v = &r->values[r->nvalues++];
	memset(v, 0, sizeof(*v));
	v->name = name;
	return v;
}

static const struct vs_hv_profile kvm_profile = {
	.id = "kvm", .name = "KVM (kvm_intel)", .versions = vs_kvm_versions,
	.evaluate = vs_kvm_evaluate,
};

const struct vs_hv_profile *const vs_hv_profiles[] = {
	&kvm_profile, &vs_xen_profile, &vs_bhyve_profile, &vs_vbox_profile,
};
const size_t vs_hv_nprofiles = ARRAY_LEN(vs_hv_profiles);

const struct vs_hv_profile *vs_hv_profile(const char *name)
{
	size_t i;

	for (i = 0; i < vs_hv_nprofiles; i++)
		if (vs_name_eq(name, vs_hv_profiles[i]->id))
			return vs_hv_profiles[i];
	return NULL;
}

/* ---- the profiles whose rules are a struct vs_hv_rules -------------------------- */

typedef unsigned long long ull;

/*
 * A control group's must-be-1 (lo) and may-be-1 (hi) bits as the
 * hypervisor reads them: the non-TRUE MSR, or (true_msr) the TRUE one
 * when IA32_VMX_BASIC[55] says it exists.  A legacy MSR not recorded is
 * rebuilt from the TRUE one and the default1 bits; a read that faults or
 * an MSR that does not exist gives 0.  -1 when nothing says.
 */
int vs_hv_ctl_msr(const struct vmxcap_raw *raw, enum vmxcap_ctl_group g, bool true_msr,
		  ull *lo, ull *hi)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	ull v;

	if (true_msr && gi->true_msr != VMXCAP_NR_MSRS) {
		if (!vmxcap_has(raw, VMXCAP_BASIC))
			return -1;
		if ((raw->val[VMXCAP_BASIC] >> 55) & 1) {
			if (!vmxcap_has(raw, gi->true_msr))
				return -1;
			*lo = raw->val[gi->true_msr] & 0xffffffffull;
			*hi = raw->val[gi->true_msr] >> 32;
			return 0;
		}
	}
	if (vmxcap_has(raw, gi->msr))
		v = raw->val[gi->msr];
	else if (raw->faulted & VMXCAP_MSR_BIT(gi->msr) ||
		 vmxcap_msr_existence(raw, gi->msr) == VMXCAP_ABSENT)
		v = 0;
	else if (gi->true_msr != VMXCAP_NR_MSRS && vmxcap_has(raw, gi->true_msr))
		v = raw->val[gi->true_msr] | gi->default1;
	else
		return -1;
	if (gi->allowed1_only) {
		*lo = 0;
		*hi = v;
	} else {
		*lo = v & 0xffffffffull;
		*hi = v >> 32;
	}
	return 0;
}

/*
 * One term: "GROUP.ID" allowed-1 (a control) or set (a field bit); a
 * prefix "T0:" allowed-0 in the TRUE-if-BASIC[55] MSR; "=name" an earlier
 * use.  1 holds, 0 not, -1 unknown.
 */
static int term(const struct vs_hv_rules *ru, const struct vs_cpu *c, const char *t,
		const struct vs_hv_result *r)
{
	bool zero = !strncmp(t, "T0:", 3), true_msr = ru->msrs == VS_HV_TRUE_IF_BASIC55 || zero;
	struct vs_hv_place pl;
	size_t i;
	ull lo, hi, v;

	if (t[0] == '=') {
		for (i = 0; i < r->nvalues; i++)
			if (!strcmp(r->values[i].name, t + 1))
				return r->values[i].known ? (int)r->values[i].v : -1;
		return 0;
	}
	pl = vs_hv_resolve(zero ? t + 3 : t);
	if (pl.ctl) {
		if (vs_hv_ctl_msr(c->raw, pl.group, true_msr, &lo, &hi))
			return -1;
		return zero ? !((lo >> pl.bit) & 1) : (int)((hi >> pl.bit) & 1);
	}
	{
		const struct vmxcap_field_table *ft = &vmxcap_field_tables[pl.group];

		if (!vmxcap_has(c->raw, ft->msr))
			return c->raw->faulted & VMXCAP_MSR_BIT(ft->msr) ||
			       vmxcap_msr_existence(c->raw, ft->msr) == VMXCAP_ABSENT ? 0 : -1;
		v = vmxcap_field_value(&ft->fields[pl.bit], c->raw->val[ft->msr]);
		return v != 0;
	}
}

/* "a|b": either; 1, 0, or -1 when none holds and one is unknown. */
static int any_term(const struct vs_hv_rules *ru, const struct vs_cpu *c, const char *key,
		    const struct vs_hv_result *r)
{
	char alt[2][64];
	int n = sscanf(key, "%63[^|]|%63s", alt[0], alt[1]), k, res = 0;

	for (k = 0; k < n; k++) {
		int t = term(ru, c, alt[k], r);

		if (t == 1)
			return 1;
		if (t < 0)
			res = -1;
	}
	return res;
}

static const struct vs_hv_group_log *group_log(const struct vs_hv_rules *ru, int g)
{
	const struct vs_hv_group_log *l;

	for (l = ru->group_logs; l->group != -1; l++)
		if (l->group == g)
			return l;
	return l->fmt ? l : NULL;
}

/* The refusal line of a failed requirement (first failure only). */
static void req_log(const struct vs_hv_rules *ru, const struct vs_cpu *c,
		    const struct vs_hv_req *q, const struct vs_hv_place *pl, unsigned int ver,
		    struct vs_hv_result *r)
{
	const char *fmt = NULL;

	if (r->has_log)
		return;
	if (pl->ctl) {
		const struct vs_hv_group_log *l = group_log(ru, pl->group);
		ull lo = 0, hi = 0, min = 0;
		size_t i;

		if (l && l->name && l->fmt) {
			/* Xen's: the computed value and the required bits. */
			for (i = 0; i < ru->nreqs; i++) {
				struct vs_hv_place p2;

				if (ru->reqs[i].need != VS_NEED_1 || strchr(ru->reqs[i].key, '|') ||
				    !((ru->reqs[i].versions >> ver) & 1))
					continue;
				p2 = vs_hv_resolve(ru->reqs[i].key);
				if (p2.ctl && p2.group == pl->group)
					min |= 1ull << p2.bit;
			}
			vs_hv_ctl_msr(c->raw, pl->group, false, &lo, &hi);
			snprintf(r->log, sizeof(r->log), l->fmt, c->id, l->name,
				 (l->minopt & hi) | lo, min);
			r->has_log = true;
			return;
		}
		fmt = l ? l->fmt : NULL;
	} else if (pl->group == VMXCAP_FT_BASIC) {
		fmt = ru->basic_log;
		if (!fmt) {
			unsigned int k = !strcmp(q->key, "basic.vmcs_size") ? 0 :
					 !strcmp(q->key, "basic.phys_addr_32bit") ? 1 : 2;
			ull v = vmxcap_field_value(&vmxcap_field_tables[VMXCAP_FT_BASIC].fields[pl->bit],
						   c->raw->val[VMXCAP_BASIC]);

			if (ru->basic_logs[k]) {
				if (k == 1)
					snprintf(r->log, sizeof(r->log), ru->basic_logs[k], c->id);
				else
					snprintf(r->log, sizeof(r->log), ru->basic_logs[k], c->id, v);
				r->has_log = true;
			}
			return;
		}
	} else {
		fmt = ru->cap_log;
	}
	if (fmt) {
		if (strstr(fmt, "%u"))
			snprintf(r->log, sizeof(r->log), fmt, c->id);
		else
			snprintf(r->log, sizeof(r->log), "%s", fmt);
		r->has_log = true;
	}
}

/* The requirements on one CPU: 0 met, 1 not, -1 unknown; missing into r. */
static int check_cpu(const struct vs_hv_rules *ru, unsigned int ver, const struct vs_cpu *c,
		     struct vs_hv_result *r)
{
	bool inferred;
	enum vs_status st = vs_cpu_status(c, &inferred);
	int state = 0;
	size_t i;

	if (st == VS_STATUS_NO_VMX) {
		vs_hv_reason(r, "cpu %u has no VMX in CPUID", c->id);
		if (ru->no_vmx_log) {
			snprintf(r->log, sizeof(r->log), "%s", ru->no_vmx_log);
			r->has_log = true;
		}
		return 1;
	}
	if (st == VS_STATUS_DISABLED || st == VS_STATUS_SMX_ONLY) {
		vs_hv_reason(r, "IA32_FEATURE_CONTROL is locked without VMXON outside SMX on cpu %u",
			     c->id);
		if (ru->fc_log) {
			if (strstr(ru->fc_log, "%u"))
				snprintf(r->log, sizeof(r->log), ru->fc_log, c->id);
			else
				snprintf(r->log, sizeof(r->log), "%s", ru->fc_log);
			r->has_log = true;
		}
		return 1;
	}
	if (st == VS_STATUS_UNKNOWN && !vmxcap_has(c->raw, VMXCAP_FEATURE_CONTROL))
		vs_hv_condition(r, "the firmware leaves VMX enabled (IA32_FEATURE_CONTROL was not read)");
	for (i = 0; i < ru->nreqs; i++) {
		const struct vs_hv_req *q = &ru->reqs[i];
		struct vs_hv_place pl;
		int ok;

		if (!((q->versions >> ver) & 1))
			continue;
		if (q->only_if && term(ru, c, q->only_if, r) != 1)
			continue;
		if (q->unless && term(ru, c, q->unless, r) == 1)
			continue;
		if (strchr(q->key, '|')) {
			char first[64];

			snprintf(first, sizeof(first), "%.*s", (int)strcspn(q->key, "|"), q->key);
			pl = vs_hv_resolve(first);
			ok = any_term(ru, c, q->key, r);
		} else if (q->need == VS_NEED_LE || q->need == VS_NEED_EQ) {
			const struct vmxcap_field_table *ft;
			ull v;

			pl = vs_hv_resolve(q->key);
			ft = &vmxcap_field_tables[pl.group];
			if (!vmxcap_has(c->raw, ft->msr)) {
				ok = -1;
			} else {
				v = vmxcap_field_value(&ft->fields[pl.bit], c->raw->val[ft->msr]);
				ok = q->need == VS_NEED_LE ? v <= q->value : v == q->value;
			}
		} else {
			char t[72];

			pl = vs_hv_resolve(q->key);
			snprintf(t, sizeof(t), "%s%s", q->need == VS_NEED_0 ? "T0:" : "", q->key);
			/* VS_NEED_0 reads the MSR the profile reads, TRUE or not. */
			if (q->need == VS_NEED_0 && ru->msrs == VS_HV_LEGACY) {
				ull lo, hi;

				ok = vs_hv_ctl_msr(c->raw, pl.group, false, &lo, &hi) ? -1 : !((lo >> pl.bit) & 1);
			} else {
				ok = term(ru, c, t, r);
			}
		}
		if (ok == 1)
			continue;
		if (ok < 0) {
			vs_hv_reason(r, "the values do not say %s (%s)", q->key, "its MSR was not recorded");
			state = state ? state : -1;
			continue;
		}
		vs_hv_missing(r, q->key, (int)pl.pos, q->cite);
		req_log(ru, c, q, &pl, ver, r);
		state = 1;
	}
	return state;
}

static void uses(const struct vs_hv_rules *ru, unsigned int ver, const struct vs_cpu *c,
		 struct vs_hv_result *r)
{
	size_t i, t;

	for (i = 0; i < ru->nuses; i++) {
		const struct vs_hv_use *u = &ru->uses[i];
		struct vs_hv_value *v;

		if (!((u->versions >> ver) & 1))
			continue;
		v = vs_hv_value(r, u->name);
		v->known = 1;
		v->v = 1;
		for (t = 0; t < ARRAY_LEN(u->needs) && u->needs[t]; t++) {
			int k = strchr(u->needs[t], '|') ? any_term(ru, c, u->needs[t], r) :
				term(ru, c, u->needs[t], r);

			if (k == 0) {
				v->v = 0;
				v->known = 1;
				if (u->needs[t][0] == '=')
					snprintf(v->why, sizeof(v->why), "needs %s, which is not used",
						 u->needs[t] + 1);
				else
					snprintf(v->why, sizeof(v->why), "the CPU %s %s (%s)",
						 !strncmp(u->needs[t], "T0:", 3) ? "forces" : "lacks",
						 !strncmp(u->needs[t], "T0:", 3) ? u->needs[t] + 3 : u->needs[t],
						 u->cite);
				break;
			}
			if (k < 0) {
				v->known = 0;
				snprintf(v->why, sizeof(v->why), "%s is not known from these values", u->needs[t]);
			}
		}
	}
}

/* Whether two CPUs compute the same groups and capabilities (Xen's AP check). */
static bool same_computed(const struct vs_hv_rules *ru, const struct vs_cpu *a, const struct vs_cpu *b,
			  char *what, size_t size)
{
	const struct vs_hv_group_log *l;
	ull alo, ahi, blo, bhi;

	for (l = ru->group_logs; l->group != -1; l++) {
		if (vs_hv_ctl_msr(a->raw, l->group, false, &alo, &ahi) ||
		    vs_hv_ctl_msr(b->raw, l->group, false, &blo, &bhi))
			continue;
		if (((l->minopt & ahi) | alo) != ((l->minopt & bhi) | blo)) {
			snprintf(what, size, "\"VMX %s: saw %#llx expected %#llx\"", l->name,
				 (l->minopt & bhi) | blo, (l->minopt & ahi) | alo);
			return false;
		}
	}
	if (vmxcap_has(a->raw, VMXCAP_EPT_VPID_CAP) && vmxcap_has(b->raw, VMXCAP_EPT_VPID_CAP) &&
	    a->raw->val[VMXCAP_EPT_VPID_CAP] != b->raw->val[VMXCAP_EPT_VPID_CAP]) {
		snprintf(what, size, "\"VMX EPT and VPID Capability: saw %#llx expected %#llx\"",
			 b->raw->val[VMXCAP_EPT_VPID_CAP], a->raw->val[VMXCAP_EPT_VPID_CAP]);
		return false;
	}
	if (vmxcap_has(a->raw, VMXCAP_BASIC) && vmxcap_has(b->raw, VMXCAP_BASIC) &&
	    (a->raw->val[VMXCAP_BASIC] ^ b->raw->val[VMXCAP_BASIC]) & (0x1fffull << 32 | 1ull << 54 | 0x7fffffff)) {
		snprintf(what, size, "IA32_VMX_BASIC (revision, VMCS size or INS/OUTS information)");
		return false;
	}
	return true;
}

void vs_hv_evaluate(const struct vs_hv_profile *p, unsigned int ver,
		    const struct vs_machine *m, const bool *sel,
		    const struct vs_hv_args *a, struct vs_hv_result *r)
{
	const struct vs_hv_rules *ru = p->rules;
	struct vs_groups gr;
	int st;
	size_t g;
	char what[400], offline[512] = "";

	(void)a;
	r->derived = ru->derived;
	vs_groups_make(m, sel, true, &gr);
	st = check_cpu(ru, ver, &m->cpus[gr.rep[0]], r);
	if (st > 0 && r->nmissing)
		vs_hv_reason(r, "%s", ru->refusal);
	else if (st > 0)
		vs_hv_reason(r, "%s has no VMX to use here", p->name);
	if (st == 0)
		uses(ru, ver, &m->cpus[gr.rep[0]], r);
	for (g = 1; st == 0 && g < gr.n; g++) {
		const struct vs_cpu *c = &m->cpus[gr.rep[g]];
		struct vs_hv_result tmp = { 0 };
		bool differs;

		if (!ru->ap_offline) {
			vs_hv_reason(r, "%s reads the capabilities on one CPU: cpu %s differ%s from cpu %s, which it does not check",
				     p->name, gr.lists[g], strpbrk(gr.lists[g], ",-") ? "" : "s", gr.lists[0]);
			continue;
		}
		differs = check_cpu(ru, ver, c, &tmp) != 0;
		if (differs)
			snprintf(what, sizeof(what), "%s", tmp.nmissing ? tmp.missing[0].key :
				 tmp.nreasons ? tmp.reasons[0] : "its checks fail");
		else
			differs = !same_computed(ru, &m->cpus[gr.rep[0]], c, what, sizeof(what));
		if (!differs)
			continue;
		snprintf(offline + strlen(offline), sizeof(offline) - strlen(offline), "%s%s",
			 offline[0] ? "," : "", gr.lists[g]);
		vs_hv_reason(r, "cpu %s stays offline: %s (\"VMX: Capabilities fatally differ between CPU%u and CPU0\", \"CPU%u: Failed to initialise HVM. Not coming online.\")",
			     gr.lists[g], what, c->id, c->id);
	}
	if (offline[0])
		snprintf(r->cpus, sizeof(r->cpus), "%s", offline);
	r->verdict = st > 0 ? VS_REFUSES : st < 0 ? VS_CANNOT_TELL : VS_RUNS;
	vs_groups_free(&gr);
}
