// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: where raw values come from.  The module's fast-path files
 * (cpuN/msrs, cpuN/cpuid: two reads per CPU, so 1024 CPUs take tens of
 * milliseconds) and JSON dumps (fixture entries and our own --dump),
 * parsed with json-c.  Anything malformed is an error naming the problem:
 * never a partial silent result.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "vmxcap-show.h"

static char errbuf[1024];

void vs_error(const char *fmt, ...)
{
	va_list ap;

	if (errbuf[0])
		return;		/* the first error is the cause */
	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
}

const char *vs_last_error(void)
{
	return errbuf[0] ? errbuf : "unknown error";
}

void vs_machine_free(struct vs_machine *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->cpus[i].label);
	for (i = 0; i < m->nraws; i++)
		free(m->raws[i]);
	free(m->cpus);
	free(m->raws);
	m->cpus = NULL;
	m->raws = NULL;
	m->n = m->nraws = 0;
}

struct vmxcap_raw *vs_machine_new_raw(struct vs_machine *m)
{
	struct vmxcap_raw *r, **v;

	/* Grows by doubling: nraws is a power of two when the array is full. */
	if (!(m->nraws & (m->nraws - 1))) {
		v = realloc(m->raws, (m->nraws ? 2 * m->nraws : 1) * sizeof(*v));
		if (!v) {
			vs_error("out of memory");
			return NULL;
		}
		m->raws = v;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		vs_error("out of memory");
		return NULL;
	}
	m->raws[m->nraws++] = r;
	return r;
}

static void cpu_init(struct vs_cpu *c, unsigned int id)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->family = c->model = c->stepping = -1;
	c->hypervisor = c->vmx = -1;
}

/* ---- small strict parsers ---------------------------------------------- */

/* "0x" followed by 1-16 hex digits, ending at *end. */
static bool parse_hex64(const char *s, u64 *v, const char **end)
{
	u64 x = 0;
	int n = 0;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	for (s += 2; ; s++, n++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (n == 16)
			return false;
		x = x << 4 | (u64)d;
	}
	if (!n)
		return false;
	*v = x;
	*end = s;
	return true;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *v,
		       const char **end)
{
	unsigned long x = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		x = x * 10 + (unsigned long)(*s - '0');
		if (x > max)
			return false;
	}
	*v = x;
	*end = s;
	return true;
}

/* An MSR index as the dumps and sysfs write it: "0x480" or "0x03a". */
static int msr_slot_of(const char *s, const char **end)
{
	u64 idx;

	if (!parse_hex64(s, &idx, end) || idx > 0xffffffffull)
		return -1;
	return vmxcap_msr_slot((u32)idx);
}

int vs_parse_cpulist(const char *s, bool *want, unsigned int *hi, const char *what)
{
	const char *p = s;

	if (hi)
		*hi = 0;

	while (*p == ' ')
		p++;
	if (!*p || *p == '\n') {
		vs_error("%s: empty CPU list", what);
		return -1;
	}
	for (;;) {
		unsigned long a, b;
		const char *e;

		if (!parse_uint(p, VS_MAX_CPU, &a, &e)) {
			vs_error("%s: bad CPU list '%s' (want e.g. 0-3,8; CPUs up to %u)",
				 what, s, VS_MAX_CPU);
			return -1;
		}
		b = a;
		p = e;
		if (*p == '-') {
			if (!parse_uint(p + 1, VS_MAX_CPU, &b, &e) || b < a) {
				vs_error("%s: bad CPU range in '%s'", what, s);
				return -1;
			}
			p = e;
		}
		if (hi && b > *hi)
			*hi = (unsigned int)b;
		for (; a <= b; a++)
			want[a] = true;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\n')
			p++;
		if (*p) {
			vs_error("%s: bad CPU list '%s'", what, s);
			return -1;
		}
		return 0;
	}
}

char *vs_utoa(size_t v, char *end)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

/*
 * Appends sep (unless '\0') and the decimal v at buf + *len, if they fit
 * with the final NUL in size.
 */
