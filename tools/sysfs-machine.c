// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: /sys/kernel/vmxcap/machine, the module's whole machine in
 * one file (format 1, Documentation/ABI/testing/sysfs-kernel-vmxcap):
 *
 *   format 1
 *   generation 7
 *   cpus 0-3
 *   set 0 0-1,3          then that set's MSRs, as cpuN/msrs had them
 *   0x03a 0x0000000000000005
 *   set 1 2
 *   ...
 *   identity 0-3 vendor=GenuineIntel family=0x6 ... vmx=1
 *
 * Every listed CPU must be in exactly one set and one identity line.
 * Lines of kinds this tool does not know are a newer module's: skipped.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "vmxcap-show.h"

/* The text of one line, NUL-terminated in a copy the caller frees. */
static char *line_copy(const char *p, size_t len)
{
	char *s = xmalloc(len + 2);

	memcpy(s, p, len);
	s[len] = '\n';
	s[len + 1] = '\0';
	return s;
}

/* "KEY LIST" (a CPU list up to the next space or the line's end): its CPUs. */
static int parse_list(const char *p, size_t len, bool *want, size_t *used,
		      const char *what, unsigned int line)
{
	size_t l = strcspn(p, " \n");
	char *s, msg[600];
	int r;

	if (l > len)
		l = len;
	*used = l;
	s = xstrndup(p, l);
	snprintf(msg, sizeof(msg), "%s: line %u", what, line);
	memset(want, 0, (VS_MAX_CPU + 1) * sizeof(*want));
	r = vs_parse_cpulist(s, want, NULL, msg);
	free(s);
	return r;
}

/* The end of the MSR lines starting at p (lines that start with "0x"). */
static const char *msr_lines_end(const char *p, unsigned int *lines)
{
	while (!strncmp(p, "0x", 2)) {
		const char *nl = strchr(p, '\n');

		(*lines)++;
		if (!nl)
			return p + strlen(p);
		p = nl + 1;
	}
	return p;
}

