// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: what the readiness profiles share - the decoder keys their
 * rules use, the result they fill, and the list of profiles.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv.h"
#include "kvm.h"

struct vs_hv_place vs_hv_resolve(const char *key)
{
	struct vs_hv_place pl = { 0 };
	const char *dot = strchr(key, '.');
	size_t t, f;
	int g;

	if (dot) {
		g = vs_group_by_id(key, (size_t)(dot - key));
		if (g >= 0 && vs_ctl_by_name(g, dot + 1, &pl.bit)) {
			pl.ctl = true;
			pl.group = g;
			pl.pos = pl.bit;
			return pl;
		}
		for (t = 0; t < VMXCAP_NR_FIELD_TABLES; t++) {
			const struct vmxcap_field_table *ft = &vmxcap_field_tables[t];

			if (strlen(ft->id) != (size_t)(dot - key) || strncmp(ft->id, key, (size_t)(dot - key)))
				continue;
			for (f = 0; f < ft->nr_fields; f++)
				if (!strcmp(ft->fields[f].id, dot + 1)) {
					pl.group = (int)t;
					pl.bit = (unsigned int)f;
					pl.pos = ft->fields[f].lo;
					return pl;
				}
		}
	}
	/* The rules are data compiled in: a key the decoder lacks is our bug. */
	fprintf(stderr, "vmxcap-show: internal error: rule key '%s' is not the decoder's\n", key);
	abort();
}

void vs_hv_reason(struct vs_hv_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nreasons == VS_HV_MAX_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->reasons[r->nreasons++], sizeof(r->reasons[0]), fmt, ap);
	va_end(ap);
}

void vs_hv_condition(struct vs_hv_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nconditions == ARRAY_LEN(r->conditions))
		return;
	va_start(ap, fmt);
	vsnprintf(r->conditions[r->nconditions++], sizeof(r->conditions[0]), fmt, ap);
	va_end(ap);
}

void vs_hv_missing(struct vs_hv_result *r, const char *key, int bit, const char *cite)
{
	size_t i;

	for (i = 0; i < r->nmissing; i++)
		if (!strcmp(r->missing[i].key, key))
			return;
	if (r->nmissing == VS_HV_MAX_MISSING)
		return;
	snprintf(r->missing[r->nmissing].key, sizeof(r->missing[0].key), "%s", key);
	r->missing[r->nmissing].bit = bit;
	r->missing[r->nmissing].cite = cite;
	r->nmissing++;
}

void vs_hv_cite(const char *cite, const char *ver, char *buf, size_t size)
{
	char file[64] = "";
	size_t vl = strlen(ver);
	const char *p = cite;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (n > vl && !strncmp(p, ver, vl) && p[vl] == ':') {
			snprintf(buf, size, "%s%s%.*s", file, file[0] ? ":" : "", (int)(n - vl - 1),
				 p + vl + 1);
			return;
		}
		if (!memchr(p, ':', n) && n < sizeof(file))
			snprintf(file, sizeof(file), "%.*s", (int)(n - (p[n - 1] == ',')), p);
		p += n;
		while (*p == ' ')
			p++;
	}
	snprintf(buf, size, "%s", cite);
}

struct vs_hv_value *vs_hv_value(struct vs_hv_result *r, const char *name)
{
	struct vs_hv_value *v;
	size_t i;

	for (i = 0; i < r->nvalues; i++)
		if (!strcmp(r->values[i].name, name))
			return &r->values[i];
	if (r->nvalues == VS_HV_MAX_VALUES) {
		fprintf(stderr, "vmxcap-show: internal error: more than %d values\n",
			VS_HV_MAX_VALUES);
		abort();
	}
	v = &r->values[r->nvalues++];
	memset(v, 0, sizeof(*v));
	v->name = name;
	return v;
}

static const struct vs_hv_profile kvm_profile = {
	.id = "kvm", .name = "KVM (kvm_intel)", .versions = vs_kvm_versions,
	.evaluate = vs_kvm_evaluate,
};

const struct vs_hv_profile *const vs_hv_profiles[] = { &kvm_profile };
const size_t vs_hv_nprofiles = ARRAY_LEN(vs_hv_profiles);

const struct vs_hv_profile *vs_hv_profile(const char *name)
{
	size_t i;

	for (i = 0; i < vs_hv_nprofiles; i++)
		if (vs_name_eq(name, vs_hv_profiles[i]->id))
			return vs_hv_profiles[i];
	return NULL;
}
