// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vmxcap: one directory per published CPU, built from the
 * decoder's tables (see Documentation/ABI/testing/sysfs-kernel-vmxcap).
 *
 * Memory: the attributes - their names and what each one shows - are
 * built once at load from the decoder's tables and shared by every CPU
 * directory.  Per CPU there is only its struct vmxcap_cpu and the sysfs
 * nodes of its files.  Every file is computed from the values cached when
 * the CPU came online: reading one never interrupts another CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <asm/cpu.h>

#include "vmxcap_mod.h"

#ifdef VMXCAP_TEST_FAKE_VMX
#include <linux/moduleparam.h>

/*
 * Test builds only: the next test_fail_publish publications fail with
 * -ENOMEM, as an allocation in them would.  A parameter rather than
 * fail_function, whose kprobe calls get_random_u32() from the int3 handler
 * and so draws a lockdep report of its own on 6.1.
 */
static int test_fail_publish;
module_param(test_fail_publish, int, 0644);
MODULE_PARM_DESC(test_fail_publish, "test builds only: fail the next N CPU publications");

static int vmxcap_test_fault(void)
{
	if (READ_ONCE(test_fail_publish) <= 0)
		return 0;
	WRITE_ONCE(test_fail_publish, test_fail_publish - 1);
	return -ENOMEM;
}

#define VMXCAP_TEST_FAULT()	vmxcap_test_fault()
#else
#define VMXCAP_TEST_FAULT()	0
#endif

/* What a file in a CPU directory shows. */
enum vmxcap_attr_kind {
	VMXCAP_A_STATUS,
	VMXCAP_A_HYPERVISOR,
	VMXCAP_A_CPUID,
	VMXCAP_A_VENDOR,
	VMXCAP_A_FAMILY,
	VMXCAP_A_MODEL,
	VMXCAP_A_STEPPING,
	VMXCAP_A_MSRS,
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
 * A kobj_attribute: the CPU directories are the kernel's own dynamic
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

#define VMXCAP_ATTR_INIT(_name, _kind) {				\
	.ka = {								\
		.attr = { .name = __stringify(_name), .mode = 0444 },	\
		.show = vmxcap_cpu_show,				\
	},								\
	.kind = (_kind),						\
}

/* Most problems a CPU's "problems" file lists by name. */
#define VMXCAP_MAX_PROBLEMS 64

/* Guards the next two; show() reads the pointer without it (READ_ONCE). */
static DEFINE_MUTEX(vmxcap_lock);
static DEFINE_PER_CPU(struct vmxcap_cpu *, vmxcap_cpu_obj);
static cpumask_var_t vmxcap_published;

static struct kobject *vmxcap_kobj;

/*
 * The CPU a "cpuN" directory describes, NULL once it is being unpublished.
 * Freed only after kobject_del() of its directory, which waits for every
 * running show(): a reader that found it may use it to the end.
 */
static struct vmxcap_cpu *vmxcap_cpu_of(struct kobject *kobj)
{
	unsigned int cpu;

	if (kstrtouint(kobject_name(kobj) + 3, 10, &cpu) || cpu >= nr_cpu_ids)
		return NULL;
	return READ_ONCE(per_cpu(vmxcap_cpu_obj, cpu));
}

/* ---- per-CPU files ------------------------------------------------------ */

static void vmxcap_vendor(const struct vmxcap_cpu *c, char vendor[13])
{
	unsigned int i;

	memcpy(vendor, c->vendor, 12);
	vendor[12] = '\0';
	/* Keep the cpuid line's key=value format parseable. */
	for (i = 0; i < 12; i++)
		if (!isgraph(vendor[i]))
			vendor[i] = '?';
}

static ssize_t vmxcap_show_cpuid(const struct vmxcap_cpu *c, char *buf)
{
	char vendor[13];

	vmxcap_vendor(c, vendor);
	return sysfs_emit(buf,
			  "vendor=%s family=0x%x model=0x%x stepping=0x%x hypervisor=%d vmx=%d\n",
			  vendor, x86_family(c->signature),
			  x86_model(c->signature), x86_stepping(c->signature),
			  vmxcap_cpu_has_hypervisor(c), vmxcap_cpu_has_vmx(c));
}

