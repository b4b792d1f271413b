// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: --require with hypervisor profiles (kvm, xen, bhyve,
 * virtualbox) - the verdict for the selected CPUs, what the hypervisor
 * will use and what not with the reason, what it prints when it refuses;
 * on a live machine also what the loaded kvm_intel does.  Human lines or
 * one JSON object per profile (schema: tools/README.md).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonw.h"
#include "kvm.h"
#include "table.h"

#define MAX_PROFILES 4

const char *vs_hv_verdict_id(enum vs_verdict v)
{
	return v == VS_RUNS ? "runs" : v == VS_REFUSES ? "refuses" : "unknown";
}

/* The version of a profile to evaluate; -1 with vs_error. */
static int choose_version(const struct vs_hv_profile *p, const struct vs_machine *m,
			  const struct vs_hv_args *a, char *note, size_t size)
{
	size_t i, n = 0;

	if (!strcmp(p->id, "kvm"))
		return vs_kvm_version(m, a->kver, note, size);
	for (n = 0; p->versions[n]; n++)
		;
	if (!a->hv_version || n == 1) {
		snprintf(note, size, n == 1 ? "the one modelled" :
			 "the newest modelled (--hypervisor-version chooses)");
		return (int)n - 1;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(a->hv_version, p->versions[i])) {
			snprintf(note, size, "--hypervisor-version");
			return (int)i;
		}
	vs_error("--hypervisor-version: %s is modelled as %s%s%s, not '%s'", p->name, p->versions[0],
		 n > 1 ? " to " : "", n > 1 ? p->versions[n - 1] : "", a->hv_version);
	return -1;
}

/* The live module's values beside the prediction (KVM on a live machine). */
static void live_module(const struct vs_machine *m, struct vs_hv_result *r)
{
	struct vs_kvm_params act;
	size_t i;

	r->loaded = -1;
	if (!m->root || strcmp(r->profile, "kvm"))
		return;
	r->loaded = vs_kvm_loaded_params(m->root, &act);
	for (i = 0; r->loaded && i < r->nvalues; i++) {
		int k;

		for (k = 0; k < (int)vs_kvm_nparams; k++)
			if (!strcmp(vs_kvm_params[k].name, r->values[i].name))
				break;
		if (k < (int)vs_kvm_nparams && act.known[k]) {
			r->values[i].has_actual = true;
			r->values[i].actual = act.v[k];
		}
	}
}

/* Why the running module's value differs from the prediction, or NULL when it does not. */
static const char *live_difference(const struct vs_hv_value *v, char *buf, size_t size)
{
	if (!v->has_actual)
		return NULL;
	if (!v->known) {
		snprintf(buf, size, "%s=%s here; the model could not tell (%s)", v->name,
			 v->actual ? (v->number ? "on" : "Y") : (v->number ? "0" : "N"), v->why);
		return buf;
	}
	if (v->actual == v->v)
		return NULL;
	if (!v->actual || (v->number && v->actual < v->v))
		snprintf(buf, size, "%s=%lld here although the CPU allows %lld: set when the module was loaded (/etc/modprobe.d, the kernel command line)%s",
			 v->name, v->actual, v->v,
			 !strcmp(v->name, "enable_apicv") || !strcmp(v->name, "enable_ipiv") ?
			 ", or kept by kvm.ko from an earlier load (it holds this variable)" : "");
	else
		snprintf(buf, size, "%s=%lld here, predicted %lld (%s): vmxcap-show's model of kvm_intel is wrong here; please report it",
			 v->name, v->actual, v->v, v->why);
	return buf;
}

