// SPDX-License-Identifier: GPL-2.0
/*
 * What each file of /sys/kernel/vmxcap shows (the tree that holds them is
 * vmxcap_sysfs.c; the ABI is Documentation/ABI/testing/sysfs-kernel-vmxcap).
 *
 * The attributes - their names and what each one shows - are built once at
 * load from the decoder's tables and shared by every directory.  Every file
 * is computed from the values cached when a CPU came online: reading one
 * never interrupts another CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/cpu.h>
#include <asm/processor.h>

#include "vmxcap_mod.h"

/* What a file shows. */
enum vmxcap_attr_kind {
	VMXCAP_A_STATUS,
	VMXCAP_A_HYPERVISOR,
	VMXCAP_A_VENDOR,
	VMXCAP_A_FAMILY,
	VMXCAP_A_MODEL,
	VMXCAP_A_STEPPING,
	VMXCAP_A_PROBLEMS,
	VMXCAP_A_VMX_FLAGS,
	VMXCAP_A_RAW,		/* raw/<msr>: arg = MSR slot */
	VMXCAP_A_FIELD,		/* <table>/<field>: arg = table, idx = field */
	VMXCAP_A_FIELD_UNKNOWN,	/* <table>/unknown_bits: arg = table */
	VMXCAP_A_CR_BIT,	/* cr0/<bit>: arg = CR, idx = bit */
	VMXCAP_A_CR_UNNAMED,	/* cr0/unnamed_allowed: arg = CR */
	VMXCAP_A_CTL,		/* <group>/<control>: arg = group, idx = bit */
	VMXCAP_A_CTL_UNNAMED,	/* <group>/unnamed_allowed: arg = group */
};

/*
 * A kobj_attribute: every directory is one of the kernel's own dynamic
 * kobjects (kobject_create_and_add()), whose release function and sysfs_ops
 * are core code, so a release that DEBUG_KOBJECT_RELEASE (or a reference
 * anyone holds) delays never runs in this module's text after unload.
 */
struct vmxcap_attr {
	struct kobj_attribute ka;
	u8 kind;		/* enum vmxcap_attr_kind */
	u8 arg;
	u8 idx;
};

static ssize_t vmxcap_show(struct kobject *kobj, struct kobj_attribute *ka,
			   char *buf);

#define VMXCAP_ATTR(_var, _name, _kind)					\
	static struct vmxcap_attr _var = {				\
		.ka = {							\
			.attr = { .name = _name, .mode = 0444 },	\
			.show = vmxcap_show,				\
		},							\
		.kind = (_kind),					\
	}

/* Most problems a "problems" file lists by name. */
#define VMXCAP_MAX_PROBLEMS 64

const char *vmxcap_set_status(const struct vmxcap_set *s)
{
	if (!s->vmx)
		return "no_vmx";
	return vmxcap_fc_verdict_id(vmxcap_fc_verdict(&s->raw));
}

/* ---- building text larger than a page ---------------------------------- */

void vmxcap_text_add(struct vmxcap_text *t, const char *fmt, ...)
{
	size_t room = t->buf ? t->size - t->len : 0;
	va_list ap;

	va_start(ap, fmt);
	t->len += vsnprintf(t->buf ? t->buf + t->len : NULL, room, fmt, ap);
	va_end(ap);
	/* The second pass sees the state the first measured (same lock). */
	if (t->buf && t->len >= t->size)
		t->len = t->size - 1;
}

ssize_t vmxcap_text_read(struct file *file, struct kobject *kobj,
			 VMXCAP_BIN_ATTR *ba, char *buf, loff_t off,
			 size_t count)
{
	const struct vmxcap_text_attr *ta =
		container_of(ba, struct vmxcap_text_attr, ba);
	struct vmxcap_text t = { };
	ssize_t ret;

	mutex_lock(&vmxcap_lock);
	ret = ta->text(&t, kobj);
	if (!ret) {
		t.size = t.len + 1;
		t.len = 0;
		t.buf = kvmalloc(t.size, GFP_KERNEL);
		ret = t.buf ? ta->text(&t, kobj) : -ENOMEM;
	}
	mutex_unlock(&vmxcap_lock);
	if (!ret)
		ret = memory_read_from_buffer(buf, count, &off, t.buf, t.len);
	kvfree(t.buf);
	return ret;
}

