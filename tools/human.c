// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the full human listing of one CPU - IA32_FEATURE_CONTROL,
 * QEMU vmxcap's sections in its order, then what vmxcap lacks (VMCS
 * enumeration, CR0/CR4, consistency problems, unnamed bits, the vmx flags
 * line) - as libsmartcols tables.  Names and states are the decoder's.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"

static void msr_status(const struct vmxcap_raw *raw, enum vmxcap_msr msr,
		       char *buf, size_t size)
{
	if (vmxcap_has(raw, msr))
		snprintf(buf, size, "%s = 0x%016llx", vmxcap_msrs[msr].name, raw->val[msr]);
	else if (raw->faulted & VMXCAP_MSR_BIT(msr))
		snprintf(buf, size, "%s: read faulted", vmxcap_msrs[msr].name);
	else if (vmxcap_msr_existence(raw, msr) == VMXCAP_ABSENT)
		snprintf(buf, size, "%s: does not exist on this CPU", vmxcap_msrs[msr].name);
	else
		snprintf(buf, size, "%s: not read", vmxcap_msrs[msr].name);
}

static const char *const ctl_cols[] = { "NAME", "STATE", "ID", "LINUX" };
static const char *const field_cols[] = { "NAME", "VALUE", "ID" };

/*
 * The bits of candidates that have no name in the decoder's table, as
 * kernel-style lists per state ("1-2,4"): a control group g, or a CR.
 */
static size_t unnamed_lists(int g, int cr, const struct vmxcap_raw *raw, u64 candidates,
			    char lists[VMXCAP_NR_STATES][256])
{
	unsigned int ids[VMXCAP_NR_STATES][64], n[VMXCAP_NR_STATES] = { 0 }, bit, s;
	size_t total = 0;

	for (bit = 0; bit < 64; bit++) {
		enum vmxcap_state st;

		if (!((candidates >> bit) & 1))
			continue;
		if (g >= 0 ? vmxcap_ctl_lookup(g, bit) != NULL :
		    vmxcap_cr_bit_lookup(cr, bit) != NULL)
			continue;
		st = g >= 0 ? vmxcap_ctl_state(raw, g, bit) : vmxcap_cr_state(raw, cr, bit);
		if (st == VMXCAP_STATE_NO)
			continue;
		ids[st][n[st]++] = bit;
		total++;
	}
	for (s = 0; s < VMXCAP_NR_STATES; s++)
		vs_format_cpulist(ids[s], n[s], lists[s], sizeof(lists[s]));
	return total;
}

static void unnamed_rows(struct vs_table *t, int g, int cr, const struct vmxcap_raw *raw,
			 u64 candidates)
{
	char lists[VMXCAP_NR_STATES][256], name[300];
	unsigned int s;

	unnamed_lists(g, cr, raw, candidates, lists);
	for (s = 0; s < VMXCAP_NR_STATES; s++)
		if (lists[s][0]) {
			snprintf(name, sizeof(name), "bits %.250s", lists[s]);
			vs_table_row(t, vs_state_color(s), "(no name)", vmxcap_state_name(s), name, NULL);
		}
}

static int show_group(const struct vs_cpu *c, enum vmxcap_ctl_group g,
		      const struct vs_opts *o, FILE *out)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	char title[512], st[160], st2[160] = "";
	struct vs_table t;
	unsigned int i;
	u64 must1, may1;
	bool known = vmxcap_ctl_masks(c->raw, g, &must1, &may1);

	msr_status(c->raw, gi->msr, st, sizeof(st));
	if (vmxcap_ctl_uses_true(c->raw, g))
		msr_status(c->raw, gi->true_msr, st2, sizeof(st2));
	snprintf(title, sizeof(title), "%s (%s%s%s)", gi->name, st, st2[0] ? "; used: " : "", st2);
	if (vs_table_new(&t, o->color, out, title, ctl_cols, 4))
		return -1;
	for (i = 0; i < gi->nr_ctls; i++) {
		const struct vmxcap_ctl *ctl = &gi->ctls[i];
		enum vmxcap_state s = vmxcap_ctl_state(c->raw, g, ctl->bit);

		vs_table_row(&t, vs_state_color(s), ctl->name, vmxcap_state_name(s), ctl->id,
			  ctl->linux_flag ? ctl->linux_flag : "");
	}
	/* Bits without a name that may (or must) be 1: one row per state. */
	if (known)
		unnamed_rows(&t, g, -1, c->raw, must1 | may1);
	vs_table_print(&t);
	return 0;
}

