// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: --require, a kvm-ok-like verdict: whether every selected
 * CPU offers every feature named, as its raw values say - never a guess
 * where the MSR that decides was not read.  Several hosts: a line each.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

#define MAX_REQ 64

static void cpus_of(const struct vs_machine *m, const bool *sel, const u64 *mask,
		    u64 value, char *buf, size_t size)
{
	unsigned int *ids = xmalloc(m->n * sizeof(*ids));
	size_t i, n = 0;

	for (i = 0; i < m->n; i++)
		if (sel[i] && mask[i] == value)
			ids[n++] = m->cpus[i].id;
	vs_format_cpulist(ids, n, buf, size);
	free(ids);
}

static const char *plural(const char *cpus, const char *one, const char *many)
{
	return strchr(cpus, ',') || strchr(cpus, '-') ? many : one;
}

/*
 * One host's answer, one line beginning "vmxcap-show: " and, for one of
 * several hosts, "host NAME: "; 2 (nothing printed) when it cannot tell.
 */
static int require_one(const struct vs_host *h, const struct vs_feature *req, size_t nreq,
		       FILE *out)
{
	const struct vs_machine *m = h->m;
	const bool *sel = h->sel;
	size_t i, k, nsel = 0;
	/* Per CPU: the features it lacks (bit k), and its verdict + 1 when that says no. */
	u64 *lack = xcalloc(m->n, sizeof(*lack)), *no = xcalloc(m->n, sizeof(*no));
	char cpus[1024], names[1024], why[512], lead[300];
	bool any_lack = false, any_no = false, any_hv = false, any_linux = false;
	struct {
		const struct vmxcap_raw *raw;
		const struct vs_facts *facts;
		u64 lack, no;
		bool from_linux;
	} memo[8];
	size_t nmemo = 0, next_memo = 0;
	int ret = 2;

	snprintf(lead, sizeof(lead), "vmxcap-show: %s%s%s", h->name ? "host " : "",
		 h->name ? h->name : "", h->name ? ": " : "");
	for (i = 0; i < m->n; i++) {
		const struct vs_cpu *c = &m->cpus[i];
		bool inferred, from_linux, linux_any = false;
		enum vs_status st;

		if (!sel[i])
			continue;
		nsel++;
		any_hv |= c->facts->hypervisor == 1;
		/* The answers depend on the raw set and facts only: 8192 CPUs, 2 sets. */
		for (k = 0; k < nmemo; k++)
			if (memo[k].raw == c->raw && memo[k].facts == c->facts)
				break;
		if (k < nmemo) {
			lack[i] = memo[k].lack;
			no[i] = memo[k].no;
			any_linux |= memo[k].from_linux;
			any_lack |= lack[i] != 0;
			any_no |= no[i] != 0;
			continue;
		}
		st = vs_cpu_status(c, &inferred);
		if (vs_status_blocks(st)) {
			/* Its features do not matter then, known or not. */
			no[i] = 1 + (u64)st;
			any_no = true;
		}
		for (k = 0; !no[i] && k < nreq; k++) {
			int o = vs_feature_offered(m, c, &req[k], &from_linux, why, sizeof(why));

			if (o < 0) {
				vs_error("cannot tell whether cpu%u offers '%s': %s%s", c->id,
					 req[k].name, why, c->facts->linux_vmx >= 0 ?
					 "; run as root (msr.ko) or load vmxcap.ko to know" : "");
				goto out;
			}
			linux_any |= from_linux;
			if (!o) {
				lack[i] |= 1ull << k;
				any_lack = true;
			}
		}
		any_linux |= linux_any;
		k = nmemo < ARRAY_LEN(memo) ? nmemo++ : next_memo++ % ARRAY_LEN(memo);
		memo[k].raw = c->raw;
		memo[k].facts = c->facts;
		memo[k].lack = lack[i];
		memo[k].no = no[i];
		memo[k].from_linux = linux_any;
	}
	names[0] = '\0';
	for (k = 0; k < nreq; k++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 k ? ", " : "", req[k].name);
	if (!any_lack && !any_no) {
		cpus_of(m, sel, lack, 0, cpus, sizeof(cpus));
		if (nsel == 1)
			fprintf(out, "%sOK: cpu %s offers %s", lead, cpus, names);
		else
			fprintf(out, "%sOK: all %zu CPUs (%s) offer %s", lead, nsel, cpus, names);
		fprintf(out, "%s%s\n",
			any_linux ? " (as Linux's vmx flags say: allowed-1 bits only)" : "",
			any_hv ? "; running under a hypervisor (nested VMX)" : "");
		ret = 0;
		goto out;
	}
	fprintf(out, "%sNO:", lead);
	for (k = 0; any_no && k <= VS_STATUS_UNKNOWN; k++) {
		const struct vs_cpu *c = NULL;

		for (i = 0; i < m->n && !c; i++)
			if (sel[i] && no[i] == 1 + k)
				c = &m->cpus[i];
		if (!c)
			continue;
		{
			bool inferred;
			enum vs_status st = vs_cpu_status(c, &inferred);

			cpus_of(m, sel, no, 1 + k, cpus, sizeof(cpus));
			vs_status_explain(c, st, inferred, why, sizeof(why));
			if (st == VS_STATUS_NO_VMX)
				fprintf(out, " cpu %s (%s) %s no VMX in CPUID: %s;", cpus,
					c->facts->vendor[0] ? c->facts->vendor : "vendor unknown",
					plural(cpus, "has", "have"), why);
			else
				fprintf(out, " cpu %s: %s: %s;", cpus, vs_status_words(st), why);
		}
	}
	if (any_lack) {
		/* One clause per distinct set of missing features. */
		for (i = 0; i < m->n; i++) {
			size_t j;

			if (!sel[i] || !lack[i])
				continue;
			for (j = 0; j < i; j++)
				if (sel[j] && lack[j] == lack[i])
					break;
			if (j < i)
				continue;
			cpus_of(m, sel, lack, lack[i], cpus, sizeof(cpus));
			fprintf(out, " cpu %s %s", cpus, plural(cpus, "lacks", "lack"));
			for (k = 0; k < nreq; k++)
				if ((lack[i] >> k) & 1)
					fprintf(out, " %s", req[k].name);
			fprintf(out, ";");
		}
	}
	fprintf(out, " needed: %s%s%s\n", names,
		any_linux ? " (as Linux's vmx flags say: allowed-1 bits only)" : "",
		any_hv && any_lack ? "; running under a hypervisor (enable nested VMX features in the host)" : "");
	ret = 1;
out:
	free(lack);
	free(no);
	return ret;
}

