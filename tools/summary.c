// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the default output, the answer first and in the terminal's
 * width (80 columns when not a terminal): the verdict per set of identical
 * CPUs and why, the CPU, the hypervisor it runs under, the source and what
 * it cannot know, then the features people decide on, one row each with a
 * few words of meaning.  Everything else is one option away (--long).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "glossary.h"
#include "table.h"

/* A row of the features table: offered when every control named is. */
struct row {
	const char *label;
	bool sub;		/* a detail of the row above (EPT's) */
	bool key;		/* missing it costs a hypervisor dearly: highlighted */
	const char *ids[2];	/* decoder identifiers; the first's glossary entry explains */
};

static const struct row rows[] = {
	{ "EPT", false, true, { "procbased2.ept" } },
	{ "2 MB pages", true, false, { "ept_vpid.ept_2mb_pages" } },
	{ "1 GB pages", true, false, { "ept_vpid.ept_1gb_pages" } },
	{ "accessed/dirty bits", true, false, { "ept_vpid.ept_accessed_dirty" } },
	{ "5-level walk", true, false, { "ept_vpid.ept_walk_5" } },
	{ "VPID", false, true, { "procbased2.vpid" } },
	{ "Unrestricted guest", false, true, { "procbased2.unrestricted_guest" } },
	{ "APIC virtualization", false, false,
	  { "procbased2.apic_register_virt", "procbased2.virtual_intr_delivery" } },
	{ "Posted interrupts", false, false, { "pinbased.posted_interrupts" } },
	{ "VMCS shadowing", false, false, { "procbased2.vmcs_shadowing" } },
	{ "PML", false, false, { "procbased2.pml" } },
	{ "TSC scaling", false, false, { "procbased2.tsc_scaling" } },
	{ "Preemption timer", false, false, { "pinbased.preemption_timer" } },
	{ "EPTP switching", false, false, { "vmfunc.eptp_switching" } },
	{ "Mode-based execute", false, false, { "procbased2.mode_based_ept_exec" } },
	{ "IPI virtualization", false, false, { "procbased3.ipi_virtualization" } },
	{ "Notify VM exits", false, false, { "procbased2.instruction_timeout" } },
	{ "Bus-lock detection", false, false, { "procbased2.bus_lock_detection" } },
};

/* Set g's answer for a row: 1, 0, -1 unknown; *linux when from vmx flags. */
static int answer(const struct vs_machine *m, const struct vs_cpu *c, const struct row *r,
		  bool *from_linux)
{
	int all = 1;
	size_t i;

	*from_linux = false;
	for (i = 0; i < ARRAY_LEN(r->ids) && r->ids[i]; i++) {
		struct vs_feature f;
		char why[256];
		bool fl;
		int o;

		if (vs_feature_resolve(r->ids[i], &f))
			return -1;	/* cannot happen: the ids are the decoder's */
		o = vs_feature_offered(m, c, &f, &fl, why, sizeof(why));
		*from_linux |= fl;
		if (o == 0)
			return 0;
		if (o < 0)
			all = -1;
	}
	return all;
}

static const char *status_color(enum vs_status s)
{
	return s == VS_STATUS_USABLE ? VS_BOLD_GREEN : s == VS_STATUS_UNKNOWN ||
	       s == VS_STATUS_UNLOCKED ? VS_BOLD_YELLOW : VS_BOLD_RED;
}

