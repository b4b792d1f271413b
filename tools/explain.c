// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the vocabulary for people - `explain NAME` (what a control,
 * field, CR bit, MSR, vmx flag or state word means, from the glossary) and
 * --list-features (every feature --require takes, with its Linux and QEMU
 * names) - and for the shell's completion (--complete).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glossary.h"
#include "kvm.h"
#include "table.h"

/* The glossary's form of a name: lower case, '_' for '-'. */
static void fold(const char *name, char *buf, size_t size)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < size; i++)
		buf[i] = name[i] == '-' ? '_' : (char)tolower((unsigned char)name[i]);
	buf[i] = '\0';
}

/* The glossary entry a name stands for, or NULL. */
static const struct vs_gloss *resolve(const char *name)
{
	static const char *const prefixes[] = {
		"", "group.", "state.", "verdict.", "problem.", "flag.", "msr.", "cr0.", "cr4.",
	};
	const struct vs_gloss *g;
	struct vs_feature f;
	char n[96], key[128];
	unsigned int i;
	u64 index;

	fold(name, n, sizeof(n));
	for (i = 0; i < ARRAY_LEN(prefixes); i++) {
		snprintf(key, sizeof(key), "%s%s", prefixes[i], n);
		g = vs_gloss_lookup(key);
		if (g)
			return g;
	}
	/* Any name --require takes: QEMU's, Linux's, GROUP.ID, a field's. */
	if (!vs_feature_resolve(name, &f)) {
		vs_feature_key(&f, key, sizeof(key));
		return vs_gloss_lookup(key);
	}
	vs_clear_error();
	/* An MSR by its architectural name or number. */
	for (i = 0; i < VMXCAP_NR_MSRS; i++)
		if (!strcasecmp(name, vmxcap_msrs[i].name) ||
		    (vs_parse_number(name, &index) && index == vmxcap_msrs[i].index)) {
			snprintf(key, sizeof(key), "msr.%s", vmxcap_msrs[i].id);
			return vs_gloss_lookup(key);
		}
	return NULL;
}

/* Every key and short name explain takes, for suggestions and completion. */
static const char **explain_names(size_t *n)
{
	size_t nf, i, k = 0;
	const char *const *features = vs_feature_vocabulary(&nf);
	const char **names = xmalloc((vs_glossary_len * 2 + nf + VMXCAP_NR_MSRS) * sizeof(*names));

	for (i = 0; i < vs_glossary_len; i++) {
		const char *dot = strchr(vs_glossary[i].key, '.');

		names[k++] = vs_glossary[i].key;
		if (dot && (!strncmp(vs_glossary[i].key, "state.", 6) ||
			    !strncmp(vs_glossary[i].key, "verdict.", 8) ||
			    !strncmp(vs_glossary[i].key, "group.", 6)))
			names[k++] = dot + 1;
	}
	for (i = 0; i < nf; i++)
		names[k++] = features[i];
	for (i = 0; i < VMXCAP_NR_MSRS; i++)
		names[k++] = vmxcap_msrs[i].name;
	*n = k;
	return names;
}

