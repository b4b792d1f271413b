// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: --json, schema 3 (tools/README.md; several hosts: 4).  The
 * raw values and the full decode are written once per group of CPUs with
 * identical capabilities; each CPU carries its number, identity and
 * group.  Written as it is produced (jsonw.c): 1024 CPUs cost what their
 * text costs.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonw.h"
#include "vmxcap-show.h"

/*
 * Versions of the --json schema (see tools/README.md): 3 for one input, 4
 * for several hosts (the same documents, as entries of "hosts").
 */
#define VS_JSON_SCHEMA_VERSION 3
#define VS_JSON_HOSTS_SCHEMA_VERSION 4

static void jstate(struct jw *w, enum vmxcap_state s)
{
	jw_string(w, vmxcap_state_name(s));
}

/* A field table's values, or null when its MSR was not read. */
static void jfields(struct jw *w, const struct vs_cpu *c, enum vmxcap_field_table_id ft)
{
	const struct vmxcap_field_table *tab = &vmxcap_field_tables[ft];
	unsigned int i;
	u64 v;

	if (!vmxcap_has(c->raw, tab->msr)) {
		jw_null(w);	/* not read, or does not exist */
		return;
	}
	v = c->raw->val[tab->msr];
	jw_object(w);
	for (i = 0; i < tab->nr_fields; i++) {
		const struct vmxcap_field *f = &tab->fields[i];
		u64 x = vmxcap_field_value(f, v);
		char key[64];

		jw_key(w, f->id);
		if (f->kind == VMXCAP_FIELD_FLAG)
			jw_bool(w, x != 0);
		else
			jw_uint(w, x);
		if (f->kind == VMXCAP_FIELD_MEMTYPE) {
			snprintf(key, sizeof(key), "%s_name", f->id);
			jw_key_string(w, key, vmxcap_memtype_name((unsigned int)x));
		} else if (f->kind == VMXCAP_FIELD_MSR_LIST) {
			snprintf(key, sizeof(key), "%s_entries", f->id);
			jw_key_uint(w, key, 512 * (x + 1));
		}
	}
	jw_key_hex(w, "unknown_bits", vmxcap_field_unknown_bits(tab, v), 0);
	jw_end(w);
}

static void jgroup(struct jw *w, const struct vs_cpu *c, enum vmxcap_ctl_group g)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	enum vmxcap_existence e = vmxcap_msr_existence(c->raw, gi->msr);
	u64 must1, may1, un = vmxcap_ctl_unnamed_allowed(c->raw, g);
	bool known = vmxcap_ctl_masks(c->raw, g, &must1, &may1);
	unsigned int i, bit;

	jw_object(w);
	jw_key_string(w, "msr", vmxcap_msrs[gi->msr].id);
	jw_key_string(w, "exists",
		      e == VMXCAP_EXISTS ? "yes" : e == VMXCAP_ABSENT ? "no" : "unknown");
	jw_key_bool(w, "known", known);
	jw_key_bool(w, "uses_true_msr", vmxcap_ctl_uses_true(c->raw, g));
	jw_key(w, "must_be_1");
	if (known)
		jw_hex(w, must1, 0);
	else
		jw_null(w);
	jw_key(w, "may_be_1");
	if (known)
		jw_hex(w, may1, 0);
	else
		jw_null(w);
	jw_key(w, "controls");
	jw_object(w);
	for (i = 0; i < gi->nr_ctls; i++) {
		jw_key(w, gi->ctls[i].id);
		jstate(w, vmxcap_ctl_state(c->raw, g, gi->ctls[i].bit));
	}
	jw_end(w);
	jw_key(w, "unnamed");
	jw_object(w);
	for (bit = 0; bit < 64; bit++)
		if ((un >> bit) & 1) {
			char key[16];

			snprintf(key, sizeof(key), "bit %u", bit);
			jw_key(w, key);
			jstate(w, vmxcap_ctl_state(c->raw, g, bit));
		}
	jw_end(w);
	jw_end(w);
}

