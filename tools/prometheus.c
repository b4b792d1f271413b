// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: --prometheus, the text exposition format node_exporter's
 * textfile collector reads (tools/README.md lists every family).  Per
 * host aggregates, never a series per CPU and control: about 200 series
 * whatever the number of CPUs.  Every family has HELP and TYPE, every
 * value is a count or 0/1 (never a raw 64-bit MSR value, which a float64
 * sample would round), no timestamps (node_exporter skips a file that has
 * them).  The vocabularies (Linux's vmx flags, the decoder's controls,
 * the verdicts, the hypervisor profiles) are written whole, with 0 where
 * no CPU has one, so that "== 0" finds a host; a count some CPU cannot
 * tell is left out, not written as a guess.  Several hosts (--input
 * repeated or a directory): each family once, a series per host with a
 * "host" label; one machine has none (node_exporter's target names it).
 */
#include <stdlib.h>
#include <string.h>

#include "hv.h"

#define NR_STATUS (VS_STATUS_UNKNOWN + 1)

/* A feature counted: a Linux vmx flag or a decoder control. */
struct prom_feature {
	struct vs_feature f;
	const char *name;		/* the flag, or the control's id */
	const char *group;		/* the control's group id; NULL for a flag */
};

/* CPUs with one capability fingerprint (sets that differ only in 0x3a merge). */
struct prom_set {
	char fp[VS_FINGERPRINT_LEN + 1];
	unsigned int *ids;
	size_t n;
	unsigned int problems;
};

/* A hypervisor profile's verdict on a host (of its struct vs_hv_result, 18 KB). */
struct prom_verdict {
	const char *profile;
	char version[16];
	enum vs_verdict verdict;
};

/* One host's metrics, computed before any is written. */
struct prom_host {
	const struct vs_host *h;
	size_t ncpus;
	size_t status[NR_STATUS];
	struct prom_set *sets;
	size_t nsets;
	long *offering;			/* per feature: CPUs offering it, -1 unknown */
	struct prom_verdict *verdicts;	/* per profile */
};

struct prom {
	FILE *out;
	struct prom_feature *feats;
	size_t nfeats;
	struct prom_host *hosts;
	size_t nhosts;
};

/* Linux's vmx flags (their newest names), then every control of the decoder. */
static struct prom_feature *feature_list(size_t *n)
{
	struct prom_feature *v;
	unsigned int w, b, g, i;
	size_t k = 0, max = VMXCAP_LINUX_WORDS * 32;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		max += vmxcap_ctl_groups[g].nr_ctls;
	v = xcalloc(max, sizeof(*v));
	for (w = 0; w < VMXCAP_LINUX_WORDS; w++)
		for (b = 0; b < 32; b++) {
			const char *name = vmxcap_linux_flag_name(w, b, 0);

			/* As --require NAME tests it (a control's flag: the control). */
			if (!name || vs_feature_resolve(name, &v[k].f))
				continue;
			v[k++].name = name;
		}
	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++)
		for (i = 0; i < vmxcap_ctl_groups[g].nr_ctls; i++) {
			v[k].f.kind = VS_FEAT_CTL;
			v[k].f.group = (int)g;
			v[k].f.bit = vmxcap_ctl_groups[g].ctls[i].bit;
			v[k].name = vmxcap_ctl_groups[g].ctls[i].id;
			v[k++].group = vmxcap_ctl_groups[g].id;
		}
	*n = k;
	return v;
}

/* The set of c's fingerprint, added when new. */
static struct prom_set *set_of(struct prom_host *ph, const struct vs_cpu *c)
{
	struct vmxcap_problem probs[1];
	char fp[VS_FINGERPRINT_LEN + 1];
	struct prom_set *s;
	size_t i;

