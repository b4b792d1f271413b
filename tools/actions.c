// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: --require (a kvm-ok-like verdict) and `adjust` (the SDM's
 * control-field and CR0/CR4 algorithms, run by the decoder).  Names are
 * resolved against the decoder's tables only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

#define MAX_REQ 64

bool vs_parse_number(const char *s, u64 *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

/* "bit7" or "bit 7" */
static bool parse_bitname(const char *s, unsigned int width, unsigned int *bit)
{
	u64 v;

	if (strncmp(s, "bit", 3))
		return false;
	s += 3;
	if (*s == ' ' || *s == '_')
		s++;
	if (*s < '0' || *s > '9' || !vs_parse_number(s, &v) || v >= width)
		return false;
	*bit = (unsigned int)v;
	return true;
}

static int group_by_id(const char *s, size_t len)
{
	int g;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		if (strlen(vmxcap_ctl_groups[g].id) == len &&
		    !strncmp(vmxcap_ctl_groups[g].id, s, len))
			return g;
	return -1;
}

/* A control of group g by identifier, Linux flag name or "bitN". */
static bool ctl_by_name(int g, const char *name, unsigned int *bit)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	unsigned int i;

	for (i = 0; i < gi->nr_ctls; i++)
		if (!strcmp(gi->ctls[i].id, name) ||
		    (gi->ctls[i].linux_flag && !strcmp(gi->ctls[i].linux_flag, name))) {
			*bit = gi->ctls[i].bit;
			return true;
		}
	return parse_bitname(name, gi->width, bit);
}

/* ---- --require ---------------------------------------------------------- */

enum req_kind { REQ_CTL, REQ_FIELD, REQ_LINUX };

struct req {
	char name[64];
	enum req_kind kind;
	int group;		/* control group or field table */
	unsigned int bit;	/* control bit, field index, or Linux word bit */
	unsigned int word;	/* Linux word */
};

/*
 * A one-bit field named id, in the field table named table[0..tlen) or in
 * any table when table is NULL.
 */
static bool field_flag_by_name(const char *table, size_t tlen, const char *id,
			       struct req *r)
{
	unsigned int g, i;

	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[g];

		if (table && (strlen(t->id) != tlen || strncmp(t->id, table, tlen)))
			continue;
		for (i = 0; i < t->nr_fields; i++)
			if (t->fields[i].kind == VMXCAP_FIELD_FLAG && !strcmp(t->fields[i].id, id)) {
				r->kind = REQ_FIELD;
				r->group = (int)g;
				r->bit = i;
				return true;
			}
	}
	return false;
}

static int resolve(const char *name, struct req *r)
{
	const char *dot = strchr(name, '.');
	unsigned int g, i, w, bit, hits = 0;
	char first[128] = "";

	snprintf(r->name, sizeof(r->name), "%s", name);
	if (dot) {
		int gg = group_by_id(name, (size_t)(dot - name));

		if (gg >= 0 && ctl_by_name(gg, dot + 1, &bit)) {
			r->kind = REQ_CTL;
			r->group = gg;
			r->bit = bit;
			return 0;
		}
		if (field_flag_by_name(name, (size_t)(dot - name), dot + 1, r))
			return 0;
		vs_error("--require: unknown feature '%s'", name);
		return -1;
	}
	/* A control identifier, unique across groups. */
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];

		for (i = 0; i < gi->nr_ctls; i++)
			if (!strcmp(gi->ctls[i].id, name)) {
				if (hits++ == 0) {
					r->kind = REQ_CTL;
					r->group = (int)g;
					r->bit = gi->ctls[i].bit;
				}
				snprintf(first + strlen(first), sizeof(first) - strlen(first),
					 "%s%s.%s", hits > 1 ? " or " : "", gi->id, name);
			}
	}
	if (hits > 1) {
		vs_error("--require: '%s' is ambiguous: say %s", name, first);
		return -1;
	}
	if (hits)
		return 0;
	/* A Linux "vmx flags" name: a control's, or a synthetic one. */
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];

		for (i = 0; i < gi->nr_ctls; i++)
			if (gi->ctls[i].linux_flag && !strcmp(gi->ctls[i].linux_flag, name)) {
				r->kind = REQ_CTL;
				r->group = (int)g;
				r->bit = gi->ctls[i].bit;
				return 0;
			}
	}
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (bit = 0; bit < 32; bit++) {
			const char *f = vmxcap_linux_flag_name(w, bit, 0);

			if (f && !strcmp(f, name)) {
				r->kind = REQ_LINUX;
				r->word = w;
				r->bit = bit;
				return 0;
			}
		}
	/* A capability flag of BASIC, MISC or EPT/VPID ("invept", "ept_1gb_pages"). */
	if (field_flag_by_name(NULL, 0, name, r))
		return 0;
	vs_error("--require: unknown feature '%s' (use a control identifier, a 'vmx flags' name or GROUP.ID)",
		 name);
	return -1;
}