static void print_human(const struct vs_hv_result *r, int width, FILE *out)
{
	char text[2048], diff[400];
	size_t i, len;
	int ndiff = 0;

	snprintf(text, sizeof(text), "%s %s: %s", r->name, r->version,
		 r->verdict == VS_RUNS ? "runs" : r->verdict == VS_REFUSES ? "refuses" :
		 "cannot tell");
	if (r->verdict == VS_RUNS)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), " on %s %zu CPU%s (%s)",
			 r->ncpus > 1 ? "all" : "its", r->ncpus, r->ncpus == 1 ? "" : "s", r->cpulist);
	if (r->host) {
		char lead[300];

		snprintf(lead, sizeof(lead), "host %s: ", r->host);
		vs_print_wrapped(out, width, lead, "  ", text, "");
	} else {
		vs_print_wrapped(out, width, "", "  ", text, "");
	}
	snprintf(text, sizeof(text), "%s%s", r->version_note, r->derived ? "; " : "");
	if (r->derived)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s", r->derived);
	vs_print_wrapped(out, width, "  version:  ", "            ", text, "");
	for (i = 0; i < r->nconditions; i++)
		vs_print_wrapped(out, width, i ? "            " : "  if:       ", "            ",
				 r->conditions[i], "");
	if (r->nmissing) {
		for (i = 0, len = 0, text[0] = '\0'; i < r->nmissing; i++)
			len += (size_t)snprintf(text + len, len < sizeof(text) ? sizeof(text) - len : 0,
						"%s%s (bit %d)", i ? ", " : "", r->missing[i].key,
						r->missing[i].bit);
		vs_print_wrapped(out, width, "  missing:  ", "            ", text, "");
	}
	for (i = 0; i < r->nreasons; i++)
		vs_print_wrapped(out, width, i ? "            " : "  why:      ", "            ",
				 r->reasons[i], "");
	if (r->has_log) {
		snprintf(text, sizeof(text), "%s", r->log[0] ? r->log : "(nothing)");
		vs_print_wrapped(out, width, "  log:      ", "            ", text, "");
	}
	if (r->verdict == VS_REFUSES || !r->nvalues)
		goto module;
	for (i = 0, len = 0, text[0] = '\0'; i < r->nvalues; i++) {
		const struct vs_hv_value *v = &r->values[i];

		if (v->name[0] == '_' || !v->known || (!v->v && (!v->number || v->why[0])))
			continue;
		if (v->number)
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s=%lld ", v->name, v->v);
		else
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s ", v->name);
	}
	if (len) {
		text[len - 1] = '\0';
		vs_print_wrapped(out, width, "  uses:     ", "            ", text, "");
	}
	for (i = 0, len = 0; i < r->nvalues; i++) {
		const struct vs_hv_value *v = &r->values[i];

		if (v->name[0] == '_' || !v->known || v->v || (v->number && !v->why[0]))
			continue;
		snprintf(text, sizeof(text), "%s: %s", v->name, v->why[0] ? v->why : "off");
		vs_print_wrapped(out, width, len++ ? "            " : "  not:      ", "              ",
				 text, "");
	}
	for (i = 0, len = 0; i < r->nvalues; i++) {
		const struct vs_hv_value *v = &r->values[i];

		if (v->name[0] == '_' || v->known)
			continue;
		snprintf(text, sizeof(text), "%s: %s", v->name, v->why);
		vs_print_wrapped(out, width, len++ ? "            " : "  unknown:  ", "              ",
				 text, "");
	}
module:
	if (r->loaded == 0) {
		vs_print_wrapped(out, width, "  now:      ", "            ",
				 "kvm_intel is not loaded", "");
	} else if (r->loaded == 1) {
		for (i = 0; i < r->nvalues; i++)
			if (live_difference(&r->values[i], diff, sizeof(diff))) {
				vs_print_wrapped(out, width, ndiff++ ? "            " : "  now:      ",
						 "              ", diff, "");
			}
		if (!ndiff)
			vs_print_wrapped(out, width, "  now:      ", "            ",
					 "kvm_intel is loaded: every parameter as predicted", "");
	}
}

