// SPDX-License-Identifier: GPL-2.0
/*
 * The msr source (tools/msr.c) against a device that behaves as msr.ko's
 * does: 8 bytes at offset MSR, -1/EIO when RDMSR faulted (msr_read() in
 * arch/x86/kernel/msr.c).  Linked with -Wl,--wrap=pread,--wrap=pwrite,
 * --wrap=write,--wrap=ioctl: the device is /dev/null (a character device,
 * so msr.c takes it for the real thing) and the wrappers answer for it.
 * Checks what the module does too: only MSRs that exist by the SDM's rules
 * are read, a faulted read is "faulted", and nothing is ever written.
 * Usage: test_msr ROOT    (ROOT/dev/cpu/0/msr -> /dev/null, cpuid as text)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "vmxcap-show.h"

ssize_t __real_pread(int fd, void *buf, size_t n, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off);
ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
int __wrap_ioctl(int fd, unsigned long req, ...);

/* Bochs Skylake-X values (tests/data/vmx-msr-dumps.json), 0x48c faulting. */
static const struct {
	u32 index;
	u64 value;
} device[] = {
	{ 0x03a, 0x5 }, { 0x480, 0x00d810000000002b }, { 0x481, 0x0000007f00000016 },
	{ 0x482, 0xf7f9fffe0401e172 }, { 0x483, 0x007fffff00036dff },
	{ 0x484, 0x0000ffff000011ff }, { 0x485, 0x00000000600401e0 },
	{ 0x486, 0x80000021 }, { 0x487, 0xffffffff }, { 0x488, 0x2000 }, { 0x489, 0x3727ff },
	{ 0x48a, 0x34 }, { 0x48b, 0x02177fff00000000 }, { 0x48d, 0x0000007f00000016 },
	{ 0x48e, 0xf7f9fffe04006172 }, { 0x48f, 0x007fffff00036dfb },
	{ 0x490, 0x0000ffff000011fb }, { 0x491, 0x1 },
};
static unsigned int reads[0x500], writes;

ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off)
{
	size_t i;

	if (n != 8 || off < 0 || off >= 0x500)
		return __real_pread(fd, buf, n, off);
	reads[off]++;
	if (off == 0x48c) {
		errno = EIO;	/* RDMSR faulted */
		return -1;
	}
	for (i = 0; i < sizeof(device) / sizeof(device[0]); i++)
		if (device[i].index == (u32)off) {
			memcpy(buf, &device[i].value, 8);
			return 8;
		}
	errno = EIO;	/* an MSR this CPU lacks faults too */
	return -1;
}

ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	(void)fd, (void)buf, (void)n, (void)off;
	writes++;
	errno = EPERM;
	return -1;
}

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	if (fd > 2)
		writes++;
	return __real_write(fd, buf, n);
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	(void)fd, (void)req;
	writes++;	/* msr.ko's ioctls include wrmsr */
	errno = ENOTTY;
	return -1;
}

static unsigned int passed, failed, n;

static void check(bool cond, const char *what)
{
	n++;
	if (cond)
		passed++;
	else
		failed++;
	printf("%sok %u - %s\n", cond ? "" : "not ", n, what);
}

int main(int argc, char **argv)
{
	struct vs_machine m;
	unsigned int s, extra = 0;
	const struct vmxcap_raw *r;
	bool values = true;

	if (argc != 2) {
		fprintf(stderr, "usage: %s ROOT\n", argv[0]);
		return 2;
	}
	if (vs_read_msr(argv[1], &m)) {
		printf("not ok 1 - read the device: %s\n", vs_last_error());
		printf("msr: 0 passed, 1 failed\n");
		return 1;
	}
	r = m.cpus[0].raw;
	for (s = 0; s < VMXCAP_NR_MSRS; s++) {
		u32 idx = vmxcap_msrs[s].index;
		size_t i;

		for (i = 0; i < sizeof(device) / sizeof(device[0]); i++)
			if (device[i].index == idx && (!vmxcap_has(r, s) || r->val[s] != device[i].value))
				values = false;
		if (reads[idx] > 1)
			extra++;
	}
	check(m.n == 1 && values, "every MSR the device has is read with its value");
	check(r->faulted == VMXCAP_MSR_BIT(VMXCAP_EPT_VPID_CAP) && !vmxcap_has(r, VMXCAP_EPT_VPID_CAP),
	      "the read that failed with EIO (0x48c) is faulted, as vmxcap.ko records it");
	/* 0x491 exists (secondary bit 13 allowed), 0x492/0x493 do not. */
	check(!reads[0x492] && !reads[0x493] && reads[0x491] == 1,
	      "MSRs the SDM's rules say do not exist are not read (0x492, 0x493)");
	check(!extra, "no MSR is read twice");
	check(!writes, "nothing is written: no write(), pwrite() or ioctl() on the device");
	vs_machine_free(&m);
	printf("msr: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
