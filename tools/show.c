// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the outputs.  Names, states, field meanings and the flags
 * line all come from the decoder's tables; this file only lays them out
 * (libsmartcols for tables, json-c for JSON).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>
#include <libsmartcols.h>

#include "vmxcap-show.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Version of the --json schema (see tools/README.md). */
#define VS_JSON_SCHEMA_VERSION 3
/* Version of the --dump format. */
#define VS_DUMP_VERSION 2

/* ---- shared helpers ----------------------------------------------------- */

void vs_format_identity(const struct vs_cpu *c, char *buf, size_t size)
{
	size_t len = 0;

	len += (size_t)snprintf(buf, size, "%s", c->vendor[0] ? c->vendor : "vendor unknown");
	if (c->family >= 0 && len < size)
		len += (size_t)snprintf(buf + len, size - len,
					" family 0x%x model 0x%x stepping 0x%x",
					c->family, c->model, c->stepping);
	if (len < size)
		snprintf(buf + len, size - len, ", hypervisor: %s",
			 c->hypervisor < 0 ? "unknown" : c->hypervisor ? "yes" : "no");
}

bool vs_same_caps(const struct vs_cpu *a, const struct vs_cpu *b)
{
	unsigned int m;

	if (a->raw == b->raw)
		return true;	/* one shared raw set */
	if (a->raw->present != b->raw->present || a->raw->faulted != b->raw->faulted)
		return false;
	for (m = 0; m < VMXCAP_NR_MSRS; m++)
		if ((a->raw->present & VMXCAP_MSR_BIT(m)) && a->raw->val[m] != b->raw->val[m])
			return false;
	return true;
}

static bool same_identity(const struct vs_cpu *a, const struct vs_cpu *b)
{
	return !strcmp(a->vendor, b->vendor) && a->family == b->family &&
	       a->model == b->model && a->stepping == b->stepping &&
	       a->hypervisor == b->hypervisor && a->vmx == b->vmx;
}

/* Same capabilities, and the same identity and fixture id. */
static bool same_cpu(const struct vs_cpu *a, const struct vs_cpu *b)
{
	return vs_same_caps(a, b) && same_identity(a, b) &&
	       !strcmp(a->label ? a->label : "", b->label ? b->label : "");
}

/* A hash of the capabilities (the raw set): equal raw sets hash equal. */
static u64 caps_hash(const struct vmxcap_raw *raw)
{
	u64 h = 0xcbf29ce484222325ull ^ ((u64)raw->present << 32 | raw->faulted);
	unsigned int m;

	for (m = 0; m < VMXCAP_NR_MSRS; m++)
		if (raw->present & VMXCAP_MSR_BIT(m)) {
			h = (h ^ raw->val[m]) * 0x100000001b3ull;
			h ^= h >> 29;
		}
	return h;
}

/* Inserts group g (hash gh) into the open-addressing table slot[size]. */
static void slot_insert(size_t *slot, size_t size, u64 gh, size_t g)
{
	size_t h;

	for (h = (size_t)gh & (size - 1); slot[h]; h = (h + 1) & (size - 1))
		;
	slot[h] = g + 1;
}

size_t vs_group_cpus(const struct vs_machine *m, const bool *sel, bool identity,
		     size_t *group, size_t *rep)
{
	enum { RECENT = 4 };
	size_t size = 16, ngroups = 0, i, k, g, *slot = NULL, recent[RECENT] = { 0 }, nrecent = 0;
	u64 *ghash = NULL, hash;

	for (i = 0; i < m->n; i++) {
		const struct vs_cpu *c = &m->cpus[i];
		size_t h, nr = nrecent < RECENT ? nrecent : RECENT;

		if (sel && !sel[i])
			continue;
		/*
		 * A CPU usually equals one of the last few groups' (hybrid
		 * parts alternate a few): no hash needed then.
		 */
		for (k = 0; k < nr; k++) {
			size_t r = rep[recent[k]];

			if (identity ? same_cpu(&m->cpus[r], c) : vs_same_caps(&m->cpus[r], c))
				break;
		}
		if (k < nr) {
			group[i] = recent[k];
			continue;
		}
		/* Up to RECENT groups all are recent: this one is new. */
		if (ngroups >= RECENT && !slot) {
			/* The hash table, made once there are more groups. */
			while (size < 2 * m->n)
				size *= 2;
			/* Open addressing: slot holds group + 1, 0 when free. */
			slot = calloc(size, sizeof(*slot));
			ghash = malloc(m->n * sizeof(*ghash));
			if (!slot || !ghash) {
				free(slot);
				free(ghash);
				return 0;
			}
			for (g = 0; g < ngroups; g++) {
				ghash[g] = caps_hash(m->cpus[rep[g]].raw);
				slot_insert(slot, size, ghash[g], g);
			}
		}
		g = ngroups;
		if (slot) {
			hash = caps_hash(c->raw);
			for (h = (size_t)hash & (size - 1); slot[h]; h = (h + 1) & (size - 1)) {
				size_t r = rep[slot[h] - 1];

				if (ghash[slot[h] - 1] == hash &&
				    (identity ? same_cpu(&m->cpus[r], c) :
				     vs_same_caps(&m->cpus[r], c)))
					break;
			}
			if (slot[h]) {
				g = slot[h] - 1;
			} else {
				ghash[g] = hash;
				slot[h] = g + 1;
			}
		}
		if (g == ngroups)
			rep[ngroups++] = i;
		group[i] = g;
		recent[nrecent++ % RECENT] = g;
	}
	free(slot);
	free(ghash);
	return ngroups;
}

static void free_cpulists(char **lists, size_t ngroups);

