// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap_decoded: every decoded file under /sys/kernel/vmxcap/cpuN agrees
 * with the userspace decoder (include/vmxcap/decoder.c) applied to that
 * CPU's raw values, taken from cpuN/raw/ (which vmxcap_raw.sh checks
 * against msr.ko).  This proves that each file shows the right bit of the
 * right MSR of the right CPU; the decoding itself has its own unit tests.
 * Formats are those of Documentation/ABI/testing/sysfs-kernel-vmxcap.
 *
 * Run by vmxcap_decoded.sh, which loads the module first.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest.h"
#include <vmxcap/vmxcap.h>

static const char *sysfs = "/sys/kernel/vmxcap";

/* Mismatches of the CPU being checked; the first few are printed. */
static unsigned int bad;

/* Reads a whole sysfs file; NULL when it does not exist. */
static char *slurp(const char *fmt, ...)
{
	static char buf[8192];
	char path[512];
	va_list ap;
	FILE *f;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void expect(const char *file, const char *got, const char *want)
{
	if (got && !strcmp(got, want))
		return;
	if (++bad <= 10)
		ksft_print_msg("%s: got '%.*s', want '%.*s'\n", file,
			       got ? (int)strcspn(got, "\n") : 6, got ? got : "absent",
			       (int)strcspn(want, "\n"), want);
}

static void expect_absent(const char *file, const char *got)
{
	if (!got)
		return;
	if (++bad <= 10)
		ksft_print_msg("%s: exists, but the decoder says it should not\n",
			       file);
}

static bool dir_exists(const char *fmt, unsigned int cpu, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), fmt, sysfs, cpu, name);
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* cpuN/raw/<msr>: "0x00d810000000002b" or "faulted", for each MSR read. */
static bool parse_msrs(unsigned int cpu, struct vmxcap_raw *raw)
{
	unsigned int m;

	memset(raw, 0, sizeof(*raw));
	for (m = 0; m < VMXCAP_NR_MSRS; m++) {
		char path[512], *end;
		const char *text;
		struct stat st;

		snprintf(path, sizeof(path), "%s/cpu%u/raw/%s", sysfs, cpu,
			 vmxcap_msrs[m].id);
		if (stat(path, &st))
			continue;
		text = slurp("%s/cpu%u/raw/%s", sysfs, cpu, vmxcap_msrs[m].id);
		if (!text)
			return false;
		if (!strcmp(text, "faulted\n")) {
			raw->faulted |= VMXCAP_MSR_BIT(m);
		} else {
			raw->val[m] = strtoull(text, &end, 16);
			if (strcmp(end, "\n"))
				return false;
			raw->present |= VMXCAP_MSR_BIT(m);
		}
	}
	return true;
}

static void bits_list(char *buf, size_t size, u64 mask)
{
	size_t len = 0;
	unsigned int b;

	buf[0] = '\0';
	for (b = 0; b < 64; b++)
		if (mask & (1ull << b))
			len += snprintf(buf + len, size - len, "%s%u", len ? " " : "", b);
	snprintf(buf + len, size - len, "\n");
}

static unsigned int running_kver(void)
{
	struct utsname u;
	unsigned int a = 0, b = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u", &a, &b) != 2)
		return 0;
	return VMXCAP_KVER(a, b);
}

static void check_raw(unsigned int cpu, const struct vmxcap_raw *raw)
{
	char want[64], file[128];
	unsigned int m;

	for (m = 0; m < VMXCAP_NR_MSRS; m++) {
		const char *got = slurp("%s/cpu%u/raw/%s", sysfs, cpu, vmxcap_msrs[m].id);

		snprintf(file, sizeof(file), "cpu%u/raw/%s", cpu, vmxcap_msrs[m].id);
		if (raw->present & VMXCAP_MSR_BIT(m)) {
			snprintf(want, sizeof(want), "0x%016" PRIx64 "\n", (uint64_t)raw->val[m]);
			expect(file, got, want);
		} else if (raw->faulted & VMXCAP_MSR_BIT(m)) {
			expect(file, got, "faulted\n");
		} else {
			expect_absent(file, got);
		}
	}
}

