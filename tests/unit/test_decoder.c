// SPDX-License-Identifier: GPL-2.0
/*
 * Decoder facts and properties.  Expected values are worked out by hand from
 * the raw numbers and the SDM (the arithmetic is in the comments), or come
 * from a real kernel's /proc/cpuinfo; the properties are checked against a
 * model written here from the SDM's formulas, on every fixture-like value
 * and on random values.
 */
#include <stdlib.h>
#include <string.h>

#include <vmxcap/vmxcap.h>
#include "tap.h"

struct msr_value {
	u32 index;
	u64 value;
};

static struct vmxcap_raw make_raw(const struct msr_value *v, size_t n)
{
	struct vmxcap_raw raw;
	size_t i;

	memset(&raw, 0, sizeof(raw));
	for (i = 0; i < n; i++) {
		int slot = vmxcap_msr_slot(v[i].index);

		if (slot < 0)
			abort();
		raw.val[slot] = v[i].value;
		raw.present |= VMXCAP_MSR_BIT(slot);
	}
	return raw;
}

#define RAW(arr) make_raw(arr, sizeof(arr) / sizeof(arr[0]))

/* Intel Core i7-6700K (Skylake-S), AIDA64 dump via InstLatx64. */
static const struct msr_value skylake[] = {
	{ 0x480, 0x00da040000000004 }, { 0x481, 0x0000007f00000016 },
	{ 0x482, 0xfff9fffe0401e172 }, { 0x483, 0x01ffffff00036dff },
	{ 0x484, 0x0003ffff000011ff }, { 0x485, 0x000000007004c1e7 },
	{ 0x486, 0x0000000080000021 }, { 0x487, 0x00000000ffffffff },
	{ 0x488, 0x0000000000002000 }, { 0x489, 0x00000000003727ff },
	{ 0x48a, 0x000000000000002e }, { 0x48b, 0x001ffcff00000000 },
	{ 0x48c, 0x00000f0106334141 }, { 0x48d, 0x0000007f00000016 },
	{ 0x48e, 0xfff9fffe04006172 }, { 0x48f, 0x01ffffff00036dfb },
	{ 0x490, 0x0003ffff000011fb },
};

/* Intel Core 2 X6800 (Conroe), VirtualBox CPU database. */
static const struct msr_value conroe[] = {
	{ 0x03a, 0x0000000000000005 },
	{ 0x480, 0x001a040000000007 }, { 0x481, 0x0000001f00000016 },
	{ 0x482, 0x77b9fffe0401e172 }, { 0x483, 0x0003efff00036dff },
	{ 0x484, 0x00001fff000011ff }, { 0x485, 0x00000000000403c0 },
	{ 0x486, 0x0000000080000021 }, { 0x487, 0x00000000ffffffff },
	{ 0x488, 0x0000000000002000 }, { 0x489, 0x00000000000027ff },
	{ 0x48a, 0x000000000000002c },
};

/*
 * Debian's Bochs 2.7, model corei7_skylake_x, read inside the guest
 * (shared/notes/vm-testing.md), with the line Debian's 6.1 kernel printed
 * in /proc/cpuinfo for it.
 */
static const struct msr_value bochs_skx[] = {
	{ 0x03a, 0x5 }, { 0x480, 0x00d810000000002b },
	{ 0x481, 0x0000007f00000016 }, { 0x482, 0xf7f9fffe0401e172 },
	{ 0x483, 0x007fffff00036dff }, { 0x484, 0x0000ffff000011ff },
	{ 0x485, 0x00000000600401e0 }, { 0x486, 0x80000021 },
	{ 0x487, 0xffffffff }, { 0x488, 0x2000 }, { 0x489, 0x3727ff },
	{ 0x48a, 0x34 }, { 0x48b, 0x02177fff00000000 },
	{ 0x48c, 0x00000f0106334141 }, { 0x48d, 0x0000007f00000016 },
	{ 0x48e, 0xf7f9fffe04006172 }, { 0x48f, 0x007fffff00036dfb },
	{ 0x490, 0x0000ffff000011fb }, { 0x491, 0x1 },
};

static const char bochs_skx_linux61[] =
	"vnmi preemption_timer invvpid ept_x_only ept_ad ept_1gb flexpriority "
	"tsc_offset vtpr vapic ept vpid unrestricted_guest vapic_reg vid ple "
	"shadow_vmcs pml tsc_scaling";

static const struct vmxcap_field *field(enum vmxcap_field_table_id t,
					const char *id)
{
	const struct vmxcap_field_table *tab = &vmxcap_field_tables[t];
	unsigned int i;

	for (i = 0; i < tab->nr_fields; i++)
		if (!strcmp(tab->fields[i].id, id))
			return &tab->fields[i];
	abort();
}