/* Each group's selected CPUs as a kernel list, never cut short; NULL when out of memory. */
static char **group_cpulists(const struct vs_machine *m, const bool *sel,
			     const size_t *group, size_t ngroups)
{
	size_t *count = calloc(ngroups + 1, sizeof(*count)), *at, i, g;
	unsigned int *ids = malloc((m->n ? m->n : 1) * sizeof(*ids));
	char **lists = calloc(ngroups + 1, sizeof(*lists));

	at = count ? calloc(ngroups + 1, sizeof(*at)) : NULL;
	if (!count || !ids || !lists || !at)
		goto fail;
	/* Counting sort by group keeps each group's CPUs in ascending order. */
	for (i = 0; i < m->n; i++)
		if (!sel || sel[i])
			count[group[i] + 1]++;
	for (g = 1; g <= ngroups; g++)
		count[g] += count[g - 1];
	memcpy(at, count, (ngroups + 1) * sizeof(*at));
	for (i = 0; i < m->n; i++)
		if (!sel || sel[i])
			ids[at[group[i]]++] = m->cpus[i].id;
	for (g = 0; g < ngroups; g++) {
		size_t n = count[g + 1] - count[g], size = 12 * n + 8;

		/* 12 bytes a CPU: "8191," is 5; the list never needs an ellipsis. */
		lists[g] = malloc(size);
		if (!lists[g])
			goto fail;
		vs_format_cpulist(ids + count[g], n, lists[g], size);
	}
	free(count);
	free(at);
	free(ids);
	return lists;
fail:
	free_cpulists(lists, ngroups);
	free(count);
	free(at);
	free(ids);
	return NULL;
}

static void free_cpulists(char **lists, size_t ngroups)
{
	size_t g;

	for (g = 0; lists && g < ngroups; g++)
		free(lists[g]);
	free(lists);
}

int vs_groups_make(const struct vs_machine *m, const bool *sel, bool identity,
		   struct vs_groups *gr)
{
	/* of[0..n) and, after it, rep. */
	gr->of = malloc(2 * (m->n ? m->n : 1) * sizeof(*gr->of));
	gr->rep = gr->of ? gr->of + m->n : NULL;
	gr->n = gr->of ? vs_group_cpus(m, sel, identity, gr->of, gr->rep) : 0;
	gr->lists = gr->n ? group_cpulists(m, sel, gr->of, gr->n) : NULL;
	if (!gr->lists) {
		free(gr->of);
		gr->of = gr->rep = NULL;
		gr->n = 0;
		vs_error("out of memory");
		return -1;
	}
	return 0;
}

void vs_groups_free(struct vs_groups *gr)
{
	free_cpulists(gr->lists, gr->n);
	free(gr->of);
}

static const char *state_color(enum vmxcap_state s)
{
	switch (s) {
	case VMXCAP_STATE_YES:
		return "green";
	case VMXCAP_STATE_NO:
		return "red";
	case VMXCAP_STATE_FORCED:
	case VMXCAP_STATE_DEFAULT:
		return "yellow";
	case VMXCAP_STATE_INCONSISTENT:
		return "bold";
	default:
		return "gray";
	}
}

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

/* ---- default human output ------------------------------------------------ */

struct table {
	struct libscols_table *tb;
	FILE *out;
	char title[512];
};

static int table_new(struct table *t, const struct vs_opts *o, FILE *out,
		     const char *title, const char *const *cols, size_t ncols)
{
	size_t i;

	t->out = out;
	t->tb = scols_new_table();
	if (!t->tb) {
		vs_error("out of memory");
		return -1;
	}
	scols_table_enable_noheadings(t->tb, 1);
	scols_table_enable_colors(t->tb, o->color);
	scols_table_set_column_separator(t->tb, "  ");
	scols_table_enable_minout(t->tb, 1);
	scols_table_set_stream(t->tb, out);
	/* Printed by us: libsmartcols would cut a title to the table's width. */
	snprintf(t->title, sizeof(t->title), "%s", title);
	for (i = 0; i < ncols; i++)
		if (!scols_table_new_column(t->tb, cols[i], 0, 0)) {
			vs_error("out of memory");
			return -1;
		}
	return 0;
}

/* Adds a row; NULL cells stay empty.  color applies to cell 1. */
static void table_row(struct table *t, const char *color, const char *c0,
		      const char *c1, const char *c2, const char *c3)
{
	struct libscols_line *ln = scols_table_new_line(t->tb, NULL);
	const char *cells[4] = { c0, c1, c2, c3 };
	size_t i, n = scols_table_get_ncols(t->tb);

	if (!ln)
		return;
	for (i = 0; i < n && i < 4; i++) {
		char data[512];

		snprintf(data, sizeof(data), "%s%s", i == 0 ? "  " : "", cells[i] ? cells[i] : "");
		scols_line_set_data(ln, i, data);
	}
	if (color)
		scols_cell_set_color(scols_line_get_cell(ln, 1), color);
}

static void table_print(struct table *t)
{
	fprintf(t->out, "%s\n", t->title);
	fflush(t->out);
	if (scols_table_get_nlines(t->tb))
		scols_print_table(t->tb);
	else
		fprintf(t->out, "  (nothing)\n");
	fputc('\n', t->out);
	scols_unref_table(t->tb);
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

static void unnamed_rows(struct table *t, int g, int cr, const struct vmxcap_raw *raw,
			 u64 candidates)
{
	char lists[VMXCAP_NR_STATES][256], name[300];
	unsigned int s;

	unnamed_lists(g, cr, raw, candidates, lists);
	for (s = 0; s < VMXCAP_NR_STATES; s++)
		if (lists[s][0]) {
			snprintf(name, sizeof(name), "bits %.250s", lists[s]);
			table_row(t, state_color(s), "(no name)", vmxcap_state_name(s), name, NULL);
		}
}

static int show_group(const struct vs_cpu *c, enum vmxcap_ctl_group g,
		      const struct vs_opts *o, FILE *out)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	char title[512], st[160], st2[160] = "";
	struct table t;
	unsigned int i;
	u64 must1, may1;
	bool known = vmxcap_ctl_masks(c->raw, g, &must1, &may1);

	msr_status(c->raw, gi->msr, st, sizeof(st));
	if (vmxcap_ctl_uses_true(c->raw, g))
		msr_status(c->raw, gi->true_msr, st2, sizeof(st2));
	snprintf(title, sizeof(title), "%s (%s%s%s)", gi->name, st, st2[0] ? "; used: " : "", st2);
	if (table_new(&t, o, out, title, ctl_cols, 4))
		return -1;
	for (i = 0; i < gi->nr_ctls; i++) {
		const struct vmxcap_ctl *ctl = &gi->ctls[i];
		enum vmxcap_state s = vmxcap_ctl_state(c->raw, g, ctl->bit);

		table_row(&t, state_color(s), ctl->name, vmxcap_state_name(s), ctl->id,
			  ctl->linux_flag ? ctl->linux_flag : "");
	}
	/* Bits without a name that may (or must) be 1: one row per state. */
	if (known)
		unnamed_rows(&t, g, -1, c->raw, must1 | may1);
	table_print(&t);
	return 0;
}

