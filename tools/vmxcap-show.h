/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxcap-show: the interfaces between the tool's files, one section per
 * file.  Every bit name, state and algorithm comes from the decoder
 * (include/vmxcap); the tool only reads raw values and lays them out.
 */
#ifndef VMXCAP_SHOW_H
#define VMXCAP_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <vmxcap/vmxcap.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Highest CPU number accepted from any source (Linux's NR_CPUS maximum). */
#define VS_MAX_CPU 8191

/* ---- util.c: errors, allocation, strict number parsing ----------------- */

/*
 * Input errors: the first one is the cause; main() prints it on one line.
 * Parsers report this way (never exit) because the fuzzers call them.
 */
void vs_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *vs_last_error(void);
void vs_clear_error(void);

/* Allocation that exits with status 2 when out of memory. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* "0x" and 1-16 hex digits; *end is where they stop. */
bool vs_parse_hex64(const char *s, u64 *v, const char **end);
/* Decimal digits up to max; *end is where they stop. */
bool vs_parse_uint(const char *s, unsigned long max, unsigned long *v,
		   const char **end);
/* A whole string as a number ("0x..", "0..." octal, or decimal). */
bool vs_parse_number(const char *s, u64 *v);
/*
 * Writes v in decimal just before end (no NUL) and returns where it starts:
 * by hand, because 1024 CPUs' numbers are formatted per output.
 */
