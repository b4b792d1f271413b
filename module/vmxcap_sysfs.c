// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vmxcap: the top-level files, sets/<id>/ for each distinct
 * capability set and cpuN/ for each published CPU, whose set directories
 * are symbolic links into its set (see Documentation/ABI/testing/
 * sysfs-kernel-vmxcap).  What the files show is vmxcap_files.c's.
 *
 * Memory: a CPU whose values equal another's costs its struct vmxcap_cpu,
 * its directory, its own eight files and one link per set directory; the
 * decoded tree exists once per set.
 *
 * Lifetimes: every directory is a dynamic kobject of the kernel's.  Files
 * find their CPU or set by the directory's name; a CPU or set is freed only
 * after kobject_del() of its directory, which waits for running readers.
 * Sets are created under vmxcap_lock but removed after dropping it, since
 * removal waits for readers that may be taking it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

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

/* Guards what follows; files find CPUs and sets without it. */
DEFINE_MUTEX(vmxcap_lock);
static DEFINE_PER_CPU(struct vmxcap_cpu *, vmxcap_cpu_obj);
static DEFINE_XARRAY_ALLOC(vmxcap_sets);	/* id -> set; xa_load() is RCU-safe */
static cpumask_var_t vmxcap_published;
static u64 vmxcap_generation;	/* counts changes of the published CPUs */

static struct kobject *vmxcap_kobj;	/* /sys/kernel/vmxcap */
static struct kobject *vmxcap_sets_kobj;	/* /sys/kernel/vmxcap/sets */

/* The CPU a "cpuN" directory describes, NULL once it is being unpublished. */
struct vmxcap_cpu *vmxcap_cpu_of(struct kobject *kobj)
{
	unsigned int cpu;

	if (kobj->parent != vmxcap_kobj || strncmp(kobject_name(kobj), "cpu", 3) ||
	    kstrtouint(kobject_name(kobj) + 3, 10, &cpu) || cpu >= nr_cpu_ids)
		return NULL;
	return READ_ONCE(per_cpu(vmxcap_cpu_obj, cpu));
}

/* The set of cpuN/, sets/<id>/ or a directory in sets/<id>/. */
struct vmxcap_set *vmxcap_set_of(struct kobject *kobj)
{
	const struct vmxcap_cpu *c;
	unsigned int id;

	if (kobj->parent == vmxcap_kobj) {
		c = vmxcap_cpu_of(kobj);
		return c ? c->set : NULL;
	}
	if (kobj->parent != vmxcap_sets_kobj)
		kobj = kobj->parent;
	if (!kobj || kobj->parent != vmxcap_sets_kobj ||
	    kstrtouint(kobject_name(kobj), 10, &id))
		return NULL;
	return xa_load(&vmxcap_sets, id);
}

/* ---- sets -------------------------------------------------------------- */

/* Capabilities: VMX in CPUID and every VMX MSR, not the CPU's identity. */
static bool vmxcap_same_caps(const struct vmxcap_set *a,
			     const struct vmxcap_set *b)
{
	return a->vmx == b->vmx &&
	       a->raw.present == b->raw.present &&
	       a->raw.faulted == b->raw.faulted &&
	       !memcmp(a->raw.val, b->raw.val, sizeof(a->raw.val));
}

static void vmxcap_set_free(struct vmxcap_set *s)
{
	free_cpumask_var(s->cpus);
	kfree(s);
}

/* Removes what vmxcap_set_add_dirs() made, waiting for readers; frees @s. */
static void vmxcap_set_del(struct vmxcap_set *s)
{
	unsigned int d;

	for (d = 0; d < VMXCAP_NR_DIRS; d++) {
		if (!s->dirs[d])
			continue;
		kobject_del(s->dirs[d]);
		kobject_put(s->dirs[d]);
	}
	if (s->kobj) {
		kobject_del(s->kobj);
		kobject_put(s->kobj);
	}
	vmxcap_set_free(s);
}

/*
 * Makes the directories of a new set, outside vmxcap_lock (see the top).
 * On failure vmxcap_set_put() removes what was made.
 */
static int vmxcap_set_add_dirs(struct vmxcap_set *s)
{
	char name[12];
	unsigned int d;
	int err;

	snprintf(name, sizeof(name), "%u", s->id);
	s->kobj = kobject_create_and_add(name, vmxcap_sets_kobj);
	if (!s->kobj)
		return -ENOMEM;
	err = sysfs_create_group(s->kobj, &vmxcap_set_group);
	for (d = 0; d < VMXCAP_NR_DIRS && !err; d++) {
		if (!vmxcap_set_has_dir(s, d))
			continue;
		s->dirs[d] = kobject_create_and_add(vmxcap_dir_names[d], s->kobj);
		err = s->dirs[d] ? sysfs_create_group(s->dirs[d],
						      &vmxcap_dir_groups[d]) : -ENOMEM;
	}
	return err;
}