/* ---- the files' contents ----------------------------------------------- */

void vmxcap_cpu_vendor(unsigned int cpu, char vendor[13])
{
	unsigned int i;

	strscpy(vendor, cpu_data(cpu).x86_vendor_id, 13);
	/* One printable word, whatever a hypervisor put there. */
	for (i = 0; vendor[i]; i++)
		if (!isgraph(vendor[i]))
			vendor[i] = '?';
}

static ssize_t vmxcap_show_problems(const struct vmxcap_raw *raw, char *buf)
{
	struct vmxcap_problem p[VMXCAP_MAX_PROBLEMS];
	unsigned int n, i;
	int len = 0;

	n = vmxcap_check(raw, p, ARRAY_SIZE(p));
	for (i = 0; i < min_t(unsigned int, n, ARRAY_SIZE(p)); i++) {
		len += sysfs_emit_at(buf, len, "%s%s:%s", i ? " " : "",
				     vmxcap_problem_id(p[i].kind),
				     p[i].msr < VMXCAP_NR_MSRS ?
				     vmxcap_msrs[p[i].msr].id : "?");
		if (p[i].bit != VMXCAP_PROBLEM_NO_BIT)
			len += sysfs_emit_at(buf, len, ":%u", p[i].bit);
	}
	if (n > ARRAY_SIZE(p))
		len += sysfs_emit_at(buf, len, " +%u", n - (unsigned int)ARRAY_SIZE(p));
	return len + sysfs_emit_at(buf, len, "\n");
}

static ssize_t vmxcap_show_flags(const struct vmxcap_raw *raw, char *buf)
{
	size_t need = vmxcap_linux_flags(raw, VMXCAP_KVER_RUNNING, buf,
					 PAGE_SIZE - 1);
	int len = min_t(size_t, need, PAGE_SIZE - 2);

	return len + sysfs_emit_at(buf, len, "\n");
}

/* A list of bit numbers, "9 40", for bits that may be 1 but have no name. */
static ssize_t vmxcap_emit_bits(char *buf, u64 mask)
{
	unsigned int bit;
	int len = 0;

	for (bit = 0; bit < 64; bit++)
		if (mask & BIT_ULL(bit))
			len += sysfs_emit_at(buf, len, "%s%u", len ? " " : "",
					     bit);
	return len + sysfs_emit_at(buf, len, "\n");
}

/* The decoder's concise form: "yes", "WB", "512", "0x1a", "4096". */
static ssize_t vmxcap_show_field(const struct vmxcap_raw *raw,
				 const struct vmxcap_attr *a, char *buf)
{
	const struct vmxcap_field_table *t = &vmxcap_field_tables[a->arg];
	size_t need = vmxcap_field_format(&t->fields[a->idx], raw->val[t->msr],
					  false, buf, PAGE_SIZE - 1);
	int len = min_t(size_t, need, PAGE_SIZE - 2);

	return len + sysfs_emit_at(buf, len, "\n");
}

/* A CPU's identity: the kernel's own, as /proc/cpuinfo shows it. */
static ssize_t vmxcap_show_identity(unsigned int cpu,
				    const struct vmxcap_attr *a, char *buf)
{
	const struct cpuinfo_x86 *d = &cpu_data(cpu);
	char vendor[13];

	switch (a->kind) {
	case VMXCAP_A_HYPERVISOR:
		return sysfs_emit(buf, "%d\n", cpu_has(d, X86_FEATURE_HYPERVISOR));
	case VMXCAP_A_VENDOR:
		vmxcap_cpu_vendor(cpu, vendor);
		return sysfs_emit(buf, "%s\n", vendor);
	case VMXCAP_A_FAMILY:
		return sysfs_emit(buf, "0x%x\n", d->x86);
	case VMXCAP_A_MODEL:
		return sysfs_emit(buf, "0x%x\n", d->x86_model);
	case VMXCAP_A_STEPPING:
		return sysfs_emit(buf, "0x%x\n", d->x86_stepping);
	}
	return -EIO;
}

