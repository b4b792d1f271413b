// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the names people type for features, fields and bits, and
 * what each stands for in the decoder's tables: control identifiers
 * (unrestricted_guest), GROUP.ID (exit.load_pat), Linux's "vmx flags"
 * names (ept_1gb), QEMU's VMX property names (vmx-posted-intr), "bitN".
 * Case does not matter and '-' equals '_'; a name that matches nothing
 * gets the nearest ones as a suggestion.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vmxcap-show.h"

/*
 * QEMU's property names for the VMX feature words of target/i386/cpu.c
 * (feature_word_info[FEAT_VMX_*]), by the decoder's identifier of the same
 * bit; tests/cli/run-cli.sh checks every one against QEMU's own table
 * (tests/data/reference/qemu-vmx-features.txt) and binary.  Some of QEMU's
 * names say the opposite of the control ("noexit", "nosave") or name
 * another one (vmx-flexpriority is "use TPR shadow"); the bit is what counts.
 */
static const struct {
	const char *qemu, *key;
} qemu_names[] = {
	{ "vmx-intr-exit", "pinbased.ext_intr_exiting" },
	{ "vmx-nmi-exit", "pinbased.nmi_exiting" },
	{ "vmx-vnmi", "pinbased.virtual_nmis" },
	{ "vmx-preemption-timer", "pinbased.preemption_timer" },
	{ "vmx-posted-intr", "pinbased.posted_interrupts" },
	{ "vmx-vintr-pending", "procbased.intr_window_exiting" },
	{ "vmx-tsc-offset", "procbased.tsc_offsetting" },
	{ "vmx-hlt-exit", "procbased.hlt_exiting" },
	{ "vmx-invlpg-exit", "procbased.invlpg_exiting" },
	{ "vmx-mwait-exit", "procbased.mwait_exiting" },
	{ "vmx-rdpmc-exit", "procbased.rdpmc_exiting" },
	{ "vmx-rdtsc-exit", "procbased.rdtsc_exiting" },
	{ "vmx-cr3-load-noexit", "procbased.cr3_load_exiting" },
	{ "vmx-cr3-store-noexit", "procbased.cr3_store_exiting" },
	{ "vmx-cr8-load-exit", "procbased.cr8_load_exiting" },
	{ "vmx-cr8-store-exit", "procbased.cr8_store_exiting" },
	{ "vmx-flexpriority", "procbased.tpr_shadow" },
	{ "vmx-vnmi-pending", "procbased.nmi_window_exiting" },
	{ "vmx-movdr-exit", "procbased.mov_dr_exiting" },
	{ "vmx-io-exit", "procbased.uncond_io_exiting" },
	{ "vmx-io-bitmap", "procbased.io_bitmaps" },
	{ "vmx-mtf", "procbased.monitor_trap_flag" },
	{ "vmx-msr-bitmap", "procbased.msr_bitmaps" },
	{ "vmx-monitor-exit", "procbased.monitor_exiting" },
	{ "vmx-pause-exit", "procbased.pause_exiting" },
	{ "vmx-secondary-ctls", "procbased.secondary_controls" },
	{ "vmx-apicv-xapic", "procbased2.virtualize_apic_accesses" },
	{ "vmx-ept", "procbased2.ept" },
	{ "vmx-desc-exit", "procbased2.descriptor_table_exiting" },
	{ "vmx-rdtscp-exit", "procbased2.rdtscp" },
	{ "vmx-apicv-x2apic", "procbased2.virtualize_x2apic" },
	{ "vmx-vpid", "procbased2.vpid" },
	{ "vmx-wbinvd-exit", "procbased2.wbinvd_exiting" },
	{ "vmx-unrestricted-guest", "procbased2.unrestricted_guest" },
	{ "vmx-apicv-register", "procbased2.apic_register_virt" },
	{ "vmx-apicv-vid", "procbased2.virtual_intr_delivery" },
	{ "vmx-ple", "procbased2.pause_loop_exiting" },
	{ "vmx-rdrand-exit", "procbased2.rdrand_exiting" },
	{ "vmx-invpcid-exit", "procbased2.invpcid" },
	{ "vmx-vmfunc", "procbased2.vm_functions" },
	{ "vmx-shadow-vmcs", "procbased2.vmcs_shadowing" },
	{ "vmx-encls-exit", "procbased2.encls_exiting" },
	{ "vmx-rdseed-exit", "procbased2.rdseed_exiting" },
	{ "vmx-pml", "procbased2.pml" },
	{ "vmx-xsaves", "procbased2.xsaves" },
	{ "vmx-tsc-scaling", "procbased2.tsc_scaling" },
	{ "vmx-enable-user-wait-pause", "procbased2.user_wait_pause" },
	{ "vmx-exit-nosave-debugctl", "exit.save_debug_controls" },
	{ "vmx-exit-load-perf-global-ctrl", "exit.load_perf_global_ctrl" },
	{ "vmx-exit-ack-intr", "exit.ack_intr_on_exit" },
	{ "vmx-exit-save-pat", "exit.save_pat" },
	{ "vmx-exit-load-pat", "exit.load_pat" },
	{ "vmx-exit-save-efer", "exit.save_efer" },
	{ "vmx-exit-load-efer", "exit.load_efer" },
	{ "vmx-exit-save-preemption-timer", "exit.save_preemption_timer" },
	{ "vmx-exit-clear-bndcfgs", "exit.clear_bndcfgs" },
	{ "vmx-exit-clear-rtit-ctl", "exit.clear_rtit_ctl" },
	{ "vmx-exit-load-pkrs", "exit.load_pkrs" },
	{ "vmx-exit-secondary-ctls", "exit.secondary_exit_controls" },
	{ "vmx-entry-noload-debugctl", "entry.load_debug_controls" },
	{ "vmx-entry-ia32e-mode", "entry.ia32e_mode_guest" },
	{ "vmx-entry-load-perf-global-ctrl", "entry.load_perf_global_ctrl" },
	{ "vmx-entry-load-pat", "entry.load_pat" },
	{ "vmx-entry-load-efer", "entry.load_efer" },
	{ "vmx-entry-load-bndcfgs", "entry.load_bndcfgs" },
	{ "vmx-entry-load-rtit-ctl", "entry.load_rtit_ctl" },
	{ "vmx-entry-load-pkrs", "entry.load_pkrs" },
	{ "vmx-entry-load-fred", "entry.load_fred" },
	{ "vmx-eptp-switching", "vmfunc.eptp_switching" },
	{ "vmx-store-lma", "misc.store_efer_lma" },
	{ "vmx-activity-hlt", "misc.activity_hlt" },
	{ "vmx-activity-shutdown", "misc.activity_shutdown" },
	{ "vmx-activity-wait-sipi", "misc.activity_wait_sipi" },
	{ "vmx-vmwrite-vmexit-fields", "misc.vmwrite_exit_info" },
	{ "vmx-zero-len-inject", "misc.zero_length_injection" },
	{ "vmx-ept-execonly", "ept_vpid.ept_execute_only" },
	{ "vmx-page-walk-4", "ept_vpid.ept_walk_4" },
	{ "vmx-page-walk-5", "ept_vpid.ept_walk_5" },
	{ "vmx-ept-2mb", "ept_vpid.ept_2mb_pages" },
	{ "vmx-ept-1gb", "ept_vpid.ept_1gb_pages" },
	{ "vmx-invept", "ept_vpid.invept" },
	{ "vmx-eptad", "ept_vpid.ept_accessed_dirty" },
	{ "vmx-ept-advanced-exitinfo", "ept_vpid.ept_advanced_exit_info" },
	/* QEMU also gives IA32_VMX_EPT_VPID_CAP bit 41 this name (a typo of its own). */
	{ "vmx-invept-single-context", "ept_vpid.invept_single_context" },
	{ "vmx-invept-all-context", "ept_vpid.invept_all_context" },
	{ "vmx-invvpid", "ept_vpid.invvpid" },
	{ "vmx-invvpid-single-addr", "ept_vpid.invvpid_individual_address" },
	{ "vmx-invvpid-all-context", "ept_vpid.invvpid_all_context" },
	{ "vmx-invept-single-context-noglobals", "ept_vpid.invvpid_single_context_globals" },
	{ "vmx-ins-outs", "basic.ins_outs_info" },
	{ "vmx-true-ctls", "basic.true_controls" },
	{ "vmx-any-errcode", "basic.no_error_code_check" },
	{ "vmx-nested-exception", "basic.nested_exception" },
};