int vs_parse_machine(const char *text, struct vs_machine *m,
		     unsigned long long *generation, const char *what)
{
	bool *want = xcalloc(VS_MAX_CPU + 1, sizeof(*want));
	size_t *slot = xmalloc((VS_MAX_CPU + 1) * sizeof(*slot));
	bool *has_identity = NULL, *in_cpus = NULL;
	const char *p = text;
	unsigned int line = 0;
	size_t i, n = 0;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	if (strncmp(p, "format 1\n", 9)) {
		if (!strncmp(p, "format ", 7))
			vs_error("%s: line 1: %.*s: this vmxcap-show reads format 1 only",
				 what, (int)strcspn(p, "\n"), p);
		else
			vs_error("%s: line 1: want 'format 1'", what);
		goto out;
	}
	p += 9;
	line = 2;
	{
		unsigned long g;
		const char *e;

		if (strncmp(p, "generation ", 11) ||
		    !vs_parse_uint(p + 11, ~0ul, &g, &e) || *e != '\n') {
			vs_error("%s: line 2: want 'generation N'", what);
			goto out;
		}
		*generation = g;
		p = e + 1;
	}
	line = 3;
	{
		size_t used;

		if (strncmp(p, "cpus ", 5) ||
		    parse_list(p + 5, strcspn(p + 5, "\n"), want, &used, what, line))
			goto fail_cpus;
		p += 5 + used;
		if (*p != '\n')
			goto fail_cpus;
		p++;
	}
	for (i = 0; i <= VS_MAX_CPU; i++)
		n += want[i];
	m->cpus = xcalloc(n, sizeof(*m->cpus));
	has_identity = xcalloc(n, sizeof(*has_identity));
	for (i = 0; i <= VS_MAX_CPU; i++) {
		if (!want[i])
			continue;
		slot[i] = m->n;
		vs_cpu_init(&m->cpus[m->n++], (unsigned int)i);
	}
	in_cpus = xmalloc((VS_MAX_CPU + 1) * sizeof(*in_cpus));
	memcpy(in_cpus, want, (VS_MAX_CPU + 1) * sizeof(*in_cpus));
	while (*p) {
		size_t len = strcspn(p, "\n"), used;
		bool is_set = !strncmp(p, "set ", 4);

		line++;
		if (!p[len]) {
			vs_error("%s: line %u: truncated (no newline)", what, line);
			goto fail;
		}
		if (is_set || !strncmp(p, "identity ", 9)) {
			const char *q = p + (is_set ? 4 : 9);
			struct vmxcap_raw *raw = NULL;
			const struct vs_facts *facts = NULL;
			struct vs_facts id;

			if (is_set) {
				/* "set ID LIST": the id names sets/ID; not needed here. */
				unsigned long sid;
				const char *e;

				if (!vs_parse_uint(q, ~0u, &sid, &e) || *e != ' ') {
					vs_error("%s: line %u: want 'set ID CPULIST'", what, line);
					goto fail;
				}
				q = e + 1;
			}
			if (parse_list(q, len - (size_t)(q - p), want, &used, what, line))
				goto fail;
			q += used;
			if (is_set) {
				unsigned int first = line;
				const char *end;
				char *chunk, msg[600];
				int r;

				if (*q != '\n') {
					vs_error("%s: line %u: trailing characters", what, line);
					goto fail;
				}
				end = msr_lines_end(q + 1, &line);
				chunk = xstrndup(q + 1, (size_t)(end - (q + 1)));
				raw = vs_machine_new_raw(m);
				snprintf(msg, sizeof(msg), "%s: set at line %u", what, first);
				r = vs_parse_msrs(chunk, raw, msg);
				free(chunk);
				if (r)
					goto fail;
				len = (size_t)(end - p) - 1;
			} else {
				char *rest;
				int r;

				if (*q != ' ') {
					vs_error("%s: line %u: want 'identity CPULIST key=value...'",
						 what, line);
					goto fail;
				}
				rest = line_copy(q + 1, len - (size_t)(q + 1 - p));
				vs_facts_init(&id);
				r = vs_parse_cpuid(rest, &id, "");
				free(rest);
				if (r) {
					char msg[600];

					snprintf(msg, sizeof(msg), "%s: line %u", what, line);
					vs_clear_error();
					rest = line_copy(q + 1, len - (size_t)(q + 1 - p));
					vs_parse_cpuid(rest, &id, msg);
					free(rest);
					goto fail;
				}
				facts = vs_machine_facts(m, &id);
			}
			for (i = 0; i <= VS_MAX_CPU; i++) {
				struct vs_cpu *c;

				if (!want[i])
					continue;
				if (!in_cpus[i]) {
					vs_error("%s: line %u: cpu %zu is not in 'cpus'", what, line, i);
					goto fail;
				}
				c = &m->cpus[slot[i]];
				if (is_set ? c->raw != NULL : has_identity[slot[i]]) {
					vs_error("%s: line %u: cpu %zu listed twice", what, line, i);
					goto fail;
				}
				if (is_set) {
					c->raw = raw;
					continue;
				}
				has_identity[slot[i]] = true;
				c->facts = facts;
			}
		} else if (!strncmp(p, "0x", 2)) {
			vs_error("%s: line %u: an MSR outside a set", what, line);
			goto fail;
		}
		p += len + 1;
	}
	for (i = 0; i < m->n; i++) {
		if (!m->cpus[i].raw || !has_identity[i]) {
			vs_error("%s: cpu %u has no %s line", what, m->cpus[i].id,
				 m->cpus[i].raw ? "identity" : "set");
			goto fail;
		}
	}
	ret = 0;
	goto out;
fail_cpus:
	vs_error("%s: line 3: want 'cpus CPULIST'", what);
fail:
	vs_machine_free(m);
out:
	free(in_cpus);
	free(has_identity);
	free(slot);
	free(want);
	return ret;
}