	vs_fingerprint(c, fp);
	for (i = 0; i < ph->nsets; i++)
		if (!strcmp(ph->sets[i].fp, fp))
			return &ph->sets[i];
	s = &ph->sets[ph->nsets++];
	snprintf(s->fp, sizeof(s->fp), "%s", fp);
	s->problems = vmxcap_check(c->raw, probs, 0);
	return s;
}

/*
 * Everything the families say of host h.  What depends on the values is
 * computed once per group of identical CPUs (capabilities and identity:
 * a CPU without VMX in CPUID offers nothing), counted by its CPUs.
 */
static int measure(struct prom *p, struct prom_host *ph, const struct vs_host *h,
		   const struct vs_hv_args *a)
{
	const struct vs_machine *m = h->m;
	struct vs_groups gr;
	struct vs_hv_result *r;
	struct prom_set **set_of_group;
	size_t g, i, k;
	char why[320];

	ph->h = h;
	ph->offering = xcalloc(p->nfeats, sizeof(*ph->offering));
	for (i = 0; i < m->n; i++)
		if (h->sel[i]) {
			bool inferred;

			ph->ncpus++;
			ph->status[vs_cpu_status(&m->cpus[i], &inferred)]++;
		}
	vs_groups_make(m, h->sel, true, &gr);
	ph->sets = xcalloc(gr.n ? gr.n : 1, sizeof(*ph->sets));
	set_of_group = xcalloc(gr.n ? gr.n : 1, sizeof(*set_of_group));
	for (g = 0; g < gr.n; g++) {
		const struct vs_cpu *c = &m->cpus[gr.rep[g]];
		bool inferred, from_linux;
		bool novmx = vs_cpu_status(c, &inferred) == VS_STATUS_NO_VMX;

		set_of_group[g] = set_of(ph, c);
		set_of_group[g]->n += gr.count[g];
		for (k = 0; k < p->nfeats; k++) {
			int o = novmx ? 0 : vs_feature_offered(m, c, &p->feats[k].f, &from_linux,
							      why, sizeof(why));

			if (o < 0 || ph->offering[k] < 0)
				ph->offering[k] = -1;
			else
				ph->offering[k] += o ? (long)gr.count[g] : 0;
		}
	}
	/* Each set's CPUs, ascending as the machine's. */
	for (i = 0; i < ph->nsets; i++) {
		ph->sets[i].ids = xmalloc(ph->sets[i].n * sizeof(*ph->sets[i].ids));
		ph->sets[i].n = 0;
	}
	for (i = 0; i < m->n; i++)
		if (h->sel[i]) {
			struct prom_set *s = set_of_group[gr.of[i]];

			s->ids[s->n++] = m->cpus[i].id;
		}
	free(set_of_group);
	vs_groups_free(&gr);
	ph->verdicts = xcalloc(vs_hv_nprofiles, sizeof(*ph->verdicts));
	r = xmalloc(sizeof(*r));
	for (i = 0; i < vs_hv_nprofiles; i++) {
		memset(r, 0, sizeof(*r));
		if (vs_hv_judge(h, vs_hv_profiles[i], a, r)) {
			free(r);
			return -1;
		}
		ph->verdicts[i].profile = r->profile;
		snprintf(ph->verdicts[i].version, sizeof(ph->verdicts[i].version), "%s", r->version);
		ph->verdicts[i].verdict = r->verdict;
	}
	free(r);
	return 0;
}

static void host_free(struct prom_host *ph)
{
	size_t i;

	for (i = 0; i < ph->nsets; i++)
		free(ph->sets[i].ids);
	free(ph->sets);
	free(ph->offering);
	free(ph->verdicts);
}

/* A label value as the format wants it: \, " and newline escaped. */
static void put_value(FILE *out, const char *s)
{
	for (; *s; s++)
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
}

/*
 * One sample: name{host="..",k1="v1",...} value.  labels are name/value
 * pairs ending with NULL; the host label only among several hosts.
 */