static u64 fv(const struct vmxcap_raw *raw, enum vmxcap_field_table_id t,
	      const char *id)
{
	return vmxcap_field_value(field(t, id), raw->val[vmxcap_field_tables[t].msr]);
}

static int ctl_bit(enum vmxcap_ctl_group g, const char *id)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	unsigned int i;

	for (i = 0; i < gi->nr_ctls; i++)
		if (!strcmp(gi->ctls[i].id, id))
			return gi->ctls[i].bit;
	abort();
}

static enum vmxcap_state st(const struct vmxcap_raw *raw,
			    enum vmxcap_ctl_group g, const char *id)
{
	return vmxcap_ctl_state(raw, g, (unsigned int)ctl_bit(g, id));
}

static void test_skylake_facts(void)
{
	struct vmxcap_raw r = RAW(skylake);

	/* BASIC 0x00da0400_00000004: bits 30:0 = 4; 44:32 = 0x400. */
	tap_ok(fv(&r, VMXCAP_FT_BASIC, "revision") == 4, "skylake: VMCS revision 4");
	tap_ok(fv(&r, VMXCAP_FT_BASIC, "vmcs_size") == 1024, "skylake: VMCS size 1024 bytes");
	/* 0x00da0400 >> 18 = 0x36, & 0xf = 6: write-back. */
	tap_ok(fv(&r, VMXCAP_FT_BASIC, "vmcs_memory_type") == 6 &&
	       !strcmp(vmxcap_memtype_name(6), "WB"), "skylake: VMCS memory type WB (6)");
	/* 0x00da0400 >> 23 = 1: TRUE MSRs exist. */
	tap_ok(fv(&r, VMXCAP_FT_BASIC, "true_controls") == 1, "skylake: TRUE controls");
	/* MISC 0x7004c1e7: 0xe7 & 0x1f = 7; (>> 16) & 0x1ff = 4; (>> 25) & 7 = 0. */
	tap_ok(fv(&r, VMXCAP_FT_MISC, "preemption_timer_shift") == 7,
	       "skylake: preemption timer ticks every 2^7 TSC cycles");
	tap_ok(fv(&r, VMXCAP_FT_MISC, "cr3_targets") == 4, "skylake: 4 CR3-target values");
	tap_ok(vmxcap_misc_max_msr_list(r.val[VMXCAP_MISC]) == 512,
	       "skylake: MSR lists of at most 512 entries recommended");
	/* 0x1e7 has bits 5-8; 0xc1e7 bit 14; 0x7004c1e7 bits 28-30. */
	tap_ok(fv(&r, VMXCAP_FT_MISC, "activity_hlt") && fv(&r, VMXCAP_FT_MISC, "activity_shutdown") &&
	       fv(&r, VMXCAP_FT_MISC, "activity_wait_sipi") && fv(&r, VMXCAP_FT_MISC, "pt_in_vmx") &&
	       fv(&r, VMXCAP_FT_MISC, "vmwrite_exit_info"),
	       "skylake: HLT, shutdown, wait-for-SIPI, PT in VMX, VMWRITE to exit fields");
	{
		char a[40], b[40], c[40], d[40], e[40], f[40];
		u64 basic = r.val[VMXCAP_BASIC], misc = r.val[VMXCAP_MISC];

		vmxcap_field_format(field(VMXCAP_FT_BASIC, "vmcs_memory_type"), basic, false, a, 40);
		vmxcap_field_format(field(VMXCAP_FT_BASIC, "vmcs_memory_type"), basic, true, b, 40);
		vmxcap_field_format(field(VMXCAP_FT_MISC, "max_msr_list"), misc, false, c, 40);
		vmxcap_field_format(field(VMXCAP_FT_MISC, "preemption_timer_shift"), misc, true,
				    d, 40);
		vmxcap_field_format(field(VMXCAP_FT_VMCS_ENUM, "highest_index"),
				    r.val[VMXCAP_VMCS_ENUM], false, e, 40);
		vmxcap_field_format(field(VMXCAP_FT_MISC, "activity_hlt"), misc, false, f, 40);
		tap_ok(!strcmp(a, "WB") && !strcmp(b, "6 (WB)") && !strcmp(c, "512") &&
		       !strcmp(d, "7 (every 128 TSC ticks)") && !strcmp(e, "0x17") &&
		       !strcmp(f, "yes"), "skylake: fields formatted with their meaning");
	}
	/* VMCS_ENUM 0x2e: bits 9:1 = 0x17. */
	tap_ok(fv(&r, VMXCAP_FT_VMCS_ENUM, "highest_index") == 0x17,
	       "skylake: highest VMCS field index 0x17");
	/* CR0_FIXED0 0x80000021: PE, NE and PG must be 1. */
	tap_ok(vmxcap_cr_state(&r, VMXCAP_CR0, 0) == VMXCAP_STATE_FORCED &&
	       vmxcap_cr_state(&r, VMXCAP_CR0, 5) == VMXCAP_STATE_FORCED &&
	       vmxcap_cr_state(&r, VMXCAP_CR0, 31) == VMXCAP_STATE_FORCED &&
	       vmxcap_cr_state(&r, VMXCAP_CR0, 30) == VMXCAP_STATE_YES,
	       "skylake: CR0.PE, NE, PG must be 1, CD free");
	/* CR4_FIXED0 0x2000 (VMXE); CR4_FIXED1 0x3727ff lacks bits 11, 12, 14. */
	tap_ok(vmxcap_cr_state(&r, VMXCAP_CR4, 13) == VMXCAP_STATE_FORCED &&
	       vmxcap_cr_state(&r, VMXCAP_CR4, 12) == VMXCAP_STATE_NO &&
	       vmxcap_cr_state(&r, VMXCAP_CR4, 14) == VMXCAP_STATE_NO &&
	       vmxcap_cr_state(&r, VMXCAP_CR4, 21) == VMXCAP_STATE_YES,
	       "skylake: CR4.VMXE must be 1, LA57 and SMXE must be 0, SMAP free");
	/*
	 * CR0_FIXED1 0xffffffff minus the named bits (0-5, 16, 18, 29-31:
	 * 0xe005003f) leaves 0x1ffaffc0; CR4_FIXED1 0x3727ff has only named bits.
	 */
	tap_ok(vmxcap_cr_unnamed_allowed(&r, VMXCAP_CR0) == 0x1ffaffc0 &&
	       vmxcap_cr_unnamed_allowed(&r, VMXCAP_CR4) == 0,
	       "skylake: CR bits allowed 1 with no name");
	/* PROCBASED_CTLS2 allowed-1 0x001ffcff: bits 1, 5, 7 set. */
	tap_ok(st(&r, VMXCAP_CTL_PROC2, "ept") == VMXCAP_STATE_YES &&
	       st(&r, VMXCAP_CTL_PROC2, "vpid") == VMXCAP_STATE_YES &&
	       st(&r, VMXCAP_CTL_PROC2, "unrestricted_guest") == VMXCAP_STATE_YES,
	       "skylake: EPT, VPID, unrestricted guest available");
	/* Legacy must-1 0x0401e172 has bit 15, TRUE 0x04006172 does not. */
	tap_ok(st(&r, VMXCAP_CTL_PROC, "cr3_load_exiting") == VMXCAP_STATE_DEFAULT,
	       "skylake: CR3-load exiting is default1 (may be 0 per TRUE MSR)");
	/* Primary allowed-1 0xfff9fffe: bit 17 is 0; exit allowed-1 bit 31 is 0. */
	tap_ok(vmxcap_msr_existence(&r, VMXCAP_PROCBASED3) == VMXCAP_ABSENT &&
	       vmxcap_msr_existence(&r, VMXCAP_EXIT2) == VMXCAP_ABSENT,
	       "skylake: no tertiary controls, no secondary exit controls");
	/* Secondary allowed-1 bit 13 set, but AIDA64 does not record 0x491. */
	tap_ok(vmxcap_msr_existence(&r, VMXCAP_VMFUNC) == VMXCAP_EXISTS &&
	       vmxcap_ctl_state(&r, VMXCAP_CTL_VMFUNC, 0) == VMXCAP_STATE_UNKNOWN,
	       "skylake: IA32_VMX_VMFUNC exists but was not recorded: unknown, not 'no'");
}

