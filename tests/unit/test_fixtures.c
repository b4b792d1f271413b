// SPDX-License-Identifier: GPL-2.0
/*
 * The decoder against other tools, on real CPUs' values: for every entry
 * of tests/data/vmx-msr-dumps.json, what QEMU's scripts/kvm/vmxcap prints
 * (tests/data/reference/vmxcap/) and the "vmx flags" line Linux derives
 * (tests/data/reference/linux-vmx-flags/).  Neither reference was produced
 * by this project's code.
 *
 * Usage: test_fixtures DATA_DIR
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmxcap/vmxcap.h>
#include "tap.h"

static const char *data_dir;

/* The reference file name: the id with [^A-Za-z0-9_.-] replaced by '_'. */
static void ref_path(char *buf, size_t size, const char *kind, const char *id)
{
	char name[256];
	size_t i;

	for (i = 0; id[i] && i + 1 < sizeof(name); i++) {
		char c = id[i];
		bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
		name[i] = keep ? c : '_';
	}
	name[i] = '\0';
	snprintf(buf, size, "%s/reference/%s/%s.txt", data_dir, kind, name);
}

static bool raw_from_entry(json_object *entry, struct vmxcap_raw *raw)
{
	json_object *msrs;

	memset(raw, 0, sizeof(*raw));
	if (!json_object_object_get_ex(entry, "msrs", &msrs))
		return false;
	json_object_object_foreach(msrs, key, val) {
		char *end;
		unsigned long idx = strtoul(key, &end, 16);
		int slot = *end ? -1 : vmxcap_msr_slot((u32)idx);
		const char *s = json_object_get_string(val);

		if (slot < 0 || !s)
			return false;
		errno = 0;
		raw->val[slot] = strtoull(s, &end, 16);
		if (errno || *end)
			return false;
		raw->present |= VMXCAP_MSR_BIT(slot);
	}
	return true;
}

struct section {
	int group;	/* control group, or -1 */
	int table;	/* field table, or -1 */
};

static struct section find_section(const char *heading)
{
	struct section sec = { -1, -1 };
	int i;

	for (i = 0; i < VMXCAP_NR_CTL_GROUPS; i++)
		if (vmxcap_ctl_groups[i].vmxcap_section &&
		    !strcmp(vmxcap_ctl_groups[i].vmxcap_section, heading))
			sec.group = i;
	for (i = 0; i < VMXCAP_NR_FIELD_TABLES; i++)
		if (vmxcap_field_tables[i].vmxcap_section &&
		    !strcmp(vmxcap_field_tables[i].vmxcap_section, heading))
			sec.table = i;
	return sec;
}

struct tally {
	unsigned int compared, skipped, mismatches;
};

static void mismatch(struct tally *t, const char *what, const char *label,
		     const char *want, const char *got)
{
	t->mismatches++;
	tap_diag("  %s '%s': vmxcap says '%s', decoder says '%s'", what, label,
		 want, got);
}

/* One "  label   value" line of a control section. */
static void compare_control(const struct vmxcap_raw *raw, int g,
			    const char *label, const char *value,
			    struct tally *t)
{
	const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];
	const struct vmxcap_ctl *c = NULL;
	enum vmxcap_state s;
	unsigned int i;

	for (i = 0; i < gi->nr_ctls; i++)
		if (gi->ctls[i].vmxcap_name && !strcmp(gi->ctls[i].vmxcap_name, label))
			c = &gi->ctls[i];
	if (!c) {
		mismatch(t, "no table entry for", label, value, "-");
		return;
	}
	s = vmxcap_ctl_state(raw, g, c->bit);
	/*
	 * vmxcap read an unrecorded MSR as 0; the decoder knows the state
	 * anyway when the TRUE MSR was recorded (checked in test_decoder.c
	 * against the legacy MSR that KVM derives from it).
	 */
	if (s == VMXCAP_STATE_UNKNOWN ||
	    (!vmxcap_has(raw, gi->msr) && vmxcap_msr_existence(raw, gi->msr) != VMXCAP_ABSENT)) {
		t->skipped++;
		return;
	}
	t->compared++;
	if (strcmp(vmxcap_state_vmxcap_word(s), value))
		mismatch(t, gi->id, label, value, vmxcap_state_vmxcap_word(s));
}

