// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: `baseline DUMP...`, in the spirit of `virsh cpu-baseline`:
 * the most capable VMX configuration valid on every set of CPUs of every
 * input, written as a dump that every other command reads.  The raw MSR
 * values combine as SDM appendix A defines them: a control one CPU forces
 * is forced, one that one CPU forbids is forbidden, a capability is one
 * every CPU has, a count the smallest.  What has no common value (VMCS
 * revision, size, memory type, timer rate) and a bit one CPU forces and
 * another forbids are conflicts, each named: then no dump is written.  An
 * MSR one input did not record, or whose read faulted, is unknown in the
 * baseline: left out of it, and said.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

/* How the values of one MSR combine. */
enum rule {
	R_SKIP,		/* not a capability: IA32_FEATURE_CONTROL is the firmware's setting */
	R_CTLS,		/* allowed-0 (low half) OR-ed, allowed-1 (high half) AND-ed */
	R_AND,		/* 64-bit allowed-1 bitmaps, CR FIXED1 */
	R_OR,		/* CR FIXED0 */
	R_FIELDS,	/* a field table's MSR: field by field */
};

/* How one field combines. */
enum field_rule {
	F_AND,		/* a capability: every CPU has it */
	F_OR,		/* a restriction: one CPU's is everyone's */
	F_MIN,		/* a count or limit */
	F_EQUAL,	/* an identifier, size, memory type or rate: equal, else a conflict */
};

static enum rule rule_of(enum vmxcap_msr m, int *table)
{
	unsigned int i;

	*table = -1;
	if (m == VMXCAP_FEATURE_CONTROL)
		return R_SKIP;
	for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++)
		if (vmxcap_ctl_groups[i].msr == m || vmxcap_ctl_groups[i].true_msr == m)
			return vmxcap_ctl_groups[i].allowed1_only ? R_AND : R_CTLS;
	for (i = 0; i < VMXCAP_NR_CRS; i++) {
		if (vmxcap_crs[i].fixed0 == m)
			return R_OR;
		if (vmxcap_crs[i].fixed1 == m)
			return R_AND;
	}
	for (i = 0; i < VMXCAP_NR_FIELD_TABLES; i++)
		if (vmxcap_field_tables[i].msr == m) {
			*table = (int)i;
			return R_FIELDS;
		}
	return R_SKIP;
}

/*
 * The decoder's fields by kind, and by id where the kind does not say:
 * BASIC's limit to 32-bit addresses is a restriction; the VMCS and MSEG
 * revisions and the VMCS size are identifiers, not counts.
 */
static enum field_rule field_rule(const struct vmxcap_field *f)
{
	static const char *const identifiers[] = { "revision", "vmcs_size", "mseg_revision" };
	size_t i;

	if (!strcmp(f->id, "phys_addr_32bit"))
		return F_OR;
	for (i = 0; i < ARRAY_LEN(identifiers); i++)
		if (!strcmp(f->id, identifiers[i]))
			return F_EQUAL;
	switch (f->kind) {
	case VMXCAP_FIELD_FLAG:
		return F_AND;
	case VMXCAP_FIELD_MEMTYPE:
	case VMXCAP_FIELD_TIMER_SHIFT:
		return F_EQUAL;
	default:
		return F_MIN;	/* numbers, the MSR-list size, the highest VMCS index */
	}
}

/* A bit in --require's names: "procbased2.ept", "cr4.pke", or "procbased.bit0" unnamed. */
static void bit_key(const char *group, const char *id, unsigned int bit, char *buf, size_t size)
{
	if (id)
		snprintf(buf, size, "%s.%s", group, id);
	else
		snprintf(buf, size, "%s.bit%u", group, bit);
}

static u64 field_mask(const struct vmxcap_field *f)
{
	unsigned int width = f->hi - f->lo + 1u;

	return (width >= 64 ? ~0ull : (1ull << width) - 1) << f->lo;
}

/* The combination: every set of CPUs of every host, and the baseline. */
struct baseline {
	const struct vs_sets *s;
	struct vmxcap_raw b;
	bool *which;		/* s->n flags, for the phrases */
	unsigned int conflicts;
	FILE *err;
};