static int show_fields(const struct vs_cpu *c, enum vmxcap_field_table_id ft,
		       const struct vs_opts *o, FILE *out)
{
	const struct vmxcap_field_table *tab = &vmxcap_field_tables[ft];
	char title[512], st[160];
	struct table t;
	unsigned int i;

	msr_status(c->raw, tab->msr, st, sizeof(st));
	snprintf(title, sizeof(title), "%s (%s)", tab->name, st);
	if (table_new(&t, o, out, title, field_cols, 3))
		return -1;
	if (vmxcap_has(c->raw, tab->msr)) {
		u64 v = c->raw->val[tab->msr], unknown;

		for (i = 0; i < tab->nr_fields; i++) {
			char val[96];

			vmxcap_field_format(&tab->fields[i], v, true, val, sizeof(val));
			table_row(&t, NULL, tab->fields[i].name, val, tab->fields[i].id, NULL);
		}
		unknown = vmxcap_field_unknown_bits(tab, v);
		if (unknown) {
			char val[32];

			snprintf(val, sizeof(val), "0x%llx", unknown);
			table_row(&t, "bold", "Set bits with no name", val, "unknown_bits", NULL);
		}
	}
	table_print(&t);
	return 0;
}

static int show_cr(const struct vs_cpu *c, enum vmxcap_cr cr,
		   const struct vs_opts *o, FILE *out)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	char title[512], st0[160], st1[160];
	struct table t;
	unsigned int i;

	msr_status(c->raw, ci->fixed0, st0, sizeof(st0));
	msr_status(c->raw, ci->fixed1, st1, sizeof(st1));
	snprintf(title, sizeof(title),
		 "%s in VMX operation: forced = must be 1, no = must be 0, yes = free (%s; %s)",
		 cr == VMXCAP_CR0 ? "CR0" : "CR4", st0, st1);
	if (table_new(&t, o, out, title, field_cols, 3))
		return -1;
	for (i = 0; i < ci->nr_bits; i++) {
		enum vmxcap_state s = vmxcap_cr_state(c->raw, cr, ci->bits[i].bit);

		table_row(&t, state_color(s), ci->bits[i].name, vmxcap_state_name(s),
			  ci->bits[i].id, NULL);
	}
	if (vmxcap_has(c->raw, ci->fixed0) && vmxcap_has(c->raw, ci->fixed1))
		unnamed_rows(&t, -1, cr, c->raw,
			     c->raw->val[ci->fixed0] | c->raw->val[ci->fixed1]);
	table_print(&t);
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
	/* group[0..n) and, after it, each group's first CPU. */
	size_t *group = calloc(2 * m->n, sizeof(*group)), ngroups, i, shown = 0;
	unsigned int *ids = calloc(m->n, sizeof(*ids));
	char list[256];
	int ret = 0;

	ngroups = group && ids ? vs_group_cpus(m, NULL, false, group, group + m->n) : 0;
	if (!ngroups) {
		free(group);
		free(ids);
		vs_error("out of memory");
		return 2;
	}
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
		size_t n = 0;

		for (i = 0; i < m->n; i++)
			ids[n++] = m->cpus[i].id;
		vs_format_cpulist(ids, n, list, sizeof(list));
		if (m->n == 1)
			fprintf(out, "\nOther CPUs: none in this %s (CPUs: %s)\n",
				m->source_kind, list);
		else if (ngroups == 1)
			fprintf(out, "\nOther CPUs: all %zu CPUs (%s) report identical VMX capabilities\n",
				m->n, list);
		else
			fprintf(out, "\nOther CPUs: NOT identical: %zu groups of CPUs among %s; see --diff\n",
				ngroups, list);
	}
	free(group);
	free(ids);
	return ret;
}

/* ---- QEMU vmxcap's format ------------------------------------------------ */

/* The section order and Hex lines are vmxcap_vmxcap_sections[]'s. */
static void vmxcap_fields(const struct vs_cpu *c, enum vmxcap_field_table_id ft,
			  FILE *out)
{
	const struct vmxcap_field_table *tab = &vmxcap_field_tables[ft];
	bool has = vmxcap_has(c->raw, tab->msr);
	/* vmxcap reads a non-existent MSR as 0, which is then the truth. */
	bool zero = !has && vmxcap_msr_existence(c->raw, tab->msr) == VMXCAP_ABSENT;
	u64 v = has ? c->raw->val[tab->msr] : 0;
	unsigned int i;

	fprintf(out, "%s\n", tab->vmxcap_section);
	if (has || zero)
		fprintf(out, "  Hex: 0x%llx\n", v);
	else
		fprintf(out, "  Hex: unknown\n");
	for (i = 0; i < tab->nr_fields; i++) {
		const struct vmxcap_field *f = &tab->fields[i];
		u64 x = vmxcap_field_value(f, v);
		char val[32];

		if (!f->vmxcap_name)
			continue;
		if (!has && !zero)
			snprintf(val, sizeof(val), "unknown");
		else if (f->kind == VMXCAP_FIELD_FLAG)
			snprintf(val, sizeof(val), "%s", x ? "yes" : "no");
		else
			snprintf(val, sizeof(val), "%llu", x);
		fprintf(out, "  %-40s %s\n", f->vmxcap_name, val);
	}
}

static void vmxcap_controls(const struct vs_cpu *c, enum vmxcap_ctl_group g,
			    bool hex, FILE *out)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	unsigned int i;

	fprintf(out, "%s\n", gi->vmxcap_section);
	if (hex) {
		if (vmxcap_has(c->raw, gi->msr))
			fprintf(out, "  Hex: 0x%llx\n", c->raw->val[gi->msr]);
		else if (vmxcap_msr_existence(c->raw, gi->msr) == VMXCAP_ABSENT)
			fprintf(out, "  Hex: 0x0\n");
		else
			fprintf(out, "  Hex: unknown\n");
	}
	for (i = 0; i < gi->nr_ctls; i++) {
		const struct vmxcap_ctl *ctl = &gi->ctls[i];

		if (ctl->vmxcap_name)
			fprintf(out, "  %-40s %s\n", ctl->vmxcap_name,
				vmxcap_state_vmxcap_word(vmxcap_ctl_state(c->raw, g, ctl->bit)));
	}
}

