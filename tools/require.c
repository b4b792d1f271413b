// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: --require, a kvm-ok-like verdict: whether every selected
 * CPU offers every feature named, as its raw values say - never a guess
 * where the MSR that decides was not read.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

#define MAX_REQ 64

/* 1: offered, 0: not offered, -1: unknown (the deciding MSR was not read). */
static int offered(const struct vs_cpu *c, const struct vs_feature *r)
{
	if (r->kind == VS_FEAT_CTL) {
		enum vmxcap_state s = vmxcap_ctl_state(c->raw, r->group, r->bit);

		if (s == VMXCAP_STATE_UNKNOWN)
			return -1;
		return vmxcap_state_allows1(s);
	}
	if (r->kind == VS_FEAT_FIELD) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[r->group];

		if (!vmxcap_has(c->raw, t->msr))
			return vmxcap_msr_existence(c->raw, t->msr) == VMXCAP_ABSENT ? 0 : -1;
		return vmxcap_field_value(&t->fields[r->bit], c->raw->val[t->msr]) != 0;
	} else {
		static const enum vmxcap_msr inputs[] = {
			VMXCAP_PINBASED, VMXCAP_PROCBASED, VMXCAP_PROCBASED2,
			VMXCAP_EPT_VPID_CAP, VMXCAP_VMFUNC, VMXCAP_PROCBASED3,
		};
		u32 words[VMXCAP_LINUX_WORDS];
		unsigned int i;

		/* Linux reads a missing MSR as 0; here a missing input is unknown. */
		for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
			if (!vmxcap_has(c->raw, inputs[i]) &&
			    vmxcap_msr_existence(c->raw, inputs[i]) != VMXCAP_ABSENT)
				return -1;
		vmxcap_linux_words(c->raw, words);
		return words[0] && ((words[r->word] >> r->bit) & 1);
	}
}

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

int vs_require(const struct vs_machine *m, const bool *sel, const char *list,
	       FILE *out)
{
	struct vs_feature req[MAX_REQ];
	size_t nreq = 0, i, k, nsel = 0;
	u64 *lack = xcalloc(m->n, sizeof(*lack)), *fw = xcalloc(m->n, sizeof(*fw));
	char *copy = xstrdup(list), *tok, *save = NULL, cpus[1024], names[1024];
	bool any_lack = false, any_fw = false, any_hv = false, any_novmx = false;
	int ret = 2;

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
	for (i = 0; i < m->n; i++) {
		const struct vs_cpu *c = &m->cpus[i];
		enum vmxcap_fc_verdict v = vmxcap_fc_verdict(c->raw);

		if (!sel[i])
			continue;
		nsel++;
		any_hv |= c->hypervisor == 1;
		if (c->vmx == 0 || (!c->raw->present && c->raw->faulted)) {
			fw[i] = 1;	/* no VMX at all */
			any_novmx = true;
			continue;
		}
		if (v == VMXCAP_FC_DISABLED || v == VMXCAP_FC_SMX_ONLY) {
			fw[i] = 2 + (u64)v;
			any_fw = true;
		}
		for (k = 0; k < nreq; k++) {
			int o = offered(c, &req[k]);

			if (o < 0) {
				vs_error("cannot tell whether cpu%u offers '%s': the MSR that says was not read",
					 c->id, req[k].name);
				goto out;
			}
			if (!o) {
				lack[i] |= 1ull << k;
				any_lack = true;
			}
		}
	}
	names[0] = '\0';
	for (k = 0; k < nreq; k++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 k ? ", " : "", req[k].name);
	if (!any_lack && !any_fw && !any_novmx) {
		cpus_of(m, sel, lack, 0, cpus, sizeof(cpus));
		fprintf(out, "vmxcap-show: OK: all %zu CPUs (%s) offer %s%s\n", nsel, cpus, names,
			any_hv ? "; running under a hypervisor (nested VMX)" : "");
		ret = 0;
		goto out;
	}
	fprintf(out, "vmxcap-show: NO:");
	if (any_novmx) {
		cpus_of(m, sel, fw, 1, cpus, sizeof(cpus));
		fprintf(out, " cpu %s %s no VMX in CPUID;", cpus, strchr(cpus, ',') ||
			strchr(cpus, '-') ? "have" : "has");
	}
	if (any_fw) {
		for (k = VMXCAP_FC_DISABLED; k <= VMXCAP_FC_SMX_ONLY; k++) {
			cpus_of(m, sel, fw, 2 + k, cpus, sizeof(cpus));
			if (cpus[0])
				fprintf(out, " cpu %s: %s;", cpus,
					vmxcap_fc_verdict_text((enum vmxcap_fc_verdict)k));
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
			fprintf(out, " cpu %s lack%s", cpus,
				strchr(cpus, ',') || strchr(cpus, '-') ? "" : "s");
			for (k = 0; k < nreq; k++)
				if ((lack[i] >> k) & 1)
					fprintf(out, " %s", req[k].name);
			fprintf(out, ";");
		}
	}
	fprintf(out, " needed: %s%s\n", names,
		any_hv ? "; running under a hypervisor (enable nested VMX features in the host)" : "");
	ret = 1;
out:
	free(lack);
	free(fw);
	free(copy);
	return ret;
}

