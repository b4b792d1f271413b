// SPDX-License-Identifier: GPL-2.0
/*
 * test_glossary: checks tools/glossary.c against the decoder, both ways.
 *
 *	test_glossary [KVM_PARAMS_FILE]
 *
 * The decoder's tables and name functions are walked, never copied, so a
 * control added to decoder.c without a glossary entry fails here.  Each
 * check prints one "ok - ..." or "not ok - ..." line, with "# ..." lines
 * naming the offenders; check-glossary.sh numbers them into TAP.
 * KVM_PARAMS_FILE lists kvm_intel parameter names, one per line; without
 * it the check of the kvm column is skipped.  Exits 1 if a check failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmxcap/vmxcap.h>
#include "glossary.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

enum kind {
	K_CONTROL, K_FIELD, K_CR, K_GROUP, K_MSR, K_FLAG, K_STATE, K_VERDICT,
	K_PROBLEM, NR_KINDS
};

static const char *const kind_names[NR_KINDS] = {
	[K_CONTROL] = "controls",
	[K_FIELD] = "fields",
	[K_CR] = "CR0/CR4 bits",
	[K_GROUP] = "control groups",
	[K_MSR] = "MSRs",
	[K_FLAG] = "synthetic Linux vmx flags",
	[K_STATE] = "state words",
	[K_VERDICT] = "IA32_FEATURE_CONTROL verdicts",
	[K_PROBLEM] = "consistency problems",
};

/* An identifier the decoder names, as a glossary key. */
struct want {
	char key[96];
	enum kind kind;
};

static struct want wants[1024];
static unsigned int nr_wants;
static int failures;

/* kvm_intel parameter names read from the file given on the command line. */
static char params[256][64];
static unsigned int nr_params;

static void result(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failures++;
}

static void want(enum kind kind, const char *prefix, const char *id)
{
	struct want *w;
	int n;

	if (nr_wants == ARRAY_LEN(wants)) {
		fprintf(stderr, "test_glossary: more than %zu identifiers\n",
			ARRAY_LEN(wants));
		exit(2);
	}
	w = &wants[nr_wants++];
	n = snprintf(w->key, sizeof(w->key), "%s.%s", prefix, id);
	if (n < 0 || (size_t)n >= sizeof(w->key)) {
		fprintf(stderr, "test_glossary: key %s.%s too long\n", prefix, id);
		exit(2);
	}
	w->kind = kind;
}

/* True when name is the Linux flag of some control (then it is no flag.* key). */
static int is_control_flag(const char *name)
{
	unsigned int g, i;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		for (i = 0; i < vmxcap_ctl_groups[g].nr_ctls; i++) {
			const char *f = vmxcap_ctl_groups[g].ctls[i].linux_flag;

			if (f && !strcmp(f, name))
				return 1;
		}
	return 0;
}

/* Everything the decoder names, from its own tables and functions. */
static void collect(void)
{
	unsigned int g, i, w, b;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];

		want(K_GROUP, "group", gi->id);
		for (i = 0; i < gi->nr_ctls; i++)
			want(K_CONTROL, gi->id, gi->ctls[i].id);
	}
	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[g];

		for (i = 0; i < t->nr_fields; i++)
			want(K_FIELD, t->id, t->fields[i].id);
	}
	for (g = 0; g < VMXCAP_NR_CRS; g++)
		for (i = 0; i < vmxcap_crs[g].nr_bits; i++)
			want(K_CR, vmxcap_crs[g].id, vmxcap_crs[g].bits[i].id);
	for (i = 0; i < VMXCAP_NR_MSRS; i++)
		want(K_MSR, "msr", vmxcap_msrs[i].id);
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (b = 0; b < 32; b++) {
			const char *name = vmxcap_linux_flag_name(w, b, 0);

			if (name && !is_control_flag(name))
				want(K_FLAG, "flag", name);
		}
	for (i = 0; i < VMXCAP_NR_STATES; i++)
		want(K_STATE, "state", vmxcap_state_name(i));
	for (i = 0; i < VMXCAP_NR_FC_VERDICTS; i++)
		want(K_VERDICT, "verdict", vmxcap_fc_verdict_id(i));
	for (i = 0; i < VMXCAP_NR_PROBLEM_KINDS; i++)
		want(K_PROBLEM, "problem", vmxcap_problem_id(i));
}

static const struct want *find_want(const char *key)
{
	unsigned int i;

	for (i = 0; i < nr_wants; i++)
		if (!strcmp(wants[i].key, key))
			return &wants[i];
	return NULL;
}

