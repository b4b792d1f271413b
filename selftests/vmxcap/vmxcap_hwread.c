// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap_hwread: the selftests' independent view of the hardware, through
 * the kernel's own msr.ko and cpuid.ko rather than through vmxcap.ko.
 *
 *   vmxcap_hwread msr CPU MSR       prints 0x%016llx, exit 1 if it faulted
 *   vmxcap_hwread cpuid CPU LEAF    prints "eax ebx ecx edx" in hex
 *   vmxcap_hwread hasvmx CPU        exit 0 when CPUID.1:ECX[5] (VMX) is set
 *   vmxcap_hwread insmod FILE.ko [PARAM=VALUE...]
 *                                   one finit_module() with those parameters
 *                                   (joined by spaces); exit status = errno.
 *                                   With VMXCAP_FAIL_NTH=N in the environment
 *                                   the Nth fault-injectable allocation of the
 *                                   call fails (/proc/thread-self/fail-nth);
 *                                   "fail-nth: not reached (R left)" on stdout
 *                                   when the call made N - R fewer.
 *   vmxcap_hwread runas UID CMD...  run CMD with uid = gid = UID, no groups
 *   vmxcap_hwread kvmmsrs           the VMX MSRs KVM offers nested guests,
 *                                   "0x480 0x%016llx" per MSR, from /dev/kvm
 *
 * insmod and runas exist because busybox insmod and modprobe retry a failed
 * finit_module() with init_module(), running the module's init twice (and
 * logging twice), and busybox's setpriv cannot change user.
 *
 * kvmmsrs is the selftests' own reader of what kvm_intel offers, independent
 * of vmxcap-show: KVM_CHECK_EXTENSION(KVM_CAP_GET_MSR_FEATURES), then
 * KVM_GET_MSR_FEATURE_INDEX_LIST, then KVM_GET_MSRS on the system fd, one
 * MSR at a time, for each of 0x480-0x491 the list holds (KVM's emulated VMX
 * MSRs; 0x492/0x493 never are).  Exit 0: every listed one read; 1: a read
 * failed ("0x48b failed" on stdout); 2: no /dev/kvm, no capability, or an
 * ioctl error; 3: the list has none of them (kvm_intel with nested=0: KVM
 * then offers no VMX to guests), nothing on stdout.
 *
 * pread() is used because busybox dd reads instead of seeking on these
 * devices, and the file offset is the MSR / CPUID leaf number.
 */
#define _GNU_SOURCE	/* syscall(), pread() */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * KVM's ABI, spelled out here (include/uapi/linux/kvm.h, asm/kvm.h): the
 * headers of a libc build may be older or missing, and the ioctl numbers
 * encode only these headers' sizes.
 */
struct vk_msr_list {		/* struct kvm_msr_list */
	uint32_t nmsrs;
	uint32_t indices[];
};

struct vk_msr_entry {		/* struct kvm_msr_entry */
	uint32_t index;
	uint32_t reserved;
	uint64_t data;
};

struct vk_msrs {		/* struct kvm_msrs, with room for one entry */
	uint32_t nmsrs;
	uint32_t pad;
	struct vk_msr_entry entries[1];
};

struct vk_msrs_hdr {
	uint32_t nmsrs;
	uint32_t pad;
};

#define VK_IO			0xAE
#define VK_CHECK_EXTENSION	_IO(VK_IO, 0x03)
#define VK_GET_MSR_FEATURE_INDEX_LIST _IOWR(VK_IO, 0x0a, struct vk_msr_list)
#define VK_GET_MSRS		_IOWR(VK_IO, 0x88, struct vk_msrs_hdr)
#define VK_CAP_GET_MSR_FEATURES	153
#define VK_FIRST_VMX_MSR	0x480
#define VK_LAST_VMX_MSR		0x491	/* VMFUNC: KVM emulates up to here */

#if defined(__has_include)
#if __has_include(<linux/kvm.h>)
#include <linux/kvm.h>
_Static_assert(VK_CHECK_EXTENSION == KVM_CHECK_EXTENSION, "KVM_CHECK_EXTENSION");
_Static_assert(VK_GET_MSR_FEATURE_INDEX_LIST == KVM_GET_MSR_FEATURE_INDEX_LIST,
	       "KVM_GET_MSR_FEATURE_INDEX_LIST");