void vs_show_source(const struct vs_machine *m, int width, FILE *out)
{
	char text[1024];
	const char *kind = m->origin[0] ? m->origin : m->source_kind;
	unsigned int i;

	if (!strcmp(m->source_kind, "dump") && m->nbaseline_of)
		snprintf(text, sizeof(text), "a baseline, %s", m->source);
	else if (!strcmp(m->source_kind, "dump"))
		snprintf(text, sizeof(text), "a dump, %s%s%s%s%s%s", m->source,
			 m->origin[0] ? " (read from " : "", m->origin[0] ? kind : "",
			 m->kernel[0] ? " on kernel " : "", m->kernel, m->origin[0] ? ")" : "");
	else
		snprintf(text, sizeof(text), "%s", m->source);
	if (!strcmp(kind, "sysfs"))
		vs_print_wrapped(out, width, "Source: vmxcap.ko, ", "  ", text,
				 ": every VMX capability MSR of every CPU");
	else if (!strcmp(kind, "msr"))
		vs_print_wrapped(out, width, "Source: msr.ko, ", "  ", text,
				 ", as root: every VMX capability MSR of every CPU");
	else if (!strcmp(kind, "kvm"))
		vs_print_wrapped(out, width, "Source: KVM, ", "  ", text,
				 ": the VMX MSRs it offers its nested guests before a VMM sets their CPUID (KVM_GET_MSRS), not this machine's");
	else if (!strcmp(kind, "cpuinfo"))
		vs_print_wrapped(out, width, "Source: ", "  ", text,
				 " and CPUID, as any user: only the allowed-1 bits Linux names in its vmx flags; no must-be-1 bits, fields or CR0/CR4, and nothing at all where VMX is off");
	else
		vs_print_wrapped(out, width, "Source: ", "  ", text,
				 ": the MSRs it recorded (an absent one is unknown, not 0)");
	/* A dump says which host it was taken on, when and by what. */
	if (!strcmp(m->source_kind, "dump") && vs_format_host_facts(&m->host, text, sizeof(text)))
		vs_print_wrapped(out, width, "  host: ", "    ", text, "");
	if (m->nbaseline_of) {
		size_t len = (size_t)snprintf(text, sizeof(text), "%zu host%s: ", m->nbaseline_of,
					      m->nbaseline_of == 1 ? "" : "s");

		/* Whole names only: a fleet's list ends ", ..." where the line is full. */
		for (i = 0; i < m->nbaseline_of; i++) {
			if (len + strlen(m->baseline_of[i]) + 8 > sizeof(text)) {
				snprintf(text + len, sizeof(text) - len, "%s...", i ? ", " : "");
				break;
			}
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", i ? ", " : "",
						m->baseline_of[i]);
		}
		vs_print_wrapped(out, width, "  the baseline of ", "    ", text,
				 ": valid on every CPU of each (vmxcap-show baseline)");
	}
	for (i = 0; i < m->nnotes; i++)
		vs_print_wrapped(out, width, "  not used: ", "    ", m->notes[i], "");
}

/* Whether the source says anything about the features of group g's CPUs. */
static bool knows_any(const struct vs_machine *m, const struct vs_cpu *c)
{
	size_t r;
	bool fl;

	for (r = 0; r < ARRAY_LEN(rows); r++)
		if (answer(m, c, &rows[r], &fl) >= 0)
			return true;
	return false;
}

static int features(const struct vs_sets *s, bool letters, const struct vs_opts *o, int width,
		    FILE *out)
{
	struct libscols_table *tb = vs_scols_new(o->color, width, out);
	struct libscols_column *cl;
	bool any_linux = false, any_unknown = false;
	size_t g, r;
	char name[64];

	scols_table_new_column(tb, "FEATURE", 0, 0);
	for (g = 0; g < s->n; g++) {
		/* Named by their CPUs while that keeps the table narrow, else "set A". */
		vs_set_column(&s->v[g], g, letters, "set", name, sizeof(name));
		scols_table_new_column(tb, name, 0, 0);
	}
	cl = scols_table_new_column(tb, "MEANING", 0, SCOLS_FL_TRUNC);
	if (!cl) {
		scols_unref_table(tb);
		vs_error("out of memory");
		return 2;
	}
	for (r = 0; r < ARRAY_LEN(rows); r++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		const struct vs_gloss *gl = vs_gloss_lookup(rows[r].ids[0]);
		char label[64];

		snprintf(label, sizeof(label), "%s%s", rows[r].sub ? "  " : "", rows[r].label);
		scols_line_set_data(ln, 0, label);
		for (g = 0; g < s->n; g++) {
			bool from_linux;
			int a = answer(s->v[g].host->m, s->v[g].rep, &rows[r], &from_linux);

			any_linux |= from_linux;
			any_unknown |= a < 0;
			scols_line_set_data(ln, g + 1, a < 0 ? "?" : a ? "yes" : "no");
			if (!a && rows[r].key)
				scols_cell_set_color(scols_line_get_cell(ln, g + 1), VS_BOLD_RED);
		}
		scols_line_set_data(ln, s->n + 1, gl ? gl->brief : "");
	}
	scols_print_table(tb);
	scols_unref_table(tb);
	if (any_linux || any_unknown)
		fprintf(out, "%s%s%s\n", any_linux ? "yes/no: as Linux's vmx flags say (allowed-1 bits)" : "",
			any_linux && any_unknown ? "; " : "",
			any_unknown ? "?: not known from this source" : "");
	return 0;
}

