// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the MSRs themselves, through Debian's signed msr.ko
 * (/dev/cpu/N/msr: 8 bytes at offset MSR, root or CAP_SYS_RAWIO): for a
 * machine without vmxcap.ko.  It reads what the module reads, as the
 * module does - every MSR that exists by the SDM's rules, on CPUs whose
 * CPUID says VMX (QEMU's TCG answers 0 to these MSRs instead of faulting),
 * and a read that fails with EIO is "faulted".  Only reads: the file is
 * opened O_RDONLY, which kernel lockdown (Secure Boot) allows.  A copy of
 * another machine's devices (--sysroot) is read as text (read_copy()).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmxcap-show.h"

/* The CPUs: ROOT/sys/devices/system/cpu/online, else ROOT/dev/cpu/N. */
unsigned int *vs_online_cpus(const char *root, size_t *n)
{
	bool *want = xcalloc(VS_MAX_CPU + 1, sizeof(*want));
	unsigned int *ids, i;
	char path[4200], buf[8192];
	ssize_t len = -1;
	int fd;

	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/online", root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (len > 0) {
		buf[len] = '\0';
		if (vs_parse_cpulist(buf, want, NULL, path)) {
			free(want);
			return NULL;
		}
	} else {
		DIR *d;
		struct dirent *de;

		snprintf(path, sizeof(path), "%s/dev/cpu", root);
		d = opendir(path);
		while (d && (de = readdir(d))) {
			unsigned long id;
			const char *e;

			if (vs_parse_uint(de->d_name, VS_MAX_CPU, &id, &e) && !*e)
				want[id] = true;
		}
		if (d)
			closedir(d);
	}
	ids = xmalloc((VS_MAX_CPU + 1) * sizeof(*ids));
	for (*n = 0, i = 0; i <= VS_MAX_CPU; i++)
		if (want[i])
			ids[(*n)++] = i;
	free(want);
	if (!*n) {
		vs_error("%s/dev/cpu: no CPU", root);
		free(ids);
		return NULL;
	}
	return ids;
}

/*
 * A copy of the device (a regular file, for --sysroot) is text in the
 * module's cpuN/msrs format, "0x480 0x00da040000000004" or "0x48b faulted"
 * a line (the device's own layout cannot be copied: its offsets are MSR
 * numbers, one apart).  One pread() of the device as the copy answers it.
 */
static ssize_t copy_pread(const struct vmxcap_raw *copy, u64 *v, u32 index)
{
	int s = vmxcap_msr_slot(index);

	if (s >= 0 && vmxcap_has(copy, s)) {
		*v = copy->val[s];
		return sizeof(*v);
	}
	errno = s >= 0 && (copy->faulted & VMXCAP_MSR_BIT(s)) ? EIO : ENODATA;
	return -1;
}

static int read_copy(int fd, struct vmxcap_raw *copy, const char *path)
{
	char buf[8192];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	if (n < 0) {
		vs_error("%s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	return vs_parse_msrs(buf, copy, path);
}

/* The SDM's existence rules to their fixed point, as vmxcap.ko applies them. */
static int read_msrs(int fd, struct vmxcap_raw *raw, const char *path)
{
	struct vmxcap_raw copy;
	unsigned int round, s;
	struct stat st;
	bool text = !fstat(fd, &st) && S_ISREG(st.st_mode);

	memset(raw, 0, sizeof(*raw));
	if (text && read_copy(fd, &copy, path))
		return -EINVAL;
	for (round = 0; round < VMXCAP_NR_MSRS; round++) {
		u32 todo = vmxcap_msrs_existing(raw) & ~(raw->present | raw->faulted);

		if (!todo)
			return 0;
		for (s = 0; s < VMXCAP_NR_MSRS; s++) {
			ssize_t r;
			u64 v;

			if (!(todo & VMXCAP_MSR_BIT(s)))
				continue;
			r = text ? copy_pread(&copy, &v, vmxcap_msrs[s].index) :
				   pread(fd, &v, sizeof(v), vmxcap_msrs[s].index);
			if (r == sizeof(v)) {
				raw->val[s] = v;
				raw->present |= VMXCAP_MSR_BIT(s);
			} else if (r < 0 && errno == EIO) {
				raw->faulted |= VMXCAP_MSR_BIT(s);	/* RDMSR faulted */
			} else {
				int err = r < 0 ? errno : ENODATA;

				if (text)
					vs_error("%s: the copy has no line for MSR 0x%03x", path,
						 vmxcap_msrs[s].index);
				else
					vs_error("%s: MSR 0x%03x: %s", path, vmxcap_msrs[s].index,
						 strerror(err));
				return -err;
			}
		}
	}
	return 0;
}

/* A raw set equal to one of the last few distinct ones, or NULL. */
static const struct vmxcap_raw *shared_raw(const struct vs_machine *m,
					   const struct vmxcap_raw *raw)
{
	size_t k;

	for (k = m->nraws; k > 0 && k + 4 > m->nraws; k--)
		if (!memcmp(m->raws[k - 1], raw, sizeof(*raw)))
			return m->raws[k - 1];
	return NULL;
}

int vs_read_msr(const char *root, struct vs_machine *m)
{
	size_t n, i;
	unsigned int *ids = vs_online_cpus(root, &n);
	struct vmxcap_raw raw;
	char path[4200];
	int ret = -1;

	memset(m, 0, sizeof(*m));
	if (!ids)
		return -1;
	m->cpus = xcalloc(n, sizeof(*m->cpus));
	for (i = 0; i < n; i++) {
		struct vs_cpu *c = &m->cpus[m->n];
		struct vs_facts facts;
		int fd, r;

		vs_cpu_init(c, ids[i]);
		snprintf(path, sizeof(path), "%s/dev/cpu/%u/msr", root, ids[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == ENXIO)
			continue;	/* went offline since the list was read */
		if (fd < 0) {
			vs_error("%s: %s", path, strerror(errno));
			goto out;
		}
		vs_facts_init(&facts);
		if (!vs_identify_cpu(root, ids[i], &facts)) {
			close(fd);
			vs_error("cpu %u: CPUID cannot be read (%s/dev/cpu/%u/cpuid)", ids[i],
				 root, ids[i]);
			goto out;
		}
		memset(&raw, 0, sizeof(raw));
		c->facts = vs_machine_facts(m, &facts);
		r = facts.vmx == 1 ? read_msrs(fd, &raw, path) : 0;
		close(fd);
		if (r == -ENXIO) {
			vs_clear_error();
			continue;
		}
		if (r)
			goto out;
		c->raw = shared_raw(m, &raw);
		if (!c->raw) {
			struct vmxcap_raw *own = vs_machine_new_raw(m);

			*own = raw;
			c->raw = own;
		}
		m->n++;
	}
	if (!m->n) {
		vs_error("%s/dev/cpu: every CPU went offline while being read", root);
		goto out;
	}
	m->source_kind = "msr";
	snprintf(m->source, sizeof(m->source), "%.490s/dev/cpu", root);
	ret = 0;
out:
	vs_cpuid_done();
	free(ids);
	if (ret)
		vs_machine_free(m);
	return ret;
}
