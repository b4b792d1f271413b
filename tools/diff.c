// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: --diff.  The selected CPUs in groups of identical
 * capabilities (of each host, with several: a column per host's set), and
 * every decoded fact (raw value, field, control state, CR bit, vmx flag)
 * in which the groups differ, one row each.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "jsonw.h"
#include "table.h"

/*
 * One decoded fact of a CPU: its key GROUP.NAME (GROUP alone when NAME is
 * NULL; GROUP.bitN when bit >= 0) and its value, kept whole in the list's
 * text.  Keys are built only for the lines shown.
 */
struct item {
	const char *group, *name;
	int bit;
	size_t val;		/* offset of the value in items.text */
	u32 needs;		/* the MSRs it is decoded from (VMXCAP_MSR_BIT) */
};

struct items {
	struct item *v;
	size_t n, cap;
	u32 unrecorded;		/* the set's MSRs not recorded (unrecorded()) */
	char *text;
	size_t tlen, tcap;
};

static void add_item(struct items *it, const char *val, const char *group,
		     const char *name, int bit, u32 needs)
{
	size_t l = strlen(val) + 1;

	if (it->n == it->cap) {
		it->cap = it->cap ? it->cap * 2 : 1024;
		it->v = xrealloc(it->v, it->cap * sizeof(*it->v));
	}
	if (it->tlen + l > it->tcap) {
		it->tcap = (it->tlen + l) * 2;
		it->text = xrealloc(it->text, it->tcap);
	}
	memcpy(it->text + it->tlen, val, l);
	it->v[it->n] = (struct item){ group, name, bit, it->tlen, needs };
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
 * The MSRs a set's source did not record though they may exist (not
 * faulted, not absent by SDM appendix A's rules).
 */
static u32 unrecorded(const struct vs_cpu *c)
{
	u32 mask = 0;
	unsigned int m;

	for (m = 0; m < VMXCAP_NR_MSRS; m++)
		if (!vmxcap_has(c->raw, m) && !(c->raw->faulted & VMXCAP_MSR_BIT(m)) &&
		    vmxcap_msr_existence(c->raw, m) != VMXCAP_ABSENT)
			mask |= VMXCAP_MSR_BIT(m);
	return mask;
}

/* The MSRs a control group's states come from: its MSR, its TRUE one and BASIC. */
static u32 ctl_needs(const struct vmxcap_ctl_group_info *gi)
{
	u32 needs = VMXCAP_MSR_BIT(gi->msr);

	if (gi->true_msr < VMXCAP_NR_MSRS)
		needs |= VMXCAP_MSR_BIT(gi->true_msr) | VMXCAP_MSR_BIT(VMXCAP_BASIC);
	return needs;
}

/*
 * Every fact in a fixed order, the same keys for every CPU, so that two
 * lists compare index by index.
 */
static void collect_items(const struct vs_cpu *c, struct items *it)
{
	u32 missing = unrecorded(c);
	char buf[96];

	it->unrecorded = missing;
	unsigned int m, g, bit, i, w;

	vs_format_identity(c, buf, sizeof(buf));
	add_item(it, buf, "identity", NULL, -1, 0);
	for (m = 0; m < VMXCAP_NR_MSRS; m++) {
		if (vmxcap_has(c->raw, m))
			snprintf(buf, sizeof(buf), "0x%016llx", c->raw->val[m]);
		else
			snprintf(buf, sizeof(buf), "%s", c->raw->faulted & VMXCAP_MSR_BIT(m) ?
				 "faulted" : missing & VMXCAP_MSR_BIT(m) ? "not recorded" : "-");
		add_item(it, buf, "raw", vmxcap_msrs[m].id, -1, 0);
	}
	add_item(it, vmxcap_fc_verdict_id(vmxcap_fc_verdict(c->raw)), "feature_control",
		 "verdict", -1, VMXCAP_MSR_BIT(VMXCAP_FEATURE_CONTROL));
	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[g];
		bool has = vmxcap_has(c->raw, t->msr);

		for (i = 0; i < t->nr_fields; i++) {
			if (has)
				vmxcap_field_format(&t->fields[i], c->raw->val[t->msr], true, buf,
					    sizeof(buf));
			add_item(it, has ? buf : "-", t->id, t->fields[i].id, -1,
				 VMXCAP_MSR_BIT(t->msr));
		}
	}
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];

		for (bit = 0; bit < gi->width; bit++) {
			const struct vmxcap_ctl *ctl = vmxcap_ctl_lookup(g, bit);
			const char *s = vmxcap_state_name(vmxcap_ctl_state(c->raw, g, bit));

			if (ctl)
				add_item(it, s, gi->id, ctl->id, -1, ctl_needs(gi));
			else
				add_item(it, s, gi->id, NULL, (int)bit, ctl_needs(gi));
		}
	}
	for (g = 0; g < VMXCAP_NR_CRS; g++)
		for (bit = 0; bit < 64; bit++) {
			const struct vmxcap_bit *b = vmxcap_cr_bit_lookup(g, bit);
			const char *s = vmxcap_state_name(vmxcap_cr_state(c->raw, g, bit));
			u32 needs = VMXCAP_MSR_BIT(vmxcap_crs[g].fixed0) |
				    VMXCAP_MSR_BIT(vmxcap_crs[g].fixed1);

			if (b)
				add_item(it, s, vmxcap_crs[g].id, b->id, -1, needs);
			else
				add_item(it, s, vmxcap_crs[g].id, NULL, (int)bit, needs);
		}
	/* A flag an unrecorded MSR could change is "unknown" (vs_linux_flag). */
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (bit = 0; bit < 32; bit++) {
			const char *name = vmxcap_linux_flag_name(w, bit, 0);
			enum vmxcap_msr unread;
			int f;

			if (!name)
				continue;
			f = vs_linux_flag(c->raw, w, bit, &unread);
			add_item(it, f < 0 ? "unknown" : f ? "yes" : "no", "vmx_flags", name, -1, 0);
		}
}

