/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxcap.ko internals shared by the CPU reader (vmxcap_main.c) and the
 * sysfs tree (vmxcap_sysfs.c).
 */
#ifndef VMXCAP_MOD_H
#define VMXCAP_MOD_H

#include <linux/kobject.h>
#include <linux/types.h>
#include <linux/version.h>
#include <asm/cpufeatures.h>

#include <vmxcap/vmxcap.h>

/*
 * The kernel release we are built for, in the decoder's VMXCAP_KVER()
 * form, so that cpuN/vmx_flags names what this kernel's /proc/cpuinfo
 * names.  LINUX_VERSION_MAJOR/PATCHLEVEL exist in every supported release.
 */
#define VMXCAP_KVER_RUNNING \
	VMXCAP_KVER(LINUX_VERSION_MAJOR, LINUX_VERSION_PATCHLEVEL)

/* CPUID.1:ECX bits, as the kernel's own feature words number them. */
#define VMXCAP_CPUID1_ECX_VMX		BIT(X86_FEATURE_VMX & 31)
#define VMXCAP_CPUID1_ECX_HYPERVISOR	BIT(X86_FEATURE_HYPERVISOR & 31)

/*
 * What one CPU reported when it came online.  Written once on that CPU
 * before the object is published, read-only afterwards, so sysfs readers
 * need no lock.  The sysfs nodes of the CPU's files cost far more than
 * this object (see vmxcap_sysfs.c).
 */
struct vmxcap_cpu {
	struct kobject *kobj;	/* its directory: the kernel's dynamic kobject */
	struct vmxcap_raw raw;
	u32 vendor[3];		/* CPUID.0 EBX, EDX, ECX: "GenuineIntel" */
	u32 signature;		/* CPUID.1 EAX: family, model, stepping */
	u32 ecx1;		/* CPUID.1 ECX: VMX, hypervisor present */
};

static inline bool vmxcap_cpu_has_vmx(const struct vmxcap_cpu *c)
{
	return c->ecx1 & VMXCAP_CPUID1_ECX_VMX;
}

static inline bool vmxcap_cpu_has_hypervisor(const struct vmxcap_cpu *c)
{
	return c->ecx1 & VMXCAP_CPUID1_ECX_HYPERVISOR;
}

/* "usable", "disabled_by_firmware", ..., or "no_vmx" without VMX in CPUID. */
const char *vmxcap_cpu_status(const struct vmxcap_cpu *c);

/* vmxcap_sysfs.c; publish takes over @c, freeing it on failure. */
int vmxcap_sysfs_init(void);
void vmxcap_sysfs_exit(void);
int vmxcap_cpu_publish(struct vmxcap_cpu *c, unsigned int cpu);
void vmxcap_cpu_unpublish(unsigned int cpu);
void vmxcap_log_summary(void);

#endif /* VMXCAP_MOD_H */
