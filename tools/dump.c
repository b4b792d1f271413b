// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: JSON dumps.  Read (with json-c): fixture entries, lists of
 * them and the tool's own --dump, versions 1 and 2; anything malformed is
 * an error naming the problem, never a partial result.  Written (--dump,
 * version 2): each distinct raw set and identity once, with its CPUs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonw.h"
#include "vmxcap-show.h"

/* Version of the --dump format (tools/README.md). */
#define VS_DUMP_VERSION 2

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static int entry_int(json_object *e, const char *key, int max, int *out,
		     const char *what)
{
	json_object *v = get(e, key);
	int64_t x;

	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_int)) {
		vs_error("%s: '%s' must be an integer", what, key);
		return -1;
	}
	x = json_object_get_int64(v);
	if (x < 0 || x > max) {
		vs_error("%s: '%s' out of range", what, key);
		return -1;
	}
	*out = (int)x;
	return 0;
}

static int entry_bool(json_object *e, const char *key, int *out,
		      const char *what)
{
	json_object *v = get(e, key);

	if (!v)
		return 0;	/* absent or null: unknown */
	if (!json_object_is_type(v, json_type_boolean)) {
		vs_error("%s: '%s' must be true, false or null", what, key);
		return -1;
	}
	*out = json_object_get_boolean(v);
	return 0;
}

/* A string key of at most max characters into buf ("" when absent). */
static int entry_string(json_object *e, const char *key, char *buf, size_t max,
			const char *what)
{
	json_object *v = get(e, key);
	size_t len;

	if (!v)
		return 0;
	len = json_object_is_type(v, json_type_string) ? strlen(json_object_get_string(v)) : 0;
	if (!len || len > max) {
		vs_error("%s: '%s' must be a string of 1 to %zu characters", what, key, max);
		return -1;
	}
	memcpy(buf, json_object_get_string(v), len + 1);
	return 0;
}

/* Linux's view, when the dump was taken from /proc/cpuinfo. */
static int parse_linux(json_object *e, struct vs_facts *cf, struct vs_machine *m,
		       const char *what)
{
	json_object *l = get(e, "linux"), *f;

	if (!l)
		return 0;
	if (!json_object_is_type(l, json_type_object) || entry_bool(l, "flags_vmx", &cf->linux_vmx, what))
		goto bad;
	f = get(l, "vmx_flags");
	if (f && !json_object_is_type(f, json_type_string))
		goto bad;
	if (cf->linux_vmx < 0 && f)
		goto bad;
	if (f)
		cf->linux_flags = vs_machine_string(m, json_object_get_string(f));
	return 0;
bad:
	vs_error("%s: \"linux\" must be { \"flags_vmx\": true|false, \"vmx_flags\": \"...\"|null }", what);
	return -1;
}

/*
 * The dump's host keys (struct vs_host_facts), and the file host-facts.c
 * reads each from: here, with the format, so that the dump's readers need
 * nothing else.
 */
#define FIELD(key, file, dmi, field) { key, file, dmi, offsetof(struct vs_host_facts, field), \
					    sizeof(((struct vs_host_facts *)0)->field) }
const struct vs_host_field vs_host_fields[] = {
	FIELD("hostname", "/proc/sys/kernel/hostname", false, hostname),
	FIELD("taken", NULL, false, taken),
	FIELD("tool", NULL, false, tool),
	FIELD("decoder_version", NULL, false, decoder),
	/* Readable by any user (the serial numbers, which are not, are not read). */
	FIELD("sys_vendor", "/sys/class/dmi/id/sys_vendor", true, sys_vendor),
	FIELD("product_name", "/sys/class/dmi/id/product_name", true, product_name),
	FIELD("bios_vendor", "/sys/class/dmi/id/bios_vendor", true, bios_vendor),
	FIELD("bios_version", "/sys/class/dmi/id/bios_version", true, bios_version),
	FIELD("bios_date", "/sys/class/dmi/id/bios_date", true, bios_date),
};
#undef FIELD
const size_t vs_nr_host_fields = ARRAY_LEN(vs_host_fields);

