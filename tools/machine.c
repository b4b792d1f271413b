// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the machine as every source delivers it - CPUs sorted by
 * number, each pointing to a shared raw set - and what the outputs ask of
 * it: which CPUs are selected, and which have identical capabilities.
 */
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

/* What vs_cpu_init() gives every CPU until a source knows better. */
static const struct vs_facts unknown_facts = {
	.family = -1, .model = -1, .stepping = -1,
	.hypervisor = -1, .vmx = -1, .svm = -1, .linux_vmx = -1,
	.nx = -1, .umip = -1, .shstk = -1, .ibt = -1, .sgx = -1, .leaf15 = -1,
	.kernel_vmx = -1, .kernel_hid_vmx = -1, .microcode = -1,
};

void vs_facts_init(struct vs_facts *f)
{
	*f = unknown_facts;
}

void vs_cpu_init(struct vs_cpu *c, unsigned int id)
{
	c->id = id;
	c->raw = NULL;
	c->facts = &unknown_facts;
}

static bool same_string(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* CPUID's identity: vendor, family/model/stepping, VMX, SVM, hypervisor. */
static bool same_cpuid(const struct vs_facts *a, const struct vs_facts *b)
{
	return !strcmp(a->vendor, b->vendor) && a->family == b->family &&
	       a->model == b->model && a->stepping == b->stepping &&
	       a->hypervisor == b->hypervisor && a->vmx == b->vmx && a->svm == b->svm &&
	       !strcmp(a->hv_vendor, b->hv_vendor) && a->microcode == b->microcode;
}

/* What hypervisors read besides the MSRs (vs_same_facts()). */
static bool same_kernel_facts(const struct vs_facts *a, const struct vs_facts *b)
{
	return a->nx == b->nx && a->umip == b->umip && a->shstk == b->shstk &&
	       a->ibt == b->ibt && a->sgx == b->sgx && a->leaf15 == b->leaf15 &&
	       a->leaf15_eax == b->leaf15_eax && a->leaf15_ebx == b->leaf15_ebx &&
	       a->kernel_vmx == b->kernel_vmx && a->kernel_hid_vmx == b->kernel_hid_vmx;
}

/* Every field: the machine keeps one struct vs_facts per distinct value. */
static bool facts_equal(const struct vs_facts *a, const struct vs_facts *b)
{
	return same_cpuid(a, b) && same_kernel_facts(a, b) && same_string(a->label, b->label) &&
	       a->linux_vmx == b->linux_vmx && same_string(a->linux_flags, b->linux_flags) &&
	       a->linux_hid_vmx == b->linux_hid_vmx;
}

/* FNV-1a over the fields facts_equal() compares (strings by content). */
static size_t facts_hash(const struct vs_facts *f)
{
	const int ints[] = {
		f->family, f->model, f->stepping, f->hypervisor, f->vmx, f->svm,
		f->linux_vmx, f->linux_hid_vmx, f->nx, f->umip, f->shstk, f->ibt,
		f->sgx, f->leaf15, (int)f->leaf15_eax, (int)f->leaf15_ebx,
		f->kernel_vmx, f->kernel_hid_vmx, (int)f->microcode,
	};
	const char *strs[] = { f->vendor, f->hv_vendor, f->label, f->linux_flags };
	u64 h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < ARRAY_LEN(ints); i++)
		h = (h ^ (u32)ints[i]) * 0x100000001b3ull;
	for (i = 0; i < ARRAY_LEN(strs); i++) {
		const char *p = strs[i] ? strs[i] : "";

		for (; *p; p++)
			h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
		h = (h ^ (strs[i] ? 0xff : 0xfe)) * 0x100000001b3ull;
	}
	return (size_t)(h ^ (h >> 32));
}