/* Linear search, so that a broken sort cannot hide an entry. */
static const struct vs_gloss *find_entry(const char *key)
{
	size_t i;

	for (i = 0; i < vs_glossary_len; i++)
		if (vs_glossary[i].key && !strcmp(vs_glossary[i].key, key))
			return &vs_glossary[i];
	return NULL;
}

static void check_coverage(enum kind kind)
{
	unsigned int i, total = 0, missing = 0;

	for (i = 0; i < nr_wants; i++) {
		if (wants[i].kind != kind)
			continue;
		total++;
		if (!find_entry(wants[i].key)) {
			printf("# no entry for %s\n", wants[i].key);
			missing++;
		}
	}
	if (missing)
		result(0, "%u of %u %s have no entry", missing, total, kind_names[kind]);
	else
		result(total > 0, "%u %s explained", total, kind_names[kind]);
}

static void check_reverse(void)
{
	size_t i, bad = 0;

	for (i = 0; i < vs_glossary_len; i++) {
		const char *key = vs_glossary[i].key;

		if (!key || !find_want(key)) {
			printf("# entry %zu (%s) names nothing the decoder has\n", i,
			       key ? key : "NULL");
			bad++;
		}
	}
	if (bad)
		result(0, "%zu of %zu entries name nothing the decoder has", bad,
		       vs_glossary_len);
	else
		result(1, "all %zu entries name an identifier the decoder has",
		       vs_glossary_len);
}

static void check_sorted(void)
{
	size_t i, bad = 0;

	for (i = 1; i < vs_glossary_len; i++) {
		const char *a = vs_glossary[i - 1].key, *b = vs_glossary[i].key;

		if (!a || !b || strcmp(a, b) >= 0) {
			printf("# %s is not before %s\n", a ? a : "NULL", b ? b : "NULL");
			bad++;
		}
	}
	result(!bad, "%zu keys sorted in strcmp order and unique", vs_glossary_len);
}

static void check_lookup(void)
{
	static const char *const absent[] = {
		"", "a", "zzz", "procbased2.", "procbased2.ep", "procbased2.ept ",
		"PROCBASED2.EPT", "group.nonexistent",
	};
	size_t i, bad = 0;

	for (i = 0; i < vs_glossary_len; i++) {
		const char *key = vs_glossary[i].key;

		if (key && vs_gloss_lookup(key) != &vs_glossary[i]) {
			printf("# vs_gloss_lookup(\"%s\") does not return its entry\n", key);
			bad++;
		}
	}
	for (i = 0; i < ARRAY_LEN(absent); i++)
		if (vs_gloss_lookup(absent[i])) {
			printf("# vs_gloss_lookup(\"%s\") found something\n", absent[i]);
			bad++;
		}
	if (vs_gloss_lookup(NULL)) {
		printf("# vs_gloss_lookup(NULL) found something\n");
		bad++;
	}
	result(!bad, "vs_gloss_lookup() finds every key and nothing else");
}