/* The dump's host: the keys known, none when none is. */
static void write_host(struct jw *w, const struct vs_host_facts *h)
{
	bool dmi = false;
	size_t i;

	for (i = 0; i < vs_nr_host_fields; i++) {
		const char *v = (const char *)h + vs_host_fields[i].off;

		if (!v[0])
			continue;
		if (vs_host_fields[i].dmi && !dmi) {
			jw_key(w, "dmi");
			jw_object(w);
			dmi = true;
		}
		jw_key_string(w, vs_host_fields[i].key, v);
	}
	if (dmi)
		jw_end(w);
}

/* The host keys of a dump's top level and its "dmi"; absent ones stay "". */
static int parse_host(json_object *root, struct vs_host_facts *h, const char *what)
{
	json_object *dmi = get(root, "dmi");
	size_t i;

	if (dmi && !json_object_is_type(dmi, json_type_object)) {
		vs_error("%s: \"dmi\" must be an object", what);
		return -1;
	}
	for (i = 0; i < vs_nr_host_fields; i++) {
		json_object *in = vs_host_fields[i].dmi ? dmi : root;

		if (in && entry_string(in, vs_host_fields[i].key, (char *)h + vs_host_fields[i].off,
				       vs_host_fields[i].size - 1, what))
			return -1;
	}
	return 0;
}

/* A set's "microcode": the revision in hex, as --dump writes it. */
static int parse_microcode(json_object *e, struct vs_facts *cf, const char *what)
{
	json_object *v = get(e, "microcode");
	const char *s;
	char *end;
	unsigned long long rev;

	if (!v)
		return 0;
	s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
	rev = strtoull(s, &end, 16);
	if (strncmp(s, "0x", 2) || end == s + 2 || *end || rev > 0xffffffffull) {
		vs_error("%s: \"microcode\" must be a revision in hex (\"0x2007006\")", what);
		return -1;
	}
	cf->microcode = (long long)rev;
	return 0;
}

/* What hypervisors read besides VMX ("facts"; facts.c), when the dump has it. */
static int parse_facts(json_object *e, struct vs_facts *cf, const char *what)
{
	json_object *f = get(e, "facts"), *l;
	const char *s;
	u32 x[2];
	int n = 0;

	if (!f)
		return 0;
	if (!json_object_is_type(f, json_type_object)) {
		vs_error("%s: \"facts\" must be an object", what);
		return -1;
	}
	if (entry_bool(f, "nx", &cf->nx, what) || entry_bool(f, "umip", &cf->umip, what) ||
	    entry_bool(f, "user_shstk", &cf->shstk, what) || entry_bool(f, "ibt", &cf->ibt, what) ||
	    entry_bool(f, "sgx", &cf->sgx, what) || entry_bool(f, "flags_vmx", &cf->kernel_vmx, what) ||
	    entry_bool(f, "clearcpuid_vmx", &cf->kernel_hid_vmx, what))
		return -1;
	if (!json_object_object_get_ex(f, "cpuid_15h", &l))
		return 0;
	if (!l) {
		cf->leaf15 = 0;	/* null: the CPU has no such leaf */
		return 0;
	}
	s = json_object_is_type(l, json_type_string) ? json_object_get_string(l) : "";
	if (sscanf(s, "%x,%x%n", &x[0], &x[1], &n) != 2 || s[n]) {
		vs_error("%s: \"cpuid_15h\" must be \"EAX,EBX\" in hex or null", what);
		return -1;
	}
	cf->leaf15 = 1;
	cf->leaf15_eax = x[0];
	cf->leaf15_ebx = x[1];
	return 0;
}

/* One CPU from a fixture entry or a --dump "cpus" element. */
static int parse_entry(json_object *e, struct vs_facts *cf, struct vmxcap_raw *raw,
		       struct vs_machine *m, const char *what)
{
	json_object *msrs, *v;
	size_t i, n;

