// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: when there is no /sys/kernel/vmxcap, say why - with CPUID
 * read in userspace (is there VMX at all? a hypervisor?) and libkmod (is the
 * module installed? loaded?) - and load it on request.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include <libkmod.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "vmxcap-show.h"

#define MODNAME "vmxcap"

/*
 * libkmod is opened only here, when there is no tree to read: linking it
 * drags libcrypto, libzstd and liblzma into every start, which cost more
 * (4 ms) than decoding 1024 CPUs.  The prototypes stay libkmod.h's.
 */
#define KMOD_FUNCS(X) X(kmod_new) X(kmod_unref) X(kmod_list_next) \
	X(kmod_module_new_from_lookup) X(kmod_module_new_from_name) \
	X(kmod_module_get_module) X(kmod_module_get_path) X(kmod_module_get_name) \
	X(kmod_module_get_initstate) X(kmod_module_unref) X(kmod_module_unref_list) \
	X(kmod_module_probe_insert_module)
#define KMOD_DECLARE(f) __typeof__(f) *p_##f;
static struct {
	KMOD_FUNCS(KMOD_DECLARE)
} kmod;
#define kmod_new kmod.p_kmod_new
#define kmod_unref kmod.p_kmod_unref
#define kmod_list_next kmod.p_kmod_list_next
#define kmod_module_new_from_lookup kmod.p_kmod_module_new_from_lookup
#define kmod_module_new_from_name kmod.p_kmod_module_new_from_name
#define kmod_module_get_module kmod.p_kmod_module_get_module
#define kmod_module_get_path kmod.p_kmod_module_get_path
#define kmod_module_get_name kmod.p_kmod_module_get_name
#define kmod_module_get_initstate kmod.p_kmod_module_get_initstate
#define kmod_module_unref kmod.p_kmod_module_unref
#define kmod_module_unref_list kmod.p_kmod_module_unref_list
#define kmod_module_probe_insert_module kmod.p_kmod_module_probe_insert_module

/* Opens libkmod once; false (with the reason in vs_error) when it cannot. */
static bool kmod_open(void)
{
	static int state;	/* 0 not tried, 1 open, -1 failed */
	void *h;

	if (state)
		return state > 0;
	state = -1;
	h = dlopen("libkmod.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		vs_error("libkmod.so.2 cannot be loaded (install libkmod2): %s", dlerror());
		return false;
	}
#define KMOD_RESOLVE(f) \
	kmod.p_##f = (__typeof__(kmod.p_##f))dlsym(h, #f); \
	if (!kmod.p_##f) { \
		vs_error("libkmod.so.2 lacks %s", #f); \
		return false; \
	}
	KMOD_FUNCS(KMOD_RESOLVE)
	state = 1;
	return true;
}

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

enum mod_state { MOD_UNKNOWN, MOD_NOT_INSTALLED, MOD_INSTALLED, MOD_LOADED };

static enum mod_state module_state(char *path, size_t size)
{
	struct kmod_ctx *ctx = kmod_open() ? kmod_new(NULL, NULL) : NULL;
	struct kmod_list *list = NULL, *l;
	enum mod_state st = MOD_NOT_INSTALLED;

	path[0] = '\0';
	if (!ctx)
		return MOD_UNKNOWN;
	if (kmod_module_new_from_lookup(ctx, MODNAME, &list) < 0) {
		kmod_unref(ctx);
		return MOD_UNKNOWN;
	}
	kmod_list_foreach(l, list) {
		struct kmod_module *mod = kmod_module_get_module(l);
		const char *p = kmod_module_get_path(mod);
		int init = kmod_module_get_initstate(mod);

		if (strcmp(kmod_module_get_name(mod), MODNAME)) {
			kmod_module_unref(mod);
			continue;
		}
		if (p) {
			snprintf(path, size, "%s", p);
			st = MOD_INSTALLED;
		}
		if (init == KMOD_MODULE_LIVE || init == KMOD_MODULE_COMING)
			st = MOD_LOADED;
		kmod_module_unref(mod);
	}
	kmod_module_unref_list(list);
	kmod_unref(ctx);
	return st;
}

int vs_load_module(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = NULL;
	struct utsname u;
	int err;

	if (!kmod_open())
		return -1;
	ctx = kmod_new(NULL, NULL);
	uname(&u);
	if (!ctx) {
		vs_error("--load: libkmod could not start");
		return -1;
	}
	if (kmod_module_new_from_name(ctx, MODNAME, &mod) < 0 || !kmod_module_get_path(mod)) {
		vs_error("--load: vmxcap.ko is not installed for kernel %s: install it with DKMS (see the README)",
			 u.release);
		goto fail;
	}
	if (kmod_module_get_initstate(mod) == KMOD_MODULE_LIVE)
		goto done;
	err = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL, NULL);
	if (err == -EPERM || err == -EACCES) {
		vs_error("--load: loading a kernel module needs root (CAP_SYS_MODULE): run sudo vmxcap-show --load");
		goto fail;
	}
	if (err == -ENODEV) {
		vs_error("--load: the kernel refused vmxcap: no online CPU has VMX (see dmesg)");
		goto fail;
	}
	if (err < 0) {
		vs_error("--load: loading %s failed: %s", kmod_module_get_path(mod), strerror(-err));
		goto fail;
	}
done:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return 0;
fail:
	if (mod)
		kmod_module_unref(mod);
	kmod_unref(ctx);
	return -1;
}

int vs_explain(const char *sysfs_dir, bool require, FILE *out)
{
	struct host_cpu h;
	struct utsname u;
	char path[4096], hv[64] = "";
	enum mod_state st = module_state(path, sizeof(path));

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
			 sysfs_dir, st == MOD_LOADED ? "loaded but published nothing" :
			 st == MOD_INSTALLED ? "not loaded: sudo modprobe vmxcap" :
			 "not installed: install it with DKMS", "or use --input DUMP");
		return 2;
	}
	fprintf(out, "vmxcap-show: %s does not exist.\n", sysfs_dir);
	if (h.known)
		fprintf(out, "  This CPU: %s family 0x%x model 0x%x stepping 0x%x; VMX in CPUID: %s%s%s\n",
			h.vendor, h.family, h.model, h.stepping, h.vmx ? "yes" : "no",
			hv[0] ? "; " : "", hv);
	switch (st) {
	case MOD_LOADED:
		fprintf(out, "  The vmxcap module is loaded but published nothing: see dmesg.\n");
		break;
	case MOD_INSTALLED:
		fprintf(out, "  The vmxcap module is installed (%s) but not loaded.\n", path);
		break;
	case MOD_NOT_INSTALLED:
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
	if (st == MOD_INSTALLED)
		fprintf(out, "  => Load it: sudo modprobe vmxcap   (or: sudo vmxcap-show --load)\n");
	else if (st == MOD_NOT_INSTALLED)
		fprintf(out, "  => Install it with DKMS (see the README: sudo dkms install vmxcap/VERSION), then: sudo modprobe vmxcap\n");
	return 1;
}