static int show_fields(const struct vs_cpu *c, enum vmxcap_field_table_id ft,
		       const struct vs_opts *o, FILE *out)
{
	const struct vmxcap_field_table *tab = &vmxcap_field_tables[ft];
	char title[512], st[160];
	struct vs_table t;
	unsigned int i;

	msr_status(c->raw, tab->msr, st, sizeof(st));
	snprintf(title, sizeof(title), "%s (%s)", tab->name, st);
	if (vs_table_new(&t, o->color, out, title, field_cols, 3))
		return -1;
	if (vmxcap_has(c->raw, tab->msr)) {
		u64 v = c->raw->val[tab->msr], unknown;

		for (i = 0; i < tab->nr_fields; i++) {
			char val[96];

			vmxcap_field_format(&tab->fields[i], v, true, val, sizeof(val));
			vs_table_row(&t, NULL, tab->fields[i].name, val, tab->fields[i].id, NULL);
		}
		unknown = vmxcap_field_unknown_bits(tab, v);
		if (unknown) {
			char val[32];

			snprintf(val, sizeof(val), "0x%llx", unknown);
			vs_table_row(&t, "bold", "Set bits with no name", val, "unknown_bits", NULL);
		}
	}
	vs_table_print(&t);
	return 0;
}

static int show_cr(const struct vs_cpu *c, enum vmxcap_cr cr,
		   const struct vs_opts *o, FILE *out)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	char title[512], st0[160], st1[160];
	struct vs_table t;
	unsigned int i;

	msr_status(c->raw, ci->fixed0, st0, sizeof(st0));
	msr_status(c->raw, ci->fixed1, st1, sizeof(st1));
	snprintf(title, sizeof(title),
		 "%s in VMX operation: forced = must be 1, no = must be 0, yes = free (%s; %s)",
		 cr == VMXCAP_CR0 ? "CR0" : "CR4", st0, st1);
	if (vs_table_new(&t, o->color, out, title, field_cols, 3))
		return -1;
	for (i = 0; i < ci->nr_bits; i++) {
		enum vmxcap_state s = vmxcap_cr_state(c->raw, cr, ci->bits[i].bit);

		vs_table_row(&t, vs_state_color(s), ci->bits[i].name, vmxcap_state_name(s),
			  ci->bits[i].id, NULL);
	}
	if (vmxcap_has(c->raw, ci->fixed0) && vmxcap_has(c->raw, ci->fixed1))
		unnamed_rows(&t, -1, cr, c->raw,
			     c->raw->val[ci->fixed0] | c->raw->val[ci->fixed1]);
	vs_table_print(&t);
	return 0;
}

static void show_problems(const struct vs_cpu *c, FILE *out)
{
	struct vmxcap_problem p[64];
	unsigned int n = vmxcap_check(c->raw, p, ARRAY_LEN(p)), i;

	fprintf(out, "Consistency checks: %s\n", n ? "" : "no problems");
	for (i = 0; i < n && i < ARRAY_LEN(p); i++) {
		fprintf(out, "  %s: %s", vmxcap_problem_id(p[i].kind), vmxcap_msrs[p[i].msr].name);
		if (p[i].bit != VMXCAP_PROBLEM_NO_BIT)
			fprintf(out, " bit %u", p[i].bit);
		fprintf(out, ": %s\n", vmxcap_problem_text(p[i].kind));
	}
	if (n > ARRAY_LEN(p))
		fprintf(out, "  ... and %u more\n", n - (unsigned int)ARRAY_LEN(p));
	fputc('\n', out);
}

