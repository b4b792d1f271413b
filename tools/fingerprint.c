// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the capability fingerprint, the one name every output
 * (--json, --dump, the fleet outputs) gives a set of capabilities.  It is
 * the first 16 hex digits of the SHA-256 of a text anyone can rebuild
 * from a dump (tools/README.md, "Capability fingerprint"):
 *
 *   vmxcap-fingerprint 1
 *   0x480 0x00da040000000004      one line per MSR read, ascending index
 *   0x492 faulted                 one per MSR whose read faulted
 *   linux flags_vmx 1             Linux's view, where the source has it
 *   linux vmx_flags ept vpid ...  (or "linux vmx_flags none")
 *
 * IA32_FEATURE_CONTROL is left out: it is the firmware's configuration
 * (locked, VMX on or off), not what the CPU can do, and the verdict
 * outputs report it on their own.  CPU numbers and identity are not
 * capabilities either.  Linux's view is all the cpuinfo source knows, so
 * a CPU read through /proc/cpuinfo has another fingerprint than the same
 * CPU read through its MSRs: compare hosts read the same way.
 */
#include <stdio.h>
#include <string.h>

#include "vmxcap-show.h"

size_t vs_fingerprint_text(const struct vs_cpu *c, char *buf, size_t size)
{
	const struct vmxcap_raw *raw = c->raw;
	size_t len = 0;
	unsigned int s;

	vs_append(buf, size, &len, "vmxcap-fingerprint %u\n", VS_FINGERPRINT_VERSION);
	for (s = 0; s < VMXCAP_NR_MSRS; s++) {
		if (s == VMXCAP_FEATURE_CONTROL)
			continue;
		if (vmxcap_has(raw, s))
			vs_append(buf, size, &len, "0x%x 0x%016llx\n", vmxcap_msrs[s].index, raw->val[s]);
		else if (raw->faulted & VMXCAP_MSR_BIT(s))
			vs_append(buf, size, &len, "0x%x faulted\n", vmxcap_msrs[s].index);
	}
	if (c->facts->linux_vmx >= 0) {
		vs_append(buf, size, &len, "linux flags_vmx %d\n", c->facts->linux_vmx);
		vs_append(buf, size, &len, "linux vmx_flags %s\n",
		    c->facts->linux_flags ? c->facts->linux_flags : "none");
	}
	return len < size ? len : size - 1;
}

void vs_fingerprint(const struct vs_cpu *c, char out[VS_FINGERPRINT_LEN + 1])
{
	/* 20 MSR lines of 24 bytes, and a vmx flags line of a few hundred. */
	char text[4096];
	unsigned char digest[32];
	size_t len = vs_fingerprint_text(c, text, sizeof(text)), i;

	vs_sha256(text, len, digest);
	for (i = 0; i < VS_FINGERPRINT_LEN / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}