_Static_assert(VK_GET_MSRS == KVM_GET_MSRS, "KVM_GET_MSRS");
_Static_assert(VK_CAP_GET_MSR_FEATURES == KVM_CAP_GET_MSR_FEATURES, "KVM_CAP_GET_MSR_FEATURES");
_Static_assert(sizeof(struct vk_msr_entry) == sizeof(struct kvm_msr_entry), "kvm_msr_entry");
#endif
#endif

static int open_dev(const char *kind, unsigned long cpu)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/cpu/%lu/%s", cpu, kind);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "vmxcap_hwread: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

static int read_cpuid(unsigned long cpu, uint32_t leaf, uint32_t r[4])
{
	int fd = open_dev("cpuid", cpu);
	ssize_t n = pread(fd, r, 16, leaf);

	close(fd);
	return n == 16 ? 0 : -1;
}

/*
 * finit_module()'s flags for FILE: MODULE_INIT_COMPRESSED_FILE (4) for a
 * compressed module (.ko.xz on some distributions), which the kernel then
 * decompresses itself (CONFIG_MODULE_DECOMPRESS).
 */
static int compressed(const char *file)
{
	size_t n = strlen(file);

	return (n > 3 && !strcmp(file + n - 3, ".xz")) || (n > 3 && !strcmp(file + n - 3, ".gz")) ||
	       (n > 4 && !strcmp(file + n - 4, ".zst")) ? 4 : 0;
}

/* KVM's feature list, grown until the kernel stops saying E2BIG. */
static struct vk_msr_list *feature_list(int kvm)
{
	struct vk_msr_list probe = { .nmsrs = 0 }, *l;
	uint32_t n;

	if (!ioctl(kvm, VK_GET_MSR_FEATURE_INDEX_LIST, &probe))
		n = 0;
	else if (errno == E2BIG)
		n = probe.nmsrs;
	else
		return NULL;
	for (;;) {
		l = calloc(1, sizeof(*l) + (size_t)n * sizeof(l->indices[0]));
		if (!l)
			return NULL;
		l->nmsrs = n;
		if (!ioctl(kvm, VK_GET_MSR_FEATURE_INDEX_LIST, l))
			return l;
		if (errno != E2BIG || l->nmsrs <= n) {
			free(l);
			return NULL;
		}
		n = l->nmsrs;
		free(l);
	}
}

static int kvm_msrs(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), r, failed = 0, vmx = 0;
	struct vk_msr_list *l;
	uint32_t i, m;

	if (kvm < 0) {
		fprintf(stderr, "vmxcap_hwread: kvmmsrs: /dev/kvm: %s\n", strerror(errno));
		return 2;
	}
	r = ioctl(kvm, VK_CHECK_EXTENSION, VK_CAP_GET_MSR_FEATURES);
	if (r <= 0) {
		fprintf(stderr, "vmxcap_hwread: kvmmsrs: KVM_CHECK_EXTENSION(KVM_CAP_GET_MSR_FEATURES): %s\n",
			r < 0 ? strerror(errno) : "not offered");
		return 2;
	}
	l = feature_list(kvm);
	if (!l) {
		fprintf(stderr, "vmxcap_hwread: kvmmsrs: KVM_GET_MSR_FEATURE_INDEX_LIST: %s\n",
			strerror(errno));
		return 2;
	}
	/* In numeric order, whatever the list's (6.1: TRUE ones first). */
	for (m = VK_FIRST_VMX_MSR; m <= VK_LAST_VMX_MSR; m++) {
		struct vk_msrs q = { .nmsrs = 1, .entries = { { .index = m } } };

		for (i = 0; i < l->nmsrs && l->indices[i] != m; i++)
			;
		if (i == l->nmsrs)
			continue;
		vmx++;
		/* The number of MSRs read: 0 when KVM's getter refused it. */
		r = ioctl(kvm, VK_GET_MSRS, &q);
		if (r == 1) {
			printf("0x%" PRIx32 " 0x%016" PRIx64 "\n", m, q.entries[0].data);
		} else {
			printf("0x%" PRIx32 " failed\n", m);
			fprintf(stderr, "vmxcap_hwread: kvmmsrs: KVM_GET_MSRS 0x%" PRIx32 ": %s\n", m,
				r < 0 ? strerror(errno) : "not read");
			failed = 1;
		}
	}
	fprintf(stderr, "vmxcap_hwread: kvmmsrs: KVM's feature list has %" PRIu32 " MSRs, %d of them VMX (0x480-0x491)\n",
		l->nmsrs, vmx);
	free(l);
	close(kvm);
	if (!vmx)
		return 3;
	return failed;
}