static void check_fields(unsigned int cpu, const struct vmxcap_raw *raw)
{
	char want[64], file[160];
	unsigned int i, j;

	for (i = 0; i < VMXCAP_NR_FIELD_TABLES; i++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[i];
		u64 msr = raw->val[t->msr];

		if (!vmxcap_has(raw, t->msr)) {
			snprintf(file, sizeof(file), "cpu%u/%s/", cpu, t->id);
			expect_absent(file, dir_exists("%s/cpu%u/%s", cpu, t->id) ? "" : NULL);
			continue;
		}
		for (j = 0; j < t->nr_fields; j++) {
			const struct vmxcap_field *f = &t->fields[j];

			/* The ABI's concise form: yes/no, WB, 512, 0x1a, decimal. */
			vmxcap_field_format(f, msr, false, want, sizeof(want) - 1);
			strcat(want, "\n");
			snprintf(file, sizeof(file), "cpu%u/%s/%s", cpu, t->id, f->id);
			expect(file, slurp("%s/cpu%u/%s/%s", sysfs, cpu, t->id, f->id), want);
		}
		snprintf(want, sizeof(want), "0x%016" PRIx64 "\n",
			 (uint64_t)vmxcap_field_unknown_bits(t, msr));
		snprintf(file, sizeof(file), "cpu%u/%s/unknown_bits", cpu, t->id);
		expect(file, slurp("%s/cpu%u/%s/unknown_bits", sysfs, cpu, t->id), want);
	}
}

static void check_crs(unsigned int cpu, const struct vmxcap_raw *raw)
{
	char want[256], file[160];
	unsigned int i, j;

	for (i = 0; i < VMXCAP_NR_CRS; i++) {
		const struct vmxcap_cr_info *cr = &vmxcap_crs[i];

		if (!vmxcap_has(raw, cr->fixed0) || !vmxcap_has(raw, cr->fixed1)) {
			snprintf(file, sizeof(file), "cpu%u/%s/", cpu, cr->id);
			expect_absent(file, dir_exists("%s/cpu%u/%s", cpu, cr->id) ? "" : NULL);
			continue;
		}
		for (j = 0; j < cr->nr_bits; j++) {
			snprintf(want, sizeof(want), "%s\n",
				 vmxcap_state_name(vmxcap_cr_state(raw, i, cr->bits[j].bit)));
			snprintf(file, sizeof(file), "cpu%u/%s/%s", cpu, cr->id, cr->bits[j].id);
			expect(file, slurp("%s/cpu%u/%s/%s", sysfs, cpu, cr->id, cr->bits[j].id),
			       want);
		}
		bits_list(want, sizeof(want), vmxcap_cr_unnamed_allowed(raw, i));
		snprintf(file, sizeof(file), "cpu%u/%s/unnamed_allowed", cpu, cr->id);
		expect(file, slurp("%s/cpu%u/%s/unnamed_allowed", sysfs, cpu, cr->id), want);
	}
}

static void check_ctls(unsigned int cpu, const struct vmxcap_raw *raw)
{
	char want[256], file[160];
	unsigned int i, j;

	for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++) {
		const struct vmxcap_ctl_group_info *g = &vmxcap_ctl_groups[i];

		if (!vmxcap_has(raw, g->msr)) {
			snprintf(file, sizeof(file), "cpu%u/%s/", cpu, g->id);
			expect_absent(file, dir_exists("%s/cpu%u/%s", cpu, g->id) ? "" : NULL);
			continue;
		}
		for (j = 0; j < g->nr_ctls; j++) {
			snprintf(want, sizeof(want), "%s\n",
				 vmxcap_state_name(vmxcap_ctl_state(raw, i, g->ctls[j].bit)));
			snprintf(file, sizeof(file), "cpu%u/%s/%s", cpu, g->id, g->ctls[j].id);
			expect(file, slurp("%s/cpu%u/%s/%s", sysfs, cpu, g->id, g->ctls[j].id),
			       want);
		}
		bits_list(want, sizeof(want), vmxcap_ctl_unnamed_allowed(raw, i));
		snprintf(file, sizeof(file), "cpu%u/%s/unnamed_allowed", cpu, g->id);
		expect(file, slurp("%s/cpu%u/%s/unnamed_allowed", sysfs, cpu, g->id), want);
	}
}