static void test_conroe_facts(void)
{
	struct vmxcap_raw r = RAW(conroe);
	struct vmxcap_adjustment a;

	/* BASIC 0x001a0400_00000007: bit 55 = 0, no TRUE MSRs. */
	tap_ok(fv(&r, VMXCAP_FT_BASIC, "true_controls") == 0 &&
	       vmxcap_msr_existence(&r, VMXCAP_TRUE_PINBASED) == VMXCAP_ABSENT,
	       "conroe: no TRUE capability MSRs");
	/* Primary allowed-1 0x77b9fffe: bit 31 is 0 - no secondary controls. */
	tap_ok(vmxcap_msr_existence(&r, VMXCAP_PROCBASED2) == VMXCAP_ABSENT &&
	       vmxcap_msr_existence(&r, VMXCAP_EPT_VPID_CAP) == VMXCAP_ABSENT &&
	       st(&r, VMXCAP_CTL_PROC2, "ept") == VMXCAP_STATE_NO,
	       "conroe: no secondary controls, so no EPT");
	tap_ok(st(&r, VMXCAP_CTL_PROC, "cr3_load_exiting") == VMXCAP_STATE_FORCED,
	       "conroe: CR3-load exiting forced (no TRUE MSR to relax it)");
	/* Pin allowed-0 0x16: bits 1, 2, 4 must be 1. */
	tap_ok(vmxcap_adjust_ctl(&r, VMXCAP_CTL_PIN, 0, &a) && a.value == 0x16 &&
	       a.forced == 0x16 && a.dropped == 0,
	       "conroe: pin-based controls from nothing wanted: 0x16, all forced");
	/* Wanting virtual NMIs (bit 5): allowed-1 0x1f lacks it. */
	tap_ok(vmxcap_adjust_ctl(&r, VMXCAP_CTL_PIN, 1u << 5, &a) && a.value == 0x16 &&
	       a.dropped == 1u << 5, "conroe: virtual NMIs dropped");
	tap_ok(vmxcap_fc_verdict(&r) == VMXCAP_FC_USABLE, "conroe: 0x5 is locked and usable");
}

