// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: vmxcap-show's JSON dump parser (tools/dump.c) on
 * arbitrary bytes.  A parse either fails with an error or yields CPUs that
 * are sorted, unique and within range; anything else aborts (a finding).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const entries[] = { "a", NULL };
	struct vs_machine m;
	char *text = malloc(size + 1);
	size_t i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* The first byte chooses whether to select entries by id as --entry does. */
	if (vs_parse_dump(text, size, size && (data[0] & 1) ? entries : NULL, &m, "fuzz") == 0) {
		CHECK(m.n >= 1 && m.n <= VS_MAX_CPU + 1);
		for (i = 0; i < m.n; i++) {
			CHECK(m.cpus[i].id <= VS_MAX_CPU);
			CHECK(!(m.cpus[i].raw->present & m.cpus[i].raw->faulted));
			CHECK(!(m.cpus[i].raw->present & ~VMXCAP_ALL_MSRS));
			CHECK(i == 0 || m.cpus[i - 1].id < m.cpus[i].id);
		}
		vs_machine_free(&m);
	}
	free(text);
	return 0;
}
