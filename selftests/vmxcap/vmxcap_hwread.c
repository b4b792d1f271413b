// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap_hwread: the selftests' independent view of the hardware, through
 * the kernel's own msr.ko and cpuid.ko rather than through vmxcap.ko.
 *
 *   vmxcap_hwread msr CPU MSR       prints 0x%016llx, exit 1 if it faulted
 *   vmxcap_hwread cpuid CPU LEAF    prints "eax ebx ecx edx" in hex
 *   vmxcap_hwread hasvmx CPU        exit 0 when CPUID.1:ECX[5] (VMX) is set
 *   vmxcap_hwread insmod FILE.ko    one finit_module(); exit status = errno
 *   vmxcap_hwread runas UID CMD...  run CMD with uid = gid = UID, no groups
 *
 * The last exists because busybox insmod retries a failed finit_module()
 * with init_module(), running the module's init twice (and logging twice),
 * and busybox's setpriv cannot change user.
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
#include <sys/syscall.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
	unsigned long cpu, arg;
	uint32_t r[4];

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
	if (!strcmp(argv[1], "insmod") && argc == 3) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);

		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
			int e = errno;

			fprintf(stderr, "vmxcap_hwread: insmod %s: %s\n", argv[2], strerror(e));
			return e ? e : 1;
		}
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
	fprintf(stderr, "usage: vmxcap_hwread msr CPU MSR | cpuid CPU LEAF | hasvmx CPU | insmod FILE | runas UID CMD...\n");
	return 2;
}