/* Where the thing lives: "IA32_VMX_PROCBASED_CTLS2 bit 33, control bit 1". */
static void location(const struct vs_gloss *g, char *buf, size_t size)
{
	struct vs_feature f;
	unsigned int i, c;

	buf[0] = '\0';
	if (!vs_feature_resolve(g->key, &f) && f.kind == VS_FEAT_CTL) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[f.group];
		const struct vmxcap_ctl *ctl = vmxcap_ctl_lookup(f.group, f.bit);
		char msr[96];

		/* Its allowed-1 bit: the MSR's high half, or the whole 64-bit MSR. */
		if (gi->true_msr != VMXCAP_NR_MSRS)
			snprintf(msr, sizeof(msr), "%s (or %s)", vmxcap_msrs[gi->true_msr].name,
				 vmxcap_msrs[gi->msr].name);
		else
			snprintf(msr, sizeof(msr), "%s", vmxcap_msrs[gi->msr].name);
		snprintf(buf, size, "%s, bit %u (\"%s\"): may be 1 when %s bit %u is 1", gi->name,
			 f.bit, ctl ? ctl->name : "", msr, gi->allowed1_only ? f.bit : f.bit + 32);
		return;
	}
	if (!vs_feature_resolve(g->key, &f) && f.kind == VS_FEAT_FIELD) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[f.group];
		const struct vmxcap_field *fl = &t->fields[f.bit];

		snprintf(buf, size, "%s bit %u: \"%s\"", vmxcap_msrs[t->msr].name, fl->lo, fl->name);
		return;
	}
	vs_clear_error();
	for (i = 0; i < VMXCAP_NR_FIELD_TABLES; i++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[i];
		size_t len = strlen(t->id);

		for (c = 0; !strncmp(g->key, t->id, len) && g->key[len] == '.' && c < t->nr_fields; c++)
			if (!strcmp(g->key + len + 1, t->fields[c].id))
				snprintf(buf, size, "%s bits %u-%u: \"%s\"", vmxcap_msrs[t->msr].name,
					 t->fields[c].lo, t->fields[c].hi, t->fields[c].name);
	}
	for (i = 0; i < VMXCAP_NR_CRS; i++) {
		const struct vmxcap_cr_info *ci = &vmxcap_crs[i];
		size_t len = strlen(ci->id);

		for (c = 0; !strncmp(g->key, ci->id, len) && g->key[len] == '.' && c < ci->nr_bits; c++)
			if (!strcmp(g->key + len + 1, ci->bits[c].id))
				snprintf(buf, size, "%s bit %u: \"%s\" (%s and %s say whether it may be 0 or 1)",
					 i ? "CR4" : "CR0", ci->bits[c].bit, ci->bits[c].name,
					 vmxcap_msrs[ci->fixed0].name, vmxcap_msrs[ci->fixed1].name);
	}
	for (i = 0; i < VMXCAP_NR_MSRS; i++)
		if (!strncmp(g->key, "msr.", 4) && !strcmp(g->key + 4, vmxcap_msrs[i].id))
			snprintf(buf, size, "%s, MSR 0x%x", vmxcap_msrs[i].name, vmxcap_msrs[i].index);
}

static void explain_one(const struct vs_gloss *g, int width, FILE *out)
{
	char where[400], tail[256] = "";
	const char *qemu = vs_qemu_name(g->key);
	struct vs_feature f;
	size_t len = 0;

	fprintf(out, "%s: %s\n", g->key, g->brief);
	location(g, where, sizeof(where));
	if (where[0])
		vs_print_wrapped(out, width, "  ", "  ", where, "");
	vs_print_wrapped(out, width, "  ", "  ", g->text, "");
	if (g->without)
		vs_print_wrapped(out, width, "  Without it: ", "    ", g->without, "");
	if (g->sdm)
		vs_print_wrapped(out, width, "  Defined in: ", "    ", g->sdm, "");
	if (!vs_feature_resolve(g->key, &f) && f.kind == VS_FEAT_CTL) {
		const struct vmxcap_ctl *ctl = vmxcap_ctl_lookup(f.group, f.bit);

		if (ctl && ctl->linux_flag)
			len += (size_t)snprintf(tail + len, sizeof(tail) - len, "Linux vmx flags: %s",
						ctl->linux_flag);
	}
	vs_clear_error();
	if (g->kvm && len < sizeof(tail))
		len += (size_t)snprintf(tail + len, sizeof(tail) - len, "%skvm_intel parameter: %s",
					len ? "; " : "", g->kvm);
	if (qemu && len < sizeof(tail))
		snprintf(tail + len, sizeof(tail) - len, "%sQEMU: %s", len ? "; " : "", qemu);
	if (tail[0])
		vs_print_wrapped(out, width, "  ", "  ", tail, "");
}