static void vmxcap_set_put(struct vmxcap_set *s)
{
	bool last;

	mutex_lock(&vmxcap_lock);
	last = !--s->users;
	if (last)
		xa_erase(&vmxcap_sets, s->id);
	mutex_unlock(&vmxcap_lock);
	if (last)
		vmxcap_set_del(s);
}

/*
 * The set with @cand's values, taking a reference: an existing one (@cand
 * is freed) or @cand itself, published.  CPU hotplug runs publications one
 * at a time, so no one else finds a new set before its directories exist.
 */
static struct vmxcap_set *vmxcap_set_get(struct vmxcap_set *cand, int *err)
{
	struct vmxcap_set *s;
	unsigned long id;
	u32 new_id = 0;

	*err = 0;
	mutex_lock(&vmxcap_lock);
	xa_for_each(&vmxcap_sets, id, s) {
		if (vmxcap_same_caps(s, cand)) {
			s->users++;
			break;
		}
	}
	if (!s) {
		*err = xa_alloc(&vmxcap_sets, &new_id, cand, xa_limit_31b,
				GFP_KERNEL);
		cand->id = new_id;
		cand->users = 1;
	}
	mutex_unlock(&vmxcap_lock);
	if (s || *err) {
		vmxcap_set_free(cand);
		return s;
	}
	*err = vmxcap_set_add_dirs(cand);
	if (*err) {
		vmxcap_set_put(cand);
		return NULL;
	}
	return cand;
}

/* ---- CPUs -------------------------------------------------------------- */

/* cpuN/set and, for each directory of the set, cpuN/<dir>. */
static int vmxcap_cpu_link(struct vmxcap_cpu *c)
{
	const struct vmxcap_set *s = c->set;
	unsigned int d;
	int err;

	err = sysfs_create_link(c->kobj, s->kobj, "set");
	for (d = 0; d < VMXCAP_NR_DIRS && !err; d++)
		if (s->dirs[d])
			err = sysfs_create_link(c->kobj, s->dirs[d],
						vmxcap_dir_names[d]);
	return err;
}

int vmxcap_cpu_publish(unsigned int cpu, struct vmxcap_set *cand)
{
	struct vmxcap_cpu *c;
	char name[16];
	int err;

	err = VMXCAP_TEST_FAULT();
	c = err ? NULL : kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		vmxcap_set_free(cand);
		return err ?: -ENOMEM;
	}
	c->cpu = cpu;
	c->set = vmxcap_set_get(cand, &err);
	if (!c->set)
		goto out_cpu;

	/* Found by its directory's files from here on. */
	WRITE_ONCE(per_cpu(vmxcap_cpu_obj, cpu), c);
	snprintf(name, sizeof(name), "cpu%u", cpu);
	err = -ENOMEM;
	c->kobj = kobject_create_and_add(name, vmxcap_kobj);
	if (!c->kobj)
		goto out_set;
	err = sysfs_create_group(c->kobj, &vmxcap_cpu_group);
	if (!err)
		err = vmxcap_cpu_link(c);
	if (err) {
		kobject_del(c->kobj);
		kobject_put(c->kobj);
		goto out_set;
	}

	mutex_lock(&vmxcap_lock);
	cpumask_set_cpu(cpu, vmxcap_published);
	cpumask_set_cpu(cpu, c->set->cpus);
	vmxcap_generation++;
	mutex_unlock(&vmxcap_lock);
	return 0;

out_set:
	WRITE_ONCE(per_cpu(vmxcap_cpu_obj, cpu), NULL);
	vmxcap_set_put(c->set);
out_cpu:
	kfree(c);
	return err;
}

void vmxcap_cpu_unpublish(unsigned int cpu)
{
	struct vmxcap_cpu *c;

	mutex_lock(&vmxcap_lock);
	c = per_cpu(vmxcap_cpu_obj, cpu);
	WRITE_ONCE(per_cpu(vmxcap_cpu_obj, cpu), NULL);
	if (c) {
		cpumask_clear_cpu(cpu, vmxcap_published);
		cpumask_clear_cpu(cpu, c->set->cpus);
		vmxcap_generation++;
	}
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
	vmxcap_set_put(c->set);
	kfree(c);
}

/* ---- the whole machine ------------------------------------------------- */

static const struct vmxcap_set *vmxcap_set_on(unsigned int cpu)
{
	return per_cpu(vmxcap_cpu_obj, cpu)->set;
}

/*
 * The next set after CPU *@cpu (start at -1), each set once at its lowest
 * published CPU, or NULL.  Caller holds vmxcap_lock.
 */