static void print_json(const struct vs_hv_result *r, const char *const *features,
		       const int *offered, size_t nfeatures, struct jw *w)
{
	size_t i;

	jw_object(w);
	if (r->host)
		jw_key_string(w, "host", r->host);
	jw_key_string(w, "profile", r->profile);
	jw_key_string(w, "name", r->name);
	jw_key_string(w, "version", r->version);
	jw_key_string(w, "version_chosen_by", r->version_note);
	jw_key_string(w, "verdict", vs_hv_verdict_id(r->verdict));
	jw_key(w, "missing");
	jw_array(w);
	for (i = 0; i < r->nmissing; i++) {
		const char *dot = strchr(r->missing[i].key, '.');

		jw_object(w);
		if (dot) {
			char group[32];

			snprintf(group, sizeof(group), "%.*s", (int)(dot - r->missing[i].key),
				 r->missing[i].key);
			jw_key_string(w, "group", group);
			jw_key_string(w, "id", dot + 1);
			jw_key_int(w, "bit", r->missing[i].bit);
		} else {
			jw_key_string(w, "requirement", r->missing[i].key);
		}
		if (r->missing[i].cite) {
			char cite[160];

			vs_hv_cite(r->missing[i].cite, r->version, cite, sizeof(cite));
			jw_key_string(w, "source", cite);
		}
		jw_end(w);
	}
	jw_end(w);
	jw_key(w, "reasons");
	jw_array(w);
	for (i = 0; i < r->nreasons; i++)
		jw_string(w, r->reasons[i]);
	jw_end(w);
	jw_key(w, "conditions");
	jw_array(w);
	for (i = 0; i < r->nconditions; i++)
		jw_string(w, r->conditions[i]);
	jw_end(w);
	jw_key(w, "log");
	if (r->has_log)
		jw_string(w, r->log);
	else
		jw_null(w);
	if (r->err)
		jw_key_string(w, "errno", r->err);
	if (r->derived)
		jw_key_string(w, "derived", r->derived);
	if (!strcmp(r->profile, "kvm")) {
		jw_key(w, "parameters");
		jw_object(w);
		for (i = 0; i < r->nvalues; i++) {
			const struct vs_hv_value *v = &r->values[i];

			jw_key(w, v->name);
			if (!v->known || r->verdict == VS_REFUSES)
				jw_null(w);
			else if (v->number)
				jw_int(w, v->v);
			else
				jw_bool(w, v->v);
		}
		jw_end(w);
		jw_key(w, "parameter_reasons");
		jw_object(w);
		for (i = 0; i < r->nvalues; i++)
			if (r->values[i].why[0])
				jw_key_string(w, r->values[i].name, r->values[i].why);
		jw_end(w);
	} else if (r->nvalues) {
		jw_key(w, "uses");
		jw_object(w);
		for (i = 0; i < r->nvalues; i++) {
			if (r->values[i].name[0] == '_')
				continue;
			jw_key(w, r->values[i].name);
			if (r->values[i].known)
				jw_bool(w, r->values[i].v);
			else
				jw_null(w);
		}
		jw_end(w);
	}
	if (nfeatures) {
		jw_key(w, "features");
		jw_object(w);
		for (i = 0; i < nfeatures; i++) {
			jw_key(w, features[i]);
			if (offered[i] < 0)
				jw_null(w);
			else
				jw_bool(w, offered[i]);
		}
		jw_end(w);
	}
	jw_key_string(w, "cpus_evaluated", r->cpulist);
	if (r->cpus[0])
		jw_key_string(w, "cpus", r->cpus);
	if (r->loaded >= 0) {
		char diff[400];

		jw_key(w, "module");
		jw_object(w);
		jw_key_bool(w, "loaded", r->loaded);
		if (r->loaded) {
			jw_key(w, "parameters");
			jw_object(w);
			for (i = 0; i < r->nvalues; i++)
				if (r->values[i].has_actual) {
					jw_key(w, r->values[i].name);
					if (r->values[i].number)
						jw_int(w, r->values[i].actual);
					else
						jw_bool(w, r->values[i].actual);
				}
			jw_end(w);
			jw_key(w, "differences");
			jw_array(w);
			for (i = 0; i < r->nvalues; i++)
				if (live_difference(&r->values[i], diff, sizeof(diff)))
					jw_string(w, diff);
			jw_end(w);
		}
		jw_end(w);
	}
	jw_end(w);
}

/* Whether every selected CPU offers feature f: 1, 0, or -1 (unknown). */
static int offered_by_all(const struct vs_machine *m, const bool *sel, const struct vs_feature *f)
{
	size_t i;
	int all = 1;
	bool from_linux;
	char why[300];

	for (i = 0; i < m->n; i++) {
		int o;

		if (!sel[i])
			continue;
		o = vs_feature_offered(m, &m->cpus[i], f, &from_linux, why, sizeof(why));
		if (o == 0)
			return 0;
		if (o < 0)
			all = -1;
	}
	return all;
}

int vs_hv_judge(const struct vs_host *h, const struct vs_hv_profile *p,
		const struct vs_hv_args *a, struct vs_hv_result *r)
{
	const struct vs_machine *m = h->m;
	unsigned int *ids;
	size_t n = 0, c;
	int ver;

	r->host = h->name;
	r->profile = p->id;
	r->name = p->name;
	ver = choose_version(p, m, a, r->version_note, sizeof(r->version_note));
	if (ver < 0)
		return -1;
	snprintf(r->version, sizeof(r->version), "%s", p->versions[ver]);
	ids = xmalloc(m->n * sizeof(*ids));
	for (c = 0; c < m->n; c++)
		if (h->sel[c])
			ids[n++] = m->cpus[c].id;
	vs_format_cpulist(ids, n, r->cpulist, sizeof(r->cpulist));
	r->ncpus = n;
	free(ids);
	p->evaluate(p, (unsigned int)ver, m, h->sel, a, r);
	return 0;
}