static bool put_item(char *buf, size_t size, size_t *len, char sep, unsigned int v)
{
	char d[24], *p = vs_utoa(v, d + sizeof(d));
	size_t w;

	if (sep)
		*--p = sep;
	w = (size_t)(d + sizeof(d) - p);
	if (*len + w >= size)
		return false;
	memcpy(buf + *len, p, w);
	*len += w;
	return true;
}

void vs_format_cpulist(const unsigned int *ids, size_t n, char *buf,
		       size_t size)
{
	size_t i = 0, len = 0;

	if (!size)
		return;
	/* By hand, not snprintf: each output formats 1024 CPUs' lists. */
	while (i < n) {
		size_t j = i;

		while (j + 1 < n && ids[j + 1] == ids[j] + 1)
			j++;
		if (!put_item(buf, size, &len, len ? ',' : '\0', ids[i]) ||
		    (j > i && !put_item(buf, size, &len, '-', ids[j]))) {
			/* Too long to show: end with an ellipsis. */
			if (size > 4)
				strcpy(buf + size - 4, "...");
			else
				buf[0] = '\0';
			return;
		}
		i = j + 1;
	}
	buf[len] = '\0';
}

/* ---- the sysfs fast path ----------------------------------------------- */

int vs_parse_msrs(const char *buf, struct vmxcap_raw *raw, const char *what)
{
	const char *p = buf;
	unsigned int line = 0;

	memset(raw, 0, sizeof(*raw));
	while (*p) {
		const char *e;
		int slot;
		u64 v;

		line++;
		slot = msr_slot_of(p, &e);
		if (slot < 0 || *e != ' ') {
			vs_error("%s: line %u: want '0xINDEX 0xVALUE' or '0xINDEX faulted' with a VMX MSR index",
				 what, line);
			return -1;
		}
		if ((raw->present | raw->faulted) & VMXCAP_MSR_BIT(slot)) {
			vs_error("%s: line %u: MSR 0x%03x listed twice", what, line,
				 vmxcap_msrs[slot].index);
			return -1;
		}
		p = e + 1;
		if (!strncmp(p, "faulted", 7)) {
			raw->faulted |= VMXCAP_MSR_BIT(slot);
			e = p + 7;
		} else if (parse_hex64(p, &v, &e)) {
			raw->val[slot] = v;
			raw->present |= VMXCAP_MSR_BIT(slot);
		} else {
			vs_error("%s: line %u: bad value for MSR 0x%03x", what, line,
				 vmxcap_msrs[slot].index);
			return -1;
		}
		if (*e != '\n') {
			vs_error("%s: line %u: %s", what, line,
				 *e ? "trailing characters" : "truncated (no newline)");
			return -1;
		}
		p = e + 1;
	}
	return 0;
}

int vs_parse_cpuid(const char *buf, struct vs_cpu *c, const char *what)
{
	static const char *const keys[] = {
		"vendor", "family", "model", "stepping", "hypervisor", "vmx"
	};
	unsigned int seen = 0, k;
	const char *p = buf;

	while (*p && *p != '\n') {
		const char *eq = strchr(p, '='), *e;
		size_t klen, vlen;
		unsigned long v;

		if (!eq) {
			vs_error("%s: want key=value words", what);
			return -1;
		}
		klen = (size_t)(eq - p);
		vlen = strcspn(eq + 1, " \n");
		for (k = 0; k < 6; k++)
			if (strlen(keys[k]) == klen && !strncmp(p, keys[k], klen))
				break;
		if (k < 6 && (seen & (1u << k))) {
			vs_error("%s: '%s' given twice", what, keys[k]);
			return -1;
		}
		if (k == 0) {
			if (vlen == 0 || vlen > 12) {
				vs_error("%s: bad vendor", what);
				return -1;
			}
			memcpy(c->vendor, eq + 1, vlen);
			c->vendor[vlen] = '\0';
		} else if (k < 6) {
			u64 x;
			bool ok;

			if (k <= 3) {
				ok = parse_hex64(eq + 1, &x, &e) && x <= 0xfff;
				v = (unsigned long)x;
			} else {
				ok = parse_uint(eq + 1, 1, &v, &e);
			}
			if (!ok || e != eq + 1 + vlen) {
				vs_error("%s: bad value of '%s'", what, keys[k]);
				return -1;
			}
			if (k == 1)
				c->family = (int)v;
			else if (k == 2)
				c->model = (int)v;
			else if (k == 3)
				c->stepping = (int)v;
			else if (k == 4)
				c->hypervisor = (int)v;
			else
				c->vmx = (int)v;
		}
		/* Unknown keys are newer modules' additions: skipped. */
		if (k < 6)
			seen |= 1u << k;
		p = eq + 1 + vlen;
		while (*p == ' ')
			p++;
	}
	if (*p != '\n' || p[1]) {
		vs_error("%s: want exactly one line", what);
		return -1;
	}
	for (k = 0; k < 6; k++)
		if (!(seen & (1u << k))) {
			vs_error("%s: '%s=' missing", what, keys[k]);
			return -1;
		}
	return 0;
}

