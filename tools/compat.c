// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the outputs other tools print, byte for byte, so that users
 * can diff the two: QEMU's scripts/kvm/vmxcap (--style=vmxcap) and the
 * "vmx flags" line of Linux's /proc/cpuinfo (--flags).
 */
#include "vmxcap-show.h"

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

/* ---- vmx flags --------------------------------------------------------- */

bool vs_linux_flags_line(const struct vs_cpu *c, unsigned int kver, char *buf, size_t size)
{
	bool inferred;
	enum vs_status st;

	/* Linux's own view: the line it printed, or none. */
	if (c->facts->linux_vmx >= 0) {
		snprintf(buf, size, "%s", c->facts->linux_flags ? c->facts->linux_flags :
			 c->facts->linux_vmx ? "no line: the kernel names no VMX features" :
			 "no line: Linux's flags lack vmx");
		return c->facts->linux_flags != NULL;
	}
	if (vmxcap_linux_has_flags_line(c->raw, kver)) {
		vmxcap_linux_flags(c->raw, kver, buf, size);
		return true;
	}
	st = vs_cpu_status(c, &inferred);
	if (kver && kver < VMXCAP_KVER(5, 8))
		snprintf(buf, size, "no line: Linux %u.%u has none; it appeared in 5.8",
			 kver >> 8, kver & 0xff);
	else if (st == VS_STATUS_NO_VMX)
		snprintf(buf, size, "no line: no VMX in CPUID");
	else if (st == VS_STATUS_DISABLED || st == VS_STATUS_SMX_ONLY ||
		 (c->raw->faulted & VMXCAP_MSR_BIT(VMXCAP_FEATURE_CONTROL)))
		snprintf(buf, size, "no line: the kernel clears vmx at boot when IA32_FEATURE_CONTROL forbids VMXON");
	else
		snprintf(buf, size, "no line: no pin-based, EPT, VPID or VM-function bit Linux shows");
	return false;
}

int vs_show_flags(const struct vs_machine *m, const bool *sel,
		  const struct vs_opts *o, FILE *out)
{
	char flags[2048];
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (!sel[i])
			continue;
		if (vs_linux_flags_line(&m->cpus[i], o->kver, flags, sizeof(flags)))
			fprintf(out, "cpu%u vmx flags\t: %s\n", m->cpus[i].id, flags);
		else
			/* Linux prints no line there: neither do we, but say why. */
			fprintf(stderr, "vmxcap-show: cpu%u: %s\n", m->cpus[i].id, flags);
	}
	return 0;
}