int vs_show_vmxcap(const struct vs_cpu *c, FILE *out)
{
	unsigned int i;

	for (i = 0; i < VMXCAP_NR_VMXCAP_SECTIONS; i++) {
		const struct vmxcap_vmxcap_section *sec = &vmxcap_vmxcap_sections[i];

		if (sec->is_ctl_group)
			vmxcap_controls(c, sec->index, sec->hex, out);
		else
			vmxcap_fields(c, sec->index, out);	/* always with Hex */
	}
	return 0;
}

/* ---- vmx flags ----------------------------------------------------------- */

int vs_show_flags(const struct vs_machine *m, const bool *sel,
		  const struct vs_opts *o, FILE *out)
{
	char flags[2048];
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (!sel[i])
			continue;
		vmxcap_linux_flags(m->cpus[i].raw, o->kver, flags, sizeof(flags));
		fprintf(out, "cpu%u vmx flags\t: %s\n", m->cpus[i].id, flags);
	}
	return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static json_object *jhex(u64 v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", v);
	return json_object_new_string(buf);
}

static json_object *jhex16(u64 v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016llx", v);
	return json_object_new_string(buf);
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

static json_object *jfields(const struct vs_cpu *c, enum vmxcap_field_table_id ft)
{
	const struct vmxcap_field_table *tab = &vmxcap_field_tables[ft];
	json_object *o;
	unsigned int i;
	u64 v;

	if (!vmxcap_has(c->raw, tab->msr))
		return NULL;	/* null: not read or does not exist */
	v = c->raw->val[tab->msr];
	o = json_object_new_object();
	for (i = 0; i < tab->nr_fields; i++) {
		const struct vmxcap_field *f = &tab->fields[i];
		u64 x = vmxcap_field_value(f, v);

		if (f->kind == VMXCAP_FIELD_FLAG)
			json_object_object_add(o, f->id, json_object_new_boolean(x != 0));
		else
			json_object_object_add(o, f->id, json_object_new_uint64(x));
		if (f->kind == VMXCAP_FIELD_MEMTYPE) {
			char key[64];

			snprintf(key, sizeof(key), "%s_name", f->id);
			json_object_object_add(o, key, jstr(vmxcap_memtype_name((unsigned int)x)));
		} else if (f->kind == VMXCAP_FIELD_MSR_LIST) {
			char key[64];

			snprintf(key, sizeof(key), "%s_entries", f->id);
			json_object_object_add(o, key, json_object_new_uint64(512 * (x + 1)));
		}
	}
	json_object_object_add(o, "unknown_bits", jhex(vmxcap_field_unknown_bits(tab, v)));
	return o;
}

static json_object *jgroup(const struct vs_cpu *c, enum vmxcap_ctl_group g)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	json_object *o = json_object_new_object(), *states, *unnamed;
	unsigned int i, bit;
	u64 must1, may1, un;
	bool known = vmxcap_ctl_masks(c->raw, g, &must1, &may1);

	json_object_object_add(o, "msr", jstr(vmxcap_msrs[gi->msr].id));
	json_object_object_add(o, "exists",
			       jstr(vmxcap_msr_existence(c->raw, gi->msr) == VMXCAP_EXISTS ? "yes" :
				    vmxcap_msr_existence(c->raw, gi->msr) == VMXCAP_ABSENT ? "no" :
				    "unknown"));
	json_object_object_add(o, "known", json_object_new_boolean(known));
	json_object_object_add(o, "uses_true_msr",
			       json_object_new_boolean(vmxcap_ctl_uses_true(c->raw, g)));
	json_object_object_add(o, "must_be_1", known ? jhex(must1) : NULL);
	json_object_object_add(o, "may_be_1", known ? jhex(may1) : NULL);
	states = json_object_new_object();
	for (i = 0; i < gi->nr_ctls; i++)
		json_object_object_add(states, gi->ctls[i].id,
				       jstr(vmxcap_state_name(vmxcap_ctl_state(c->raw, g,
									      gi->ctls[i].bit))));
	json_object_object_add(o, "controls", states);
	unnamed = json_object_new_object();
	un = vmxcap_ctl_unnamed_allowed(c->raw, g);
	for (bit = 0; bit < 64; bit++)
		if ((un >> bit) & 1) {
			char key[16];

			snprintf(key, sizeof(key), "bit %u", bit);
			json_object_object_add(unnamed, key,
					       jstr(vmxcap_state_name(vmxcap_ctl_state(c->raw, g, bit))));
		}
	json_object_object_add(o, "unnamed", unnamed);
	return o;
}

static json_object *jcr(const struct vs_cpu *c, enum vmxcap_cr cr)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	json_object *o, *bits;
	unsigned int bit;

	if (!vmxcap_has(c->raw, ci->fixed0) || !vmxcap_has(c->raw, ci->fixed1))
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "fixed0", jhex(c->raw->val[ci->fixed0]));
	json_object_object_add(o, "fixed1", jhex(c->raw->val[ci->fixed1]));
	bits = json_object_new_object();
	for (bit = 0; bit < 64; bit++) {
		const struct vmxcap_bit *b = vmxcap_cr_bit_lookup(cr, bit);
		enum vmxcap_state s = vmxcap_cr_state(c->raw, cr, bit);
		char key[16];

		if (!b && s == VMXCAP_STATE_NO)
			continue;
		snprintf(key, sizeof(key), "bit %u", bit);
		json_object_object_add(bits, b ? b->id : key, jstr(vmxcap_state_name(s)));
	}
	json_object_object_add(o, "bits", bits);
	return o;
}

/* A CPU's raw values: "msrs" (MSR id to value) and "faulted" (MSR ids). */
static json_object *jraw(const struct vs_cpu *c)
{
	json_object *r = json_object_new_object(), *msrs, *faulted;
	unsigned int m;

	msrs = json_object_new_object();
	faulted = json_object_new_array();
	for (m = 0; m < VMXCAP_NR_MSRS; m++) {
		if (vmxcap_has(c->raw, m))
			json_object_object_add(msrs, vmxcap_msrs[m].id, jhex16(c->raw->val[m]));
		if (c->raw->faulted & VMXCAP_MSR_BIT(m))
			json_object_array_add(faulted, jstr(vmxcap_msrs[m].id));
	}
	json_object_object_add(r, "msrs", msrs);
	json_object_object_add(r, "faulted", faulted);
	return r;
}