/* 1: offered, 0: not offered, -1: unknown (the deciding MSR was not read). */
static int offered(const struct vs_cpu *c, const struct req *r)
{
	if (r->kind == REQ_CTL) {
		enum vmxcap_state s = vmxcap_ctl_state(c->raw, r->group, r->bit);

		if (s == VMXCAP_STATE_UNKNOWN)
			return -1;
		return vmxcap_state_allows1(s);
	}
	if (r->kind == REQ_FIELD) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[r->group];

		if (!vmxcap_has(c->raw, t->msr))
			return vmxcap_msr_existence(c->raw, t->msr) == VMXCAP_ABSENT ? 0 : -1;
		return vmxcap_field_value(&t->fields[r->bit], c->raw->val[t->msr]) != 0;
	} else {
		static const enum vmxcap_msr inputs[] = {
			VMXCAP_PINBASED, VMXCAP_PROCBASED, VMXCAP_PROCBASED2,
			VMXCAP_EPT_VPID_CAP, VMXCAP_VMFUNC, VMXCAP_PROCBASED3,
		};
		u32 words[VMXCAP_LINUX_WORDS];
		unsigned int i;

		/* Linux reads a missing MSR as 0; here a missing input is unknown. */
		for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
			if (!vmxcap_has(c->raw, inputs[i]) &&
			    vmxcap_msr_existence(c->raw, inputs[i]) != VMXCAP_ABSENT)
				return -1;
		vmxcap_linux_words(c->raw, words);
		return words[0] && ((words[r->word] >> r->bit) & 1);
	}
}

static void cpus_of(const struct vs_machine *m, const bool *sel, const u64 *mask,
		    u64 value, char *buf, size_t size)
{
	unsigned int *ids = malloc(m->n * sizeof(*ids));
	size_t i, n = 0;

	if (!ids) {
		snprintf(buf, size, "?");
		return;
	}
	for (i = 0; i < m->n; i++)
		if (sel[i] && mask[i] == value)
			ids[n++] = m->cpus[i].id;
	vs_format_cpulist(ids, n, buf, size);
	free(ids);
}