	if (!json_object_is_type(e, json_type_object)) {
		vs_error("%s: not a JSON object", what);
		return -1;
	}
	msrs = get(e, "msrs");
	if (!msrs || !json_object_is_type(msrs, json_type_object)) {
		vs_error("%s: no \"msrs\" object", what);
		return -1;
	}
	json_object_object_foreach(msrs, key, val) {
		const char *s = json_type_string == json_object_get_type(val) ?
				json_object_get_string(val) : NULL;
		const char *end;
		int slot = vs_msr_slot_of(key, &end);
		u64 x;

		if (slot < 0 || *end) {
			vs_error("%s: msrs: '%s' is not a VMX MSR index", what, key);
			return -1;
		}
		if (!s || !vs_parse_hex64(s, &x, &end) || *end) {
			vs_error("%s: msrs: value of %s must be a hex string (\"0x...\", 64 bits)",
				 what, key);
			return -1;
		}
		raw->val[slot] = x;
		raw->present |= VMXCAP_MSR_BIT(slot);
	}
	v = get(e, "faulted");
	if (v && !json_object_is_type(v, json_type_array)) {
		vs_error("%s: \"faulted\" must be a list of MSR indices", what);
		return -1;
	}
	n = v ? json_object_array_length(v) : 0;
	for (i = 0; i < n; i++) {
		json_object *x = json_object_array_get_idx(v, i);
		const char *s = json_object_is_type(x, json_type_string) ?
				json_object_get_string(x) : "";
		const char *end;
		int slot = vs_msr_slot_of(s, &end);

		if (slot < 0 || *end || (raw->present & VMXCAP_MSR_BIT(slot))) {
			vs_error("%s: faulted: '%s' is not a VMX MSR index without a value",
				 what, s);
			return -1;
		}
		raw->faulted |= VMXCAP_MSR_BIT(slot);
	}
	v = get(e, "vendor");
	if (v) {
		const char *s = json_object_get_string(v);
		size_t len = json_object_is_type(v, json_type_string) ? strcspn(s, " ") : 0;

		/* Fixtures say "GenuineIntel (emulated)": the first word is CPUID's. */
		if (!len || len > 12) {
			vs_error("%s: bad \"vendor\"", what);
			return -1;
		}
		memcpy(cf->vendor, s, len);
		cf->vendor[len] = '\0';
	}
	v = get(e, "family_model_stepping");
	if (v) {
		unsigned int f, mo, st;

		if (!json_object_is_type(v, json_type_string) ||
		    sscanf(json_object_get_string(v), "%x_%x_%x", &f, &mo, &st) != 3 ||
		    f > 0xfff || mo > 0xfff || st > 0xf) {
			vs_error("%s: bad \"family_model_stepping\" (want FF_MM_S)", what);
			return -1;
		}
		cf->family = (int)f;
		cf->model = (int)mo;
		cf->stepping = (int)st;
	}
	if (entry_int(e, "family", 0xfff, &cf->family, what) ||
	    entry_int(e, "model", 0xfff, &cf->model, what) ||
	    entry_int(e, "stepping", 0xf, &cf->stepping, what) ||
	    entry_bool(e, "hypervisor", &cf->hypervisor, what) ||
	    entry_bool(e, "vmx", &cf->vmx, what) || entry_bool(e, "svm", &cf->svm, what) ||
	    entry_string(e, "hypervisor_vendor", cf->hv_vendor, 12, what) ||
	    parse_linux(e, cf, m, what) || parse_facts(e, cf, what) ||
	    parse_microcode(e, cf, what))
		return -1;
	v = get(e, "id");
	if (v) {
		if (!json_object_is_type(v, json_type_string)) {
			vs_error("%s: \"id\" must be a string", what);
			return -1;
		}
		cf->label = vs_machine_string(m, json_object_get_string(v));
	}
	return 0;
}

static bool selected(json_object *e, const char *const *entries, bool *used)
{
	json_object *id = json_object_is_type(e, json_type_object) ? get(e, "id") : NULL;
	const char *s = id ? json_object_get_string(id) : NULL;
	bool hit = false;
	size_t i;

	if (!entries)
		return true;
	/* Every --entry naming it is used, also one given twice. */
	for (i = 0; entries[i]; i++)
		if (s && !strcmp(s, entries[i]))
			hit = used[i] = true;
	return hit;
}

/*
 * The CPUs of a version 2 set: its "cpus", a kernel CPU list, into
 * want[0..*hi] (cleared first up to the previous *hi: want holds
 * VS_MAX_CPU + 1 entries, all false before the first call).  Only the
 * listed range is touched: a scan of all 8192 possible CPUs per set would
 * cost more than the parsing.
 */