/* The full decode of one set of capabilities: once per group. */
static json_object *jdecode(const struct vs_cpu *c, const struct vs_opts *o)
{
	json_object *d = json_object_new_object(), *ctl, *probs, *fc;
	struct vmxcap_problem p[64];
	enum vmxcap_fc_verdict v = vmxcap_fc_verdict(c->raw);
	unsigned int g, n, i;
	char flags[2048];

	fc = json_object_new_object();
	json_object_object_add(fc, "verdict", jstr(vmxcap_fc_verdict_id(v)));
	json_object_object_add(fc, "text", jstr(vmxcap_fc_verdict_text(v)));
	json_object_object_add(fc, "fields", jfields(c, VMXCAP_FT_FEATURE_CONTROL));
	json_object_object_add(d, "feature_control", fc);
	json_object_object_add(d, "basic", jfields(c, VMXCAP_FT_BASIC));
	json_object_object_add(d, "misc", jfields(c, VMXCAP_FT_MISC));
	json_object_object_add(d, "ept_vpid", jfields(c, VMXCAP_FT_EPT_VPID));
	json_object_object_add(d, "vmcs_enum", jfields(c, VMXCAP_FT_VMCS_ENUM));
	ctl = json_object_new_object();
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		json_object_object_add(ctl, vmxcap_ctl_groups[g].id, jgroup(c, g));
	json_object_object_add(d, "controls", ctl);
	json_object_object_add(d, "cr0", jcr(c, VMXCAP_CR0));
	json_object_object_add(d, "cr4", jcr(c, VMXCAP_CR4));
	n = vmxcap_check(c->raw, p, ARRAY_LEN(p));
	probs = json_object_new_array();
	for (i = 0; i < n && i < ARRAY_LEN(p); i++) {
		json_object *e = json_object_new_object();

		json_object_object_add(e, "kind", jstr(vmxcap_problem_id(p[i].kind)));
		json_object_object_add(e, "msr", jstr(vmxcap_msrs[p[i].msr].id));
		json_object_object_add(e, "bit", p[i].bit == VMXCAP_PROBLEM_NO_BIT ? NULL :
				       json_object_new_int(p[i].bit));
		json_object_object_add(e, "text", jstr(vmxcap_problem_text(p[i].kind)));
		json_object_array_add(probs, e);
	}
	json_object_object_add(d, "problems", probs);
	vmxcap_linux_flags(c->raw, o->kver, flags, sizeof(flags));
	json_object_object_add(d, "vmx_flags", jstr(flags));
	return d;
}

static json_object *jidentity(const struct vs_cpu *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "vendor", c->vendor[0] ? jstr(c->vendor) : NULL);
	json_object_object_add(o, "family", c->family >= 0 ? json_object_new_int(c->family) : NULL);
	json_object_object_add(o, "model", c->model >= 0 ? json_object_new_int(c->model) : NULL);
	json_object_object_add(o, "stepping",
			       c->stepping >= 0 ? json_object_new_int(c->stepping) : NULL);
	json_object_object_add(o, "hypervisor",
			       c->hypervisor >= 0 ? json_object_new_boolean(c->hypervisor) : NULL);
	json_object_object_add(o, "vmx", c->vmx >= 0 ? json_object_new_boolean(c->vmx) : NULL);
	return o;
}

/* Indented on a terminal, one line otherwise (jq indents it): see freeze(). */
static int json_flags(FILE *out)
{
	return JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE |
	       (isatty(fileno(out)) ? JSON_C_TO_STRING_PRETTY : 0);
}

struct cached {
	int len;
	char text[];
};

static int cached_to_string(json_object *jso, struct printbuf *pb, int level, int flags)
{
	const struct cached *c = json_object_get_userdata(jso);

	(void)level;
	(void)flags;
	return printbuf_memappend(pb, c->text, c->len);
}

static void cached_free(json_object *jso, void *userdata)
{
	(void)jso;
	free(userdata);
}

/* o's one-line text, copied; NULL when out of memory. */
static struct cached *cache_text(json_object *o, int flags)
{
	const char *text = json_object_to_json_string_ext(o, flags);
	size_t len = text ? strlen(text) : 0;
	struct cached *c = text && len <= INT32_MAX ? malloc(sizeof(*c) + len + 1) : NULL;

	if (c) {
		c->len = (int)len;
		memcpy(c->text, text, len + 1);
	}
	return c;
}

/*
 * Serializes a shared object once; every later serialization (one per CPU
 * that shares it) appends that text.  Only for one-line output, where the
 * text does not depend on the nesting level.
 */
static void freeze(json_object *o, int flags)
{
	struct cached *c;

	if (!o || (flags & JSON_C_TO_STRING_PRETTY))
		return;
	c = cache_text(o, flags);
	if (c)		/* else serialized normally */
		json_object_set_serializer(o, cached_to_string, c, cached_free);
}

/*
 * For one-line output: o's text in a new childless object, o freed - the
 * next group's decode then reuses its memory instead of touching new pages.
 */
static json_object *flatten(json_object *o, int flags)
{
	json_object *f;
	struct cached *c;

	if (!o || (flags & JSON_C_TO_STRING_PRETTY))
		return o;
	f = json_object_new_object();
	c = f ? cache_text(o, flags) : NULL;
	if (!c) {
		json_object_put(f);
		return o;	/* out of memory: keep the real object */
	}
	json_object_set_serializer(f, cached_to_string, c, cached_free);
	json_object_put(o);
	return f;
}

/* What the one-line "cpus" list is written from. */
struct cpus_ctx {
	FILE *out;
	const struct vs_machine *m;
	const bool *sel;
	const size_t *group;
	json_object **ident;	/* per CPU (shared, frozen), NULL when not selected */
	int flags;
};

/*
 * The "cpus" list of one-line output goes straight to the output stream,
 * one CPU at a time, from the shared serialized texts, instead of into one
 * document-sized buffer: what json-c has serialized before it goes first.
 */
/* One CPU's text of the "cpus" list, put together before one fwrite. */
struct textbuf {
	char *p;
	size_t len, cap;
};

static bool tb_add(struct textbuf *b, const char *text, size_t len)
{
	if (b->len + len > b->cap) {
		size_t cap = (b->len + len) * 2;
		char *p = realloc(b->p, cap);

		if (!p)
			return false;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, text, len);
	b->len += len;
	return true;
}

