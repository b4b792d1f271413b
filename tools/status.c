// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: each CPU's verdict - no VMX, usable, disabled by firmware,
 * only inside SMX, unlocked - and what to do about it.  From
 * IA32_FEATURE_CONTROL when it was read; else inferred from Linux's view:
 * the kernel clears "vmx" from its flags at boot when the MSR is locked
 * with VMX off (arch/x86/kernel/cpu/feat_ctl.c, "VMX (outside TXT)
 * disabled by BIOS"), and keeps it otherwise, locking it on if unlocked.
 */
#include <string.h>

#include "vmxcap-show.h"

enum vs_status vs_cpu_status(const struct vs_cpu *c, bool *inferred)
{
	*inferred = false;
	if (c->facts->vmx == 0 || (!c->raw->present && c->raw->faulted))
		return VS_STATUS_NO_VMX;
	if (vmxcap_has(c->raw, VMXCAP_FEATURE_CONTROL)) {
		switch (vmxcap_fc_verdict(c->raw)) {
		case VMXCAP_FC_USABLE:
			return VS_STATUS_USABLE;
		case VMXCAP_FC_DISABLED:
			return VS_STATUS_DISABLED;
		case VMXCAP_FC_SMX_ONLY:
			return VS_STATUS_SMX_ONLY;
		case VMXCAP_FC_UNLOCKED:
			return VS_STATUS_UNLOCKED;
		default:
			return VS_STATUS_UNKNOWN;
		}
	}
	if (c->raw->present || c->raw->faulted || c->facts->linux_vmx < 0)
		return VS_STATUS_UNKNOWN;	/* a partial dump, or a faulted read */
	*inferred = true;
	if (c->facts->linux_vmx)
		return VS_STATUS_USABLE;
	if (c->facts->linux_hid_vmx)
		return VS_STATUS_UNKNOWN;	/* clearcpuid=vmx: says nothing of firmware */
	/* VMX in CPUID, not in Linux's flags: the kernel cleared it. */
	return c->facts->vmx == 1 ? VS_STATUS_DISABLED : VS_STATUS_UNKNOWN;
}

bool vs_status_blocks(enum vs_status s)
{
	return s == VS_STATUS_NO_VMX || s == VS_STATUS_DISABLED || s == VS_STATUS_SMX_ONLY;
}

const char *vs_status_id(enum vs_status s)
{
	static const char *const ids[] = {
		[VS_STATUS_NO_VMX] = "no_vmx",
		[VS_STATUS_USABLE] = "usable",
		[VS_STATUS_DISABLED] = "disabled_by_firmware",
		[VS_STATUS_SMX_ONLY] = "smx_only",
		[VS_STATUS_UNLOCKED] = "unlocked",
		[VS_STATUS_UNKNOWN] = "unknown",
	};

	return ids[s];
}

const char *vs_status_words(enum vs_status s)
{
	static const char *const words[] = {
		[VS_STATUS_NO_VMX] = "not in CPUID",
		[VS_STATUS_USABLE] = "usable",
		[VS_STATUS_DISABLED] = "disabled by firmware",
		[VS_STATUS_SMX_ONLY] = "SMX (TXT) only",
		[VS_STATUS_UNLOCKED] = "unlocked",
		[VS_STATUS_UNKNOWN] = "unknown",
	};

	return words[s];
}

/* The hypervisor as people know it: "KVM", else its signature, else "a hypervisor". */
static void hypervisor(const struct vs_cpu *c, char *buf, size_t size)
{
	const char *name = vs_hypervisor_name(c->facts->hv_vendor);

	if (name)
		snprintf(buf, size, "%s", name);
	else if (c->facts->hv_vendor[0])
		snprintf(buf, size, "the hypervisor '%s'", c->facts->hv_vendor);
	else
		snprintf(buf, size, "the hypervisor");
}

static bool amd(const struct vs_cpu *c)
{
	const char *v = c->facts->vendor;

	return !strcmp(v, "AuthenticAMD") || !strcmp(v, "HygonGenuine");
}

void vs_status_explain(const struct vs_cpu *c, enum vs_status s, bool inferred,
		       char *buf, size_t size)
{
	char hv[64];

	hypervisor(c, hv, sizeof(hv));
	switch (s) {
	case VS_STATUS_NO_VMX:
		if (amd(c) && c->facts->svm == 1)
			snprintf(buf, size, "an AMD CPU: its virtualization is AMD-V (SVM, in CPUID here), which vmxcap does not describe");
		else if (amd(c) && c->facts->hypervisor == 1)
			snprintf(buf, size, "an AMD CPU in a virtual machine: %s offers it neither VMX nor SVM%s",
				 hv, c->facts->svm == 0 ? " (no SVM in CPUID either)" : "");
		else if (amd(c))
			snprintf(buf, size, "an AMD CPU: its virtualization is AMD-V (SVM)%s, which vmxcap does not describe",
				 c->facts->svm == 0 ? ", but CPUID shows no SVM: disabled in the firmware setup, or absent" : "");
		else if (c->facts->hypervisor == 1)
			snprintf(buf, size, "%s does not offer VMX to this virtual machine: enable nested virtualization for it in the host",
				 hv);
		else
			snprintf(buf, size, "CPUID.1:ECX[5] is 0: this CPU does not report VT-x");
		break;
	case VS_STATUS_USABLE:
		snprintf(buf, size, "%s", inferred ?
			 "Linux kept vmx in its flags: IA32_FEATURE_CONTROL allows VMXON (the kernel locks it so if firmware left it unlocked)" :
			 "IA32_FEATURE_CONTROL is locked with VMX enabled outside SMX: hypervisors can use it");
		break;
	case VS_STATUS_DISABLED:
		snprintf(buf, size, "%s; %s%s",
			 inferred ? "CPUID reports VMX, but Linux cleared vmx from its flags at boot, as it does when firmware locked IA32_FEATURE_CONTROL with VMX off (dmesg: \"VMX (outside TXT) disabled by BIOS\")" :
			 "IA32_FEATURE_CONTROL is locked with VMX off",
			 /* Locked off is also how CPUs without VMX leave the MSR. */
			 c->facts->vmx != 1 && !vmxcap_has(c->raw, VMXCAP_BASIC) ?
			 "whether this CPU has VMX at all is unknown (no CPUID, no VMX capability MSR recorded); if CPUID.1:ECX[5] is 1, " : "",
			 c->facts->hypervisor == 1 ?
			 "in a virtual machine, the host's hypervisor set it so: enable nested virtualization for this VM in the host" :
			 "enable VT-x (Intel Virtualization Technology) in the firmware setup");
		break;
	case VS_STATUS_SMX_ONLY:
		snprintf(buf, size, "IA32_FEATURE_CONTROL is locked with VMX enabled only inside SMX (Intel TXT): launch the OS with tboot, or disable TXT in the firmware setup");
		break;
	case VS_STATUS_UNLOCKED:
		snprintf(buf, size, "IA32_FEATURE_CONTROL is not locked: the kernel locks it at boot, with VMX enabled when it is built with KVM");
		break;
	default:
		if (c->facts->linux_hid_vmx) {
			snprintf(buf, size, "the kernel was booted with clearcpuid=vmx, which hides VMX from its flags whatever the firmware allows; as root (msr.ko) or with vmxcap.ko the MSRs tell");
			break;
		}
		snprintf(buf, size, "%s", c->raw->faulted & VMXCAP_MSR_BIT(VMXCAP_FEATURE_CONTROL) ?
			 "reading IA32_FEATURE_CONTROL faulted: whether VMXON is allowed is unknown" :
			 "IA32_FEATURE_CONTROL (MSR 0x3a) was not read or not recorded: whether firmware allows VMXON is unknown");
		break;
	}
}

void vs_format_hypervisor(const struct vs_cpu *c, char *buf, size_t size)
{
	const char *name = vs_hypervisor_name(c->facts->hv_vendor);

	if (name)
		snprintf(buf, size, "%s (signature %s)", name, c->facts->hv_vendor);
	else if (c->facts->hv_vendor[0])
		snprintf(buf, size, "signature '%s'", c->facts->hv_vendor);
	else
		snprintf(buf, size, "present (CPUID.1:ECX[31]; signature not recorded)");
}