/* The tools' fast path: every MSR read, in slot order (pinned format). */
static ssize_t vmxcap_show_msrs(const struct vmxcap_raw *raw, char *buf)
{
	unsigned int m;
	int len = 0;

	for (m = 0; m < VMXCAP_NR_MSRS; m++) {
		if (raw->present & VMXCAP_MSR_BIT(m))
			len += sysfs_emit_at(buf, len, "0x%03x 0x%016llx\n",
					     vmxcap_msrs[m].index, raw->val[m]);
		else if (raw->faulted & VMXCAP_MSR_BIT(m))
			len += sysfs_emit_at(buf, len, "0x%03x faulted\n",
					     vmxcap_msrs[m].index);
	}
	return len;
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

static ssize_t vmxcap_cpu_show(struct kobject *kobj, struct kobj_attribute *ka,
			       char *buf)
{
	const struct vmxcap_cpu *c = vmxcap_cpu_of(kobj);
	const struct vmxcap_attr *a = container_of(ka, struct vmxcap_attr, ka);
	const struct vmxcap_raw *raw;
	const struct vmxcap_field_table *t;
	char vendor[13];

	if (!c)
		return -ENODEV;
	raw = &c->raw;

	switch (a->kind) {
	case VMXCAP_A_STATUS:
		return sysfs_emit(buf, "%s\n", vmxcap_cpu_status(c));
	case VMXCAP_A_HYPERVISOR:
		return sysfs_emit(buf, "%d\n", vmxcap_cpu_has_hypervisor(c));
	case VMXCAP_A_CPUID:
		return vmxcap_show_cpuid(c, buf);
	case VMXCAP_A_VENDOR:
		vmxcap_vendor(c, vendor);
		return sysfs_emit(buf, "%s\n", vendor);
	case VMXCAP_A_FAMILY:
		return sysfs_emit(buf, "0x%x\n", x86_family(c->signature));
	case VMXCAP_A_MODEL:
		return sysfs_emit(buf, "0x%x\n", x86_model(c->signature));
	case VMXCAP_A_STEPPING:
		return sysfs_emit(buf, "0x%x\n", x86_stepping(c->signature));
	case VMXCAP_A_MSRS:
		return vmxcap_show_msrs(raw, buf);
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

/* ---- the attribute groups, shared by all CPUs ---------------------------- */

static struct vmxcap_attr vmxcap_attr_status = VMXCAP_ATTR_INIT(status, VMXCAP_A_STATUS);
static struct vmxcap_attr vmxcap_attr_hypervisor =
	VMXCAP_ATTR_INIT(hypervisor, VMXCAP_A_HYPERVISOR);
static struct vmxcap_attr vmxcap_attr_cpuid = VMXCAP_ATTR_INIT(cpuid, VMXCAP_A_CPUID);
static struct vmxcap_attr vmxcap_attr_vendor = VMXCAP_ATTR_INIT(vendor, VMXCAP_A_VENDOR);
static struct vmxcap_attr vmxcap_attr_family = VMXCAP_ATTR_INIT(family, VMXCAP_A_FAMILY);
static struct vmxcap_attr vmxcap_attr_model = VMXCAP_ATTR_INIT(model, VMXCAP_A_MODEL);
static struct vmxcap_attr vmxcap_attr_stepping = VMXCAP_ATTR_INIT(stepping, VMXCAP_A_STEPPING);
static struct vmxcap_attr vmxcap_attr_msrs = VMXCAP_ATTR_INIT(msrs, VMXCAP_A_MSRS);
static struct vmxcap_attr vmxcap_attr_problems = VMXCAP_ATTR_INIT(problems, VMXCAP_A_PROBLEMS);
static struct vmxcap_attr vmxcap_attr_vmx_flags = VMXCAP_ATTR_INIT(vmx_flags, VMXCAP_A_VMX_FLAGS);

static struct attribute *vmxcap_cpu_attrs[] = {
	&vmxcap_attr_status.ka.attr,
	&vmxcap_attr_hypervisor.ka.attr,
	&vmxcap_attr_cpuid.ka.attr,
	&vmxcap_attr_vendor.ka.attr,
	&vmxcap_attr_family.ka.attr,
	&vmxcap_attr_model.ka.attr,
	&vmxcap_attr_stepping.ka.attr,
	&vmxcap_attr_msrs.ka.attr,
	&vmxcap_attr_problems.ka.attr,
	&vmxcap_attr_vmx_flags.ka.attr,
	NULL
};

static umode_t vmxcap_cpu_visible(struct kobject *kobj, struct attribute *attr,
				  int n)
{
	/* Without VMX there is nothing to check and no flags to derive. */
	const struct vmxcap_cpu *c = vmxcap_cpu_of(kobj);

	if (attr == &vmxcap_attr_problems.ka.attr ||
	    attr == &vmxcap_attr_vmx_flags.ka.attr)
		return c && vmxcap_cpu_has_vmx(c) ? attr->mode : 0;
	return attr->mode;
}

static const struct attribute_group vmxcap_cpu_group = {
	.attrs = vmxcap_cpu_attrs,
	.is_visible = vmxcap_cpu_visible,
};

/* raw/<msr>: only for the MSRs that were read (or whose read faulted). */
static umode_t vmxcap_raw_visible(struct kobject *kobj, struct attribute *attr,
				  int n)
{
	const struct vmxcap_cpu *c = vmxcap_cpu_of(kobj);
	const struct vmxcap_attr *a = container_of(attr, struct vmxcap_attr, ka.attr);

	return c && (c->raw.present | c->raw.faulted) & VMXCAP_MSR_BIT(a->arg) ?
	       attr->mode : 0;
}

/*
 * The directories below a CPU's, built from the decoder's tables.  Each
 * exists in a CPU's directory only when that CPU has the MSR behind it.
 */
static struct attribute_group vmxcap_raw_dir;
static struct attribute_group vmxcap_field_dirs[VMXCAP_NR_FIELD_TABLES];
static struct attribute_group vmxcap_cr_dirs[VMXCAP_NR_CRS];
static struct attribute_group vmxcap_ctl_dirs[VMXCAP_NR_CTL_GROUPS];

/* All their attributes, in two allocations made at load. */
static struct vmxcap_attr *vmxcap_attr_pool;
static struct attribute **vmxcap_attr_ptrs;

struct vmxcap_builder {
	struct vmxcap_attr *next;
	struct attribute **ptr;
};

static void vmxcap_dir_begin(struct vmxcap_builder *b,
			     struct attribute_group *g, const char *name)
{
	g->name = name;
	g->attrs = b->ptr;
}

static void vmxcap_dir_add(struct vmxcap_builder *b, const char *name,
			   enum vmxcap_attr_kind kind, unsigned int arg,
			   unsigned int idx)
{
	struct vmxcap_attr *a = b->next++;

	sysfs_attr_init(&a->ka.attr);
	a->ka.attr.name = name;
	a->ka.attr.mode = 0444;
	a->ka.show = vmxcap_cpu_show;
	a->kind = kind;
	a->arg = arg;
	a->idx = idx;
	*b->ptr++ = &a->ka.attr;
}

static void vmxcap_dir_end(struct vmxcap_builder *b)
{
	*b->ptr++ = NULL;
}

/*
 * sysfs answers a duplicate or malformed name with a stack dump; refuse
 * to load instead, naming the culprit (a decoder table bug).
 */
static bool vmxcap_name_ok(const char *dir, const char *name,
			   const char *const *seen, unsigned int nr_seen)
{
	unsigned int i;

	if (!name || !*name || strchr(name, '/')) {
		pr_err("decoder table gives a bad file name in %s\n", dir);
		return false;
	}
	for (i = 0; i < nr_seen; i++) {
		if (!strcmp(seen[i], name)) {
			pr_err("decoder table names two files %s/%s\n", dir, name);
			return false;
		}
	}
	return true;
}

static bool vmxcap_group_names_ok(const struct attribute_group *g)
{
	const char *seen[128];
	unsigned int n;

	for (n = 0; g->attrs[n]; n++) {
		if (n >= ARRAY_SIZE(seen)) {
			pr_err("too many files in %s\n", g->name);
			return false;
		}
		if (!vmxcap_name_ok(g->name, g->attrs[n]->name, seen, n))
			return false;
		seen[n] = g->attrs[n]->name;
	}
	return true;
}

static bool vmxcap_names_ok(void)
{
	const struct attribute_group *dirs[1 + VMXCAP_NR_FIELD_TABLES +
					   VMXCAP_NR_CRS + VMXCAP_NR_CTL_GROUPS];
	const char *seen[ARRAY_SIZE(dirs) + ARRAY_SIZE(vmxcap_cpu_attrs)];
	unsigned int nd = 0, ns = 0, i;

	dirs[nd++] = &vmxcap_raw_dir;
	for (i = 0; i < VMXCAP_NR_FIELD_TABLES; i++)
		dirs[nd++] = &vmxcap_field_dirs[i];
	for (i = 0; i < VMXCAP_NR_CRS; i++)
		dirs[nd++] = &vmxcap_cr_dirs[i];
	for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++)
		dirs[nd++] = &vmxcap_ctl_dirs[i];

	for (i = 0; vmxcap_cpu_attrs[i]; i++)
		seen[ns++] = vmxcap_cpu_attrs[i]->name;
	for (i = 0; i < nd; i++) {
		if (!vmxcap_name_ok("cpuN", dirs[i]->name, seen, ns) ||
		    !vmxcap_group_names_ok(dirs[i]))
			return false;
		seen[ns++] = dirs[i]->name;
	}
	return true;
}

static int vmxcap_build_dirs(void)
{
	struct vmxcap_builder b;
	unsigned int nr = VMXCAP_NR_MSRS, dirs = 1, i, j;

	for (i = 0; i < VMXCAP_NR_FIELD_TABLES; i++)
		nr += vmxcap_field_tables[i].nr_fields + 1;
	for (i = 0; i < VMXCAP_NR_CRS; i++)
		nr += vmxcap_crs[i].nr_bits + 1;
	for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++)
		nr += vmxcap_ctl_groups[i].nr_ctls + 1;
	dirs += VMXCAP_NR_FIELD_TABLES + VMXCAP_NR_CRS + VMXCAP_NR_CTL_GROUPS;

	vmxcap_attr_pool = kcalloc(nr, sizeof(*vmxcap_attr_pool), GFP_KERNEL);
	vmxcap_attr_ptrs = kcalloc(nr + dirs, sizeof(*vmxcap_attr_ptrs),
				   GFP_KERNEL);
	if (!vmxcap_attr_pool || !vmxcap_attr_ptrs)
		return -ENOMEM;
	b.next = vmxcap_attr_pool;
	b.ptr = vmxcap_attr_ptrs;

	vmxcap_dir_begin(&b, &vmxcap_raw_dir, "raw");
	vmxcap_raw_dir.is_visible = vmxcap_raw_visible;
	for (i = 0; i < VMXCAP_NR_MSRS; i++)
		vmxcap_dir_add(&b, vmxcap_msrs[i].id, VMXCAP_A_RAW, i, 0);
	vmxcap_dir_end(&b);

	for (i = 0; i < VMXCAP_NR_FIELD_TABLES; i++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[i];

		vmxcap_dir_begin(&b, &vmxcap_field_dirs[i], t->id);
		for (j = 0; j < t->nr_fields; j++)
			vmxcap_dir_add(&b, t->fields[j].id, VMXCAP_A_FIELD, i, j);
		vmxcap_dir_add(&b, "unknown_bits", VMXCAP_A_FIELD_UNKNOWN, i, 0);
		vmxcap_dir_end(&b);
	}

	for (i = 0; i < VMXCAP_NR_CRS; i++) {
		const struct vmxcap_cr_info *cr = &vmxcap_crs[i];

		vmxcap_dir_begin(&b, &vmxcap_cr_dirs[i], cr->id);
		for (j = 0; j < cr->nr_bits; j++)
			vmxcap_dir_add(&b, cr->bits[j].id, VMXCAP_A_CR_BIT, i,
				       cr->bits[j].bit);
		vmxcap_dir_add(&b, "unnamed_allowed", VMXCAP_A_CR_UNNAMED, i, 0);
		vmxcap_dir_end(&b);
	}

	for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++) {
		const struct vmxcap_ctl_group_info *g = &vmxcap_ctl_groups[i];

		vmxcap_dir_begin(&b, &vmxcap_ctl_dirs[i], g->id);
		for (j = 0; j < g->nr_ctls; j++)
			vmxcap_dir_add(&b, g->ctls[j].id, VMXCAP_A_CTL, i,
				       g->ctls[j].bit);
		vmxcap_dir_add(&b, "unnamed_allowed", VMXCAP_A_CTL_UNNAMED, i, 0);
		vmxcap_dir_end(&b);
	}

	return vmxcap_names_ok() ? 0 : -EINVAL;
}