static int set_cpus(json_object *e, bool *want, unsigned int *hi, const char *what)
{
	json_object *v = json_object_is_type(e, json_type_object) ? get(e, "cpus") : NULL;
	char where[128];

	if (!v || !json_object_is_type(v, json_type_string)) {
		vs_error("%s: \"cpus\" must be a CPU list such as \"0-3,8\"", what);
		return -1;
	}
	memset(want, 0, (*hi + 1) * sizeof(*want));
	snprintf(where, sizeof(where), "%s: cpus", what);
	return vs_parse_cpulist(json_object_get_string(v), want, hi, where);
}

/*
 * Version 2: each set parsed once, then copied to each of its CPUs, in CPU
 * order (no sort); a CPU in two sets is an error.
 */
static int parse_sets(json_object *list, const char *const *entries, bool *used,
		      struct vs_machine *m, const char *what)
{
	size_t n = json_object_array_length(list), i, total = 0, cpu;
	/* Each CPU's set + 1, 0 for none, up to the highest CPU listed. */
	uint16_t *set_of = xcalloc(VS_MAX_CPU + 1, sizeof(*set_of));
	bool *want = xcalloc(VS_MAX_CPU + 1, sizeof(*want));
	struct vs_cpu *tmpl = NULL;
	struct vs_facts facts;
	struct vmxcap_raw *raw;
	unsigned int hi = 0, top = 0;
	char where[96];
	int ret = -1;

	if (n > VS_MAX_CPU + 1) {
		vs_error("%s: more than %u sets", what, VS_MAX_CPU + 1);
		goto out;
	}
	tmpl = xcalloc(n, sizeof(*tmpl));
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(list, i);

		vs_cpu_init(&tmpl[i], 0);	/* each CPU of the set gets its number */
		if (!selected(e, entries, used))
			continue;
		snprintf(where, sizeof(where), "%s: set %zu", what, i);
		tmpl[i].raw = raw = vs_machine_new_raw(m);
		vs_facts_init(&facts);
		if (parse_entry(e, &facts, raw, m, where) ||
		    set_cpus(e, want, &hi, where))
			goto out;
		tmpl[i].facts = vs_machine_facts(m, &facts);
		if (hi > top)
			top = hi;
		for (cpu = 0; cpu <= hi; cpu++) {
			if (!want[cpu])
				continue;
			if (set_of[cpu]) {
				vs_error("%s: cpu %zu appears twice", what, cpu);
				goto out;
			}
			set_of[cpu] = (uint16_t)(i + 1);
			total++;
		}
	}
	m->cpus = xcalloc(total, sizeof(*m->cpus));
	for (cpu = 0; total && cpu <= top; cpu++) {
		struct vs_cpu *c;

		if (!set_of[cpu])
			continue;
		c = &m->cpus[m->n++];
		*c = tmpl[set_of[cpu] - 1];
		c->id = (unsigned int)cpu;
	}
	ret = 0;
out:
	free(tmpl);
	free(want);
	free(set_of);
	return ret;
}

/* The entries' ids of a list (or one entry), in a new array. */
static const char **entry_ids(json_object *list, size_t *n)
{
	size_t len = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 1;
	const char **ids = xmalloc(len * sizeof(*ids));
	size_t i;

	*n = 0;
	for (i = 0; i < len; i++) {
		json_object *e = json_object_is_type(list, json_type_array) ?
				 json_object_array_get_idx(list, i) : list;
		json_object *id = json_object_is_type(e, json_type_object) ? get(e, "id") : NULL;

		if (id && json_object_is_type(id, json_type_string))
			ids[(*n)++] = json_object_get_string(id);
	}
	return ids;
}

static void unknown_entry(json_object *list, const char *entry, const char *what)
{
	size_t n;
	const char **ids = entry_ids(list, &n);
	char hint[300];

	vs_suggest(entry, ids, n, hint, sizeof(hint));
	vs_error("%s: no entry with id '%s'%s", what, entry, hint);
	free(ids);
}

/*
 * A fixture entry, a list of them, or our --dump: version 1 (a "cpus" list
 * of CPU objects) or 2 ("sets" of raw values and identity, each with the
 * list of its CPUs).  Either way one struct vs_cpu per CPU comes out.
 */