int vs_require(const struct vs_machine *m, const bool *sel, const char *list,
	       FILE *out)
{
	struct req req[MAX_REQ];
	size_t nreq = 0, i, k, nsel = 0;
	u64 *lack = calloc(m->n, sizeof(*lack)), *fw = calloc(m->n, sizeof(*fw));
	char *copy = strdup(list), *tok, *save = NULL, cpus[1024], names[1024];
	bool any_lack = false, any_fw = false, any_hv = false, any_novmx = false;
	int ret = 2;

	if (!lack || !fw || !copy) {
		vs_error("out of memory");
		goto out;
	}
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (nreq == MAX_REQ) {
			vs_error("--require: at most %d features", MAX_REQ);
			goto out;
		}
		if (resolve(tok, &req[nreq]))
			goto out;
		nreq++;
	}
	if (!nreq) {
		vs_error("--require: empty feature list");
		goto out;
	}
	for (i = 0; i < m->n; i++) {
		const struct vs_cpu *c = &m->cpus[i];
		enum vmxcap_fc_verdict v = vmxcap_fc_verdict(c->raw);

		if (!sel[i])
			continue;
		nsel++;
		any_hv |= c->hypervisor == 1;
		if (c->vmx == 0 || (!c->raw->present && c->raw->faulted)) {
			fw[i] = 1;	/* no VMX at all */
			any_novmx = true;
			continue;
		}
		if (v == VMXCAP_FC_DISABLED || v == VMXCAP_FC_SMX_ONLY) {
			fw[i] = 2 + (u64)v;
			any_fw = true;
		}
		for (k = 0; k < nreq; k++) {
			int o = offered(c, &req[k]);

			if (o < 0) {
				vs_error("cannot tell whether cpu%u offers '%s': the MSR that says was not read",
					 c->id, req[k].name);
				goto out;
			}
			if (!o) {
				lack[i] |= 1ull << k;
				any_lack = true;
			}
		}
	}
	names[0] = '\0';
	for (k = 0; k < nreq; k++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 k ? ", " : "", req[k].name);
	if (!any_lack && !any_fw && !any_novmx) {
		cpus_of(m, sel, lack, 0, cpus, sizeof(cpus));
		fprintf(out, "vmxcap-show: OK: all %zu CPUs (%s) offer %s%s\n", nsel, cpus, names,
			any_hv ? "; running under a hypervisor (nested VMX)" : "");
		ret = 0;
		goto out;
	}
	fprintf(out, "vmxcap-show: NO:");
	if (any_novmx) {
		cpus_of(m, sel, fw, 1, cpus, sizeof(cpus));
		fprintf(out, " cpu %s %s no VMX in CPUID;", cpus, strchr(cpus, ',') ||
			strchr(cpus, '-') ? "have" : "has");
	}
	if (any_fw) {
		for (k = VMXCAP_FC_DISABLED; k <= VMXCAP_FC_SMX_ONLY; k++) {
			cpus_of(m, sel, fw, 2 + k, cpus, sizeof(cpus));
			if (cpus[0])
				fprintf(out, " cpu %s: %s;", cpus,
					vmxcap_fc_verdict_text((enum vmxcap_fc_verdict)k));
		}
	}
	if (any_lack) {
		/* One clause per distinct set of missing features. */
		for (i = 0; i < m->n; i++) {
			size_t j;

			if (!sel[i] || !lack[i])
				continue;
			for (j = 0; j < i; j++)
				if (sel[j] && lack[j] == lack[i])
					break;
			if (j < i)
				continue;
			cpus_of(m, sel, lack, lack[i], cpus, sizeof(cpus));
			fprintf(out, " cpu %s lack%s", cpus,
				strchr(cpus, ',') || strchr(cpus, '-') ? "" : "s");
			for (k = 0; k < nreq; k++)
				if ((lack[i] >> k) & 1)
					fprintf(out, " %s", req[k].name);
			fprintf(out, ";");
		}
	}
	fprintf(out, " needed: %s%s\n", names,
		any_hv ? "; running under a hypervisor (enable nested VMX features in the host)" : "");
	ret = 1;
out:
	free(lack);
	free(fw);
	free(copy);
	return ret;
}

/* ---- adjust ------------------------------------------------------------- */

/* A bit of CR cr by its identifier ("pe") or "bitN". */
static bool cr_bit_by_name(int cr, const char *name, unsigned int *bit)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	unsigned int i;

	if (parse_bitname(name, 64, bit))
		return true;
	for (i = 0; i < ci->nr_bits; i++)
		if (!strcmp(ci->bits[i].id, name)) {
			*bit = ci->bits[i].bit;
			return true;
		}
	return false;
}

/*
 * A comma list of names ("ept,vpid") to a bit mask, each name resolved by
 * bit_of(what, name, &bit).  0; -1 when a name is unknown (copied to bad);
 * -2 out of memory (reported).
 */
static int names_to_mask(const char *list,
			 bool (*bit_of)(int what, const char *name, unsigned int *bit),
			 int what, u64 *mask, char *bad, size_t badsize)
{
	char *copy = strdup(list), *tok, *save = NULL;

	if (!copy) {
		vs_error("out of memory");
		return -2;
	}
	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned int bit;

		if (!bit_of(what, tok, &bit)) {
			snprintf(bad, badsize, "%s", tok);
			free(copy);
			return -1;
		}
		*mask |= 1ull << bit;
	}
	free(copy);
	return 0;
}