static ssize_t vmxcap_show(struct kobject *kobj, struct kobj_attribute *ka,
			   char *buf)
{
	const struct vmxcap_attr *a = container_of(ka, struct vmxcap_attr, ka);
	const struct vmxcap_field_table *t;
	const struct vmxcap_raw *raw;
	const struct vmxcap_set *s;
	const struct vmxcap_cpu *c;

	switch (a->kind) {
	case VMXCAP_A_HYPERVISOR:
	case VMXCAP_A_VENDOR:
	case VMXCAP_A_FAMILY:
	case VMXCAP_A_MODEL:
	case VMXCAP_A_STEPPING:
		c = vmxcap_cpu_of(kobj);
		return c ? vmxcap_show_identity(c->cpu, a, buf) : -ENODEV;
	}

	s = vmxcap_set_of(kobj);
	if (!s)
		return -ENODEV;
	raw = &s->raw;
	switch (a->kind) {
	case VMXCAP_A_STATUS:
		return sysfs_emit(buf, "%s\n", vmxcap_set_status(s));
	case VMXCAP_A_PROBLEMS:
		return vmxcap_show_problems(raw, buf);
	case VMXCAP_A_VMX_FLAGS:
		return vmxcap_show_flags(raw, buf);
	case VMXCAP_A_RAW:
		if (raw->present & VMXCAP_MSR_BIT(a->arg))
			return sysfs_emit(buf, "0x%016llx\n", raw->val[a->arg]);
		return sysfs_emit(buf, "faulted\n");
	case VMXCAP_A_FIELD:
		return vmxcap_show_field(raw, a, buf);
	case VMXCAP_A_FIELD_UNKNOWN:
		t = &vmxcap_field_tables[a->arg];
		return sysfs_emit(buf, "0x%016llx\n",
				  vmxcap_field_unknown_bits(t, raw->val[t->msr]));
	case VMXCAP_A_CR_BIT:
		return sysfs_emit(buf, "%s\n",
				  vmxcap_state_name(vmxcap_cr_state(raw, a->arg, a->idx)));
	case VMXCAP_A_CR_UNNAMED:
		return vmxcap_emit_bits(buf, vmxcap_cr_unnamed_allowed(raw, a->arg));
	case VMXCAP_A_CTL:
		return sysfs_emit(buf, "%s\n",
				  vmxcap_state_name(vmxcap_ctl_state(raw, a->arg, a->idx)));
	case VMXCAP_A_CTL_UNNAMED:
		return vmxcap_emit_bits(buf, vmxcap_ctl_unnamed_allowed(raw, a->arg));
	}
	return -EIO;
}

/* ---- cpuN/ and sets/<id>/ ---------------------------------------------- */

VMXCAP_ATTR(vmxcap_attr_status, "status", VMXCAP_A_STATUS);
VMXCAP_ATTR(vmxcap_attr_hypervisor, "hypervisor", VMXCAP_A_HYPERVISOR);
VMXCAP_ATTR(vmxcap_attr_vendor, "vendor", VMXCAP_A_VENDOR);
VMXCAP_ATTR(vmxcap_attr_family, "family", VMXCAP_A_FAMILY);
VMXCAP_ATTR(vmxcap_attr_model, "model", VMXCAP_A_MODEL);
VMXCAP_ATTR(vmxcap_attr_stepping, "stepping", VMXCAP_A_STEPPING);
VMXCAP_ATTR(vmxcap_attr_problems, "problems", VMXCAP_A_PROBLEMS);
VMXCAP_ATTR(vmxcap_attr_vmx_flags, "vmx_flags", VMXCAP_A_VMX_FLAGS);

/* Without VMX there is nothing to check and no flags to derive. */
static umode_t vmxcap_vmx_only_visible(struct kobject *kobj,
				       struct attribute *attr, int n)
{
	const struct vmxcap_set *s;

	if (attr != &vmxcap_attr_problems.ka.attr &&
	    attr != &vmxcap_attr_vmx_flags.ka.attr)
		return attr->mode;
	s = vmxcap_set_of(kobj);
	return s && s->vmx ? attr->mode : 0;
}