int vs_parse_dump(const char *text, size_t len, const char *const *entries,
		  struct vs_machine *m, const char *what)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *root, *list, *v;
	bool used[64] = { false };
	struct vmxcap_raw *raw;
	int version = 0;
	size_t i, n, k, nentries = 0;
	char where[96];
	int ret = -1;

	memset(m, 0, sizeof(*m));
	while (entries && entries[nentries])
		nentries++;
	if (nentries > 64) {
		vs_error("too many --entry options (at most 64)");
		return -1;
	}
	if (len > INT32_MAX) {
		vs_error("%s: too large", what);
		return -1;
	}
	tok = json_tokener_new();
	if (!tok) {
		fputs("vmxcap-show: out of memory\n", stderr);
		exit(2);
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_success) {
		/* Only white space may follow the document. */
		for (i = json_tokener_get_parse_end(tok); i < len; i++)
			if (!strchr(" \t\r\n", text[i]))
				break;
		if (i < len) {
			vs_error("%s: JSON: trailing data at byte %zu", what, i);
			goto out;
		}
	} else {
		vs_error("%s: JSON: %s at byte %zu", what,
			 jerr == json_tokener_continue ? "truncated document" :
			 json_tokener_error_desc(jerr), json_tokener_get_parse_end(tok));
		goto out;
	}
	if (json_object_is_type(root, json_type_object) &&
	    (get(root, "cpus") || get(root, "sets") || get(root, "format"))) {
		json_object *ver = get(root, "version");

		version = ver && json_object_is_type(ver, json_type_int) ?
			  (int)json_object_get_int64(ver) : 0;
		if (version != 1 && version != 2) {
			vs_error("%s: unsupported dump (want \"version\": 1 or 2)", what);
			goto out;
		}
		v = get(root, version == 1 ? "cpus" : "sets");
		if (!v || !json_object_is_type(v, json_type_array)) {
			vs_error("%s: \"%s\" must be a list", what, version == 1 ? "cpus" : "sets");
			goto out;
		}
		list = v;
		/* Where a live machine's dump was taken, and on which kernel. */
		if (entry_string(root, "source", m->origin, sizeof(m->origin) - 1, what) ||
		    entry_string(root, "kernel", m->kernel, sizeof(m->kernel) - 1, what) ||
		    entry_string(root, "tsc_from", m->tsc_from, sizeof(m->tsc_from) - 1, what) ||
		    parse_host(root, &m->host, what))
			goto out;
		v = get(root, "tsc_khz");
		if (v && (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0 ||
			  json_object_get_int64(v) > 100000000)) {
			vs_error("%s: \"tsc_khz\" must be a frequency in kHz", what);
			goto out;
		}
		m->tsc_khz = v ? (unsigned long)json_object_get_int64(v) : 0;
		m->kver = vs_kver_of(m->kernel);
	} else if (json_object_is_type(root, json_type_array)) {
		list = root;
	} else if (json_object_is_type(root, json_type_object)) {
		list = NULL;	/* one fixture entry */
	} else {
		vs_error("%s: want a JSON object or a list of objects", what);
		goto out;
	}
	if (version == 2) {
		if (parse_sets(list, entries, used, m, what))
			goto out;
		goto check;
	}
	n = list ? json_object_array_length(list) : 1;
	if (n > VS_MAX_CPU + 1) {
		vs_error("%s: more than %u CPUs", what, VS_MAX_CPU + 1);
		goto out;
	}
	m->cpus = xcalloc(n, sizeof(*m->cpus));
	for (i = 0; i < n; i++) {
		json_object *e = list ? json_object_array_get_idx(list, i) : root;
		struct vs_cpu *c = &m->cpus[m->n];
		struct vs_facts facts;
		int id = (int)m->n;

		if (!selected(e, entries, used))
			continue;
		snprintf(where, sizeof(where), "%s: entry %zu", what, i);
		vs_cpu_init(c, 0);
		m->n++;
		c->raw = raw = vs_machine_new_raw(m);
		vs_facts_init(&facts);
		if (parse_entry(e, &facts, raw, m, where))
			goto out;
		c->facts = vs_machine_facts(m, &facts);
		/* In our dumps each CPU says its number; in fixture lists the position. */
		if (version == 1 && !get(e, "cpu")) {
			vs_error("%s: no \"cpu\" number", where);
			goto out;
		}
		if (entry_int(e, "cpu", VS_MAX_CPU, &id, where))
			goto out;
		c->id = (unsigned int)id;
	}