/* Every allowed bit without a name, in one place (the sections show them too). */
static void show_unnamed(const struct vs_cpu *c, FILE *out)
{
	char lists[VMXCAP_NR_STATES][256];
	unsigned int g, s, count = 0;

	fprintf(out, "Bits with no name that may or must be 1:\n");
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS + VMXCAP_NR_CRS; g++) {
		bool is_cr = g >= VMXCAP_NR_CTL_GROUPS;
		int cr = (int)g - VMXCAP_NR_CTL_GROUPS;
		u64 must1, may1;

		if (is_cr ? !vmxcap_has(c->raw, vmxcap_crs[cr].fixed0) ||
			    !vmxcap_has(c->raw, vmxcap_crs[cr].fixed1) :
		    !vmxcap_ctl_masks(c->raw, g, &must1, &may1))
			continue;
		if (is_cr)
			unnamed_lists(-1, cr, c->raw, c->raw->val[vmxcap_crs[cr].fixed0] |
				      c->raw->val[vmxcap_crs[cr].fixed1], lists);
		else
			unnamed_lists((int)g, -1, c->raw, must1 | may1, lists);
		for (s = 0; s < VMXCAP_NR_STATES; s++)
			if (lists[s][0]) {
				fprintf(out, "  %-11s %-8s bits %s\n",
					is_cr ? vmxcap_crs[cr].id : vmxcap_ctl_groups[g].id,
					vmxcap_state_name(s), lists[s]);
				count++;
			}
	}
	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[g];

		if (vmxcap_has(c->raw, t->msr) &&
		    vmxcap_field_unknown_bits(t, c->raw->val[t->msr])) {
			fprintf(out, "  %-11s set      0x%llx\n", t->id,
				vmxcap_field_unknown_bits(t, c->raw->val[t->msr]));
			count++;
		}
	}
	if (!count)
		fprintf(out, "  none\n");
	fputc('\n', out);
}

static int show_one_human(const struct vs_cpu *c, const struct vs_opts *o,
			  FILE *out)
{
	enum vmxcap_fc_verdict v = vmxcap_fc_verdict(c->raw);
	char id[160], flags[2048];
	size_t i;

	vs_format_identity(c, id, sizeof(id));
	fprintf(out, "cpu%u: %s%s%s%s\n", c->id, id, c->label ? " (" : "",
		c->label ? c->label : "", c->label ? ")" : "");
	if (c->vmx == 0)
		fprintf(out, "VMX: not in CPUID on this CPU\n");
	fprintf(out, "VMX: %s: %s\n\n", vmxcap_fc_verdict_id(v), vmxcap_fc_verdict_text(v));
	if (show_fields(c, VMXCAP_FT_FEATURE_CONTROL, o, out))
		return -1;
	/* vmxcap's sections in vmxcap's order, then what vmxcap lacks. */
	for (i = 0; i < VMXCAP_NR_VMXCAP_SECTIONS; i++) {
		const struct vmxcap_vmxcap_section *sec = &vmxcap_vmxcap_sections[i];
		int r = sec->is_ctl_group ?
			show_group(c, sec->index, o, out) :
			show_fields(c, sec->index, o, out);

		if (r)
			return -1;
	}
	if (show_fields(c, VMXCAP_FT_VMCS_ENUM, o, out))
		return -1;
	if (show_cr(c, VMXCAP_CR0, o, out) || show_cr(c, VMXCAP_CR4, o, out))
		return -1;
	show_problems(c, out);
	show_unnamed(c, out);
	vmxcap_linux_flags(c->raw, o->kver, flags, sizeof(flags));
	fprintf(out, "vmx flags (as Linux shows them): %s\n", flags[0] ? flags : "(no line)");
	return 0;
}

int vs_show_human(const struct vs_machine *m, const bool *sel,
		  const struct vs_opts *o, FILE *out)
{
	unsigned int *ids = xmalloc(m->n * sizeof(*ids));
	struct vs_groups gr;
	size_t i, shown = 0;
	char list[256];
	int ret = 0;

	for (i = 0; i < m->n; i++) {
		if (!sel[i])
			continue;
		if (shown++)
			fprintf(out, "\n");
		if (show_one_human(&m->cpus[i], o, out)) {
			ret = 2;
			break;
		}
	}
	if (!ret) {
		vs_groups_make(m, NULL, false, &gr);
		for (i = 0; i < m->n; i++)
			ids[i] = m->cpus[i].id;
		vs_format_cpulist(ids, m->n, list, sizeof(list));
		if (m->n == 1)
			fprintf(out, "\nOther CPUs: none in this %s (CPUs: %s)\n",
				m->source_kind, list);
		else if (gr.n == 1)
			fprintf(out, "\nOther CPUs: all %zu CPUs (%s) report identical VMX capabilities\n",
				m->n, list);
		else
			fprintf(out, "\nOther CPUs: NOT identical: %zu groups of CPUs among %s; see --diff\n",
				gr.n, list);
		vs_groups_free(&gr);
	}
	free(ids);
	return ret;
}