/* CR0 or CR4 in VMX operation, or null unless both fixed MSRs were read. */
static void jcr(struct jw *w, const struct vs_cpu *c, enum vmxcap_cr cr)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	unsigned int bit;

	if (!vmxcap_has(c->raw, ci->fixed0) || !vmxcap_has(c->raw, ci->fixed1)) {
		jw_null(w);
		return;
	}
	jw_object(w);
	jw_key_hex(w, "fixed0", c->raw->val[ci->fixed0], 0);
	jw_key_hex(w, "fixed1", c->raw->val[ci->fixed1], 0);
	jw_key(w, "bits");
	jw_object(w);
	for (bit = 0; bit < 64; bit++) {
		const struct vmxcap_bit *b = vmxcap_cr_bit_lookup(cr, bit);
		enum vmxcap_state s = vmxcap_cr_state(c->raw, cr, bit);
		char key[16];

		if (!b && s == VMXCAP_STATE_NO)
			continue;
		snprintf(key, sizeof(key), "bit %u", bit);
		jw_key(w, b ? b->id : key);
		jstate(w, s);
	}
	jw_end(w);
	jw_end(w);
}

/* A CPU's raw values: "msrs" (MSR id to value) and "faulted" (MSR ids). */
static void jraw(struct jw *w, const struct vs_cpu *c)
{
	unsigned int m;

	jw_object(w);
	jw_key(w, "msrs");
	jw_object(w);
	for (m = 0; m < VMXCAP_NR_MSRS; m++)
		if (vmxcap_has(c->raw, m)) {
			jw_key_hex(w, vmxcap_msrs[m].id, c->raw->val[m], 16);
		}
	jw_end(w);
	jw_key(w, "faulted");
	jw_array(w);
	for (m = 0; m < VMXCAP_NR_MSRS; m++)
		if (c->raw->faulted & VMXCAP_MSR_BIT(m))
			jw_string(w, vmxcap_msrs[m].id);
	jw_end(w);
	jw_end(w);
}

/* The full decode of one set of capabilities: once per group. */
static void jdecode(struct jw *w, const struct vs_cpu *c, const struct vs_opts *o)
{
	enum vmxcap_fc_verdict v = vmxcap_fc_verdict(c->raw);
	struct vmxcap_problem p[64];
	unsigned int g, n, i;
	char flags[2048];

	jw_object(w);
	jw_key(w, "feature_control");
	jw_object(w);
	jw_key_string(w, "verdict", vmxcap_fc_verdict_id(v));
	jw_key_string(w, "text", vmxcap_fc_verdict_text(v));
	jw_key(w, "fields");
	jfields(w, c, VMXCAP_FT_FEATURE_CONTROL);
	jw_end(w);
	jw_key(w, "basic");
	jfields(w, c, VMXCAP_FT_BASIC);
	jw_key(w, "misc");
	jfields(w, c, VMXCAP_FT_MISC);
	jw_key(w, "ept_vpid");
	jfields(w, c, VMXCAP_FT_EPT_VPID);
	jw_key(w, "vmcs_enum");
	jfields(w, c, VMXCAP_FT_VMCS_ENUM);
	jw_key(w, "controls");
	jw_object(w);
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		jw_key(w, vmxcap_ctl_groups[g].id);
		jgroup(w, c, g);
	}
	jw_end(w);
	jw_key(w, "cr0");
	jcr(w, c, VMXCAP_CR0);
	jw_key(w, "cr4");
	jcr(w, c, VMXCAP_CR4);
	n = vmxcap_check(c->raw, p, ARRAY_LEN(p));
	jw_key(w, "problems");
	jw_array(w);
	for (i = 0; i < n && i < ARRAY_LEN(p); i++) {
		jw_object(w);
		jw_key_string(w, "kind", vmxcap_problem_id(p[i].kind));
		jw_key_string(w, "msr", vmxcap_msrs[p[i].msr].id);
		jw_key(w, "bit");
		if (p[i].bit == VMXCAP_PROBLEM_NO_BIT)
			jw_null(w);
		else
			jw_int(w, p[i].bit);
		jw_key_string(w, "text", vmxcap_problem_text(p[i].kind));
		jw_end(w);
	}
	jw_end(w);
	vmxcap_linux_flags(c->raw, o->kver, flags, sizeof(flags));
	jw_key_string(w, "vmx_flags", flags);
	jw_end(w);
}

