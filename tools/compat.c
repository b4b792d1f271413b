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

