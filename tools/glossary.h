/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Glossary of the decoder's identifiers, for "vmxcap-show explain ID" and
 * the MEANING column of the tables.  The data lives in glossary.c, which
 * depends on nothing but the C library's string functions, so that the
 * tests can link it with the decoder alone.
 */
#ifndef VMXCAP_TOOLS_GLOSSARY_H
#define VMXCAP_TOOLS_GLOSSARY_H

#include <stddef.h>

/*
 * Keys: GROUP.ID for controls (procbased2.ept), TABLE.ID for fields
 * (ept_vpid.ept_2mb_pages), cr0.ID / cr4.ID, group.GROUP, msr.ID,
 * flag.NAME for Linux's synthetic vmx flags, state.WORD, verdict.ID and
 * problem.ID.
 */
struct vs_gloss {
	const char *key;
	const char *brief;	/* <= 40 chars, no capital start or final period */
	const char *text;	/* what it does: 1 to 3 sentences, plain ASCII */
	const char *without;	/* what a hypervisor loses without it, or NULL */
	const char *sdm;	/* where the SDM defines it, by title */
	const char *kvm;	/* kvm_intel parameter that depends on it, or NULL */
};

/* Sorted by key in strcmp() order; keys are unique. */
extern const struct vs_gloss vs_glossary[];
extern const size_t vs_glossary_len;

/* The entry with this exact key, or NULL. */
const struct vs_gloss *vs_gloss_lookup(const char *key);

#endif /* VMXCAP_TOOLS_GLOSSARY_H */