/*
 * Reads a small file whole: sysfs files are one page at most.  Returns its
 * length, or minus the errno of the failure (the message in vs_error).
 */
static ssize_t read_small(int dirfd, const char *name, char *buf, size_t size,
			  const char *root)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC), err;
	size_t len = 0;

	if (fd < 0) {
		err = errno;
		vs_error("%s/%s: %s", root, name, strerror(err));
		return -err;
	}
	/*
	 * A sysfs attribute arrives whole in its first read, and a regular
	 * file's short read means its end: read again only when the buffer
	 * filled up (one read a file keeps 1024 CPUs fast).
	 */
	for (;;) {
		ssize_t r = read(fd, buf + len, size - 1 - len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			vs_error("%s/%s: %s", root, name, strerror(err));
			close(fd);
			return -err;
		}
		len += (size_t)r;
		if (len == size - 1) {
			vs_error("%s/%s: longer than %zu bytes", root, name, size - 2);
			close(fd);
			return -EFBIG;
		}
		if (r == 0 || len < size / 2)
			break;
	}
	close(fd);
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		vs_error("%s/%s: contains NUL bytes", root, name);
		return -EINVAL;
	}
	return (ssize_t)len;
}

/* The CPUs: the top-level "cpus" list when there is one, else cpuN folders. */
static int list_cpus(int dirfd, const char *dir, unsigned int **ids, size_t *n)
{
	char buf[8192];
	bool *want;
	size_t i;

	*n = 0;
	*ids = NULL;
	want = calloc(VS_MAX_CPU + 1, sizeof(*want));
	if (!want) {
		vs_error("out of memory");
		return -1;
	}
	if (faccessat(dirfd, "cpus", F_OK, 0) == 0) {
		if (read_small(dirfd, "cpus", buf, sizeof(buf), dir) < 0 ||
		    vs_parse_cpulist(buf, want, NULL, "cpus")) {
			free(want);
			return -1;
		}
	} else {
		int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		struct dirent *de;

		if (!d) {
			vs_error("%s: %s", dir, strerror(errno));
			if (fd >= 0)
				close(fd);
			free(want);
			return -1;
		}
		while ((de = readdir(d))) {
			unsigned long id;
			const char *e;

			if (!strncmp(de->d_name, "cpu", 3) &&
			    parse_uint(de->d_name + 3, VS_MAX_CPU, &id, &e) && !*e)
				want[id] = true;
		}
		closedir(d);
	}
	for (i = 0; i <= VS_MAX_CPU; i++)
		*n += want[i];
	if (!*n) {
		vs_error("%s: no CPU published (no 'cpus' file and no cpuN folder)", dir);
		free(want);
		return -1;
	}
	*ids = malloc(*n * sizeof(**ids));
	if (!*ids) {
		vs_error("out of memory");
		free(want);
		return -1;
	}
	*n = 0;
	for (i = 0; i <= VS_MAX_CPU; i++)
		if (want[i])
			(*ids)[(*n)++] = (unsigned int)i;
	free(want);	/* the ids come out ascending */
	return 0;
}