static const struct vmxcap_raw *raw_of(const struct baseline *bl, size_t i)
{
	return bl->s->v[i].rep->raw;
}

/* The sets bl->which marks as a phrase: "host a cpu 0, host b cpu 0-3 and 2 more". */
static void which_phrase(const struct baseline *bl, char *buf, size_t size)
{
	size_t i, shown = 0, total = 0, len = 0;
	char set[256];

	buf[0] = '\0';
	for (i = 0; i < bl->s->n; i++)
		total += bl->which[i];
	for (i = 0; i < bl->s->n && shown < 4; i++) {
		if (!bl->which[i])
			continue;
		vs_set_phrase(&bl->s->v[i], set, sizeof(set));
		vs_append(buf, size, &len, "%s%s", shown ? ", " : "", set);
		shown++;
	}
	if (total > shown)
		vs_append(buf, size, &len, " and %zu more", total - shown);
}

static void conflict(struct baseline *bl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void conflict(struct baseline *bl, const char *fmt, ...)
{
	va_list ap;

	fputs("vmxcap-show: baseline: conflict: ", bl->err);
	va_start(ap, fmt);
	vfprintf(bl->err, fmt, ap);
	va_end(ap);
	fputc('\n', bl->err);
	bl->conflicts++;
}

/*
 * Whether every set has a value of MSR m; if not, says which sets do not
 * (faulted, not recorded, or absent where the baseline cannot say so) and
 * that the baseline leaves it out.
 */
static bool every_set_has(struct baseline *bl, enum vmxcap_msr m)
{
	static const char *const why[] = { "faulted on", "not recorded on", "absent on" };
	char list[1024], text[3200];
	size_t i, k, len = 0;
	bool all = true;

	for (k = 0; k < ARRAY_LEN(why); k++) {
		bool any = false;

		for (i = 0; i < bl->s->n; i++) {
			const struct vmxcap_raw *r = raw_of(bl, i);
			size_t kind = r->faulted & VMXCAP_MSR_BIT(m) ? 0 :
				      vmxcap_msr_existence(r, m) == VMXCAP_ABSENT ? 2 : 1;

			bl->which[i] = !vmxcap_has(r, m) && kind == k;
			any |= bl->which[i];
		}
		if (!any)
			continue;
		all = false;
		which_phrase(bl, list, sizeof(list));
		vs_append(text, sizeof(text), &len, "%s%s %s", len ? "; " : "", why[k], list);
	}
	if (!all)
		fprintf(bl->err, "vmxcap-show: baseline: %s (0x%x) is unknown, left out: %s\n",
			vmxcap_msrs[m].name, vmxcap_msrs[m].index, text);
	return all;
}

/* A field that must be equal everywhere: each value it has, with its sets. */
static void field_conflict(struct baseline *bl, enum vmxcap_msr m, const struct vmxcap_field *f)
{
	size_t i, j, len = 0;
	bool *done = xcalloc(bl->s->n, sizeof(*done));
	char text[4096], val[64], list[1024];

	for (i = 0; i < bl->s->n; i++) {
		u64 v = vmxcap_field_value(f, raw_of(bl, i)->val[m]);

		if (done[i])
			continue;
		for (j = 0; j < bl->s->n; j++) {
			bl->which[j] = !done[j] && vmxcap_field_value(f, raw_of(bl, j)->val[m]) == v;
			done[j] |= bl->which[j];
		}
		vmxcap_field_format(f, raw_of(bl, i)->val[m], true, val, sizeof(val));
		which_phrase(bl, list, sizeof(list));
		vs_append(text, sizeof(text), &len, "%s%s on %s", len ? "; " : "", val, list);
	}
	free(done);
	conflict(bl, "%s %s (%s) differs, no value is valid on every input: %s",
		 vmxcap_msrs[m].name, f->id, f->name, text);
}

/* A field table's MSR: each field by its rule, the bits no field covers AND-ed. */
static u64 combine_fields(struct baseline *bl, enum vmxcap_msr m, int table)
{
	const struct vmxcap_field_table *t = &vmxcap_field_tables[table];
	u64 v = ~0ull;
	size_t i;
	unsigned int k;

	for (i = 0; i < bl->s->n; i++)
		v &= raw_of(bl, i)->val[m];
	for (k = 0; k < t->nr_fields; k++) {
		const struct vmxcap_field *f = &t->fields[k];
		enum field_rule r = field_rule(f);
		u64 x = vmxcap_field_value(f, raw_of(bl, 0)->val[m]);

		if (r == F_AND)
			continue;
		for (i = 1; i < bl->s->n; i++) {
			u64 y = vmxcap_field_value(f, raw_of(bl, i)->val[m]);

			if (r == F_OR)
				x |= y;
			else if (r == F_MIN && y < x)
				x = y;
			else if (r == F_EQUAL && y != x) {
				field_conflict(bl, m, f);
				break;
			}
		}
		v = (v & ~field_mask(f)) | ((x << f->lo) & field_mask(f));
	}
	return v;
}

/*
 * MSR m of the baseline, from every set's: after its gate (which has a
 * lower slot), so that an MSR the baseline's own values say does not exist
 * stays absent, as the SDM's existence rules have it.
 */
static void combine(struct baseline *bl, enum vmxcap_msr m)
{
	int table;
	enum rule r = rule_of(m, &table);
	u64 lo = 0, hi = ~0ull, v = 0;
	size_t i;

	if (r == R_SKIP || vmxcap_msr_existence(&bl->b, m) == VMXCAP_ABSENT ||
	    !every_set_has(bl, m))
		return;
	for (i = 0; i < bl->s->n; i++) {
		u64 x = raw_of(bl, i)->val[m];

		lo |= r == R_CTLS ? (u32)x : x;
		hi &= r == R_CTLS ? x >> 32 : x;
	}
	switch (r) {
	case R_CTLS:
		v = hi << 32 | lo;
		break;
	case R_AND:
		v = hi;
		break;
	case R_OR:
		v = lo;
		break;
	default:
		v = combine_fields(bl, m, table);
		break;
	}
	bl->b.val[m] = v;
	bl->b.present |= VMXCAP_MSR_BIT(m);
}

/*
 * The bits of a control MSR of the baseline that must be 1 but may not be:
 * each named with the sets that force it and those that forbid it.  skip:
 * bits already named (the TRUE MSR's, for the legacy one).
 */
static u64 ctl_conflicts(struct baseline *bl, enum vmxcap_ctl_group g, enum vmxcap_msr m,
			 u64 skip)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	u64 v = bl->b.val[m], bad = (u32)v & ~(v >> 32);
	char forces[1024], forbids[1024], name[64];
	unsigned int bit;
	size_t i;

	if (!vmxcap_has(&bl->b, m))
		return 0;
	for (bit = 0; bit < 32; bit++) {
		const struct vmxcap_ctl *c = vmxcap_ctl_lookup(g, bit);

		if (!((bad >> bit) & 1) || ((skip >> bit) & 1))
			continue;
		for (i = 0; i < bl->s->n; i++)
			bl->which[i] = (raw_of(bl, i)->val[m] >> bit) & 1;
		which_phrase(bl, forces, sizeof(forces));
		for (i = 0; i < bl->s->n; i++)
			bl->which[i] = !((raw_of(bl, i)->val[m] >> 32 >> bit) & 1);
		which_phrase(bl, forbids, sizeof(forbids));
		bit_key(gi->id, c ? c->id : NULL, bit, name, sizeof(name));
		conflict(bl, "%s (%s bit %u): must be 1 on %s; may not be 1 on %s", name,
			 vmxcap_msrs[m].name, bit, forces, forbids);
	}
	return bad;
}