static const struct vmxcap_set *vmxcap_next_set(int *cpu)
{
	const struct vmxcap_set *s;

	while ((*cpu = cpumask_next(*cpu, vmxcap_published)) < nr_cpu_ids) {
		s = vmxcap_set_on(*cpu);
		if (*cpu == cpumask_first(s->cpus))
			return s;
	}
	return NULL;
}

/* What a CPU reports in the machine file's "identity" lines. */
static bool vmxcap_same_identity(unsigned int a, unsigned int b)
{
	const struct cpuinfo_x86 *x = &cpu_data(a), *y = &cpu_data(b);

	return !strcmp(x->x86_vendor_id, y->x86_vendor_id) &&
	       x->x86 == y->x86 && x->x86_model == y->x86_model &&
	       x->x86_stepping == y->x86_stepping &&
	       cpu_has(x, X86_FEATURE_HYPERVISOR) == cpu_has(y, X86_FEATURE_HYPERVISOR) &&
	       vmxcap_set_on(a)->vmx == vmxcap_set_on(b)->vmx;
}

static bool vmxcap_same_status(unsigned int a, unsigned int b)
{
	return !strcmp(vmxcap_set_status(vmxcap_set_on(a)),
		       vmxcap_set_status(vmxcap_set_on(b)));
}

/*
 * Calls @found once for each class of published CPUs that @same puts
 * together, lowest CPU first.  Caller holds vmxcap_lock.  O(CPUs x classes).
 */
static int vmxcap_classes(bool (*same)(unsigned int a, unsigned int b),
			  void (*found)(const struct cpumask *cpus, void *arg),
			  void *arg)
{
	cpumask_var_t left, class;
	unsigned int first, cpu;
	int err = -ENOMEM;

	lockdep_assert_held(&vmxcap_lock);
	if (!alloc_cpumask_var(&left, GFP_KERNEL))
		return err;
	if (!alloc_cpumask_var(&class, GFP_KERNEL))
		goto out_left;
	cpumask_copy(left, vmxcap_published);
	while (!cpumask_empty(left)) {
		first = cpumask_first(left);
		cpumask_clear(class);
		for_each_cpu(cpu, left)
			if (same(first, cpu))
				__cpumask_set_cpu(cpu, class);
		cpumask_andnot(left, left, class);
		found(class, arg);
	}
	err = 0;
	free_cpumask_var(class);
out_left:
	free_cpumask_var(left);
	return err;
}

static void vmxcap_identity_line(const struct cpumask *cpus, void *arg)
{
	unsigned int cpu = cpumask_first(cpus);
	const struct cpuinfo_x86 *d = &cpu_data(cpu);
	char vendor[13];

	vmxcap_cpu_vendor(cpu, vendor);
	vmxcap_text_add(arg, "identity %*pbl vendor=%s family=0x%x model=0x%x ",
			cpumask_pr_args(cpus), vendor, d->x86, d->x86_model);
	vmxcap_text_add(arg, "stepping=0x%x hypervisor=%d vmx=%d\n",
			d->x86_stepping, cpu_has(d, X86_FEATURE_HYPERVISOR),
			vmxcap_set_on(cpu)->vmx);
}

/*
 * /sys/kernel/vmxcap/machine: every set with its CPUs and raw values, and
 * every CPU's identity, in one read whatever the number of CPUs.
 */
static int vmxcap_machine_text(struct vmxcap_text *t, struct kobject *kobj)
{
	const struct vmxcap_set *s;
	unsigned int m;
	int cpu = -1;

	vmxcap_text_add(t, "format 1\ngeneration %llu\ncpus %*pbl\n",
			vmxcap_generation, cpumask_pr_args(vmxcap_published));
	while ((s = vmxcap_next_set(&cpu))) {
		vmxcap_text_add(t, "set %u %*pbl\n", s->id, cpumask_pr_args(s->cpus));
		for (m = 0; m < VMXCAP_NR_MSRS; m++) {
			if (s->raw.present & VMXCAP_MSR_BIT(m))
				vmxcap_text_add(t, "0x%03x 0x%016llx\n",
						vmxcap_msrs[m].index, s->raw.val[m]);
			else if (s->raw.faulted & VMXCAP_MSR_BIT(m))
				vmxcap_text_add(t, "0x%03x faulted\n",
						vmxcap_msrs[m].index);
		}
	}
	return vmxcap_classes(vmxcap_same_identity, vmxcap_identity_line, t);
}

static int vmxcap_cpus_text(struct vmxcap_text *t, struct kobject *kobj)
{
	vmxcap_text_add(t, "%*pbl\n", cpumask_pr_args(vmxcap_published));
	return 0;
}

