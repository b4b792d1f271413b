// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap: every CPU's Intel VMX capabilities in /sys/kernel/vmxcap.
 *
 * This file reads the CPUs: CPUID, IA32_FEATURE_CONTROL and the VMX
 * capability MSRs, once per CPU when it comes online.  vmxcap_sysfs.c
 * publishes what they said.  All decoding is the shared decoder's
 * (include/vmxcap/): the module holds no bit table of its own, and it
 * never writes an MSR.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpuhotplug.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/version.h>
#include <asm/cpu_device_id.h>
#include <asm/msr.h>
#include <asm/processor.h>
#ifdef VMXCAP_HAVE_ASM_CPUID_API_H
/* cpuid() moved here in 6.16; before, <asm/processor.h> has it. */
#include <asm/cpuid/api.h>
#endif

#include "vmxcap_mod.h"

#ifdef VMXCAP_TEST_FAKE_VMX
/*
 * Test builds only (tests/vm's debug-kernel machines build with
 * VMXCAP_TEST_FAKE_VMX=1; DKMS and the packages never do): CPUs without
 * VMX, QEMU's, count as having it, so that the lifetime tests run on a
 * debug kernel at QEMU's speed.  The MSRs then read as QEMU answers them.
 */
static bool fake_vmx;
module_param(fake_vmx, bool, 0444);
MODULE_PARM_DESC(fake_vmx, "test builds only: treat every CPU as having VMX");
#define VMXCAP_FAKE_VMX_BIT	(fake_vmx ? VMXCAP_CPUID1_ECX_VMX : 0)
#else
#define VMXCAP_FAKE_VMX_BIT	0
#endif

/*
 * Linux 6.16 renamed the 64-bit MSR readers from rdmsrl*() to rdmsrq*(),
 * and 7.2 removed the old names; Kbuild looks for the new one in the
 * headers rather than trusting a version number.
 */
static int vmxcap_rdmsr_safe_on_cpu(unsigned int cpu, u32 msr, u64 *val)
{
#ifdef VMXCAP_HAVE_RDMSRQ
	return rdmsrq_safe_on_cpu(cpu, msr, val);
#else
	return rdmsrl_safe_on_cpu(cpu, msr, val);
#endif
}

/*
 * Reads the MSRs that the decoder says exist, round by round: an MSR
 * behind a gate (PROCBASED2 behind PROCBASED, EPT_VPID_CAP behind
 * PROCBASED2, ...) is known to exist only once its gate was read.  Every
 * round reads at least one new MSR, so VMXCAP_NR_MSRS rounds bound the
 * loop whatever the decoder answers.  A faulting read is recorded, never
 * fatal.
 */
static void vmxcap_read_msrs(unsigned int cpu, struct vmxcap_raw *raw)
{
	unsigned int round, m;
	u64 val;

	for (round = 0; round < VMXCAP_NR_MSRS; round++) {
		u32 todo = vmxcap_msrs_existing(raw) & VMXCAP_ALL_MSRS &
			   ~(raw->present | raw->faulted);

		if (!todo)
			return;
		for (m = 0; m < VMXCAP_NR_MSRS; m++) {
			if (!(todo & VMXCAP_MSR_BIT(m)))
				continue;
			if (vmxcap_rdmsr_safe_on_cpu(cpu, vmxcap_msrs[m].index, &val)) {
				raw->faulted |= VMXCAP_MSR_BIT(m);
				raw->val[m] = 0;
			} else {
				raw->present |= VMXCAP_MSR_BIT(m);
				raw->val[m] = val;
			}
		}
	}
}

/*
 * Runs on the CPU it describes.  VMX presence comes from CPUID alone:
 * Linux clears X86_FEATURE_VMX when firmware locked VMX off (the case
 * users most need explained), and QEMU answers the VMX MSRs with 0
 * instead of faulting, so neither can tell.  The CPU's identity is the
 * kernel's (cpu_data()), read when a file shows it.
 */
static void vmxcap_read_vmx_bit(void *info)
{
	bool *vmx = info;

	*vmx = cpuid_eax(0) >= 1 &&
	       ((cpuid_ecx(1) | VMXCAP_FAKE_VMX_BIT) & VMXCAP_CPUID1_ECX_VMX);
}

/* Set once loading is done: from then on a failure here never fails a CPU. */
static bool vmxcap_loaded;