/* How many of a host's selected CPUs have verdict st; their list into list. */
static size_t cpus_with(const struct vs_host *h, enum vs_status st, char *list, size_t size)
{
	const struct vs_machine *m = h->m;
	unsigned int *ids = xmalloc(m->n * sizeof(*ids));
	size_t i, n = 0;

	for (i = 0; i < m->n; i++) {
		bool inf;

		if (h->sel[i] && vs_cpu_status(&m->cpus[i], &inf) == st)
			ids[n++] = m->cpus[i].id;
	}
	vs_format_cpulist(ids, n, list, size);
	free(ids);
	return n;
}

/*
 * "VMX: usable" and the CPUs that have that verdict: of one machine as a
 * list; of several hosts their count, and which where not all.
 */
static void verdict_line(const struct vs_host *h, size_t nh, enum vs_status st, size_t nsel,
			 const struct vs_opts *o, int width, FILE *out)
{
	char list[256], hosts[1024];
	size_t i, n = 0, len = 0;

	hosts[0] = '\0';
	for (i = 0; i < nh; i++) {
		size_t k = cpus_with(&h[i], st, list, sizeof(list));

		if (k && h[i].name && len < sizeof(hosts))
			len += (size_t)snprintf(hosts + len, sizeof(hosts) - len, "%shost %s cpu %s",
						n ? "; " : "", h[i].name, list);
		n += k;
	}
	fprintf(out, "VMX: ");
	vs_print_colored(out, o->color, status_color(st), vs_status_words(st));
	if (!h[0].name) {
		if (n == nsel && n == 1)
			fprintf(out, " (cpu %s)\n", list);
		else if (n == nsel)
			fprintf(out, " on all %zu CPUs (%s)\n", n, list);
		else
			fprintf(out, " on cpu %s (%zu of %zu CPUs)\n", list, n, nsel);
		return;
	}
	if (n == nsel && n == 1) {
		fprintf(out, " (%s)\n", hosts);
	} else if (n == nsel) {
		fprintf(out, " on all %zu CPUs of the %zu host%s\n", n, nh, nh == 1 ? "" : "s");
	} else {
		fprintf(out, " on %zu of %zu CPUs:\n", n, nsel);
		vs_print_wrapped(out, width, "  ", "  ", hosts, "");
	}
}