/* The tables whose one-bit fields are features --require can test. */
static bool feature_table(unsigned int t)
{
	return t == VMXCAP_FT_BASIC || t == VMXCAP_FT_MISC || t == VMXCAP_FT_EPT_VPID;
}

const char *vs_qemu_name(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(qemu_names); i++)
		if (!strcmp(qemu_names[i].key, key))
			return qemu_names[i].qemu;
	return NULL;
}

/* "bit7", "bit 7" or "bit_7" */
static bool parse_bitname(const char *s, unsigned int width, unsigned int *bit)
{
	u64 v;

	if (strncasecmp(s, "bit", 3))
		return false;
	s += 3;
	if (*s == ' ' || *s == '_' || *s == '-')
		s++;
	if (*s < '0' || *s > '9' || !vs_parse_number(s, &v) || v >= width)
		return false;
	*bit = (unsigned int)v;
	return true;
}

/* Whether s[0..len) names the same as whole, without case, '-' like '_'. */
static bool eq_n(const char *s, size_t len, const char *whole)
{
	char buf[128];

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return vs_name_eq(buf, whole);
}

int vs_group_by_id(const char *s, size_t len)
{
	int g;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		if (eq_n(s, len, vmxcap_ctl_groups[g].id))
			return g;
	return -1;
}