static void test_adjust_examples(void)
{
	struct vmxcap_raw r = RAW(skylake);
	struct vmxcap_adjustment a;
	u64 want = (1u << 1) | (1u << 5) | (1u << 7);

	tap_ok(vmxcap_adjust_ctl(&r, VMXCAP_CTL_PROC2, want, &a) && a.value == 0xa2 &&
	       !a.dropped && !a.forced, "adjust procbased2 ept,vpid,unrestricted_guest = 0xa2");
	/* TRUE primary must-1 0x04006172; legacy would force CR3 exits too. */
	tap_ok(vmxcap_adjust_ctl(&r, VMXCAP_CTL_PROC, 0, &a) && a.value == 0x04006172,
	       "adjust procbased 0 with TRUE MSR = 0x04006172");
	tap_ok(vmxcap_adjust_cr(&r, VMXCAP_CR0, 0x80000031, false, &a) &&
	       a.value == 0x80000031 && !a.forced && !a.dropped,
	       "adjust cr0 0x80000031: unchanged");
	tap_ok(vmxcap_adjust_cr(&r, VMXCAP_CR0, 0x30, false, &a) &&
	       a.value == 0x80000031 && a.forced == 0x80000001,
	       "adjust cr0 0x30: PE and PG forced");
	tap_ok(vmxcap_adjust_cr(&r, VMXCAP_CR0, 0x30, true, &a) && a.value == 0x30 &&
	       a.exempted == 0x80000001 && !a.forced,
	       "adjust cr0 0x30 with unrestricted guest: real mode allowed");
	tap_ok(vmxcap_adjust_cr(&r, VMXCAP_CR4, 1u << 12, false, &a) &&
	       a.value == 0x2000 && a.dropped == 1u << 12 && a.forced == 0x2000,
	       "adjust cr4 LA57: dropped, VMXE forced");
	r = RAW(conroe);
	tap_ok(!vmxcap_adjust_cr(&r, VMXCAP_CR0, 0x30, true, &a),
	       "adjust cr0 with unrestricted guest refused on a CPU without it");
}

static void test_feature_control(void)
{
	static const struct { u64 v; enum vmxcap_fc_verdict want; } cases[] = {
		{ 0x5, VMXCAP_FC_USABLE }, { 0x7, VMXCAP_FC_USABLE },
		{ 0x1, VMXCAP_FC_DISABLED }, { 0x3, VMXCAP_FC_SMX_ONLY },
		{ 0x0, VMXCAP_FC_UNLOCKED }, { 0x4, VMXCAP_FC_UNLOCKED },
		{ 0x100001, VMXCAP_FC_DISABLED },	/* LMCE on, VMX off */
	};
	struct vmxcap_raw r;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.val[VMXCAP_FEATURE_CONTROL] = cases[i].v;
		r.present = VMXCAP_MSR_BIT(VMXCAP_FEATURE_CONTROL);
		tap_ok(vmxcap_fc_verdict(&r) == cases[i].want,
		       "IA32_FEATURE_CONTROL 0x%llx is %s", cases[i].v,
		       vmxcap_fc_verdict_id(cases[i].want));
	}
	memset(&r, 0, sizeof(r));
	tap_ok(vmxcap_fc_verdict(&r) == VMXCAP_FC_UNKNOWN &&
	       !strcmp(vmxcap_fc_verdict_id(VMXCAP_FC_DISABLED), "disabled_by_firmware"),
	       "IA32_FEATURE_CONTROL not read is unknown");
}