static void vmxcap_free_dirs(void)
{
	kfree(vmxcap_attr_ptrs);
	kfree(vmxcap_attr_pool);
	vmxcap_attr_ptrs = NULL;
	vmxcap_attr_pool = NULL;
}

/* ---- publishing ----------------------------------------------------------- */

int vmxcap_cpu_publish(struct vmxcap_cpu *c, unsigned int cpu)
{
	/* the CPU's own files, raw/, the decoded directories, NULL */
	const struct attribute_group *groups[2 + VMXCAP_NR_FIELD_TABLES +
					     VMXCAP_NR_CRS + VMXCAP_NR_CTL_GROUPS + 1];
	const struct vmxcap_raw *raw = &c->raw;
	unsigned int n = 0, i;
	char name[16];
	int err;

	groups[n++] = &vmxcap_cpu_group;
	if (vmxcap_cpu_has_vmx(c)) {
		groups[n++] = &vmxcap_raw_dir;
		for (i = 0; i < VMXCAP_NR_FIELD_TABLES; i++)
			if (vmxcap_has(raw, vmxcap_field_tables[i].msr))
				groups[n++] = &vmxcap_field_dirs[i];
		for (i = 0; i < VMXCAP_NR_CRS; i++)
			if (vmxcap_has(raw, vmxcap_crs[i].fixed0) &&
			    vmxcap_has(raw, vmxcap_crs[i].fixed1))
				groups[n++] = &vmxcap_cr_dirs[i];
		for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++)
			if (vmxcap_has(raw, vmxcap_ctl_groups[i].msr))
				groups[n++] = &vmxcap_ctl_dirs[i];
	}
	groups[n] = NULL;

	err = VMXCAP_TEST_FAULT();
	if (err) {
		kfree(c);
		return err;
	}
	/* Found by the directory's show() and is_visible() from here on. */
	mutex_lock(&vmxcap_lock);
	WRITE_ONCE(per_cpu(vmxcap_cpu_obj, cpu), c);
	mutex_unlock(&vmxcap_lock);

	snprintf(name, sizeof(name), "cpu%u", cpu);
	c->kobj = kobject_create_and_add(name, vmxcap_kobj);
	if (!c->kobj) {
		err = -ENOMEM;
		goto fail;
	}
	err = sysfs_create_groups(c->kobj, groups);
	if (err) {
		kobject_del(c->kobj);
		kobject_put(c->kobj);
		goto fail;
	}

	mutex_lock(&vmxcap_lock);
	cpumask_set_cpu(cpu, vmxcap_published);
	mutex_unlock(&vmxcap_lock);
	return 0;