static void jtristate(struct jw *w, int v)
{
	if (v >= 0)
		jw_bool(w, v);
	else
		jw_null(w);
}

static void jnumber(struct jw *w, int v)
{
	if (v >= 0)
		jw_int(w, v);
	else
		jw_null(w);
}

static void jidentity(struct jw *w, const struct vs_cpu *c)
{
	jw_object(w);
	jw_key(w, "vendor");
	jw_string_or_null(w, c->facts->vendor[0] ? c->facts->vendor : NULL);
	jw_key(w, "family");
	jnumber(w, c->facts->family);
	jw_key(w, "model");
	jnumber(w, c->facts->model);
	jw_key(w, "stepping");
	jnumber(w, c->facts->stepping);
	jw_key(w, "hypervisor");
	jtristate(w, c->facts->hypervisor);
	jw_key(w, "vmx");
	jtristate(w, c->facts->vmx);
	/* What only live sources know: absent otherwise, as before. */
	if (c->facts->svm >= 0)
		jw_key_bool(w, "svm", c->facts->svm);
	if (c->facts->hv_vendor[0])
		jw_key_string(w, "hypervisor_vendor", c->facts->hv_vendor);
	jw_end(w);
}

/*
 * Linux's view of a group read from /proc/cpuinfo: its flags and line, and
 * the verdict inferred from them (the MSRs being unknown).
 */
static void jlinux(struct jw *w, const struct vs_cpu *c)
{
	bool inferred;
	enum vs_status st = vs_cpu_status(c, &inferred);
	char text[1024];

	vs_status_explain(c, st, inferred, text, sizeof(text));
	jw_key(w, "linux");
	jw_object(w);
	jw_key_bool(w, "flags_vmx", c->facts->linux_vmx);
	jw_key(w, "vmx_flags");
	jw_string_or_null(w, c->facts->linux_flags);
	jw_key_bool(w, "clearcpuid_vmx", c->facts->linux_hid_vmx);
	jw_key_string(w, "verdict", vs_status_id(st));
	jw_key_bool(w, "inferred", inferred);
	jw_key_string(w, "text", text);
	jw_end(w);
}

/* For people (a terminal): every CPU an indented object. */
static void cpus_pretty(struct jw *w, const struct vs_machine *m, const bool *sel,
			const struct vs_groups *gr)
{
	size_t i;

	jw_array(w);
	for (i = 0; i < m->n; i++) {
		const struct vs_cpu *c = &m->cpus[i];

		if (!sel[i])
			continue;
		jw_object(w);
		jw_key_uint(w, "cpu", c->id);
		if (c->facts->label) {
			jw_key_string(w, "id", c->facts->label);
		}
		jw_key(w, "identity");
		jidentity(w, c);
		jw_key_uint(w, "group", gr->of[i]);
		jw_end(w);
	}
	jw_end(w);
}

/*
 * For programs (one line): each CPU "{"cpu": N, ..., "group": G}", the
 * layout earlier versions wrote.  A CPU's text ends with its identity and
 * group, the same for most CPUs: the last few such tails are made once.
 */
