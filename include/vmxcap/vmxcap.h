/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * vmxcap decoder: the one description of Intel's VMX capability MSRs
 * (Intel SDM volume 3, appendix A), shared by the kernel module and the
 * userspace tools.  It compiles unchanged as kernel code (__KERNEL__) and as
 * C11 userspace code: fixed-width types, tables as static const data, no
 * allocation and no library calls.
 */
#ifndef VMXCAP_VMXCAP_H
#define VMXCAP_VMXCAP_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
/* The kernel's fixed-width names; these widths hold on every Linux ABI. */
typedef signed char s8;
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
#ifndef BIT_ULL
#define BIT_ULL(nr) (1ULL << (nr))
#endif
#endif

/* Version of the decoder's vocabulary (identifiers, state words). */
#define VMXCAP_DECODER_VERSION "1"

/*
 * The MSRs the decoder knows, in a dense order ("slots").  The module
 * publishes them in this order and the tools read them back in it.
 */
enum vmxcap_msr {
	VMXCAP_FEATURE_CONTROL,	/* 0x03a IA32_FEATURE_CONTROL */
	VMXCAP_BASIC,		/* 0x480 IA32_VMX_BASIC */
	VMXCAP_PINBASED,	/* 0x481 IA32_VMX_PINBASED_CTLS */
	VMXCAP_PROCBASED,	/* 0x482 IA32_VMX_PROCBASED_CTLS */
	VMXCAP_EXIT,		/* 0x483 IA32_VMX_EXIT_CTLS */
	VMXCAP_ENTRY,		/* 0x484 IA32_VMX_ENTRY_CTLS */
	VMXCAP_MISC,		/* 0x485 IA32_VMX_MISC */
	VMXCAP_CR0_FIXED0,	/* 0x486 IA32_VMX_CR0_FIXED0 */
	VMXCAP_CR0_FIXED1,	/* 0x487 IA32_VMX_CR0_FIXED1 */
	VMXCAP_CR4_FIXED0,	/* 0x488 IA32_VMX_CR4_FIXED0 */
	VMXCAP_CR4_FIXED1,	/* 0x489 IA32_VMX_CR4_FIXED1 */
	VMXCAP_VMCS_ENUM,	/* 0x48a IA32_VMX_VMCS_ENUM */
	VMXCAP_PROCBASED2,	/* 0x48b IA32_VMX_PROCBASED_CTLS2 */
	VMXCAP_EPT_VPID_CAP,	/* 0x48c IA32_VMX_EPT_VPID_CAP */
	VMXCAP_TRUE_PINBASED,	/* 0x48d IA32_VMX_TRUE_PINBASED_CTLS */
	VMXCAP_TRUE_PROCBASED,	/* 0x48e IA32_VMX_TRUE_PROCBASED_CTLS */
	VMXCAP_TRUE_EXIT,	/* 0x48f IA32_VMX_TRUE_EXIT_CTLS */
	VMXCAP_TRUE_ENTRY,	/* 0x490 IA32_VMX_TRUE_ENTRY_CTLS */
	VMXCAP_VMFUNC,		/* 0x491 IA32_VMX_VMFUNC */
	VMXCAP_PROCBASED3,	/* 0x492 IA32_VMX_PROCBASED_CTLS3 */
	VMXCAP_EXIT2,		/* 0x493 IA32_VMX_EXIT_CTLS2 */
	VMXCAP_NR_MSRS
};

#define VMXCAP_MSR_BIT(m)	(1u << (m))
#define VMXCAP_ALL_MSRS		((1u << VMXCAP_NR_MSRS) - 1)

struct vmxcap_msr_info {
	u32 index;		/* the architectural MSR number */
	const char *name;	/* "IA32_VMX_BASIC" */
	const char *id;		/* short stable name: "basic", file names */
};

extern const struct vmxcap_msr_info vmxcap_msrs[VMXCAP_NR_MSRS];

/* Slot of an architectural MSR number, or -1 when the decoder has none. */
int vmxcap_msr_slot(u32 index);

/*
 * One CPU's raw values.  A slot is "present" when its value was read;
 * "faulted" when a read was tried and faulted.  Neither means not read:
 * the MSR does not exist on this CPU, or (in a dump) nobody recorded it.
 */
struct vmxcap_raw {
	u64 val[VMXCAP_NR_MSRS];
	u32 present;
	u32 faulted;
};

static inline bool vmxcap_has(const struct vmxcap_raw *raw, enum vmxcap_msr m)
{
	return raw->present & VMXCAP_MSR_BIT(m);
}