fail:
	mutex_lock(&vmxcap_lock);
	WRITE_ONCE(per_cpu(vmxcap_cpu_obj, cpu), NULL);
	mutex_unlock(&vmxcap_lock);
	kfree(c);
	return err;
}

void vmxcap_cpu_unpublish(unsigned int cpu)
{
	struct vmxcap_cpu *c;

	mutex_lock(&vmxcap_lock);
	c = per_cpu(vmxcap_cpu_obj, cpu);
	WRITE_ONCE(per_cpu(vmxcap_cpu_obj, cpu), NULL);
	cpumask_clear_cpu(cpu, vmxcap_published);
	mutex_unlock(&vmxcap_lock);

	if (!c)
		return;
	/*
	 * Waits for readers of its files, then no new read can start: @c is
	 * ours to free.  The kobject itself is the kernel's, released by core
	 * code whenever its last reference goes.
	 */
	kobject_del(c->kobj);
	kobject_put(c->kobj);
	kfree(c);
}

/* ---- comparing CPUs ------------------------------------------------------- */

/*
 * A walk over the published CPUs in sets whose members are the same by
 * @same, lowest CPU first; @found is called once per set.
 */
struct vmxcap_sets {
	bool (*same)(const struct vmxcap_cpu *a, const struct vmxcap_cpu *b);
	void (*found)(struct vmxcap_sets *s, const struct cpumask *set,
		      const struct vmxcap_cpu *first);
	unsigned int count;	/* sets found so far */
	char *buf;		/* for vmxcap_emit_set() */
	int len;
};

