// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: which source describes this machine.  The best that works,
 * in order: vmxcap.ko's tree (everything, no privilege), msr.ko (the same
 * MSRs, as root), /proc/cpuinfo with CPUID (what Linux names, anyone).
 * Each one passed over leaves a note saying why, and what would make it
 * work, for the output to show beside what the chosen one cannot know.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "vmxcap-show.h"

static const char *const source_names[] = {
	[VS_SOURCE_AUTO] = "auto",
	[VS_SOURCE_SYSFS] = "sysfs",
	[VS_SOURCE_MSR] = "msr",
	[VS_SOURCE_CPUINFO] = "cpuinfo",
	[VS_SOURCE_KVM] = "kvm",
};

int vs_source_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(source_names); i++)
		if (!strcmp(name, source_names[i]))
			return (int)i;
	return -1;
}

void vs_machine_note(struct vs_machine *m, const char *fmt, ...)
{
	va_list ap;

	if (m->nnotes == ARRAY_LEN(m->notes))
		return;
	va_start(ap, fmt);
	vsnprintf(m->notes[m->nnotes++], sizeof(m->notes[0]), fmt, ap);
	va_end(ap);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* Why there is no tree here, as a note (or the error of --source sysfs). */
static void no_tree(const char *root, const char *dir, char *why, size_t size)
{
	enum vs_module_state st;
	char path[4096];
	struct utsname u;

	if (root[0]) {
		snprintf(why, size, "vmxcap.ko: no %.200s", dir);
		return;
	}
	uname(&u);
	st = vs_module_state("vmxcap", path, sizeof(path));
	vs_clear_error();
	switch (st) {
	case VS_MOD_LOADED:
		snprintf(why, size, "vmxcap.ko is loaded but published nothing: see dmesg");
		break;
	case VS_MOD_INSTALLED: {
		struct vs_facts me;

		/* Loading it is no advice where the kernel would refuse it. */
		vs_facts_init(&me);
		if (vs_identify_cpu("", 0, &me) && me.vmx == 0)
			snprintf(why, size, "vmxcap.ko is installed (%.150s) but not loaded: it loads only on CPUs with VMX, and CPUID has none here",
				 path);
		else
			snprintf(why, size, "vmxcap.ko is installed (%.150s) but not loaded: sudo modprobe vmxcap, or sudo vmxcap-show --load",
				 path);
		vs_cpuid_done();
		break;
	}
	case VS_MOD_NOT_INSTALLED:
		snprintf(why, size, "vmxcap.ko is not installed for kernel %s (DKMS: see the README)",
			 u.release);
		break;
	default:
		snprintf(why, size, "%.200s does not exist (whether vmxcap.ko is installed is unknown: libkmod failed)",
			 dir);
		break;
	}
}

static int read_sysfs(const struct vs_source_request *req, struct vs_machine *m,
		      char *why, size_t size)
{
	char dir[4200];

	snprintf(dir, sizeof(dir), "%s/sys/kernel/vmxcap", req->root);
	if (!is_dir(dir) && req->load && !req->root[0] && vs_module_load("vmxcap", "--load"))
		return -1;
	if (!is_dir(dir)) {
		no_tree(req->root, dir, why, size);
		return 1;
	}
	if (vs_read_sysfs(dir, m))
		return -1;
	/*
	 * The module publishes neither the hypervisor signature nor AMD-V's
	 * CPUID bit: the same on every CPU of a vendor, read once, so that
	 * this source says what msr.ko's says.
	 */
	if (!req->root[0]) {
		struct vs_facts me;
		size_t i;

		vs_facts_init(&me);
		if (vs_identify_cpu("", m->cpus[0].id, &me))
			for (i = 0; i < m->n; i++) {
				struct vs_cpu *c = &m->cpus[i];
				struct vs_facts f = *c->facts;

				if (f.hypervisor == 1)
					memcpy(f.hv_vendor, me.hv_vendor, sizeof(me.hv_vendor));
				if (f.svm < 0 && !strcmp(f.vendor, me.vendor))
					f.svm = me.svm;
				c->facts = vs_machine_facts(m, &f);
			}
		vs_cpuid_done();
	}
	return 0;
}

/*
 * msr.ko's device of the first CPU: 0 when it opens, 1 (with why) when
 * it is missing or needs privilege, which the next source does without.
 */
static int msr_device(const struct vs_source_request *req, char *why, size_t size)
{
	bool live = !req->root[0];
	char path[4200];
	int fd, err;

	snprintf(path, sizeof(path), "%s/dev/cpu/0/msr", req->root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && live && !geteuid()) {
		/* As root, load msr.ko as modprobe would (every Debian kernel has it). */
		if (vs_module_load("msr", "modprobe msr")) {
			snprintf(why, size, "%.280s", vs_last_error());
			vs_clear_error();
			return 1;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	err = errno;
	if (err == ENOENT)
		snprintf(why, size, "msr.ko: no %.200s%s", path,
			 live && geteuid() ? " (as root, vmxcap-show loads msr.ko)" : "");
	else if (err == EACCES || err == EPERM)
		snprintf(why, size, "msr.ko: %.200s: %s: run as root (CAP_SYS_RAWIO)", path,
			 strerror(err));
	else
		snprintf(why, size, "msr.ko: %.200s: %s", path, strerror(err));
	return 1;
}

void vs_read_kernel_release(const char *root, struct vs_machine *m)
{
	char path[4200], *text;
	struct utsname u;

	snprintf(path, sizeof(path), "%s/proc/sys/kernel/osrelease", root);
	text = vs_read_proc(path);
	vs_clear_error();
	if (text) {
		text[strcspn(text, "\n")] = '\0';
		snprintf(m->kernel, sizeof(m->kernel), "%s", text);
		free(text);
	} else if (!root[0] && !uname(&u)) {
		snprintf(m->kernel, sizeof(m->kernel), "%s", u.release);
	}
	m->kver = vs_kver_of(m->kernel);
}

int vs_read_machine(const struct vs_source_request *req, struct vs_machine *m)
{
	char why[3][300] = { "", "", "" };
	unsigned int i, nwhy = 0;
	int r;

	memset(m, 0, sizeof(*m));
	if (req->want == VS_SOURCE_AUTO || req->want == VS_SOURCE_SYSFS) {
		r = read_sysfs(req, m, why[nwhy], sizeof(why[0]));
		if (r < 0)
			return -1;
		if (!r)
			goto done;
		if (req->want == VS_SOURCE_SYSFS) {
			vs_error("--source sysfs: %s", why[nwhy]);
			return -1;
		}
		nwhy++;
	}
	if (req->want == VS_SOURCE_AUTO || req->want == VS_SOURCE_MSR) {
		r = msr_device(req, why[nwhy], sizeof(why[0]));
		if (!r) {
			if (vs_read_msr(req->root, m))
				return -1;
			goto done;
		}
		if (req->want == VS_SOURCE_MSR) {
			vs_error("--source msr: %s", why[nwhy]);
			return -1;
		}
		nwhy++;
	}
	if (vs_read_cpuinfo(req->root, m))
		return -1;
done:
	m->root = req->root;
	vs_read_kernel_release(req->root, m);
	for (i = 0; i < nwhy; i++)
		vs_machine_note(m, "%s", why[i]);
	return 0;
}