check:
	for (k = 0; k < nentries; k++)
		if (!used[k]) {
			unknown_entry(list ? list : root, entries[k], what);
			goto out;
		}
	if (!m->n) {
		vs_error("%s: no CPU in the dump", what);
		goto out;
	}
	if (vs_machine_sort(m, what))
		goto out;
	m->source_kind = "dump";
	snprintf(m->source, sizeof(m->source), "%s", what);
	ret = 0;
out:
	if (ret)
		vs_machine_free(m);
	json_object_put(root);
	json_tokener_free(tok);
	return ret;
}

int vs_read_dump_file(const char *path, const char *const *entries,
		      struct vs_machine *m)
{
	bool std_in = !strcmp(path, "-");
	FILE *f = std_in ? stdin : fopen(path, "r");
	char *text = NULL;
	size_t len = 0, cap = 0;
	int ret;

	memset(m, 0, sizeof(*m));
	if (!f) {
		vs_error("%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t r;

		if (len == cap) {
			if (cap >= (size_t)256 << 20) {
				vs_error("%s: larger than 256 MiB", path);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			text = xrealloc(text, cap + 1);
		}
		r = fread(text + len, 1, cap - len, f);
		len += r;
		if (r == 0) {
			if (ferror(f)) {
				vs_error("%s: %s", std_in ? "standard input" : path,
					 strerror(errno ? errno : EIO));
				goto fail;
			}
			break;
		}
	}
	if (!std_in)
		fclose(f);
	text[len] = '\0';
	ret = vs_parse_dump(text, len, entries, m, std_in ? "standard input" : path);
	free(text);
	return ret;
fail:
	if (!std_in)
		fclose(f);
	free(text);
	return -1;
}

/* The facts that are known (a live machine's; older dumps have none). */
static void write_facts(struct jw *w, const struct vs_cpu *c)
{
	const struct { const char *key; int v; } flags[] = {
		{ "nx", c->facts->nx }, { "umip", c->facts->umip }, { "user_shstk", c->facts->shstk },
		{ "ibt", c->facts->ibt }, { "sgx", c->facts->sgx }, { "flags_vmx", c->facts->kernel_vmx },
		{ "clearcpuid_vmx", c->facts->kernel_hid_vmx },
	};
	bool any = c->facts->leaf15 >= 0;
	size_t i;

	for (i = 0; i < ARRAY_LEN(flags); i++)
		any |= flags[i].v >= 0;
	if (!any)
		return;
	jw_key(w, "facts");
	jw_object(w);
	for (i = 0; i < ARRAY_LEN(flags); i++)
		if (flags[i].v >= 0)
			jw_key_bool(w, flags[i].key, flags[i].v);
	if (c->facts->leaf15 == 0) {
		jw_key(w, "cpuid_15h");
		jw_null(w);
	} else if (c->facts->leaf15 == 1) {
		char buf[32];

		snprintf(buf, sizeof(buf), "0x%x,0x%x", c->facts->leaf15_eax, c->facts->leaf15_ebx);
		jw_key_string(w, "cpuid_15h", buf);
	}
	jw_end(w);
}

/*
 * Version 2: each distinct set of raw values and identity once, with the
 * CPUs that have exactly it; 1024 identical CPUs take one set, not 1024
 * copies (version 1, still read by --input).  Always indented: dumps are
 * small and meant to be read and diffed.
 */
int vs_show_dump(const struct vs_machine *m, const bool *sel, FILE *out)
{
	struct vs_groups gr;
	struct jw w;
	size_t g;
	bool ok;

	vs_groups_make(m, sel, true, &gr);
	jw_init(&w, out, true);
	jw_object(&w);
	jw_key_string(&w, "format", "vmxcap-dump");
	jw_key_int(&w, "version", VS_DUMP_VERSION);
	/* A live machine's: where and on which kernel (a read dump's are kept). */
	if (m->origin[0])
		jw_key_string(&w, "source", m->origin);
	else if (m->kernel[0] && strcmp(m->source_kind, "dump"))
		jw_key_string(&w, "source", m->source_kind);
	if (m->kernel[0])
		jw_key_string(&w, "kernel", m->kernel);
	if (m->tsc_khz) {
		jw_key_int(&w, "tsc_khz", (long long)m->tsc_khz);
		jw_key_string(&w, "tsc_from", m->tsc_from);
	}
	write_host(&w, &m->host);
	jw_key(&w, "sets");
	jw_array(&w);
	for (g = 0; g < gr.n; g++) {
		const struct vs_cpu *c = &m->cpus[gr.rep[g]];
		char fp[VS_FINGERPRINT_LEN + 1];
		unsigned int s;

		jw_object(&w);
		/* A kernel CPU list, as in the module's "cpus" file and --json. */
		jw_key_string(&w, "cpus", gr.lists[g]);
		/* Derived, for people and fleet tools: the reader ignores it. */
		vs_fingerprint(c, fp);
		jw_key_string(&w, "fingerprint", fp);
		if (c->facts->label) {
			jw_key_string(&w, "id", c->facts->label);
		}
		if (c->facts->vendor[0]) {
			jw_key_string(&w, "vendor", c->facts->vendor);
		}
		if (c->facts->family >= 0) {
			jw_key_int(&w, "family", c->facts->family);
			jw_key_int(&w, "model", c->facts->model);
			jw_key_int(&w, "stepping", c->facts->stepping);
		}
		jw_key(&w, "hypervisor");
		if (c->facts->hypervisor >= 0)
			jw_bool(&w, c->facts->hypervisor);
		else
			jw_null(&w);
		jw_key(&w, "vmx");
		if (c->facts->vmx >= 0)
			jw_bool(&w, c->facts->vmx);
		else
			jw_null(&w);
		/* Known for live machines only: older dumps stay as they were. */
		if (c->facts->svm >= 0)
			jw_key_bool(&w, "svm", c->facts->svm);
		if (c->facts->hv_vendor[0])
			jw_key_string(&w, "hypervisor_vendor", c->facts->hv_vendor);
		write_facts(&w, c);
		if (c->facts->microcode >= 0) {
			char rev[24];

			snprintf(rev, sizeof(rev), "0x%llx", c->facts->microcode);
			jw_key_string(&w, "microcode", rev);
		}
		if (c->facts->linux_vmx >= 0) {
			jw_key(&w, "linux");
			jw_object(&w);
			jw_key_bool(&w, "flags_vmx", c->facts->linux_vmx);
			jw_key(&w, "vmx_flags");
			jw_string_or_null(&w, c->facts->linux_flags);
			jw_end(&w);
		}
		jw_key(&w, "msrs");
		jw_object(&w);
		for (s = 0; s < VMXCAP_NR_MSRS; s++) {
			char key[16];

			if (!vmxcap_has(c->raw, s))
				continue;
			snprintf(key, sizeof(key), "0x%x", vmxcap_msrs[s].index);
			jw_key_hex(&w, key, c->raw->val[s], 16);
		}
		jw_end(&w);
		jw_key(&w, "faulted");
		jw_array(&w);
		for (s = 0; s < VMXCAP_NR_MSRS; s++) {
			char key[16];

			if (!(c->raw->faulted & VMXCAP_MSR_BIT(s)))
				continue;
			snprintf(key, sizeof(key), "0x%x", vmxcap_msrs[s].index);
			jw_string(&w, key);
		}
		jw_end(&w);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	ok = jw_finish(&w);
	vs_groups_free(&gr);
	if (!ok)
		vs_error("writing the dump: %s", strerror(errno));
	return ok ? 0 : 2;
}

int vs_dump_entry_ids(const char *path, FILE *out)
{
	json_object *root = json_object_from_file(path);
	size_t n, i;
	const char **ids;

	if (!root)
		return 0;	/* nothing to complete from */
	ids = entry_ids(json_object_is_type(root, json_type_object) && get(root, "sets") ?
			get(root, "sets") : root, &n);
	for (i = 0; i < n; i++)
		fprintf(out, "%s\n", ids[i]);
	free(ids);
	json_object_put(root);
	return 0;
}
