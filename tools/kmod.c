// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: kernel modules through libkmod - is one installed, loaded;
 * load it as modprobe would.  libkmod is opened with dlopen() only when
 * needed: linking it drags libcrypto, libzstd and liblzma into every
 * start, which cost more (4 ms) than decoding 1024 CPUs.  The functions
 * keep libkmod.h's prototypes through __typeof__.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include <libkmod.h>

#include "vmxcap-show.h"

static struct {
	__typeof__(kmod_new) *new_ctx;
	__typeof__(kmod_unref) *unref_ctx;
	__typeof__(kmod_list_next) *list_next;
	__typeof__(kmod_module_new_from_lookup) *from_lookup;
	__typeof__(kmod_module_new_from_name) *from_name;
	__typeof__(kmod_module_get_module) *get_module;
	__typeof__(kmod_module_get_path) *get_path;
	__typeof__(kmod_module_get_name) *get_name;
	__typeof__(kmod_module_get_initstate) *get_initstate;
	__typeof__(kmod_module_unref) *unref;
	__typeof__(kmod_module_unref_list) *unref_list;
	__typeof__(kmod_module_probe_insert_module) *probe_insert;
} lib;

static bool resolve(void *h, const char *name, void **fn)
{
	*fn = dlsym(h, name);
	if (!*fn)
		vs_error("libkmod.so.2 lacks %s", name);
	return *fn != NULL;
}

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
	if (!resolve(h, "kmod_new", (void **)&lib.new_ctx) ||
	    !resolve(h, "kmod_unref", (void **)&lib.unref_ctx) ||
	    !resolve(h, "kmod_list_next", (void **)&lib.list_next) ||
	    !resolve(h, "kmod_module_new_from_lookup", (void **)&lib.from_lookup) ||
	    !resolve(h, "kmod_module_new_from_name", (void **)&lib.from_name) ||
	    !resolve(h, "kmod_module_get_module", (void **)&lib.get_module) ||
	    !resolve(h, "kmod_module_get_path", (void **)&lib.get_path) ||
	    !resolve(h, "kmod_module_get_name", (void **)&lib.get_name) ||
	    !resolve(h, "kmod_module_get_initstate", (void **)&lib.get_initstate) ||
	    !resolve(h, "kmod_module_unref", (void **)&lib.unref) ||
	    !resolve(h, "kmod_module_unref_list", (void **)&lib.unref_list) ||
	    !resolve(h, "kmod_module_probe_insert_module", (void **)&lib.probe_insert))
		return false;
	state = 1;
	return true;
}

enum vs_module_state vs_module_state(const char *name, char *path, size_t size)
{
	struct kmod_ctx *ctx = kmod_open() ? lib.new_ctx(NULL, NULL) : NULL;
	struct kmod_list *list = NULL, *l;
	enum vs_module_state st = VS_MOD_NOT_INSTALLED;

	path[0] = '\0';
	if (!ctx)
		return VS_MOD_UNKNOWN;
	if (lib.from_lookup(ctx, name, &list) < 0) {
		lib.unref_ctx(ctx);
		return VS_MOD_UNKNOWN;
	}
	for (l = list; l; l = lib.list_next(list, l)) {
		struct kmod_module *mod = lib.get_module(l);
		const char *p = lib.get_path(mod);
		int init = lib.get_initstate(mod);

		if (strcmp(lib.get_name(mod), name)) {
			lib.unref(mod);
			continue;
		}
		if (p) {
			snprintf(path, size, "%s", p);
			st = VS_MOD_INSTALLED;
		}
		if (init == KMOD_MODULE_LIVE || init == KMOD_MODULE_COMING)
			st = VS_MOD_LOADED;
		lib.unref(mod);
	}
	lib.unref_list(list);
	lib.unref_ctx(ctx);
	return st;
}

int vs_module_load(const char *name, const char *what)
{
	bool ours = !strcmp(name, "vmxcap");	/* whose errors we can advise on */
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	struct utsname u;
	int err, ret = -1;

	if (!kmod_open())
		return -1;
	ctx = lib.new_ctx(NULL, NULL);
	if (!ctx) {
		vs_error("%s: libkmod could not start", what);
		return -1;
	}
	uname(&u);
	if (lib.from_name(ctx, name, &mod) < 0 || !lib.get_path(mod)) {
		vs_error("%s: %s.ko is not installed for kernel %s%s", what, name, u.release,
			 ours ? ": install it with DKMS (see the README)" : "");
		goto out;
	}
	if (lib.get_initstate(mod) == KMOD_MODULE_LIVE) {
		ret = 0;
		goto out;
	}
	err = lib.probe_insert(mod, 0, NULL, NULL, NULL, NULL);
	if (err == -EPERM || err == -EACCES)
		vs_error("%s: loading a kernel module needs root (CAP_SYS_MODULE)%s", what,
			 ours ? ": run sudo vmxcap-show --load" : "");
	else if (err == -ENODEV && ours)
		vs_error("%s: the kernel refused vmxcap: no online CPU has VMX (see dmesg)", what);
	else if (err < 0)
		vs_error("%s: loading %s failed: %s", what, lib.get_path(mod), strerror(-err));
	else
		ret = 0;
out:
	if (mod)
		lib.unref(mod);
	lib.unref_ctx(ctx);
	return ret;
}