/* Capabilities: VMX in CPUID and every VMX MSR, not the CPU's identity. */
static bool vmxcap_same_caps(const struct vmxcap_cpu *a,
			     const struct vmxcap_cpu *b)
{
	return vmxcap_cpu_has_vmx(a) == vmxcap_cpu_has_vmx(b) &&
	       a->raw.present == b->raw.present &&
	       a->raw.faulted == b->raw.faulted &&
	       !memcmp(a->raw.val, b->raw.val, sizeof(a->raw.val));
}

static bool vmxcap_same_status(const struct vmxcap_cpu *a,
			       const struct vmxcap_cpu *b)
{
	return !strcmp(vmxcap_cpu_status(a), vmxcap_cpu_status(b));
}

/* Caller holds vmxcap_lock.  O(CPUs x sets): a few sets in practice. */
static int vmxcap_walk_sets(struct vmxcap_sets *s)
{
	cpumask_var_t left, set;
	unsigned int first, cpu;
	int err = -ENOMEM;

	lockdep_assert_held(&vmxcap_lock);
	if (!alloc_cpumask_var(&left, GFP_KERNEL))
		return err;
	if (!alloc_cpumask_var(&set, GFP_KERNEL))
		goto out_left;

	cpumask_copy(left, vmxcap_published);
	while (!cpumask_empty(left)) {
		const struct vmxcap_cpu *f;

		first = cpumask_first(left);
		f = per_cpu(vmxcap_cpu_obj, first);
		cpumask_clear(set);
		for_each_cpu(cpu, left)
			if (s->same(f, per_cpu(vmxcap_cpu_obj, cpu)))
				__cpumask_set_cpu(cpu, set);
		cpumask_andnot(left, left, set);
		if (s->found)
			s->found(s, set, f);
		s->count++;
	}
	err = 0;

	free_cpumask_var(set);
out_left:
	free_cpumask_var(left);
	return err;
}

