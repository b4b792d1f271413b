// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: vmxcap-show's /proc/cpuinfo parser (tools/cpuinfo.c)
 * on arbitrary bytes.  A parse either fails with an error or yields CPUs
 * sorted, unique, within range, each with Linux's view recorded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_machine m;
	char *text = malloc(size + 1);
	size_t i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (vs_parse_cpuinfo(text, &m, "fuzz") == 0) {
		CHECK(m.n >= 1);
		for (i = 0; i < m.n; i++) {
			CHECK(m.cpus[i].id <= VS_MAX_CPU);
			CHECK(m.cpus[i].facts->linux_vmx == 0 || m.cpus[i].facts->linux_vmx == 1);
			CHECK(strlen(m.cpus[i].facts->vendor) <= 12);
			CHECK(i == 0 || m.cpus[i - 1].id < m.cpus[i].id);
		}
		vs_machine_free(&m);
	} else {
		vs_clear_error();
	}
	free(text);
	return 0;
}