static void bit_names(int g, u64 mask, char *buf, size_t size)
{
	unsigned int bit;
	size_t len = 0;

	buf[0] = '\0';
	for (bit = 0; bit < 64 && len < size; bit++) {
		const struct vmxcap_ctl *ctl;

		if (!((mask >> bit) & 1))
			continue;
		ctl = g >= 0 ? vmxcap_ctl_lookup(g, bit) : NULL;
		if (ctl)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", ctl->id);
		else
			len += (size_t)snprintf(buf + len, size - len, "%sbit%u", len ? " " : "", bit);
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

static int adjust_ctl(const struct vs_cpu *c, int g, const char *value, FILE *out)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	struct vmxcap_adjustment a;
	u64 wanted = 0;
	int digits = gi->width / 4;
	char names[1024], st[160];

	if (!vs_parse_number(value, &wanted)) {
		char bad[256];
		int r = names_to_mask(value, ctl_by_name, g, &wanted, bad, sizeof(bad));

		if (r == -1)
			vs_error("adjust: '%s' is not a control of %s (see the ID column of vmxcap-show)",
				 bad, gi->id);
		if (r)
			return 2;
	} else if (gi->width == 32 && wanted > 0xffffffffull) {
		vs_error("adjust: %s is a 32-bit field; 0x%llx is wider", gi->id, wanted);
		return 2;
	}
	if (!vmxcap_adjust_ctl(c->raw, g, wanted, &a)) {
		vs_error("adjust: cpu%u: %s was not read: nothing is known about %s", c->id,
			 vmxcap_msrs[gi->msr].name, gi->id);
		return 2;
	}
	fprintf(out, "cpu%u %s: %s\n", c->id, gi->id, gi->name);
	{
		enum vmxcap_msr used = vmxcap_ctl_uses_true(c->raw, g) ? gi->true_msr : gi->msr;

		if (vmxcap_has(c->raw, used))
			snprintf(st, sizeof(st), "%s = 0x%016llx", vmxcap_msrs[used].name,
				 c->raw->val[used]);
		else
			snprintf(st, sizeof(st), "%s does not exist on this CPU: no control may be 1",
				 vmxcap_msrs[used].name);
		fprintf(out, "  from:       %s%s\n", st,
			used == gi->true_msr ? " (TRUE MSR)" : "");
	}
	bit_names(g, wanted, names, sizeof(names));
	fprintf(out, "  wanted:     0x%0*llx  %s\n", digits, wanted, names);
	bit_names(g, a.value, names, sizeof(names));
	fprintf(out, "  program:    0x%0*llx  %s\n", digits, a.value, names);
	bit_names(g, a.dropped, names, sizeof(names));
	fprintf(out, "  dropped:    0x%0*llx  %s%s\n", digits, a.dropped, names,
		a.dropped ? "  (wanted, but this CPU does not allow them)" : "");
	bit_names(g, a.forced, names, sizeof(names));
	fprintf(out, "  forced on:  0x%0*llx  %s%s\n", digits, a.forced, names,
		a.forced ? "  (not wanted, but must be 1)" : "");
	return 0;
}

static void cr_change(const struct vmxcap_cr_info *ci, enum vmxcap_cr cr,
		      unsigned int bit, char sign, const char *reason, FILE *out)
{
	const struct vmxcap_bit *b = vmxcap_cr_bit_lookup(cr, bit);
	char name[16];

	(void)ci;
	snprintf(name, sizeof(name), "bit%u", bit);
	fprintf(out, "  %c%-9s %s: %s\n", sign, b ? b->id : name, b ? b->name : "reserved bit",
		reason);
}

static int adjust_cr(const struct vs_cpu *c, enum vmxcap_cr cr, const char *value,
		     bool ug, FILE *out)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	struct vmxcap_adjustment a, alt;
	enum vmxcap_state ugs = vmxcap_ctl_state(c->raw, VMXCAP_CTL_PROC2,
						 VMXCAP_PROC2_UNRESTRICTED_GUEST);
	const struct vmxcap_ctl *ugc =
		vmxcap_ctl_lookup(VMXCAP_CTL_PROC2, VMXCAP_PROC2_UNRESTRICTED_GUEST);
	u64 wanted = 0;
	unsigned int bit;
	char reason[256];
	bool ug_ok;

	ug_ok = ugc && vmxcap_state_allows1(ugs);
	if (!vs_parse_number(value, &wanted)) {
		char bad[256];
		int r = names_to_mask(value, cr_bit_by_name, (int)cr, &wanted, bad, sizeof(bad));

		if (r == -1)
			vs_error("adjust: '%s' is neither a number nor a %s bit name", bad, ci->id);
		if (r)
			return 2;
	}
	if (ug && cr != VMXCAP_CR0) {
		vs_error("adjust: --unrestricted-guest concerns CR0.PE and CR0.PG only");
		return 2;
	}
	if (!vmxcap_adjust_cr(c->raw, cr, wanted, false, &alt)) {
		vs_error("adjust: cpu%u: %s and %s were not both read", c->id,
			 vmxcap_msrs[ci->fixed0].name, vmxcap_msrs[ci->fixed1].name);
		return 2;
	}
	if (ug && !ug_ok) {
		fprintf(out, "cpu%u: the \"unrestricted guest\" control is %s on this CPU: CR0.PE and CR0.PG must stay 1\n",
			c->id, vmxcap_state_name(ugs));
		return 1;
	}
	if (ug)
		vmxcap_adjust_cr(c->raw, cr, wanted, true, &a);
	else
		a = alt;
	fprintf(out, "cpu%u %s (%s = 0x%016llx, %s = 0x%016llx)%s\n", c->id,
		ci->id, vmxcap_msrs[ci->fixed0].name, c->raw->val[ci->fixed0],
		vmxcap_msrs[ci->fixed1].name, c->raw->val[ci->fixed1],
		ug ? ", with unrestricted guest" : "");
	fprintf(out, "  wanted:     0x%016llx\n", wanted);
	fprintf(out, "  program:    0x%016llx\n", a.value);
	for (bit = 0; bit < 64; bit++) {
		if ((a.forced >> bit) & 1) {
			snprintf(reason, sizeof(reason),
				 "set: must be 1 in VMX operation (%s bit %u is 1)%s",
				 vmxcap_msrs[ci->fixed0].name, bit,
				 cr == VMXCAP_CR0 && (bit == 0 || bit == 31) && !ug && ug_ok ?
				 "; with the \"unrestricted guest\" control (this CPU allows it) it may be 0: --unrestricted-guest" : "");
			cr_change(ci, cr, bit, '+', reason, out);
		}
		if ((a.dropped >> bit) & 1) {
			snprintf(reason, sizeof(reason),
				 "cleared: must be 0 in VMX operation (%s bit %u is 0)",
				 vmxcap_msrs[ci->fixed1].name, bit);
			cr_change(ci, cr, bit, '-', reason, out);
		}
		if ((a.exempted >> bit) & 1) {
			snprintf(reason, sizeof(reason),
				 "stays 0 although %s bit %u is 1: the \"unrestricted guest\" control waives it (SDM: checks on guest control registers)",
				 vmxcap_msrs[ci->fixed0].name, bit);
			cr_change(ci, cr, bit, '=', reason, out);
		}
	}
	if (!a.forced && !a.dropped && !a.exempted)
		fprintf(out, "  unchanged: the value satisfies %s and %s\n",
			vmxcap_msrs[ci->fixed0].name, vmxcap_msrs[ci->fixed1].name);
	return 0;
}

int vs_adjust(const struct vs_cpu *c, const char *what, const char *value,
	      bool unrestricted_guest, FILE *out)
{
	int g = group_by_id(what, strlen(what));
	unsigned int cr;

	for (cr = 0; cr < VMXCAP_NR_CRS; cr++)
		if (!strcmp(what, vmxcap_crs[cr].id))
			return adjust_cr(c, cr, value, unrestricted_guest, out);
	if (g < 0) {
		char known[256] = "";
		unsigned int i;

		for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++)
			snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s, ",
				 vmxcap_ctl_groups[i].id);
		vs_error("adjust: unknown field '%s' (want %s%s or %s)", what, known,
			 vmxcap_crs[0].id, vmxcap_crs[1].id);
		return 2;
	}
	if (unrestricted_guest) {
		vs_error("adjust: --unrestricted-guest concerns cr0 only");
		return 2;
	}
	return adjust_ctl(c, g, value, out);
}