static bool tb_add_uint(struct textbuf *b, size_t v)
{
	char d[24], *p = vs_utoa(v, d + sizeof(d));

	return tb_add(b, p, (size_t)(d + sizeof(d) - p));
}

/* A frozen object's text as it is; any other object serialized. */
static bool tb_add_json(struct textbuf *b, json_object *o, int flags)
{
	const struct cached *c = json_object_get_userdata(o);
	const char *t;

	if (c)
		return tb_add(b, c->text, (size_t)c->len);
	t = json_object_to_json_string_ext(o, flags);	/* not frozen */
	return t && tb_add(b, t, strlen(t));
}

/*
 * The "cpus" list of one-line output goes straight to the output stream,
 * one CPU at a time, from the shared serialized texts, instead of into one
 * document-sized buffer: what json-c has serialized before it goes first.
 * Each CPU's text is put together with memcpy and written at once: stdio
 * or printbuf calls per piece cost more than the copying.
 */
static int stream_cpus(json_object *jso, struct printbuf *pb, int level, int flags)
{
	const struct cpus_ctx *x = json_object_get_userdata(jso);
	/*
	 * A CPU's text ends with its identity and group, the same for most
	 * CPUs: the last few such tails are kept, made once.
	 */
	enum { TAILS = 4 };
	struct tail {
		json_object *ident;
		size_t group;
		struct textbuf t;
	} tails[TAILS] = { { NULL, 0, { NULL, 0, 0 } } };
	struct textbuf b = { NULL, 0, 0 };
	size_t i, k, n = 0, next = 0;
	bool ok = true;

	(void)level;
	fwrite(pb->buf, 1, (size_t)pb->bpos, x->out);
	printbuf_reset(pb);
	fputc('[', x->out);
	for (i = 0; ok && i < x->m->n; i++) {
		const struct vs_cpu *c = &x->m->cpus[i];
		struct tail *t = NULL;

		if (!x->sel[i])
			continue;
		for (k = 0; k < TAILS && !t; k++)
			if (tails[k].t.len && tails[k].ident == x->ident[i] &&
			    tails[k].group == x->group[i])
				t = &tails[k];
		if (!t) {
			t = &tails[next++ % TAILS];
			t->ident = x->ident[i];
			t->group = x->group[i];
			t->t.len = 0;
			ok = tb_add(&t->t, "\"identity\": ", 12) &&
			     tb_add_json(&t->t, x->ident[i], flags) &&
			     tb_add(&t->t, ", \"group\": ", 11) &&
			     tb_add_uint(&t->t, x->group[i]) && tb_add(&t->t, "}", 1);
		}
		ok = ok && (!n++ || tb_add(&b, ", ", 2)) && tb_add(&b, "{\"cpu\": ", 8) &&
		     tb_add_uint(&b, c->id) && tb_add(&b, ", ", 2);
		if (ok && c->label) {
			json_object *l = jstr(c->label);

			ok = tb_add(&b, "\"id\": ", 6) && tb_add_json(&b, l, flags) &&
			     tb_add(&b, ", ", 2);
			json_object_put(l);
		}
		ok = ok && tb_add(&b, t->t.p, t->t.len);
		/* Written in 4 KiB pieces: one stdio call per CPU costs more. */
		if (ok && b.len >= 4096) {
			fwrite(b.p, 1, b.len, x->out);
			b.len = 0;
		}
	}
	if (ok)
		fwrite(b.p, 1, b.len, x->out);
	fputc(']', x->out);
	for (k = 0; k < TAILS; k++)
		free(tails[k].t.p);
	free(b.p);
	return ok ? 0 : -1;
}

static int print_json(json_object *root, int flags, FILE *out)
{
	const char *s = json_object_to_json_string_ext(root, flags);

	if (!s) {
		vs_error("out of memory");
		return 2;
	}
	fputs(s, out);
	fputc('\n', out);
	return 0;
}

/* Adds a key that is a string constant: json-c need not copy it. */
static void jadd(json_object *o, const char *key, json_object *v)
{
	json_object_object_add_ex(o, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW |
				  JSON_C_OBJECT_KEY_IS_CONSTANT);
}

/*
 * Schema 3: the raw values and the full decode once per group of CPUs with
 * identical capabilities (which are identical raw sets); each CPU carries
 * its number, identity and group.  Identical identities are one shared
 * json-c object, serialized once (freeze()).
 */
int vs_show_json(const struct vs_machine *m, const bool *sel,
		 const struct vs_opts *o, FILE *out)
{
	json_object **ident = NULL, *root, *cpus, *groups;
	const struct vs_cpu *last = NULL;
	int flags = json_flags(out), ret;
	struct vs_groups gr;
	struct cpus_ctx ctx;
	size_t i;

	if (vs_groups_make(m, sel, false, &gr))
		return 2;
	root = json_object_new_object();
	jadd(root, "schema", jstr("vmxcap-show"));
	jadd(root, "schema_version", json_object_new_int(VS_JSON_SCHEMA_VERSION));
	jadd(root, "decoder_version", jstr(VMXCAP_DECODER_VERSION));
	jadd(root, "source", jstr(m->source_kind));
	jadd(root, "path", jstr(m->source));
	jadd(root, "identical", json_object_new_boolean(gr.n <= 1));
	groups = json_object_new_array_ext((int)gr.n);
	for (i = 0; i < gr.n; i++) {
		json_object *g = json_object_new_object();

		jadd(g, "id", json_object_new_int((int)i));
		jadd(g, "cpus", jstr(gr.lists[i]));
		jadd(g, "raw", jraw(&m->cpus[gr.rep[i]]));
		jadd(g, "decode", flatten(jdecode(&m->cpus[gr.rep[i]], o), flags));
		json_object_array_add(groups, g);
	}
	jadd(root, "groups", groups);
	ctx = (struct cpus_ctx){ out, m, sel, gr.of, NULL, flags };
	ident = calloc(m->n, sizeof(*ident));
	if (!ident) {
		ret = 2;
		vs_error("out of memory");
		goto out;
	}
	for (i = 0; i < m->n; i++) {
		const struct vs_cpu *c = &m->cpus[i];

		if (!sel[i])
			continue;
		/* CPUs in a row usually share their identity: one object. */
		if (!last || !same_identity(last, c)) {
			ident[i] = jidentity(c);
			freeze(ident[i], flags);
			last = c;
		} else {
			ident[i] = json_object_get(ident[last - m->cpus]);
		}
	}
	cpus = json_object_new_array();
	if (flags & JSON_C_TO_STRING_PRETTY) {
		/* For people (a terminal): real objects, indented by json-c. */
		for (i = 0; i < m->n; i++) {
			const struct vs_cpu *c = &m->cpus[i];
			json_object *e;

			if (!sel[i])
				continue;
			e = json_object_new_object();
			jadd(e, "cpu", json_object_new_int((int)c->id));
			if (c->label)
				jadd(e, "id", jstr(c->label));
			jadd(e, "identity", json_object_get(ident[i]));
			jadd(e, "group", json_object_new_int((int)gr.of[i]));
			json_object_array_add(cpus, e);
		}
	} else {
		ctx.ident = ident;
		json_object_set_serializer(cpus, stream_cpus, &ctx, NULL);
	}
	jadd(root, "cpus", cpus);
	ret = print_json(root, flags, out);
out:
	for (i = 0; ident && i < m->n; i++)
		json_object_put(ident[i]);
	json_object_put(root);
	free(ident);
	vs_groups_free(&gr);
	return ret;
}