const struct vs_facts *vs_machine_facts(struct vs_machine *m, const struct vs_facts *f)
{
	size_t h, i;

	/* Neighbouring CPUs mostly agree: the last one made first. */
	if (m->nfacts && facts_equal(m->facts[m->nfacts - 1], f))
		return m->facts[m->nfacts - 1];
	if (2 * (m->nfacts + 1) >= m->facts_slots) {
		/* Rehash into twice the slots (at least 16). */
		m->facts_slots = m->facts_slots ? 2 * m->facts_slots : 16;
		free(m->facts_slot);
		m->facts_slot = xcalloc(m->facts_slots, sizeof(*m->facts_slot));
		for (i = 0; i < m->nfacts; i++) {
			for (h = facts_hash(m->facts[i]) & (m->facts_slots - 1); m->facts_slot[h];
			     h = (h + 1) & (m->facts_slots - 1))
				;
			m->facts_slot[h] = i + 1;
		}
	}
	for (h = facts_hash(f) & (m->facts_slots - 1); m->facts_slot[h];
	     h = (h + 1) & (m->facts_slots - 1))
		if (facts_equal(m->facts[m->facts_slot[h] - 1], f))
			return m->facts[m->facts_slot[h] - 1];
	/* Grows by doubling: nfacts is a power of two when the array is full. */
	if (!(m->nfacts & (m->nfacts - 1)))
		m->facts = xrealloc(m->facts, (m->nfacts ? 2 * m->nfacts : 1) * sizeof(*m->facts));
	m->facts[m->nfacts] = xmalloc(sizeof(**m->facts));
	*m->facts[m->nfacts] = *f;
	m->facts_slot[h] = m->nfacts + 1;
	return m->facts[m->nfacts++];
}

void vs_machine_free(struct vs_machine *m)
{
	size_t i;

	for (i = 0; i < m->nraws; i++)
		free(m->raws[i]);
	for (i = 0; i < m->nstrings; i++)
		free(m->strings[i]);
	for (i = 0; i < m->nfacts; i++)
		free(m->facts[i]);
	free(m->cpus);
	free(m->raws);
	free(m->strings);
	free(m->facts);
	free(m->facts_slot);
	free(m->baseline_of);
	m->baseline_of = NULL;
	m->nbaseline_of = 0;
	m->cpus = NULL;
	m->raws = NULL;
	m->strings = NULL;
	m->facts = NULL;
	m->facts_slot = NULL;
	m->n = m->nraws = m->nstrings = m->nfacts = m->facts_slots = 0;
}

/*
 * The CPU's facts with label (one of m's strings); a CPU of another
 * machine (foreign) also gets its vmx flags line copied into m.
 */
static void relabel(struct vs_machine *m, struct vs_cpu *c, const char *label, bool foreign)
{
	struct vs_facts f = *c->facts;

	f.label = label;
	if (foreign && f.linux_flags)
		f.linux_flags = vs_machine_string(m, f.linux_flags);
	c->facts = vs_machine_facts(m, &f);
}

void vs_machine_append(struct vs_machine *m, struct vs_machine *other, const char *label,
			const char *other_label)
{
	const char *mine = vs_machine_string(m, label), *theirs;
	unsigned int next = 0;
	size_t i, j, k, n0 = m->n;

	for (i = 0; i < m->n; i++) {
		if (m->cpus[i].id >= next)
			next = m->cpus[i].id + 1;
		if (!m->cpus[i].facts->label)
			relabel(m, &m->cpus[i], mine, false);
	}
	theirs = vs_machine_string(m, other_label);
	m->cpus = xrealloc(m->cpus, (m->n + other->n) * sizeof(*m->cpus));
	/* One CPU per distinct raw set of the other machine. */
	for (i = 0; i < other->n; i++) {
		for (j = 0; j < i && other->cpus[j].raw != other->cpus[i].raw; j++)
			;
		if (j < i)
			continue;
		k = m->n++;
		m->cpus[k] = other->cpus[i];
		m->cpus[k].id = next++;
		relabel(m, &m->cpus[k], theirs, true);
	}
	for (i = 0; i < other->nraws; i++)
		*vs_machine_new_raw(m) = *other->raws[i];
	/* The appended CPUs point at the copies. */
	for (k = n0; k < m->n; k++)
		for (i = 0; i < other->nraws; i++)
			if (m->cpus[k].raw == other->raws[i])
				m->cpus[k].raw = m->raws[m->nraws - other->nraws + i];
	vs_machine_free(other);
}