static void sample(const struct prom *p, const struct prom_host *ph, const char *name,
		   const char *const *labels, unsigned long long value)
{
	bool any = false;
	size_t i;

	fputs(name, p->out);
	if (ph->h->name) {
		fputs("{host=\"", p->out);
		put_value(p->out, ph->h->name);
		fputc('"', p->out);
		any = true;
	}
	for (i = 0; labels && labels[i]; i += 2) {
		fprintf(p->out, "%s%s=\"", any ? "," : "{", labels[i]);
		put_value(p->out, labels[i + 1]);
		fputc('"', p->out);
		any = true;
	}
	fprintf(p->out, "%s %llu\n", any ? "}" : "", value);
}

/* ---- the families: each writes its series for one host ---------------------- */

static void fam_info(const struct prom *p, const struct prom_host *ph)
{
	char fpver[8];
	const char *l[] = {
		"version", VS_VERSION, "decoder_version", VMXCAP_DECODER_VERSION,
		"fingerprint_version", fpver, "source", ph->h->m->source_kind, NULL,
	};

	snprintf(fpver, sizeof(fpver), "%d", VS_FINGERPRINT_VERSION);
	sample(p, ph, "vmxcap_info", l, 1);
}

static void fam_cpus(const struct prom *p, const struct prom_host *ph)
{
	sample(p, ph, "vmxcap_cpus", NULL, ph->ncpus);
}

static void fam_sets(const struct prom *p, const struct prom_host *ph)
{
	sample(p, ph, "vmxcap_capability_sets", NULL, ph->nsets);
}

/* Each set's CPU list, as the kernel writes one ("0-3,8"), whole. */
static void fam_capabilities_info(const struct prom *p, const struct prom_host *ph)
{
	size_t i;

	for (i = 0; i < ph->nsets; i++) {
		const struct prom_set *s = &ph->sets[i];
		size_t size = s->n * 12 + 8;
		char *list = xmalloc(size);
		const char *l[] = { "fingerprint", s->fp, "cpus", list, NULL };

		vs_format_cpulist(s->ids, s->n, list, size);
		sample(p, ph, "vmxcap_capabilities_info", l, 1);
		free(list);
	}
}

static void fam_set_cpus(const struct prom *p, const struct prom_host *ph)
{
	size_t i;

	for (i = 0; i < ph->nsets; i++) {
		const char *l[] = { "fingerprint", ph->sets[i].fp, NULL };

		sample(p, ph, "vmxcap_capability_set_cpus", l, ph->sets[i].n);
	}
}

static void fam_status(const struct prom *p, const struct prom_host *ph)
{
	unsigned int s;

	for (s = 0; s < NR_STATUS; s++) {
		const char *l[] = { "status", vs_status_id(s), NULL };

		sample(p, ph, "vmxcap_status_cpus", l, ph->status[s]);
	}
}

static void features(const struct prom *p, const struct prom_host *ph, bool controls)
{
	size_t k;

	for (k = 0; k < p->nfeats; k++) {
		const struct prom_feature *f = &p->feats[k];
		const char *flag[] = { "feature", f->name, NULL };
		const char *ctl[] = { "group", f->group, "control", f->name, NULL };

		if (!f->group == controls || ph->offering[k] < 0)
			continue;
		sample(p, ph, controls ? "vmxcap_control_cpus" : "vmxcap_feature_cpus",
		       controls ? ctl : flag, (unsigned long long)ph->offering[k]);
	}
}

static void fam_feature(const struct prom *p, const struct prom_host *ph)
{
	features(p, ph, false);
}

static void fam_control(const struct prom *p, const struct prom_host *ph)
{
	features(p, ph, true);
}

static void fam_problems(const struct prom *p, const struct prom_host *ph)
{
	unsigned long long n = 0;
	size_t i;

	for (i = 0; i < ph->nsets; i++)
		n += ph->sets[i].problems;
	sample(p, ph, "vmxcap_problems", NULL, n);
}