static void test_linux_flags(void)
{
	struct vmxcap_raw r = RAW(bochs_skx);
	char line[1024];
	u32 words[VMXCAP_LINUX_WORDS];
	size_t need;

	vmxcap_linux_flags(&r, VMXCAP_KVER(6, 1), line, sizeof(line));
	tap_ok(!strcmp(line, bochs_skx_linux61),
	       "Bochs skylake_x: flags with 6.1 naming equal Debian 6.1's /proc/cpuinfo");
	if (strcmp(line, bochs_skx_linux61))
		tap_diag("got: %s", line);
	vmxcap_linux_flags(&r, 0, line, sizeof(line));
	tap_ok(strstr(line, " pml ept_violation_ve tsc_scaling") != NULL,
	       "newest naming shows ept_violation_ve (0x48b allowed-1 bit 18)");
	/* VMFUNC 0x1: EPTP switching in the LOW half, which Linux ignores. */
	vmxcap_linux_words(&r, words);
	tap_ok(!(words[0] >> 28) && !strstr(line, "eptp_switching") &&
	       st(&r, VMXCAP_CTL_VMFUNC, "eptp_switching") == VMXCAP_STATE_YES,
	       "EPTP switching: yes here, absent from Linux's line (high half read)");
	need = vmxcap_linux_flags(&r, 0, NULL, 0);
	tap_ok(vmxcap_linux_flags(&r, 0, line, 8) == need && strlen(line) == 7,
	       "a short buffer is truncated and terminated; the length needed is returned");
	memset(&r, 0, sizeof(r));
	tap_ok(vmxcap_linux_flags(&r, 0, line, sizeof(line)) == 0 && line[0] == '\0',
	       "no values: no flags line");
}

/*
 * When Linux prints no line at all (arch/x86/kernel/cpu/feat_ctl.c,
 * init_ia32_feat_ctl(): VMX cleared unless IA32_FEATURE_CONTROL allows
 * VMXON outside SMX, also when reading it faults; show_cpuinfo() prints the
 * line only for a CPU with X86_FEATURE_VMX; the line exists since 5.8).
 * The line itself is still derived, as vmxcap.ko's vmx_flags file gives it.
 */
static void test_linux_no_line(void)
{
	static const struct {
		u64 fc;
		bool line;
		const char *what;
	} cases[] = {
		{ 0x5, true, "locked, VMX outside SMX (usable)" },
		{ 0x1, false, "locked with VMX off (disabled by firmware)" },
		{ 0x3, false, "locked, VMX only inside SMX (no tboot)" },
		{ 0x0, true, "unlocked: the kernel locks it with VMX on" },
	};
	struct vmxcap_raw r = RAW(bochs_skx);
	char line[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r.val[VMXCAP_FEATURE_CONTROL] = cases[i].fc;
		r.present |= VMXCAP_MSR_BIT(VMXCAP_FEATURE_CONTROL);
		tap_ok(vmxcap_linux_has_flags_line(&r, VMXCAP_KVER(6, 1)) == cases[i].line &&
		       vmxcap_linux_flags(&r, VMXCAP_KVER(6, 1), line, sizeof(line)) != 0,
		       "IA32_FEATURE_CONTROL 0x%llx, %s: %s", cases[i].fc,
		       cases[i].what, cases[i].line ? "a vmx flags line" : "no vmx flags line");
	}
	r.present &= ~VMXCAP_MSR_BIT(VMXCAP_FEATURE_CONTROL);
	r.faulted |= VMXCAP_MSR_BIT(VMXCAP_FEATURE_CONTROL);
	tap_ok(!vmxcap_linux_has_flags_line(&r, 0),
	       "reading IA32_FEATURE_CONTROL faulted: no vmx flags line");
	r = RAW(bochs_skx);
	tap_ok(!vmxcap_linux_has_flags_line(&r, VMXCAP_KVER(5, 4)) &&
	       vmxcap_linux_has_flags_line(&r, VMXCAP_KVER(5, 8)),
	       "Linux 5.4 prints no vmx flags line, 5.8 (where it appeared) does");
	memset(&r, 0, sizeof(r));
	tap_ok(!vmxcap_linux_has_flags_line(&r, 0), "no values: no vmx flags line");
}

/*
 * The default1 controls, as Linux defines them for its nested guests'
 * legacy MSRs: *_ALWAYSON_WITHOUT_TRUE_MSR of arch/x86/include/asm/vmx.h.
 */
static u32 linux_alwayson(unsigned int g)
{
	switch (g) {
	case VMXCAP_CTL_PIN:
		return 0x00000016;
	case VMXCAP_CTL_PROC:
		return 0x0401e172;
	case VMXCAP_CTL_EXIT:
		return 0x00036dff;
	case VMXCAP_CTL_ENTRY:
		return 0x000011ff;
	default:
		return 0;
	}
}