static void vmxcap_emit_set(struct vmxcap_sets *s, const struct cpumask *set,
			    const struct vmxcap_cpu *first)
{
	s->len += sysfs_emit_at(s->buf, s->len, "%s%*pbl", s->count ? " " : "",
				cpumask_pr_args(set));
}

static void vmxcap_log_set(struct vmxcap_sets *s, const struct cpumask *set,
			   const struct vmxcap_cpu *first)
{
	const char *text = "VMX is not in CPUID";

	if (vmxcap_cpu_has_vmx(first))
		text = vmxcap_fc_verdict_text(vmxcap_fc_verdict(&first->raw));
	pr_info("CPUs %*pbl: %s: %s\n", cpumask_pr_args(set),
		vmxcap_cpu_status(first), text);
}

void vmxcap_log_summary(void)
{
	struct vmxcap_sets caps = { .same = vmxcap_same_caps };
	struct vmxcap_sets status = {
		.same = vmxcap_same_status,
		.found = vmxcap_log_set,
	};

	mutex_lock(&vmxcap_lock);
	if (!vmxcap_walk_sets(&caps)) {
		pr_info("version %s: CPUs %*pbl in /sys/kernel/vmxcap, %s\n",
			VMXCAP_VERSION, cpumask_pr_args(vmxcap_published),
			caps.count > 1 ? "capabilities differ between CPUs" :
					 "capabilities identical");
		vmxcap_walk_sets(&status);
	}
	mutex_unlock(&vmxcap_lock);
}