static int table_by_id(const char *s, size_t len)
{
	int t;

	for (t = 0; t < VMXCAP_NR_FIELD_TABLES; t++)
		if (eq_n(s, len, vmxcap_field_tables[t].id))
			return t;
	return -1;
}

/* The QEMU name's key split into table/group and identifier, or false. */
static bool qemu_key(const char *name, char *prefix, size_t psize, const char **id)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(qemu_names); i++)
		if (vs_name_eq(name, qemu_names[i].qemu)) {
			const char *dot = strchr(qemu_names[i].key, '.');

			snprintf(prefix, psize, "%.*s", (int)(dot - qemu_names[i].key),
				 qemu_names[i].key);
			*id = dot + 1;
			return true;
		}
	return false;
}

bool vs_ctl_by_name(int g, const char *name, unsigned int *bit)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	const char *id = name;
	char prefix[32];
	unsigned int i;

	if (qemu_key(name, prefix, sizeof(prefix), &id) && strcmp(prefix, gi->id))
		return false;
	for (i = 0; i < gi->nr_ctls; i++)
		if (vs_name_eq(gi->ctls[i].id, id) ||
		    (gi->ctls[i].linux_flag && vs_name_eq(gi->ctls[i].linux_flag, id))) {
			*bit = gi->ctls[i].bit;
			return true;
		}
	return parse_bitname(name, gi->width, bit);
}

bool vs_cr_bit_by_name(int cr, const char *name, unsigned int *bit)
{
	const struct vmxcap_cr_info *ci = &vmxcap_crs[cr];
	unsigned int i;

	if (parse_bitname(name, 64, bit))
		return true;
	for (i = 0; i < ci->nr_bits; i++)
		if (vs_name_eq(ci->bits[i].id, name)) {
			*bit = ci->bits[i].bit;
			return true;
		}
	return false;
}

/* A one-bit feature field of table t (any feature table when t < 0). */
static bool field_flag(int t, const char *id, struct vs_feature *f)
{
	unsigned int g, i;

	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++) {
		const struct vmxcap_field_table *tab = &vmxcap_field_tables[g];

		if (t >= 0 ? (int)g != t : !feature_table(g))
			continue;
		for (i = 0; i < tab->nr_fields; i++)
			if (tab->fields[i].kind == VMXCAP_FIELD_FLAG && vs_name_eq(tab->fields[i].id, id)) {
				f->kind = VS_FEAT_FIELD;
				f->group = (int)g;
				f->bit = i;
				return true;
			}
	}
	return false;
}

/* Every name --require takes, for suggestions and --list-features. */
static const char **feature_names(size_t *n)
{
	static const char **names;
	static size_t count;
	unsigned int g, i, w, b;

	if (names) {
		*n = count;
		return names;
	}
	/* Fewer than 2 names a control, field, flag and alias: 1024 is plenty. */
	names = xmalloc(1024 * sizeof(*names));
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		for (i = 0; i < vmxcap_ctl_groups[g].nr_ctls; i++) {
			names[count++] = vmxcap_ctl_groups[g].ctls[i].id;
			if (vmxcap_ctl_groups[g].ctls[i].linux_flag)
				names[count++] = vmxcap_ctl_groups[g].ctls[i].linux_flag;
		}
	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++)
		for (i = 0; feature_table(g) && i < vmxcap_field_tables[g].nr_fields; i++)
			if (vmxcap_field_tables[g].fields[i].kind == VMXCAP_FIELD_FLAG)
				names[count++] = vmxcap_field_tables[g].fields[i].id;
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (b = 0; b < 32; b++)
			if (vmxcap_linux_flag_name(w, b, 0))
				names[count++] = vmxcap_linux_flag_name(w, b, 0);
	for (i = 0; i < ARRAY_LEN(qemu_names); i++)
		names[count++] = qemu_names[i].qemu;
	*n = count;
	return names;
}