int vs_show_summary(const struct vs_host *h, size_t nh, const struct vs_opts *o, FILE *out)
{
	int width = vs_term_width(out);
	struct vs_sets s;
	size_t g, i, n_vmx = 0, longest = 0;
	bool letters, several = h[0].name != NULL, shown[VS_STATUS_UNKNOWN + 1] = { false };
	bool all_bare = true;		/* every set says CPUID.1:ECX[31] is 0 */
	const struct vs_host *said = NULL;	/* whose hypervisor was named last */
	char text[1024], id[200];
	int ret = 0;

	vs_sets_make(h, nh, &s);
	for (g = 0; g < s.n; g++) {
		size_t len = strlen(s.v[g].list) + (several ? strlen(s.v[g].host->name) + 1 : 0);

		if (len > longest)
			longest = len;
	}
	/* Sets named by their CPUs while that keeps the table narrow. */
	letters = s.n > 1 && longest + 4 > 10;

	/* The verdict, once per kind of verdict, with the CPUs that have it. */
	for (g = 0; g < s.n; g++) {
		const struct vs_cpu *c = s.v[g].rep;
		bool inferred;
		enum vs_status st = vs_cpu_status(c, &inferred);

		n_vmx += st != VS_STATUS_NO_VMX;
		if (shown[st])
			continue;
		shown[st] = true;
		verdict_line(h, nh, st, s.ncpus, o, width, out);
		vs_status_explain(c, st, inferred, text, sizeof(text));
		vs_print_wrapped(out, width, "  ", "  ", text, "");
	}

	/* The CPUs: one identity, or one line per set. */
	for (g = 0; g < s.n; g++) {
		struct vs_set cut = s.v[g];
		char list[64], phrase[400];

		vs_format_identity_short(cut.rep, id, sizeof(id));
		/* A list on one line at most: the count and identity after it stay. */
		vs_cpulist_head(s.v[g].list, list, sizeof(list));
		cut.list = list;
		vs_set_phrase(&cut, phrase, sizeof(phrase));
		if (s.n == 1 && !several)
			snprintf(text, sizeof(text), "CPU: %s", id);
		else
			snprintf(text, sizeof(text), "set %s: %s (%zu CPU%s): %s", vs_group_letter(g),
				 phrase, cut.count, cut.count == 1 ? "" : "s", id);
		vs_print_wrapped(out, width, "", "  ", text, "");
	}
	/* The hypervisor: the first one seen; of several hosts, each host's. */
	for (g = 0; g < s.n; g++) {
		const struct vs_set *set = &s.v[g];
		char lead[300];

		all_bare &= set->rep->facts->hypervisor == 0;
		if (set->rep->facts->hypervisor != 1 || (said && !several) || said == set->host)
			continue;
		vs_format_hypervisor(set->rep, text, sizeof(text));
		snprintf(lead, sizeof(lead), "Hypervisor: %s%s%s", several ? "host " : "",
			 several ? set->host->name : "", several ? ": " : "");
		vs_print_wrapped(out, width, lead, "  ", text, set->rep->facts->vmx == 0 ?
				 ": it passes no VMX to this VM" :
				 ": VMX here is what it passes to this VM (nested)");
		said = set->host;
	}
	if (!said && (several ? all_bare : s.v[0].rep->facts->hypervisor == 0))
		fprintf(out, "Hypervisor: none (CPUID.1:ECX[31] is 0)\n");
	for (i = 0; i < nh; i++)
		vs_show_source(h[i].m, width, out);

	for (g = 0, i = 0; g < s.n; g++)
		i += knows_any(s.v[g].host->m, s.v[g].rep);
	if (n_vmx && !i) {
		fputc('\n', out);
		vs_print_wrapped(out, width, "", "", "What VMX offers here is not known from this source: Linux shows no vmx flags where it cleared vmx, and only root (msr.ko) or vmxcap.ko can read the capability MSRs.", "");
	} else if (n_vmx) {
		fputc('\n', out);
		ret = features(&s, letters, o, width, out);
		if (s.differ)
			fprintf(out, "The sets differ: vmxcap-show --diff says how.\n");
	}
	if (!ret && n_vmx)
		vs_print_wrapped(out, width, "", "",
				 "Every control, field and CR0/CR4 bit: vmxcap-show --long; what one means: vmxcap-show explain NAME", "");
	vs_sets_free(&s);
	if (ret)
		return ret;
	return n_vmx ? 0 : 1;	/* no VMX here: the negative answer */
}