const char *vs_machine_string(struct vs_machine *m, const char *s)
{
	if (m->nstrings && !strcmp(m->strings[m->nstrings - 1], s))
		return m->strings[m->nstrings - 1];
	if (!(m->nstrings & (m->nstrings - 1)))
		m->strings = xrealloc(m->strings, (m->nstrings ? 2 * m->nstrings : 1) *
				      sizeof(*m->strings));
	m->strings[m->nstrings] = xstrdup(s);
	return m->strings[m->nstrings++];
}

unsigned int vs_kver_of(const char *release)
{
	unsigned int a, b;

	if (sscanf(release, "%u.%u", &a, &b) != 2 || a > 255 || b > 255)
		return 0;
	return VMXCAP_KVER(a, b);
}

struct vmxcap_raw *vs_machine_new_raw(struct vs_machine *m)
{
	/* Grows by doubling: nraws is a power of two when the array is full. */
	if (!(m->nraws & (m->nraws - 1)))
		m->raws = xrealloc(m->raws, (m->nraws ? 2 * m->nraws : 1) * sizeof(*m->raws));
	m->raws[m->nraws] = xcalloc(1, sizeof(struct vmxcap_raw));
	return m->raws[m->nraws++];
}

/*
 * In linear time through an index by CPU number: a dump's sets interleave
 * their CPUs.
 */
int vs_machine_sort(struct vs_machine *m, const char *what)
{
	struct vs_cpu *sorted;
	int *pos;
	size_t i, k = 0;

	for (i = 1; i < m->n; i++)
		if (m->cpus[i].id <= m->cpus[i - 1].id)
			break;
	if (i >= m->n)
		return 0;
	pos = xmalloc((VS_MAX_CPU + 1) * sizeof(*pos));
	memset(pos, 0xff, (VS_MAX_CPU + 1) * sizeof(*pos));	/* all -1 */
	for (i = 0; i < m->n; i++) {
		if (pos[m->cpus[i].id] >= 0) {
			vs_error("%s: cpu %u appears twice", what, m->cpus[i].id);
			free(pos);
			return -1;
		}
		pos[m->cpus[i].id] = (int)i;
	}
	sorted = xmalloc(m->n * sizeof(*sorted));
	for (i = 0; i <= VS_MAX_CPU; i++)
		if (pos[i] >= 0)
			sorted[k++] = m->cpus[pos[i]];
	free(m->cpus);
	m->cpus = sorted;
	free(pos);
	return 0;
}

void vs_format_identity(const struct vs_cpu *c, char *buf, size_t size)
{
	const struct vs_facts *f = c->facts;
	size_t len = 0;

	len += (size_t)snprintf(buf, size, "%s", f->vendor[0] ? f->vendor : "vendor unknown");
	if (f->family >= 0 && len < size)
		len += (size_t)snprintf(buf + len, size - len,
					" family 0x%x model 0x%x stepping 0x%x",
					f->family, f->model, f->stepping);
	if (f->microcode >= 0 && len < size)
		len += (size_t)snprintf(buf + len, size - len, " microcode 0x%llx", f->microcode);
	if (len < size)
		snprintf(buf + len, size - len, ", hypervisor: %s",
			 f->hypervisor < 0 ? "unknown" : f->hypervisor ? "yes" : "no");
}

void vs_format_identity_short(const struct vs_cpu *c, char *buf, size_t size)
{
	const struct vs_facts *f = c->facts;
	size_t len;

	len = (size_t)snprintf(buf, size, "%s", f->vendor[0] ? f->vendor : "vendor unknown");
	if (f->family >= 0 && len < size)
		len += (size_t)snprintf(buf + len, size - len,
					" family 0x%x model 0x%x stepping 0x%x",
					f->family, f->model, f->stepping);
	if (f->label && len < size)
		snprintf(buf + len, size - len, " (%s)", f->label);
}