static void compare_field(const struct vmxcap_raw *raw, int ft,
			  const char *label, const char *value, struct tally *t)
{
	const struct vmxcap_field_table *tab = &vmxcap_field_tables[ft];
	const struct vmxcap_field *f = NULL;
	char got[32];
	unsigned int i;
	u64 v;

	for (i = 0; i < tab->nr_fields; i++)
		if (tab->fields[i].vmxcap_name && !strcmp(tab->fields[i].vmxcap_name, label))
			f = &tab->fields[i];
	if (!f) {
		mismatch(t, "no table entry for", label, value, "-");
		return;
	}
	if (!vmxcap_has(raw, tab->msr)) {
		if (vmxcap_msr_existence(raw, tab->msr) != VMXCAP_ABSENT) {
			t->skipped++;
			return;
		}
		v = 0;	/* does not exist: vmxcap's zero is the truth */
	} else {
		v = vmxcap_field_value(f, raw->val[tab->msr]);
	}
	if (f->kind == VMXCAP_FIELD_FLAG)
		snprintf(got, sizeof(got), "%s", v ? "yes" : "no");
	else
		snprintf(got, sizeof(got), "%llu", v);
	t->compared++;
	if (strcmp(got, value))
		mismatch(t, tab->id, label, value, got);
}

static void compare_hex(const struct vmxcap_raw *raw, enum vmxcap_msr m,
			const char *value, struct tally *t)
{
	char got[32];

	if (!vmxcap_has(raw, m)) {
		t->skipped++;
		return;
	}
	snprintf(got, sizeof(got), "0x%llx", raw->val[m]);
	t->compared++;
	if (strcmp(got, value))
		mismatch(t, "hex of", vmxcap_msrs[m].name, value, got);
}

/* Splits "  label<spaces>value" (vmxcap's '  %-40s %s'). */
static bool split_line(char *line, char **label, char **value)
{
	char *sp = strrchr(line, ' ');
	char *end;

	if (!sp || sp == line)
		return false;
	*value = sp + 1;
	end = sp;
	while (end > line && end[-1] == ' ')
		end--;
	*end = '\0';
	*label = line + 2;
	return **label != '\0';
}

static bool compare_vmxcap(const char *id, const struct vmxcap_raw *raw)
{
	char path[512], line[512];
	struct section sec = { -1, -1 };
	struct tally t = { 0, 0, 0 };
	unsigned int sections = 0;
	bool order_ok = true, saw_hex = false;
	FILE *f;

	ref_path(path, sizeof(path), "vmxcap", id);
	f = fopen(path, "r");
	if (!f)
		return tap_ok(false, "%s: vmxcap reference %s: %s", id, path,
			      strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *label, *value;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] != ' ') {
			const struct vmxcap_vmxcap_section *want;

			if (sections && sections <= VMXCAP_NR_VMXCAP_SECTIONS &&
			    vmxcap_vmxcap_sections[sections - 1].hex != saw_hex)
				order_ok = false;
			sec = find_section(line);
			want = sections < VMXCAP_NR_VMXCAP_SECTIONS ?
			       &vmxcap_vmxcap_sections[sections] : NULL;
			if (!want || want->is_ctl_group != (sec.group >= 0) ||
			    want->index != (sec.group >= 0 ? sec.group : sec.table))
				order_ok = false;
			sections++;
			saw_hex = false;
			if (sec.group < 0 && sec.table < 0)
				mismatch(&t, "unknown section", line, "", "-");
			continue;
		}
		if (!strncmp(line, "  Hex: ", 7)) {
			saw_hex = true;
			enum vmxcap_msr m = sec.group >= 0 ?
				vmxcap_ctl_groups[sec.group].msr :
				vmxcap_field_tables[sec.table].msr;

			compare_hex(raw, m, line + 7, &t);
			continue;
		}
		if (!split_line(line, &label, &value)) {
			mismatch(&t, "unparsable line", line, "", "-");
			continue;
		}
		if (sec.group >= 0)
			compare_control(raw, sec.group, label, value, &t);
		else if (sec.table >= 0)
			compare_field(raw, sec.table, label, value, &t);
	}
	fclose(f);
	if (sections != VMXCAP_NR_VMXCAP_SECTIONS ||
	    vmxcap_vmxcap_sections[sections - 1].hex != saw_hex)
		order_ok = false;
	if (!order_ok)
		tap_diag("  vmxcap's sections differ from vmxcap_vmxcap_sections[]");
	return tap_ok(t.mismatches == 0 && order_ok,
		      "%s: vmxcap: %u sections, %u values agree, %u mismatches, %u unrecorded",
		      id, sections, t.compared - t.mismatches,
		      t.mismatches, t.skipped);
}

