// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the full human listing of one CPU - IA32_FEATURE_CONTROL,
 * QEMU vmxcap's sections in its order, then what vmxcap lacks (VMCS
 * enumeration, CR0/CR4, consistency problems, unnamed bits, the vmx flags
 * line) - as libsmartcols tables.  Names and states are the decoder's.
 */
#include <stdlib.h>
#include <string.h>

#include "glossary.h"
#include "table.h"

/* ID and state or value, then the SDM's name (or, with --meaning, ours). */
static const struct vs_column ctl_cols[] = {
	{ "ID", 0 }, { "STATE", 0 }, { "NAME", SCOLS_FL_TRUNC },
};
static const struct vs_column ctl_cols_meaning[] = {
	{ "ID", 0 }, { "STATE", 0 }, { "MEANING", SCOLS_FL_TRUNC },
};
static const struct vs_column field_cols[] = {
	{ "ID", 0 }, { "VALUE", 0 }, { "NAME", SCOLS_FL_TRUNC },
};
static const struct vs_column field_cols_meaning[] = {
	{ "ID", 0 }, { "VALUE", 0 }, { "MEANING", SCOLS_FL_TRUNC },
};

/* The glossary's few words for KEY.ID, or "". */
static const char *brief(const char *key, const char *id)
{
	const struct vs_gloss *g;
	char full[96];

	snprintf(full, sizeof(full), "%s.%s", key, id);
	g = vs_gloss_lookup(full);
	return g ? g->brief : "";
}

/* An ordinary "no" or "yes" is plain: only the unusual states stand out. */
static const char *state_color(enum vmxcap_state s)
{
	switch (s) {
	case VMXCAP_STATE_FORCED:
	case VMXCAP_STATE_DEFAULT:
		return VS_YELLOW;
	case VMXCAP_STATE_INCONSISTENT:
		return VS_BOLD_RED;
	case VMXCAP_STATE_UNKNOWN:
		return VS_GRAY;
	default:
		return NULL;
	}
}

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
			const char *cells[] = {
				name, vmxcap_state_name(s), "bits the decoder has no name for",
			};

			snprintf(name, sizeof(name), "bits %.250s", lists[s]);
			vs_table_add(t, cells, 1, state_color(s));
		}
}

/*
 * A section whose MSR was not read, faulted or does not exist is one
 * line: no table of "unknown" or "no" rows.  Returns whether it was.
 */
static bool msr_line(const struct vs_cpu *c, enum vmxcap_msr msr, const char *title,
		     int width, FILE *out)
{
	char text[512];

	if (vmxcap_has(c->raw, msr))
		return false;
	if (c->raw->faulted & VMXCAP_MSR_BIT(msr))
		snprintf(text, sizeof(text), "%s: reading %s faulted: unknown", title,
			 vmxcap_msrs[msr].name);
	else if (vmxcap_msr_existence(c->raw, msr) == VMXCAP_ABSENT)
		snprintf(text, sizeof(text), "%s: %s does not exist on this CPU: none", title,
			 vmxcap_msrs[msr].name);
	else
		snprintf(text, sizeof(text), "%s: %s was not read: unknown", title,
			 vmxcap_msrs[msr].name);
	vs_print_wrapped(out, width, "", "  ", text, "");
	fputc('\n', out);
	return true;
}

static void show_group(const struct vs_cpu *c, enum vmxcap_ctl_group g,
		       const struct vs_opts *o, int width, FILE *out)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	bool uses_true = vmxcap_ctl_uses_true(c->raw, g);
	enum vmxcap_msr from = uses_true ? gi->true_msr : gi->msr;
	struct vs_table t;
	char title[512];
	unsigned int i;
	u64 must1, may1;

	/* The TRUE MSR alone decides when the legacy one was not recorded. */
	if ((uses_true ? false : msr_line(c, gi->msr, gi->name, width, out)))
		return;
	vmxcap_ctl_masks(c->raw, g, &must1, &may1);
	snprintf(title, sizeof(title), "%s (%s = 0x%016llx)", gi->name,
		 vmxcap_msrs[from].name, c->raw->val[from]);
	vs_print_wrapped(out, width, "", "  ", title, "");
	vs_table_init(&t, o->color, width, out, o->meaning ? ctl_cols_meaning : ctl_cols, 3);
	for (i = 0; i < gi->nr_ctls; i++) {
		const struct vmxcap_ctl *ctl = &gi->ctls[i];
		enum vmxcap_state s = vmxcap_ctl_state(c->raw, g, ctl->bit);
		const char *cells[] = {
			ctl->id, vmxcap_state_name(s), o->meaning ? brief(gi->id, ctl->id) : ctl->name,
		};

		vs_table_add(&t, cells, 1, state_color(s));
	}
	/* Bits without a name that may (or must) be 1: one row per state. */
	unnamed_rows(&t, g, -1, c->raw, must1 | may1);
	vs_table_done(&t);
	fputc('\n', out);
}