static void cpus_line(struct jw *w, const struct vs_machine *m, const bool *sel,
		      const struct vs_groups *gr)
{
	enum { TAILS = 4 };
	struct tail {
		size_t rep, group;	/* a CPU with this identity, and the group */
		struct jw t;
	} tails[TAILS];
	size_t i, k, n = 0, next = 0;

	for (k = 0; k < TAILS; k++)
		jw_init(&tails[k].t, NULL, false);
	jw_raw_value(w, "[", 1);
	for (i = 0; i < m->n; i++) {
		const struct vs_cpu *c = &m->cpus[i];
		struct tail *t = NULL;
		char d[24], *p;

		if (!sel[i])
			continue;
		for (k = 0; k < TAILS && !t; k++)
			if (tails[k].t.len && tails[k].group == gr->of[i] &&
			    vs_same_identity(&m->cpus[tails[k].rep], c))
				t = &tails[k];
		if (!t) {
			t = &tails[next++ % TAILS];
			t->rep = i;
			t->group = gr->of[i];
			t->t.len = 0;
			jw_raw(&t->t, "\"identity\": ", 12);
			jidentity(&t->t, c);
			jw_raw(&t->t, ", \"group\": ", 11);
			jw_uint(&t->t, gr->of[i]);
			jw_raw(&t->t, "}", 1);
		}
		if (n++)
			jw_raw(w, ", ", 2);
		jw_raw(w, "{\"cpu\": ", 8);
		p = vs_utoa(c->id, d + sizeof(d));
		jw_raw(w, p, (size_t)(d + sizeof(d) - p));
		jw_raw(w, ", ", 2);
		if (c->facts->label) {
			struct jw l;
			size_t len;
			const char *text;

			jw_init(&l, NULL, false);
			jw_string(&l, c->facts->label);
			text = jw_text(&l, &len);
			jw_raw(w, "\"id\": ", 6);
			jw_raw(w, text, len);
			jw_raw(w, ", ", 2);
			jw_free(&l);
		}
		jw_raw(w, t->t.buf, t->t.len);
	}
	jw_raw(w, "]", 1);
	for (k = 0; k < TAILS; k++)
		jw_free(&tails[k].t);
}

/*
 * One machine's document after the schema's keys: where it was read, its
 * groups (raw values and decode) and its CPUs.
 */
struct json_args {
	const struct vs_opts *o;
	bool pretty;
};

static void json_machine(struct jw *w, const struct vs_host *h, const void *arg)
{
	const struct json_args *a = arg;
	const struct vs_machine *m = h->m;
	struct vs_opts oh = *a->o;
	struct vs_groups gr;
	size_t g;

	oh.kver = h->kver;
	vs_groups_make(m, h->sel, false, &gr);
	jw_key_string(w, "source", m->source_kind);
	jw_key_string(w, "path", m->source);
	if (m->kernel[0])
		jw_key_string(w, "kernel", m->kernel);
	jw_key_bool(w, "identical", gr.n <= 1);
	jw_key(w, "groups");
	jw_array(w);
	for (g = 0; g < gr.n; g++) {
		char fp[VS_FINGERPRINT_LEN + 1];

		jw_object(w);
		jw_key_uint(w, "id", g);
		jw_key_string(w, "cpus", gr.lists[g]);
		vs_fingerprint(&m->cpus[gr.rep[g]], fp);
		jw_key_string(w, "fingerprint", fp);
		jw_key(w, "raw");
		jraw(w, &m->cpus[gr.rep[g]]);
		jw_key(w, "decode");
		jdecode(w, &m->cpus[gr.rep[g]], &oh);
		if (m->cpus[gr.rep[g]].facts->linux_vmx >= 0)
			jlinux(w, &m->cpus[gr.rep[g]]);
		jw_end(w);
	}
	jw_end(w);
	jw_key(w, "cpus");
	if (a->pretty)
		cpus_pretty(w, m, h->sel, &gr);
	else
		cpus_line(w, m, h->sel, &gr);
	vs_groups_free(&gr);
}

/*
 * One input: the machine's document, as ever.  Several hosts: version 4,
 * each host an entry of "hosts" holding its version 3 document's keys
 * after the schema's, its name first.
 */
int vs_show_json(const struct vs_host *h, size_t nh, const struct vs_opts *o, FILE *out)
{
	const struct json_args a = { o, isatty(fileno(out)) };
	bool hosts = h[0].name != NULL, ok;
	struct jw w;

	jw_init(&w, out, a.pretty);
	jw_object(&w);
	jw_schema(&w, "vmxcap-show", hosts ? VS_JSON_HOSTS_SCHEMA_VERSION : VS_JSON_SCHEMA_VERSION);
	if (hosts)
		vs_json_hosts(&w, h, nh, json_machine, &a);
	else
		json_machine(&w, &h[0], &a);
	jw_end(&w);
	ok = jw_finish(&w);
	if (!ok)
		vs_error("writing the output failed");
	return ok ? 0 : 2;
}