/* Whether an MSR exists on a CPU with these values (SDM appendix A). */
enum vmxcap_existence {
	VMXCAP_EXISTS,		/* architecturally present */
	VMXCAP_ABSENT,		/* its gate says it does not exist */
	VMXCAP_UNKNOWN,		/* its gate was not read */
};

enum vmxcap_existence vmxcap_msr_existence(const struct vmxcap_raw *raw,
					   enum vmxcap_msr m);

/*
 * Slots that exist according to what has been read so far.  Reading them
 * and asking again reaches a fixed point in at most three rounds, because
 * the gates (BASIC, PROCBASED, PROCBASED2, EXIT) are themselves gated at
 * most twice deep.
 */
u32 vmxcap_msrs_existing(const struct vmxcap_raw *raw);

/* ---- control classification ------------------------------------------- */

/* State of one control bit, in QEMU vmxcap's vocabulary. */
enum vmxcap_state {
	VMXCAP_STATE_NO,	/* must be 0 */
	VMXCAP_STATE_YES,	/* may be 0 or 1 */
	VMXCAP_STATE_FORCED,	/* must be 1 */
	VMXCAP_STATE_DEFAULT,	/* must be 1 per the legacy MSR, may be 0 per TRUE */
	VMXCAP_STATE_INCONSISTENT, /* must be 1 but may not be 1 */
	VMXCAP_STATE_UNKNOWN,	/* the MSR that says was not read */
	VMXCAP_NR_STATES
};

/* "no", "yes", "forced", "default", "inconsistent", "unknown". */
const char *vmxcap_state_name(enum vmxcap_state s);

/* QEMU vmxcap's word for a state: the same, but "?" when inconsistent. */
const char *vmxcap_state_vmxcap_word(enum vmxcap_state s);

/* True for the states in which a hypervisor may set the bit to 1. */
static inline bool vmxcap_state_allows1(enum vmxcap_state s)
{
	return s == VMXCAP_STATE_YES || s == VMXCAP_STATE_FORCED ||
	       s == VMXCAP_STATE_DEFAULT;
}

/* Classify from one must-be-1 bit (allowed-0 / fixed0) and may-be-1 bit. */
enum vmxcap_state vmxcap_classify(bool must1, bool may1);

enum vmxcap_ctl_group {
	VMXCAP_CTL_PIN,		/* pin-based VM-execution controls */
	VMXCAP_CTL_PROC,	/* primary processor-based */
	VMXCAP_CTL_PROC2,	/* secondary processor-based */
	VMXCAP_CTL_PROC3,	/* tertiary processor-based (64-bit) */
	VMXCAP_CTL_EXIT,	/* primary VM-exit */
	VMXCAP_CTL_EXIT2,	/* secondary VM-exit (64-bit) */
	VMXCAP_CTL_ENTRY,	/* VM-entry */
	VMXCAP_CTL_VMFUNC,	/* VM-function controls (64-bit) */
	VMXCAP_NR_CTL_GROUPS
};

/* One named control bit. */
struct vmxcap_ctl {
	u8 bit;
	const char *id;		/* stable identifier: "unrestricted_guest" */
	const char *name;	/* the SDM's name */
	const char *vmxcap_name; /* QEMU vmxcap's label, NULL if it has none */
	const char *linux_flag;	/* Linux "vmx flags" name, NULL if none */
};

struct vmxcap_ctl_group_info {
	const char *id;		/* "procbased2" */
	const char *name;	/* "Secondary processor-based VM-execution controls" */
	const char *vmxcap_section; /* QEMU vmxcap's heading, NULL if none */
	enum vmxcap_msr msr;	/* capability MSR */
	enum vmxcap_msr true_msr; /* TRUE MSR, or VMXCAP_NR_MSRS */
	bool allowed1_only;	/* 64-bit bitmap of allowed-1 settings */
	u8 width;		/* 32 or 64 control bits */
	const struct vmxcap_ctl *ctls;
	u8 nr_ctls;
	u32 default1;		/* SDM A.2's "default1" controls: 1 in the legacy MSR's allowed-0 */
};

extern const struct vmxcap_ctl_group_info vmxcap_ctl_groups[VMXCAP_NR_CTL_GROUPS];

/* The table entry for a bit, or NULL when the SDM bit has no name here. */
const struct vmxcap_ctl *vmxcap_ctl_lookup(enum vmxcap_ctl_group g,
					   unsigned int bit);