char *vs_utoa(size_t v, char *end);
/* Appends to buf at *len like snprintf, as far as it fits; *len grows as snprintf counts. */
void vs_append(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- cpulist.c: kernel CPU lists ("0-3,8") ------------------------------ */

/*
 * Sets want[i] for each CPU i <= VS_MAX_CPU of the list, and *hi (when hi
 * is not NULL) to the highest.  want holds VS_MAX_CPU + 1 entries.
 */
int vs_parse_cpulist(const char *s, bool *want, unsigned int *hi, const char *what);
/* Formats ids[0..n) (ascending) as a list; "..." ends one that does not fit. */
void vs_format_cpulist(const unsigned int *ids, size_t n, char *buf, size_t size);
/* The list's head that fits in size, ending ",..." after a whole item if cut. */
void vs_cpulist_head(const char *list, char *buf, size_t size);

/* ---- machine.c: CPUs, their raw sets, selection and grouping ------------ */

/*
 * What is known of a CPU besides its VMX MSRs, where known: its CPUID
 * identity, Linux's view of it and what hypervisors read besides the MSRs.
 * CPUs that agree share one, owned by the machine (vs_machine_facts()).
 */
struct vs_facts {
	char vendor[13];		/* "" when unknown */
	int family, model, stepping;	/* -1 when unknown */
	int hypervisor, vmx;		/* CPUID.1:ECX[31], [5]: 0, 1, or -1 when unknown */
	int svm;			/* CPUID.80000001h:ECX[2] (AMD-V): 0, 1, -1 */
	char hv_vendor[13];		/* hypervisor signature (CPUID.40000000h), or "" */
	const char *label;		/* fixture id, or NULL; owned by the machine */
	/*
	 * Linux's own view (the cpuinfo source: no MSR values): whether its
	 * "flags" list vmx (0, 1, -1 unknown), and its "vmx flags" line, NULL
	 * when it prints none.  Lines are owned by the machine.
	 */
	int linux_vmx;
	const char *linux_flags;
	bool linux_hid_vmx;		/* the kernel was told to (clearcpuid=vmx) */
	/*
	 * What hypervisors read besides the VMX MSRs (-1 unknown): the
	 * kernel's NX, UMIP, user shadow stack and IBT flags (as KVM's
	 * boot_cpu_has() sees them), raw CPUID.12H:EAX[0] (SGX, as KVM's
	 * cpu_has_sgx() reads it), CPUID.15H EAX and EBX (leaf15: 1 read,
	 * 0 the CPU has no such leaf).
	 */
	int nx, umip, shstk, ibt, sgx, leaf15;
	u32 leaf15_eax, leaf15_ebx;
	/*
	 * Whether the kernel kept X86_FEATURE_VMX (its flags list vmx), and
	 * whether its command line told it to clear it (clearcpuid=vmx):
	 * KVM asks the kernel, not CPUID or the MSRs (-1 unknown).
	 */
	int kernel_vmx, kernel_hid_vmx;
	/* The microcode revision the kernel reports (/proc/cpuinfo), -1 unknown. */
	long long microcode;
};

/*
 * The host a machine's values come from, as a dump records it for a
 * fleet ("" unknown): its name, its firmware's DMI strings
 * (/sys/class/dmi/id), when the values were read (UTC, ISO 8601) and by
 * which tool and decoder.
 */
struct vs_host_facts {
	char hostname[65];
	char sys_vendor[80], product_name[80];
	char bios_vendor[80], bios_version[80], bios_date[16];
	char taken[24];
	char tool[48];
	char decoder[16];
};

/*
 * One CPU: its number, its raw MSR values and its facts.  CPUs with
 * identical values share one raw set, and CPUs that agree one facts
 * object, both owned by the machine: a CPU is 24 bytes, and 8192 CPUs
 * touch 48 pages instead of 290 (page faults cost more than anything
 * else the tool does).  To change a CPU's facts, copy them, change the
 * copy and give it to vs_machine_facts().
 */
struct vs_cpu {
	unsigned int id;		/* logical CPU number */
	const struct vmxcap_raw *raw;	/* never NULL once read */
	const struct vs_facts *facts;	/* never NULL: vs_cpu_init() sets all unknown */
};

struct vs_machine {
	struct vs_cpu *cpus;		/* sorted by id, ids unique */
	size_t n;
	struct vmxcap_raw **raws;	/* the distinct raw sets the CPUs point to */
	size_t nraws;
	char **strings;			/* texts the CPUs point to (linux_flags, label) */
	size_t nstrings;
	struct vs_facts **facts;	/* the distinct facts the CPUs point to */
	size_t nfacts;
	size_t *facts_slot;		/* open addressing: index + 1, 0 free */
	size_t facts_slots;		/* a power of two, > 2 * nfacts */
	char source[512];		/* where: "/sys/kernel/vmxcap", a file */
	const char *source_kind;	/* "sysfs", "msr", "cpuinfo" or "dump" */
	char origin[16];		/* a dump's: the source it was taken from, or "" */
	char kernel[65];		/* the kernel release the values were read on, or "" */
	unsigned int kver;		/* its VMXCAP_KVER(), 0 unknown: names its vmx flags */
	char notes[4][320];		/* why better sources were passed over */
	unsigned int nnotes;
	const char *root;		/* a live machine: "" here, else its copy; NULL: a dump */
	unsigned long tsc_khz;		/* the kernel's TSC frequency, 0 unknown */
	char tsc_from[80];		/* where tsc_khz comes from */
	struct vs_host_facts host;	/* a dump's record; main.c reads a live one for --dump */
	/* A baseline's (baseline.c): the hosts it was computed from, m's strings; else NULL. */
	const char **baseline_of;
	size_t nbaseline_of;
};

/* All unknown: -1, "" and NULL. */
void vs_facts_init(struct vs_facts *f);
/* The CPU numbered id, with nothing known yet (no raw set, facts unknown). */
void vs_cpu_init(struct vs_cpu *c, unsigned int id);
/* m's facts object equal to f (a copy made the first time). */
const struct vs_facts *vs_machine_facts(struct vs_machine *m, const struct vs_facts *f);
void vs_machine_free(struct vs_machine *m);
/* A new zeroed raw set owned by m. */
struct vmxcap_raw *vs_machine_new_raw(struct vs_machine *m);
/*
 * Appends other's CPUs to m, one per distinct raw set, numbered after m's,
 * labelled other_label (m's unlabelled CPUs get label); frees other.  For
 * --diff between two views of one machine.
 */
void vs_machine_append(struct vs_machine *m, struct vs_machine *other, const char *label,
		       const char *other_label);
/* A copy of s owned by m, shared with an equal one made just before. */
const char *vs_machine_string(struct vs_machine *m, const char *s);
/* VMXCAP_KVER() of a release such as "6.1.0-56-amd64", 0 when it is none. */
unsigned int vs_kver_of(const char *release);
/* Sorts m->cpus by number; an error when a number appears twice. */
int vs_machine_sort(struct vs_machine *m, const char *what);

/* Identity as one phrase: "GenuineIntel family 0x6 model 0x55 stepping 4". */
void vs_format_identity(const struct vs_cpu *c, char *buf, size_t size);
/* The same without the hypervisor, with the fixture id: "... stepping 0x4 (id)". */
void vs_format_identity_short(const struct vs_cpu *c, char *buf, size_t size);
/* Whether two CPUs have identical capabilities (raw values). */
bool vs_same_caps(const struct vs_cpu *a, const struct vs_cpu *b);
/* Whether two CPUs have the same CPUID identity (facts included). */
bool vs_same_identity(const struct vs_cpu *a, const struct vs_cpu *b);
/* Whether two CPUs have the same facts hypervisors read besides VMX. */
bool vs_same_facts(const struct vs_cpu *a, const struct vs_cpu *b);

/*
 * The selected CPUs (all when sel is NULL) in groups of identical
 * capabilities (with identity: also the same identity and fixture id),
 * numbered in order of their lowest CPU.  Linear time: a hash of the raw
 * set, made only when there are more than a few groups.
 */
struct vs_groups {
	size_t n;		/* how many groups */
	size_t *of;		/* of[i]: the group of cpus[i] (selected CPUs only) */
	size_t *rep;		/* rep[g]: the index in cpus of group g's first CPU */
	size_t *count;		/* count[g]: how many CPUs group g has */
	char **lists;		/* lists[g]: its CPUs as a kernel list ("0-3,8"), whole */
};

void vs_groups_make(const struct vs_machine *m, const bool *sel, bool identity,
		    struct vs_groups *gr);
void vs_groups_free(struct vs_groups *gr);

/*
 * The CPUs that --cpu LIST names (all of them with all, else the first
 * when list is NULL): a new array of m->n flags; NULL (with vs_error) when
 * LIST names a CPU the machine lacks.
 */
bool *vs_select_cpus(const struct vs_machine *m, const char *list, bool all);

/* ---- hosts.c: several inputs, each file a host ---------------------------- */

/*
 * A machine as the outputs that compare hosts (--diff, --json, --require,
 * the summary) take it: one of several, named, or the only one.
 */
struct vs_host {
	const char *name;		/* NULL: the only machine, shown as ever */
	const struct vs_machine *m;
	const bool *sel;		/* its selected CPUs */
	unsigned int kver;		/* naming of its vmx flags: --kernel's, else its kernel's */
};

/* The hosts of several --input files, and what their entries point to. */
struct vs_hosts {
	struct vs_host *v;
	size_t n;
	struct vs_machine *machines;
	char **names;
	bool **sels;			/* NULL until the caller selects */
};

/* Whether these --input arguments are hosts: more than one, or a directory. */
bool vs_inputs_are_hosts(const char *const *inputs, size_t n);
/*
 * Reads each input (a directory: its *.json files, sorted by name) as one
 * host named by its file name without .json (its path where two names are
 * alike); 0, or -1 with vs_error naming the file.
 */
int vs_read_hosts(const char *const *inputs, size_t n, struct vs_hosts *h);
void vs_hosts_free(struct vs_hosts *h);

/* A set of identical CPUs of one host: a column of --diff and the summary. */
struct vs_set {
	const struct vs_host *host;
	const struct vs_cpu *rep;	/* its first CPU */
	size_t count;
	const char *list;		/* its CPUs, a kernel list, whole */
};

/* Every host's sets (as vs_groups_make() finds them), host after host. */
struct vs_sets {
	struct vs_set *v;
	size_t n;
	size_t ncpus;			/* the selected CPUs of all hosts */
	bool differ;			/* not all sets have identical capabilities */
	struct vs_groups *gr;		/* each host's groups, which v points into */
	size_t nhosts;
};

void vs_sets_make(const struct vs_host *h, size_t nh, struct vs_sets *s);
void vs_sets_free(struct vs_sets *s);
/* "host b cpu 0-3" (or "cpu 0-3" for the only machine): a set in sentences. */
void vs_set_phrase(const struct vs_set *set, char *buf, size_t size);
/*
 * A set's column name: "b cpu 0-3" ("cpu 0-3" for the only machine), or,
 * where names are too long for columns (letters), WORD and its letter.
 */
void vs_set_column(const struct vs_set *set, size_t g, bool letters, const char *word,
		   char *buf, size_t size);

struct jw;
/*
 * A JSON document's "hosts": an object per host, its "host" name first,
 * then what entry writes of it.
 */
void vs_json_hosts(struct jw *w, const struct vs_host *h, size_t nh,
		   void (*entry)(struct jw *w, const struct vs_host *h, const void *arg),
		   const void *arg);

/* ---- cpuid.c: CPUID as one CPU sees it ----------------------------------- */

/*
 * CPUID leaf/subleaf on CPU cpu into r (EAX, EBX, ECX, EDX).  root "" is
 * this machine: the instruction, pinned to cpu, else /dev/cpu/N/cpuid;
 * any other root is a copy: only ROOT/dev/cpu/N/cpuid.
 */
bool vs_cpuid(const char *root, unsigned int cpu, u32 leaf, u32 subleaf, u32 r[4]);
/* Restores the thread's CPU affinity after vs_cpuid() calls. */
void vs_cpuid_done(void);
/*
 * Fills f's identity (vendor, family, model, stepping, vmx, hypervisor and
 * its signature, svm) from CPU cpu's CPUID; false when none can be read.
 */
bool vs_identify_cpu(const char *root, unsigned int cpu, struct vs_facts *f);
/* "KVM", "Microsoft Hyper-V", ... for a hypervisor signature, or NULL. */
const char *vs_hypervisor_name(const char *signature);

/* ---- msr.c: the MSRs through msr.ko ----------------------------------------- */

/* The online CPUs: ROOT/sys/devices/system/cpu/online, else ROOT/dev/cpu/N. */
unsigned int *vs_online_cpus(const char *root, size_t *n);
/* Reads every online CPU's MSRs from ROOT/dev/cpu/N/msr (root "" is this machine). */
int vs_read_msr(const char *root, struct vs_machine *m);

/* ---- cpuinfo.c: what an unprivileged user sees -------------------------------- */

/* Linux's view of every CPU: ROOT/proc/cpuinfo and each CPU's CPUID. */
int vs_read_cpuinfo(const char *root, struct vs_machine *m);
/* A /proc file whole (it has no size to ask for); NULL with vs_error. */
char *vs_read_proc(const char *path);
/* The parser, for the fuzzer: /proc/cpuinfo text (NUL-terminated) into m's CPUs. */
int vs_parse_cpuinfo(const char *text, struct vs_machine *m, const char *what);
bool vs_cmdline_hides_vmx(const char *root);

/* ---- facts.c: what hypervisors read besides VMX -------------------------------- */

/*
 * On a live machine (m->root not NULL): every CPU's facts (struct vs_cpu)
 * and the TSC frequency; what cannot be read stays unknown.
 */
void vs_read_facts(struct vs_machine *m);
/*
 * The fields of struct vs_host_facts (defined in dump.c, with the format),
 * for host-facts.c's reader and the dump: each with its dump key, the file
 * it is read from (NULL: not a file), whether the dump keeps it in "dmi",
 * and its place.
 */
struct vs_host_field {
	const char *key, *file;
	bool dmi;
	size_t off, size;
};
extern const struct vs_host_field vs_host_fields[];
extern const size_t vs_nr_host_fields;
/* The host of live (or copied) machine m (name, DMI, time, tool) into h. */
void vs_read_host_facts(const struct vs_machine *m, struct vs_host_facts *h);
/* "node1, Dell Inc. PowerEdge R640, BIOS ..., taken ..."; false when nothing is known. */
bool vs_format_host_facts(const struct vs_host_facts *h, char *buf, size_t size);

/* ---- sysfs.c: the module's tree ----------------------------------------- */

/* The slot of an MSR index as sysfs and dumps write it ("0x480"), or -1. */
int vs_msr_slot_of(const char *s, const char **end);
/* Reads a vmxcap sysfs folder (/sys/kernel/vmxcap or a copy). */
int vs_read_sysfs(const char *dir, struct vs_machine *m);
/*
 * The parsers of the pinned per-CPU files, exposed for the fuzzers: a
 * cpuN/msrs and a cpuN/cpuid buffer (NUL-terminated, any content).
 */
int vs_parse_msrs(const char *buf, struct vmxcap_raw *raw, const char *what);
int vs_parse_cpuid(const char *buf, struct vs_facts *f, const char *what);

/* ---- sysfs-machine.c: the module's "machine" file ----------------------- */

/* Fills m's CPUs and raw sets from the file's text; *generation its count. */
int vs_parse_machine(const char *text, struct vs_machine *m,
		     unsigned long long *generation, const char *what);

/* ---- sha256.c, fingerprint.c: the capability fingerprint ----------------- */

/* SHA-256 of data[0..len) (FIPS 180-4). */
void vs_sha256(const void *data, size_t len, unsigned char out[32]);

#define VS_FINGERPRINT_VERSION 1
#define VS_FINGERPRINT_LEN 16		/* hex digits */
/*
 * The text the fingerprint hashes (fingerprint.c says what it holds): its
 * length, at most size - 1; for tests and for people to check.
 */
size_t vs_fingerprint_text(const struct vs_cpu *c, char *buf, size_t size);
/* The fingerprint of c's capabilities: 16 hex digits and a NUL. */
void vs_fingerprint(const struct vs_cpu *c, char out[VS_FINGERPRINT_LEN + 1]);

/* ---- dump.c: JSON dumps, read and written -------------------------------- */

/*
 * Reads a dump: a fixture entry object, a list of them, or the tool's own
 * --dump document.  entries (NULL-terminated, may be NULL) selects
 * fixture entries of a list by id.
 */
int vs_read_dump_file(const char *path, const char *const *entries,
		      struct vs_machine *m);
int vs_parse_dump(const char *text, size_t len, const char *const *entries,
		  struct vs_machine *m, const char *what);
/* The ids of a dump file's entries, one a line (for the completion). */
int vs_dump_entry_ids(const char *path, FILE *out);
/* --dump: each distinct raw set and identity once, with its CPUs. */
int vs_show_dump(const struct vs_machine *m, const bool *sel, FILE *out);

/* ---- kmod.c: libkmod, opened only when needed ---------------------------- */

enum vs_module_state {
	VS_MOD_UNKNOWN,		/* libkmod failed */
	VS_MOD_NOT_INSTALLED,
	VS_MOD_INSTALLED,	/* in the modules tree, not loaded */
	VS_MOD_LOADED,
};

/* Whether module name is installed (its path into path) or loaded. */
enum vs_module_state vs_module_state(const char *name, char *path, size_t size);
/*
 * Loads module name (modprobe); 0, or -1 with the reason in vs_error
 * (what introduces it: "--load").
 */
int vs_module_load(const char *name, const char *what);

/* ---- sources.c: which source describes this machine ------------------------- */

enum vs_source {
	VS_SOURCE_AUTO,		/* the best that works, in the order below */
	VS_SOURCE_SYSFS,	/* vmxcap.ko's /sys/kernel/vmxcap */
	VS_SOURCE_MSR,		/* msr.ko's /dev/cpu/N/msr (root) */
	VS_SOURCE_CPUINFO,	/* /proc/cpuinfo and CPUID (anyone) */
	VS_SOURCE_KVM,		/* /dev/kvm: the VMX KVM offers nested guests */
};

struct vs_source_request {
	enum vs_source want;
	const char *root;	/* "" for this machine, else a copy of its /proc, /sys, /dev */
	bool load;		/* load vmxcap.ko first when it is not loaded */
};

/* The enum vs_source of "auto", "sysfs", "msr", "cpuinfo", or -1. */
int vs_source_by_name(const char *name);
/* Reads the machine from the source asked for; 0, or -1 with vs_error. */
int vs_read_machine(const struct vs_source_request *req, struct vs_machine *m);
/* m->kernel and m->kver: the release of the kernel that wrote ROOT/proc ("": this one). */
void vs_read_kernel_release(const char *root, struct vs_machine *m);
/* Adds a note (at most four) on how the machine was read. */
void vs_machine_note(struct vs_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- status.c: each CPU's verdict ------------------------------------------- */

enum vs_status {
	VS_STATUS_NO_VMX,	/* no VMX in CPUID */
	VS_STATUS_USABLE,
	VS_STATUS_DISABLED,	/* locked with VMX off: by firmware (or the host) */
	VS_STATUS_SMX_ONLY,
	VS_STATUS_UNLOCKED,
	VS_STATUS_UNKNOWN,
};

/* The verdict; *inferred when it comes from Linux's flags, not the MSR. */
enum vs_status vs_cpu_status(const struct vs_cpu *c, bool *inferred);
/*
 * Whether the verdict alone says no to every feature (no VMX, disabled,
 * SMX only): --require's answer and the fleet outputs' features.
 */
bool vs_status_blocks(enum vs_status s);
/* "no_vmx", "usable", "disabled_by_firmware", ...: the module's status words. */
const char *vs_status_id(enum vs_status s);
/* "no VMX", "usable", "disabled by firmware", ...: for sentences. */
const char *vs_status_words(enum vs_status s);
/* "KVM (signature KVMKVMKVM)", "signature 'X'", ...: the hypervisor a CPU runs under. */
void vs_format_hypervisor(const struct vs_cpu *c, char *buf, size_t size);
/* Why, and what to do: in a VM the host's configuration, not the firmware. */
void vs_status_explain(const struct vs_cpu *c, enum vs_status s, bool inferred,
		       char *buf, size_t size);

/* ---- outputs: table.c, human.c, compat.c, json.c, diff.c ------------------- */

struct vs_opts {
	bool color;
	bool meaning;			/* --long: our few words instead of the SDM's name */
	unsigned int kver;		/* naming of the vmx flags line */
};

/* Default output: the answer first (summary.c); 1 when no CPU has VMX. */
int vs_show_summary(const struct vs_host *h, size_t nh, const struct vs_opts *o, FILE *out);
/* "Source: ..." and what it cannot know, and why better ones were not used. */
void vs_show_source(const struct vs_machine *m, int width, FILE *out);
/* --long: cpu0 (or the selected CPUs) fully decoded, then the others' gist. */
int vs_show_human(const struct vs_machine *m, const bool *sel,
		  const struct vs_opts *o, FILE *out);
/* QEMU vmxcap's output, line for line. */
int vs_show_vmxcap(const struct vs_cpu *c, FILE *out);
/*
 * The vmx flags line Linux prints for c (named as kernel kver does); false,
 * with the reason in buf, where Linux prints none.
 */
bool vs_linux_flags_line(const struct vs_cpu *c, unsigned int kver, char *buf, size_t size);
/* The "vmx flags" line Linux derives, per CPU (none where it prints none). */
int vs_show_flags(const struct vs_machine *m, const bool *sel,
		  const struct vs_opts *o, FILE *out);
/* --json (schema: tools/README.md); several hosts are its "hosts". */
int vs_show_json(const struct vs_host *h, size_t nh, const struct vs_opts *o, FILE *out);
/* --diff: 0 (identical), 1 (CPUs differ), 2 (error); each host's sets are columns. */
int vs_show_diff(const struct vs_host *h, size_t nh, const struct vs_opts *o, bool json,
		 FILE *out);

/* ---- output.c: --output FILE, replaced whole or not at all ---------------- */

struct vs_output {
	const char *path;
	char tmp[4096];			/* the temporary file beside it */
};

/*
 * Sends standard output to a new 0644 dot file in path's directory; 0, or
 * -1 with vs_error.
 */
int vs_output_begin(struct vs_output *o, const char *path);
/*
 * keep: renames the file over path (after fsync); else, or when that
 * fails (said on stderr), removes it and returns -1.
 */
int vs_output_end(struct vs_output *o, bool keep);

/* ---- facts-summary.c: a host in a few hundred bytes (--facts, --nfd) ------- */

/* CPUs of one capability group and one verdict. */
struct vs_summary_set {
	char *cpus;			/* a kernel list, whole */
	size_t count;
	size_t group;			/* its vs_groups_make() group */
	size_t rep;			/* the index in m->cpus of its first CPU */
	enum vs_status status;
	bool inferred;			/* the verdict is inferred from Linux's flags */
	char fingerprint[VS_FINGERPRINT_LEN + 1];
};

struct vs_summary {
	const struct vs_machine *m;
	size_t ncpus;			/* the selected CPUs */
	struct vs_summary_set *sets;	/* in order of their lowest CPU */
	size_t nsets;
	bool identical;			/* one capability group, as --json's */
	const char *verdict;		/* the sets' one verdict id, or "mixed" */
	const char *fingerprint;	/* the sets' one fingerprint, or NULL */
	/* Linux's vmx flags names every CPU offers, and those unknown somewhere. */
	const char *features[VMXCAP_LINUX_WORDS * 32];
	size_t nfeatures;
	const char *unknown[VMXCAP_LINUX_WORDS * 32];
	size_t nunknown;
	/* Each hypervisor profile's verdict: "runs", "refuses", "unknown". */
	struct { const char *profile; char version[16]; const char *verdict; } readiness[8];
	size_t nreadiness;
};

struct vs_hv_args;
/* Host h's summary (its selected CPUs); 0, or -1 with vs_error. */
int vs_summary_make(const struct vs_host *h, const struct vs_hv_args *a, struct vs_summary *s);
void vs_summary_free(struct vs_summary *s);
/* --facts: the summary as JSON (schema "vmxcap-facts"); 0, or 2 with vs_error. */
int vs_show_facts(const struct vs_host *h, const struct vs_hv_args *a, FILE *out);

/* ---- nfd.c: Kubernetes Node Feature Discovery's feature file (--nfd) ------- */

struct vs_nfd_opts {
	const char *prefix;		/* --nfd-prefix, NULL: the default */
	const char *expiry;		/* --nfd-expiry, NULL: the default */
};

/* --nfd: the local source's feature file; 0, or 2 with vs_error. */
int vs_show_nfd(const struct vs_host *h, const struct vs_hv_args *a,
		const struct vs_nfd_opts *o, FILE *out);

/* ---- prometheus.c: --prometheus ---------------------------------------------- */

/*
 * The text exposition format for node_exporter's textfile collector: each
 * family once, a series per host (a "host" label among several ones); it
 * evaluates every hypervisor profile (hv.h) with a's arguments.  0, or 2
 * with vs_error.
 */
int vs_show_prometheus(const struct vs_host *h, size_t nh, const struct vs_hv_args *a,
		       FILE *out);

/* ---- names.c: what people call features, fields and bits ------------------- */

/* A control group by its identifier ("procbased2"), or -1. */
int vs_group_by_id(const char *s, size_t len);
/* A control of group g by identifier, Linux flag name or "bitN". */
bool vs_ctl_by_name(int g, const char *name, unsigned int *bit);
/* A bit of a control register by its identifier ("pe") or "bitN". */
bool vs_cr_bit_by_name(int cr, const char *name, unsigned int *bit);

/* A feature --require can test. */
enum vs_feature_kind {
	VS_FEAT_CTL,		/* a control: group, bit */
	VS_FEAT_FIELD,		/* a one-bit field: table, field index */
	VS_FEAT_LINUX,		/* a synthetic vmx flags name: word, bit */
};

struct vs_feature {
	char name[64];		/* as given */
	enum vs_feature_kind kind;
	int group;		/* control group or field table */
	unsigned int bit;	/* control bit, field index, or Linux word bit */
	unsigned int word;	/* Linux word */
};

/* Resolves a --require name; 0, or -1 with the reason in vs_error. */
int vs_feature_resolve(const char *name, struct vs_feature *f);

/* ---- feature.c: whether a CPU offers a feature ------------------------------ */

/*
 * Linux's vmx flag at word, bit of vmxcap_linux_words() from the recorded
 * MSRs: 1, 0, or -1 when an MSR Linux reads was not recorded and could
 * change it (*unread: the first such MSR).
 */
int vs_linux_flag(const struct vmxcap_raw *raw, unsigned int word, unsigned int bit,
		  enum vmxcap_msr *unread);
/*
 * 1 offered, 0 not, -1 unknown (why says why).  *from_linux: the answer
 * comes from Linux's vmx flags line (allowed-1 bits only).
 */
int vs_feature_offered(const struct vs_machine *m, const struct vs_cpu *c,
		       const struct vs_feature *f, bool *from_linux, char *why, size_t size);

/* One name for a feature: its glossary key ("procbased2.ept", "flag.apicv"). */
void vs_feature_key(const struct vs_feature *f, char *buf, size_t size);
/* Every name --require takes (for suggestions and completion). */
const char *const *vs_feature_vocabulary(size_t *n);
/* QEMU's property name for a glossary key ("vmx-ept"), or NULL. */
const char *vs_qemu_name(const char *key);

/* ---- suggest.c: "did you mean ...?" ------------------------------------------ */

/* Whether two names are the same without case, '-' like '_'. */
bool vs_name_eq(const char *a, const char *b);
/* "; did you mean X or Y?" for the names nearest to word, or "". */
void vs_suggest(const char *word, const char *const *names, size_t n, char *out,
		size_t size);

/* ---- explain.c: the vocabulary for people and for completion ------------------- */

/* `explain NAME...`: 0, or 2 (vs_error) for a name nothing is called. */
int vs_explain(char *const *names, size_t n, FILE *out);
/* --list-features: every feature --require takes, with its other names. */
int vs_list_features(const struct vs_opts *o, FILE *out);
/* --complete WHAT: candidates for the bash completion, one a line. */
int vs_complete(const char *what, FILE *out);

/* ---- require.c, adjust.c: the actions ---------------------------------------- */

/*
 * --require: 0 (every CPU offers all), 1 (some lack), 2 (error, and
 * nothing printed); one line per host.
 */
int vs_require(const struct vs_host *h, size_t nh, const char *list, FILE *out);
/* `adjust WHAT VALUE`: prints the adjustment; 0, 1 or 2. */
int vs_adjust(const struct vs_cpu *c, const char *what, const char *value,
	      bool unrestricted_guest, FILE *out);

/* ---- baseline.c: one VMX configuration valid on every host ------------------ */

/*
 * `baseline`: the most capable VMX configuration valid on every set of CPUs
 * of every host, written to out as a dump (one set, no CPU identity, its
 * hosts in "baseline_of").  On err: each MSR it leaves out as unknown, and
 * what each set offers beyond it; or each conflict (a value no input shares,
 * a bit one forces and another forbids).  0; 1 on conflicts (nothing written
 * to out); 2 with vs_error.
 */
int vs_baseline(const struct vs_host *h, size_t nh, FILE *out, FILE *err);

#endif /* VMXCAP_SHOW_H */
