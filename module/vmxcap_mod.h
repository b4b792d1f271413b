/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxcap.ko internals shared by the CPU reader (vmxcap_main.c), the files
 * (vmxcap_files.c) and the tree that holds them (vmxcap_sysfs.c).
 */
#ifndef VMXCAP_MOD_H
#define VMXCAP_MOD_H

#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/types.h>
#include <linux/version.h>
#include <asm/cpufeatures.h>

#include <vmxcap/vmxcap.h>

/*
 * The kernel release we are built for, in the decoder's VMXCAP_KVER()
 * form, so that vmx_flags names what this kernel's /proc/cpuinfo names.
 */
#define VMXCAP_KVER_RUNNING \
	VMXCAP_KVER(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL)

/* CPUID.1:ECX bits, as the kernel's own feature words number them. */
#define VMXCAP_CPUID1_ECX_VMX		BIT(X86_FEATURE_VMX & 31)

/* bin_attribute's read() takes a const attribute from 6.16 on (Kbuild probes). */
#ifdef VMXCAP_HAVE_CONST_BIN_ATTR_READ
#define VMXCAP_BIN_ATTR const struct bin_attribute
#else
#define VMXCAP_BIN_ATTR struct bin_attribute
#endif

/*
 * The directories of a capability set: raw/, then one per field table,
 * control register and control group of the decoder, in that order.
 */
#define VMXCAP_NR_DIRS \
	(1 + VMXCAP_NR_FIELD_TABLES + VMXCAP_NR_CRS + VMXCAP_NR_CTL_GROUPS)

/*
 * CPUs whose VMX capabilities are identical - VMX in CPUID or not, the
 * same MSRs read and faulted, the same values - share one set, published
 * once in sets/<id>/.  Written before the set is published, read-only
 * afterwards: readers of its files need no lock.
 */
struct vmxcap_set {
	struct vmxcap_raw raw;
	bool vmx;			/* CPUID.1:ECX.VMX */
	unsigned int id;		/* sets/<id> */
	unsigned int users;		/* CPUs holding it; vmxcap_lock */
	cpumask_var_t cpus;		/* its published CPUs; vmxcap_lock */
	struct kobject *kobj;		/* sets/<id>/ */
	struct kobject *dirs[VMXCAP_NR_DIRS];	/* NULL where the MSR is absent */
};

/* A published CPU: what is really its own is its identity (cpu_data()). */
struct vmxcap_cpu {
	unsigned int cpu;
	struct kobject *kobj;		/* cpuN/: the kernel's dynamic kobject */
	struct vmxcap_set *set;
};

/* "usable", "disabled_by_firmware", ..., or "no_vmx" without VMX in CPUID. */
const char *vmxcap_set_status(const struct vmxcap_set *s);

/* vmxcap_sysfs.c: the tree.  publish takes over @cand, a filled-in set. */
extern struct mutex vmxcap_lock;
int vmxcap_sysfs_init(void);
void vmxcap_sysfs_exit(void);
int vmxcap_cpu_publish(unsigned int cpu, struct vmxcap_set *cand);
void vmxcap_cpu_unpublish(unsigned int cpu);
void vmxcap_log_summary(void);
struct vmxcap_cpu *vmxcap_cpu_of(struct kobject *kobj);
struct vmxcap_set *vmxcap_set_of(struct kobject *kobj);

/*
 * vmxcap_files.c: what each file shows.  A file larger than a page is a
 * bin_attribute whose text is built under vmxcap_lock, twice (measure,
 * then write), and served from that snapshot.
 */
struct vmxcap_text {
	char *buf;		/* NULL while measuring */
	size_t size;
	size_t len;
};

__printf(2, 3) void vmxcap_text_add(struct vmxcap_text *t, const char *fmt, ...);

struct vmxcap_text_attr {
	struct bin_attribute ba;
	/* Caller holds vmxcap_lock; an error ends the read with it. */
	int (*text)(struct vmxcap_text *t, struct kobject *kobj);
};

ssize_t vmxcap_text_read(struct file *file, struct kobject *kobj,
			 VMXCAP_BIN_ATTR *ba, char *buf, loff_t off,
			 size_t count);

#define VMXCAP_TEXT_ATTR(_var, _name, _text) \
	struct vmxcap_text_attr _var = {				\
		.ba = {							\
			.attr = { .name = _name, .mode = 0444 },	\
			.read = vmxcap_text_read,			\
		},							\
		.text = (_text),					\
	}

extern const struct attribute_group vmxcap_cpu_group;
extern const struct attribute_group vmxcap_set_group;
extern const char *vmxcap_dir_names[VMXCAP_NR_DIRS];
extern struct attribute_group vmxcap_dir_groups[VMXCAP_NR_DIRS];
bool vmxcap_set_has_dir(const struct vmxcap_set *s, unsigned int dir);
/* The kernel's vendor string of @cpu, one printable word. */
void vmxcap_cpu_vendor(unsigned int cpu, char vendor[13]);
int vmxcap_files_init(void);
void vmxcap_files_exit(void);

#endif /* VMXCAP_MOD_H */