/*
 * Documented in tools/README.md ("--diff --json"): version 2 is the shape
 * of several hosts (their names and paths, each group's host); one input
 * writes version 1 as before.
 */
#define VS_DIFF_SCHEMA_VERSION 1
#define VS_DIFF_HOSTS_SCHEMA_VERSION 2

/* Where a machine was read: its source kind and path. */
static void diff_where(struct jw *w, const struct vs_host *h, const void *unused)
{
	(void)unused;
	jw_key_string(w, "source", h->m->source_kind);
	jw_key_string(w, "path", h->m->source);
}

/*
 * Several hosts: sets whose every fact (identity included) and fixture id
 * are the same share a column, so that a fleet of a few kinds of machine
 * is a few columns.  alike[g] is the first set like set g (g itself when
 * none before is); the texts of two item lists are equal exactly when all
 * their values are, since their keys are the same, in the same order.
 */
static size_t *alike_sets(const struct vs_sets *s, const struct items *it)
{
	size_t *alike = xmalloc((s->n ? s->n : 1) * sizeof(*alike)), g, f;

	for (g = 0; g < s->n; g++) {
		alike[g] = g;
		for (f = 0; s->v[g].host->name && f < g; f++) {
			const char *a = s->v[f].rep->facts->label, *b = s->v[g].rep->facts->label;

			if (alike[f] == f && it[f].tlen == it[g].tlen &&
			    it[f].unrecorded == it[g].unrecorded &&
			    !memcmp(it[f].text, it[g].text, it[g].tlen) &&
			    (a == b || (a && b && !strcmp(a, b)))) {
				alike[g] = f;
				break;
			}
		}
	}
	return alike;
}

/* The column set g is shown in: its letter in the text, its name in JSON. */
static size_t column_of(const size_t *alike, size_t g)
{
	size_t f, col = 0;

	for (f = 0; f < alike[g]; f++)
		col += alike[f] == f;
	return col;
}