/*
 * The bits that must be 1 and may be 1 in a control field, from the TRUE
 * MSR when IA32_VMX_BASIC bit 55 says it exists and it was read, else from
 * the legacy MSR.  The TRUE MSR alone suffices: the legacy one differs
 * only in reporting the default1 controls as must-be-1.  Returns false
 * when neither was read (or both faulted) although the group should
 * exist: nothing is known.  A group whose MSR does not exist yields
 * must1 = may1 = 0 (no control may be set).
 */
bool vmxcap_ctl_masks(const struct vmxcap_raw *raw, enum vmxcap_ctl_group g,
		      u64 *must1, u64 *may1);

/* Whether the TRUE MSR of a group is what vmxcap_ctl_masks() uses. */
bool vmxcap_ctl_uses_true(const struct vmxcap_raw *raw,
			  enum vmxcap_ctl_group g);

/* State of one bit of a control group, with the TRUE MSRs when they exist. */
enum vmxcap_state vmxcap_ctl_state(const struct vmxcap_raw *raw,
				   enum vmxcap_ctl_group g, unsigned int bit);

/*
 * Bits that may be set to 1 but that the table does not name: reported as
 * "bit N", never dropped.
 */
u64 vmxcap_ctl_unnamed_allowed(const struct vmxcap_raw *raw,
			       enum vmxcap_ctl_group g);

/* ---- fields of the non-control MSRs ------------------------------------ */

enum vmxcap_field_kind {
	VMXCAP_FIELD_FLAG,	/* one bit: yes / no */
	VMXCAP_FIELD_NUMBER,	/* unsigned number */
	VMXCAP_FIELD_MEMTYPE,	/* memory type: 0 UC, 6 WB */
	VMXCAP_FIELD_MSR_LIST,	/* N: recommended maximum 512 * (N + 1) */
	VMXCAP_FIELD_TIMER_SHIFT, /* X: timer ticks every 2^X TSC cycles */
	VMXCAP_FIELD_VMCS_INDEX, /* highest VMCS field index */
};

struct vmxcap_field {
	u8 lo, hi;		/* bit range, inclusive */
	u8 kind;		/* enum vmxcap_field_kind */
	const char *id;		/* stable identifier: "vmcs_size" */
	const char *name;	/* the SDM's meaning */
	const char *vmxcap_name; /* QEMU vmxcap's label, NULL if none */
};

struct vmxcap_field_table {
	enum vmxcap_msr msr;
	const char *id;		/* "basic", "misc", "ept_vpid", ... */
	const char *name;	/* "Basic VMX information" */
	const char *vmxcap_section; /* QEMU vmxcap's heading, NULL if none */
	const struct vmxcap_field *fields;
	u8 nr_fields;
};

enum vmxcap_field_table_id {
	VMXCAP_FT_BASIC,
	VMXCAP_FT_MISC,
	VMXCAP_FT_EPT_VPID,
	VMXCAP_FT_VMCS_ENUM,
	VMXCAP_FT_FEATURE_CONTROL,
	VMXCAP_NR_FIELD_TABLES
};

extern const struct vmxcap_field_table vmxcap_field_tables[VMXCAP_NR_FIELD_TABLES];

/* The value of a field within its MSR. */
static inline u64 vmxcap_field_value(const struct vmxcap_field *f, u64 msr)
{
	u64 v = msr >> f->lo;

	if (f->hi - f->lo < 63)
		v &= (1ull << (f->hi - f->lo + 1)) - 1;
	return v;
}

/* Bits of an MSR value that no field of its table covers. */
u64 vmxcap_field_unknown_bits(const struct vmxcap_field_table *t, u64 msr);

/*
 * A field's value with its meaning, like snprintf.  Concise (sysfs, one
 * value): "yes"/"no", the memory type's name ("WB"), the recommended
 * MSR-list maximum ("512"), the VMCS index in hex ("0x17"), else the number.
 * Verbose (for people): "yes"/"no", "6 (WB)", "0 (512 MSRs)",
 * "7 (every 128 TSC ticks)", "23 (0x17)", else the number.
 */
size_t vmxcap_field_format(const struct vmxcap_field *f, u64 msr, bool verbose,
			   char *buf, size_t size);

/* Name of a VMCS / paging-structure memory type, "reserved" otherwise. */
const char *vmxcap_memtype_name(unsigned int type);

/* IA32_VMX_MISC bits 27:25: recommended maximum MSRs in each MSR list. */
static inline u32 vmxcap_misc_max_msr_list(u64 misc)
{
	return 512u * ((u32)((misc >> 25) & 7) + 1);
}