static void fam_ready(const struct prom *p, const struct prom_host *ph)
{
	size_t i;

	for (i = 0; i < vs_hv_nprofiles; i++) {
		const struct prom_verdict *r = &ph->verdicts[i];
		const char *l[] = { "hypervisor", r->profile, NULL };

		if (r->verdict != VS_CANNOT_TELL)
			sample(p, ph, "vmxcap_hypervisor_ready", l, r->verdict == VS_RUNS);
	}
}

static void fam_hv_info(const struct prom *p, const struct prom_host *ph)
{
	size_t i;

	for (i = 0; i < vs_hv_nprofiles; i++) {
		const struct prom_verdict *r = &ph->verdicts[i];
		const char *l[] = {
			"hypervisor", r->profile, "version", r->version,
			"verdict", vs_hv_verdict_id(r->verdict), NULL,
		};

		sample(p, ph, "vmxcap_hypervisor_info", l, 1);
	}
}

static const struct {
	const char *name, *help;
	void (*write)(const struct prom *p, const struct prom_host *ph);
} families[] = {
	{ "vmxcap_info", "The vmxcap-show that wrote these metrics, its decoder and fingerprint versions, and the source it read (sysfs, msr, cpuinfo, kvm, dump); always 1.",
	  fam_info },
	{ "vmxcap_cpus", "CPUs described (every online CPU, or those --cpu selected).", fam_cpus },
	{ "vmxcap_capability_sets", "Distinct VMX capability sets (fingerprints) among the CPUs; 1 when all are alike (IA32_FEATURE_CONTROL is not a capability).",
	  fam_sets },
	{ "vmxcap_capabilities_info", "A set of CPUs with identical VMX capabilities: its capability fingerprint and its CPUs; always 1.",
	  fam_capabilities_info },
	{ "vmxcap_capability_set_cpus", "CPUs in each capability set, by fingerprint.", fam_set_cpus },
	{ "vmxcap_status_cpus", "CPUs by IA32_FEATURE_CONTROL verdict: usable, disabled_by_firmware, smx_only, unlocked, no_vmx (none in CPUID), unknown.",
	  fam_status },
	{ "vmxcap_feature_cpus", "CPUs offering each feature of Linux's vmx flags vocabulary, whatever the firmware allows; absent when some CPU cannot tell.",
	  fam_feature },
	{ "vmxcap_control_cpus", "CPUs on which each VMX control may be 1 (yes, forced or default), whatever the firmware allows; absent when some CPU cannot tell.",
	  fam_control },
	{ "vmxcap_problems", "Consistency problems in the VMX capability MSRs, each capability set counted once.",
	  fam_problems },
	{ "vmxcap_hypervisor_ready", "1 when the hypervisor runs on every CPU (as --require HYPERVISOR says), 0 when it refuses; absent when that cannot be told.",
	  fam_ready },
	{ "vmxcap_hypervisor_info", "Each hypervisor profile's verdict (runs, refuses, unknown) and the version modelled; always 1.",
	  fam_hv_info },
};

int vs_show_prometheus(const struct vs_host *h, size_t nh, const struct vs_hv_args *a,
		       FILE *out)
{
	struct prom p = { .out = out };
	size_t i, f;
	int ret = 0;

	p.feats = feature_list(&p.nfeats);
	p.hosts = xcalloc(nh, sizeof(*p.hosts));
	/* Everything measured first: an error writes nothing. */
	for (i = 0; i < nh && !ret; i++, p.nhosts++)
		if (measure(&p, &p.hosts[i], &h[i], a))
			ret = 2;
	for (f = 0; f < ARRAY_LEN(families) && !ret; f++) {
		fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", families[f].name, families[f].help,
			families[f].name);
		for (i = 0; i < nh; i++)
			families[f].write(&p, &p.hosts[i]);
	}
	for (i = 0; i < p.nhosts; i++)
		host_free(&p.hosts[i]);
	free(p.hosts);
	free(p.feats);
	return ret;
}