static void show_fields(const struct vs_cpu *c, enum vmxcap_field_table_id ft,
			const struct vs_opts *o, int width, FILE *out)
{
	const struct vmxcap_field_table *tab = &vmxcap_field_tables[ft];
	struct vs_table t;
	char title[512], val[96];
	unsigned int i;
	u64 v, unknown;

	if (msr_line(c, tab->msr, tab->name, width, out))
		return;
	v = c->raw->val[tab->msr];
	snprintf(title, sizeof(title), "%s (%s = 0x%016llx)", tab->name,
		 vmxcap_msrs[tab->msr].name, v);
	vs_print_wrapped(out, width, "", "  ", title, "");
	vs_table_init(&t, o->color, width, out, o->meaning ? field_cols_meaning : field_cols, 3);
	for (i = 0; i < tab->nr_fields; i++) {
		const char *cells[] = {
			tab->fields[i].id, val,
			o->meaning ? brief(tab->id, tab->fields[i].id) : tab->fields[i].name,
		};

		vmxcap_field_format(&tab->fields[i], v, true, val, sizeof(val));
		vs_table_add(&t, cells, -1, NULL);
	}
	unknown = vmxcap_field_unknown_bits(tab, v);
	if (unknown) {
		const char *cells[] = { "unknown_bits", val, "set bits the decoder has no name for" };

		snprintf(val, sizeof(val), "0x%llx", unknown);
		vs_table_add(&t, cells, 1, VS_BOLD);
	}
	vs_table_done(&t);
	fputc('\n', out);
}

static void show_cr(const struct vs_cpu *c, enum vmxcap_cr cr, const struct vs_opts *o,
		    int width, FILE *out)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	const char *name = cr == VMXCAP_CR0 ? "CR0 in VMX operation" : "CR4 in VMX operation";
	struct vs_table t;
	char title[512];
	unsigned int i;

	if (msr_line(c, ci->fixed0, name, width, out) || msr_line(c, ci->fixed1, name, width, out))
		return;
	snprintf(title, sizeof(title),
		 "%s: forced = must be 1, no = must be 0, yes = free (%s = 0x%016llx, %s = 0x%016llx)",
		 name, vmxcap_msrs[ci->fixed0].name, c->raw->val[ci->fixed0],
		 vmxcap_msrs[ci->fixed1].name, c->raw->val[ci->fixed1]);
	vs_print_wrapped(out, width, "", "  ", title, "");
	vs_table_init(&t, o->color, width, out, o->meaning ? ctl_cols_meaning : ctl_cols, 3);
	for (i = 0; i < ci->nr_bits; i++) {
		enum vmxcap_state s = vmxcap_cr_state(c->raw, cr, ci->bits[i].bit);
		const char *cells[] = {
			ci->bits[i].id, vmxcap_state_name(s),
			o->meaning ? brief(ci->id, ci->bits[i].id) : ci->bits[i].name,
		};

		vs_table_add(&t, cells, 1, state_color(s));
	}
	unnamed_rows(&t, -1, cr, c->raw, c->raw->val[ci->fixed0] | c->raw->val[ci->fixed1]);
	vs_table_done(&t);
	fputc('\n', out);
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

static void show_one_human(const struct vs_cpu *c, const struct vs_opts *o, FILE *out)
{
	int width = vs_term_width(out);
	enum vs_status st;
	char id[160], text[1024], flags[2048];
	bool inferred;
	size_t i;

	vs_format_identity(c, id, sizeof(id));
	snprintf(text, sizeof(text), "cpu%u: %s%s%s%s", c->id, id, c->facts->label ? " (" : "",
		 c->facts->label ? c->facts->label : "", c->facts->label ? ")" : "");
	vs_print_wrapped(out, width, "", "  ", text, "");
	st = vs_cpu_status(c, &inferred);
	vs_status_explain(c, st, inferred, text, sizeof(text));
	snprintf(id, sizeof(id), "VMX: %s: ", vs_status_id(st));
	vs_print_wrapped(out, width, id, "  ", text, "");
	fputc('\n', out);
	if (st == VS_STATUS_NO_VMX)
		return;
	show_fields(c, VMXCAP_FT_FEATURE_CONTROL, o, width, out);
	/* vmxcap's sections in vmxcap's order, then what vmxcap lacks. */
	for (i = 0; i < VMXCAP_NR_VMXCAP_SECTIONS; i++) {
		const struct vmxcap_vmxcap_section *sec = &vmxcap_vmxcap_sections[i];

		if (sec->is_ctl_group)
			show_group(c, sec->index, o, width, out);
		else
			show_fields(c, sec->index, o, width, out);
	}
	show_fields(c, VMXCAP_FT_VMCS_ENUM, o, width, out);
	show_cr(c, VMXCAP_CR0, o, width, out);
	show_cr(c, VMXCAP_CR4, o, width, out);
	show_problems(c, out);
	show_unnamed(c, out);
	if (!vs_linux_flags_line(c, o->kver, flags + 1, sizeof(flags) - 2)) {
		/* Why there is none, in brackets. */
		flags[0] = '(';
		strcat(flags, ")");
		vs_print_wrapped(out, width, "vmx flags (as Linux shows them): ", "  ", flags, "");
	} else {
		vs_print_wrapped(out, width, "vmx flags (as Linux shows them): ", "  ", flags + 1, "");
	}
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
		show_one_human(&m->cpus[i], o, out);
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
		vs_show_source(m, vs_term_width(out), out);
		vs_groups_free(&gr);
	}
	free(ids);
	return ret;
}
