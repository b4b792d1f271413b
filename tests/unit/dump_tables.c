// SPDX-License-Identifier: GPL-2.0
/*
 * Prints the decoder's tables as lines for check-linux-bits.sh to compare
 * with a kernel's own headers:
 *   ctl GROUP BIT          one per named control
 *   field TABLE LO HI      one per field
 *   flag WORD BIT NAME     Linux "vmx flags" names with release MAJOR.MINOR
 *   default1 GROUP MASK    the SDM's default1 controls of a group (hex)
 * Usage: dump_tables MAJOR MINOR
 */
#include <stdio.h>
#include <stdlib.h>

#include <vmxcap/vmxcap.h>

int main(int argc, char **argv)
{
	unsigned int g, i, w, b, kver;

	if (argc != 3) {
		fprintf(stderr, "usage: %s MAJOR MINOR\n", argv[0]);
		return 2;
	}
	kver = VMXCAP_KVER((unsigned int)atoi(argv[1]), (unsigned int)atoi(argv[2]));
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		for (i = 0; i < vmxcap_ctl_groups[g].nr_ctls; i++)
			printf("ctl %s %u\n", vmxcap_ctl_groups[g].id,
			       vmxcap_ctl_groups[g].ctls[i].bit);
	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++)
		for (i = 0; i < vmxcap_field_tables[g].nr_fields; i++)
			printf("field %s %u %u\n", vmxcap_field_tables[g].id,
			       vmxcap_field_tables[g].fields[i].lo,
			       vmxcap_field_tables[g].fields[i].hi);
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		printf("default1 %s 0x%08x\n", vmxcap_ctl_groups[g].id, vmxcap_ctl_groups[g].default1);
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (b = 0; b < 32; b++) {
			const char *name = vmxcap_linux_flag_name(w, b, kver);

			if (name)
				printf("flag %u %u %s\n", w, b, name);
		}
	return 0;
}