/* CR0/CR4 bits that one set fixes to 1 and another to 0. */
static void cr_conflicts(struct baseline *bl, enum vmxcap_cr cr)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	char ones[1024], zeros[1024], name[32];
	unsigned int bit;
	u64 bad;
	size_t i;

	if (!vmxcap_has(&bl->b, ci->fixed0) || !vmxcap_has(&bl->b, ci->fixed1))
		return;
	bad = bl->b.val[ci->fixed0] & ~bl->b.val[ci->fixed1];
	for (bit = 0; bit < 64; bit++) {
		const struct vmxcap_bit *b = vmxcap_cr_bit_lookup(cr, bit);

		if (!((bad >> bit) & 1))
			continue;
		for (i = 0; i < bl->s->n; i++)
			bl->which[i] = (raw_of(bl, i)->val[ci->fixed0] >> bit) & 1;
		which_phrase(bl, ones, sizeof(ones));
		for (i = 0; i < bl->s->n; i++)
			bl->which[i] = !((raw_of(bl, i)->val[ci->fixed1] >> bit) & 1);
		which_phrase(bl, zeros, sizeof(zeros));
		bit_key(ci->id, b ? b->id : NULL, bit, name, sizeof(name));
		conflict(bl, "%s (bit %u): must be 1 on %s (%s); must be 0 on %s (%s)", name, bit,
			 ones, vmxcap_msrs[ci->fixed0].name, zeros, vmxcap_msrs[ci->fixed1].name);
	}
}