static void check_summary(unsigned int cpu, const struct vmxcap_raw *raw)
{
	struct vmxcap_problem p[64];
	char want[4096], file[64];
	unsigned int n, i;
	size_t len = 0;

	vmxcap_linux_flags(raw, running_kver(), want, sizeof(want) - 1);
	strcat(want, "\n");
	snprintf(file, sizeof(file), "cpu%u/vmx_flags", cpu);
	expect(file, slurp("%s/cpu%u/vmx_flags", sysfs, cpu), want);

	snprintf(want, sizeof(want), "%s\n",
		 vmxcap_fc_verdict_id(vmxcap_fc_verdict(raw)));
	snprintf(file, sizeof(file), "cpu%u/status", cpu);
	expect(file, slurp("%s/cpu%u/status", sysfs, cpu), want);

	n = vmxcap_check(raw, p, 64);
	want[0] = '\0';
	for (i = 0; i < n && i < 64; i++) {
		len += snprintf(want + len, sizeof(want) - len, "%s%s:%s", i ? " " : "",
				vmxcap_problem_id(p[i].kind),
				p[i].msr < VMXCAP_NR_MSRS ? vmxcap_msrs[p[i].msr].id : "?");
		if (p[i].bit != VMXCAP_PROBLEM_NO_BIT)
			len += snprintf(want + len, sizeof(want) - len, ":%u", p[i].bit);
	}
	if (n > 64)
		len += snprintf(want + len, sizeof(want) - len, " +%u", n - 64);
	snprintf(want + len, sizeof(want) - len, "\n");
	snprintf(file, sizeof(file), "cpu%u/problems", cpu);
	expect(file, slurp("%s/cpu%u/problems", sysfs, cpu), want);
}

int main(void)
{
	unsigned int cpus[4096], ncpu = 0, i;
	struct dirent *de;
	DIR *d = opendir(sysfs);

	ksft_print_header();
	if (!d)
		ksft_exit_skip("%s: %s (module not loaded)\n", sysfs, strerror(errno));
	while ((de = readdir(d)) && ncpu < 4096) {
		unsigned int c;
		char end;

		if (sscanf(de->d_name, "cpu%u%c", &c, &end) == 1)
			cpus[ncpu++] = c;
	}
	closedir(d);
	if (!ncpu)
		ksft_exit_fail_msg("no cpuN directory in %s\n", sysfs);

	ksft_set_plan(ncpu * 6);
	for (i = 0; i < ncpu; i++) {
		struct vmxcap_raw raw;
		unsigned int c = cpus[i];

		bad = 0;
		ksft_test_result(parse_msrs(c, &raw) && raw.present, "cpu%u: msrs parses\n", c);
		bad = 0;
		check_raw(c, &raw);
		ksft_test_result(!bad, "cpu%u: raw/ files match msrs (%u bad)\n", c, bad);
		bad = 0;
		check_fields(c, &raw);
		ksft_test_result(!bad, "cpu%u: field files match the decoder (%u bad)\n", c, bad);
		bad = 0;
		check_crs(c, &raw);
		ksft_test_result(!bad, "cpu%u: CR0/CR4 files match the decoder (%u bad)\n", c, bad);
		bad = 0;
		check_ctls(c, &raw);
		ksft_test_result(!bad, "cpu%u: control files match the decoder (%u bad)\n", c, bad);
		bad = 0;
		check_summary(c, &raw);
		ksft_test_result(!bad, "cpu%u: vmx_flags, status, problems match the decoder (%u bad)\n",
				 c, bad);
	}
	ksft_finished();
}