/*
 * QEMU vmxcap's sections in its order, each a control group or a field
 * table, and whether vmxcap prints a "Hex:" line first.  vmxcap prints the
 * VM functions as a field section (with Hex) but the 64-bit tertiary and
 * secondary VM-exit controls as control sections (without).
 */
struct vmxcap_vmxcap_section {
	bool is_ctl_group;
	u8 index;	/* enum vmxcap_ctl_group or enum vmxcap_field_table_id */
	bool hex;
};

#define VMXCAP_NR_VMXCAP_SECTIONS 11
extern const struct vmxcap_vmxcap_section vmxcap_vmxcap_sections[VMXCAP_NR_VMXCAP_SECTIONS];

/* ---- CR0 / CR4 fixed bits ---------------------------------------------- */

struct vmxcap_bit {
	u8 bit;
	const char *id;		/* "pe" */
	const char *name;	/* "Protection Enable" */
};

enum vmxcap_cr { VMXCAP_CR0, VMXCAP_CR4, VMXCAP_NR_CRS };

struct vmxcap_cr_info {
	const char *id;		/* "cr0" */
	enum vmxcap_msr fixed0, fixed1;
	const struct vmxcap_bit *bits;
	u8 nr_bits;
};

extern const struct vmxcap_cr_info vmxcap_crs[VMXCAP_NR_CRS];

const struct vmxcap_bit *vmxcap_cr_bit_lookup(enum vmxcap_cr cr,
					      unsigned int bit);

/*
 * State of a control-register bit in VMX operation: forced (fixed0 = 1,
 * must be 1), no (fixed1 = 0, must be 0), yes (free), or inconsistent.
 */
enum vmxcap_state vmxcap_cr_state(const struct vmxcap_raw *raw,
				  enum vmxcap_cr cr, unsigned int bit);

/* CR bits that may be 1 in VMX operation but that the table does not name. */
u64 vmxcap_cr_unnamed_allowed(const struct vmxcap_raw *raw, enum vmxcap_cr cr);

/* ---- the SDM's algorithms ---------------------------------------------- */

/* The secondary control that lets CR0.PE and CR0.PG be 0 (SDM 26.6.2). */
#define VMXCAP_PROC2_UNRESTRICTED_GUEST 7

struct vmxcap_adjustment {
	u64 value;	/* what to program */
	u64 dropped;	/* wanted 1 but may not be 1: cleared */
	u64 forced;	/* not wanted but must be 1: set */
	u64 exempted;	/* must-be-1 bits waived (unrestricted guest) */
};

/*
 * A.3: value = (wanted | must-be-1) & may-be-1.  Returns false when the
 * group's capability MSR is unknown.
 */
bool vmxcap_adjust_ctl(const struct vmxcap_raw *raw, enum vmxcap_ctl_group g,
		       u64 wanted, struct vmxcap_adjustment *out);

/*
 * A.7/A.8: value = (wanted | fixed0) & fixed1.  With unrestricted_guest,
 * CR0.PE and CR0.PG need not be 1 (only when the CPU allows the
 * "unrestricted guest" control, else the request is refused: returns false).
 * Returns false when the fixed MSRs are unknown.
 */
bool vmxcap_adjust_cr(const struct vmxcap_raw *raw, enum vmxcap_cr cr,
		      u64 wanted, bool unrestricted_guest,
		      struct vmxcap_adjustment *out);

/* ---- IA32_FEATURE_CONTROL ---------------------------------------------- */

#define VMXCAP_FC_LOCKED		BIT_ULL(0)
#define VMXCAP_FC_VMX_INSIDE_SMX	BIT_ULL(1)
#define VMXCAP_FC_VMX_OUTSIDE_SMX	BIT_ULL(2)

enum vmxcap_fc_verdict {
	VMXCAP_FC_UNKNOWN,	/* not read */
	VMXCAP_FC_USABLE,	/* locked, VMX outside SMX enabled */
	VMXCAP_FC_DISABLED,	/* locked with VMX off: disabled by firmware */
	VMXCAP_FC_SMX_ONLY,	/* locked, VMX only inside SMX (TXT) */
	VMXCAP_FC_UNLOCKED,	/* not locked: the OS will set and lock it */
	VMXCAP_NR_FC_VERDICTS
};

enum vmxcap_fc_verdict vmxcap_fc_verdict(const struct vmxcap_raw *raw);
/* "usable", "disabled_by_firmware", "smx_only", "unlocked", "unknown". */
const char *vmxcap_fc_verdict_id(enum vmxcap_fc_verdict v);
/* One sentence for people. */
const char *vmxcap_fc_verdict_text(enum vmxcap_fc_verdict v);