static void find_conflicts(struct baseline *bl)
{
	char list[1024];
	unsigned int g, cr;
	size_t i;
	bool any = false;

	for (i = 0; i < bl->s->n; i++)
		any |= bl->which[i] = bl->s->v[i].rep->facts->vmx == 0;
	if (any) {
		which_phrase(bl, list, sizeof(list));
		conflict(bl, "CPUID says %s no VMX: no VMX configuration is valid there", list);
	}
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
		u64 named = 0;

		if (gi->allowed1_only)
			continue;
		if (gi->true_msr != VMXCAP_NR_MSRS)
			named = ctl_conflicts(bl, g, gi->true_msr, 0);
		ctl_conflicts(bl, g, gi->msr, named);
	}
	for (cr = 0; cr < VMXCAP_NR_CRS; cr++)
		cr_conflicts(bl, cr);
}

/* Prints item as one of a set's offers, after the line's head the first time. */
static void offer(const struct baseline *bl, size_t i, bool *any, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void offer(const struct baseline *bl, size_t i, bool *any, const char *fmt, ...)
{
	char set[256];
	va_list ap;

	if (!*any) {
		vs_set_phrase(&bl->s->v[i], set, sizeof(set));
		fprintf(bl->err, "vmxcap-show: baseline: %s offers beyond it: ", set);
	} else {
		fputs(", ", bl->err);
	}
	*any = true;
	va_start(ap, fmt);
	vfprintf(bl->err, fmt, ap);
	va_end(ap);
}

/*
 * What set i offers that the baseline does not: controls and CR bits that
 * may be 1, capability flags, larger counts (the decoder's names).  Only
 * where both are known.
 */
static void offers(const struct baseline *bl, size_t i)
{
	const struct vmxcap_raw *r = raw_of(bl, i), *b = &bl->b;
	char mine[64], base[64], set[256], name[96];
	unsigned int g, t, k, bit;
	bool any = false;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
		u64 must1, may1, bmust1, bmay1, extra;

		if (!vmxcap_ctl_masks(r, g, &must1, &may1) || !vmxcap_ctl_masks(b, g, &bmust1, &bmay1))
			continue;
		extra = may1 & ~bmay1;
		for (bit = 0; bit < gi->width; bit++) {
			const struct vmxcap_ctl *c = vmxcap_ctl_lookup(g, bit);

			if (!((extra >> bit) & 1))
				continue;
			bit_key(gi->id, c ? c->id : NULL, bit, name, sizeof(name));
			offer(bl, i, &any, "%s", name);
		}
	}
	for (t = 0; t < VMXCAP_NR_FIELD_TABLES; t++) {
		const struct vmxcap_field_table *ft = &vmxcap_field_tables[t];
		int table;

		if (rule_of(ft->msr, &table) != R_FIELDS || !vmxcap_has(r, ft->msr) ||
		    !vmxcap_has(b, ft->msr))
			continue;
		for (k = 0; k < ft->nr_fields; k++) {
			const struct vmxcap_field *f = &ft->fields[k];
			u64 x = vmxcap_field_value(f, r->val[ft->msr]);
			u64 y = vmxcap_field_value(f, b->val[ft->msr]);
			enum field_rule fr = field_rule(f);

			if (fr == F_AND && x > y) {
				offer(bl, i, &any, "%s.%s", ft->id, f->id);
			} else if ((fr == F_OR && x < y) || (fr == F_MIN && x > y)) {
				/* Less restricted, or more: with both values. */
				vmxcap_field_format(f, r->val[ft->msr], false, mine, sizeof(mine));
				vmxcap_field_format(f, b->val[ft->msr], false, base, sizeof(base));
				offer(bl, i, &any, "%s.%s %s (baseline %s)", ft->id, f->id, mine, base);
			}
		}
	}
	for (t = 0; t < VMXCAP_NR_CRS; t++) {
		const struct vmxcap_cr_info *ci = &vmxcap_crs[t];
		u64 extra;

		if (!vmxcap_has(r, ci->fixed1) || !vmxcap_has(b, ci->fixed1))
			continue;
		extra = r->val[ci->fixed1] & ~b->val[ci->fixed1];
		for (bit = 0; bit < 64; bit++) {
			const struct vmxcap_bit *cb = vmxcap_cr_bit_lookup(t, bit);

			if (!((extra >> bit) & 1))
				continue;
			bit_key(ci->id, cb ? cb->id : NULL, bit, name, sizeof(name));
			offer(bl, i, &any, "%s", name);
		}
	}
	if (any) {
		fputc('\n', bl->err);
		return;
	}
	vs_set_phrase(&bl->s->v[i], set, sizeof(set));
	fprintf(bl->err, "vmxcap-show: baseline: %s offers nothing beyond it\n", set);
}