static int vmxcap_cpu_read_and_publish(unsigned int cpu)
{
	struct vmxcap_set *cand;
	int err;

	cand = kzalloc(sizeof(*cand), GFP_KERNEL);
	if (!cand)
		return -ENOMEM;
	if (!zalloc_cpumask_var(&cand->cpus, GFP_KERNEL)) {
		kfree(cand);
		return -ENOMEM;
	}
	/*
	 * The hotplug thread that calls us is bound to @cpu, so both the
	 * CPUID call and the _on_cpu() MSR readers run right here, without
	 * an IPI; from anywhere else they would still run on @cpu.
	 */
	err = smp_call_function_single(cpu, vmxcap_read_vmx_bit, &cand->vmx, 1);
	if (!err && cand->vmx)
		vmxcap_read_msrs(cpu, &cand->raw);
	if (err) {
		free_cpumask_var(cand->cpus);
		kfree(cand);
		return err;
	}
	return vmxcap_cpu_publish(cpu, cand);
}

/*
 * While the module loads, an error fails the load (cpuhp_setup_state()
 * rolls back).  Afterwards an error would make cpuhp roll the CPU back
 * offline: a reporting module must not decide that, so the CPU comes
 * online unpublished and the log says so.
 */
static int vmxcap_cpu_online(unsigned int cpu)
{
	int err = vmxcap_cpu_read_and_publish(cpu);

	if (err && READ_ONCE(vmxcap_loaded)) {
		pr_warn_ratelimited("cpu%u: not published (error %d)\n", cpu, err);
		return 0;
	}
	return err;
}

static int vmxcap_cpu_offline(unsigned int cpu)
{
	vmxcap_cpu_unpublish(cpu);
	return 0;
}

static void vmxcap_probe_cpu(void *info)
{
	atomic_t *vmx_cpus = info;
	bool vmx;

	vmxcap_read_vmx_bit(&vmx);
	if (vmx)
		atomic_inc(vmx_cpus);
}

/* One line on why there is nothing to publish. */
static void vmxcap_explain_no_vmx(void)
{
	pr_info("not loading: no online CPU has VMX in CPUID (vendor %.12s, %s)\n",
		boot_cpu_data.x86_vendor_id,
		boot_cpu_has(X86_FEATURE_HYPERVISOR) ?
		"running under a hypervisor that does not offer VMX" :
		"no hypervisor");
}

static enum cpuhp_state vmxcap_hp_state;

static int __init vmxcap_init(void)
{
	atomic_t vmx_cpus = ATOMIC_INIT(0);
	int ret;

	/*
	 * Deliberately not x86_match_cpu(vmxcap_cpu_ids): the kernel clears
	 * X86_FEATURE_VMX on machines whose firmware disabled VMX, and those
	 * are the ones whose status most needs publishing.
	 */
	on_each_cpu(vmxcap_probe_cpu, &vmx_cpus, 1);
	if (!atomic_read(&vmx_cpus)) {
		vmxcap_explain_no_vmx();
		return -ENODEV;
	}

	ret = vmxcap_sysfs_init();
	if (ret)
		return ret;
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "x86/vmxcap:online",
				vmxcap_cpu_online, vmxcap_cpu_offline);
	if (ret < 0) {
		vmxcap_sysfs_exit();
		return ret;
	}
	vmxcap_hp_state = ret;
	WRITE_ONCE(vmxcap_loaded, true);
	vmxcap_log_summary();
	return 0;
}

static void __exit vmxcap_exit(void)
{
	cpuhp_remove_state(vmxcap_hp_state);
	vmxcap_sysfs_exit();
}

module_init(vmxcap_init);
module_exit(vmxcap_exit);

/*
 * Autoload where the kernel sees VMX.  A machine whose firmware disabled
 * VMX has no "vmx" CPU feature, so udev does not load us there: load by
 * hand with "modprobe vmxcap" to find out why.
 */
static const struct x86_cpu_id vmxcap_cpu_ids[] = {
	X86_MATCH_FEATURE(X86_FEATURE_VMX, NULL),
	{}
};
MODULE_DEVICE_TABLE(x86cpu, vmxcap_cpu_ids);

MODULE_DESCRIPTION("Intel VMX capabilities of every CPU in /sys/kernel/vmxcap");
MODULE_VERSION(VMXCAP_VERSION);
MODULE_AUTHOR("The vmxcap authors");
MODULE_LICENSE("GPL");
