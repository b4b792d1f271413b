/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxcap-show: internal interfaces between the tool's parts.  Every bit
 * name, state and algorithm comes from the decoder (include/vmxcap); this
 * file only describes where the raw values come from and how they are shown.
 */
#ifndef VMXCAP_SHOW_H
#define VMXCAP_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <vmxcap/vmxcap.h>

/* Highest CPU number accepted from any source (Linux's NR_CPUS maximum). */
#define VS_MAX_CPU 8191

/*
 * One CPU: its raw MSR values and, where known, its CPUID identity.  CPUs
 * with identical values share one raw set, owned by the machine: 1024
 * CPUs then touch 64 KiB instead of 240 KiB (page faults cost more than
 * anything else the tool does).
 */
struct vs_cpu {
	unsigned int id;		/* logical CPU number */
	const struct vmxcap_raw *raw;	/* never NULL once read */
	char vendor[13];		/* "" when unknown */
	int family, model, stepping;	/* -1 when unknown */
	int hypervisor, vmx;		/* 0, 1, or -1 when unknown */
	char *label;			/* fixture id, or NULL */
};

struct vs_machine {
	struct vs_cpu *cpus;		/* sorted by id, ids unique */
	size_t n;
	struct vmxcap_raw **raws;	/* the distinct raw sets the CPUs point to */
	size_t nraws;
	char source[512];		/* "sysfs /sys/kernel/vmxcap", "dump FILE" */
	const char *source_kind;	/* "sysfs" or "dump" */
};

/* Error reporting: the first error wins; main prints it on one line. */
void vs_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *vs_last_error(void);

/* ---- sources (source.c) ---------------------------------------------- */

void vs_machine_free(struct vs_machine *m);
/* A new zeroed raw set owned by m; NULL (with vs_error) when out of memory. */
struct vmxcap_raw *vs_machine_new_raw(struct vs_machine *m);

/* Reads a vmxcap sysfs folder (/sys/kernel/vmxcap or a copy). */
int vs_read_sysfs(const char *dir, struct vs_machine *m);

/*
 * Parsers of the pinned per-CPU files, exposed for the fuzzers: a cpuN/msrs
 * buffer and a cpuN/cpuid buffer (NUL-terminated, any content).
 */
int vs_parse_msrs(const char *buf, struct vmxcap_raw *raw, const char *what);
int vs_parse_cpuid(const char *buf, struct vs_cpu *c, const char *what);

/*
 * A kernel CPU list ("0-3,8"): sets want[i] for each CPU i <= VS_MAX_CPU,
 * and *hi (when hi is not NULL) to the highest.  want must hold
 * VS_MAX_CPU + 1 entries.
 */
int vs_parse_cpulist(const char *s, bool *want, unsigned int *hi, const char *what);
/*
 * Writes v in decimal just before end (no NUL) and returns where it starts:
 * by hand, because 1024 CPUs' numbers are formatted per output.
 */
char *vs_utoa(size_t v, char *end);
/* Formats the CPUs of ids[0..n) (sorted) as a kernel list. */
void vs_format_cpulist(const unsigned int *ids, size_t n, char *buf,
		       size_t size);

/*
 * Reads a JSON dump: a fixture entry object, a list of them, or the tool's
 * own --dump document.  entries (NULL-terminated, may be NULL) selects
 * fixture entries of a list by id.
 */
int vs_read_dump_file(const char *path, const char *const *entries,
		      struct vs_machine *m);
int vs_parse_dump(const char *text, size_t len, const char *const *entries,
		  struct vs_machine *m, const char *what);

/* ---- shared helpers (show.c) ------------------------------------------ */

struct vs_opts {
	bool color;
	unsigned int kver;		/* naming of the vmx flags line */
};

/* Identity as one phrase: "GenuineIntel family 0x6 model 0x55 stepping 4". */
void vs_format_identity(const struct vs_cpu *c, char *buf, size_t size);
/* Whether two CPUs have identical capabilities (raw values). */
bool vs_same_caps(const struct vs_cpu *a, const struct vs_cpu *b);

/*
 * Groups the selected CPUs (all when sel is NULL) by identical capabilities
 * (and, with identity, also identical CPUID identity and fixture id) in
 * linear time (a hash of the raw set): group[i] is the group of cpus[i],
 * groups numbered in order of their first CPU, whose index goes to rep[g].
 * group and rep hold m->n entries.  Returns the group count, 0 when out of
 * memory.
 */
size_t vs_group_cpus(const struct vs_machine *m, const bool *sel, bool identity,
		     size_t *group, size_t *rep);

/* The selected CPUs in groups (vs_group_cpus()), with their CPU lists. */
struct vs_groups {
	size_t n;		/* how many groups */
	size_t *of;		/* of[i]: the group of cpus[i] (selected CPUs only) */
	size_t *rep;		/* rep[g]: the index in cpus of group g's first CPU */
	char **lists;		/* lists[g]: its CPUs as a kernel list ("0-3,8"), whole */
};

/* 0, or -1 when out of memory (said with vs_error()). */
int vs_groups_make(const struct vs_machine *m, const bool *sel, bool identity,
		   struct vs_groups *gr);
void vs_groups_free(struct vs_groups *gr);

/* ---- outputs ---------------------------------------------------------- */

int vs_show_human(const struct vs_machine *m, const bool *sel,
		  const struct vs_opts *o, FILE *out);
int vs_show_vmxcap(const struct vs_cpu *c, FILE *out);
int vs_show_flags(const struct vs_machine *m, const bool *sel,
		  const struct vs_opts *o, FILE *out);
int vs_show_json(const struct vs_machine *m, const bool *sel,
		 const struct vs_opts *o, FILE *out);
int vs_show_dump(const struct vs_machine *m, const bool *sel, FILE *out);
/* Exit status 0 (identical), 1 (CPUs differ), 2 (error). */
int vs_show_diff(const struct vs_machine *m, const bool *sel,
		 const struct vs_opts *o, bool json, FILE *out);

/* ---- actions (actions.c) ---------------------------------------------- */

/* Exit status 0 (all CPUs offer all), 1 (some lack), 2 (error). */
int vs_require(const struct vs_machine *m, const bool *sel, const char *list,
	       FILE *out);
/* `adjust WHAT VALUE`: prints the adjustment; 0 or 2. */
int vs_adjust(const struct vs_cpu *c, const char *what, const char *value,
	      bool unrestricted_guest, FILE *out);
/* Parses "0x..." (or decimal) into v; false when it is not a number. */
bool vs_parse_number(const char *s, u64 *v);

/* ---- the machine itself (explain.c) ----------------------------------- */

/* Loads vmxcap.ko through libkmod; 0 or an error reported with vs_error. */
int vs_load_module(void);
/*
 * Explains why there is no /sys/kernel/vmxcap.  Returns the exit status: 1
 * when the answer is "no VMX here" or "module not loaded", 2 on errors.
 * With require set, prints a one-line kvm-ok-like verdict instead.
 */
int vs_explain(const char *sysfs_dir, bool require, FILE *out);

#endif /* VMXCAP_SHOW_H */