/* The baseline as a dump: one set of no CPU's identity, its inputs named. */
static int write_dump(const struct baseline *bl, const struct vs_host *h, size_t nh, FILE *out)
{
	struct vs_machine m = { 0 };
	struct vmxcap_raw *raw;
	size_t i;
	int ret;

	m.cpus = xcalloc(1, sizeof(*m.cpus));
	vs_cpu_init(&m.cpus[0], 0);
	m.n = 1;
	raw = vs_machine_new_raw(&m);
	*raw = bl->b;
	m.cpus[0].raw = raw;
	m.source_kind = "baseline";
	snprintf(m.origin, sizeof(m.origin), "baseline");
	snprintf(m.source, sizeof(m.source), "the baseline of %zu hosts", nh);
	snprintf(m.host.tool, sizeof(m.host.tool), "vmxcap-show %s", VS_VERSION);
	snprintf(m.host.decoder, sizeof(m.host.decoder), "%s", VMXCAP_DECODER_VERSION);
	m.baseline_of = xcalloc(nh, sizeof(*m.baseline_of));
	for (i = 0; i < nh; i++)
		m.baseline_of[m.nbaseline_of++] = vs_machine_string(&m, h[i].name);
	ret = vs_show_dump(&m, NULL, out);
	vs_machine_free(&m);
	return ret;
}

int vs_baseline(const struct vs_host *h, size_t nh, FILE *out, FILE *err)
{
	struct vs_sets s;
	struct baseline bl = { .s = &s, .err = err };
	unsigned int m;
	size_t i;
	int ret = 1;

	vs_sets_make(h, nh, &s);
	bl.which = xcalloc(s.n, sizeof(*bl.which));
	/* Slot order: every gate (BASIC, PROCBASED, PROCBASED2, EXIT) before what it gates. */
	for (m = 0; m < VMXCAP_NR_MSRS; m++)
		combine(&bl, m);
	find_conflicts(&bl);
	if (!bl.conflicts) {
		for (i = 0; i < s.n; i++)
			offers(&bl, i);
		ret = write_dump(&bl, h, nh, out);
	} else {
		fprintf(err, "vmxcap-show: baseline: %u conflict%s: %s\n", bl.conflicts,
			bl.conflicts == 1 ? "" : "s",
			"no configuration is valid on every input, no dump written");
	}
	free(bl.which);
	vs_sets_free(&s);
	return ret;
}