/* ---- --dump ---------------------------------------------------------------- */

/*
 * Version 2: each distinct set of raw values and identity once, with the
 * CPUs that have exactly it; 1024 identical CPUs take one set, not 1024
 * copies (version 1, still read by --input).
 */
int vs_show_dump(const struct vs_machine *m, const bool *sel, FILE *out)
{
	json_object *root, *sets;
	struct vs_groups gr;
	size_t g;
	int ret;

	if (vs_groups_make(m, sel, true, &gr))
		return 2;
	root = json_object_new_object();
	sets = json_object_new_array();
	json_object_object_add(root, "format", jstr("vmxcap-dump"));
	json_object_object_add(root, "version", json_object_new_int(VS_DUMP_VERSION));
	for (g = 0; g < gr.n; g++) {
		const struct vs_cpu *c = &m->cpus[gr.rep[g]];
		json_object *e = json_object_new_object();
		json_object *msrs = json_object_new_object(), *faulted = json_object_new_array();
		unsigned int s;

		/* A kernel CPU list, as in the module's "cpus" file and --json. */
		json_object_object_add(e, "cpus", jstr(gr.lists[g]));
		if (c->label)
			json_object_object_add(e, "id", jstr(c->label));
		if (c->vendor[0])
			json_object_object_add(e, "vendor", jstr(c->vendor));
		if (c->family >= 0) {
			json_object_object_add(e, "family", json_object_new_int(c->family));
			json_object_object_add(e, "model", json_object_new_int(c->model));
			json_object_object_add(e, "stepping", json_object_new_int(c->stepping));
		}
		json_object_object_add(e, "hypervisor", c->hypervisor >= 0 ?
				       json_object_new_boolean(c->hypervisor) : NULL);
		json_object_object_add(e, "vmx", c->vmx >= 0 ?
				       json_object_new_boolean(c->vmx) : NULL);
		for (s = 0; s < VMXCAP_NR_MSRS; s++) {
			char key[16];

			snprintf(key, sizeof(key), "0x%x", vmxcap_msrs[s].index);
			if (vmxcap_has(c->raw, s))
				json_object_object_add(msrs, key, jhex16(c->raw->val[s]));
			else if (c->raw->faulted & VMXCAP_MSR_BIT(s))
				json_object_array_add(faulted, jstr(key));
		}
		json_object_object_add(e, "msrs", msrs);
		json_object_object_add(e, "faulted", faulted);
		json_object_array_add(sets, e);
	}
	json_object_object_add(root, "sets", sets);
	/* Dumps are small and meant to be read and diffed: always indented. */
	ret = print_json(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			 JSON_C_TO_STRING_NOSLASHESCAPE, out);
	json_object_put(root);
	vs_groups_free(&gr);
	return ret;
}

/* ---- --diff ---------------------------------------------------------------- */

/*
 * One decoded fact of a CPU: its key GROUP.NAME (GROUP alone when NAME is
 * NULL; GROUP.bitN when bit >= 0) and its value, kept whole in the list's
 * text.  Keys are built only for the lines shown.
 */
struct item {
	const char *group, *name;
	int bit;
	size_t val;		/* offset of the value in items.text */
};

struct items {
	struct item *v;
	size_t n, cap;
	char *text;
	size_t tlen, tcap;
	bool oom;
};

static void add_item(struct items *it, const char *val, const char *group,
		     const char *name, int bit)
{
	size_t l = strlen(val) + 1;

	if (it->n == it->cap) {
		size_t cap = it->cap ? it->cap * 2 : 1024;
		struct item *v = realloc(it->v, cap * sizeof(*v));

		if (!v) {
			it->oom = true;
			return;
		}
		it->v = v;
		it->cap = cap;
	}
	if (it->tlen + l > it->tcap) {
		size_t cap = (it->tlen + l) * 2;
		char *t = realloc(it->text, cap);

		if (!t) {
			it->oom = true;
			return;
		}
		it->text = t;
		it->tcap = cap;
	}
	memcpy(it->text + it->tlen, val, l);
	it->v[it->n] = (struct item){ group, name, bit, it->tlen };
	it->tlen += l;
	it->n++;
}

static const char *item_val(const struct items *it, size_t k)
{
	return it->text + it->v[k].val;
}

static void item_key(const struct item *i, char *buf, size_t size)
{
	if (i->bit >= 0)
		snprintf(buf, size, "%s.bit%d", i->group, i->bit);
	else
		snprintf(buf, size, "%s%s%s", i->group, i->name ? "." : "",
			 i->name ? i->name : "");
}

/*
 * Every fact in a fixed order, the same keys for every CPU, so that two
 * lists compare index by index.
 */