int vs_require(const struct vs_host *h, size_t nh, const char *list, FILE *out)
{
	struct vs_feature req[MAX_REQ];
	char *copy = xstrdup(list), *tok, *save = NULL;
	size_t nreq = 0, i, unknown = 0;
	int ret = 2, r;

	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (nreq == MAX_REQ) {
			vs_error("--require: at most %d features", MAX_REQ);
			goto out;
		}
		if (vs_feature_resolve(tok, &req[nreq]))
			goto out;
		nreq++;
	}
	if (!nreq) {
		vs_error("--require: empty feature list");
		goto out;
	}
	if (!h[0].name) {
		ret = require_one(&h[0], req, nreq, out);
		goto out;
	}
	/*
	 * Several hosts: a line each, and one that cannot be answered says so
	 * on its line ("UNKNOWN") without silencing the others: a fleet's
	 * one incomplete dump must not hide what every other host answers.
	 * The exit is the worst answer, a "no" above "cannot tell" (as the
	 * hypervisor profiles rank them).
	 */
	for (i = 0, ret = 0; i < nh; i++) {
		r = require_one(&h[i], req, nreq, out);
		if (r == 2) {
			fprintf(out, "vmxcap-show: host %s: UNKNOWN: %s\n", h[i].name,
				vs_last_error());
			vs_clear_error();
			unknown++;
		}
		if (r == 1 || (r == 2 && ret == 0))
			ret = r;
	}
	if (ret == 2)
		vs_error("cannot tell for %zu of %zu hosts (their UNKNOWN lines say why)",
			 unknown, nh);
out:
	free(copy);
	return ret;
}
