// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: `adjust`, the SDM's algorithms run by the decoder: the
 * value of a control field (A.3) or of CR0/CR4 (A.7, A.8) that a CPU
 * accepts, given the value wanted, and why each bit changed.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

/*
 * A comma list of names ("ept,vpid") to a bit mask, each name resolved by
 * bit_of(what, name, &bit).  0; -1 when a name is unknown (copied to bad).
 */
static int names_to_mask(const char *list,
			 bool (*bit_of)(int what, const char *name, unsigned int *bit),
			 int what, u64 *mask, char *bad, size_t badsize)
{
	char *copy = xstrdup(list), *tok, *save = NULL;

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
		int r = names_to_mask(value, vs_ctl_by_name, g, &wanted, bad, sizeof(bad));

		if (r) {
			vs_error("adjust: '%s' is not a control of %s (see the ID column of vmxcap-show)",
				 bad, gi->id);
			return 2;
		}
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
		int r = names_to_mask(value, vs_cr_bit_by_name, (int)cr, &wanted, bad, sizeof(bad));

		if (r) {
			vs_error("adjust: '%s' is neither a number nor a %s bit name", bad, ci->id);
			return 2;
		}
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
	int g = vs_group_by_id(what, strlen(what));
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