int vs_explain(char *const *names, size_t n, FILE *out)
{
	int width = vs_term_width(out);
	size_t i;

	if (!n) {
		vs_error("explain: name a control, field, CR bit, MSR, vmx flag or state word (vmxcap-show --list-features)");
		return 2;
	}
	for (i = 0; i < n; i++) {
		const struct vs_gloss *g = resolve(names[i]);
		size_t k, hits = 0;

		/* A control id of several groups (load_pat): explain each. */
		for (k = 0; !g && k < VMXCAP_NR_CTL_GROUPS; k++) {
			char key[128];
			const struct vs_gloss *alt;

			snprintf(key, sizeof(key), "%s.%s", vmxcap_ctl_groups[k].id, names[i]);
			alt = vs_gloss_lookup(key);
			if (alt) {
				if (i || hits++)
					fputc('\n', out);
				explain_one(alt, width, out);
			}
		}
		if (hits)
			continue;
		if (!g) {
			size_t nn;
			const char **all = explain_names(&nn);
			char hint[200];

			vs_suggest(names[i], all, nn, hint, sizeof(hint));
			free(all);
			vs_error("explain: nothing is called '%s'%s", names[i], hint);
			return 2;
		}
		if (i)
			fputc('\n', out);
		explain_one(g, width, out);
	}
	return 0;
}

int vs_list_features(const struct vs_opts *o, FILE *out)
{
	static const struct vs_column cols[] = {
		{ "ID", 0 }, { "GROUP", 0 }, { "BIT", 0 }, { "LINUX", 0 }, { "QEMU", 0 },
		{ "MEANING", SCOLS_FL_TRUNC },
	};
	int width = vs_term_width(out);
	struct vs_table t;
	unsigned int g, i, w, b;
	char key[128], bit[16];

	vs_table_init(&t, o->color, width, out, cols, ARRAY_LEN(cols));
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		for (i = 0; i < vmxcap_ctl_groups[g].nr_ctls; i++) {
			const struct vmxcap_ctl *c = &vmxcap_ctl_groups[g].ctls[i];
			const struct vs_gloss *gl;
			const char *q;

			snprintf(key, sizeof(key), "%s.%s", vmxcap_ctl_groups[g].id, c->id);
			snprintf(bit, sizeof(bit), "%u", c->bit);
			gl = vs_gloss_lookup(key);
			q = vs_qemu_name(key);
			vs_table_add(&t, (const char *const[]){ c->id, vmxcap_ctl_groups[g].id, bit,
				     c->linux_flag ? c->linux_flag : "-", q ? q : "-",
				     gl ? gl->brief : "" }, -1, NULL);
		}
	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++)
		for (i = 0; i < vmxcap_field_tables[g].nr_fields; i++) {
			const struct vmxcap_field *f = &vmxcap_field_tables[g].fields[i];
			const struct vs_gloss *gl;
			const char *q;
			int lb;

			if (f->kind != VMXCAP_FIELD_FLAG ||
			    (g != VMXCAP_FT_BASIC && g != VMXCAP_FT_MISC && g != VMXCAP_FT_EPT_VPID))
				continue;
			snprintf(key, sizeof(key), "%s.%s", vmxcap_field_tables[g].id, f->id);
			snprintf(bit, sizeof(bit), "%u", f->lo);
			gl = vs_gloss_lookup(key);
			q = vs_qemu_name(key);
			lb = vmxcap_linux_field_bit(g, i);
			vs_table_add(&t, (const char *const[]){ f->id, vmxcap_field_tables[g].id, bit,
				     lb >= 0 ? vmxcap_linux_flag_name(0, (unsigned int)lb, 0) : "-",
				     q ? q : "-", gl ? gl->brief : "" }, -1, NULL);
		}
	/* The synthetic flags Linux makes of several controls. */
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (b = 0; b < 32; b++) {
			const char *name = vmxcap_linux_flag_name(w, b, 0);
			struct vs_feature f;
			const struct vs_gloss *gl;

			if (!name || vs_feature_resolve(name, &f) || f.kind != VS_FEAT_LINUX)
				continue;
			snprintf(key, sizeof(key), "flag.%s", name);
			gl = vs_gloss_lookup(key);
			vs_table_add(&t, (const char *const[]){ name, "vmx_flags", "-", name, "-",
				     gl ? gl->brief : "" }, -1, NULL);
		}
	vs_clear_error();
	vs_table_done(&t);
	return 0;
}