/* ---- consistency -------------------------------------------------------- */

enum vmxcap_problem_kind {
	VMXCAP_PROB_MUST1_NOT_ALLOWED1,	/* allowed-0 bit outside allowed-1 */
	VMXCAP_PROB_TRUE_ALLOWED1_DIFFERS, /* TRUE and legacy allowed-1 differ */
	VMXCAP_PROB_TRUE_MUST1_EXTRA,	/* TRUE must-be-1 not in legacy's */
	VMXCAP_PROB_FIXED0_NOT_IN_FIXED1, /* CR bit must be 1 and 0 */
	VMXCAP_PROB_BASIC_BIT31,	/* IA32_VMX_BASIC bit 31 is not 0 */
	VMXCAP_PROB_GATED_OFF_PRESENT,	/* MSR read although it cannot exist */
	VMXCAP_PROB_REQUIRED_FAULTED,	/* MSR faulted although it must exist */
	VMXCAP_NR_PROBLEM_KINDS
};

struct vmxcap_problem {
	u8 kind;	/* enum vmxcap_problem_kind */
	u8 msr;		/* enum vmxcap_msr */
	u8 bit;		/* the bit, or 0xff for the whole MSR */
};

#define VMXCAP_PROBLEM_NO_BIT 0xff

/* "must1_not_allowed1", ... */
const char *vmxcap_problem_id(enum vmxcap_problem_kind k);
/* One sentence for people. */
const char *vmxcap_problem_text(enum vmxcap_problem_kind k);

/*
 * Runs every check; stores up to max problems and returns how many there
 * are in all (which may exceed max).
 */
unsigned int vmxcap_check(const struct vmxcap_raw *raw,
			  struct vmxcap_problem *out, unsigned int max);

/* ---- Linux's "vmx flags" ------------------------------------------------ */

#define VMXCAP_LINUX_WORDS 5

/*
 * The five 32-bit words that Linux's init_vmx_capabilities() builds
 * (arch/x86/kernel/cpu/feat_ctl.c): word 0 merges pin-based controls
 * 15:0, INVVPID, EPT capabilities, two synthetic APIC flags and VM
 * functions 3:0 - the latter read from IA32_VMX_VMFUNC's HIGH half, as
 * Linux does, so EPTP switching (bit 0) does not appear.  Absent MSRs
 * count as 0, as a faulting rdmsr_safe() gives.
 */
void vmxcap_linux_words(const struct vmxcap_raw *raw,
			u32 words[VMXCAP_LINUX_WORDS]);

/*
 * The name Linux shows for a bit of those words, or NULL.  kver selects
 * the naming of a kernel release (VMXCAP_KVER(6, 1) hides some names); 0
 * means the newest naming the decoder knows.
 */
#define VMXCAP_KVER(a, b) (((a) << 8) | (b))
const char *vmxcap_linux_flag_name(unsigned int word, unsigned int bit,
				   unsigned int kver);

/*
 * Where Linux puts a control in those words (word, bit), for controls it
 * takes into the line: pin-based 15:0, primary, secondary, tertiary.
 * VM functions are in the line too, but read from the MSR's wrong half,
 * so they say nothing about the CPU: false for them, and for exit/entry.
 */
bool vmxcap_linux_ctl_bit(enum vmxcap_ctl_group g, unsigned int bit,
			  unsigned int *word, unsigned int *lbit);

/* The word-0 bit Linux copies a one-bit field into (EPT/VPID), or -1. */
int vmxcap_linux_field_bit(enum vmxcap_field_table_id t, unsigned int i);

/*
 * Whether Linux prints a vmx flags line for a CPU with these values: not
 * before 5.8 (which added it), not when word 0 is 0, and not when the
 * kernel cleared VMX at boot because IA32_FEATURE_CONTROL does not allow
 * VMXON outside SMX or its read faulted (arch/x86/kernel/cpu/feat_ctl.c).
 * kver 0: the newest kernel.
 */
bool vmxcap_linux_has_flags_line(const struct vmxcap_raw *raw, unsigned int kver);

/*
 * The flags line without the "vmx flags\t:" prefix, names separated by
 * single spaces: what Linux derives from these values, also where it does
 * not print it (vmxcap_linux_has_flags_line()); empty when word 0 is 0.
 * Returns the length the whole line needs, like snprintf; the buffer is
 * always terminated when size > 0.
 */
size_t vmxcap_linux_flags(const struct vmxcap_raw *raw, unsigned int kver,
			  char *buf, size_t size);

#endif /* VMXCAP_VMXCAP_H */