bool vs_same_caps(const struct vs_cpu *a, const struct vs_cpu *b)
{
	const struct vs_facts *fa = a->facts, *fb = b->facts;
	unsigned int m;

	if (a->raw == b->raw && fa == fb)
		return true;	/* the same shared raw set and facts */
	/* Without MSR values, Linux's view is all there is to compare. */
	if (fa->linux_vmx != fb->linux_vmx || !same_string(fa->linux_flags, fb->linux_flags))
		return false;
	if (a->raw == b->raw)
		return true;	/* one shared raw set */
	if (a->raw->present != b->raw->present || a->raw->faulted != b->raw->faulted)
		return false;
	for (m = 0; m < VMXCAP_NR_MSRS; m++)
		if ((a->raw->present & VMXCAP_MSR_BIT(m)) && a->raw->val[m] != b->raw->val[m])
			return false;
	return true;
}

bool vs_same_identity(const struct vs_cpu *a, const struct vs_cpu *b)
{
	return a->facts == b->facts ||
	       (same_cpuid(a->facts, b->facts) && same_kernel_facts(a->facts, b->facts));
}

bool vs_same_facts(const struct vs_cpu *a, const struct vs_cpu *b)
{
	return same_kernel_facts(a->facts, b->facts);
}

/* Same capabilities, and the same identity and fixture id. */
static bool same_cpu(const struct vs_cpu *a, const struct vs_cpu *b)
{
	return vs_same_caps(a, b) && vs_same_identity(a, b) &&
	       same_string(a->facts->label, b->facts->label);
}

static bool same_group(const struct vs_cpu *a, const struct vs_cpu *b, bool identity)
{
	return identity ? same_cpu(a, b) : vs_same_caps(a, b);
}

/* A hash of the capabilities (the raw set): equal raw sets hash equal. */
static u64 caps_hash(const struct vmxcap_raw *raw)
{
	u64 h = 0xcbf29ce484222325ull ^ ((u64)raw->present << 32 | raw->faulted);
	unsigned int m;

	for (m = 0; m < VMXCAP_NR_MSRS; m++)
		if (raw->present & VMXCAP_MSR_BIT(m)) {
			h = (h ^ raw->val[m]) * 0x100000001b3ull;
			h ^= h >> 29;
		}
	return h;
}

/* Inserts group g (hash gh) into the open-addressing table slot[size]. */
static void slot_insert(size_t *slot, size_t size, u64 gh, size_t g)
{
	size_t h;

	for (h = (size_t)gh & (size - 1); slot[h]; h = (h + 1) & (size - 1))
		;
	slot[h] = g + 1;
}

/* Fills gr->of and gr->rep; returns the number of groups. */
static size_t group_cpus(const struct vs_machine *m, const bool *sel, bool identity,
			 struct vs_groups *gr)
{
	enum { RECENT = 4 };
	size_t size = 16, ngroups = 0, i, k, g, *slot = NULL, recent[RECENT] = { 0 }, nrecent = 0;
	u64 *ghash = NULL, hash;

	for (i = 0; i < m->n; i++) {
		const struct vs_cpu *c = &m->cpus[i];
		size_t h, nr = nrecent < RECENT ? nrecent : RECENT;

		if (sel && !sel[i])
			continue;
		/*
		 * A CPU usually equals one of the last few groups' (hybrid
		 * parts alternate a few): no hash needed then.  The same raw
		 * set and facts first: a pointer each, no values compared.
		 */
		for (k = 0; k < nr; k++)
			if (m->cpus[gr->rep[recent[k]]].raw == c->raw &&
			    m->cpus[gr->rep[recent[k]]].facts == c->facts)
				break;
		if (k == nr)
			for (k = 0; k < nr; k++)
				if (same_group(&m->cpus[gr->rep[recent[k]]], c, identity))
					break;
		if (k < nr) {
			gr->of[i] = recent[k];
			continue;
		}
		/* Up to RECENT groups all are recent: this one is new. */
		if (ngroups >= RECENT && !slot) {
			/* The hash table, made once there are more groups. */
			while (size < 2 * m->n)
				size *= 2;
			/* Open addressing: slot holds group + 1, 0 when free. */
			slot = xcalloc(size, sizeof(*slot));
			ghash = xmalloc(m->n * sizeof(*ghash));
			for (g = 0; g < ngroups; g++) {
				ghash[g] = caps_hash(m->cpus[gr->rep[g]].raw);
				slot_insert(slot, size, ghash[g], g);
			}
		}
		g = ngroups;
		if (slot) {
			hash = caps_hash(c->raw);
			for (h = (size_t)hash & (size - 1); slot[h]; h = (h + 1) & (size - 1))
				if (ghash[slot[h] - 1] == hash &&
				    same_group(&m->cpus[gr->rep[slot[h] - 1]], c, identity))
					break;
			if (slot[h]) {
				g = slot[h] - 1;
			} else {
				ghash[g] = hash;
				slot[h] = g + 1;
			}
		}
		if (g == ngroups)
			gr->rep[ngroups++] = i;
		gr->of[i] = g;
		recent[nrecent++ % RECENT] = g;
	}
	free(slot);
	free(ghash);
	return ngroups;
}

