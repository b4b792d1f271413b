// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: when there is no /sys/kernel/vmxcap, say why - with CPUID
 * read in userspace (is there VMX at all? a hypervisor?) and libkmod (is
 * the module installed? loaded?).
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/utsname.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "vmxcap-show.h"

struct host_cpu {
	bool known;
	char vendor[13];
	int family, model, stepping;
	bool vmx, hypervisor;
	char hv_vendor[13];
};

static void read_cpuid(struct host_cpu *h)
{
	memset(h, 0, sizeof(*h));
#if defined(__x86_64__) || defined(__i386__)
	{
		unsigned int a, b, c, d;

		if (!__get_cpuid(0, &a, &b, &c, &d))
			return;
		memcpy(h->vendor, &b, 4);
		memcpy(h->vendor + 4, &d, 4);
		memcpy(h->vendor + 8, &c, 4);
		if (a < 1 || !__get_cpuid(1, &a, &b, &c, &d))
			return;
		h->known = true;
		h->family = (int)((a >> 8) & 0xf);
		h->model = (int)((a >> 4) & 0xf);
		if (h->family == 0xf)
			h->family += (int)((a >> 20) & 0xff);
		if (h->family == 0x6 || h->family >= 0xf)
			h->model |= (int)((a >> 16) & 0xf) << 4;
		h->stepping = (int)(a & 0xf);
		h->vmx = (c >> 5) & 1;
		h->hypervisor = (c >> 31) & 1;
		if (h->hypervisor) {
			/* The hypervisor's signature leaf (KVMKVMKVM, Microsoft Hv, ...). */
			__cpuid(0x40000000, a, b, c, d);
			memcpy(h->hv_vendor, &b, 4);
			memcpy(h->hv_vendor + 4, &c, 4);
			memcpy(h->hv_vendor + 8, &d, 4);
			for (a = 0; a < 12; a++)
				if (h->hv_vendor[a] && (h->hv_vendor[a] < ' ' || h->hv_vendor[a] > '~'))
					h->hv_vendor[a] = '?';
		}
	}
#endif
}

int vs_diagnose(const char *sysfs_dir, bool require, FILE *out)
{
	struct host_cpu h;
	struct utsname u;
	char path[4096], hv[64] = "";
	enum vs_module_state st = vs_module_state("vmxcap", path, sizeof(path));

	uname(&u);
	read_cpuid(&h);
	if (h.hypervisor)
		snprintf(hv, sizeof(hv), "running under a hypervisor (%s)",
			 h.hv_vendor[0] ? h.hv_vendor : "unnamed");
	if (require) {
		if (h.known && !h.vmx) {
			fprintf(out, "vmxcap-show: NO: this CPU (%s) has no VMX in CPUID%s%s\n", h.vendor,
				hv[0] ? "; " : "", hv[0] ? hv : "");
			return 1;
		}
		vs_error("cannot tell: %s does not exist (the vmxcap module is %s); %s",
			 sysfs_dir, st == VS_MOD_LOADED ? "loaded but published nothing" :
			 st == VS_MOD_INSTALLED ? "not loaded: sudo modprobe vmxcap" :
			 "not installed: install it with DKMS", "or use --input DUMP");
		return 2;
	}
	fprintf(out, "vmxcap-show: %s does not exist.\n", sysfs_dir);
	if (h.known)
		fprintf(out, "  This CPU: %s family 0x%x model 0x%x stepping 0x%x; VMX in CPUID: %s%s%s\n",
			h.vendor, h.family, h.model, h.stepping, h.vmx ? "yes" : "no",
			hv[0] ? "; " : "", hv);
	switch (st) {
	case VS_MOD_LOADED:
		fprintf(out, "  The vmxcap module is loaded but published nothing: see dmesg.\n");
		break;
	case VS_MOD_INSTALLED:
		fprintf(out, "  The vmxcap module is installed (%s) but not loaded.\n", path);
		break;
	case VS_MOD_NOT_INSTALLED:
		fprintf(out, "  The vmxcap module is not installed for kernel %s.\n", u.release);
		break;
	default:
		fprintf(out, "  Whether the vmxcap module is installed is unknown (libkmod failed).\n");
		break;
	}
	if (h.known && !h.vmx) {
		if (!strcmp(h.vendor, "AuthenticAMD") || !strcmp(h.vendor, "HygonGenuine"))
			fprintf(out, "  => This CPU has no VMX: it is an AMD CPU (AMD-V/SVM), which vmxcap does not describe.\n");
		else
			fprintf(out, "  => This CPU reports no VMX%s.\n",
				h.hypervisor ? ": the hypervisor does not expose VT-x to this guest (enable nested virtualization in the host)" :
				": VT-x is absent, or hidden by the firmware");
		fprintf(out, "  The module refuses to load here. To see a real CPU's capabilities, use\n"
			"  vmxcap-show --input DUMP (a --dump from another machine) or --sysfs-root DIR.\n");
		return 1;
	}
	if (st == VS_MOD_INSTALLED)
		fprintf(out, "  => Load it: sudo modprobe vmxcap   (or: sudo vmxcap-show --load)\n");
	else if (st == VS_MOD_NOT_INSTALLED)
		fprintf(out, "  => Install it with DKMS (see the README: sudo dkms install vmxcap/VERSION), then: sudo modprobe vmxcap\n");
	return 1;
}