static struct attribute *vmxcap_cpu_attrs[] = {
	&vmxcap_attr_status.ka.attr,
	&vmxcap_attr_hypervisor.ka.attr,
	&vmxcap_attr_vendor.ka.attr,
	&vmxcap_attr_family.ka.attr,
	&vmxcap_attr_model.ka.attr,
	&vmxcap_attr_stepping.ka.attr,
	&vmxcap_attr_problems.ka.attr,
	&vmxcap_attr_vmx_flags.ka.attr,
	NULL
};

const struct attribute_group vmxcap_cpu_group = {
	.attrs = vmxcap_cpu_attrs,
	.is_visible = vmxcap_vmx_only_visible,
};

/* sets/<id>/cpus: a CPU list can outgrow a page (every other of 4096). */
static int vmxcap_set_cpus_text(struct vmxcap_text *t, struct kobject *kobj)
{
	const struct vmxcap_set *s = vmxcap_set_of(kobj);

	if (!s)
		return -ENODEV;
	vmxcap_text_add(t, "%*pbl\n", cpumask_pr_args(s->cpus));
	return 0;
}

static VMXCAP_TEXT_ATTR(vmxcap_set_cpus_attr, "cpus", vmxcap_set_cpus_text);

static struct attribute *vmxcap_set_attrs[] = {
	&vmxcap_attr_status.ka.attr,
	&vmxcap_attr_problems.ka.attr,
	&vmxcap_attr_vmx_flags.ka.attr,
	NULL
};

static VMXCAP_BIN_ATTR *vmxcap_set_bin_attrs[] = {
	&vmxcap_set_cpus_attr.ba,
	NULL
};

const struct attribute_group vmxcap_set_group = {
	.attrs = vmxcap_set_attrs,
	.bin_attrs = vmxcap_set_bin_attrs,
	.is_visible = vmxcap_vmx_only_visible,
};

/* ---- the set's directories, built from the decoder's tables ------------ */

const char *vmxcap_dir_names[VMXCAP_NR_DIRS];
struct attribute_group vmxcap_dir_groups[VMXCAP_NR_DIRS];

#define VMXCAP_DIR_RAW		0
#define VMXCAP_DIR_FIELDS	1
#define VMXCAP_DIR_CRS		(VMXCAP_DIR_FIELDS + VMXCAP_NR_FIELD_TABLES)
#define VMXCAP_DIR_CTLS		(VMXCAP_DIR_CRS + VMXCAP_NR_CRS)

bool vmxcap_set_has_dir(const struct vmxcap_set *s, unsigned int dir)
{
	const struct vmxcap_raw *raw = &s->raw;
	unsigned int i;

	if (!s->vmx)
		return false;
	if (dir == VMXCAP_DIR_RAW)
		return true;
	if (dir < VMXCAP_DIR_CRS)
		return vmxcap_has(raw, vmxcap_field_tables[dir - VMXCAP_DIR_FIELDS].msr);
	if (dir < VMXCAP_DIR_CTLS) {
		i = dir - VMXCAP_DIR_CRS;
		return vmxcap_has(raw, vmxcap_crs[i].fixed0) &&
		       vmxcap_has(raw, vmxcap_crs[i].fixed1);
	}
	return vmxcap_has(raw, vmxcap_ctl_groups[dir - VMXCAP_DIR_CTLS].msr);
}

/* raw/<msr>: only for the MSRs that were read (or whose read faulted). */
static umode_t vmxcap_raw_visible(struct kobject *kobj, struct attribute *attr,
				  int n)
{
	const struct vmxcap_set *s = vmxcap_set_of(kobj);
	const struct vmxcap_attr *a = container_of(attr, struct vmxcap_attr, ka.attr);

	return s && (s->raw.present | s->raw.faulted) & VMXCAP_MSR_BIT(a->arg) ?
	       attr->mode : 0;
}

/* All their attributes, in two allocations made at load. */
static struct vmxcap_attr *vmxcap_attr_pool;
static struct attribute **vmxcap_attr_ptrs;

struct vmxcap_builder {
	struct vmxcap_attr *next;
	struct attribute **ptr;
	unsigned int dir;
};

static void vmxcap_dir_begin(struct vmxcap_builder *b, const char *name)
{
	vmxcap_dir_names[b->dir] = name;
	vmxcap_dir_groups[b->dir].attrs = b->ptr;
}