/*
 * Whether CPU id has left the tree since list_cpus(): the module removes a
 * CPU's folder when the CPU goes offline, which may happen between reading
 * the list and reading the folder.  A CPU the tree still lists (a partial
 * copy, a broken module) has not left: its missing file stays an error.
 */
static bool cpu_gone(int dirfd, unsigned int id)
{
	char buf[8192], name[16];
	bool *want, gone;

	if (faccessat(dirfd, "cpus", F_OK, 0)) {
		snprintf(name, sizeof(name), "cpu%u", id);
		return faccessat(dirfd, name, F_OK, 0) && errno == ENOENT;
	}
	want = calloc(VS_MAX_CPU + 1, sizeof(*want));
	gone = want && read_small(dirfd, "cpus", buf, sizeof(buf), "") >= 0 &&
	       !vs_parse_cpulist(buf, want, NULL, "") && !want[id];
	free(want);
	return gone;
}

/*
 * The CPUs' files: one open, one read and one close each.  A file whose
 * text equals the previous CPU's (the rule on real machines) is not parsed
 * again.
 */
int vs_read_sysfs(const char *dir, struct vs_machine *m)
{
	/*
	 * Per file kind, the last CACHED distinct texts and the CPU that holds
	 * each one's parsed values: hybrid parts alternate few distinct sets.
	 */
	enum { CACHED = 4 };
	char (*buf)[CACHED + 1][4096] = NULL;	/* [file][slot]; slot CACHED: this CPU */
	ssize_t len[2][CACHED + 1];
	size_t owner[2][CACHED] = { { 0 } }, next[2] = { 0, 0 }, n, i;
	struct vmxcap_raw *raw = NULL;
	unsigned int *ids;
	int dirfd, f, k;

	memset(m, 0, sizeof(*m));
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		vs_error("%s: %s", dir, strerror(errno));
		return -1;
	}
	if (list_cpus(dirfd, dir, &ids, &n)) {
		close(dirfd);
		return -1;
	}
	m->cpus = calloc(n, sizeof(*m->cpus));
	buf = malloc(2 * sizeof(*buf));	/* both file kinds */
	if (!m->cpus || !buf) {
		vs_error("out of memory");
		goto fail;
	}
	for (f = 0; f < 2; f++)
		for (k = 0; k < CACHED; k++)
			len[f][k] = -1;
	for (i = 0; i < n; i++) {
		size_t slot = m->n;
		struct vs_cpu *c = &m->cpus[slot];
		char name[32], *e;

		cpu_init(c, ids[i]);
		/* "cpuN/": snprintf per file would cost more than the parsing. */
		name[sizeof(name) - 1] = '\0';
		e = vs_utoa(ids[i], name + sizeof(name) - 1);
		memmove(name + 3, e, (size_t)(name + sizeof(name) - e));
		memcpy(name, "cpu", 3);
		e = name + strlen(name);
		for (f = 0; f < 2; f++) {
			char *text = buf[f][CACHED], what[4200];
			ssize_t l;
			int r;

			strcpy(e, f ? "/cpuid" : "/msrs");
			l = read_small(dirfd, name, text, sizeof(buf[f][CACHED]), dir);
			if ((l == -ENOENT || l == -ENODEV) && cpu_gone(dirfd, ids[i]))
				break;
			if (l < 0)
				goto fail;
			for (k = 0; k < CACHED; k++)
				if (len[f][k] == l && !memcmp(buf[f][k], text, (size_t)l))
					break;
			if (k < CACHED) {
				const struct vs_cpu *o = &m->cpus[owner[f][k]];

				if (f) {
					memcpy(c->vendor, o->vendor, sizeof(c->vendor));
					c->family = o->family;
					c->model = o->model;
					c->stepping = o->stepping;
					c->hypervisor = o->hypervisor;
					c->vmx = o->vmx;
				} else {
					c->raw = o->raw;
				}
				continue;
			}
			if (!f) {
				raw = vs_machine_new_raw(m);
				if (!raw)
					goto fail;
				c->raw = raw;
			}
			r = f ? vs_parse_cpuid(text, c, "") : vs_parse_msrs(text, raw, "");
			if (r) {
				/* Parsers are cheap; the path is only formatted on error. */
				snprintf(what, sizeof(what), "%s/%s", dir, name);
				errbuf[0] = '\0';
				if (f)
					vs_parse_cpuid(text, c, what);
				else
					vs_parse_msrs(text, raw, what);
				goto fail;
			}
			/* Remember it, replacing the oldest. */
			k = (int)(next[f]++ % CACHED);
			memcpy(buf[f][k], text, (size_t)l);
			len[f][k] = l;
			owner[f][k] = slot;
		}
		if (f == 2) {
			m->n++;
			continue;
		}
		/* Gone offline: as if never listed; forget what it cached. */
		errbuf[0] = '\0';
		for (f = 0; f < 2; f++)
			for (k = 0; k < CACHED; k++)
				if (owner[f][k] == slot)
					len[f][k] = -1;
	}
	if (!m->n) {
		vs_error("%s: every listed CPU went offline while being read", dir);
		goto fail;
	}
	free(buf);
	free(ids);
	close(dirfd);
	m->source_kind = "sysfs";
	snprintf(m->source, sizeof(m->source), "%s", dir);
	return 0;