/* Prints names[0..n) one a line, each once (lists repeat many names). */
static void print_once(const char *const *names, size_t n, FILE *out)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < i && strcmp(names[k], names[i]); k++)
			;
		if (k == i)
			fprintf(out, "%s\n", names[i]);
	}
}

int vs_complete(const char *what, FILE *out)
{
	size_t n, i;
	const char **names;

	if (!strcmp(what, "features")) {
		const char *const *v = vs_feature_vocabulary(&n);

		for (i = 0; i < vs_hv_nprofiles; i++)
			fprintf(out, "%s\n", vs_hv_profiles[i]->id);
		print_once(v, n, out);
		for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++) {
			unsigned int c;

			for (c = 0; c < vmxcap_ctl_groups[i].nr_ctls; c++)
				fprintf(out, "%s.%s\n", vmxcap_ctl_groups[i].id,
					vmxcap_ctl_groups[i].ctls[c].id);
		}
		return 0;
	}
	if (!strcmp(what, "explain")) {
		names = explain_names(&n);
		print_once(names, n, out);
		free(names);
		return 0;
	}
	if (!strncmp(what, "controls:", 9)) {
		int g = vs_group_by_id(what + 9, strlen(what + 9));

		for (i = 0; g >= 0 && i < vmxcap_ctl_groups[g].nr_ctls; i++)
			fprintf(out, "%s\n", vmxcap_ctl_groups[g].ctls[i].id);
		for (i = 0; g < 0 && i < VMXCAP_NR_CRS; i++) {
			unsigned int b;

			if (!vs_name_eq(what + 9, vmxcap_crs[i].id))
				continue;
			for (b = 0; b < vmxcap_crs[i].nr_bits; b++)
				fprintf(out, "%s\n", vmxcap_crs[i].bits[b].id);
		}
		return 0;
	}
	if (!strcmp(what, "adjust-fields")) {
		for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++)
			fprintf(out, "%s\n", vmxcap_ctl_groups[i].id);
		for (i = 0; i < VMXCAP_NR_CRS; i++)
			fprintf(out, "%s\n", vmxcap_crs[i].id);
		return 0;
	}
	if (!strcmp(what, "kvm-params")) {
		for (i = 0; i < vs_kvm_nparams; i++)
			fprintf(out, "%s=\n", vs_kvm_params[i].name);
		return 0;
	}
	if (!strcmp(what, "profiles")) {
		size_t v;

		for (i = 0; i < vs_hv_nprofiles; i++) {
			fprintf(out, "%s", vs_hv_profiles[i]->id);
			for (v = 0; vs_hv_profiles[i]->versions[v]; v++)
				fprintf(out, " %s", vs_hv_profiles[i]->versions[v]);
			fputc('\n', out);
		}
		return 0;
	}
	if (!strcmp(what, "hypervisor-versions")) {
		const struct vs_hv_profile *p = vs_hv_profile("xen");

		for (i = 0; p && p->versions[i]; i++)
			fprintf(out, "%s\n", p->versions[i]);
		return 0;
	}
	vs_error("--complete: want features, explain, adjust-fields, controls:GROUP, kvm-params, profiles, hypervisor-versions or entries");
	return 2;
}
