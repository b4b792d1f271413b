// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the running kvm_intel - its parameters as
 * /sys/module/kvm_intel/parameters shows them (after hardware_setup()'s
 * derivation: they are read-only), and the VMX MSRs /dev/kvm offers
 * nested guests (--source kvm): KVM_GET_MSR_FEATURE_INDEX_LIST, then
 * KVM_GET_MSRS on the system fd (Documentation/virt/kvm/api.rst 4.3, 4.18).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "kvm.h"

/* A parameter file's value: Y/N, or a number. */
static bool read_param(const char *dir, const char *name, long long *v)
{
	char path[4200], *buf, *e;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf = vs_read_proc(path);
	vs_clear_error();	/* a parameter this kernel lacks is just unknown */
	if (!buf)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	if (!strcmp(buf, "Y") || !strcmp(buf, "N")) {
		*v = buf[0] == 'Y';
		ok = true;
	} else {
		*v = strtoll(buf, &e, 10);
		ok = e != buf && !*e;
	}
	free(buf);
	return ok;
}

bool vs_kvm_loaded_params(const char *root, struct vs_kvm_params *p)
{
	char dir[4200];
	struct stat st;
	size_t i;

	memset(p, 0, sizeof(*p));
	snprintf(dir, sizeof(dir), "%s/sys/module/kvm_intel/parameters", root ? root : "");
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return false;
	for (i = 0; i < vs_kvm_nparams; i++)
		p->known[i] = read_param(dir, vs_kvm_params[i].name, &p->v[i]);
	return true;
}

/* Why /dev/kvm offers no VMX MSRs: which module, and nested=. */
static void no_vmx_msrs(const char *root)
{
	char dir[4200];
	struct stat st;
	long long nested;

	snprintf(dir, sizeof(dir), "%s/sys/module/kvm_intel/parameters", root);
	if (stat(dir, &st)) {
		/* Another vendor module: kvm_amd, or kvm_pvm and the like. */
		char other[256] = "";
		struct dirent *de;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/sys/module", root);
		d = opendir(dir);
		while (d && (de = readdir(d)))
			if (!strncmp(de->d_name, "kvm_", 4) && strlen(de->d_name) < sizeof(other))
				snprintf(other, sizeof(other), "%s", de->d_name);
		if (d)
			closedir(d);
		if (other[0])
			vs_error("--source kvm: /dev/kvm lists no VMX MSRs: KVM here is %s, not kvm_intel%s",
				 other, !strcmp(other, "kvm_amd") ? " (AMD-V: no VMX to offer)" : "");
		else
			vs_error("--source kvm: /dev/kvm lists no VMX MSRs: kvm_intel is not loaded");
	} else if (read_param(dir, "nested", &nested) && !nested) {
		vs_error("--source kvm: kvm_intel is loaded with nested=0: KVM offers its guests no VMX (reload it with nested=1)");
	} else {
		vs_error("--source kvm: /dev/kvm lists no VMX MSRs (KVM_GET_MSR_FEATURE_INDEX_LIST)");
	}
}

int vs_read_kvm(const char *root, struct vs_machine *m)
{
	struct kvm_msr_list probe = { 0 }, *list = NULL;
	struct kvm_msrs *msrs = NULL;
	struct vmxcap_raw *raw;
	struct vs_cpu id;
	struct vs_facts facts;
	unsigned int *ids = NULL;
	size_t n = 0, i, k;
	int fd, r, ret = -1;

	memset(m, 0, sizeof(*m));
	if (root[0]) {
		vs_error("--source kvm reads this machine's /dev/kvm: not with --sysroot");
		return -1;
	}
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		fd = open("/dev/kvm", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			vs_error("--source kvm: no /dev/kvm: KVM is not loaded (sudo modprobe kvm_intel)");
		else
			vs_error("--source kvm: /dev/kvm: %s%s", strerror(errno),
				 errno == EACCES ? " (join the group that owns it, usually kvm)" : "");
		return -1;
	}
	if (ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_GET_MSR_FEATURES) <= 0) {
		vs_error("--source kvm: this KVM has no KVM_CAP_GET_MSR_FEATURES (Linux 4.17 and later)");
		goto out;
	}
	/* The first call says how many; -E2BIG is the expected answer. */
	r = ioctl(fd, KVM_GET_MSR_FEATURE_INDEX_LIST, &probe);
	if (r < 0 && errno != E2BIG) {
		vs_error("--source kvm: KVM_GET_MSR_FEATURE_INDEX_LIST: %s", strerror(errno));
		goto out;
	}
	list = xcalloc(1, sizeof(*list) + probe.nmsrs * sizeof(list->indices[0]));
	list->nmsrs = probe.nmsrs;
	if (probe.nmsrs && ioctl(fd, KVM_GET_MSR_FEATURE_INDEX_LIST, list) < 0) {
		vs_error("--source kvm: KVM_GET_MSR_FEATURE_INDEX_LIST: %s", strerror(errno));
		goto out;
	}
	msrs = xcalloc(1, sizeof(*msrs) + list->nmsrs * sizeof(msrs->entries[0]));
	for (i = 0; i < list->nmsrs; i++) {
		int slot = vmxcap_msr_slot(list->indices[i]);

		/* The VMX capability MSRs; KVM lists 0x480-0x491. */
		if (slot >= 0 && slot != VMXCAP_FEATURE_CONTROL)
			msrs->entries[msrs->nmsrs++].index = list->indices[i];
	}
	if (!msrs->nmsrs) {
		no_vmx_msrs(root);
		goto out;
	}
	r = ioctl(fd, KVM_GET_MSRS, msrs);
	if (r < 0 || (unsigned int)r != msrs->nmsrs) {
		vs_error("--source kvm: KVM_GET_MSRS read %d of %u VMX MSRs%s%s", r, msrs->nmsrs,
			 r < 0 ? ": " : "", r < 0 ? strerror(errno) : "");
		goto out;
	}
	raw = vs_machine_new_raw(m);
	for (k = 0; k < msrs->nmsrs; k++) {
		int slot = vmxcap_msr_slot(msrs->entries[k].index);

		raw->val[slot] = msrs->entries[k].data;
		raw->present |= VMXCAP_MSR_BIT(slot);
	}
	/* One view for every vCPU: the online CPUs share it, so --cpu works as elsewhere. */
	ids = vs_online_cpus("", &n);
	if (!ids)
		goto out;
	vs_cpu_init(&id, ids[0]);
	vs_facts_init(&facts);
	vs_identify_cpu("", ids[0], &facts);
	id.facts = vs_machine_facts(m, &facts);
	vs_cpuid_done();
	vs_clear_error();
	m->cpus = xcalloc(n, sizeof(*m->cpus));
	for (i = 0; i < n; i++) {
		m->cpus[i] = id;
		m->cpus[i].id = ids[i];
		m->cpus[i].raw = raw;
		m->n++;
	}
	snprintf(m->source, sizeof(m->source), "/dev/kvm");
	m->source_kind = "kvm";
	vs_read_kernel_release("", m);
	ret = 0;
out:
	if (ret)
		vs_machine_free(m);
	free(ids);
	free(list);
	free(msrs);
	close(fd);
	return ret;
}
