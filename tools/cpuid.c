// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: CPUID as one CPU sees it.  On this machine the instruction
 * runs with the thread pinned to that CPU (no privilege needed); where
 * that cannot be done, and for a copy of another machine (--sysroot),
 * ROOT/dev/cpu/N/cpuid is read as cpuid.ko serves it: 16 bytes (EAX, EBX,
 * ECX, EDX) at offset leaf | subleaf << 32 - or, from a regular file, as
 * text.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "vmxcap-show.h"

#define CPUID1_ECX_VMX		(1u << 5)
#define CPUID1_ECX_HYPERVISOR	(1u << 31)
#define CPUID_EXT1_ECX_SVM	(1u << 2)

/* The thread's CPUs before the first pin, restored by vs_cpuid_done(). */
static cpu_set_t *saved_mask;
static size_t saved_size;
static int pinned = -1;		/* the CPU the thread is pinned to */

static bool pin(unsigned int cpu)
{
	size_t size = CPU_ALLOC_SIZE(VS_MAX_CPU + 1);
	cpu_set_t *set;
	bool ok;

	if (pinned == (int)cpu)
		return true;

	if (!saved_mask) {
		saved_mask = CPU_ALLOC(VS_MAX_CPU + 1);
		saved_size = size;
		if (!saved_mask || sched_getaffinity(0, size, saved_mask)) {
			CPU_FREE(saved_mask);
			saved_mask = NULL;
			return false;
		}
	}
	set = CPU_ALLOC(VS_MAX_CPU + 1);
	if (!set)
		return false;
	CPU_ZERO_S(size, set);
	CPU_SET_S(cpu, size, set);
	/* Fails when cpu is offline or outside our cpuset: then cpuid.ko. */
	ok = !sched_setaffinity(0, size, set);
	CPU_FREE(set);
	pinned = ok ? (int)cpu : -1;
	return ok;
}

void vs_cpuid_done(void)
{
	if (saved_mask)
		sched_setaffinity(0, saved_size, saved_mask);
	CPU_FREE(saved_mask);
	saved_mask = NULL;
	pinned = -1;
}

static bool cpuid_instruction(u32 leaf, u32 subleaf, u32 r[4])
{
#if defined(__x86_64__) || defined(__i386__)
	__cpuid_count(leaf, subleaf, r[0], r[1], r[2], r[3]);
	return true;
#else
	(void)leaf;
	(void)subleaf;
	(void)r;
	return false;
#endif
}

/*
 * A copy of the device (a regular file, for --sysroot) is text, as cpuid -r
 * prints it: "0x00000001 0x00: eax=0x000906ea ebx=0x... ecx=0x... edx=0x...",
 * a line per leaf and subleaf (the device's own layout cannot be copied:
 * its offsets are leaf numbers, 16 bytes apart by one).
 */
static bool cpuid_text(int fd, u32 leaf, u32 subleaf, u32 r[4])
{
	char buf[65536], *line, *save = NULL;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned int l, s, a, b, c, d;

		if (sscanf(line, " %x %x: eax=%x ebx=%x ecx=%x edx=%x", &l, &s, &a, &b, &c, &d) == 6 &&
		    l == leaf && s == subleaf) {
			r[0] = a;
			r[1] = b;
			r[2] = c;
			r[3] = d;
			return true;
		}
	}
	return false;
}

static bool cpuid_device(const char *root, unsigned int cpu, u32 leaf, u32 subleaf,
			 u32 r[4])
{
	char path[4200];
	struct stat st;
	bool ok;
	int fd;

	snprintf(path, sizeof(path), "%s/dev/cpu/%u/cpuid", root, cpu);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode))
		ok = cpuid_text(fd, leaf, subleaf, r);
	else
		ok = pread(fd, r, 16, (off_t)((u64)subleaf << 32 | leaf)) == 16;
	close(fd);
	return ok;
}

bool vs_cpuid(const char *root, unsigned int cpu, u32 leaf, u32 subleaf, u32 r[4])
{
	if (!root[0] && pin(cpu) && cpuid_instruction(leaf, subleaf, r))
		return true;
	return cpuid_device(root, cpu, leaf, subleaf, r);
}

bool vs_identify_cpu(const char *root, unsigned int cpu, struct vs_facts *f)
{
	u32 r[4], max, sig;
	unsigned int i;

	if (!vs_cpuid(root, cpu, 0, 0, r))
		return false;
	max = r[0];
	memcpy(f->vendor, &r[1], 4);
	memcpy(f->vendor + 4, &r[3], 4);
	memcpy(f->vendor + 8, &r[2], 4);
	f->vendor[12] = '\0';
	if (max < 1 || !vs_cpuid(root, cpu, 1, 0, r))
		return true;
	/* The kernel's x86_family(), x86_model(), x86_stepping(). */
	sig = r[0];
	f->family = (int)((sig >> 8) & 0xf);
	if (f->family == 0xf)
		f->family += (int)((sig >> 20) & 0xff);
	f->model = (int)((sig >> 4) & 0xf);
	if (f->family >= 6)
		f->model |= (int)((sig >> 16) & 0xf) << 4;
	f->stepping = (int)(sig & 0xf);
	f->vmx = !!(r[2] & CPUID1_ECX_VMX);
	f->hypervisor = !!(r[2] & CPUID1_ECX_HYPERVISOR);
	if (f->hypervisor && vs_cpuid(root, cpu, 0x40000000, 0, r)) {
		/* The hypervisor's signature: "KVMKVMKVM", "Microsoft Hv", ... */
		memcpy(f->hv_vendor, &r[1], 4);
		memcpy(f->hv_vendor + 4, &r[2], 4);
		memcpy(f->hv_vendor + 8, &r[3], 4);
		f->hv_vendor[12] = '\0';
		for (i = 0; i < 12 && f->hv_vendor[i]; i++)
			if (f->hv_vendor[i] < ' ' || f->hv_vendor[i] > '~')
				f->hv_vendor[i] = '?';
	}
	if (vs_cpuid(root, cpu, 0x80000000, 0, r) && r[0] >= 0x80000001 &&
	    r[0] < 0x8000ffff && vs_cpuid(root, cpu, 0x80000001, 0, r))
		f->svm = !!(r[2] & CPUID_EXT1_ECX_SVM);
	return true;
}

const char *vs_hypervisor_name(const char *signature)
{
	static const struct {
		const char *sig, *name;
	} known[] = {
		{ "KVMKVMKVM", "KVM" },
		{ "Microsoft Hv", "Microsoft Hyper-V" },
		{ "VMwareVMware", "VMware" },
		{ "XenVMMXenVMM", "Xen" },
		{ "bhyve bhyve ", "bhyve" },
		{ "TCGTCGTCGTCG", "QEMU (TCG emulation)" },
		{ "VBoxVBoxVBox", "VirtualBox" },
		{ " lrpepyh  vr", "Parallels" },
		{ "ACRNACRNACRN", "ACRN" },
		{ "Jailhouse", "Jailhouse" },
		{ " QNXQVMBSQG ", "QNX" },
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(known); i++)
		if (!strcmp(signature, known[i].sig))
			return known[i].name;
	return NULL;
}