/* Printable ASCII only: the texts go to terminals, man pages and JSON. */
static int plain(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

/* Sentences end with . ! or ? followed by a space or the end. */
static unsigned int sentences(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		if (strchr(".!?", *s) && (s[1] == ' ' || s[1] == '\0'))
			n++;
	return n;
}

static const char *key_of(const struct vs_gloss *g)
{
	return g->key ? g->key : "NULL";
}

static void check_strings(void)
{
	size_t i, bad = 0;

	for (i = 0; i < vs_glossary_len; i++) {
		const struct vs_gloss *g = &vs_glossary[i];
		const char *const f[] = { g->key, g->brief, g->text, g->without,
					  g->sdm, g->kvm };
		size_t j;

		for (j = 0; j < ARRAY_LEN(f); j++) {
			size_t len;

			if (!f[j])
				continue;
			len = strlen(f[j]);
			if (!plain(f[j]) || (len && (f[j][0] == ' ' || f[j][len - 1] == ' '))) {
				printf("# %s: field %zu is not plain ASCII on one line\n",
				       key_of(g), j);
				bad++;
			}
		}
	}
	result(!bad, "every string is printable ASCII without tabs, newlines or edge spaces");
}

static void check_briefs(void)
{
	size_t i, bad = 0;

	for (i = 0; i < vs_glossary_len; i++) {
		const char *b = vs_glossary[i].brief;
		size_t len = b ? strlen(b) : 0;

		/* An acronym may start it ("VM exit on HLT"), a capital word not. */
		if (!len || len > 40 || b[len - 1] == '.' ||
		    (b[0] >= 'A' && b[0] <= 'Z' && b[1] >= 'a' && b[1] <= 'z')) {
			printf("# %s: brief \"%s\"\n", key_of(&vs_glossary[i]),
			       b ? b : "NULL");
			bad++;
		}
	}
	result(!bad, "briefs are 1 to 40 characters, not capitalised, no final period");
}

static int good_prose(const char *s)
{
	unsigned int n;

	if (!s || !*s || s[strlen(s) - 1] != '.')
		return 0;
	n = sentences(s);
	return n >= 1 && n <= 3;
}

static void check_texts(void)
{
	size_t i, bad = 0;

	for (i = 0; i < vs_glossary_len; i++)
		if (!good_prose(vs_glossary[i].text)) {
			printf("# %s: text is not 1 to 3 sentences ending in a period\n",
			       key_of(&vs_glossary[i]));
			bad++;
		}
	result(!bad, "every text is 1 to 3 sentences");
}

static enum kind kind_of(const struct vs_gloss *g)
{
	const struct want *w = g->key ? find_want(g->key) : NULL;

	return w ? w->kind : NR_KINDS;
}

static void check_sdm(void)
{
	size_t i, n = 0, bad = 0;

	for (i = 0; i < vs_glossary_len; i++) {
		const struct vs_gloss *g = &vs_glossary[i];
		enum kind k = kind_of(g);

		if (k != K_CONTROL && k != K_FIELD && k != K_CR && k != K_GROUP &&
		    k != K_MSR)
			continue;
		n++;
		if (!g->sdm || !*g->sdm) {
			printf("# %s: no SDM reference\n", key_of(g));
			bad++;
		}
	}
	result(!bad, "%zu controls, fields, CR bits, groups and MSRs cite the SDM", n);
}

static void check_without(void)
{
	size_t i, n = 0, bad = 0;

	for (i = 0; i < vs_glossary_len; i++) {
		const struct vs_gloss *g = &vs_glossary[i];
		enum kind k = kind_of(g);

		if (k == K_CONTROL || k == K_FIELD) {
			n++;
			if (!good_prose(g->without)) {
				printf("# %s: without is missing or not 1 to 3 sentences\n",
				       key_of(g));
				bad++;
			}
		} else if (k == K_STATE || k == K_VERDICT || k == K_PROBLEM ||
			   k == K_GROUP || k == K_MSR) {
			if (g->without) {
				printf("# %s: without should be NULL\n", key_of(g));
				bad++;
			}
		} else if (g->without && !good_prose(g->without)) {
			printf("# %s: without is not 1 to 3 sentences\n", key_of(g));
			bad++;
		}
	}
	result(!bad, "%zu controls and fields say what is lost without them; states, verdicts, problems, groups and MSRs do not",
	       n);
}

static int load_params(const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && nr_params < ARRAY_LEN(params)) {
		line[strcspn(line, " \t\r\n")] = '\0';
		if (line[0] && strlen(line) < sizeof(params[0]))
			strcpy(params[nr_params++], line);
	}
	fclose(f);
	return 1;
}

static int is_param(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_params; i++)
		if (!strcmp(params[i], name))
			return 1;
	return 0;
}

static void check_kvm(const char *path)
{
	size_t i, n = 0, bad = 0;

	if (!path) {
		printf("ok - kvm values are kvm_intel parameters # SKIP no kvm_intel parameter list (Debian linux-source-6.1 not installed)\n");
		return;
	}
	if (!load_params(path) || !nr_params) {
		result(0, "kvm values are kvm_intel parameters: cannot read %s", path);
		return;
	}
	for (i = 0; i < vs_glossary_len; i++) {
		const char *kvm = vs_glossary[i].kvm;

		if (!kvm)
			continue;
		n++;
		if (!is_param(kvm)) {
			printf("# %s: kvm \"%s\" is no kvm_intel parameter\n",
			       key_of(&vs_glossary[i]), kvm);
			bad++;
		}
	}
	result(!bad, "%zu kvm values are among %u kvm_intel parameters", n, nr_params);
}

int main(int argc, char **argv)
{
	unsigned int k;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [KVM_PARAMS_FILE]\n", argv[0]);
		return 2;
	}
	collect();
	for (k = 0; k < NR_KINDS; k++)
		check_coverage(k);
	check_reverse();
	check_sorted();
	check_lookup();
	check_briefs();
	check_texts();
	check_strings();
	check_sdm();
	check_without();
	check_kvm(argc == 2 ? argv[1] : NULL);
	return failures ? 1 : 0;
}