/*
 * Each profile's verdict on one host's selected CPUs (their features
 * besides), printed; the status as vs_readiness() combines it, or -1 on
 * an error (nothing printed for it).
 */
static int profiles_on(const struct vs_host *h, const struct vs_hv_profile *const *profiles,
		       size_t np, const struct vs_feature *feats, const char *const *fnames,
		       size_t nf, const struct vs_hv_args *a, struct jw *w, size_t *nprinted,
		       FILE *out)
{
	const struct vs_machine *m = h->m;
	int offered[64], worst = 0;
	size_t i, k;

	for (k = 0; k < nf; k++)
		offered[k] = offered_by_all(m, h->sel, &feats[k]);
	for (i = 0; i < np; i++) {
		struct vs_hv_result *r = xcalloc(1, sizeof(*r));

		if (vs_hv_judge(h, profiles[i], a, r)) {
			free(r);
			return -1;
		}
		for (k = 0; k < nf; k++)
			if (offered[k] == 0) {
				vs_hv_missing(r, fnames[k], -1, "--require");
				if (r->verdict == VS_RUNS)
					r->verdict = VS_REFUSES;
			} else if (offered[k] < 0 && r->verdict == VS_RUNS) {
				r->verdict = VS_CANNOT_TELL;
				vs_hv_reason(r, "whether every CPU offers %s is not known from this source",
					     fnames[k]);
			}
		live_module(m, r);
		if (w) {
			/* One object a line: a host's and profile's after another's. */
			if ((*nprinted)++)
				jw_raw(w, "\n", 1);
			print_json(r, fnames, offered, nf, w);
		} else {
			print_human(r, vs_term_width(out), out);
		}
		worst = r->verdict == VS_REFUSES ? 1 : worst == 1 ? 1 :
			r->verdict == VS_CANNOT_TELL ? 2 : worst;
		free(r);
	}
	return worst;
}

int vs_readiness(const struct vs_host *h, size_t nh, const char *list,
		 const struct vs_hv_args *a, bool json, FILE *out)
{
	const struct vs_hv_profile *profiles[MAX_PROFILES];
	struct vs_feature feats[64];
	const char *fnames[64];
	char *copy = xstrdup(list), *tok, *save = NULL;
	size_t np = 0, nf = 0, i, nprinted = 0;
	int ret = 0, r;
	struct jw w;
	bool xen = false;

	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		const struct vs_hv_profile *p = vs_hv_profile(tok);

		if (p) {
			for (i = 0; i < np && profiles[i] != p; i++)
				;
			if (i == np && np < MAX_PROFILES)
				profiles[np++] = p;
			xen |= !strcmp(p->id, "xen");
			continue;
		}
		if (nf == ARRAY_LEN(feats)) {
			vs_error("--require: at most %zu features", ARRAY_LEN(feats));
			free(copy);
			return 2;
		}
		if (vs_feature_resolve(tok, &feats[nf])) {
			free(copy);
			return 2;
		}
		fnames[nf++] = tok;
	}
	if (!np) {
		free(copy);
		if (json) {
			vs_error("--require --json takes a hypervisor profile (kvm, xen, bhyve, virtualbox), with or without features");
			return 2;
		}
		return vs_require(h, nh, list, out);
	}
	if (a->hv_version && !xen) {
		vs_error("--hypervisor-version is Xen's: give --require xen");
		free(copy);
		return 2;
	}
	if (json)
		jw_init(&w, out, isatty(fileno(out)));
	/* 1 (a refusal) outweighs 2 (cannot tell), as for one host's profiles. */
	for (i = 0; i < nh; i++) {
		r = profiles_on(&h[i], profiles, np, feats, fnames, nf, a, json ? &w : NULL,
				&nprinted, out);
		if (r < 0) {
			ret = 2;
			goto out;
		}
		ret = r == 1 || ret == 1 ? 1 : r == 2 ? 2 : ret;
	}
	if (ret == 2)
		vs_error("--require: cannot tell from these values; the reasons are above");
out:
	if (json) {
		jw_raw(&w, "\n", 1);
		if (!jw_flush(&w) && !ret)
			ret = 2;
		jw_free(&w);
	}
	free(copy);
	return ret;
}
