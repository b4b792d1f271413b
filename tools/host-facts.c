// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the host a machine's values come from, as a fleet tells
 * hosts apart and reproduces a finding: its name, its firmware's DMI
 * strings, and when and by what the values were read.  Read from a live
 * machine (or a copy of one); a dump carries them (dump.c).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmxcap-show.h"

/* The first line of root/path, without trailing blanks; "" if unreadable. */
static void first_line(const char *root, const char *path, char *buf, size_t size)
{
	char full[4200], *text;
	size_t len;

	snprintf(full, sizeof(full), "%s%s", root, path);
	text = vs_read_proc(full);
	vs_clear_error();
	len = text ? strcspn(text, "\n") : 0;
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	snprintf(buf, size, "%.*s", (int)len, text ? text : "");
	free(text);
}

void vs_read_host_facts(const struct vs_machine *m, struct vs_host_facts *h)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < vs_nr_host_fields; i++)
		if (vs_host_fields[i].file)
			first_line(m->root, vs_host_fields[i].file,
				   (char *)h + vs_host_fields[i].off, vs_host_fields[i].size);
	/* A copy of a machine was read at some earlier time nobody recorded. */
	if (!m->root[0]) {
		time_t now = time(NULL);
		struct tm tm;

		if (gmtime_r(&now, &tm))
			strftime(h->taken, sizeof(h->taken), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	snprintf(h->tool, sizeof(h->tool), "vmxcap-show %s", VS_VERSION);
	snprintf(h->decoder, sizeof(h->decoder), "%s", VMXCAP_DECODER_VERSION);
}

/* Appends ", " (when buf is not empty) and s to buf. */
static void append(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);

	if (s[0] && len + 1 < size)
		snprintf(buf + len, size - len, "%s%s", len ? ", " : "", s);
}

bool vs_format_host_facts(const struct vs_host_facts *h, char *buf, size_t size)
{
	char part[256];

	buf[0] = '\0';
	append(buf, size, h->hostname);
	snprintf(part, sizeof(part), "%s%s%s", h->sys_vendor, h->sys_vendor[0] ? " " : "",
		 h->product_name);
	append(buf, size, part);
	if (h->bios_vendor[0] || h->bios_version[0] || h->bios_date[0]) {
		snprintf(part, sizeof(part), "BIOS %s%s%s%s%s%s", h->bios_vendor,
			 h->bios_vendor[0] ? " " : "", h->bios_version,
			 h->bios_date[0] ? " (" : "", h->bios_date, h->bios_date[0] ? ")" : "");
		append(buf, size, part);
	}
	if (h->taken[0]) {
		snprintf(part, sizeof(part), "taken %s", h->taken);
		append(buf, size, part);
	}
	if (h->tool[0]) {
		snprintf(part, sizeof(part), "by %s%s%s%s", h->tool, h->decoder[0] ? " (decoder " : "",
			 h->decoder, h->decoder[0] ? ")" : "");
		append(buf, size, part);
	}
	return buf[0] != '\0';
}
