// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the module's tree, /sys/kernel/vmxcap or a copy.  The
 * top-level "machine" file holds every CPU (sysfs-machine.c parses it):
 * a handful of reads whatever the number of CPUs.  Modules before it (0.1)
 * have per CPU the two files made for tools, cpuN/msrs and cpuN/cpuid,
 * each read with one open, one read and one close.  Anything malformed is
 * an error naming the file and line, never a partial result.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmxcap-show.h"

/* An MSR index as sysfs and the dumps write it ("0x480", "0x03a"): its slot. */
int vs_msr_slot_of(const char *s, const char **end)
{
	u64 idx;

	if (!vs_parse_hex64(s, &idx, end) || idx > 0xffffffffull)
		return -1;
	return vmxcap_msr_slot((u32)idx);
}

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
		slot = vs_msr_slot_of(p, &e);
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
		} else if (vs_parse_hex64(p, &v, &e)) {
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

int vs_parse_cpuid(const char *buf, struct vs_facts *f, const char *what)
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
			memcpy(f->vendor, eq + 1, vlen);
			f->vendor[vlen] = '\0';
		} else if (k < 6) {
			u64 x;
			bool ok;

			if (k <= 3) {
				ok = vs_parse_hex64(eq + 1, &x, &e) && x <= 0xfff;
				v = (unsigned long)x;
			} else {
				ok = vs_parse_uint(eq + 1, 1, &v, &e);
			}
			if (!ok || e != eq + 1 + vlen) {
				vs_error("%s: bad value of '%s'", what, keys[k]);
				return -1;
			}
			if (k == 1)
				f->family = (int)v;
			else if (k == 2)
				f->model = (int)v;
			else if (k == 3)
				f->stepping = (int)v;
			else if (k == 4)
				f->hypervisor = (int)v;
			else
				f->vmx = (int)v;
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

/*
 * The machine file whole.  It is built anew for each read() of at most a
 * page, so a CPU going on- or offline between two reads could tear it: its
 * generation line, read again at the end, says whether that happened.
 */
static char *read_machine(int dirfd, const char *dir)
{
	int attempt;

	for (attempt = 0; attempt < 10; attempt++) {
		int fd = openat(dirfd, "machine", O_RDONLY | O_CLOEXEC);
		size_t len = 0, size = 65536;
		char *buf, head[64], *nl;
		ssize_t r, h;

		if (fd < 0) {
			vs_error("%s/machine: %s", dir, strerror(errno));
			return NULL;
		}
		buf = xmalloc(size);
		for (;;) {
			if (len + 1 >= size)
				buf = xrealloc(buf, size *= 2);
			r = read(fd, buf + len, size - 1 - len);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			len += (size_t)r;
		}
		h = r < 0 ? -1 : pread(fd, head, sizeof(head), 0);
		if (r < 0 || h < 0) {
			vs_error("%s/machine: %s", dir, strerror(errno));
			close(fd);
			free(buf);
			return NULL;
		}
		close(fd);
		buf[len] = '\0';
		if (memchr(buf, '\0', len)) {
			vs_error("%s/machine: contains NUL bytes", dir);
			free(buf);
			return NULL;
		}
		/* Unchanged when its first two lines (format, generation) are. */
		nl = strchr(buf, '\n');
		nl = nl ? strchr(nl + 1, '\n') : NULL;
		if (!nl || nl - buf >= (ssize_t)sizeof(head) ||
		    (h > nl - buf && !memcmp(head, buf, (size_t)(nl - buf) + 1)))
			return buf;	/* unchanged, or malformed: the parser says how */
		free(buf);
	}
	vs_error("%s/machine: changed while being read, 10 times (CPUs going on- and offline)", dir);
	return NULL;
}

/* The CPUs: the top-level "cpus" list when there is one, else cpuN folders. */
static int list_cpus(int dirfd, const char *dir, unsigned int **ids, size_t *n)
{
	char buf[8192];
	bool *want;
	size_t i;

	*n = 0;
	*ids = NULL;
	want = xcalloc(VS_MAX_CPU + 1, sizeof(*want));
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
			    vs_parse_uint(de->d_name + 3, VS_MAX_CPU, &id, &e) && !*e)
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
	*ids = xmalloc(*n * sizeof(**ids));
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
	want = xcalloc(VS_MAX_CPU + 1, sizeof(*want));
	gone = read_small(dirfd, "cpus", buf, sizeof(buf), "") >= 0 &&
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
	if (faccessat(dirfd, "machine", F_OK, 0) == 0) {
		unsigned long long gen;
		char *text = read_machine(dirfd, dir), what[600];
		int r;

		close(dirfd);
		if (!text)
			return -1;
		snprintf(what, sizeof(what), "%s/machine", dir);
		r = vs_parse_machine(text, m, &gen, what);
		free(text);
		if (r)
			return -1;
		m->source_kind = "sysfs";
		snprintf(m->source, sizeof(m->source), "%s", dir);
		return 0;
	}
	if (list_cpus(dirfd, dir, &ids, &n)) {
		close(dirfd);
		return -1;
	}
	m->cpus = xcalloc(n, sizeof(*m->cpus));
	buf = xmalloc(2 * sizeof(*buf));	/* both file kinds */
	for (f = 0; f < 2; f++)
		for (k = 0; k < CACHED; k++)
			len[f][k] = -1;
	for (i = 0; i < n; i++) {
		size_t slot = m->n;
		struct vs_cpu *c = &m->cpus[slot];
		struct vs_facts facts;
		char name[32], *e;

		vs_cpu_init(c, ids[i]);
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

				if (f)
					c->facts = o->facts;
				else
					c->raw = o->raw;
				continue;
			}
			if (!f)
				c->raw = raw = vs_machine_new_raw(m);
			vs_facts_init(&facts);
			r = f ? vs_parse_cpuid(text, &facts, "") : vs_parse_msrs(text, raw, "");
			if (f && !r)
				c->facts = vs_machine_facts(m, &facts);
			if (r) {
				/* Parsers are cheap; the path is only formatted on error. */
				snprintf(what, sizeof(what), "%s/%s", dir, name);
				vs_clear_error();
				if (f)
					vs_parse_cpuid(text, &facts, what);
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
		vs_clear_error();
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

