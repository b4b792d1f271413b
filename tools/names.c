// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: names people give features, fields and bits, resolved
 * against the decoder's tables only: control identifiers, Linux's "vmx
 * flags" names, GROUP.ID, "bitN".
 */
#include <string.h>

#include "vmxcap-show.h"

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

int vs_group_by_id(const char *s, size_t len)
{
	int g;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		if (strlen(vmxcap_ctl_groups[g].id) == len &&
		    !strncmp(vmxcap_ctl_groups[g].id, s, len))
			return g;
	return -1;
}

/* A control of group g by identifier, Linux flag name or "bitN". */
bool vs_ctl_by_name(int g, const char *name, unsigned int *bit)
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

/* A bit of CR cr by its identifier ("pe") or "bitN". */
bool vs_cr_bit_by_name(int cr, const char *name, unsigned int *bit)
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
 * A one-bit field named id, in the field table named table[0..tlen) or in
 * any table when table is NULL.
 */
static bool field_flag_by_name(const char *table, size_t tlen, const char *id,
			       struct vs_feature *r)
{
	unsigned int g, i;

	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[g];

		if (table && (strlen(t->id) != tlen || strncmp(t->id, table, tlen)))
			continue;
		for (i = 0; i < t->nr_fields; i++)
			if (t->fields[i].kind == VMXCAP_FIELD_FLAG && !strcmp(t->fields[i].id, id)) {
				r->kind = VS_FEAT_FIELD;
				r->group = (int)g;
				r->bit = i;
				return true;
			}
	}
	return false;
}

int vs_feature_resolve(const char *name, struct vs_feature *r)
{
	const char *dot = strchr(name, '.');
	unsigned int g, i, w, bit, hits = 0;
	char first[128] = "";

	snprintf(r->name, sizeof(r->name), "%s", name);
	if (dot) {
		int gg = vs_group_by_id(name, (size_t)(dot - name));

		if (gg >= 0 && vs_ctl_by_name(gg, dot + 1, &bit)) {
			r->kind = VS_FEAT_CTL;
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
					r->kind = VS_FEAT_CTL;
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
				r->kind = VS_FEAT_CTL;
				r->group = (int)g;
				r->bit = gi->ctls[i].bit;
				return 0;
			}
	}
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (bit = 0; bit < 32; bit++) {
			const char *f = vmxcap_linux_flag_name(w, bit, 0);

			if (f && !strcmp(f, name)) {
				r->kind = VS_FEAT_LINUX;
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

