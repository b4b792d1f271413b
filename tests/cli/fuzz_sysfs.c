// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: vmxcap-show's sysfs reader (tools/sysfs.c and
 * sysfs-machine.c).  The input, split at NUL bytes, becomes a tree - cpus,
 * cpu0/msrs, cpu0/cpuid, cpu1/msrs, cpu1/cpuid and, from a sixth part on,
 * machine - which vs_read_sysfs() then reads from disk; the whole input
 * also goes through the parsers directly.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmxcap-show.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];

static void put(const char *name, const uint8_t *p, size_t len)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	if (!p) {
		unlink(path);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		abort();
	if (len && write(fd, p, len) != (ssize_t)len)
		abort();
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"cpus", "cpu0/msrs", "cpu0/cpuid", "cpu1/msrs", "cpu1/cpuid", "machine"
	};
	const uint8_t *part[6] = { NULL }, *p = data, *end = data + size;
	size_t len[6] = { 0 }, i, k;
	unsigned long long gen;
	struct vs_machine m;
	struct vmxcap_raw raw;
	struct vs_facts facts;
	char *text;
	bool *want;

	if (!root[0]) {
		/* tmpfs when there is one: the target writes five files a run. */
		snprintf(root, sizeof(root), "%s/vmxcap-fuzz-sysfs-XXXXXX",
			 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
		if (!mkdtemp(root))
			abort();
		for (i = 0; i < 2; i++) {
			char dir[96];

			snprintf(dir, sizeof(dir), "%s/cpu%zu", root, i);
			mkdir(dir, 0755);
		}
	}
	for (k = 0; k < 6 && p <= end; k++) {
		const uint8_t *z = memchr(p, 0, (size_t)(end - p));

		part[k] = p;
		len[k] = (size_t)((z ? z : end) - p);
		p += len[k] + 1;
	}
	for (k = 0; k < 6; k++)
		put(names[k], part[k], len[k]);
	if (vs_read_sysfs(root, &m) == 0) {
		CHECK(m.n >= 1);
		for (i = 0; i < m.n; i++) {
			CHECK(part[5] || m.cpus[i].id <= 1);
			CHECK(!i || m.cpus[i].id > m.cpus[i - 1].id);
			CHECK(!(m.cpus[i].raw->present & m.cpus[i].raw->faulted));
		}
		vs_machine_free(&m);
	}
	/* The parsers on the whole input as one string. */
	text = malloc(size + 1);
	want = calloc(VS_MAX_CPU + 1, sizeof(*want));
	if (text && want) {
		memcpy(text, data, size);
		text[size] = '\0';
		vs_parse_msrs(text, &raw, "fuzz");
		vs_facts_init(&facts);
		vs_parse_cpuid(text, &facts, "fuzz");
		vs_parse_cpulist(text, want, NULL, "fuzz");
		if (vs_parse_machine(text, &m, &gen, "fuzz") == 0) {
			CHECK(m.n >= 1);
			for (i = 0; i < m.n; i++) {
				CHECK(m.cpus[i].raw);
				CHECK(!(m.cpus[i].raw->present & m.cpus[i].raw->faulted));
				CHECK(!i || m.cpus[i].id > m.cpus[i - 1].id);
			}
			vs_machine_free(&m);
		}
	}
	free(text);
	free(want);
	return 0;
}