/*
 * With the TRUE MSRs but not the legacy ones (KVM's nested profiles), the
 * states are what they are with the legacy MSR KVM itself reports for its
 * guests: the TRUE value with the default1 controls forced on
 * (arch/x86/kvm/vmx/nested.c, vmx_get_vmx_msr(); the masks are
 * *_ALWAYSON_WITHOUT_TRUE_MSR of arch/x86/include/asm/vmx.h).
 */
static void test_true_only(void)
{
	static const struct {
		enum vmxcap_ctl_group g;
		enum vmxcap_msr legacy, true_msr;
	} groups[] = {
		{ VMXCAP_CTL_PIN, VMXCAP_PINBASED, VMXCAP_TRUE_PINBASED },
		{ VMXCAP_CTL_PROC, VMXCAP_PROCBASED, VMXCAP_TRUE_PROCBASED },
		{ VMXCAP_CTL_EXIT, VMXCAP_EXIT, VMXCAP_TRUE_EXIT },
		{ VMXCAP_CTL_ENTRY, VMXCAP_ENTRY, VMXCAP_TRUE_ENTRY },
	};
	struct vmxcap_raw full = RAW(skylake), part;
	unsigned int i, bit, bad = 0, known = 0;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		full.val[groups[i].legacy] = full.val[groups[i].true_msr] | linux_alwayson(groups[i].g);
	part = full;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		part.present &= ~VMXCAP_MSR_BIT(groups[i].legacy);
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		for (bit = 0; bit < 32; bit++) {
			enum vmxcap_state a = vmxcap_ctl_state(&full, groups[i].g, bit);
			enum vmxcap_state b = vmxcap_ctl_state(&part, groups[i].g, bit);

			known += b != VMXCAP_STATE_UNKNOWN;
			if (a != b && bad++ < 5)
				tap_diag("%s bit %u: %s with the legacy MSR, %s without",
					 vmxcap_ctl_groups[groups[i].g].id, bit,
					 vmxcap_state_name(a), vmxcap_state_name(b));
		}
	tap_ok(!bad && known == 4 * 32,
	       "TRUE MSRs alone: all 128 pin/primary/exit/entry states as with KVM's legacy MSRs");
}

static void test_unnamed_and_problems(void)
{
	struct vmxcap_raw r = RAW(skylake);
	struct vmxcap_problem p[8];

	r.val[VMXCAP_PROCBASED2] |= 1ull << (32 + 29);
	tap_ok(vmxcap_ctl_unnamed_allowed(&r, VMXCAP_CTL_PROC2) == 1ull << 29,
	       "an allowed secondary bit 29 with no name is reported as bit 29");
	tap_ok(vmxcap_check(&r, p, 8) == 0, "skylake with bit 29: still consistent");

	r = RAW(skylake);
	r.val[VMXCAP_PINBASED] |= 1ull << 8;	/* must be 1, not allowed 1 */
	tap_ok(vmxcap_check(&r, p, 8) >= 1 && p[0].kind == VMXCAP_PROB_MUST1_NOT_ALLOWED1 &&
	       p[0].msr == VMXCAP_PINBASED && p[0].bit == 8 &&
	       vmxcap_ctl_state(&r, VMXCAP_CTL_PIN, 8) != VMXCAP_STATE_INCONSISTENT,
	       "allowed-0 bit outside allowed-1 found (legacy MSR)");
	r = RAW(skylake);
	r.val[VMXCAP_TRUE_PINBASED] |= 1ull << 8;
	tap_ok(vmxcap_check(&r, p, 8) == 2 && vmxcap_ctl_state(&r, VMXCAP_CTL_PIN, 8) ==
	       VMXCAP_STATE_INCONSISTENT, "inconsistent TRUE bit found and classified");
	r = RAW(skylake);
	r.val[VMXCAP_TRUE_PROCBASED] &= ~(1ull << 63);
	tap_ok(vmxcap_check(&r, p, 8) == 1 && p[0].kind == VMXCAP_PROB_TRUE_ALLOWED1_DIFFERS &&
	       p[0].bit == 31, "TRUE allowed-1 differing from legacy found (control bit 31)");
	r = RAW(skylake);
	r.val[VMXCAP_CR4_FIXED1] &= ~(1ull << 13);
	tap_ok(vmxcap_check(&r, p, 8) == 1 && p[0].kind == VMXCAP_PROB_FIXED0_NOT_IN_FIXED1 &&
	       p[0].bit == 13, "CR4.VMXE fixed to 1 and 0 found");
	r = RAW(skylake);
	r.val[VMXCAP_BASIC] |= 1ull << 31;
	tap_ok(vmxcap_check(&r, p, 8) == 1 && p[0].kind == VMXCAP_PROB_BASIC_BIT31,
	       "IA32_VMX_BASIC bit 31 set found");
	r = RAW(conroe);
	r.val[VMXCAP_PROCBASED2] = 0xff00000000;
	r.present |= VMXCAP_MSR_BIT(VMXCAP_PROCBASED2);
	tap_ok(vmxcap_check(&r, p, 8) == 1 && p[0].kind == VMXCAP_PROB_GATED_OFF_PRESENT &&
	       p[0].msr == VMXCAP_PROCBASED2, "secondary controls present without the primary bit");
	r = RAW(skylake);
	r.faulted |= VMXCAP_MSR_BIT(VMXCAP_VMFUNC);
	tap_ok(vmxcap_check(&r, p, 8) == 1 && p[0].kind == VMXCAP_PROB_REQUIRED_FAULTED &&
	       p[0].msr == VMXCAP_VMFUNC, "a faulting read of an existing MSR found");
}