/* ---- /sys/kernel/vmxcap --------------------------------------------------- */

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", VMXCAP_VERSION);
}

static ssize_t decoder_version_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", VMXCAP_DECODER_VERSION);
}

static ssize_t cpus_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	ssize_t len;

	mutex_lock(&vmxcap_lock);
	len = sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(vmxcap_published));
	mutex_unlock(&vmxcap_lock);
	return len;
}

static ssize_t identical_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct vmxcap_sets caps = { .same = vmxcap_same_caps };
	int err;

	mutex_lock(&vmxcap_lock);
	err = vmxcap_walk_sets(&caps);
	mutex_unlock(&vmxcap_lock);
	return err ? err : sysfs_emit(buf, "%d\n", caps.count <= 1);
}

static ssize_t groups_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct vmxcap_sets caps = {
		.same = vmxcap_same_caps,
		.found = vmxcap_emit_set,
		.buf = buf,
	};
	int err;

	mutex_lock(&vmxcap_lock);
	err = vmxcap_walk_sets(&caps);
	mutex_unlock(&vmxcap_lock);
	return err ? err : caps.len + sysfs_emit_at(buf, caps.len, "\n");
}

static struct kobj_attribute vmxcap_version_attr = __ATTR_RO(version);
static struct kobj_attribute vmxcap_decoder_version_attr = __ATTR_RO(decoder_version);
static struct kobj_attribute vmxcap_cpus_attr = __ATTR_RO(cpus);
static struct kobj_attribute vmxcap_identical_attr = __ATTR_RO(identical);
static struct kobj_attribute vmxcap_groups_attr = __ATTR_RO(groups);

static struct attribute *vmxcap_top_attrs[] = {
	&vmxcap_version_attr.attr,
	&vmxcap_decoder_version_attr.attr,
	&vmxcap_cpus_attr.attr,
	&vmxcap_identical_attr.attr,
	&vmxcap_groups_attr.attr,
	NULL
};

static const struct attribute_group vmxcap_top_group = {
	.attrs = vmxcap_top_attrs,
};

int vmxcap_sysfs_init(void)
{
	int err;

	err = vmxcap_build_dirs();
	if (err)
		goto out_dirs;
	err = -ENOMEM;
	if (!zalloc_cpumask_var(&vmxcap_published, GFP_KERNEL))
		goto out_dirs;
	vmxcap_kobj = kobject_create_and_add("vmxcap", kernel_kobj);
	if (!vmxcap_kobj)
		goto out_mask;
	err = sysfs_create_group(vmxcap_kobj, &vmxcap_top_group);
	if (err)
		goto out_kobj;
	return 0;

out_kobj:
	kobject_del(vmxcap_kobj);
	kobject_put(vmxcap_kobj);
out_mask:
	free_cpumask_var(vmxcap_published);
out_dirs:
	vmxcap_free_dirs();
	return err;
}

/*
 * After every CPU was unpublished.  kobject_del() removes the directory now
 * and waits for its readers; kobject_put() alone would leave it (and its
 * files, whose data is freed below) until the last reference goes, which
 * CONFIG_DEBUG_KOBJECT_RELEASE delays by seconds.
 */
void vmxcap_sysfs_exit(void)
{
	kobject_del(vmxcap_kobj);
	kobject_put(vmxcap_kobj);
	free_cpumask_var(vmxcap_published);
	vmxcap_free_dirs();
}
