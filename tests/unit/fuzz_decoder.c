// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: arbitrary raw MSR sets through every decoder entry
 * point, with the SDM's invariants asserted (abort() is a finding).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vmxcap/vmxcap.h>

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmxcap_raw raw;
	struct vmxcap_problem problems[32];
	struct vmxcap_adjustment a;
	char line[64];
	u64 wanted = 0;
	unsigned int g, bit, n;
	size_t need;

	memset(&raw, 0, sizeof(raw));
	memcpy(&raw, data, size < sizeof(raw) ? size : sizeof(raw));
	if (size > sizeof(raw))
		memcpy(&wanted, data + sizeof(raw),
		       size - sizeof(raw) < sizeof(wanted) ? size - sizeof(raw) : sizeof(wanted));

	n = vmxcap_check(&raw, problems, 32);
	for (unsigned int i = 0; i < n && i < 32; i++)
		CHECK(problems[i].kind < VMXCAP_NR_PROBLEM_KINDS &&
		      problems[i].msr < VMXCAP_NR_MSRS);
	CHECK((vmxcap_msrs_existing(&raw) & ~VMXCAP_ALL_MSRS) == 0);
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		u64 must1, may1;
		bool known = vmxcap_ctl_masks(&raw, g, &must1, &may1);

		CHECK(known == vmxcap_adjust_ctl(&raw, g, wanted, &a));
		if (known) {
			CHECK(!(a.value & ~may1));
			CHECK(!((must1 & may1) & ~a.value));
			CHECK(!(a.dropped & a.forced));
		}
		for (bit = 0; bit < 64; bit++) {
			enum vmxcap_state s = vmxcap_ctl_state(&raw, g, bit);

			CHECK(s < VMXCAP_NR_STATES);
			CHECK(vmxcap_state_name(s) != NULL);
		}
		vmxcap_ctl_unnamed_allowed(&raw, g);
	}
	for (g = 0; g < VMXCAP_NR_CRS; g++) {
		for (bit = 0; bit < 64; bit++)
			CHECK(vmxcap_cr_state(&raw, g, bit) < VMXCAP_NR_STATES);
		if (vmxcap_adjust_cr(&raw, g, wanted, wanted & 1, &a))
			CHECK(!(a.value & ~raw.val[vmxcap_crs[g].fixed1]));
	}
	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++)
		vmxcap_field_unknown_bits(&vmxcap_field_tables[g],
					  raw.val[vmxcap_field_tables[g].msr]);
	CHECK(vmxcap_fc_verdict(&raw) < VMXCAP_NR_FC_VERDICTS);
	need = vmxcap_linux_flags(&raw, (unsigned int)(wanted & 0xffff), line, sizeof(line));
	CHECK(strlen(line) == (need < sizeof(line) ? need : sizeof(line) - 1));
	return 0;
}
