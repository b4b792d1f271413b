// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: what any user can see without vmxcap.ko or root -
 * /proc/cpuinfo and each CPU's CPUID.  Linux's "vmx flags" line gives the
 * allowed-1 bits it names, and its "flags" say whether it kept VMX: the
 * kernel clears vmx at boot when firmware locked IA32_FEATURE_CONTROL with
 * VMX off (arch/x86/kernel/cpu/feat_ctl.c), while CPUID still reports it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmxcap-show.h"

/* Whether the space-separated list s (up to end) has the word w. */
static bool has_word(const char *s, const char *end, const char *w)
{
	size_t n = strlen(w);

	while (s < end) {
		const char *e = s;

		while (e < end && *e != ' ')
			e++;
		if ((size_t)(e - s) == n && !memcmp(s, w, n))
			return true;
		s = e + 1;
	}
	return false;
}

/* One "key : value" line, the key's white space trimmed. */
struct line {
	const char *key, *val, *end;
	size_t klen;
};

static bool key_is(const struct line *l, const char *key)
{
	return l->klen == strlen(key) && !memcmp(l->key, key, l->klen);
}

static int number(const struct line *l, int base, int *out, const char *what)
{
	char *e;
	long v;

	errno = 0;
	v = strtol(l->val, &e, base);
	if (errno || e != l->end || e == l->val || v < 0 || v > 0xfff) {
		vs_error("%s: bad '%.*s' value", what, (int)l->klen, l->key);
		return -1;
	}
	*out = (int)v;
	return 0;
}

int vs_parse_cpuinfo(const char *text, struct vs_machine *m, const char *what)
{
	const char *p = text;
	struct vs_cpu *c = NULL;
	struct vs_facts f;	/* c's, until the next processor or the end */
	size_t cap = 0;
	char *flags;

	memset(m, 0, sizeof(*m));
	while (*p) {
		const char *nl = strchr(p, '\n'), *colon, *k;
		struct line l;

		if (!nl)
			nl = p + strlen(p);
		colon = memchr(p, ':', (size_t)(nl - p));
		if (colon) {
			for (k = colon; k > p && (k[-1] == ' ' || k[-1] == '\t'); k--)
				;
			l.key = p;
			l.klen = (size_t)(k - p);
			l.val = colon + 1;
			while (l.val < nl && *l.val == ' ')
				l.val++;
			l.end = nl;
			if (key_is(&l, "processor")) {
				int id;

				if (number(&l, 10, &id, what))
					goto fail;
				if (c)
					c->facts = vs_machine_facts(m, &f);
				if (m->n == cap) {
					cap = cap ? 2 * cap : 64;
					m->cpus = xrealloc(m->cpus, cap * sizeof(*m->cpus));
				}
				c = &m->cpus[m->n++];
				vs_cpu_init(c, (unsigned int)id);
				vs_facts_init(&f);
				f.linux_vmx = 0;
			} else if (!c) {
				/* Lines before the first processor: not ours. */
			} else if (key_is(&l, "vendor_id")) {
				size_t n = (size_t)(l.end - l.val);

				if (!n || n > 12) {
					vs_error("%s: bad vendor_id", what);
					goto fail;
				}
				memcpy(f.vendor, l.val, n);
				f.vendor[n] = '\0';
			} else if (key_is(&l, "cpu family")) {
				if (number(&l, 10, &f.family, what))
					goto fail;
			} else if (key_is(&l, "model")) {
				if (number(&l, 10, &f.model, what))
					goto fail;
			} else if (key_is(&l, "stepping")) {
				/* "unknown" on some CPUs: then no stepping. */
				if (strncmp(l.val, "unknown", 7) && number(&l, 10, &f.stepping, what))
					goto fail;
			} else if (key_is(&l, "flags")) {
				f.linux_vmx = has_word(l.val, l.end, "vmx");
				f.hypervisor = has_word(l.val, l.end, "hypervisor");
				/* What KVM's boot_cpu_has() tests besides VMX. */
				f.nx = has_word(l.val, l.end, "nx");
				f.umip = has_word(l.val, l.end, "umip");
				f.shstk = has_word(l.val, l.end, "user_shstk");
				f.ibt = has_word(l.val, l.end, "ibt");
			} else if (key_is(&l, "microcode")) {
				/* "0x%x" (arch/x86/kernel/cpu/proc.c); else left unknown. */
				char *end;
				unsigned long long rev = strtoull(l.val, &end, 16);

				if (end > l.val && end == l.end && rev <= 0xffffffffull)
					f.microcode = (long long)rev;
			} else if (key_is(&l, "vmx flags")) {
				flags = xstrndup(l.val, (size_t)(l.end - l.val));
				f.linux_flags = vs_machine_string(m, flags);
				free(flags);
			}
		}
		p = *nl ? nl + 1 : nl;
	}
	if (c)
		c->facts = vs_machine_facts(m, &f);
	if (!m->n) {
		vs_error("%s: no processor listed", what);
		goto fail;
	}
	if (!m->cpus[0].facts->vendor[0]) {
		vs_error("%s: no vendor_id (not an x86 /proc/cpuinfo)", what);
		goto fail;
	}
	if (!vs_machine_sort(m, what))
		return 0;
fail:
	vs_machine_free(m);
	return -1;
}