/* Reads "cpu0 vmx flags\t: ..." and the IA32_FEATURE_CONTROL line. */
static bool compare_linux(const char *id, const struct vmxcap_raw *raw)
{
	char path[512], line[1024], ours[1024];
	char expect[1024] = "";
	bool have_fc_line = false, fc_ok = true;
	FILE *f;

	ref_path(path, sizeof(path), "linux-vmx-flags", id);
	f = fopen(path, "r");
	if (!f)
		return tap_ok(false, "%s: flags reference %s: %s", id, path,
			      strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		const char *p;

		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "cpu0 vmx flags\t: ", 17)) {
			snprintf(expect, sizeof(expect), "%s", line + 17);
		} else if (!strncmp(line, "cpu0 IA32_FEATURE_CONTROL=", 26)) {
			u64 fc = strtoull(line + 26, NULL, 16);

			have_fc_line = true;
			p = strstr(line, "lock=");
			fc_ok &= vmxcap_has(raw, VMXCAP_FEATURE_CONTROL) &&
				 raw->val[VMXCAP_FEATURE_CONTROL] == fc && p &&
				 (unsigned int)(p[5] - '0') ==
				 vmxcap_field_value(&vmxcap_field_tables[VMXCAP_FT_FEATURE_CONTROL].fields[0], fc);
		}
	}
	fclose(f);
	vmxcap_linux_flags(raw, 0, ours, sizeof(ours));
	if (strcmp(ours, expect)) {
		tap_diag("  linux: %s", expect);
		tap_diag("  ours:  %s", ours);
	}
	tap_ok(!have_fc_line || fc_ok,
	       "%s: IA32_FEATURE_CONTROL as the reference reads it", id);
	return tap_ok(!strcmp(ours, expect), "%s: vmx flags equal Linux's", id);
}

static bool check_consistency(const char *id, const struct vmxcap_raw *raw)
{
	struct vmxcap_problem p[16];
	unsigned int n = vmxcap_check(raw, p, 16), i;

	for (i = 0; i < n && i < 16; i++)
		tap_diag("  problem %s on %s bit %u", vmxcap_problem_id(p[i].kind),
			 vmxcap_msrs[p[i].msr].name, p[i].bit);
	return tap_ok(n == 0, "%s: consistency checks pass", id);
}

/* Bits the decoder names that neither vmxcap nor Linux names. */
static void list_extra_names(void)
{
	unsigned int g, i;

	for (g = 0; g < VMXCAP_NR_CTL_GROUPS; g++) {
		const struct vmxcap_ctl_group_info *gi = &vmxcap_ctl_groups[g];

		for (i = 0; i < gi->nr_ctls; i++)
			if (!gi->ctls[i].vmxcap_name && !gi->ctls[i].linux_flag)
				tap_diag("named here only: %s bit %u %s (%s)", gi->id,
					 gi->ctls[i].bit, gi->ctls[i].id, gi->ctls[i].name);
	}
	for (g = 0; g < VMXCAP_NR_FIELD_TABLES; g++) {
		const struct vmxcap_field_table *t = &vmxcap_field_tables[g];

		for (i = 0; i < t->nr_fields; i++)
			if (!t->fields[i].vmxcap_name)
				tap_diag("named here only: %s bits %u-%u %s (%s)", t->id,
					 t->fields[i].lo, t->fields[i].hi,
					 t->fields[i].id, t->fields[i].name);
	}
}

int main(int argc, char **argv)
{
	char path[512];
	json_object *root;
	size_t i, n, with_vmx = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
		return 2;
	}
	data_dir = argv[1];
	snprintf(path, sizeof(path), "%s/vmx-msr-dumps.json", data_dir);
	root = json_object_from_file(path);
	if (!root || !json_object_is_type(root, json_type_array)) {
		fprintf(stderr, "%s: cannot read %s\n", argv[0], path);
		return 2;
	}
	n = json_object_array_length(root);
	for (i = 0; i < n; i++) {
		json_object *entry = json_object_array_get_idx(root, i), *idj;
		struct vmxcap_raw raw;
		const char *id;

		if (!json_object_object_get_ex(entry, "id", &idj))
			continue;
		id = json_object_get_string(idj);
		if (!tap_ok(raw_from_entry(entry, &raw), "%s: MSR values parse", id))
			continue;
		if (!vmxcap_has(&raw, VMXCAP_BASIC))
			continue;	/* no VMX values (the README says so) */
		with_vmx++;
		check_consistency(id, &raw);
		compare_vmxcap(id, &raw);
		compare_linux(id, &raw);
	}
	tap_ok(with_vmx == 57, "57 fixtures have VMX values (got %zu)", with_vmx);
	list_extra_names();
	json_object_put(root);
	return tap_done("fixtures");
}