fail:
	free(buf);
	free(ids);
	close(dirfd);
	vs_machine_free(m);
	return -1;
}

/* ---- JSON dumps ------------------------------------------------------- */

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

/* One CPU from a fixture entry or a --dump "cpus" element. */
static int parse_entry(json_object *e, struct vs_cpu *c, struct vmxcap_raw *raw,
		       const char *what)
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
		int slot = msr_slot_of(key, &end);
		u64 x;

		if (slot < 0 || *end) {
			vs_error("%s: msrs: '%s' is not a VMX MSR index", what, key);
			return -1;
		}
		if (!s || !parse_hex64(s, &x, &end) || *end) {
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
		int slot = msr_slot_of(s, &end);

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
		memcpy(c->vendor, s, len);
		c->vendor[len] = '\0';
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
		c->family = (int)f;
		c->model = (int)mo;
		c->stepping = (int)st;
	}
	if (entry_int(e, "family", 0xfff, &c->family, what) ||
	    entry_int(e, "model", 0xfff, &c->model, what) ||
	    entry_int(e, "stepping", 0xf, &c->stepping, what) ||
	    entry_bool(e, "hypervisor", &c->hypervisor, what) ||
	    entry_bool(e, "vmx", &c->vmx, what))
		return -1;
	v = get(e, "id");
	if (v) {
		if (!json_object_is_type(v, json_type_string)) {
			vs_error("%s: \"id\" must be a string", what);
			return -1;
		}
		c->label = strdup(json_object_get_string(v));
		if (!c->label) {
			vs_error("out of memory");
			return -1;
		}
	}
	return 0;
}

/*
 * Puts the CPUs in ascending order, refusing a CPU listed twice: in linear
 * time through an index by CPU number (a dump's sets interleave their CPUs).
 */
static int order_cpus(struct vs_machine *m, const char *what)
{
	struct vs_cpu *sorted;
	int *pos;
	size_t i, k = 0;

	for (i = 1; i < m->n; i++)
		if (m->cpus[i].id <= m->cpus[i - 1].id)
			break;
	if (i >= m->n)
		return 0;
	pos = malloc((VS_MAX_CPU + 1) * sizeof(*pos));
	sorted = malloc(m->n * sizeof(*sorted));
	if (!pos || !sorted) {
		free(pos);
		free(sorted);
		vs_error("out of memory");
		return -1;
	}
	memset(pos, 0xff, (VS_MAX_CPU + 1) * sizeof(*pos));	/* all -1 */
	for (i = 0; i < m->n; i++) {
		if (pos[m->cpus[i].id] >= 0) {
			vs_error("%s: cpu %u appears twice", what, m->cpus[i].id);
			free(pos);
			free(sorted);
			return -1;
		}
		pos[m->cpus[i].id] = (int)i;
	}
	for (i = 0; i <= VS_MAX_CPU; i++)
		if (pos[i] >= 0)
			sorted[k++] = m->cpus[pos[i]];
	free(m->cpus);
	m->cpus = sorted;
	free(pos);
	return 0;
}