static void collect_items(const struct vs_cpu *c, struct items *it)
{
	u32 words[VMXCAP_LINUX_WORDS];
	char buf[96];
	unsigned int m, g, bit, i, w;

	vs_format_identity(c, buf, sizeof(buf));
	add_item(it, buf, "identity", NULL, -1);
	for (m = 0; m < VMXCAP_NR_MSRS; m++) {
		if (vmxcap_has(c->raw, m))
			snprintf(buf, sizeof(buf), "0x%016llx", c->raw->val[m]);
		else
			snprintf(buf, sizeof(buf), "%s", c->raw->faulted & VMXCAP_MSR_BIT(m) ?
				 "faulted" : "-");
		add_item(it, buf, "raw", vmxcap_msrs[m].id, -1);
	}
	add_item(it, vmxcap_fc_verdict_id(vmxcap_fc_verdict(c->raw)), "feature_control",
		 "verdict", -1);
	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[g];
		bool has = vmxcap_has(c->raw, t->msr);

		for (i = 0; i < t->nr_fields; i++) {
			if (has)
				vmxcap_field_format(&t->fields[i], c->raw->val[t->msr], true, buf,
					    sizeof(buf));
			add_item(it, has ? buf : "-", t->id, t->fields[i].id, -1);
		}
	}
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];

		for (bit = 0; bit < gi->width; bit++) {
			const struct vmxcap_ctl *ctl = vmxcap_ctl_lookup(g, bit);
			const char *s = vmxcap_state_name(vmxcap_ctl_state(c->raw, g, bit));

			if (ctl)
				add_item(it, s, gi->id, ctl->id, -1);
			else
				add_item(it, s, gi->id, NULL, (int)bit);
		}
	}
	for (g = 0; g < VMXCAP_NR_CRS; g++)
		for (bit = 0; bit < 64; bit++) {
			const struct vmxcap_bit *b = vmxcap_cr_bit_lookup(g, bit);
			const char *s = vmxcap_state_name(vmxcap_cr_state(c->raw, g, bit));

			if (b)
				add_item(it, s, vmxcap_crs[g].id, b->id, -1);
			else
				add_item(it, s, vmxcap_crs[g].id, NULL, (int)bit);
		}
	vmxcap_linux_words(c->raw, words);
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (bit = 0; bit < 32; bit++) {
			const char *name = vmxcap_linux_flag_name(w, bit, 0);

			if (name)
				add_item(it, words[0] && ((words[w] >> bit) & 1) ? "yes" : "no",
					 "vmx_flags", name, -1);
		}
}

int vs_show_diff(const struct vs_machine *m, const bool *sel,
		 const struct vs_opts *o, bool json, FILE *out)
{
	size_t i, g, k, ndiff = 0, nsel = 0, *count = NULL;
	struct items *it = NULL;
	struct libscols_table *tb = NULL;
	struct vs_groups gr;
	bool long_lists = false;
	int ret = 2;

	if (vs_groups_make(m, sel, false, &gr))
		return 2;
	for (i = 0; i < m->n; i++)
		nsel += sel[i];
	if (gr.n == 1 && !json) {
		fprintf(out, "group A: cpu %s (%zu CPU%s)%s%s\n", gr.lists[0], nsel,
			nsel == 1 ? "" : "s", m->cpus[gr.rep[0]].label ? ": " : "",
			m->cpus[gr.rep[0]].label ? m->cpus[gr.rep[0]].label : "");
		fprintf(out, "all %zu CPUs (%s) report identical VMX capabilities\n",
			nsel, gr.lists[0]);
		ret = 0;
		goto out;
	}
	/* The decoded facts of each group's first CPU: once per group. */
	it = calloc(gr.n, sizeof(*it));
	if (!it)
		goto oom;
	for (g = 0; g < gr.n; g++) {
		collect_items(&m->cpus[gr.rep[g]], &it[g]);
		if (it[g].oom || it[g].n != it[0].n)
			goto oom;
	}
	tb = scols_new_table();
	if (!tb)
		goto oom;
	scols_table_set_stream(tb, out);
	scols_table_enable_colors(tb, o->color);
	scols_table_enable_json(tb, json);
	scols_table_set_name(tb, "vmxcap-diff");
	scols_table_new_column(tb, "ITEM", 0, 0);
	count = calloc(gr.n, sizeof(*count));
	if (!count)
		goto oom;
	for (i = 0; i < m->n; i++)
		count[gr.of[i]] += sel[i];
	for (g = 0; g < gr.n; g++)
		long_lists |= strlen(gr.lists[g]) > 16;
	for (g = 0; g < gr.n; g++) {
		size_t n = count[g], len = strlen(gr.lists[g]) + 8;
		char *name = malloc(len);

		if (!name)
			goto oom;
		if (!json)
			fprintf(out, "group %c: cpu %s (%zu CPU%s)%s%s\n",
				(int)('A' + (g % 26)), gr.lists[g], n, n == 1 ? "" : "s",
				m->cpus[gr.rep[g]].label ? ": " : "",
				m->cpus[gr.rep[g]].label ? m->cpus[gr.rep[g]].label : "");
		/*
		 * Columns are named after their CPU list, so JSON says which is
		 * which; on screen a long list would make the table unreadable:
		 * the groups' letters then, their lists being on the lines above.
		 */
		if (json || !long_lists)
			snprintf(name, len, "cpu %s", gr.lists[g]);
		else
			snprintf(name, len, "group %c", (int)('A' + (g % 26)));
		if (!scols_table_new_column(tb, name, 0, 0)) {
			free(name);
			goto oom;
		}
		free(name);
	}
	for (k = 0; gr.n > 1 && k < it[0].n; k++) {
		struct libscols_line *ln;
		char key[128];

		for (g = 1; g < gr.n; g++)
			if (strcmp(item_val(&it[g], k), item_val(&it[0], k)))
				break;
		if (g == gr.n)
			continue;
		ndiff++;
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			goto oom;
		item_key(&it[0].v[k], key, sizeof(key));
		scols_line_set_data(ln, 0, key);
		for (g = 0; g < gr.n; g++)
			scols_line_set_data(ln, g + 1, item_val(&it[g], k));
	}
	if (!json)
		fprintf(out, "%zu groups of CPUs with identical VMX capabilities; %zu items differ:\n",
			gr.n, ndiff);
	scols_print_table(tb);
	ret = gr.n > 1 ? 1 : 0;
	goto out;
oom:
	vs_error("out of memory");
out:
	scols_unref_table(tb);
	for (g = 0; it && g < gr.n; g++) {
		free(it[g].v);
		free(it[g].text);
	}
	free(it);
	free(count);
	vs_groups_free(&gr);
	return ret;
}
