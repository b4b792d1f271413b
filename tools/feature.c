// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: whether a CPU offers a feature.  From its raw values when
 * the MSR that decides was read; else, when the source is Linux's view
 * (/proc/cpuinfo), from its "vmx flags" line - allowed-1 bits only, and
 * only for names the kernel that printed the line shows.  Never a guess:
 * anything else is "unknown", with the reason.
 */
#include <string.h>

#include "vmxcap-show.h"

/* Whether the space-separated line has the word w. */
static bool in_line(const char *line, const char *w)
{
	size_t n = strlen(w);
	const char *p = line;

	while ((p = strstr(p, w))) {
		if ((p == line || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

int vs_linux_flag(const struct vmxcap_raw *raw, unsigned int word, unsigned int bit,
		  enum vmxcap_msr *unread)
{
	static const enum vmxcap_msr linux_inputs[] = {
		VMXCAP_PINBASED, VMXCAP_PROCBASED, VMXCAP_PROCBASED2,
		VMXCAP_EPT_VPID_CAP, VMXCAP_VMFUNC, VMXCAP_PROCBASED3,
	};
	u32 words[VMXCAP_LINUX_WORDS];
	struct vmxcap_raw lo = *raw, hi = *raw;
	unsigned int i, missing = 0;
	int r;

	/*
	 * Linux reads a missing MSR as 0; here an input not recorded is
	 * unknown, and decides the flag only if the flag differs between the
	 * input all 0s and all 1s.  Linux's words copy and AND allowed-1 bits
	 * (monotone), so every other value gives one of those two answers: a
	 * missing IA32_VMX_VMFUNC leaves apicv known.
	 */
	for (i = 0; i < ARRAY_LEN(linux_inputs); i++)
		if (!vmxcap_has(raw, linux_inputs[i]) &&
		    vmxcap_msr_existence(raw, linux_inputs[i]) != VMXCAP_ABSENT) {
			if (!missing++)
				*unread = linux_inputs[i];
			lo.present |= VMXCAP_MSR_BIT(linux_inputs[i]);
			lo.val[linux_inputs[i]] = 0;
			hi.present |= VMXCAP_MSR_BIT(linux_inputs[i]);
			hi.val[linux_inputs[i]] = ~0ULL;
		}
	vmxcap_linux_words(&lo, words);
	r = words[0] && ((words[word] >> bit) & 1);
	if (!missing)
		return r;
	vmxcap_linux_words(&hi, words);
	return r == (words[0] && ((words[word] >> bit) & 1)) ? r : -1;
}

/*
 * From the raw values: 1, 0, or -1 when a deciding MSR was not read, which
 * *unread names.
 */
static int from_raw(const struct vs_cpu *c, const struct vs_feature *f,
		    enum vmxcap_msr *unread)
{
	if (f->kind == VS_FEAT_CTL) {
		enum vmxcap_state s = vmxcap_ctl_state(c->raw, f->group, f->bit);

		*unread = vmxcap_ctl_groups[f->group].msr;
		return s == VMXCAP_STATE_UNKNOWN ? -1 : vmxcap_state_allows1(s);
	}
	if (f->kind == VS_FEAT_FIELD) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[f->group];

		*unread = t->msr;
		if (!vmxcap_has(c->raw, t->msr))
			return vmxcap_msr_existence(c->raw, t->msr) == VMXCAP_ABSENT ? 0 : -1;
		return vmxcap_field_value(&t->fields[f->bit], c->raw->val[t->msr]) != 0;
	}
	return vs_linux_flag(c->raw, f->word, f->bit, unread);
}

/* The vmx flags name that answers for f, or NULL when none does. */
static const char *linux_name(const struct vs_feature *f, unsigned int kver)
{
	unsigned int word, bit;
	int b;

	switch (f->kind) {
	case VS_FEAT_CTL:
		if (!vmxcap_linux_ctl_bit(f->group, f->bit, &word, &bit))
			return NULL;
		return vmxcap_linux_flag_name(word, bit, kver);
	case VS_FEAT_FIELD:
		b = vmxcap_linux_field_bit(f->group, f->bit);
		return b < 0 ? NULL : vmxcap_linux_flag_name(0, (unsigned int)b, kver);
	default:
		return vmxcap_linux_flag_name(f->word, f->bit, kver);
	}
}

int vs_feature_offered(const struct vs_machine *m, const struct vs_cpu *c,
		       const struct vs_feature *f, bool *from_linux, char *why, size_t size)
{
	enum vmxcap_msr msr;
	const char *name;
	int r = from_raw(c, f, &msr);

	*from_linux = false;
	if (r >= 0)
		return r;
	if (c->facts->linux_vmx < 0) {
		if (c->raw->faulted & VMXCAP_MSR_BIT(msr))
			snprintf(why, size, "reading %s faulted", vmxcap_msrs[msr].name);
		else
			snprintf(why, size, "%s (or an MSR that says whether it exists) was not read",
				 vmxcap_msrs[msr].name);
		return -1;
	}
	/* Linux's view: only the allowed-1 bits its vmx flags line names. */
	if (!c->facts->linux_flags) {
		snprintf(why, size, "Linux shows no vmx flags line for cpu %u", c->id);
		return -1;
	}
	name = linux_name(f, m->kver);
	if (!name) {
		snprintf(why, size, "Linux's vmx flags line does not show it%s%s",
			 m->kernel[0] ? " (kernel " : "", m->kernel[0] ? m->kernel : "");
		if (m->kernel[0] && strlen(why) + 2 < size)
			strcat(why, ")");
		return -1;
	}
	*from_linux = true;
	return in_line(c->facts->linux_flags, name);
}
