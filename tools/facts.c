// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: what hypervisors read besides the VMX MSRs, on a live
 * machine (or a copy of one): the kernel's CPU flags in /proc/cpuinfo
 * (VMX itself, NX, UMIP, shadow stacks, IBT: what KVM's boot_cpu_has()
 * sees; whether clearcpuid=vmx cleared VMX), raw
 * CPUID leaves 0x12 and 0x15, and the kernel's TSC frequency (from its
 * log as root, else estimated from bogomips).  A dump carries them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmxcap-show.h"

/* The CPUID leaves of one CPU: max leaf, 0x12 (SGX), 0x15 (TSC/crystal). */
static void cpuid_facts(const char *root, unsigned int cpu, struct vs_facts *f)
{
	u32 r[4], max;

	if (!vs_cpuid(root, cpu, 0, 0, r))
		return;
	max = r[0];
	/* KVM's cpu_has_sgx(): cpuid_eax(0) >= 0x12 && (cpuid_eax(0x12) & BIT(0)). */
	f->sgx = max >= 0x12 && vs_cpuid(root, cpu, 0x12, 0, r) ? (int)(r[0] & 1) :
		 max >= 0x12 ? -1 : 0;
	if (max < 0x15) {
		f->leaf15 = 0;
	} else if (vs_cpuid(root, cpu, 0x15, 0, r)) {
		f->leaf15 = 1;
		f->leaf15_eax = r[0];
		f->leaf15_ebx = r[1];
	}
}

/*
 * The kernel's tsc_khz from its log (arch/x86/kernel/tsc.c): the refined
 * calibration when it ran (it replaces tsc_khz), else "Detected ... MHz
 * TSC" (printed when tsc_khz differs from cpu_khz), else "Detected ...
 * MHz processor".  Needs the log (root, or kernel.dmesg_restrict=0) and
 * the boot lines still in it.
 */
static unsigned long tsc_from_log(void)
{
	unsigned long found[3] = { 0, 0, 0 };	/* refined, TSC, processor */
	char buf[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		unsigned long mhz, frac;
		const char *p;
		char unit[8], what[16];

		if (n < 0 && errno == EPIPE)
			continue;	/* a record overwritten while reading */
		if (n <= 0)
			break;
		buf[n] = '\0';
		if ((p = strstr(buf, "tsc: Refined TSC clocksource calibration: ")) &&
		    sscanf(p + 42, "%lu.%3lu %7s", &mhz, &frac, unit) == 3 && !strcmp(unit, "MHz"))
			found[0] = mhz * 1000 + frac;
		else if ((p = strstr(buf, "tsc: Detected ")) &&
			 sscanf(p + 14, "%lu.%3lu %7s %15s", &mhz, &frac, unit, what) == 4 &&
			 !strcmp(unit, "MHz"))
			found[strcmp(what, "TSC") ? 2 : 1] = mhz * 1000 + frac;
	}
	close(fd);
	return found[0] ? found[0] : found[1] ? found[1] : found[2];
}

/* bogomips is tsc_khz / 500 where the delay loop is the TSC's (x86 with a TSC). */
static unsigned long tsc_from_bogomips(const char *text)
{
	const char *p = strstr(text, "\nbogomips");
	unsigned long whole, hundredths;

	if (!p || !(p = strchr(p, ':')) ||
	    sscanf(p + 1, " %lu.%2lu", &whole, &hundredths) != 2)
		return 0;
	return whole * 500 + hundredths * 5;
}

void vs_read_facts(struct vs_machine *m)
{
	struct vs_machine info = { 0 };
	char path[4200], *text;
	size_t i, j;

	if (!m->root)
		return;
	snprintf(path, sizeof(path), "%s/proc/cpuinfo", m->root);
	text = vs_read_proc(path);
	vs_clear_error();
	if (text && !vs_parse_cpuinfo(text, &info, path)) {
		bool hidden = vs_cmdline_hides_vmx(m->root);

		/* Both sorted by CPU number. */
		for (i = 0, j = 0; i < m->n && j < info.n; ) {
			struct vs_cpu *c = &m->cpus[i];
			const struct vs_cpu *k = &info.cpus[j];

			if (c->id == k->id) {
				struct vs_facts f = *c->facts;

				f.nx = k->facts->nx;
				f.umip = k->facts->umip;
				f.shstk = k->facts->shstk;
				f.ibt = k->facts->ibt;
				f.kernel_vmx = k->facts->linux_vmx;
				f.kernel_hid_vmx = hidden && !k->facts->linux_vmx;
				f.microcode = k->facts->microcode;
				c->facts = vs_machine_facts(m, &f);
				i++, j++;
			} else if (c->id < k->id) {
				i++;
			} else {
				j++;
			}
		}
		vs_machine_free(&info);
	}
	vs_clear_error();
	/* CPUID once per identity: the first CPU of each speaks for the others. */
	for (i = 0; i < m->n; i++) {
		struct vs_cpu *c = &m->cpus[i];
		struct vs_facts f = *c->facts;

		for (j = 0; j < i; j++) {
			const struct vs_facts *o = m->cpus[j].facts;

			if (!strcmp(o->vendor, f.vendor) && o->family == f.family &&
			    o->model == f.model && o->stepping == f.stepping)
				break;
		}
		if (j < i) {
			f.sgx = m->cpus[j].facts->sgx;
			f.leaf15 = m->cpus[j].facts->leaf15;
			f.leaf15_eax = m->cpus[j].facts->leaf15_eax;
			f.leaf15_ebx = m->cpus[j].facts->leaf15_ebx;
		} else {
			cpuid_facts(m->root, c->id, &f);
		}
		c->facts = vs_machine_facts(m, &f);
	}
	vs_cpuid_done();
	if (!m->root[0] && (m->tsc_khz = tsc_from_log()))
		snprintf(m->tsc_from, sizeof(m->tsc_from), "the kernel log (tsc: ...)");
	else if (text && (m->tsc_khz = tsc_from_bogomips(text)))
		snprintf(m->tsc_from, sizeof(m->tsc_from), "/proc/cpuinfo bogomips (within 1%%)");
	free(text);
}