static void test_existence_fixed_point(void)
{
	struct vmxcap_raw full = RAW(bochs_skx), r;
	unsigned int rounds = 0;
	u32 want;

	/* Read like the module: base MSRs, then whatever the gates open. */
	memset(&r, 0, sizeof(r));
	for (;;) {
		u32 more = vmxcap_msrs_existing(&r) & ~r.present;

		if (!more)
			break;
		r.present |= more;
		for (unsigned int m = 0; m < VMXCAP_NR_MSRS; m++)
			if (more & VMXCAP_MSR_BIT(m))
				r.val[m] = full.val[m];
		rounds++;
	}
	/* 0x492: primary allowed-1 0xf7f9fffe bit 17 = 0; 0x493: exit bit 63 = 0. */
	want = VMXCAP_ALL_MSRS & ~VMXCAP_MSR_BIT(VMXCAP_PROCBASED3) &
	       ~VMXCAP_MSR_BIT(VMXCAP_EXIT2);
	tap_ok(r.present == want && rounds <= 3,
	       "module-style reading reaches every existing MSR in %u rounds", rounds);
}

/* Names become sysfs file names and JSON keys: unique, no '/', not empty. */
static bool good_name(const char *id)
{
	return id && *id && !strchr(id, '/') && !strchr(id, ' ');
}

static void test_table_names(void)
{
	const char *dirs[VMXCAP_NR_CTL_GROUPS + VMXCAP_NR_FIELD_TABLES + VMXCAP_NR_CRS];
	unsigned int g, i, j, nd = 0, bad = 0;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];

		dirs[nd++] = gi->id;
		for (i = 0; i < gi->nr_ctls; i++) {
			bad += !good_name(gi->ctls[i].id) || gi->ctls[i].bit >= gi->width;
			for (j = 0; j < i; j++)
				bad += !strcmp(gi->ctls[i].id, gi->ctls[j].id) ||
				       gi->ctls[i].bit <= gi->ctls[j].bit;	/* sorted, unique */
		}
	}
	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[g];

		dirs[nd++] = t->id;
		for (i = 0; i < t->nr_fields; i++) {
			bad += !good_name(t->fields[i].id) || t->fields[i].lo > t->fields[i].hi ||
			       t->fields[i].hi > 63;
			for (j = 0; j < i; j++)	/* distinct names, sorted disjoint ranges */
				bad += !strcmp(t->fields[i].id, t->fields[j].id) ||
				       t->fields[i].lo <= t->fields[j].hi;
		}
	}
	for (g = 0; g < VMXCAP_NR_CRS; g++) {
		dirs[nd++] = vmxcap_crs[g].id;
		for (i = 0; i < vmxcap_crs[g].nr_bits; i++)
			for (j = 0; j < i; j++)
				bad += !strcmp(vmxcap_crs[g].bits[i].id, vmxcap_crs[g].bits[j].id) ||
				       vmxcap_crs[g].bits[i].bit <= vmxcap_crs[g].bits[j].bit;
	}
	for (i = 0; i < nd; i++) {
		bad += !good_name(dirs[i]);
		for (j = 0; j < i; j++)
			bad += !strcmp(dirs[i], dirs[j]);
	}
	for (i = 0; i < VMXCAP_NR_MSRS; i++) {
		bad += !good_name(vmxcap_msrs[i].id);	/* raw/<msr> */
		for (j = 0; j < i; j++)
			bad += vmxcap_msrs[i].index <= vmxcap_msrs[j].index ||
			       !strcmp(vmxcap_msrs[i].id, vmxcap_msrs[j].id);
	}
	/* vmxcap.ko relies on this instead of checking the names at every load. */
	tap_ok(bad == 0, "table names unique and usable as file names; bits sorted and unique");
}