/* A file of /proc whole (it has no size to ask for); NULL with vs_error. */
char *vs_read_proc(const char *path)
{
	size_t len = 0, cap = 65536;
	char *text = xmalloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		vs_error("%s: %s", path, strerror(errno));
		free(text);
		return NULL;
	}
	for (;;) {
		ssize_t r = read(fd, text + len, cap - 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			vs_error("%s: %s", path, strerror(errno));
			close(fd);
			free(text);
			return NULL;
		}
		if (!r)
			break;
		len += (size_t)r;
		if (len == cap - 1) {
			if (cap >= (size_t)64 << 20) {
				vs_error("%s: larger than 64 MiB", path);
				close(fd);
				free(text);
				return NULL;
			}
			cap *= 2;
			text = xrealloc(text, cap);
		}
	}
	close(fd);
	text[len] = '\0';
	return text;
}

/*
 * Whether the kernel was told to hide VMX: clearcpuid= lists feature names
 * or numbers (X86_FEATURE_VMX is word 4, bit 5: 133).
 */
bool vs_cmdline_hides_vmx(const char *root)
{
	char path[4200], *text, *p;
	bool hid = false;

	snprintf(path, sizeof(path), "%s/proc/cmdline", root);
	text = vs_read_proc(path);
	vs_clear_error();
	for (p = text; p && (p = strstr(p, "clearcpuid=")); ) {
		char *v = p + strlen("clearcpuid="), *e = v + strcspn(v, " \n");
		char *tok = v;

		if (p != text && p[-1] != ' ') {
			p = e;
			continue;
		}
		while (tok < e) {
			size_t len = strcspn(tok, ", \n");

			if ((len == 3 && !strncmp(tok, "vmx", 3)) || (len == 3 && !strncmp(tok, "133", 3)))
				hid = true;
			tok += len + 1;
		}
		p = e;
	}
	free(text);
	return hid;
}

int vs_read_cpuinfo(const char *root, struct vs_machine *m)
{
	struct vmxcap_raw *none;
	char path[4200], *text;
	bool hidden = vs_cmdline_hides_vmx(root);
	size_t i;
	int ret;

	snprintf(path, sizeof(path), "%s/proc/cpuinfo", root);
	text = vs_read_proc(path);
	if (!text)
		return -1;
	ret = vs_parse_cpuinfo(text, m, path);
	free(text);
	if (ret)
		return ret;
	/* No MSR was read: one empty raw set for every CPU. */
	none = vs_machine_new_raw(m);
	for (i = 0; i < m->n; i++) {
		struct vs_cpu *c = &m->cpus[i];
		struct vs_facts f = *c->facts, id;

		c->raw = none;
		/* CPUID for what Linux may hide: VMX itself, and the hypervisor's name. */
		vs_facts_init(&id);
		if (vs_identify_cpu(root, c->id, &id)) {
			f.vmx = id.vmx;
			f.hypervisor = id.hypervisor;
			f.svm = id.svm;
			memcpy(f.hv_vendor, id.hv_vendor, sizeof(f.hv_vendor));
		}
		f.linux_hid_vmx = hidden && !f.linux_vmx;
		c->facts = vs_machine_facts(m, &f);
	}
	vs_cpuid_done();
	m->source_kind = "cpuinfo";
	snprintf(m->source, sizeof(m->source), "%.500s", path);
	return 0;
}