/* Each group's CPU count and CPU list, never cut short. */
static void group_lists(const struct vs_machine *m, const bool *sel, struct vs_groups *gr)
{
	size_t *start = xcalloc(gr->n + 1, sizeof(*start)), *at, i, g;
	unsigned int *ids = xmalloc(m->n * sizeof(*ids));

	at = xcalloc(gr->n + 1, sizeof(*at));
	gr->count = xcalloc(gr->n, sizeof(*gr->count));
	gr->lists = xcalloc(gr->n, sizeof(*gr->lists));
	/* Counting sort by group keeps each group's CPUs in ascending order. */
	for (i = 0; i < m->n; i++)
		if (!sel || sel[i])
			gr->count[gr->of[i]]++;
	for (g = 0; g < gr->n; g++)
		start[g + 1] = start[g] + gr->count[g];
	memcpy(at, start, (gr->n + 1) * sizeof(*at));
	for (i = 0; i < m->n; i++)
		if (!sel || sel[i])
			ids[at[gr->of[i]]++] = m->cpus[i].id;
	for (g = 0; g < gr->n; g++) {
		/* 12 bytes a CPU: "8191," is 5; the list never needs an ellipsis. */
		size_t size = 12 * gr->count[g] + 8;

		gr->lists[g] = xmalloc(size);
		vs_format_cpulist(ids + start[g], gr->count[g], gr->lists[g], size);
	}
	free(start);
	free(at);
	free(ids);
}

void vs_groups_make(const struct vs_machine *m, const bool *sel, bool identity,
		    struct vs_groups *gr)
{
	/* of[0..n) and, after it, rep. */
	gr->of = xmalloc(2 * m->n * sizeof(*gr->of));
	gr->rep = gr->of + m->n;
	gr->n = group_cpus(m, sel, identity, gr);
	group_lists(m, sel, gr);
}

void vs_groups_free(struct vs_groups *gr)
{
	size_t g;

	for (g = 0; g < gr->n; g++)
		free(gr->lists[g]);
	free(gr->lists);
	free(gr->count);
	free(gr->of);
}

bool *vs_select_cpus(const struct vs_machine *m, const char *list, bool all)
{
	bool *sel = xcalloc(m->n, sizeof(*sel)), *want;
	size_t i;

	if (!list) {
		for (i = 0; i < m->n; i++)
			sel[i] = all || i == 0;	/* cpu0, or the lowest CPU there is */
		return sel;
	}
	want = xcalloc(VS_MAX_CPU + 1, sizeof(*want));
	if (vs_parse_cpulist(list, want, NULL, "--cpu"))
		goto fail;
	for (i = 0; i < m->n; i++) {
		sel[i] = want[m->cpus[i].id];
		want[m->cpus[i].id] = false;
	}
	for (i = 0; i <= VS_MAX_CPU; i++)
		if (want[i]) {
			vs_error("--cpu: cpu %zu is not in the %s (%s)", i, m->source_kind,
				 m->source);
			goto fail;
		}
	free(want);
	return sel;
fail:
	free(want);
	free(sel);
	return NULL;
}