/* ---- properties ---------------------------------------------------------- */

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u64 rnd(void)	/* xorshift64* */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* A random raw set biased towards plausible values. */
static void random_raw(struct vmxcap_raw *r)
{
	unsigned int m;

	memset(r, 0, sizeof(*r));
	for (m = 0; m < VMXCAP_NR_MSRS; m++) {
		u64 v = rnd();

		if (rnd() & 1)	/* make allowed-0 a subset of allowed-1 */
			v = (v & 0xffffffff00000000ull) | ((v >> 32) & rnd() & 0xffffffff);
		r->val[m] = v;
	}
	r->present = (u32)rnd() & VMXCAP_ALL_MSRS;
	if (rnd() & 1)
		r->present = VMXCAP_ALL_MSRS;
}

static bool check_properties(const struct vmxcap_raw *r)
{
	unsigned int g, bit;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
		struct vmxcap_adjustment a;
		u64 must1, may1, wanted = rnd();

		if (!vmxcap_ctl_masks(r, g, &must1, &may1)) {
			if (vmxcap_adjust_ctl(r, g, wanted, &a))
				return false;
			continue;
		}
		if (!vmxcap_adjust_ctl(r, g, wanted, &a))
			return false;
		if (gi->width == 32)
			wanted &= 0xffffffffull;
		/* A.3: every 1 is allowed; every allowed must-1 is there. */
		if ((a.value & ~may1) || ((must1 & may1) & ~a.value))
			return false;
		if ((a.value ^ wanted) != (a.dropped | a.forced) || (a.dropped & a.forced))
			return false;
		for (bit = 0; bit < gi->width; bit++) {
			enum vmxcap_state s = vmxcap_ctl_state(r, g, bit);
			bool m1 = (must1 >> bit) & 1, y1 = (may1 >> bit) & 1;

			switch (s) {
			case VMXCAP_STATE_NO:
				if (y1 || m1)
					return false;
				break;
			case VMXCAP_STATE_YES:
				if (m1 || !y1)
					return false;
				break;
			case VMXCAP_STATE_FORCED:
				if (!m1 || !y1)
					return false;
				break;
			case VMXCAP_STATE_DEFAULT:
				/*
				 * TRUE says may be 0, the legacy MSR (or, without
				 * it, the default1 class) says must be 1.
				 */
				if (m1 || !y1 || !vmxcap_ctl_uses_true(r, g) ||
				    !((vmxcap_has(r, gi->msr) ? (u32)r->val[gi->msr] :
				       linux_alwayson(g)) >> bit & 1))
					return false;
				break;
			case VMXCAP_STATE_INCONSISTENT:
				if (!m1 || y1)
					return false;
				break;
			default:
				return false;
			}
		}
	}
	for (g = 0; g < VMXCAP_NR_CRS; g++) {
		struct vmxcap_adjustment a;
		u64 f0 = r->val[vmxcap_crs[g].fixed0], f1 = r->val[vmxcap_crs[g].fixed1];
		u64 wanted = rnd();

		if (!vmxcap_adjust_cr(r, g, wanted, false, &a))
			continue;
		if ((a.value & ~f1) || ((f0 & f1) & ~a.value))
			return false;
		if (g == VMXCAP_CR0 && vmxcap_adjust_cr(r, g, wanted, true, &a)) {
			u64 f0ug = f0 & ~(u64)0x80000001;

			if ((a.value & ~f1) || ((f0ug & f1) & ~a.value))
				return false;
		}
	}
	return true;
}

static void test_properties(void)
{
	unsigned int i, bad = 0;
	const unsigned int n = 200000;

	for (i = 0; i < n; i++) {
		struct vmxcap_raw r;

		random_raw(&r);
		if (!check_properties(&r) && bad++ < 3)
			tap_diag("property failed for random set %u", i);
	}
	tap_ok(bad == 0, "adjust and classification properties on %u random sets", n);
	{
		struct vmxcap_raw a = RAW(skylake), b = RAW(conroe), c = RAW(bochs_skx);

		tap_ok(check_properties(&a) && check_properties(&b) && check_properties(&c),
		       "properties on the named CPUs");
	}
}

int main(void)
{
	test_skylake_facts();
	test_conroe_facts();
	test_adjust_examples();
	test_feature_control();
	test_linux_flags();
	test_linux_no_line();
	test_true_only();
	test_unnamed_and_problems();
	test_existence_fixed_point();
	test_table_names();
	test_properties();
	return tap_done("decoder");
}
