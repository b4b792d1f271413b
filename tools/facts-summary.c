// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: a host in a few hundred bytes, for the engines that gather
 * facts on every run (Ansible, Facter) and for NFD's labels (nfd.c): each
 * set of CPUs with its verdict and fingerprint, the features every CPU
 * offers, the hypervisor profiles' verdicts.  --facts writes it as JSON
 * (schema "vmxcap-facts", tools/README.md), not the full --json, which is
 * 166 KB on a 1024-CPU host.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hv.h"
#include "jsonw.h"

#define VS_FACTS_SCHEMA_VERSION 1

/* The set of selected CPU i: group g and verdict st, made when new. */
static size_t set_of(struct vs_summary *s, const struct vs_groups *gr, size_t i,
		     enum vs_status st, bool inferred)
{
	size_t k;

	for (k = 0; k < s->nsets; k++)
		if (s->sets[k].group == gr->of[i] && s->sets[k].status == st &&
		    s->sets[k].inferred == inferred)
			return k;
	s->sets = xrealloc(s->sets, (s->nsets + 1) * sizeof(*s->sets));
	memset(&s->sets[k], 0, sizeof(s->sets[k]));
	s->sets[k].group = gr->of[i];
	s->sets[k].rep = i;
	s->sets[k].status = st;
	s->sets[k].inferred = inferred;
	vs_fingerprint(&s->m->cpus[i], s->sets[k].fingerprint);
	s->nsets++;
	return k;
}

/*
 * The sets: CPUs of one capability group (--json's) and one verdict (the
 * verdict also depends on CPUID and the kernel's command line, which the
 * groups do not compare), in order of their lowest CPU, each with its list.
 */
static void make_sets(struct vs_summary *s, const bool *sel)
{
	const struct vs_machine *m = s->m;
	struct vs_groups gr;
	size_t *of = xmalloc(m->n * sizeof(*of)), i, k;
	unsigned int *ids = xmalloc(m->n * sizeof(*ids));
	const struct vs_cpu *last = NULL;
	enum vs_status st = VS_STATUS_UNKNOWN;
	bool inferred = false;

	vs_groups_make(m, sel, false, &gr);
	s->identical = gr.n <= 1;
	for (i = 0; i < m->n; i++) {
		const struct vs_cpu *c = &m->cpus[i];

		if (!sel[i])
			continue;
		s->ncpus++;
		/* CPUs share their raw set and facts: one verdict per pair. */
		if (!last || last->raw != c->raw || last->facts != c->facts)
			st = vs_cpu_status(c, &inferred);
		last = c;
		of[i] = set_of(s, &gr, i, st, inferred);
		s->sets[of[i]].count++;
	}
	for (k = 0; k < s->nsets; k++) {
		size_t n = 0, size = 8 * s->sets[k].count + 8;

		for (i = 0; i < m->n; i++)
			if (sel[i] && of[i] == k)
				ids[n++] = m->cpus[i].id;
		s->sets[k].cpus = xmalloc(size);
		vs_format_cpulist(ids, n, s->sets[k].cpus, size);
	}
	vs_groups_free(&gr);
	free(ids);
	free(of);
}

/*
 * Each name of Linux's vmx flags (the newest naming) as --require answers
 * it on every set: offered by all, or not known to be lacking anywhere and
 * unknown somewhere.  A set whose verdict blocks VMX offers nothing.
 */
static int judge_features(struct vs_summary *s)
{
	unsigned int w, b;
	size_t k;

	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (b = 0; b < 32; b++) {
			const char *name = vmxcap_linux_flag_name(w, b, 0);
			struct vs_feature f;
			int all = 1;

			if (!name)
				continue;
			if (vs_feature_resolve(name, &f))
				return -1;	/* a vocabulary bug: said, not hidden */
			for (k = 0; k < s->nsets && all; k++) {
				const struct vs_summary_set *set = &s->sets[k];
				bool from_linux;
				char why[300];
				int o = vs_status_blocks(set->status) ? 0 :
					vs_feature_offered(s->m, &s->m->cpus[set->rep], &f,
							   &from_linux, why, sizeof(why));

				all = o == 0 ? 0 : o < 0 ? -1 : all;
			}
			if (all > 0)
				s->features[s->nfeatures++] = name;
			else if (all < 0)
				s->unknown[s->nunknown++] = name;
		}
	return 0;
}