static void diff_json(const struct vs_host *h, size_t nh, const struct vs_sets *s,
		      bool identical, const struct items *it, const size_t *alike,
		      const size_t *rows, size_t nrows, FILE *out)
{
	bool hosts = h[0].name != NULL;
	struct jw w;
	size_t g, r;

	jw_init(&w, out, isatty(fileno(out)));
	jw_object(&w);
	jw_schema(&w, "vmxcap-diff", hosts ? VS_DIFF_HOSTS_SCHEMA_VERSION : VS_DIFF_SCHEMA_VERSION);
	if (hosts)
		vs_json_hosts(&w, h, nh, diff_where, NULL);
	else
		diff_where(&w, &h[0], NULL);
	jw_key_bool(&w, "identical", identical);
	jw_key(&w, "groups");
	jw_array(&w);
	for (g = 0; g < s->n; g++) {
		jw_object(&w);
		jw_key_uint(&w, "id", g);
		jw_key_string(&w, "name", vs_group_letter(column_of(alike, g)));
		if (hosts)
			jw_key_string(&w, "host", s->v[g].host->name);
		jw_key_string(&w, "cpus", s->v[g].list);
		jw_key_uint(&w, "count", s->v[g].count);
		if (s->v[g].rep->facts->label)
			jw_key_string(&w, "label", s->v[g].rep->facts->label);
		if (alike[g] != g)
			jw_key_uint(&w, "same_as", alike[g]);
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (r = 0; r < nrows; r++) {
		char key[128];

		item_key(&it[0].v[rows[r]], key, sizeof(key));
		jw_object(&w);
		jw_key_string(&w, "item", key);
		jw_key(&w, "values");
		jw_array(&w);
		for (g = 0; g < s->n; g++)
			jw_string(&w, item_val(&it[g], rows[r]));
		jw_end(&w);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	jw_finish(&w);
}

/* "group C: host a cpu 0-3, host b cpu 0-3 (8 CPUs): label": a column's sets. */
static void column_line(const struct vs_sets *s, const size_t *alike, size_t g, size_t col,
			FILE *out)
{
	const char *label = s->v[g].rep->facts->label;
	size_t f, count = 0;

	fprintf(out, "group %s: ", vs_group_letter(col));
	for (f = g; f < s->n; f++) {
		size_t len = strlen(s->v[f].list) + 16 +
			     (s->v[f].host->name ? strlen(s->v[f].host->name) + 6 : 0);
		char *phrase;

		if (alike[f] != g)
			continue;
		phrase = xmalloc(len);
		vs_set_phrase(&s->v[f], phrase, len);
		fprintf(out, "%s%s", count ? ", " : "", phrase);
		free(phrase);
		count += s->v[f].count;
	}
	fprintf(out, " (%zu CPU%s)%s%s\n", count, count == 1 ? "" : "s", label ? ": " : "",
		label ? label : "");
}

static void diff_text(size_t nh, const struct vs_sets *s, bool identical,
		      const struct items *it, const size_t *alike, const size_t *rows,
		      size_t nrows, const struct vs_opts *o, FILE *out)
{
	struct libscols_table *tb = vs_scols_new(o->color, vs_term_width(out), out);
	bool long_lists = false, hosts = s->v[0].host->name != NULL;
	size_t g, r, ncols = 0;

	for (g = 0; g < s->n; g++) {
		if (alike[g] != g) {
			long_lists = true;	/* a column of several sets: named by its letter */
			continue;
		}
		column_line(s, alike, g, ncols++, out);
		/* A long CPU list (or host name) would make the table unreadable. */
		long_lists |= strlen(s->v[g].list) > 16 ||
			      (hosts && strlen(s->v[g].host->name) > 16);
	}
	if (identical && !hosts) {
		fprintf(out, "all %zu CPUs (%s) report identical VMX capabilities\n",
			s->v[0].count, s->v[0].list);
		scols_unref_table(tb);
		return;
	}
	if (identical) {
		fprintf(out, "all %zu CPUs of the %zu host%s report identical VMX capabilities\n",
			s->ncpus, nh, nh == 1 ? "" : "s");
		scols_unref_table(tb);
		return;
	}
	if (hosts)
		fprintf(out, "%zu groups of CPUs on %zu host%s; %zu items differ:\n", ncols, nh,
			nh == 1 ? "" : "s", nrows);
	else
		fprintf(out, "%zu groups of CPUs with identical VMX capabilities; %zu items differ:\n",
			s->n, nrows);
	scols_table_new_column(tb, "ITEM", 0, 0);
	for (g = 0, ncols = 0; g < s->n; g++) {
		size_t len = strlen(s->v[g].list) + 16 + (hosts ? strlen(s->v[g].host->name) : 0);
		char *name;

		if (alike[g] != g)
			continue;
		name = xmalloc(len);
		vs_set_column(&s->v[g], ncols++, long_lists, "group", name, len);
		scols_table_new_column(tb, name, 0, 0);
		free(name);
	}
	for (r = 0; r < nrows; r++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		char key[128];
		size_t col = 1;

		item_key(&it[0].v[rows[r]], key, sizeof(key));
		scols_line_set_data(ln, 0, key);
		for (g = 0; g < s->n; g++)
			if (alike[g] == g)
				scols_line_set_data(ln, col++, item_val(&it[g], rows[r]));
	}
	scols_print_table(tb);
	scols_unref_table(tb);
}

/*
 * Whether fact k differs between the sets.  A set whose source did not
 * record an MSR the fact is decoded from is left out: that MSR's raw row
 * says "not recorded" once, instead of a "-" or "unknown" row for every
 * field and control it decodes to.
 */
static bool row_differs(const struct items *it, size_t n, size_t k)
{
	u32 needs = it[0].v[k].needs;
	const char *first = NULL;
	size_t g;

	for (g = 0; g < n; g++) {
		if (it[g].unrecorded & needs)
			continue;
		if (!first)
			first = item_val(&it[g], k);
		else if (strcmp(first, item_val(&it[g], k)))
			return true;
	}
	return false;
}

int vs_show_diff(const struct vs_host *h, size_t nh, const struct vs_opts *o, bool json,
		 FILE *out)
{
	struct items *it;
	struct vs_sets s;
	size_t g, k, nrows = 0, *rows, *alike;
	bool identical;

	vs_sets_make(h, nh, &s);
	/* The decoded facts of each set's first CPU: once per set. */
	it = xcalloc(s.n, sizeof(*it));
	for (g = 0; g < s.n; g++)
		collect_items(s.v[g].rep, &it[g]);
	rows = xmalloc((s.n && it[0].n ? it[0].n : 1) * sizeof(*rows));
	for (k = 0; s.n > 1 && k < it[0].n; k++)
		if (row_differs(it, s.n, k))
			rows[nrows++] = k;
	/* Several hosts' sets may be alike: identical when nothing differs. */
	identical = !s.differ && !nrows;
	alike = alike_sets(&s, it);
	if (json)
		diff_json(h, nh, &s, identical, it, alike, rows, nrows, out);
	else
		diff_text(nh, &s, identical, it, alike, rows, nrows, o, out);
	free(alike);
	for (g = 0; g < s.n; g++) {
		free(it[g].v);
		free(it[g].text);
	}
	free(it);
	free(rows);
	vs_sets_free(&s);
	return identical ? 0 : 1;
}