/*
 * /proc/thread-self/fail-nth, opened before it is armed: an open() after
 * would itself count down (and could fail) allocations.  Reading and
 * writing it allocate nothing.
 */
static int fail_nth_fd = -1;

/* The next fault-injectable allocation of this thread to fail: the Nth. */
static int set_fail_nth(const char *n)
{
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fail_nth_fd < 0)
		return -1;
	return pwrite(fail_nth_fd, n, strlen(n), 0) == (ssize_t)strlen(n) ? 0 : -1;
}

/* Whether the Nth came (the count is then 0); disarms it otherwise. */
static void fail_nth_reached(void)
{
	char buf[32] = "";

	if (fail_nth_fd < 0)
		return;
	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) > 0 && strtoul(buf, NULL, 10) != 0) {
		if (pwrite(fail_nth_fd, "0", 1, 0) != 1)
			perror("vmxcap_hwread: fail-nth");
		printf("fail-nth: not reached (%lu left)\n", strtoul(buf, NULL, 10));
		fflush(stdout);
	}
	close(fail_nth_fd);
	fail_nth_fd = -1;
}

int main(int argc, char **argv)
{
	unsigned long cpu, arg;
	uint32_t r[4];

	if (argc == 2 && !strcmp(argv[1], "kvmmsrs"))
		return kvm_msrs();
	if (argc < 3)
		goto usage;
	if (!strcmp(argv[1], "runas") && argc >= 4) {
		uid_t id = (uid_t)strtoul(argv[2], NULL, 0);

		if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
			perror("vmxcap_hwread: runas");
			return 2;
		}
		execvp(argv[3], argv + 3);
		perror("vmxcap_hwread: runas: exec");
		return 2;
	}
	if (!strcmp(argv[1], "insmod")) {
		char params[4096] = "";
		size_t len = 0;
		int fd, i;

		/* "ept=0 vpid=0": the kernel parses the string as modprobe passes it. */
		for (i = 3; i < argc; i++) {
			int w = snprintf(params + len, sizeof(params) - len, "%s%s",
					 len ? " " : "", argv[i]);

			if (w < 0 || (size_t)w >= sizeof(params) - len) {
				fprintf(stderr, "vmxcap_hwread: insmod: parameters too long\n");
				return 2;
			}
			len += (size_t)w;
		}
		fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && getenv("VMXCAP_FAIL_NTH") && set_fail_nth(getenv("VMXCAP_FAIL_NTH"))) {
			perror("vmxcap_hwread: insmod: /proc/thread-self/fail-nth");
			return 2;
		}
		if (fd < 0 || syscall(SYS_finit_module, fd, params, compressed(argv[2]))) {
			int e = errno;

			fail_nth_reached();
			fprintf(stderr, "vmxcap_hwread: insmod %s: %s\n", argv[2], strerror(e));
			return e ? e : 1;
		}
		fail_nth_reached();
		close(fd);
		return 0;
	}
	cpu = strtoul(argv[2], NULL, 0);
	if (!strcmp(argv[1], "msr") && argc == 4) {
		uint64_t v;
		int fd;
		ssize_t n;

		arg = strtoul(argv[3], NULL, 0);
		fd = open_dev("msr", cpu);
		n = pread(fd, &v, sizeof(v), (off_t)arg);
		close(fd);
		if (n != (ssize_t)sizeof(v)) {
			/* EIO: the RDMSR faulted on that CPU. */
			printf("fault\n");
			return 1;
		}
		printf("0x%016" PRIx64 "\n", v);
		return 0;
	}
	if (!strcmp(argv[1], "cpuid") && argc == 4) {
		arg = strtoul(argv[3], NULL, 0);
		if (read_cpuid(cpu, (uint32_t)arg, r))
			return 1;
		printf("%08" PRIx32 " %08" PRIx32 " %08" PRIx32 " %08" PRIx32 "\n",
		       r[0], r[1], r[2], r[3]);
		return 0;
	}
	if (!strcmp(argv[1], "hasvmx") && argc == 3) {
		if (read_cpuid(cpu, 1, r))
			return 2;
		return (r[2] >> 5) & 1 ? 0 : 1;
	}
usage:
	fprintf(stderr, "usage: vmxcap_hwread msr CPU MSR | cpuid CPU LEAF | hasvmx CPU | insmod FILE [PARAM=VALUE...] |\n"
		"       runas UID CMD... | kvmmsrs\n");
	return 2;
}
