// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: --diff.  The selected CPUs in groups of identical
 * capabilities, and every decoded fact (raw value, field, control state,
 * CR bit, vmx flag) in which the groups differ, one row each.
 */
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "vmxcap-show.h"

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
};

static void add_item(struct items *it, const char *val, const char *group,
		     const char *name, int bit)
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
	size_t i, g, k, ndiff = 0, nsel = 0;
	struct items *it = NULL;
	struct libscols_table *tb = NULL;
	struct vs_groups gr;
	bool long_lists = false;
	int ret = 2;

	vs_groups_make(m, sel, false, &gr);
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
	it = xcalloc(gr.n, sizeof(*it));
	for (g = 0; g < gr.n; g++)
		collect_items(&m->cpus[gr.rep[g]], &it[g]);
	tb = scols_new_table();
	if (!tb)
		goto oom;
	scols_table_set_stream(tb, out);
	scols_table_enable_colors(tb, o->color);
	scols_table_enable_json(tb, json);
	scols_table_set_name(tb, "vmxcap-diff");
	scols_table_new_column(tb, "ITEM", 0, 0);
	for (g = 0; g < gr.n; g++)
		long_lists |= strlen(gr.lists[g]) > 16;
	for (g = 0; g < gr.n; g++) {
		size_t n = gr.count[g], len = strlen(gr.lists[g]) + 8;
		char *name = xmalloc(len);

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
	vs_groups_free(&gr);
	return ret;
}