static int vmxcap_groups_text(struct vmxcap_text *t, struct kobject *kobj)
{
	const struct vmxcap_set *s;
	bool first = true;
	int cpu = -1;

	while ((s = vmxcap_next_set(&cpu))) {
		vmxcap_text_add(t, "%s%*pbl", first ? "" : " ",
				cpumask_pr_args(s->cpus));
		first = false;
	}
	vmxcap_text_add(t, "\n");
	return 0;
}

static unsigned int vmxcap_nr_sets(void)
{
	unsigned int n = 0;
	int cpu = -1;

	while (vmxcap_next_set(&cpu))
		n++;
	return n;
}

static ssize_t identical_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	unsigned int n;

	mutex_lock(&vmxcap_lock);
	n = vmxcap_nr_sets();
	mutex_unlock(&vmxcap_lock);
	return sysfs_emit(buf, "%d\n", n <= 1);
}

static ssize_t decoder_version_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", VMXCAP_DECODER_VERSION);
}

static struct kobj_attribute vmxcap_decoder_version_attr = __ATTR_RO(decoder_version);
static struct kobj_attribute vmxcap_identical_attr = __ATTR_RO(identical);
static VMXCAP_TEXT_ATTR(vmxcap_cpus_attr, "cpus", vmxcap_cpus_text);
static VMXCAP_TEXT_ATTR(vmxcap_groups_attr, "groups", vmxcap_groups_text);
static VMXCAP_TEXT_ATTR(vmxcap_machine_attr, "machine", vmxcap_machine_text);

static struct attribute *vmxcap_top_attrs[] = {
	&vmxcap_decoder_version_attr.attr,
	&vmxcap_identical_attr.attr,
	NULL
};

static VMXCAP_BIN_ATTR *vmxcap_top_bin_attrs[] = {
	&vmxcap_cpus_attr.ba,
	&vmxcap_groups_attr.ba,
	&vmxcap_machine_attr.ba,
	NULL
};

static const struct attribute_group vmxcap_top_group = {
	.attrs = vmxcap_top_attrs,
	.bin_attrs = vmxcap_top_bin_attrs,
};

static void vmxcap_log_class(const struct cpumask *cpus, void *arg)
{
	const struct vmxcap_set *s = vmxcap_set_on(cpumask_first(cpus));
	const char *text = "VMX is not in CPUID";

	if (s->vmx)
		text = vmxcap_fc_verdict_text(vmxcap_fc_verdict(&s->raw));
	pr_info("CPUs %*pbl: %s: %s\n", cpumask_pr_args(cpus),
		vmxcap_set_status(s), text);
}

void vmxcap_log_summary(void)
{
	mutex_lock(&vmxcap_lock);
	pr_info("version %s: CPUs %*pbl in /sys/kernel/vmxcap, %s\n",
		VMXCAP_VERSION, cpumask_pr_args(vmxcap_published),
		vmxcap_nr_sets() > 1 ? "capabilities differ between CPUs" :
				       "capabilities identical");
	vmxcap_classes(vmxcap_same_status, vmxcap_log_class, NULL);
	mutex_unlock(&vmxcap_lock);
}

/* ---- /sys/kernel/vmxcap ------------------------------------------------ */

static void vmxcap_kobj_del(struct kobject **kobj)
{
	if (!*kobj)
		return;
	kobject_del(*kobj);
	kobject_put(*kobj);
	*kobj = NULL;
}

/*
 * vmxcap_sysfs_exit() undoes it, after every CPU was unpublished (and so
 * every set removed).  kobject_del() removes a directory now and waits for
 * its readers; kobject_put() alone would leave it (and its files, whose data
 * is freed below) until the last reference goes, which
 * CONFIG_DEBUG_KOBJECT_RELEASE delays by seconds.
 */
int vmxcap_sysfs_init(void)
{
	int err;

	err = vmxcap_files_init();
	if (err)
		return err;
	err = -ENOMEM;
	if (!zalloc_cpumask_var(&vmxcap_published, GFP_KERNEL))
		goto fail;
	vmxcap_kobj = kobject_create_and_add("vmxcap", kernel_kobj);
	if (!vmxcap_kobj)
		goto fail;
	vmxcap_sets_kobj = kobject_create_and_add("sets", vmxcap_kobj);
	if (!vmxcap_sets_kobj)
		goto fail;
	err = sysfs_create_group(vmxcap_kobj, &vmxcap_top_group);
	if (err)
		goto fail;
	return 0;

fail:
	vmxcap_sysfs_exit();
	return err;
}

void vmxcap_sysfs_exit(void)
{
	vmxcap_kobj_del(&vmxcap_sets_kobj);
	vmxcap_kobj_del(&vmxcap_kobj);
	free_cpumask_var(vmxcap_published);
	vmxcap_files_exit();
}