static int unknown_feature(const char *name)
{
	size_t n;
	const char **names = feature_names(&n);
	char hint[200];

	vs_suggest(name, names, n, hint, sizeof(hint));
	vs_error("--require: unknown feature '%s'%s%s", name, hint,
		 hint[0] ? "" : " (vmxcap-show --list-features lists them)");
	return -1;
}

int vs_feature_resolve(const char *name, struct vs_feature *f)
{
	const char *dot = strchr(name, '.'), *id;
	unsigned int g, i, w, bit, hits = 0;
	char first[128] = "", prefix[32];

	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	/* QEMU's name: the decoder's identifier behind it. */
	if (qemu_key(name, prefix, sizeof(prefix), &id)) {
		int gg = vs_group_by_id(prefix, strlen(prefix));

		if (gg >= 0 && vs_ctl_by_name(gg, id, &bit)) {
			f->kind = VS_FEAT_CTL;
			f->group = gg;
			f->bit = bit;
			return 0;
		}
		return field_flag(table_by_id(prefix, strlen(prefix)), id, f) ? 0 : -1;
	}
	if (dot) {
		int gg = vs_group_by_id(name, (size_t)(dot - name));
		int t = table_by_id(name, (size_t)(dot - name));

		if (gg >= 0 && vs_ctl_by_name(gg, dot + 1, &bit)) {
			f->kind = VS_FEAT_CTL;
			f->group = gg;
			f->bit = bit;
			return 0;
		}
		if (t >= 0 && field_flag(t, dot + 1, f))
			return 0;
		return unknown_feature(name);
	}
	/* A control identifier, unique across groups. */
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];

		for (i = 0; i < gi->nr_ctls; i++)
			if (vs_name_eq(gi->ctls[i].id, name)) {
				if (hits++ == 0) {
					f->kind = VS_FEAT_CTL;
					f->group = (int)g;
					f->bit = gi->ctls[i].bit;
				}
				snprintf(first + strlen(first), sizeof(first) - strlen(first),
					 "%s%s.%s", hits > 1 ? " or " : "", gi->id, gi->ctls[i].id);
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
			if (gi->ctls[i].linux_flag && vs_name_eq(gi->ctls[i].linux_flag, name)) {
				f->kind = VS_FEAT_CTL;
				f->group = (int)g;
				f->bit = gi->ctls[i].bit;
				return 0;
			}
	}
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (bit = 0; bit < 32; bit++) {
			const char *lf = vmxcap_linux_flag_name(w, bit, 0);

			if (lf && vs_name_eq(lf, name)) {
				f->kind = VS_FEAT_LINUX;
				f->word = w;
				f->bit = bit;
				return 0;
			}
		}
	/* A capability flag of BASIC, MISC or EPT/VPID ("invept", "ept_1gb_pages"). */
	if (field_flag(-1, name, f))
		return 0;
	return unknown_feature(name);
}

void vs_feature_key(const struct vs_feature *f, char *buf, size_t size)
{
	if (f->kind == VS_FEAT_CTL) {
		const struct vmxcap_ctl *c = vmxcap_ctl_lookup(f->group, f->bit);

		if (c)
			snprintf(buf, size, "%s.%s", vmxcap_ctl_groups[f->group].id, c->id);
		else
			snprintf(buf, size, "%s.bit%u", vmxcap_ctl_groups[f->group].id, f->bit);
	} else if (f->kind == VS_FEAT_FIELD) {
		snprintf(buf, size, "%s.%s", vmxcap_field_tables[f->group].id,
			 vmxcap_field_tables[f->group].fields[f->bit].id);
	} else {
		snprintf(buf, size, "flag.%s", vmxcap_linux_flag_name(f->word, f->bit, 0));
	}
}

const char *const *vs_feature_vocabulary(size_t *n)
{
	return (const char *const *)feature_names(n);
}