static bool selected(json_object *e, const char *const *entries, bool *used)
{
	json_object *id = json_object_is_type(e, json_type_object) ? get(e, "id") : NULL;
	const char *s = id ? json_object_get_string(id) : NULL;
	size_t i;

	if (!entries)
		return true;
	for (i = 0; entries[i]; i++)
		if (s && !strcmp(s, entries[i])) {
			used[i] = true;
			return true;
		}
	return false;
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
	uint16_t *set_of = calloc(VS_MAX_CPU + 1, sizeof(*set_of));
	bool *want = calloc(VS_MAX_CPU + 1, sizeof(*want));
	struct vs_cpu *tmpl = NULL;
	struct vmxcap_raw *raw;
	unsigned int hi = 0, top = 0;
	char where[96];
	int ret = -1;

	if (n > VS_MAX_CPU + 1) {
		vs_error("%s: more than %u sets", what, VS_MAX_CPU + 1);
		goto out;
	}
	tmpl = calloc(n ? n : 1, sizeof(*tmpl));
	if (!set_of || !want || !tmpl) {
		vs_error("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(list, i);

		cpu_init(&tmpl[i], 0);	/* each CPU of the set gets its number */
		if (!selected(e, entries, used))
			continue;
		snprintf(where, sizeof(where), "%s: set %zu", what, i);
		tmpl[i].raw = raw = vs_machine_new_raw(m);
		if (!raw || parse_entry(e, &tmpl[i], raw, where) ||
		    set_cpus(e, want, &hi, where))
			goto out;
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
	m->cpus = calloc(total ? total : 1, sizeof(*m->cpus));
	if (!m->cpus) {
		vs_error("out of memory");
		goto out;
	}
	for (cpu = 0; total && cpu <= top; cpu++) {
		struct vs_cpu *c;

		if (!set_of[cpu])
			continue;
		c = &m->cpus[m->n++];
		*c = tmpl[set_of[cpu] - 1];
		c->id = (unsigned int)cpu;
		if (c->label && !(c->label = strdup(c->label))) {
			vs_error("out of memory");
			goto out;
		}
	}
	ret = 0;
out:
	for (i = 0; tmpl && i < n; i++)
		free(tmpl[i].label);
	free(tmpl);
	free(want);
	free(set_of);
	return ret;
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
		vs_error("out of memory");
		return -1;
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
	m->cpus = calloc(n ? n : 1, sizeof(*m->cpus));
	if (!m->cpus) {
		vs_error("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		json_object *e = list ? json_object_array_get_idx(list, i) : root;
		struct vs_cpu *c = &m->cpus[m->n];
		int id = (int)m->n;

		if (!selected(e, entries, used))
			continue;
		snprintf(where, sizeof(where), "%s: entry %zu", what, i);
		cpu_init(c, 0);
		m->n++;
		c->raw = raw = vs_machine_new_raw(m);
		if (!raw || parse_entry(e, c, raw, where))
			goto out;
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
			vs_error("%s: no entry with id '%s'", what, entries[k]);
			goto out;
		}
	if (!m->n) {
		vs_error("%s: no CPU in the dump", what);
		goto out;
	}
	if (order_cpus(m, what))
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
			char *t;

			if (cap >= (size_t)256 << 20) {
				vs_error("%s: larger than 256 MiB", path);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			t = realloc(text, cap + 1);
			if (!t) {
				vs_error("out of memory");
				goto fail;
			}
			text = t;
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