int vs_summary_make(const struct vs_host *h, const struct vs_hv_args *a, struct vs_summary *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->m = h->m;
	make_sets(s, h->sel);
	s->verdict = vs_status_id(s->sets[0].status);
	s->fingerprint = s->sets[0].fingerprint;
	for (i = 1; i < s->nsets; i++) {
		if (s->sets[i].status != s->sets[0].status)
			s->verdict = "mixed";
		if (strcmp(s->sets[i].fingerprint, s->sets[0].fingerprint))
			s->fingerprint = NULL;
	}
	if (judge_features(s))
		return -1;
	for (i = 0; i < vs_hv_nprofiles && i < ARRAY_LEN(s->readiness); i++) {
		struct vs_hv_result *r = xcalloc(1, sizeof(*r));

		if (vs_hv_judge(h, vs_hv_profiles[i], a, r)) {
			free(r);
			return -1;
		}
		s->readiness[i].profile = vs_hv_profiles[i]->id;
		snprintf(s->readiness[i].version, sizeof(s->readiness[i].version), "%s", r->version);
		s->readiness[i].verdict = vs_hv_verdict_id(r->verdict);
		s->nreadiness++;
		free(r);
	}
	return 0;
}

void vs_summary_free(struct vs_summary *s)
{
	size_t k;

	for (k = 0; k < s->nsets; k++)
		free(s->sets[k].cpus);
	free(s->sets);
	memset(s, 0, sizeof(*s));
}

static void names(struct jw *w, const char *key, const char *const *v, size_t n)
{
	size_t i;

	jw_key(w, key);
	jw_array(w);
	for (i = 0; i < n; i++)
		jw_string(w, v[i]);
	jw_end(w);
}

int vs_show_facts(const struct vs_host *h, const struct vs_hv_args *a, FILE *out)
{
	const struct vs_machine *m = h->m;
	struct vs_summary s;
	char tool[64];
	struct jw w;
	size_t i;
	bool ok;

	if (vs_summary_make(h, a, &s)) {
		vs_summary_free(&s);
		return 2;
	}
	jw_init(&w, out, isatty(fileno(out)));
	jw_object(&w);
	jw_schema(&w, "vmxcap-facts", VS_FACTS_SCHEMA_VERSION);
	snprintf(tool, sizeof(tool), "vmxcap-show %s", VS_VERSION);
	jw_key_string(&w, "tool", tool);
	jw_key_int(&w, "fingerprint_version", VS_FINGERPRINT_VERSION);
	jw_key_string(&w, "source", m->source_kind);
	jw_key(&w, "origin");
	jw_string_or_null(&w, m->origin[0] ? m->origin : NULL);
	jw_key(&w, "kernel");
	jw_string_or_null(&w, m->kernel[0] ? m->kernel : NULL);
	jw_key_uint(&w, "cpus", s.ncpus);
	jw_key_string(&w, "verdict", s.verdict);
	jw_key_bool(&w, "identical", s.identical);
	jw_key(&w, "fingerprint");
	jw_string_or_null(&w, s.fingerprint);
	jw_key(&w, "sets");
	jw_array(&w);
	for (i = 0; i < s.nsets; i++) {
		jw_object(&w);
		jw_key_string(&w, "cpus", s.sets[i].cpus);
		jw_key_uint(&w, "count", s.sets[i].count);
		jw_key_string(&w, "verdict", vs_status_id(s.sets[i].status));
		jw_key_bool(&w, "inferred", s.sets[i].inferred);
		jw_key_string(&w, "fingerprint", s.sets[i].fingerprint);
		jw_end(&w);
	}
	jw_end(&w);
	names(&w, "features", s.features, s.nfeatures);
	names(&w, "features_unknown", s.unknown, s.nunknown);
	jw_key(&w, "readiness");
	jw_object(&w);
	for (i = 0; i < s.nreadiness; i++) {
		jw_key(&w, s.readiness[i].profile);
		jw_object(&w);
		jw_key_string(&w, "version", s.readiness[i].version);
		jw_key_string(&w, "verdict", s.readiness[i].verdict);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	ok = jw_finish(&w);
	vs_summary_free(&s);
	if (!ok)
		vs_error("writing the output failed");
	return ok ? 0 : 2;
}