static void vmxcap_dir_add(struct vmxcap_builder *b, const char *name,
			   enum vmxcap_attr_kind kind, unsigned int arg,
			   unsigned int idx)
{
	struct vmxcap_attr *a = b->next++;

	sysfs_attr_init(&a->ka.attr);
	a->ka.attr.name = name;
	a->ka.attr.mode = 0444;
	a->ka.show = vmxcap_show;
	a->kind = kind;
	a->arg = arg;
	a->idx = idx;
	*b->ptr++ = &a->ka.attr;
}

static void vmxcap_dir_end(struct vmxcap_builder *b)
{
	*b->ptr++ = NULL;
	b->dir++;
}

/*
 * The names come from the decoder's tables, which tests/unit proves unique
 * and usable as file names (test_table_names).
 */
int vmxcap_files_init(void)
{
	struct vmxcap_builder b = { };
	unsigned int nr = VMXCAP_NR_MSRS, i, j;

	for (i = 0; i < VMXCAP_NR_FIELD_TABLES; i++)
		nr += vmxcap_field_tables[i].nr_fields + 1;
	for (i = 0; i < VMXCAP_NR_CRS; i++)
		nr += vmxcap_crs[i].nr_bits + 1;
	for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++)
		nr += vmxcap_ctl_groups[i].nr_ctls + 1;

	vmxcap_attr_pool = kcalloc(nr, sizeof(*vmxcap_attr_pool), GFP_KERNEL);
	vmxcap_attr_ptrs = kcalloc(nr + VMXCAP_NR_DIRS, sizeof(*vmxcap_attr_ptrs),
				   GFP_KERNEL);
	if (!vmxcap_attr_pool || !vmxcap_attr_ptrs) {
		vmxcap_files_exit();
		return -ENOMEM;
	}
	b.next = vmxcap_attr_pool;
	b.ptr = vmxcap_attr_ptrs;

	vmxcap_dir_begin(&b, "raw");
	vmxcap_dir_groups[VMXCAP_DIR_RAW].is_visible = vmxcap_raw_visible;
	for (i = 0; i < VMXCAP_NR_MSRS; i++)
		vmxcap_dir_add(&b, vmxcap_msrs[i].id, VMXCAP_A_RAW, i, 0);
	vmxcap_dir_end(&b);

	for (i = 0; i < VMXCAP_NR_FIELD_TABLES; i++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[i];

		vmxcap_dir_begin(&b, t->id);
		for (j = 0; j < t->nr_fields; j++)
			vmxcap_dir_add(&b, t->fields[j].id, VMXCAP_A_FIELD, i, j);
		vmxcap_dir_add(&b, "unknown_bits", VMXCAP_A_FIELD_UNKNOWN, i, 0);
		vmxcap_dir_end(&b);
	}

	for (i = 0; i < VMXCAP_NR_CRS; i++) {
		const struct vmxcap_cr_info *cr = &vmxcap_crs[i];

		vmxcap_dir_begin(&b, cr->id);
		for (j = 0; j < cr->nr_bits; j++)
			vmxcap_dir_add(&b, cr->bits[j].id, VMXCAP_A_CR_BIT, i,
				       cr->bits[j].bit);
		vmxcap_dir_add(&b, "unnamed_allowed", VMXCAP_A_CR_UNNAMED, i, 0);
		vmxcap_dir_end(&b);
	}

	for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++) {
		const struct vmxcap_ctl_group_info *g = &vmxcap_ctl_groups[i];

		vmxcap_dir_begin(&b, g->id);
		for (j = 0; j < g->nr_ctls; j++)
			vmxcap_dir_add(&b, g->ctls[j].id, VMXCAP_A_CTL, i,
				       g->ctls[j].bit);
		vmxcap_dir_add(&b, "unnamed_allowed", VMXCAP_A_CTL_UNNAMED, i, 0);
		vmxcap_dir_end(&b);
	}
	return 0;
}

void vmxcap_files_exit(void)
{
	kfree(vmxcap_attr_ptrs);
	kfree(vmxcap_attr_pool);
	vmxcap_attr_ptrs = NULL;
	vmxcap_attr_pool = NULL;
}
